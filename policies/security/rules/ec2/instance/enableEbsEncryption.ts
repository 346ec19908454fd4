import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, encryptedProblem } from "../shared";

/**
 * An instance's root and attached EBS volumes are encrypted: `rootBlockDevice.encrypted` and every
 * `ebsBlockDevices[i].encrypted` are true. Without `rootBlockDevice` the root volume's encryption follows the
 * AMI's snapshot and the account default, so it is a violation, except for instances launched from a launch
 * template (the template's block device mappings apply; `aws-ec2-launchtemplate-enable-ebs-encryption` checks them).
 *
 * Spot instances (`aws.ec2.SpotInstanceRequest`) take the same arguments and are judged the same way, and so are
 * launch configurations (`aws.ec2.LaunchConfiguration`), which cannot refer to a launch template: without
 * `rootBlockDevice` their root volume is a violation.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP EC2.3, CIS 5.1.1, CKV_AWS_8, AWS-0026, AwsSolutions-EC26.
 */
export const instanceEnableEbsEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-instance-enable-ebs-encryption",
    description: "EC2 instances' root and EBS block devices are encrypted.",
    controls: ["FSBP EC2.3", "CIS 5.1.1", "CKV_AWS_8", "AWS-0026", "AwsSolutions-EC26"],
    severity: "medium",
    level: "mandatory",
    remediation: "Set `rootBlockDevice: { encrypted: true }` and `encrypted: true` on every entry of `ebsBlockDevices`.",
    resourceTypes: [EC2_TYPES.instance, EC2_TYPES.spotInstanceRequest, EC2_TYPES.launchConfiguration],
    check(props, ctx) {
        const messages: string[] = [];
        const root = props.rootBlockDevice;
        if (root === undefined || root === null) {
            if (ctx.type === EC2_TYPES.launchConfiguration || !props.launchTemplate) messages.push("rootBlockDevice is not set: the root volume's encryption follows the AMI snapshot and the account default");
        } else {
            const p = encryptedProblem("rootBlockDevice.encrypted", root.encrypted);
            if (p) messages.push(p);
        }
        const devices = Array.isArray(props.ebsBlockDevices) ? props.ebsBlockDevices : [];
        devices.forEach((d: Record<string, unknown> | undefined, i: number) => {
            const p = encryptedProblem(`ebsBlockDevices[${i}].encrypted`, d?.encrypted);
            if (p) messages.push(p);
        });
        return messages;
    },
};
