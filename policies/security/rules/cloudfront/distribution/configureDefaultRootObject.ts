import type { ResourceRule } from "@groundwork/policy-kit";
import { readKnown, setOrUnknown } from "@groundwork/policy-kit";
import { DISTRIBUTION_TYPES, isS3RestDomain, originsOf, present } from "../shared";

/**
 * A distribution whose default behaviour serves an S3 origin names a `defaultRootObject` (for example
 * `index.html`), so a request for `/` does not return the bucket listing error or an object named "".
 * Distributions whose default behaviour goes to a custom origin (an API) are not concerned.
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP CloudFront.1, CKV_AWS_305.
 */
export const distributionConfigureDefaultRootObject: ResourceRule = {
    kind: "resource",
    name: "aws-cloudfront-distribution-configure-default-root-object",
    description: "CloudFront distributions whose default behaviour serves S3 set a default root object.",
    controls: ["FSBP CloudFront.1", "CKV_AWS_305"],
    severity: "low",
    level: "advisory",
    remediation: "Set `defaultRootObject` (for example \"index.html\").",
    resourceTypes: DISTRIBUTION_TYPES,
    check(props, ctx) {
        const target = props.defaultCacheBehavior?.targetOriginId;
        const origin = originsOf(props, ctx.type).find((o) => o.value.originId === target);
        if (!origin) return [];
        const custom = present(origin.value.customOriginConfig) || present(origin.value.vpcOriginConfig);
        const domain = readKnown(() => origin.value.domainName);
        const s3 = isS3RestDomain(domain) || !custom;
        if (!s3 || setOrUnknown(props, "defaultRootObject")) return [];
        return [`the default behaviour serves S3 ${origin.label} but defaultRootObject is not set`];
    },
};
