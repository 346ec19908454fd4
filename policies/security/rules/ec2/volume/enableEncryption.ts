import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, encryptedProblem } from "../shared";

/**
 * EBS volumes are encrypted (`encrypted: true`); unset counts as unencrypted. Account-level encryption by
 * default (`aws.ebs.EncryptionByDefault`, FSBP EC2.7) is not taken into account: it is invisible to a single
 * resource. A customer-managed key (CKV_AWS_189) is not required.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP EC2.3, CIS 5.1.1, AWS-0026, AwsSolutions-EC26.
 */
export const volumeEnableEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-volume-enable-encryption",
    description: "EBS volumes are encrypted.",
    controls: ["FSBP EC2.3", "CIS 5.1.1", "AWS-0026", "AwsSolutions-EC26"],
    severity: "medium",
    level: "mandatory",
    remediation: "Set `encrypted: true` (and `kmsKeyId` to a customer-managed key where the data is sensitive).",
    resourceTypes: [EC2_TYPES.volume],
    check(props) {
        const p = encryptedProblem("encrypted", props.encrypted);
        return p ? [p] : [];
    },
};
