import type { ResourceRule } from "@groundwork/policy-kit";
import { EC2_TYPES, metadataOptionsProblems } from "../shared";

/**
 * Launch templates (node groups, auto-scaling groups) require IMDSv2: `metadataOptions.httpTokens` is
 * `required` (unset means `optional`) and `httpPutResponseHopLimit`, when set, is 1 or 2. A template with the
 * metadata endpoint disabled passes.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EC2.8, CIS 5.7, CKV_AWS_79, CKV_AWS_341, AWS-0028.
 */
export const launchTemplateEnforceImdsv2: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-launchtemplate-enforce-imdsv2",
    description: "Launch templates require IMDSv2 (httpTokens 'required') with a hop limit of 1 or 2.",
    controls: ["FSBP EC2.8", "CIS 5.7", "CKV_AWS_79", "CKV_AWS_341", "AWS-0028"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `metadataOptions: { httpEndpoint: \"enabled\", httpTokens: \"required\", httpPutResponseHopLimit: 1 }` (2 where pods need IMDS).",
    resourceTypes: [EC2_TYPES.launchTemplate],
    check(props) {
        return metadataOptionsProblems(props.metadataOptions);
    },
};
