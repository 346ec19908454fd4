import type { ResourceRule } from "@groundwork/policy-kit";
import { ADMIN_PORTS, EC2_TYPES, WORLD_OPEN_PORTS, describeTraffic, hasPorts, joinAnd, sgRulesOf, worldCidrs } from "../shared";

/** True when a tcp/udp range contains a port that is neither allow-listed nor an admin port (reported by the SSH/RDP rule). */
function opensUnlistedPort(from: number, to: number): boolean {
    const tolerated = new Set<number>([...WORLD_OPEN_PORTS, ...ADMIN_PORTS]);
    const inRange = [...tolerated].filter((p) => from <= p && p <= to).length;
    return to - from + 1 > inRange;
}

/**
 * Ingress from the world (`0.0.0.0/0` or `::/0`) is limited to the allow-listed ports ({@link WORLD_OPEN_PORTS},
 * a constant: 443). All traffic (protocol `-1`), any other tcp/udp port and any non-port protocol (GRE, ESP, ...)
 * open to the world is a violation; ICMP is not (path MTU discovery needs it). Ports 22 and 3389 are left to
 * `aws-ec2-securitygroup-disallow-world-ssh-rdp`, so a rule for exactly port 22 is reported once, by that rule.
 *
 * Severity: critical. Level: mandatory.
 * Controls: FSBP EC2.18, FSBP EC2.19, CIS 5.3, CKV_AWS_277, CKV_AWS_260, AwsSolutions-EC23.
 */
export const disallowWorldOpenPorts: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-securitygroup-disallow-world-open-ports",
    description: `Security groups allow ingress from 0.0.0.0/0 or ::/0 only to port ${joinAnd(WORLD_OPEN_PORTS)}; never all traffic.`,
    controls: ["FSBP EC2.18", "FSBP EC2.19", "CIS 5.3", "CKV_AWS_277", "CKV_AWS_260", "AwsSolutions-EC23"],
    severity: "critical",
    level: "mandatory",
    remediation: `Open only port ${joinAnd(WORLD_OPEN_PORTS)} to the world (behind a load balancer); restrict every other port to known CIDRs or security groups.`,
    resourceTypes: [EC2_TYPES.securityGroup, EC2_TYPES.securityGroupRule, EC2_TYPES.vpcIngressRule],
    check(props, ctx) {
        const messages: string[] = [];
        for (const rule of sgRulesOf(ctx.type, props)) {
            if (rule.direction !== "ingress") continue;
            const world = worldCidrs(rule);
            if (world.length === 0) continue;
            if (rule.protocol === "icmp" || rule.protocol === "icmpv6") continue;
            if (hasPorts(rule.protocol) && !opensUnlistedPort(rule.fromPort, rule.toPort)) continue;
            messages.push(`${rule.label} opens ${describeTraffic(rule)} to ${joinAnd(world)}; only port ${joinAnd(WORLD_OPEN_PORTS)} may be world-open`);
        }
        return messages;
    },
};
