import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instance storage is encrypted: `storageEncrypted: true` (unset means unencrypted). Read replicas inherit
 * encryption from their source and pass.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP RDS.3, CIS 2.2.1, CKV_AWS_16, AWS-0080, AwsSolutions-RDS2.
 */
export const rdsInstanceEnableStorageEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-enable-storage-encryption",
    description: "RDS instance storage is encrypted at rest.",
    controls: ["FSBP RDS.3", "CIS 2.2.1", "CKV_AWS_16", "AWS-0080", "AwsSolutions-RDS2"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `storageEncrypted: true` with `kmsKeyId` set to a customer-managed key (encryption can only be chosen at creation).",
    resourceTypes: ["aws:rds/instance:Instance"],
    check(props) {
        if (props.replicateSourceDb) return [];
        const v = props.storageEncrypted;
        if (v === true || v === "true") return [];
        if (v === undefined || v === null) return ["storageEncrypted is not set: storage is not encrypted"];
        return [`storageEncrypted is ${JSON.stringify(v)}: storage is not encrypted`];
    },
};
