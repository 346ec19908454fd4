import type { StackFinding, StackRule } from "@groundwork/policy-kit";
import { readKnown } from "@groundwork/policy-kit";
import { bucketLabel, bucketsOf, configsOf, S3_TYPES } from "../shared";

/**
 * Every S3 bucket keeps object versions, so an overwrite or delete can be undone: an `aws.s3.BucketVersioning`
 * referring to it with status `Enabled` (or the deprecated inline `versioning.enabled`). Pair it with a
 * lifecycle rule expiring noncurrent versions.
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP S3.14, CKV_AWS_21, AWS-0090.
 */
export const bucketEnableVersioning: StackRule = {
    kind: "stack",
    name: "aws-s3-bucket-enable-versioning",
    description: "Every S3 bucket has versioning enabled.",
    controls: ["FSBP S3.14", "CKV_AWS_21", "AWS-0090"],
    severity: "low",
    level: "advisory",
    remediation: "Add an `aws.s3.BucketVersioning` with `versioningConfiguration: { status: \"Enabled\" }` and a lifecycle rule expiring noncurrent versions.",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const b of bucketsOf(resources)) {
            if (readKnown(() => b.props.versioning?.enabled) === true) continue;
            const configs = configsOf(b, [S3_TYPES.versioning, S3_TYPES.versioningV2], resources);
            const statuses = configs.map((c) => readKnown(() => c.props.versioningConfiguration?.status) ?? "Enabled");
            if (statuses.includes("Enabled")) continue;
            findings.push({
                urn: b.urn,
                message: statuses.length === 0 ? `${bucketLabel(b)} has no versioning configuration` : `${bucketLabel(b)} has versioning ${statuses.join(", ")}, not Enabled`,
            });
        }
        return findings;
    },
};
