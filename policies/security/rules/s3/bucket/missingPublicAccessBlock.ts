import type { StackFinding, StackRule } from "@groundwork/policy-kit";
import { bucketLabel, bucketsOf, configsOf, S3_TYPES } from "../shared";

/**
 * Every S3 bucket has its own `aws.s3.BucketPublicAccessBlock` (whose flags the
 * `aws-s3-bucketpublicaccessblock-enable-all-flags` rule checks). A bucket without one relies on the account
 * setting, which this program does not control. Matched by bucket name when known, by dependency otherwise.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP S3.8, CIS 2.1.4, CKV2_AWS_6, AWS-0094, AwsSolutions-S2.
 */
export const bucketMissingPublicAccessBlock: StackRule = {
    kind: "stack",
    name: "aws-s3-bucket-missing-public-access-block",
    description: "Every S3 bucket has a BucketPublicAccessBlock.",
    controls: ["FSBP S3.8", "CIS 2.1.4", "CKV2_AWS_6", "AWS-0094", "AwsSolutions-S2"],
    severity: "high",
    level: "mandatory",
    remediation: "Add an `aws.s3.BucketPublicAccessBlock` with `bucket: <bucket>.id` and all four flags true.",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const b of bucketsOf(resources)) {
            if (configsOf(b, [S3_TYPES.publicAccessBlock], resources).length === 0) {
                findings.push({ urn: b.urn, message: `${bucketLabel(b)} has no BucketPublicAccessBlock` });
            }
        }
        return findings;
    },
};
