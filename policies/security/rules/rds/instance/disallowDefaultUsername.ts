import type { ResourceRule } from "@groundwork/policy-kit";

/** Admin user names attackers try first: engine and RDS defaults. */
export const DEFAULT_ADMIN_USERNAMES: readonly string[] = ["postgres", "admin", "administrator", "root", "master", "rdsadmin", "sa"];

/**
 * RDS instances use a custom admin user name: `username` set and not one of {@link DEFAULT_ADMIN_USERNAMES}
 * (case-insensitive). Replicas and restores from a snapshot inherit the user and pass.
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
    resourceTypes: ["aws:rds/instance:Instance"],
    check(props) {
        if (props.replicateSourceDb || props.snapshotIdentifier) return [];
        const u = props.username;
        if (typeof u !== "string" || u === "") return ["username is not set: the admin user name is not chosen"];
        return DEFAULT_ADMIN_USERNAMES.includes(u.toLowerCase()) ? [`username is '${u}': a default admin user name`] : [];
    },
};
