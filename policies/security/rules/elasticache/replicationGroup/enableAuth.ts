import { asArray, type ResourceRule } from "@groundwork/policy-kit";

/**
 * ElastiCache replication groups authenticate clients: an AUTH token (`authToken` or `authTokenWo`) or an RBAC user
 * group (`userGroupIds` not empty).
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
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check(props) {
        const present = (v: unknown) => v !== undefined && v !== null && v !== "";
        if (present(props.authToken) || present(props.authTokenWo)) return [];
        if (asArray(props.userGroupIds).some(present)) return [];
        return ["neither authToken nor userGroupIds is set: any client that reaches the port can run commands"];
    },
};
