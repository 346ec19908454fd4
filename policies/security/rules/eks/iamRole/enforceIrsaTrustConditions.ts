import { asArray, parsePolicy, statementsOf, type ResourceRule } from "@groundwork/policy-kit";
import { allowsAction, EKS_TYPES, IRSA_AUDIENCE, oidcPrincipals, statementLabel } from "../shared";

const SERVICE_ACCOUNT_SUBJECT = /^system:serviceaccount:[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** Problems of one IRSA trust statement for one OIDC issuer. Pure. */
export function irsaStatementProblems(stmt: any, label: string, issuer: string): string[] {
    const equals: Record<string, unknown> = stmt?.Condition?.StringEquals ?? {};
    const like: Record<string, unknown> = stmt?.Condition?.StringLike ?? {};
    const messages: string[] = [];
    const subKey = `${issuer}:sub`;
    const audKey = `${issuer}:aud`;
    const sub = asArray<unknown>(equals[subKey] as any);
    if (sub.length === 0) {
        messages.push(
            subKey in like
                ? `${label} matches "${subKey}" with StringLike, not StringEquals: every service account matching the pattern can assume the role`
                : `${label} trusts ${issuer} without a StringEquals condition on "${subKey}": every service account of the cluster can assume the role`,
        );
    } else {
        for (const s of sub) {
            if (typeof s !== "string" || !SERVICE_ACCOUNT_SUBJECT.test(s)) {
                messages.push(`${label} pins "${subKey}" to "${String(s)}", not one exact system:serviceaccount:<namespace>:<name>`);
            }
        }
    }
    const aud = asArray<unknown>(equals[audKey] as any);
    if (aud.length === 0) {
        messages.push(`${label} trusts ${issuer} without a StringEquals condition "${audKey}" = "${IRSA_AUDIENCE}": tokens minted for other audiences are accepted`);
    } else if (aud.some((a) => a !== IRSA_AUDIENCE)) {
        messages.push(`${label} accepts "${audKey}" values other than "${IRSA_AUDIENCE}": ${aud.map(String).join(", ")}`);
    }
    return messages;
}

/**
 * IRSA trust policies pin the service account and the audience: every Allow statement that lets an EKS OIDC
 * provider (`Federated: arn:...:oidc-provider/<issuer>`) call `sts:AssumeRoleWithWebIdentity` has
 * `StringEquals` conditions `<issuer>:sub` = `system:serviceaccount:<ns>:<sa>` (exact, no wildcard) and
 * `<issuer>:aud` = `sts.amazonaws.com`. Without `:sub` every pod of the cluster can take the role.
 *
 * Severity: critical. Level: mandatory.
 * Controls: the IRSA trust policy pins :sub and :aud (no benchmark id of its own); related CKV_AWS_61.
 */
export const iamRoleEnforceIrsaTrustConditions: ResourceRule = {
    kind: "resource",
    name: "aws-iam-role-enforce-irsa-trust-conditions",
    description: "IRSA role trust policies pin `<issuer>:sub` to one service account and `<issuer>:aud` to sts.amazonaws.com with StringEquals.",
    controls: ["CKV_AWS_61"],
    severity: "critical",
    level: "mandatory",
    remediation:
        'Add `Condition: { StringEquals: { "<issuer>:sub": "system:serviceaccount:<namespace>:<name>", "<issuer>:aud": "sts.amazonaws.com" } }` (components/identity WorkloadIdentity does).',
    resourceTypes: [EKS_TYPES.role],
    check(props) {
        const doc = props.assumeRolePolicy;
        if (doc === undefined || doc === null || doc === "") return [];
        if (parsePolicy(doc) === undefined) return ["assumeRolePolicy is not valid JSON, so its IRSA conditions cannot be checked"];
        const messages: string[] = [];
        statementsOf(doc).forEach((stmt, i) => {
            if (stmt?.Effect !== "Allow" || !allowsAction(stmt, "sts:AssumeRoleWithWebIdentity")) return;
            for (const provider of oidcPrincipals(stmt)) {
                const issuer = provider.slice(provider.indexOf(":oidc-provider/") + ":oidc-provider/".length);
                messages.push(...irsaStatementProblems(stmt, statementLabel(stmt, i), issuer));
            }
        });
        return messages;
    },
};
