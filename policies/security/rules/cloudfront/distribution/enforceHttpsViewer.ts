import type { ResourceRule } from "@groundwork/policy-kit";
import { readKnown, setOrUnknown } from "@groundwork/policy-kit";
import { behavioursOf, DISTRIBUTION_TYPES } from "../shared";

/** Viewer protocol policies that keep viewers on HTTPS. */
export const HTTPS_VIEWER_POLICIES: readonly string[] = ["redirect-to-https", "https-only"];

/**
 * Every cache behaviour of a distribution, the default one and each ordered one, keeps viewers on HTTPS:
 * `viewerProtocolPolicy` is `redirect-to-https` or `https-only`, never `allow-all` (or unset).
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP CloudFront.3, CKV_AWS_34, AWS-0012.
 */
export const distributionEnforceHttpsViewer: ResourceRule = {
    kind: "resource",
    name: "aws-cloudfront-distribution-enforce-https-viewer",
    description: "Every CloudFront cache behaviour redirects HTTP to HTTPS or allows HTTPS only.",
    controls: ["FSBP CloudFront.3", "CKV_AWS_34", "AWS-0012"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `viewerProtocolPolicy: \"redirect-to-https\"` (or `\"https-only\"`) on `defaultCacheBehavior` and every `orderedCacheBehaviors` entry.",
    resourceTypes: DISTRIBUTION_TYPES,
    check(props, ctx) {
        const messages: string[] = [];
        const behaviours = behavioursOf(props, ctx.type);
        if (!behaviours.some((b) => b.label === "defaultCacheBehavior")) messages.push("defaultCacheBehavior is not set");
        for (const b of behaviours) {
            const vpp = readKnown(() => b.value.viewerProtocolPolicy);
            if (vpp === undefined && setOrUnknown(b.value, "viewerProtocolPolicy")) continue; // unknown during preview
            if (vpp === undefined || vpp === null || vpp === "") messages.push(`${b.label} has no viewerProtocolPolicy`);
            else if (!HTTPS_VIEWER_POLICIES.includes(String(vpp))) messages.push(`${b.label} has viewerProtocolPolicy ${JSON.stringify(vpp)}: viewers may use plain HTTP`);
        }
        return messages;
    },
};
