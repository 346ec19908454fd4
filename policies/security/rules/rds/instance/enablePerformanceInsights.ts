import { isSet, type ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instances and Aurora cluster members (`aws.rds.ClusterInstance`, where Aurora turns it on per instance) have
 * Performance Insights on, encrypted with a customer-managed key: `performanceInsightsEnabled: true` and
 * `performanceInsightsKmsKeyId` set.
 *
 * Severity: low. Level: advisory.
 * Controls: AWS-0133.
 */
export const rdsInstanceEnablePerformanceInsights: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-enable-performance-insights",
    description: "RDS instances have Performance Insights enabled and encrypted with a customer-managed key.",
    controls: ["AWS-0133"],
    severity: "low",
    level: "advisory",
    remediation: "Set `performanceInsightsEnabled: true` and `performanceInsightsKmsKeyId` to the database's key.",
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
    check(props) {
        const v = props.performanceInsightsEnabled;
        if (!(v === true || v === "true")) {
            return [`performanceInsightsEnabled is ${v === undefined || v === null ? "not set" : JSON.stringify(v)}: no query-level performance data`];
        }
        return isSet(props.performanceInsightsKmsKeyId) ? [] : ["performanceInsightsKmsKeyId is not set: Performance Insights data is encrypted with the AWS-managed key"];
    },
};
