import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, encryptedProblem } from "../shared";

/**
 * Launch templates encrypt their EBS volumes: every `blockDeviceMappings[i].ebs.encrypted` is `"true"` (the
 * provider types it as a string; `true` counts too). A template without block device mappings leaves the root
 * volume to the AMI's snapshot and the account default, so it is a violation. Mappings without `ebs`
 * (instance store, `noDevice`) are not EBS and are skipped.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP EC2.3, CIS 5.1.1, CKV_AWS_8, AWS-0026, AwsSolutions-EC26.
 */
export const launchTemplateEnableEbsEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-launchtemplate-enable-ebs-encryption",
    description: "Launch templates encrypt every EBS block device, the root volume included.",
    controls: ["FSBP EC2.3", "CIS 5.1.1", "CKV_AWS_8", "AWS-0026", "AwsSolutions-EC26"],
    severity: "medium",
    level: "mandatory",
    remediation: "Add `blockDeviceMappings` for the root device (and every data device) with `ebs: { encrypted: \"true\" }`.",
    resourceTypes: [EC2_TYPES.launchTemplate],
    check(props) {
        const mappings = Array.isArray(props.blockDeviceMappings) ? props.blockDeviceMappings : [];
        if (mappings.length === 0) return ["blockDeviceMappings is not set: the root volume's encryption follows the AMI snapshot and the account default"];
        const messages: string[] = [];
        mappings.forEach((m: Record<string, any> | undefined, i: number) => {
            if (!m?.ebs) return;
            const p = encryptedProblem(`blockDeviceMappings[${i}].ebs.encrypted`, m.ebs.encrypted);
            if (p) messages.push(p);
        });
        return messages;
    },
};
