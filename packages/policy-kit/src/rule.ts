import type { PolicyConfigSchema } from "@pulumi/policy";

/**
 * The shape of a Groundwork policy rule. A rule's check is a pure function of the resource (or of the
 * whole graph for stack rules); display metadata and enforcement are applied where the pack is assembled
 * (see ./pack.ts), as cdk-nag does.
 */

/** Stack tier as policy config carries it. */
export type Tier = "dev" | "prod";

/**
 * How a rule is enforced: `mandatory` always; `advisory` always advisory; `mandatory-prod` mandatory where
 * the stack is a production tier and advisory elsewhere ("mandatory in prod" in a pack's RULES.md).
 */
export type RuleLevel = "mandatory" | "advisory" | "mandatory-prod";

/** Context a check receives besides the resource. */
export interface CheckContext {
    /** Tier of the stack under analysis (policy config `tier`; `prod` when not given: strictest). */
    tier: Tier;
    /** Pulumi type token of the resource. */
    type: string;
    /** Logical name of the resource. */
    name: string;
    /** URN of the resource. */
    urn: string;
}

/** Metadata common to resource and stack rules. */
export interface RuleMeta {
    /** Policy name: `<cloud>-<service>-<resource>-<verb>-<what>`, verb from disallow/enable/configure/enforce/missing. */
    name: string;
    /** One sentence: what the rule requires. */
    description: string;
    /** Control ids of the public benchmarks the rule implements, e.g. `FSBP EC2.13`, `CIS 5.3`, `CKV_AWS_24`, `AWS-0107`, `AwsSolutions-EC23`. */
    controls: string[];
    /** Severity shown by CrossGuard. */
    severity: "low" | "medium" | "high" | "critical";
    /** Enforcement. */
    level: RuleLevel;
    /** What to change to comply; appended to every violation message. */
    remediation: string;
}

/** A rule evaluated on one resource at a time (CrossGuard `validateResource`). */
export interface ResourceRule extends RuleMeta {
    /** Discriminator. */
    kind: "resource";
    /** Pulumi type tokens the rule applies to, e.g. `aws:ec2/securityGroup:SecurityGroup`. */
    resourceTypes: string[];
    /** Returns one message per problem; empty when compliant. `props` are the resource's inputs. */
    check(props: Record<string, any>, ctx: CheckContext): string[];
}

/** A resource as a stack rule sees it. */
export interface GraphResource {
    /** Pulumi type token. */
    type: string;
    /** Logical name. */
    name: string;
    /** URN. */
    urn: string;
    /** Properties (inputs under preview, outputs after update). */
    props: Record<string, any>;
    /** URN of the parent, if any. */
    parentUrn?: string;
    /** URNs this resource depends on. */
    dependencyUrns: string[];
}

/** One finding of a stack rule. */
export interface StackFinding {
    /** The offending resource, when there is one. */
    urn?: string;
    /** What is wrong. */
    message: string;
}

/** Context a stack rule's check receives besides the resources. */
export interface StackCheckContext {
    /** Tier of the stack under analysis (policy config `tier`; `prod` when not given: strictest). */
    tier: Tier;
    /**
     * The policy's config properties as given (with the schema's defaults), for a rule that declares
     * {@link StackRule.config}; absent when none is given (pure tests).
     */
    config?: Record<string, unknown>;
}

/**
 * Policy config a stack rule accepts besides `tier` and `exemptions`, following the exemptions' pattern: the
 * properties join the policy's `configSchema` (so the CLI and the plan tool accept and default them), the check
 * reads them from {@link StackCheckContext.config}, and `problems` reports malformed entries.
 */
export interface RuleConfigSpec {
    /** JSON-schema properties added to the policy's `configSchema`; give each a `default`. */
    properties: PolicyConfigSchema["properties"];
    /**
     * Problems of the given config, each naming the entry and ending with its own `Fix: ...`. The policy reports
     * each once per stack analysis, against no resource and without the rule's remediation appended.
     */
    problems?(config: Record<string, unknown>): string[];
}

/** A rule evaluated on the whole resource graph (CrossGuard `validateStack`). */
export interface StackRule extends RuleMeta {
    /** Discriminator. */
    kind: "stack";
    /** Rule-specific policy config, when the rule takes any. */
    config?: RuleConfigSpec;
    /**
     * Types whose properties the check judges. When one of them has no properties at all, the engine withheld
     * its outputs (a preview in which the resource's provider is not configured yet, such as a Kubernetes
     * provider fed by a cluster that does not exist): the rule then reports "can't run during preview" instead
     * of judging absent properties as unset.
     */
    judges?: string[];
    /** Returns findings; empty when compliant. */
    check(resources: GraphResource[], ctx: StackCheckContext): StackFinding[];
}

/** Any rule. */
export type Rule = ResourceRule | StackRule;

/** Helper: true when a value is a non-empty string. */
export function isSet(v: unknown): v is string {
    return typeof v === "string" && v.length > 0;
}

/** Parses a JSON policy document given as a string or object; undefined when absent or unparsable. */
export function parsePolicy(doc: unknown): { Statement?: any } | undefined {
    if (doc === undefined || doc === null || doc === "") return undefined;
    if (typeof doc === "object") return doc as { Statement?: any };
    if (typeof doc !== "string") return undefined;
    try {
        return JSON.parse(doc);
    } catch {
        return undefined;
    }
}

/** Normalises a policy document's `Statement` (object or array) to an array. */
export function statementsOf(doc: unknown): any[] {
    const parsed = parsePolicy(doc);
    if (!parsed || parsed.Statement === undefined) return [];
    return Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
}

/** Normalises a string-or-array IAM field to an array. */
export function asArray<T>(v: T | T[] | undefined | null): T[] {
    if (v === undefined || v === null) return [];
    return Array.isArray(v) ? v : [v];
}
