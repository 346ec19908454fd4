import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * ElastiCache replication groups take minor engine upgrades automatically: `autoMinorVersionUpgrade` is not false.
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP ElastiCache.2.
 */
export const replicationGroupEnableAutoMinorUpgrade: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-replicationgroup-enable-auto-minor-upgrade",
    description: "ElastiCache replication groups apply minor engine versions automatically.",
    controls: ["FSBP ElastiCache.2"],
    severity: "low",
    level: "advisory",
    remediation: "Set `autoMinorVersionUpgrade: true` (or leave it unset).",
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check(props) {
        return props.autoMinorVersionUpgrade === false || props.autoMinorVersionUpgrade === "false"
            ? ["autoMinorVersionUpgrade is false: engine security patches are not applied"]
            : [];
    },
};
