import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * ElastiCache replication groups encrypt data at rest: `atRestEncryptionEnabled: true` (unset means off for Redis).
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP ElastiCache.4, CKV_AWS_29, AWS-0045, AwsSolutions-AEC3.
 */
export const replicationGroupEnableAtRestEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-replicationgroup-enable-at-rest-encryption",
    description: "ElastiCache replication groups encrypt data at rest.",
    controls: ["FSBP ElastiCache.4", "CKV_AWS_29", "AWS-0045", "AwsSolutions-AEC3"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `atRestEncryptionEnabled: true` with `kmsKeyId` set to a customer-managed key (chosen at creation).",
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check(props) {
        const v = props.atRestEncryptionEnabled;
        if (v === true || v === "true") return [];
        return [`atRestEncryptionEnabled is ${v === undefined || v === null ? "not set" : JSON.stringify(v)}: data and snapshots are not encrypted at rest`];
    },
};
