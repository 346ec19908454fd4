import { statementsOf, type ResourceRule } from "@groundwork/policy-kit";
import { isWildcardPrincipal } from "../shared";

/**
 * Role trust policies (`aws.iam.Role` `assumeRolePolicy`) name who may assume the role: no Allow statement with
 * Principal `"*"` or `{"AWS": "*"}` (or `*` under any principal type), and none with `NotPrincipal`.
 *
 * Severity: critical. Level: mandatory.
 * Controls: CKV_AWS_60, CKV_AWS_61.
 */
export const iamRoleDisallowWildcardPrincipal: ResourceRule = {
    kind: "resource",
    name: "aws-iam-role-disallow-wildcard-principal",
    description: 'Role trust policies do not allow Principal "*".',
    controls: ["CKV_AWS_60", "CKV_AWS_61"],
    severity: "critical",
    level: "mandatory",
    remediation: "Name the exact principal: a service (`monitoring.rds.amazonaws.com`), an OIDC provider with `:sub`/`:aud` conditions, or a role ARN.",
    resourceTypes: ["aws:iam/role:Role"],
    check(props) {
        const messages: string[] = [];
        statementsOf(props.assumeRolePolicy).forEach((s: Record<string, any>, i: number) => {
            if (!s || String(s.Effect ?? "").toLowerCase() !== "allow") return;
            const label = `assumeRolePolicy Statement[${i}]${typeof s.Sid === "string" && s.Sid ? ` (${s.Sid})` : ""}`;
            if (s.NotPrincipal !== undefined) messages.push(`${label} allows NotPrincipal: everyone else may assume the role`);
            else if (isWildcardPrincipal(s.Principal)) messages.push(`${label} allows Principal "*": anyone may assume the role`);
        });
        return messages;
    },
};
