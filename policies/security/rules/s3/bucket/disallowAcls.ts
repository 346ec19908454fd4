import type { StackFinding, StackRule } from "@groundwork/policy-kit";
import { readKnown } from "@groundwork/policy-kit";
import { bucketLabel, bucketsOf, configsOf, S3_TYPES } from "../shared";

/**
 * Every S3 bucket disables ACLs: an `aws.s3.BucketOwnershipControls` referring to it with objectOwnership
 * `BucketOwnerEnforced`, so access is governed by policies alone. (Log delivery that needs ACLs, such as
 * CloudFront standard logging legacy, is the reason to exempt a bucket; standard logging v2 needs none.)
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP S3.12.
 */
export const bucketDisallowAcls: StackRule = {
    kind: "stack",
    name: "aws-s3-bucket-disallow-acls",
    description: "Every S3 bucket has ownership controls BucketOwnerEnforced (ACLs disabled).",
    controls: ["FSBP S3.12"],
    severity: "low",
    level: "advisory",
    remediation: "Add an `aws.s3.BucketOwnershipControls` with `rule: { objectOwnership: \"BucketOwnerEnforced\" }`.",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const b of bucketsOf(resources)) {
            const configs = configsOf(b, [S3_TYPES.ownershipControls], resources);
            const owners = configs.map((c) => readKnown(() => c.props.rule?.objectOwnership) ?? "BucketOwnerEnforced");
            if (owners.includes("BucketOwnerEnforced")) continue;
            findings.push({
                urn: b.urn,
                message: owners.length === 0 ? `${bucketLabel(b)} has no ownership controls, so ACLs may be used` : `${bucketLabel(b)} has objectOwnership ${owners.join(", ")}: ACLs are enabled`,
            });
        }
        return findings;
    },
};
