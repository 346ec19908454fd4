import type { StackFinding, StackRule } from "@groundwork/policy-kit";
import { readKnown } from "@groundwork/policy-kit";
import { bucketLabel, bucketsOf, configsOf, S3_TYPES } from "../shared";

/**
 * Every S3 bucket has a bucket policy (an `aws.s3.BucketPolicy` referring to it, or the deprecated inline
 * `policy`), which `aws-s3-bucketpolicy-enforce-tls` then checks for the TLS deny. Without a policy, nothing
 * refuses plain-HTTP requests.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP S3.5, CIS 2.1.1, AwsSolutions-S10.
 */
export const bucketMissingTlsPolicy: StackRule = {
    kind: "stack",
    name: "aws-s3-bucket-missing-tls-policy",
    description: "Every S3 bucket has a bucket policy (which must deny requests without TLS).",
    controls: ["FSBP S3.5", "CIS 2.1.1", "AwsSolutions-S10"],
    severity: "high",
    level: "mandatory",
    remediation: "Add an `aws.s3.BucketPolicy` for the bucket whose first statement denies `s3:*` to Principal \"*\" when `aws:SecureTransport` is false.",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const b of bucketsOf(resources)) {
            const inline = readKnown(() => b.props.policy);
            if (inline !== undefined && inline !== null && inline !== "") continue;
            if (configsOf(b, [S3_TYPES.bucketPolicy], resources).length > 0) continue;
            findings.push({ urn: b.urn, message: `${bucketLabel(b)} has no bucket policy, so requests without TLS are not denied` });
        }
        return findings;
    },
};
