import type { GraphResource, Rule } from "@groundwork/policy-kit";

/**
 * Records what a rule reads. Each rule's check runs on a resource graph whose properties are wrapped in proxies;
 * every property the check gets (or enumerates, or tests with `in`) is recorded as a path under the resource's
 * type. Stack rules also get their resources wrapped, so a resource the check picks out (reads its URN, name,
 * dependencies or properties) counts as read even when only its identity matters, as for the VPC that a flow log
 * names. What is recorded is what the checks did on the programs given, not what they might do on others: a path
 * a check only reaches behind a condition no program meets is absent, which is why the corpus (./corpus.ts) holds
 * every fixture program, the insecure ones included.
 */

/** Type token → property paths read (`a.b[].c`; `(identity)` when only the resource's identity was read). */
export type Reads = Map<string, Set<string>>;

/** Path recorded when a stack rule read a resource's identity (URN, name, parent or dependencies) but no property. */
export const IDENTITY = "(identity)";
/** Path recorded when the rule reported a finding on a resource of the type. */
export const REPORTED = "(reported)";
/**
 * Paths a stack rule reads on any resource to match references (an ARN, id or name a configuration resource names),
 * which say nothing about the risks of the resource's type.
 */
export const REFERENCE_PATHS: readonly string[] = ["arn", "id", "name", IDENTITY];
/** Suffix of a path whose value is a policy document (JSON string or object): its statements are not listed. */
export const DOCUMENT = " (policy document)";

const IDENT = /^[A-Za-z_$][\w$]*$/;

function add(reads: Reads, type: string, p: string): void {
    let set = reads.get(type);
    if (!set) reads.set(type, (set = new Set()));
    set.add(p);
}

function join(base: string, key: string): string {
    if (!IDENT.test(key)) return `${base}[${JSON.stringify(key)}]`;
    return base ? `${base}.${key}` : key;
}

/** True for a policy document in any of the forms a property carries one: a JSON string or an object. */
export function isPolicyDocument(v: unknown): boolean {
    if (typeof v === "string") return /^\s*\{[\s\S]*"Statement"/.test(v);
    return typeof v === "object" && v !== null && !Array.isArray(v) && "Statement" in v;
}

/** Wraps `value` so that reads below `path` are recorded under `type`. Scalars are returned as they are. */
export function recording<T>(value: T, type: string, path: string, reads: Reads): T {
    if (value === null || typeof value !== "object") return value;
    const target = value as unknown as object;
    return new Proxy(target, {
        get(t, key, receiver) {
            if (typeof key === "symbol") return Reflect.get(t, key, receiver);
            if (Array.isArray(t)) {
                // Array methods and length are how a check walks the list, not properties of the resource.
                if (!/^\d+$/.test(key)) return Reflect.get(t, key, receiver);
                return recording(Reflect.get(t, key, receiver), type, `${path}[]`, reads);
            }
            if (!Object.prototype.hasOwnProperty.call(t, key) && key in Object.prototype) return Reflect.get(t, key, receiver);
            const p = join(path, key);
            const v = Reflect.get(t, key, receiver);
            if (isPolicyDocument(v)) {
                add(reads, type, p + DOCUMENT);
                return v;
            }
            add(reads, type, p);
            return recording(v, type, p, reads);
        },
        has(t, key) {
            if (typeof key === "string" && !Array.isArray(t)) add(reads, type, join(path, key));
            return Reflect.has(t, key);
        },
        ownKeys(t) {
            if (!Array.isArray(t)) add(reads, type, path ? `${path}.*` : "*");
            return Reflect.ownKeys(t);
        },
    }) as unknown as T;
}

/** A resource of a graph, as the tracer takes it: the shape stack rules see, with the inputs resource rules see. */
export interface TracedResource extends GraphResource {
    /** Inputs: what a resource rule's check receives (`GraphResource.props` are outputs, as stack rules see them). */
    inputs: Record<string, any>;
}

/**
 * Runs `rule` on `resources` and adds what it read to `reads`. A resource rule is called once per resource of
 * one of its types, on the inputs; a stack rule once on the whole graph, on the outputs. Findings are ignored:
 * whether a check passes or fails, the properties it consulted are what the coverage table reports.
 */
export function traceRule(rule: Rule, resources: TracedResource[], reads: Reads): void {
    if (rule.kind === "resource") {
        const types = new Set(rule.resourceTypes);
        for (const r of resources) {
            if (!types.has(r.type)) continue;
            const messages = rule.check(recording(r.inputs, r.type, "", reads), { tier: "prod", type: r.type, name: r.name, urn: r.urn });
            if (messages.length > 0) add(reads, r.type, REPORTED);
        }
        return;
    }
    const graph = resources.map((r) => {
        const props = recording(r.props, r.type, "", reads);
        const plain: GraphResource = { type: r.type, name: r.name, urn: r.urn, props, parentUrn: r.parentUrn, dependencyUrns: r.dependencyUrns };
        return new Proxy(plain, {
            get(t, key, receiver) {
                if (key === "urn" || key === "name" || key === "parentUrn" || key === "dependencyUrns") add(reads, r.type, IDENTITY);
                return Reflect.get(t, key, receiver);
            },
        });
    });
    // Malformed-config problems and judged-output checks are the pack's business; the check alone is traced.
    const typeOf = new Map(resources.map((r) => [r.urn, r.type]));
    for (const f of rule.check(graph, { tier: "prod", config: defaultConfig(rule) })) {
        const type = f.urn ? typeOf.get(f.urn) : undefined;
        if (type) add(reads, type, REPORTED);
    }
}

/** The rule's config as the pack defaults it, so a rule with config reads it as it would under the CLI. */
function defaultConfig(rule: Rule): Record<string, unknown> | undefined {
    if (rule.kind !== "stack" || !rule.config) return undefined;
    const out: Record<string, unknown> = {};
    for (const [k, schema] of Object.entries(rule.config.properties ?? {})) {
        if (schema && typeof schema === "object" && "default" in schema) out[k] = (schema as { default: unknown }).default;
    }
    return out;
}

/**
 * Reduces a set of paths to the most specific ones: a path that only led to a deeper read (`a` before `a.b`) is
 * dropped (so is `p` when `p (policy document)` was read), `(identity)` is dropped when any property was read, and
 * `(reported)` is kept.
 */
export function compact(paths: Iterable<string>): string[] {
    const all = [...new Set(paths)];
    const props = all.filter((p) => p !== IDENTITY && p !== REPORTED);
    const kept = props.filter((p) => !props.some((q) => q !== p && (q.startsWith(`${p}.`) || q.startsWith(`${p}[`) || q === p + DOCUMENT)));
    if (kept.length === 0 && all.includes(IDENTITY)) kept.push(IDENTITY);
    if (all.includes(REPORTED)) kept.push(REPORTED);
    return kept.sort();
}
