import { asArray, type ResourceRule } from "@groundwork/policy-kit";

/**
 * ElastiCache replication groups authenticate clients: an AUTH token (`authToken` or `authTokenWo`) or an RBAC user
 * group (`userGroupIds` not empty). A user group only authenticates if its users need credentials, so an
 * `aws.elasticache.User` that is enabled (its `accessString` starts with `on`) and needs no password
 * (`noPasswordRequired: true`, or `authenticationMode.type` `no-password-required`) is reported too: any client
 * that reaches the port can sign in as it.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP ElastiCache.6, CKV_AWS_31, AwsSolutions-AEC6.
 */
export const replicationGroupEnableAuth: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-replicationgroup-enable-auth",
    description: "ElastiCache replication groups require authentication (RBAC user group or AUTH token).",
    controls: ["FSBP ElastiCache.6", "CKV_AWS_31", "AwsSolutions-AEC6"],
    severity: "high",
    level: "mandatory",
    remediation: "Attach a user group (`userGroupIds`) whose `default` user is disabled, preferably with IAM-authenticated users, or set a generated `authToken`.",
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/user:User"],
    check(props, ctx) {
        if (ctx.type === "aws:elasticache/user:User") {
            const enabled = typeof props.accessString !== "string" || /^\s*on\b/.test(props.accessString);
            const noPassword = props.noPasswordRequired === true || props.noPasswordRequired === "true" || props.authenticationMode?.type === "no-password-required";
            if (!enabled || !noPassword) return [];
            return [`user '${typeof props.userName === "string" ? props.userName : ctx.name}' needs no password and its accessString is on: any client that reaches the port can sign in as it`];
        }
        const present = (v: unknown) => v !== undefined && v !== null && v !== "";
        if (present(props.authToken) || present(props.authTokenWo)) return [];
        if (asArray(props.userGroupIds).some(present)) return [];
        return ["neither authToken nor userGroupIds is set: any client that reaches the port can run commands"];
    },
};
