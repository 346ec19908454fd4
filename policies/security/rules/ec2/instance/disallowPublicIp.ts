import { isSet, type ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, isTrue } from "../shared";

/**
 * Instances do not ask for a public IPv4 address (`associatePublicIpAddress: true`). Left unset, the subnet's
 * `mapPublicIpOnLaunch` decides, which `aws-ec2-subnet-disallow-public-ip-on-launch` checks.
 *
 * Spot instances (`aws.ec2.SpotInstanceRequest`) take the same arguments and are judged the same way, and so are
 * launch configurations (`aws.ec2.LaunchConfiguration`), whose flag applies to every instance launched from them.
 * The other ways to give an instance a public address are judged too: each launch specification of a Spot Fleet
 * (`aws.ec2.SpotFleetRequest` `launchSpecifications[].associatePublicIpAddress`), and an Elastic IP attached to an
 * instance or network interface (`aws.ec2.Eip` with `instance` or `networkInterface`, `aws.ec2.EipAssociation` with
 * `instanceId` or `networkInterfaceId`). Elastic IPs of NAT gateways are attached by the gateway, not by these.
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
    resourceTypes: [EC2_TYPES.instance, EC2_TYPES.spotInstanceRequest, EC2_TYPES.launchConfiguration, EC2_TYPES.spotFleetRequest, EC2_TYPES.eip, EC2_TYPES.eipAssociation],
    check(props, ctx) {
        if (ctx.type === EC2_TYPES.spotFleetRequest) {
            const specs: Record<string, unknown>[] = Array.isArray(props.launchSpecifications) ? props.launchSpecifications : [];
            return specs.flatMap((spec, i) =>
                isTrue(spec?.associatePublicIpAddress) ? [`launchSpecifications[${i}].associatePublicIpAddress is true: every instance of the fleet gets a public IPv4 address`] : [],
            );
        }
        if (ctx.type === EC2_TYPES.eip || ctx.type === EC2_TYPES.eipAssociation) {
            const [instance, eni] = ctx.type === EC2_TYPES.eip ? ["instance", "networkInterface"] : ["instanceId", "networkInterfaceId"];
            const target = isSet(props[instance]) ? instance : isSet(props[eni]) ? eni : undefined;
            return target ? [`${target} is set: the Elastic IP gives ${target === instance ? "the instance" : "the network interface"} a public IPv4 address`] : [];
        }
        if (!isTrue(props.associatePublicIpAddress)) return [];
        const who = ctx.type === EC2_TYPES.launchConfiguration ? "every instance launched from this configuration gets" : "the instance gets";
        return [`associatePublicIpAddress is true: ${who} a public IPv4 address`];
    },
};
