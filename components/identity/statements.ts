import * as pulumi from "@pulumi/pulumi";
import { UNSCOPABLE_ACTIONS } from "@groundwork/policy-kit/facts";

export { UNSCOPABLE_ACTIONS } from "@groundwork/policy-kit/facts";

/** One IAM policy statement as AWS stores it. */
export interface PolicyStatement {
    /** Statement id, unique within its document. */
    Sid?: string;
    /** Allow or Deny. */
    Effect: "Allow" | "Deny";
    /** Actions, `service:Verb`; never `*` nor `service:*`. */
    Action: string[];
    /** Exact ARNs the actions apply to. */
    Resource: string[];
    /** Optional condition block. */
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** An IAM policy document. */
export interface PolicyDocument {
    /** Always `2012-10-17`. */
    Version: "2012-10-17";
    /** The statements, in the order granted. */
    Statement: PolicyStatement[];
}

/** A statement a component asks an identity to hold; resources may still be unresolved outputs. */
export interface StatementInput {
    /** Statement id: letters and digits only, unique within the identity. */
    sid: string;
    /** The actions granted. */
    actions: string[];
    /** The exact ARNs they are granted on. */
    resources: pulumi.Input<string>[];
    /** Optional IAM condition block. */
    condition?: Record<string, Record<string, string | string[]>>;
}

/**
 * Something permissions can be granted to (a workload identity, a node role).
 * Components grant with verbs on the resource that owns the permission, for example
 * `queue.grantConsume(identity)`, which calls `identity.addStatements("jobs-consume", [...])`.
 */
export interface Grantable {
    /**
     * Adds statements scoped to exact ARNs under a grant name that is unique per identity.
     * @param grantName Names the grant (and the IAM policy that carries it), for example `jobs-consume`.
     */
    addStatements(grantName: string, statements: StatementInput[]): void;
}


const SID = /^[A-Za-z0-9]+$/;
const ACTION = /^[a-z0-9-]+:[A-Za-z0-9*]+$/;

/**
 * Builds a policy document from resolved statements, refusing what least privilege forbids:
 * `*` or `service:*` actions, empty or `*` resources (unless every action is on the
 * {@link UNSCOPABLE_ACTIONS} allow-list), duplicate statement ids. Pure; throws with the fix.
 */
export function buildPolicyDocument(
    statements: { sid: string; actions: string[]; resources: string[]; condition?: PolicyStatement["Condition"] }[],
): PolicyDocument {
    const seen = new Set<string>();
    const out: PolicyStatement[] = [];
    for (const s of statements) {
        if (!SID.test(s.sid)) {
            throw new Error(`IAM statement '${s.sid}': sid must be letters and digits only. Fix: rename the statement.`);
        }
        if (seen.has(s.sid)) {
            throw new Error(`IAM statement '${s.sid}': sid is used twice. Fix: give each grant a distinct name.`);
        }
        seen.add(s.sid);
        if (s.actions.length === 0) {
            throw new Error(`IAM statement '${s.sid}': no actions. Fix: name the actions the workload needs.`);
        }
        for (const a of s.actions) {
            if (a === "*" || a.endsWith(":*") || !ACTION.test(a)) {
                throw new Error(`IAM statement '${s.sid}': action '${a}' is a wildcard or malformed. Fix: list exact actions such as 'sqs:SendMessage'.`);
            }
        }
        if (s.resources.length === 0) {
            throw new Error(`IAM statement '${s.sid}': no resources. Fix: pass the exact ARNs the actions apply to.`);
        }
        const wildcard = s.resources.some((r) => r === "*");
        if (wildcard && !s.actions.every((a) => UNSCOPABLE_ACTIONS.includes(a))) {
            throw new Error(
                `IAM statement '${s.sid}': Resource '*' on scopable actions (${s.actions.filter((a) => !UNSCOPABLE_ACTIONS.includes(a)).join(", ")}). ` +
                    "Fix: name the exact ARNs.",
            );
        }
        const stmt: PolicyStatement = { Sid: s.sid, Effect: "Allow", Action: [...s.actions], Resource: [...s.resources] };
        if (s.condition) {
            stmt.Condition = s.condition;
        }
        out.push(stmt);
    }
    return { Version: "2012-10-17", Statement: out };
}

/** Resolves {@link StatementInput}s (whose ARNs may be outputs) into a JSON policy document. */
export function policyJson(statements: StatementInput[]): pulumi.Output<string> {
    return pulumi
        .all(statements.map((s) => pulumi.all(s.resources).apply((resources) => ({ ...s, resources: resources as string[] }))))
        .apply((resolved) => JSON.stringify(buildPolicyDocument(resolved)));
}
