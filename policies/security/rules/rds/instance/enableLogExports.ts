import { asArray, type ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instances and Aurora / Multi-AZ DB clusters (`aws.rds.Cluster`, which exports for its members) export their
 * logs to CloudWatch Logs: `enabledCloudwatchLogsExports` is not empty and, for PostgreSQL (`engine` containing
 * `postgres`, as `aurora-postgresql` does, or unset), includes `postgresql`.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP RDS.9, CKV_AWS_129.
 */
export const rdsInstanceEnableLogExports: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-enable-log-exports",
    description: "RDS instances export their database logs to CloudWatch Logs (PostgreSQL: the postgresql log).",
    controls: ["FSBP RDS.9", "CKV_AWS_129"],
    severity: "medium",
    level: "mandatory",
    remediation: 'Set `enabledCloudwatchLogsExports: ["postgresql", "upgrade"]` and create the `/aws/rds/instance/<id>/<log>` log groups with retention.',
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    check(props) {
        const exports = asArray<string>(props.enabledCloudwatchLogsExports);
        const postgres = props.engine === undefined || props.engine === null || String(props.engine).includes("postgres");
        if (exports.length === 0) return ["enabledCloudwatchLogsExports is not set: database logs stay on the instance"];
        if (postgres && !exports.includes("postgresql")) {
            return [`enabledCloudwatchLogsExports is ${JSON.stringify(exports)}: the postgresql log is not exported`];
        }
        return [];
    },
};
