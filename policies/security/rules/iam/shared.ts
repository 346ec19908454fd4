/**
 * Helpers shared by the iam rules (and the sqs policy rules): the policy documents a resource carries, statement
 * labels, action and principal matching. Pure functions, no rules here.
 */
import { asArray, parsePolicy, statementsOf } from "@groundwork/policy-kit";

/** Pulumi type tokens whose `policy` input is an IAM identity-policy document. */
export const IAM_DOCUMENT_TYPES = [
    "aws:iam/policy:Policy",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/userPolicy:UserPolicy",
    "aws:iam/groupPolicy:GroupPolicy",
] as const;

/** Role type token: its `inlinePolicies[].policy` are identity policies, its `assumeRolePolicy` the trust policy. */
export const IAM_ROLE_TYPE = "aws:iam/role:Role";

/** One policy document of a resource and how messages name it (empty label for the resource's only `policy`). */
export interface LabelledDocument {
    /** Prefix for messages, e.g. `inlinePolicies[0] (s3) `; empty for `policy`. */
    label: string;
    /** The document, string or object. */
    doc: unknown;
}

/** The identity-policy documents of a resource: `policy`, or a Role's `inlinePolicies[].policy`. */
export function identityDocumentsOf(type: string, props: Record<string, any>): LabelledDocument[] {
    if (type === IAM_ROLE_TYPE) {
        return asArray<any>(props.inlinePolicies)
            .map((p, i) => ({ label: `inlinePolicies[${i}]${p?.name ? ` (${p.name})` : ""} `, doc: p?.policy }))
            .filter((d) => d.doc !== undefined && d.doc !== null && d.doc !== "");
    }
    return props.policy === undefined || props.policy === null || props.policy === "" ? [] : [{ label: "", doc: props.policy }];
}

/** A statement with its message label, e.g. `Statement[1] (ReadQueue)`. */
export interface LabelledStatement {
    /** How messages name the statement, including the document label. */
    label: string;
    /** The statement. */
    s: Record<string, any>;
}

/** The Allow statements of a document, labelled. */
export function allowStatements(d: LabelledDocument): LabelledStatement[] {
    return statementsOf(d.doc)
        .map((s: Record<string, any>, i: number) => ({ label: `${d.label}Statement[${i}]${typeof s?.Sid === "string" && s.Sid ? ` (${s.Sid})` : ""}`, s }))
        .filter(({ s }) => s && String(s.Effect ?? "").toLowerCase() === "allow");
}

/** True when a document is present but not parsable (so its statements cannot be checked). */
export function unparsable(d: LabelledDocument): boolean {
    return parsePolicy(d.doc) === undefined;
}

/** The actions of a statement (`Action`, string or list). */
export function actionsOf(s: Record<string, any>): string[] {
    return asArray<string>(s.Action).filter((a) => typeof a === "string");
}

/** The resources of a statement (`Resource`, string or list). */
export function resourcesOf(s: Record<string, any>): string[] {
    return asArray<string>(s.Resource).filter((r) => typeof r === "string");
}

/** True for `*` and `service:*` (case-insensitive service). */
export function isWildcardAction(a: string): boolean {
    return a === "*" || /^[A-Za-z0-9-]+:\*$/.test(a);
}

/** True when an action pattern matches `target` (`service:Verb`), honouring `*` and `?` wildcards, case-insensitive. */
export function actionMatches(pattern: string, target: string): boolean {
    const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
    return re.test(target);
}

/** True when a Principal element grants everyone: `"*"` or `"*"` under any principal type (`AWS`, `Service`, ...). */
export function isWildcardPrincipal(principal: unknown): boolean {
    if (principal === "*") return true;
    if (!principal || typeof principal !== "object") return false;
    return Object.values(principal as Record<string, unknown>).some((v) => asArray(v).includes("*"));
}
