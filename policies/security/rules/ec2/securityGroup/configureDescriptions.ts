import { isSet, type ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, sgRulesOf } from "../shared";

/** The description Pulumi fills in when a security group has none. */
export const PULUMI_DEFAULT_SG_DESCRIPTION = "Managed by Pulumi";

/**
 * Security groups and each of their rules carry a description, so a reviewer can tell why a port is open.
 * A security group's `description` left unset (Pulumi then writes "Managed by Pulumi") counts as missing.
 *
 * Severity: low. Level: advisory.
 * Controls: CKV_AWS_23, AWS-0099, AwsSolutions-EC27.
 */
export const configureDescriptions: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-securitygroup-configure-descriptions",
    description: "Security groups and their rules have descriptions.",
    controls: ["CKV_AWS_23", "AWS-0099", "AwsSolutions-EC27"],
    severity: "low",
    level: "advisory",
    remediation: "Set `description` on the security group and on every rule, saying what the traffic is for.",
    resourceTypes: [EC2_TYPES.securityGroup, EC2_TYPES.securityGroupRule, EC2_TYPES.vpcIngressRule, EC2_TYPES.vpcEgressRule],
    check(props, ctx) {
        const messages: string[] = [];
        if (ctx.type === EC2_TYPES.securityGroup) {
            const d = typeof props.description === "string" ? props.description.trim() : "";
            if (d === "" || d === PULUMI_DEFAULT_SG_DESCRIPTION) messages.push("security group has no description");
        }
        for (const rule of sgRulesOf(ctx.type, props)) {
            if (!isSet(typeof rule.description === "string" ? rule.description.trim() : undefined)) messages.push(`${rule.label} has no description`);
        }
        return messages;
    },
};
