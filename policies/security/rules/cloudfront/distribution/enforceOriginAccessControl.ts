import type { ResourceRule } from "@groundwork/policy-kit";
import { readKnown, setOrUnknown } from "@groundwork/policy-kit";
import { CLOUDFRONT_TYPES, DISTRIBUTION_TYPES, isS3RestDomain, isS3WebsiteDomain, originsOf, present } from "../shared";

/**
 * S3 origins are reached through Origin Access Control, so the bucket stays private and only this distribution
 * can read it: every S3 origin (an origin without `customOriginConfig`/`vpcOriginConfig`, or whose domain is an
 * S3 REST endpoint `*.s3.*amazonaws.com`) has `originAccessControlId`. A legacy origin access identity
 * (`s3OriginConfig.originAccessIdentity`) does not count, an S3 REST endpoint used as a custom origin cannot
 * sign requests, and an S3 website endpoint needs a public bucket: all three are reported. The Origin Access
 * Control itself (`aws.cloudfront.OriginAccessControl`) is judged as well: with `signingBehavior` `never` CloudFront
 * does not sign origin requests, so the bucket would have to be public to answer them.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP CloudFront.13, CKV2_AWS_46, AwsSolutions-CFR7.
 */
export const distributionEnforceOriginAccessControl: ResourceRule = {
    kind: "resource",
    name: "aws-cloudfront-distribution-enforce-origin-access-control",
    description: "CloudFront S3 origins use Origin Access Control (not public buckets, website endpoints or legacy OAI).",
    controls: ["FSBP CloudFront.13", "CKV2_AWS_46", "AwsSolutions-CFR7"],
    severity: "high",
    level: "mandatory",
    remediation:
        "Create an `aws.cloudfront.OriginAccessControl` (s3, sigv4, always), set its id as the origin's `originAccessControlId` with the bucket's REST endpoint (`bucketRegionalDomainName`) as `domainName`, and grant `cloudfront.amazonaws.com` s3:GetObject in the bucket policy with `AWS:SourceArn` = the distribution's ARN.",
    resourceTypes: [...DISTRIBUTION_TYPES, CLOUDFRONT_TYPES.originAccessControl],
    check(props, ctx) {
        if (ctx.type === CLOUDFRONT_TYPES.originAccessControl) {
            return props.signingBehavior === "never" ? ['signingBehavior is "never": CloudFront does not sign origin requests, so the bucket would have to be public'] : [];
        }
        const messages: string[] = [];
        for (const o of originsOf(props, ctx.type)) {
            const domain = readKnown(() => o.value.domainName);
            const custom = present(o.value.customOriginConfig);
            const vpc = present(o.value.vpcOriginConfig);
            if (isS3WebsiteDomain(domain)) {
                messages.push(`${o.label} is an S3 website endpoint (${domain}), which needs a public bucket and cannot use Origin Access Control`);
                continue;
            }
            if (isS3RestDomain(domain) && custom) {
                messages.push(`${o.label} reaches S3 bucket ${domain} as a custom origin, so CloudFront cannot sign requests with Origin Access Control`);
                continue;
            }
            if (custom || vpc) continue;
            if (setOrUnknown(o.value, "originAccessControlId")) continue;
            const oai = readKnown(() => o.value.s3OriginConfig?.originAccessIdentity);
            messages.push(
                present(oai)
                    ? `${o.label} is an S3 origin using a legacy origin access identity instead of originAccessControlId`
                    : `${o.label} is an S3 origin without originAccessControlId`,
            );
        }
        return messages;
    },
};
