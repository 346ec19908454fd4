import * as path from "node:path";
import { analyzeGraph, loadPack, Violation } from "../../tools/plan/analyzer";
import type { RecordedGraph } from "../../tools/plan/engine";
import { tierConfig } from "@groundwork/policy-kit";
import { allRules } from "../../policies/security/rules";
import type { GraphResource, ResourceRule, StackFinding, StackRule, Tier } from "@groundwork/policy-kit";

/** Runs a resource rule's pure check on props (tier prod unless given). */
export function checkResource(
    rule: ResourceRule,
    props: Record<string, any>,
    ctx: { tier?: Tier; type?: string; name?: string } = {},
): string[] {
    const type = ctx.type ?? rule.resourceTypes[0];
    const name = ctx.name ?? "subject";
    return rule.check(props, { tier: ctx.tier ?? "prod", type, name, urn: `urn:pulumi:test::groundwork::${type}::${name}` });
}

/** Builds a GraphResource for stack-rule tests. */
export function graphResource(type: string, name: string, props: Record<string, any> = {}, extra: Partial<GraphResource> = {}): GraphResource {
    return { type, name, urn: `urn:pulumi:test::groundwork::${type}::${name}`, props, dependencyUrns: [], ...extra };
}

/** Runs a stack rule's pure check on a list of resources (tier prod unless given; `config`: the policy's config properties). */
export function checkStack(rule: StackRule, resources: GraphResource[], tier: Tier = "prod", config?: Record<string, unknown>): StackFinding[] {
    return rule.check(resources, { tier, config });
}

/** Deep-clones a known-good props object and applies one mutation (table-driven "happy path then mutate"). */
export function mutate<T extends Record<string, any>>(good: T, change: (p: T) => void): T {
    const copy = structuredClone(good);
    change(copy);
    return copy;
}


/** Folder of the groundwork-security pack. */
export const SECURITY_PACK = path.join(__dirname, "..", "..", "policies", "security");

/**
 * Runs the real groundwork-security pack on a recorded graph through its CrossGuard analyzer handlers, with the
 * tier's policy config (as `npm run plan` does). Returns every violation.
 */
export async function evaluateGraph(graph: RecordedGraph, opts: { tier?: Tier; config?: Record<string, any> } = {}): Promise<Violation[]> {
    const pack = await loadPack(SECURITY_PACK, (fn) => jest.isolateModules(fn));
    return analyzeGraph(pack, graph, opts.config ?? tierConfig(allRules, opts.tier ?? "prod"));
}

/** Only the mandatory violations. */
export function mandatory(violations: Violation[]): Violation[] {
    return violations.filter((v) => v.enforcementLevel === "mandatory");
}
