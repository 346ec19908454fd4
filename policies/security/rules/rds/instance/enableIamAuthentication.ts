import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instances and Aurora / Multi-AZ DB clusters (the setting is the cluster's, not its members') accept IAM
 * database authentication: `iamDatabaseAuthenticationEnabled: true` (unset means off).
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP RDS.10, CKV_AWS_161, AWS-0176, AwsSolutions-RDS6.
 */
export const rdsInstanceEnableIamAuthentication: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-enable-iam-authentication",
    description: "RDS instances accept IAM database authentication, so workloads need no long-lived passwords.",
    controls: ["FSBP RDS.10", "CKV_AWS_161", "AWS-0176", "AwsSolutions-RDS6"],
    severity: "low",
    level: "advisory",
    remediation: "Set `iamDatabaseAuthenticationEnabled: true` and grant `rds-db:connect` per database user (`Database.grantConnect`).",
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    check(props) {
        const v = props.iamDatabaseAuthenticationEnabled;
        if (v === true || v === "true") return [];
        return [`iamDatabaseAuthenticationEnabled is ${v === undefined || v === null ? "not set" : JSON.stringify(v)}: only passwords can authenticate`];
    },
};
