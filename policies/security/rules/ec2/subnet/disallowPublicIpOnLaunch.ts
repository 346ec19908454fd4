import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, isTrue } from "../shared";

/**
 * Subnets do not hand out public IPv4 addresses automatically (`mapPublicIpOnLaunch: true`), public subnets
 * included: NAT gateways use Elastic IPs and load balancers get their own addresses, so nothing needs it.
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
    resourceTypes: [EC2_TYPES.subnet],
    check(props) {
        return isTrue(props.mapPublicIpOnLaunch) ? ["mapPublicIpOnLaunch is true: every instance launched here gets a public IPv4 address"] : [];
    },
};
