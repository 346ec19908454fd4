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
 * `rootBlockDevice` their root volume is a violation. Each launch specification of a Spot Fleet
 * (`aws.ec2.SpotFleetRequest`) is judged like an instance: `launchSpecifications[i].rootBlockDevices[j].encrypted`
 * and `...ebsBlockDevices[j].encrypted` must be true (an unset root device follows the AMI and is reported).
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
    resourceTypes: [EC2_TYPES.instance, EC2_TYPES.spotInstanceRequest, EC2_TYPES.launchConfiguration, EC2_TYPES.spotFleetRequest],
    check(props, ctx) {
        const messages: string[] = [];
        if (ctx.type === EC2_TYPES.spotFleetRequest) {
            const specs: Record<string, any>[] = Array.isArray(props.launchSpecifications) ? props.launchSpecifications : [];
            specs.forEach((spec, i) => {
                const roots: Record<string, unknown>[] = Array.isArray(spec?.rootBlockDevices) ? spec.rootBlockDevices : [];
                if (roots.length === 0) messages.push(`launchSpecifications[${i}].rootBlockDevices is not set: the root volume's encryption follows the AMI snapshot and the account default`);
                roots.forEach((d, j) => {
                    const p = encryptedProblem(`launchSpecifications[${i}].rootBlockDevices[${j}].encrypted`, d?.encrypted);
                    if (p) messages.push(p);
                });
                (Array.isArray(spec?.ebsBlockDevices) ? (spec.ebsBlockDevices as Record<string, unknown>[]) : []).forEach((d, j) => {
                    const p = encryptedProblem(`launchSpecifications[${i}].ebsBlockDevices[${j}].encrypted`, d?.encrypted);
                    if (p) messages.push(p);
                });
            });
            return messages;
        }
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
