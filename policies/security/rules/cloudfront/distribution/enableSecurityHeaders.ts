import type { ResourceRule } from "@groundwork/policy-kit";
import { setOrUnknown } from "@groundwork/policy-kit";
import { behavioursOf, CLOUDFRONT_TYPES, DISTRIBUTION_TYPES, present } from "../shared";

/** Shortest HSTS max-age accepted: one year, what browsers' preload lists require. */
export const MIN_HSTS_MAX_AGE_SECONDS = 31_536_000;

/**
 * Responses carry security headers: every cache behaviour of a distribution has a `responseHeadersPolicyId`,
 * and every `aws.cloudfront.ResponseHeadersPolicy` sets HSTS (`strictTransportSecurity`) for at least a year
 * and `contentTypeOptions` (nosniff).
 *
 * Severity: low. Level: advisory.
 * Controls: CKV_AWS_259.
 */
export const distributionEnableSecurityHeaders: ResourceRule = {
    kind: "resource",
    name: "aws-cloudfront-distribution-enable-security-headers",
    description: "CloudFront behaviours attach a response headers policy that sets HSTS (at least a year) and nosniff.",
    controls: ["CKV_AWS_259"],
    severity: "low",
    level: "advisory",
    remediation:
        "Attach an `aws.cloudfront.ResponseHeadersPolicy` with `securityHeadersConfig.strictTransportSecurity` (accessControlMaxAgeSec >= 31536000, includeSubdomains) and `contentTypeOptions` to every behaviour (`responseHeadersPolicyId`).",
    resourceTypes: [...DISTRIBUTION_TYPES, CLOUDFRONT_TYPES.responseHeadersPolicy],
    check(props, ctx) {
        if (ctx.type === CLOUDFRONT_TYPES.responseHeadersPolicy) {
            const sec = props.securityHeadersConfig ?? {};
            const messages: string[] = [];
            const hsts = sec.strictTransportSecurity;
            if (!present(hsts)) messages.push("securityHeadersConfig.strictTransportSecurity (HSTS) is not set");
            else if (!(Number(hsts.accessControlMaxAgeSec) >= MIN_HSTS_MAX_AGE_SECONDS)) {
                messages.push(`HSTS max-age is ${JSON.stringify(hsts.accessControlMaxAgeSec)} seconds: use at least ${MIN_HSTS_MAX_AGE_SECONDS}`);
            }
            if (!present(sec.contentTypeOptions)) messages.push("securityHeadersConfig.contentTypeOptions (nosniff) is not set");
            return messages;
        }
        return behavioursOf(props, ctx.type)
            .filter((b) => !setOrUnknown(b.value, "responseHeadersPolicyId"))
            .map((b) => `${b.label} has no responseHeadersPolicyId: responses carry no HSTS or other security headers`);
    },
};
