import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, encryptedProblem, isTrue, show } from "../shared";

/**
 * EBS volumes are encrypted (`encrypted: true`); unset counts as unencrypted. Account-level encryption by
 * default is not taken into account for a volume (it is invisible to a single resource), but switching it off is
 * itself a violation: an `aws.ebs.EncryptionByDefault` with `enabled: false` (unset means true). Snapshot copies
 * (`aws.ebs.SnapshotCopy`) must ask for encryption (`encrypted: true`): a copy of an unencrypted snapshot stays
 * unencrypted otherwise; so must AMI copies (`aws.ec2.AmiCopy`) and disk-image imports (`aws.ebs.SnapshotImport`).
 * (`aws.ebs.VolumeCopy` has no encryption argument: the copy follows its source volume.)
 * A customer-managed key (CKV_AWS_189) is not required.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP EC2.3, FSBP EC2.7, CIS 5.1.1, CKV_AWS_106, AWS-0026, AwsSolutions-EC26.
 */
export const volumeEnableEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-volume-enable-encryption",
    description: "EBS volumes, snapshot copies and imports, and AMI copies are encrypted, and EBS encryption by default is not switched off.",
    controls: ["FSBP EC2.3", "FSBP EC2.7", "CIS 5.1.1", "CKV_AWS_106", "AWS-0026", "AwsSolutions-EC26"],
    severity: "medium",
    level: "mandatory",
    remediation:
        "Set `encrypted: true` on volumes and snapshot copies (and `kmsKeyId` to a customer-managed key where the data is sensitive); leave `aws.ebs.EncryptionByDefault` enabled.",
    resourceTypes: [EC2_TYPES.volume, EC2_TYPES.snapshotCopy, EC2_TYPES.encryptionByDefault, EC2_TYPES.amiCopy, EC2_TYPES.snapshotImport],
    check(props, ctx) {
        if (ctx.type === EC2_TYPES.encryptionByDefault) {
            const v = props.enabled;
            if (v === undefined || v === null || isTrue(v)) return [];
            return [`enabled is ${show(v)}: EBS encryption by default is switched off for the account in this region, so new volumes and snapshot copies are unencrypted unless each asks`];
        }
        const copies: Record<string, string> = {
            [EC2_TYPES.snapshotCopy]: "the snapshot copy is unencrypted unless its source snapshot is encrypted or the account encrypts by default",
            [EC2_TYPES.amiCopy]: "the AMI copy's snapshots are unencrypted unless the source AMI's are",
            [EC2_TYPES.snapshotImport]: "the imported snapshot is unencrypted unless the account encrypts by default",
        };
        if (ctx.type in copies) {
            const v = props.encrypted;
            if (isTrue(v)) return [];
            const given = v === undefined || v === null || v === "" ? "not set" : show(v);
            return [`encrypted is ${given}: ${copies[ctx.type]}`];
        }
        const p = encryptedProblem("encrypted", props.encrypted);
        return p ? [p] : [];
    },
};
