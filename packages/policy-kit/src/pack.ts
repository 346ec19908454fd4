import type * as policy from "@pulumi/policy";
import { EXEMPTION_PREFIX, MIN_REASON_LENGTH } from "./facts";
import { GraphResource, Rule, StackRule, Tier } from "./rule";

// @pulumi/policy keeps its proxy module internal (no types) and recognises an unknown-value error by its class,
// so the class must come from the instance the pack loaded: required once, when the pack is loaded.
 
const policyProxy = require("@pulumi/policy/proxy") as { UnknownValueError: new (sentinel: unknown, path: string[]) => Error; unknownObjectValue: unknown };


/** An exemption given in policy config: `{ "<policy>": { "exemptions": [{ "resource": "<name|urn>", "reason": "..." }] } }`. */
export interface ConfigExemption {
    /** Logical name or URN of the exempt resource. */
    resource: string;
    /** Why the resource may break the rule. */
    reason?: string;
}

/** The config every Groundwork policy accepts (policy-pack config, per policy). */
export interface RuleConfig {
    /** Stack tier; `prod` (strictest) when not given. */
    tier: Tier;
    /** Exemptions by resource. */
    exemptions: ConfigExemption[];
}

/** JSON schema of {@link RuleConfig}, served to the CLI as each policy's `configSchema`. */
export const RULE_CONFIG_SCHEMA: policy.PolicyConfigSchema = {
    properties: {
        tier: { type: "string", enum: ["dev", "prod"], default: "prod" },
        exemptions: {
            type: "array",
            default: [],
            items: {
                type: "object",
                properties: { resource: { type: "string" }, reason: { type: "string" } },
                required: ["resource"],
            },
        },
    },
};

/**
 * The `configSchema` of a rule's policy: {@link RULE_CONFIG_SCHEMA}, plus the properties of a stack rule's own
 * config ({@link StackRule.config}).
 */
export function ruleConfigSchema(rule: Rule): policy.PolicyConfigSchema {
    if (rule.kind !== "stack" || !rule.config) return RULE_CONFIG_SCHEMA;
    return { properties: { ...RULE_CONFIG_SCHEMA.properties, ...rule.config.properties } };
}

/** Result of looking up an exemption for one resource and policy. */
export type ExemptionLookup = { kind: "none" } | { kind: "valid"; reason: string; source: string } | { kind: "invalid"; source: string };

/**
 * The exemption marks among a resource's tags or annotations. Only their values are read: another tag or
 * annotation may be unknown during preview (an IRSA role ARN, say), and reading it would stop every rule on the
 * resource from running.
 */
export function exemptionMarks(props: Record<string, any> | undefined): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    if (!props) return out;
    for (const source of [props.tags, props.metadata?.annotations]) {
        if (!source || typeof source !== "object") continue;
        for (const key of Object.keys(source)) if (key.startsWith(EXEMPTION_PREFIX)) out[key] = source[key];
    }
    return out;
}

/**
 * Thrown when a stack rule would judge a resource whose outputs the engine withheld. @pulumi/policy turns it into
 * the advisory "can't run policy ... during preview", as for any unknown value.
 */
export function outputsWithheldDuringPreview(resource: GraphResource): Error {
    const e = new policyProxy.UnknownValueError(policyProxy.unknownObjectValue, []);
    e.message = `the outputs of ${resource.type} '${resource.name}' can't be known during preview (its provider is not configured yet)`;
    return e;
}

/** Throws {@link outputsWithheldDuringPreview} for the first judged resource that has no properties at all. */
export function requireJudgedOutputs(rule: StackRule, resources: GraphResource[]): void {
    const judged = new Set(rule.judges ?? []);
    const withheld = resources.find((r) => judged.has(r.type) && (!r.props || Object.keys(r.props).length === 0));
    if (withheld) throw outputsWithheldDuringPreview(withheld);
}

/** Finds the exemption of one resource from one policy, in its tags/annotations or in the policy config. */
export function findExemption(
    policyName: string,
    resource: { name: string; urn: string; props?: Record<string, any> },
    configExemptions: ConfigExemption[],
): ExemptionLookup {
    const key = EXEMPTION_PREFIX + policyName;
    const marks = exemptionMarks(resource.props);
    if (key in marks) {
        const reason = String(marks[key] ?? "").trim();
        return reason.length >= MIN_REASON_LENGTH ? { kind: "valid", reason, source: `tag '${key}'` } : { kind: "invalid", source: `tag '${key}'` };
    }
    const entry = configExemptions.find((e) => e.resource === resource.name || e.resource === resource.urn);
    if (entry) {
        const reason = (entry.reason ?? "").trim();
        return reason.length >= MIN_REASON_LENGTH
            ? { kind: "valid", reason, source: "policy config" }
            : { kind: "invalid", source: "policy config" };
    }
    return { kind: "none" };
}

function readConfig(args: { getConfig<T extends object>(): T }): RuleConfig & { raw: Record<string, unknown> } {
    const c = args.getConfig<Partial<RuleConfig> & Record<string, unknown>>() ?? {};
    return { tier: c.tier === "dev" ? "dev" : "prod", exemptions: Array.isArray(c.exemptions) ? c.exemptions : [], raw: c };
}

function invalidExemptionMessage(policyName: string, source: string): string {
    return `exemption from ${policyName} via ${source} has no reason (at least ${MIN_REASON_LENGTH} characters), so it is ignored. Fix: state why the resource may break the rule.`;
}

/** Turns a rule into a CrossGuard policy: config schema, exemptions and the remediation appended to messages. */
export function toPolicy(rule: Rule): policy.ResourceValidationPolicy | policy.StackValidationPolicy {
    const base = {
        name: rule.name,
        description: `${rule.description} [${rule.controls.join(", ")}]`,
        // mandatory-prod rules are mandatory unless the stack's policy config downgrades them (config/dev.json).
        enforcementLevel: rule.level === "advisory" ? ("advisory" as const) : ("mandatory" as const),
        severity: rule.severity,
        remediationSteps: rule.remediation,
        configSchema: ruleConfigSchema(rule),
    };
    const fix = (m: string) => `${m.replace(/[.\s]+$/, "")}. Fix: ${rule.remediation}`;
    if (rule.kind === "resource") {
        const types = new Set(rule.resourceTypes);
        return {
            ...base,
            validateResource: (args, report) => {
                if (!types.has(args.type)) return;
                const cfg = readConfig(args);
                const ex = findExemption(rule.name, { name: args.name, urn: args.urn, props: args.props }, cfg.exemptions);
                if (ex.kind === "valid") return;
                const messages = rule.check(args.props, { tier: cfg.tier, type: args.type, name: args.name, urn: args.urn });
                if (ex.kind === "invalid" && messages.length > 0) report(invalidExemptionMessage(rule.name, ex.source));
                for (const m of messages) report(fix(m));
            },
        };
    }
    return {
        ...base,
        validateStack: (args, report) => {
            const cfg = readConfig(args);
            // Malformed rule config is reported whatever the graph holds: the entry is ignored, and says so.
            for (const m of rule.config?.problems?.(cfg.raw) ?? []) report(m);
            const resources: GraphResource[] = args.resources.map((r) => ({
                type: r.type,
                name: r.name,
                urn: r.urn,
                props: r.props,
                parentUrn: r.parent?.urn,
                dependencyUrns: r.dependencies.map((d) => d.urn),
            }));
            requireJudgedOutputs(rule, resources);
            const byUrn = new Map(resources.map((r) => [r.urn, r]));
            for (const f of rule.check(resources, { tier: cfg.tier, config: cfg.raw })) {
                const target = f.urn ? byUrn.get(f.urn) : undefined;
                if (target) {
                    const ex = findExemption(rule.name, target, cfg.exemptions);
                    if (ex.kind === "valid") continue;
                    if (ex.kind === "invalid") report(invalidExemptionMessage(rule.name, ex.source), f.urn);
                }
                report(fix(f.message), f.urn);
            }
        },
    };
}

/** Policy names of the rules that are mandatory only in production tiers. */
export function prodOnlyRuleNames(rules: Rule[]): string[] {
    return rules.filter((r) => r.level === "mandatory-prod").map((r) => r.name);
}

/**
 * The policy-pack config for a tier, in the format of `pulumi preview --policy-pack-config`: every rule gets
 * the tier, and in non-production tiers the `mandatory-prod` rules are advisory.
 */
export function tierConfig(rules: Rule[], tier: Tier): Record<string, Record<string, unknown>> {
    const out: Record<string, Record<string, unknown>> = {};
    for (const r of rules) {
        out[r.name] = { tier };
        if (tier !== "prod" && r.level === "mandatory-prod") out[r.name].enforcementLevel = "advisory";
    }
    return out;
}

/** Name of the policy that checks exemption marks themselves. */
export const EXEMPTION_POLICY_NAME = "groundwork-exemption-missing-reason";

/** Options of {@link exemptionReasonRule}. */
export interface ExemptionReasonOptions {
    /**
     * Policy-name prefixes of the other Groundwork packs (`aws-`, `k8s-`): marks exempting from such a policy
     * belong to that pack, which checks them, so this pack neither calls them unknown nor reports them twice.
     */
    foreignPrefixes?: string[];
}

/**
 * A mandatory policy over every resource: each `exempt.groundwork.dev/<policy>` tag or annotation must name a
 * policy of the pack and carry a reason; an exemption without a reason is itself a violation.
 */
export function exemptionReasonRule(knownPolicies: string[], options: ExemptionReasonOptions = {}): policy.ResourceValidationPolicy {
    const known = new Set(knownPolicies);
    const foreign = (target: string) => !known.has(target) && (options.foreignPrefixes ?? []).some((p) => target.startsWith(p));
    return {
        name: EXEMPTION_POLICY_NAME,
        description: "Every policy exemption names a policy of this pack and states its reason.",
        enforcementLevel: "mandatory",
        severity: "high",
        remediationSteps: `Set the tag or annotation '${EXEMPTION_PREFIX}<policy-name>' to a sentence saying why the resource may break the rule.`,
        validateResource: (args, report) => {
            for (const [key, value] of Object.entries(exemptionMarks(args.props))) {
                if (!key.startsWith(EXEMPTION_PREFIX)) continue;
                const target = key.slice(EXEMPTION_PREFIX.length);
                if (foreign(target)) continue;
                if (!known.has(target)) {
                    report(`'${key}' exempts from unknown policy '${target}'. Fix: use one of this pack's policy names.`);
                }
                if (String(value ?? "").trim().length < MIN_REASON_LENGTH) {
                    report(`'${key}' has no reason (at least ${MIN_REASON_LENGTH} characters). Fix: say why the resource may break the rule.`);
                }
            }
        },
    };
}
