import type { ResourceRule } from "@groundwork/policy-kit";
import { setOrUnknown } from "@groundwork/policy-kit";
import { DISTRIBUTION_TYPES } from "../shared";

/**
 * A WAFv2 web ACL (scope CLOUDFRONT) is attached to the distribution: `webAclId` is set. Mandatory in
 * production tiers, advisory elsewhere.
 *
 * Severity: medium. Level: mandatory-prod.
 * Controls: FSBP CloudFront.6, CKV_AWS_68, AWS-0011, AwsSolutions-CFR2.
 */
export const distributionEnableWaf: ResourceRule = {
    kind: "resource",
    name: "aws-cloudfront-distribution-enable-waf",
    description: "CloudFront distributions have a WAF web ACL attached.",
    controls: ["FSBP CloudFront.6", "CKV_AWS_68", "AWS-0011", "AwsSolutions-CFR2"],
    severity: "medium",
    level: "mandatory-prod",
    remediation: "Create an `aws.wafv2.WebAcl` with scope CLOUDFRONT in us-east-1 (the Cdn component does) and set its ARN as the distribution's `webAclId`.",
    resourceTypes: DISTRIBUTION_TYPES,
    check(props) {
        return setOrUnknown(props, "webAclId") ? [] : ["no WAF web ACL is attached (webAclId is not set)"];
    },
};
