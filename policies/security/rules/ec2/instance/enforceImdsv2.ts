import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, metadataOptionsProblems } from "../shared";

/**
 * Instances require IMDSv2: `metadataOptions.httpTokens` is `required` (unset means the AMI's or account's
 * default, `optional` unless changed) and `httpPutResponseHopLimit`, when set, is 1 or 2. An instance launched
 * from a launch template without its own `metadataOptions` takes the template's, which
 * `aws-ec2-launchtemplate-enforce-imdsv2` checks, so it passes here.
 *
 * Spot instances (`aws.ec2.SpotInstanceRequest`) take the same arguments and are judged the same way, and so are
 * launch configurations (`aws.ec2.LaunchConfiguration`, the deprecated predecessor of launch templates, whose
 * `metadataOptions` have the same fields and which cannot refer to a launch template). The account's instance
 * metadata defaults (`aws.ec2.InstanceMetadataDefaults`) are judged too: `httpTokens: "optional"` there makes IMDSv1
 * the default of every launch that does not choose.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EC2.8, CIS 5.7, CKV_AWS_79, CKV_AWS_341, AWS-0028.
 */
export const instanceEnforceImdsv2: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-instance-enforce-imdsv2",
    description: "EC2 instances require IMDSv2 (httpTokens 'required') with a hop limit of 1 or 2.",
    controls: ["FSBP EC2.8", "CIS 5.7", "CKV_AWS_79", "CKV_AWS_341", "AWS-0028"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `metadataOptions: { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 1 }`.",
    resourceTypes: [EC2_TYPES.instance, EC2_TYPES.spotInstanceRequest, EC2_TYPES.launchConfiguration, EC2_TYPES.instanceMetadataDefaults],
    check(props, ctx) {
        if (ctx.type === EC2_TYPES.instanceMetadataDefaults) {
            // "no-preference" leaves each launch to its own setting, which the rules judge where it is declared.
            return props.httpTokens === "optional" ? ["httpTokens is 'optional': the account default lets every instance that does not set its own metadata options use IMDSv1"] : [];
        }
        const fromTemplate = ctx.type !== EC2_TYPES.launchConfiguration && props.launchTemplate;
        if ((props.metadataOptions === undefined || props.metadataOptions === null) && fromTemplate) return [];
        return metadataOptionsProblems(props.metadataOptions);
    },
};
