import { asArray, parsePolicy, statementsOf, type ResourceRule } from "@groundwork/policy-kit";

/** Condition keys that pin who may call: an account, an organisation, a principal or source ARN, or an AWS service. */
export const PRINCIPAL_RESTRICTING_KEYS = [
    "aws:PrincipalAccount",
    "aws:PrincipalArn",
    "aws:PrincipalOrgID",
    "aws:PrincipalOrgPaths",
    "aws:SourceAccount",
    "aws:SourceArn",
    "aws:SourceOrgID",
    "aws:SourceOrgPaths",
    "kms:CallerAccount",
    "kms:ViaService",
] as const;

const RESTRICTING = new Set(PRINCIPAL_RESTRICTING_KEYS.map((k) => k.toLowerCase()));
const POSITIVE_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"]);

/** True when a value is a concrete pattern, not a wildcard that matches everything (`*`, `?*`, empty). */
function concrete(v: unknown): boolean {
    return typeof v === "string" && v.replace(/[*?]/g, "").length > 0;
}

/**
 * True when a statement's Condition restricts the caller: a positive operator (StringEquals, StringLike,
 * ArnEquals, ArnLike, optionally `ForAnyValue:`) on one of {@link PRINCIPAL_RESTRICTING_KEYS} with concrete values.
 * `...IfExists` and `ForAllValues:` operators do not count: both are true when the key is absent.
 */
export function restrictsPrincipal(condition: unknown): boolean {
    if (!condition || typeof condition !== "object") return false;
    for (const [op, block] of Object.entries(condition as Record<string, unknown>)) {
        const lower = op.toLowerCase();
        if (lower.startsWith("forallvalues:") || lower.endsWith("ifexists")) continue;
        if (!POSITIVE_OPERATORS.has(lower.replace(/^foranyvalue:/, ""))) continue;
        if (!block || typeof block !== "object") continue;
        for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
            const vs = asArray(values);
            if (RESTRICTING.has(key.toLowerCase()) && vs.length > 0 && vs.every(concrete)) return true;
        }
    }
    return false;
}

/** True when a Principal element grants everyone: `"*"` or any `"*"` under `AWS` (or another principal type). */
function isWildcardPrincipal(principal: unknown): boolean {
    if (principal === "*") return true;
    if (!principal || typeof principal !== "object") return false;
    return Object.values(principal as Record<string, unknown>).some((v) => asArray(v).includes("*"));
}

/**
 * KMS key policies (`aws.kms.Key` `policy`, `aws.kms.KeyPolicy`) have no `Allow` statement for a wildcard
 * principal (`"*"`, `{"AWS": "*"}`) or with `NotPrincipal`, unless its Condition restricts the caller with a
 * positive operator on {@link PRINCIPAL_RESTRICTING_KEYS} (aws:PrincipalAccount, aws:PrincipalOrgID,
 * kms:CallerAccount, aws:SourceAccount, kms:ViaService, ...). `Deny` statements are not checked. A key without
 * `policy` gets AWS's default key policy (the account root only) and passes.
 *
 * Multi-Region replica keys (`aws.kms.ReplicaKey`), keys of imported material (`aws.kms.ExternalKey`) and replicas
 * of those (`aws.kms.ReplicaExternalKey`) carry their own `policy` and are judged the same way.
 *
 * Severity: critical. Level: mandatory.
 * Controls: FSBP KMS.5, CKV_AWS_33.
 */
export const kmsKeyDisallowWildcardPrincipal: ResourceRule = {
    kind: "resource",
    name: "aws-kms-key-disallow-wildcard-principal",
    description: "KMS key policies do not allow a wildcard principal unless a condition restricts the caller's account, organisation or service.",
    controls: ["FSBP KMS.5", "CKV_AWS_33"],
    severity: "critical",
    level: "mandatory",
    remediation:
        "Name the principals (account root, role ARNs) in the key policy, or add a Condition such as `StringEquals: { \"kms:CallerAccount\": \"<account>\" }` or `aws:PrincipalOrgID`.",
    resourceTypes: ["aws:kms/key:Key", "aws:kms/keyPolicy:KeyPolicy", "aws:kms/replicaKey:ReplicaKey", "aws:kms/externalKey:ExternalKey", "aws:kms/replicaExternalKey:ReplicaExternalKey"],
    check(props) {
        const doc = props.policy;
        if (doc === undefined || doc === null || doc === "") return [];
        if (parsePolicy(doc) === undefined) return ["policy is not valid JSON, so its principals cannot be checked"];
        const messages: string[] = [];
        statementsOf(doc).forEach((s: Record<string, any>, i: number) => {
            if (!s || String(s.Effect ?? "").toLowerCase() !== "allow") return;
            const label = `Statement[${i}]${typeof s.Sid === "string" && s.Sid ? ` (${s.Sid})` : ""}`;
            if (restrictsPrincipal(s.Condition)) return;
            if (s.NotPrincipal !== undefined) messages.push(`${label} allows with NotPrincipal (every other principal) without a condition restricting the caller`);
            else if (isWildcardPrincipal(s.Principal)) messages.push(`${label} allows Principal "*" without a condition restricting the caller`);
        });
        return messages;
    },
};
