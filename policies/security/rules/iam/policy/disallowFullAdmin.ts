import type { ResourceRule } from "@groundwork/policy-kit";
import { actionsOf, allowStatements, IAM_DOCUMENT_TYPES, IAM_ROLE_TYPE, identityDocumentsOf, resourcesOf } from "../shared";

/**
 * IAM identity policies (Policy, RolePolicy, UserPolicy, GroupPolicy, Role `inlinePolicies`) have no Allow of
 * Action `*` on Resource `*` (full administrator), nor of Action `*` with `NotResource`, which grants every action on
 * every resource but the few it lists.
 *
 * Severity: critical. Level: mandatory.
 * Controls: FSBP IAM.1, CIS 1.15, CKV_AWS_62, AwsSolutions-IAM5.
 */
export const iamPolicyDisallowFullAdmin: ResourceRule = {
    kind: "resource",
    name: "aws-iam-policy-disallow-full-admin",
    description: 'IAM policies do not allow Action "*" on Resource "*".',
    controls: ["FSBP IAM.1", "CIS 1.15", "CKV_AWS_62", "AwsSolutions-IAM5"],
    severity: "critical",
    level: "mandatory",
    remediation: "Grant the exact actions on the exact ARNs the workload needs (components grant with verbs such as `queue.grantSend`).",
    resourceTypes: [...IAM_DOCUMENT_TYPES, IAM_ROLE_TYPE],
    check(props, ctx) {
        return identityDocumentsOf(ctx.type, props).flatMap((d) =>
            allowStatements(d)
                .filter(({ s }) => actionsOf(s).includes("*") && (resourcesOf(s).includes("*") || s.NotResource !== undefined))
                .map(({ label, s }) =>
                    resourcesOf(s).includes("*")
                        ? `${label} allows Action "*" on Resource "*": full administrator access`
                        : `${label} allows Action "*" on every resource except its NotResource: full administrator access`,
                ),
        );
    },
};
