import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instances, Aurora cluster members (`aws.rds.ClusterInstance`) and Multi-AZ DB clusters take minor engine upgrades
 * automatically: `autoMinorVersionUpgrade` is not false (AWS's default is on).
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP RDS.13, CIS 2.2.2, CKV_AWS_226.
 */
export const rdsInstanceEnableAutoMinorUpgrade: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-enable-auto-minor-upgrade",
    description: "RDS instances apply minor engine versions automatically in the maintenance window.",
    controls: ["FSBP RDS.13", "CIS 2.2.2", "CKV_AWS_226"],
    severity: "low",
    level: "advisory",
    remediation: "Set `autoMinorVersionUpgrade: true` (or leave it unset).",
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance", "aws:rds/cluster:Cluster"],
    check(props) {
        return props.autoMinorVersionUpgrade === false || props.autoMinorVersionUpgrade === "false"
            ? ["autoMinorVersionUpgrade is false: security patches of the engine are not applied"]
            : [];
    },
};
