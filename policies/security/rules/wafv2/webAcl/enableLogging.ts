import type { StackFinding, StackRule } from "@groundwork/policy-kit";
import { refersTo } from "@groundwork/policy-kit";

/** Pulumi type tokens the wafv2 rules look at. */
export const WAFV2_TYPES = {
    webAcl: "aws:wafv2/webAcl:WebAcl",
    loggingConfiguration: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
} as const;

/**
 * Every WAFv2 web ACL logs the requests it inspects: an `aws.wafv2.WebAclLoggingConfiguration` whose
 * `resourceArn` is the web ACL (matched by ARN when known, by dependency otherwise). Without logs a block
 * cannot be explained nor an attack investigated.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP WAF.11, CKV2_AWS_31 (the Security Hub and Checkov ids of WAF logging).
 */
export const webAclEnableLogging: StackRule = {
    kind: "stack",
    name: "aws-wafv2-webacl-enable-logging",
    description: "Every WAFv2 web ACL has a logging configuration.",
    controls: ["FSBP WAF.11", "CKV2_AWS_31"],
    severity: "medium",
    level: "mandatory",
    remediation:
        "Add an `aws.wafv2.WebAclLoggingConfiguration` with `resourceArn: <webAcl>.arn` and a destination (a CloudWatch log group named `aws-waf-logs-*` with retention, in the web ACL's region), redacting the authorization header.",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const acl of resources.filter((r) => r.type === WAFV2_TYPES.webAcl)) {
            const logged = resources.some((c) => c.type === WAFV2_TYPES.loggingConfiguration && refersTo(c, () => c.props.resourceArn, acl, [() => acl.props.arn]));
            if (!logged) findings.push({ urn: acl.urn, message: `web ACL '${acl.name}' has no logging configuration` });
        }
        return findings;
    },
};
