import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instance storage is encrypted: `storageEncrypted: true` (unset means unencrypted). Read replicas inherit
 * encryption from their source and pass. Aurora and Multi-AZ DB clusters (`aws.rds.Cluster`) hold the storage of
 * their members, so the cluster is judged the same way (its members' `aws.rds.ClusterInstance` have no setting of
 * their own); only Aurora Serverless v1 (`engineMode: "serverless"`), always encrypted by AWS, passes unset. A global
 * database (`aws.rds.GlobalCluster`) created empty is judged by its own `storageEncrypted`; one built from an existing
 * cluster (`sourceDbClusterIdentifier`) inherits that cluster's encryption.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP RDS.3, CIS 2.2.1, CKV_AWS_16, AWS-0080, AwsSolutions-RDS2.
 */
export const rdsInstanceEnableStorageEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-enable-storage-encryption",
    description: "RDS instance and cluster (Aurora, Multi-AZ DB cluster) storage is encrypted at rest.",
    controls: ["FSBP RDS.3", "CIS 2.2.1", "CKV_AWS_16", "AWS-0080", "AwsSolutions-RDS2"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `storageEncrypted: true` with `kmsKeyId` set to a customer-managed key (encryption can only be chosen at creation).",
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:rds/globalCluster:GlobalCluster"],
    check(props, ctx) {
        // Replicas and a global cluster built from an existing cluster inherit the source's encryption, judged there.
        if (props.replicateSourceDb || props.sourceDbClusterIdentifier) return [];
        if (ctx.type === "aws:rds/cluster:Cluster" && props.engineMode === "serverless") return [];
        const v = props.storageEncrypted;
        if (v === true || v === "true") return [];
        if (v === undefined || v === null) return ["storageEncrypted is not set: storage is not encrypted"];
        return [`storageEncrypted is ${JSON.stringify(v)}: storage is not encrypted`];
    },
};
