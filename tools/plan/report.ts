import type { Violation } from "./analyzer";
import type { RecordedGraph } from "./engine";

/** The JSON document `--json` writes (its shape is this interface; README "The offline plan tool"). */
export interface PlanJson {
    /** Project name. */
    project: string;
    /** Stack name. */
    stack: string;
    /** Every resource, in registration order. */
    resources: {
        urn: string;
        type: string;
        name: string;
        parent: string | null;
        inputs: Record<string, unknown>;
        dependencies: string[];
        provider: string | null;
        protect: boolean;
    }[];
    /** Stack outputs (secrets as `[secret]`). */
    outputs: Record<string, unknown>;
    /** Policy packs evaluated and their violations. */
    policies: { packs: string[]; violations: Violation[] };
}

/** Builds the contract's JSON document. */
export function toPlanJson(graph: RecordedGraph, packs: string[], violations: Violation[]): PlanJson {
    return {
        project: graph.project,
        stack: graph.stack,
        resources: graph.resources.map((r) => ({
            urn: r.urn,
            type: r.type,
            name: r.name,
            parent: r.parent,
            inputs: r.inputs,
            dependencies: r.dependencies,
            provider: r.provider,
            protect: r.protect,
        })),
        outputs: graph.outputs,
        policies: { packs, violations },
    };
}

/** Renders the resource tree the way `pulumi preview` does: type, name, nesting, then counts. */
export function renderTree(graph: RecordedGraph): string {
    const children = new Map<string | null, RecordedGraph["resources"]>();
    for (const r of graph.resources) {
        const key = r.parent && graph.resources.some((p) => p.urn === r.parent) ? r.parent : null;
        if (!children.has(key)) children.set(key, []);
        children.get(key)!.push(r);
    }
    const rows: [string, string, string][] = [];
    const walk = (parent: string | null, prefix: string) => {
        const list = children.get(parent) ?? [];
        list.forEach((r, i) => {
            const last = i === list.length - 1;
            const branch = parent === null ? "" : last ? "└─ " : "├─ ";
            const flags = [r.protect ? "protected" : "", r.remote ? "remote (opaque offline)" : ""].filter(Boolean).join(", ");
            rows.push([`${prefix}${branch}${r.type}`, r.name, flags ? `create (${flags})` : "create"]);
            walk(r.urn, parent === null ? "" : prefix + (last ? "   " : "│  "));
        });
    };
    walk(null, "");
    const w0 = Math.max(4, ...rows.map((r) => r[0].length));
    const w1 = Math.max(4, ...rows.map((r) => r[1].length));
    const lines = [`     ${"Type".padEnd(w0)}  ${"Name".padEnd(w1)}  Plan`];
    for (const [t, n, p] of rows) lines.push(` +   ${t.padEnd(w0)}  ${n.padEnd(w1)}  ${p}`);
    return lines.join("\n");
}

/** Counts by type, most frequent first. */
export function countByType(graph: RecordedGraph): [string, number][] {
    const counts = new Map<string, number>();
    for (const r of graph.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

/** Renders the policy report the way CrossGuard prints it: per pack, per violation level, policy, resource, message. */
export function renderPolicies(graph: RecordedGraph, packs: { name: string; version: string; dir: string }[], violations: Violation[]): string {
    const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
    const lines: string[] = ["Policies:"];
    for (const pack of packs) {
        const mine = violations.filter((v) => v.pack === pack.name);
        const mandatory = mine.filter((v) => v.enforcementLevel === "mandatory");
        const icon = mandatory.length > 0 ? "❌" : mine.length > 0 ? "⚠️ " : "✅";
        lines.push(`    ${icon} ${pack.name}@v${pack.version} (local: ${pack.dir})`);
        const order = ["mandatory", "remediate", "advisory"];
        const sorted = [...mine].sort((a, b) => order.indexOf(a.enforcementLevel) - order.indexOf(b.enforcementLevel) || a.policy.localeCompare(b.policy));
        for (const v of sorted) {
            const r = v.urn ? byUrn.get(v.urn) : undefined;
            const where = r ? `${r.type}: ${r.name}` : v.urn ?? "stack";
            lines.push(`        - [${v.enforcementLevel}]  ${v.policy}  (${where})`);
            for (const m of v.message.split("\n")) lines.push(`          ${m}`);
        }
    }
    return lines.join("\n");
}
