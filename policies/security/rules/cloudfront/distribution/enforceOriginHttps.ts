import { asArray, type ResourceRule } from "@groundwork/policy-kit";
import { DISTRIBUTION_TYPES, originsOf, present } from "../shared";

/** SSL/TLS versions CloudFront must not use to an origin. */
export const WEAK_ORIGIN_PROTOCOLS: readonly string[] = ["SSLv3", "TLSv1", "TLSv1.1"];

/**
 * CloudFront talks to custom origins over HTTPS only with TLS 1.2: every `customOriginConfig` has
 * `originProtocolPolicy: "https-only"` (not `http-only` or `match-viewer`) and `originSslProtocols` without
 * SSLv3, TLSv1 or TLSv1.1. S3 origins (signed with OAC over HTTPS) and VPC origins are not custom origins.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP CloudFront.9, FSBP CloudFront.10, CKV2_AWS_72, AwsSolutions-CFR5.
 */
export const distributionEnforceOriginHttps: ResourceRule = {
    kind: "resource",
    name: "aws-cloudfront-distribution-enforce-origin-https",
    description: "CloudFront custom origins are reached over HTTPS only, with TLS 1.2 and no SSLv3/TLSv1/TLSv1.1.",
    controls: ["FSBP CloudFront.9", "FSBP CloudFront.10", "CKV2_AWS_72", "AwsSolutions-CFR5"],
    severity: "high",
    level: "mandatory",
    remediation: "Set the origin's `customOriginConfig` to `originProtocolPolicy: \"https-only\"` and `originSslProtocols: [\"TLSv1.2\"]`, with a certificate on the origin valid for its domain name.",
    resourceTypes: DISTRIBUTION_TYPES,
    check(props, ctx) {
        const messages: string[] = [];
        for (const o of originsOf(props, ctx.type)) {
            const c = o.value.customOriginConfig;
            if (!present(c) || typeof c !== "object") continue;
            const policy = c.originProtocolPolicy;
            if (policy !== "https-only") {
                messages.push(`${o.label} has originProtocolPolicy ${present(policy) ? JSON.stringify(policy) : "not set"}: CloudFront may reach it over plain HTTP`);
            }
            const protocols = asArray<string>(c.originSslProtocols);
            const weak = protocols.filter((p) => WEAK_ORIGIN_PROTOCOLS.includes(p));
            if (protocols.length === 0) messages.push(`${o.label} has no originSslProtocols`);
            else if (weak.length > 0) messages.push(`${o.label} allows ${weak.join(", ")} in originSslProtocols`);
        }
        return messages;
    },
};
