import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * ElastiCache replication groups keep automatic snapshots: `snapshotRetentionLimit` > 0 (unset means none).
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP ElastiCache.1, CKV_AWS_134, AWS-0050.
 */
export const replicationGroupEnableSnapshots: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-replicationgroup-enable-snapshots",
    description: "ElastiCache replication groups keep automatic snapshots.",
    controls: ["FSBP ElastiCache.1", "CKV_AWS_134", "AWS-0050"],
    severity: "low",
    level: "advisory",
    remediation: "Set `snapshotRetentionLimit` to 1-35 days (the Cache component's `snapshotRetentionDays`; prod keeps 7).",
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check(props) {
        const v = props.snapshotRetentionLimit;
        if (v === undefined || v === null || v === "") return ["snapshotRetentionLimit is not set: no automatic snapshots"];
        return Number(v) > 0 ? [] : [`snapshotRetentionLimit is ${JSON.stringify(v)}: no automatic snapshots`];
    },
};
