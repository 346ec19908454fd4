import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * ElastiCache replication groups require TLS: `transitEncryptionEnabled: true` and `transitEncryptionMode: "required"`
 * (`preferred` still accepts plaintext clients; unset is reported so the mode is stated, not inferred).
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP ElastiCache.5, CKV_AWS_30, AWS-0051, AwsSolutions-AEC3.
 */
export const replicationGroupEnableTransitEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-replicationgroup-enable-transit-encryption",
    description: "ElastiCache replication groups require TLS for every connection.",
    controls: ["FSBP ElastiCache.5", "CKV_AWS_30", "AWS-0051", "AwsSolutions-AEC3"],
    severity: "high",
    level: "mandatory",
    remediation: 'Set `transitEncryptionEnabled: true` and `transitEncryptionMode: "required"`.',
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check(props) {
        const v = props.transitEncryptionEnabled;
        if (!(v === true || v === "true")) {
            return [`transitEncryptionEnabled is ${v === undefined || v === null ? "not set" : JSON.stringify(v)}: clients connect in plaintext`];
        }
        const mode = props.transitEncryptionMode;
        if (mode === "required") return [];
        return [`transitEncryptionMode is ${mode === undefined || mode === null ? "not set" : JSON.stringify(mode)}: plaintext connections are not refused`];
    },
};
