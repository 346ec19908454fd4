import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, describeTraffic, isAllPorts, joinAnd, sgRulesOf, worldCidrs } from "../shared";

/**
 * No security group rule allows all egress to the world: all traffic (protocol `-1`) or every tcp/udp port (0-65535),
 * to `0.0.0.0/0` or `::/0`. Egress to the world on named ports (for example 443) passes.
 * An `aws.ec2.SecurityGroup` without `egress` has no egress rules (Pulumi removes AWS's default allow-all rule).
 *
 * Severity: medium. Level: advisory.
 * Controls: CKV_AWS_382, AWS-0104.
 */
export const disallowUnrestrictedEgress: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-securitygroup-disallow-unrestricted-egress",
    description: "Security groups do not allow all egress traffic to 0.0.0.0/0 or ::/0.",
    controls: ["CKV_AWS_382", "AWS-0104"],
    severity: "medium",
    level: "advisory",
    remediation: "Allow egress only to the ports (e.g. 443) and destinations (VPC endpoints, prefix lists, CIDRs) the workload needs.",
    resourceTypes: [EC2_TYPES.securityGroup, EC2_TYPES.securityGroupRule, EC2_TYPES.vpcEgressRule],
    check(props, ctx) {
        const messages: string[] = [];
        for (const rule of sgRulesOf(ctx.type, props)) {
            if (rule.direction !== "egress") continue;
            const world = worldCidrs(rule);
            if (world.length === 0 || !isAllPorts(rule)) continue;
            messages.push(`${rule.label} allows ${describeTraffic(rule)} to ${joinAnd(world)}`);
        }
        return messages;
    },
};
