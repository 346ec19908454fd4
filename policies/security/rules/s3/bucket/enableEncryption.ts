import type { StackFinding, StackRule } from "@groundwork/policy-kit";
import { readKnown } from "@groundwork/policy-kit";
import { bucketLabel, bucketsOf, configsOf, S3_TYPES } from "../shared";

/**
 * Every S3 bucket states its default encryption: an `aws.s3.BucketServerSideEncryptionConfiguration` referring
 * to it (or the deprecated inline `serverSideEncryptionConfiguration`). S3 encrypts new objects with SSE-S3 even
 * without one; stating it keeps the choice (SSE-S3 or SSE-KMS with a bucket key) visible and reviewable.
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP S3.17, CKV_AWS_145, AWS-0088.
 */
export const bucketEnableEncryption: StackRule = {
    kind: "stack",
    name: "aws-s3-bucket-enable-encryption",
    description: "Every S3 bucket has an explicit default encryption configuration.",
    controls: ["FSBP S3.17", "CKV_AWS_145", "AWS-0088"],
    severity: "low",
    level: "advisory",
    remediation: "Add an `aws.s3.BucketServerSideEncryptionConfiguration` (`aws:kms` with a customer-managed key and `bucketKeyEnabled`, or `AES256`).",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const b of bucketsOf(resources)) {
            if (readKnown(() => b.props.serverSideEncryptionConfiguration?.rule ?? b.props.serverSideEncryptionConfiguration?.rules)) continue;
            if (configsOf(b, [S3_TYPES.encryption, S3_TYPES.encryptionV2], resources).length > 0) continue;
            findings.push({ urn: b.urn, message: `${bucketLabel(b)} has no server-side encryption configuration` });
        }
        return findings;
    },
};
