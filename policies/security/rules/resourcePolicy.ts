/**
 * How a resource policy (the policy a bucket, access point, secret, event bus or log destination carries, as
 * opposed to an identity policy) is judged for public grants. Shared by the rules that judge resource policies,
 * so every service's policy document reads the same way. Pure functions, no rules here.
 */
import { asArray, parsePolicy, statementsOf } from "@groundwork/policy-kit";

/** How messages name a statement: `Statement[1] (AllowRead)`. */
export function statementLabel(s: Record<string, any>, i: number): string {
    return `Statement[${i}]${typeof s.Sid === "string" && s.Sid ? ` (${s.Sid})` : ""}`;
}

/** True when a Principal element grants everyone: `"*"` or `"*"` under `AWS` (or any principal type). */
export function isWildcardPrincipal(principal: unknown): boolean {
    if (principal === "*") return true;
    if (!principal || typeof principal !== "object") return false;
    return Object.values(principal as Record<string, unknown>).some((v) => asArray(v).includes("*"));
}

/** The service principals (`cloudfront.amazonaws.com`, ...) a Principal element names. */
export function servicePrincipals(principal: unknown): string[] {
    if (!principal || typeof principal !== "object") return [];
    const entry = Object.entries(principal as Record<string, unknown>).find(([k]) => k.toLowerCase() === "service");
    return entry ? asArray(entry[1]).filter((v): v is string => typeof v === "string") : [];
}

/** Condition keys that tie a service principal's request to a resource or account (confused-deputy protection). */
export const SOURCE_CONDITION_KEYS: readonly string[] = ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"];

const SOURCE_KEYS = new Set(SOURCE_CONDITION_KEYS.map((k) => k.toLowerCase()));
const POSITIVE_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"]);

/**
 * True when a Condition pins the source: a positive operator (StringEquals, StringLike, ArnEquals, ArnLike)
 * on one of {@link SOURCE_CONDITION_KEYS} (keys are case-insensitive) with concrete values (not `*`).
 * `...IfExists` and `ForAllValues:` operators do not count: both are true when the key is absent.
 */
export function pinsSource(condition: unknown): boolean {
    if (!condition || typeof condition !== "object") return false;
    for (const [op, block] of Object.entries(condition as Record<string, unknown>)) {
        const lower = op.toLowerCase();
        if (lower.startsWith("forallvalues:") || lower.endsWith("ifexists")) continue;
        if (!POSITIVE_OPERATORS.has(lower.replace(/^foranyvalue:/, "")) || !block || typeof block !== "object") continue;
        for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
            const vs = asArray(values);
            if (SOURCE_KEYS.has(key.toLowerCase()) && vs.length > 0 && vs.every((v) => typeof v === "string" && v.replace(/[*?]/g, "") !== "")) return true;
        }
    }
    return false;
}

/**
 * The public grants of a resource policy document (a JSON string or an object): `Allow` statements with a wildcard
 * principal or `NotPrincipal`, and `Allow` statements to an AWS service principal that do not pin the source
 * (confused deputy). Empty for an absent document; one message when it is not valid JSON.
 */
export function publicGrants(doc: unknown, property = "policy"): string[] {
    if (doc === undefined || doc === null || doc === "") return [];
    if (parsePolicy(doc) === undefined) return [`${property} is not valid JSON, so its principals cannot be checked`];
    const messages: string[] = [];
    statementsOf(doc).forEach((s: Record<string, any>, i: number) => {
        if (!s || String(s.Effect ?? "").toLowerCase() !== "allow") return;
        const label = statementLabel(s, i);
        if (s.NotPrincipal !== undefined) {
            messages.push(`${label} allows with NotPrincipal (everyone else)`);
            return;
        }
        if (isWildcardPrincipal(s.Principal)) {
            messages.push(`${label} allows Principal "*"`);
            return;
        }
        const services = servicePrincipals(s.Principal);
        if (services.length > 0 && !pinsSource(s.Condition)) {
            messages.push(`${label} allows service principal ${services.join(", ")} without a ${SOURCE_CONDITION_KEYS.join("/")} condition`);
        }
    });
    return messages;
}
