import type { ResourceRule } from "@groundwork/policy-kit";
import { ADMIN_PORTS, EC2_TYPES, coversPort, describeTraffic, joinAnd, sgRulesOf, worldCidrs } from "../shared";

/**
 * No security group rule opens SSH (22) or RDP (3389) to the world (`0.0.0.0/0` or `::/0`), whether by a
 * tcp/udp range containing the port or by all traffic (protocol `-1`). Checks inline `ingress` of
 * `aws.ec2.SecurityGroup`, `aws.ec2.SecurityGroupRule` of type ingress and `aws.vpc.SecurityGroupIngressRule`.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EC2.13, FSBP EC2.14, CIS 5.3, CIS 5.4, CKV_AWS_24, CKV_AWS_25, AWS-0107, AwsSolutions-EC23.
 */
export const disallowWorldSshRdp: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-securitygroup-disallow-world-ssh-rdp",
    description: "Security groups do not allow ingress from 0.0.0.0/0 or ::/0 to port 22 or 3389.",
    controls: ["FSBP EC2.13", "FSBP EC2.14", "CIS 5.3", "CIS 5.4", "CKV_AWS_24", "CKV_AWS_25", "AWS-0107", "AwsSolutions-EC23"],
    severity: "high",
    level: "mandatory",
    remediation: "Restrict the source to known CIDRs or security groups, or reach instances through SSM Session Manager instead of SSH/RDP.",
    resourceTypes: [EC2_TYPES.securityGroup, EC2_TYPES.securityGroupRule, EC2_TYPES.vpcIngressRule],
    check(props, ctx) {
        const messages: string[] = [];
        for (const rule of sgRulesOf(ctx.type, props)) {
            if (rule.direction !== "ingress") continue;
            const world = worldCidrs(rule);
            if (world.length === 0) continue;
            const ports = ADMIN_PORTS.filter((p) => coversPort(rule, p));
            if (ports.length === 0) continue;
            const exact = ports.length === 1 && rule.protocol === "tcp" && rule.fromPort === ports[0] && rule.toPort === ports[0];
            messages.push(
                `${rule.label} opens port${ports.length > 1 ? "s" : ""} ${joinAnd(ports)} to ${joinAnd(world)}` +
                    (exact ? "" : ` (${describeTraffic(rule)})`),
            );
        }
        return messages;
    },
};
