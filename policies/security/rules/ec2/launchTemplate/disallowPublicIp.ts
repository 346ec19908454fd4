import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, isTrue } from "../shared";

/**
 * Launch templates do not give instances a public IPv4 address: no `networkInterfaces[i].associatePublicIpAddress`
 * set to `true` (the provider types it as a string, so `"true"` counts too). Left unset, the subnet decides.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EC2.25, CKV_AWS_88, AWS-0009.
 */
export const launchTemplateDisallowPublicIp: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-launchtemplate-disallow-public-ip",
    description: "Launch templates do not assign public IPv4 addresses to network interfaces.",
    controls: ["FSBP EC2.25", "CKV_AWS_88", "AWS-0009"],
    severity: "high",
    level: "mandatory",
    remediation: "Remove `associatePublicIpAddress` from the template's network interfaces (or set it to \"false\") and launch into private subnets.",
    resourceTypes: [EC2_TYPES.launchTemplate],
    check(props) {
        const nics = Array.isArray(props.networkInterfaces) ? props.networkInterfaces : [];
        const messages: string[] = [];
        nics.forEach((nic: Record<string, unknown> | undefined, i: number) => {
            if (isTrue(nic?.associatePublicIpAddress)) messages.push(`networkInterfaces[${i}].associatePublicIpAddress is true: instances get a public IPv4 address`);
        });
        return messages;
    },
};
