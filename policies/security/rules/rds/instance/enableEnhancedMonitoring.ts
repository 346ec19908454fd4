import { isSet, type ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instances and Aurora cluster members (`aws.rds.ClusterInstance`) have enhanced monitoring: `monitoringInterval`
 * > 0 with a `monitoringRoleArn`.
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP RDS.6, CKV_AWS_118.
 */
export const rdsInstanceEnableEnhancedMonitoring: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-enable-enhanced-monitoring",
    description: "RDS instances publish enhanced (OS-level) monitoring metrics.",
    controls: ["FSBP RDS.6", "CKV_AWS_118"],
    severity: "low",
    level: "advisory",
    remediation: "Set `monitoringInterval` (for example 60) and `monitoringRoleArn` to a role with AmazonRDSEnhancedMonitoringRole.",
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
    check(props) {
        const interval = Number(props.monitoringInterval ?? 0);
        if (!(interval > 0)) return [`monitoringInterval is ${props.monitoringInterval === undefined || props.monitoringInterval === null ? "not set" : JSON.stringify(props.monitoringInterval)}: enhanced monitoring is off`];
        return isSet(props.monitoringRoleArn) ? [] : ["monitoringRoleArn is not set: enhanced monitoring cannot publish"];
    },
};
