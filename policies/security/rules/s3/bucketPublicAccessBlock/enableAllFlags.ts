import type { ResourceRule } from "@groundwork/policy-kit";
import { S3_TYPES } from "../shared";

/** The four Block Public Access flags. */
export const PUBLIC_ACCESS_BLOCK_FLAGS = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"] as const;

/**
 * Block Public Access is complete: a bucket's (or the account's) public access block sets all four flags,
 * `blockPublicAcls`, `blockPublicPolicy`, `ignorePublicAcls` and `restrictPublicBuckets`, to true. An unset
 * flag is false. An access point (`aws.s3.AccessPoint`) carries its own block in `publicAccessBlockConfiguration`,
 * where AWS turns every flag on unless it is set to false, so only a flag set to false fails there.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP S3.1, FSBP S3.8, CIS 2.1.4, CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56, AWS-0086, AWS-0087, AWS-0091, AWS-0093, AwsSolutions-S2.
 */
export const bucketPublicAccessBlockEnableAllFlags: ResourceRule = {
    kind: "resource",
    name: "aws-s3-bucketpublicaccessblock-enable-all-flags",
    description: "S3 public access blocks set all four Block Public Access flags to true.",
    controls: [
        "FSBP S3.1",
        "FSBP S3.8",
        "CIS 2.1.4",
        "CKV_AWS_53",
        "CKV_AWS_54",
        "CKV_AWS_55",
        "CKV_AWS_56",
        "AWS-0086",
        "AWS-0087",
        "AWS-0091",
        "AWS-0093",
        "AwsSolutions-S2",
    ],
    severity: "high",
    level: "mandatory",
    remediation: "Set `blockPublicAcls`, `blockPublicPolicy`, `ignorePublicAcls` and `restrictPublicBuckets` to true; serve public content through CloudFront with Origin Access Control.",
    resourceTypes: [S3_TYPES.publicAccessBlock, S3_TYPES.accountPublicAccessBlock, S3_TYPES.accessPoint],
    check(props, ctx) {
        if (ctx.type === S3_TYPES.accessPoint) {
            const block = props.publicAccessBlockConfiguration ?? {};
            const off = PUBLIC_ACCESS_BLOCK_FLAGS.filter((f) => block[f] === false || block[f] === "false");
            return off.length === 0 ? [] : [`publicAccessBlockConfiguration: ${off.join(", ")} ${off.length === 1 ? "is" : "are"} false`];
        }
        const off = PUBLIC_ACCESS_BLOCK_FLAGS.filter((f) => props[f] !== true && props[f] !== "true");
        if (off.length === 0) return [];
        return [`${off.join(", ")} ${off.length === 1 ? "is" : "are"} not true`];
    },
};
