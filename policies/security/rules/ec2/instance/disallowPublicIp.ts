import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, isTrue } from "../shared";

/**
 * Instances do not ask for a public IPv4 address (`associatePublicIpAddress: true`). Left unset, the subnet's
 * `mapPublicIpOnLaunch` decides, which `aws-ec2-subnet-disallow-public-ip-on-launch` checks.
 *
 * Spot instances (`aws.ec2.SpotInstanceRequest`) take the same arguments and are judged the same way.
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
    resourceTypes: [EC2_TYPES.instance, EC2_TYPES.spotInstanceRequest],
    check(props) {
        return isTrue(props.associatePublicIpAddress) ? ["associatePublicIpAddress is true: the instance gets a public IPv4 address"] : [];
    },
};
