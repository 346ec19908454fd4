import { asArray, type ResourceRule } from "@groundwork/policy-kit";
import { actionMatches, actionsOf, allowStatements, IAM_DOCUMENT_TYPES, IAM_ROLE_TYPE, identityDocumentsOf, resourcesOf } from "../shared";

/**
 * IAM identity policies do not allow `iam:PassRole` (directly or through a pattern such as `iam:Pass*`, `iam:*`, `*`)
 * on `Resource: "*"`: passing any role to a service is the classic privilege-escalation path. The inverted forms
 * grant it too: `NotAction` that does not exclude `iam:PassRole`, and `NotResource`, which allows every role but the
 * few it lists.
 *
 * Severity: high. Level: mandatory.
 * Controls: CKV_AWS_286, CKV_AWS_287, CKV_AWS_288, CKV_AWS_289, CKV_AWS_290, AWS-0342.
 */
export const iamPolicyDisallowPassRoleWildcard: ResourceRule = {
    kind: "resource",
    name: "aws-iam-policy-disallow-passrole-wildcard",
    description: 'IAM policies do not allow iam:PassRole on Resource "*".',
    controls: ["CKV_AWS_286", "CKV_AWS_287", "CKV_AWS_288", "CKV_AWS_289", "CKV_AWS_290", "AWS-0342"],
    severity: "high",
    level: "mandatory",
    remediation: "Name the exact role ARNs that may be passed, and add a `iam:PassedToService` condition.",
    resourceTypes: [...IAM_DOCUMENT_TYPES, IAM_ROLE_TYPE],
    check(props, ctx) {
        // NotAction allows every action it does not match, so it passes roles unless it names iam:PassRole.
        const passesRoles = (s: Record<string, any>) =>
            s.NotAction !== undefined ? !asArray<unknown>(s.NotAction).some((a) => typeof a === "string" && actionMatches(a, "iam:PassRole")) : actionsOf(s).some((a) => actionMatches(a, "iam:PassRole"));
        return identityDocumentsOf(ctx.type, props).flatMap((d) =>
            allowStatements(d)
                .filter(({ s }) => (resourcesOf(s).includes("*") || s.NotResource !== undefined) && passesRoles(s))
                .map(({ label, s }) =>
                    resourcesOf(s).includes("*")
                        ? `${label} allows iam:PassRole${s.NotAction !== undefined ? " (through NotAction)" : ""} on Resource "*": any role can be handed to a service`
                        : `${label} allows iam:PassRole on every resource except its NotResource: any role can be handed to a service`,
                ),
        );
    },
};
