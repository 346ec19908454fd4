import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * ElastiCache replication groups require TLS: `transitEncryptionEnabled: true`, and `transitEncryptionMode` unset
 * or `"required"`. With transit encryption enabled, AWS creates a group in mode `required` unless told otherwise;
 * only `preferred` (the step of a migration to TLS) still accepts plaintext clients, so only `preferred` is
 * reported. Enabled `false` or absent is reported. The check reads the program's inputs: on an existing group,
 * dropping `transitEncryptionMode` from the program leaves the group's current mode as it is (the provider does not
 * reset an unset mode), so a group migrated through `preferred` sets `"required"` explicitly.
 *
 * Node clusters outside a replication group (`aws.elasticache.Cluster`: Memcached, or a single Redis/Valkey node)
 * are judged by the same `transitEncryptionEnabled` (they have no mode); a Cluster that joins a replication group
 * (`replicationGroupId`) takes the group's setting and is judged on the group.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP ElastiCache.5, CKV_AWS_30, AWS-0051, AwsSolutions-AEC3.
 */
export const replicationGroupEnableTransitEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-replicationgroup-enable-transit-encryption",
    description: "ElastiCache replication groups and standalone cache clusters require TLS for every connection: transit encryption enabled, and its mode not `preferred`.",
    controls: ["FSBP ElastiCache.5", "CKV_AWS_30", "AWS-0051", "AwsSolutions-AEC3"],
    severity: "high",
    level: "mandatory",
    remediation: 'Set `transitEncryptionEnabled: true`, and leave `transitEncryptionMode` unset (AWS\'s default, `required`) or set it to `"required"`.',
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/cluster:Cluster"],
    check(props, ctx) {
        if (ctx.type === "aws:elasticache/cluster:Cluster" && props.replicationGroupId) return [];
        const v = props.transitEncryptionEnabled;
        if (!(v === true || v === "true")) {
            return [`transitEncryptionEnabled is ${v === undefined || v === null ? "not set" : JSON.stringify(v)}: clients connect in plaintext`];
        }
        if (props.transitEncryptionMode === "preferred") return ['transitEncryptionMode is "preferred": plaintext connections are not refused'];
        return [];
    },
};
