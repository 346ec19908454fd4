import type { ResourceRule } from "@groundwork/policy-kit";

/** Fewest days of automated backups an RDS instance keeps (mandatory in every tier). */
export const MIN_BACKUP_RETENTION_DAYS = 7;

/**
 * RDS instances keep automated backups at least {@link MIN_BACKUP_RETENTION_DAYS} days: `backupRetentionPeriod`
 * set and >= 7 in every tier (unset leaves the engine default of 1 day through the API; 0 turns backups off).
 * Read replicas (`replicateSourceDb`) are backed up by their source and pass.
 *
 * Aurora and Multi-AZ DB clusters (`aws.rds.Cluster`) carry the same argument and are judged the same way.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP RDS.11, CKV_AWS_133, AWS-0077, AwsSolutions-RDS13.
 */
export const rdsInstanceConfigureBackupRetention: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-configure-backup-retention",
    description: `RDS instances keep automated backups at least ${MIN_BACKUP_RETENTION_DAYS} days.`,
    controls: ["FSBP RDS.11", "CKV_AWS_133", "AWS-0077", "AwsSolutions-RDS13"],
    severity: "medium",
    level: "mandatory",
    remediation: `Set \`backupRetentionPeriod\` to ${MIN_BACKUP_RETENTION_DAYS} or more (at most 35).`,
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    check(props) {
        if (props.replicateSourceDb) return [];
        const v = props.backupRetentionPeriod;
        if (v === undefined || v === null || v === "") return [`backupRetentionPeriod is not set: fewer than ${MIN_BACKUP_RETENTION_DAYS} days of backups`];
        const days = Number(v);
        if (!Number.isFinite(days)) return [`backupRetentionPeriod is ${JSON.stringify(v)}: not a number of days`];
        if (days === 0) return ["backupRetentionPeriod is 0: automated backups are off"];
        if (days < MIN_BACKUP_RETENTION_DAYS) return [`backupRetentionPeriod is ${days}: fewer than ${MIN_BACKUP_RETENTION_DAYS} days of backups`];
        return [];
    },
};
