import type { ResourceRule } from "@groundwork/policy-kit";

/** Admin user names attackers try first: engine and RDS defaults. */
export const DEFAULT_ADMIN_USERNAMES: readonly string[] = ["postgres", "admin", "administrator", "root", "master", "rdsadmin", "sa"];

/**
 * RDS instances use a custom admin user name: `username` (`masterUsername` on an Aurora or Multi-AZ DB cluster) set and
 * not one of {@link DEFAULT_ADMIN_USERNAMES} (case-insensitive). Replicas, restores from a snapshot and secondary
 * clusters of a global database inherit the user and pass.
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP RDS.25, AwsSolutions-RDS11.
 */
export const rdsInstanceDisallowDefaultUsername: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-disallow-default-username",
    description: "RDS instances use a custom administrator user name.",
    controls: ["FSBP RDS.25", "AwsSolutions-RDS11"],
    severity: "low",
    level: "advisory",
    remediation: "Set `username` to a non-default name such as `groundwork_admin`.",
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    check(props, ctx) {
        if (props.replicateSourceDb || props.snapshotIdentifier || props.replicationSourceIdentifier) return [];
        const field = ctx.type === "aws:rds/cluster:Cluster" ? "masterUsername" : "username";
        const u = props[field];
        // A secondary cluster of a global database takes the primary's user and may not set one.
        if ((typeof u !== "string" || u === "") && props.globalClusterIdentifier) return [];
        if (typeof u !== "string" || u === "") return [`${field} is not set: the admin user name is not chosen`];
        return DEFAULT_ADMIN_USERNAMES.includes(u.toLowerCase()) ? [`${field} is '${u}': a default admin user name`] : [];
    },
};
