import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, isTrue } from "../shared";

/**
 * Subnets do not hand out public IPv4 addresses automatically (`mapPublicIpOnLaunch: true`), public subnets
 * included: NAT gateways use Elastic IPs and load balancers get their own addresses, so nothing needs it.
 *
 * A default subnet adopted with `aws.ec2.DefaultSubnet` maps public IPs on launch unless told otherwise (AWS creates
 * default subnets with the setting on, and leaving it unset keeps it), so there it must be set to false explicitly.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP EC2.15, CKV_AWS_130, AWS-0009.
 */
export const subnetDisallowPublicIpOnLaunch: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-subnet-disallow-public-ip-on-launch",
    description: "Subnets do not assign public IPv4 addresses on launch.",
    controls: ["FSBP EC2.15", "CKV_AWS_130", "AWS-0009"],
    severity: "medium",
    level: "mandatory",
    remediation: "Remove `mapPublicIpOnLaunch` (or set it to false); give public endpoints Elastic IPs or load balancers.",
    resourceTypes: [EC2_TYPES.subnet, EC2_TYPES.defaultSubnet],
    check(props, ctx) {
        if (ctx.type === EC2_TYPES.defaultSubnet && (props.mapPublicIpOnLaunch === undefined || props.mapPublicIpOnLaunch === null)) {
            return ["mapPublicIpOnLaunch is not set on a default subnet: AWS's default subnets give every instance a public IPv4 address"];
        }
        return isTrue(props.mapPublicIpOnLaunch) ? ["mapPublicIpOnLaunch is true: every instance launched here gets a public IPv4 address"] : [];
    },
};
