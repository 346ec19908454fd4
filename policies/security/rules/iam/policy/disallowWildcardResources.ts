import { UNSCOPABLE_ACTIONS } from "@groundwork/policy-kit";
import type { ResourceRule } from "@groundwork/policy-kit";
import { actionsOf, allowStatements, IAM_DOCUMENT_TYPES, IAM_ROLE_TYPE, identityDocumentsOf, resourcesOf } from "../shared";

const UNSCOPABLE = new Set(UNSCOPABLE_ACTIONS.map((a) => a.toLowerCase()));

/**
 * IAM identity policies allow `Resource: "*"` only for actions AWS cannot scope to a resource: every action of an
 * Allow statement on `*` must be on the documented allow-list `UNSCOPABLE_ACTIONS`
 * (components/identity/statements.ts), the same list the statement builder enforces. An Allow with `NotResource`
 * grants every resource but the listed ones, so it is held to the same list.
 *
 * Severity: high. Level: mandatory.
 * Controls: CKV_AWS_355, AWS-0057, AwsSolutions-IAM5.
 */
export const iamPolicyDisallowWildcardResources: ResourceRule = {
    kind: "resource",
    name: "aws-iam-policy-disallow-wildcard-resources",
    description: 'IAM policies use Resource "*" only for actions that cannot be scoped (UNSCOPABLE_ACTIONS).',
    controls: ["CKV_AWS_355", "AWS-0057", "AwsSolutions-IAM5"],
    severity: "high",
    level: "mandatory",
    remediation: "Name the exact ARNs; keep actions that truly take no resource (UNSCOPABLE_ACTIONS) in a statement of their own.",
    resourceTypes: [...IAM_DOCUMENT_TYPES, IAM_ROLE_TYPE],
    check(props, ctx) {
        return identityDocumentsOf(ctx.type, props).flatMap((d) =>
            allowStatements(d).flatMap(({ label, s }) => {
                const notResource = s.NotResource !== undefined;
                if (!notResource && !resourcesOf(s).includes("*")) return [];
                const where = notResource ? "with NotResource (every resource but the listed ones)" : 'on Resource "*"';
                const scopable = actionsOf(s).filter((a) => !UNSCOPABLE.has(a.toLowerCase()));
                if (s.NotAction !== undefined && scopable.length === 0) return [`${label} allows NotAction ${where}`];
                return scopable.length > 0 ? [`${label} allows scopable actions ${where}: ${scopable.join(", ")}`] : [];
            }),
        );
    },
};
