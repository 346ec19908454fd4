import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, isTrue } from "../shared";

/**
 * Instances do not ask for a public IPv4 address (`associatePublicIpAddress: true`). Left unset, the subnet's
 * `mapPublicIpOnLaunch` decides, which `aws-ec2-subnet-disallow-public-ip-on-launch` checks.
 *
 * Spot instances (`aws.ec2.SpotInstanceRequest`) take the same arguments and are judged the same way, and so are
 * launch configurations (`aws.ec2.LaunchConfiguration`), whose flag applies to every instance launched from them.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EC2.9, CKV_AWS_88, AWS-0009.
 */
export const instanceDisallowPublicIp: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-instance-disallow-public-ip",
    description: "EC2 instances have no public IPv4 address.",
    controls: ["FSBP EC2.9", "CKV_AWS_88", "AWS-0009"],
    severity: "high",
    level: "mandatory",
    remediation: "Remove `associatePublicIpAddress` (or set it to false), place the instance in a private subnet and publish it through a load balancer.",
    resourceTypes: [EC2_TYPES.instance, EC2_TYPES.spotInstanceRequest, EC2_TYPES.launchConfiguration],
    check(props, ctx) {
        if (!isTrue(props.associatePublicIpAddress)) return [];
        const who = ctx.type === EC2_TYPES.launchConfiguration ? "every instance launched from this configuration gets" : "the instance gets";
        return [`associatePublicIpAddress is true: ${who} a public IPv4 address`];
    },
};
