import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, describeTraffic, sgRulesOf } from "../shared";

/**
 * The VPC's default security group, taken over with `aws.ec2.DefaultSecurityGroup`, has no ingress and no
 * egress rules. Omitting `ingress`/`egress` is compliant: when Pulumi adopts the default group it removes all of
 * its rules and creates only those given; an explicit empty array is compliant too. Any rule is a violation.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EC2.2, CIS 5.5, CKV2_AWS_12, AWS-0173.
 */
export const disallowDefaultSgRules: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-defaultsecuritygroup-disallow-rules",
    description: "The default security group of every VPC has no ingress or egress rules.",
    controls: ["FSBP EC2.2", "CIS 5.5", "CKV2_AWS_12", "AWS-0173"],
    severity: "high",
    level: "mandatory",
    remediation: "Remove every ingress and egress rule from the default security group (`ingress: [], egress: []`) and attach dedicated security groups instead.",
    resourceTypes: [EC2_TYPES.defaultSecurityGroup],
    check(props, ctx) {
        return sgRulesOf(ctx.type, props).map((r) => `${r.label} allows ${describeTraffic(r)}; the default security group must have no rules`);
    },
};
