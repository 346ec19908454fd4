import type { ResourceRule } from "@groundwork/policy-kit";
import { actionsOf, allowStatements, IAM_DOCUMENT_TYPES, IAM_ROLE_TYPE, identityDocumentsOf, isWildcardAction } from "../shared";

/**
 * IAM identity policies allow no `*` or `service:*` action (and no Allow with `NotAction`, which grants every other action).
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP IAM.21, CKV_AWS_63, AWS-0057, AwsSolutions-IAM5.
 */
export const iamPolicyDisallowWildcardActions: ResourceRule = {
    kind: "resource",
    name: "aws-iam-policy-disallow-wildcard-actions",
    description: 'IAM policies list exact actions: no "*", no "service:*", no Allow with NotAction.',
    controls: ["FSBP IAM.21", "CKV_AWS_63", "AWS-0057", "AwsSolutions-IAM5"],
    severity: "high",
    level: "mandatory",
    remediation: 'List the exact actions, for example "sqs:SendMessage" instead of "sqs:*".',
    resourceTypes: [...IAM_DOCUMENT_TYPES, IAM_ROLE_TYPE],
    check(props, ctx) {
        return identityDocumentsOf(ctx.type, props).flatMap((d) =>
            allowStatements(d).flatMap(({ label, s }) => {
                const out = actionsOf(s)
                    .filter(isWildcardAction)
                    .map((a) => `${label} allows wildcard action "${a}"`);
                if (s.NotAction !== undefined) out.push(`${label} allows with NotAction: every action not listed is granted`);
                return out;
            }),
        );
    },
};
