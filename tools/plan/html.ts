import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import type { Violation } from "./analyzer";
import { CostDelta, CostEstimate, CostLine, money, moneyRange, quantity, Range, unitPrice, unverifiedKeys } from "./cost";
import { buildDiagram, hasDot, renderSvg, toDot, toMermaid } from "./diagram";
import { DIFF_LEGEND, formatValue, PlanDiff, PropertyChange } from "./diff";
import { RecordedGraph, SECRET_MARK } from "./engine";
import type { PlanJson } from "./report";

/**
 * The plan as one self-contained HTML page (README "HTML report"): the resource tree by component, the policy
 * findings with their controls and remediation, the diagram, the cost and, against a base plan, the diff and the
 * cost of the change. Nothing is fetched: CSS is inline (allowed by its hash in a Content-Security-Policy that
 * forbids every other source, scripts included), the SVG is inlined, the tree folds with `<details>` (no script).
 * Every value comes from the program, so each goes through {@link esc}.
 */

/** A policy of a pack as the report reads it (what getAnalyzerInfo returns). */
export interface HtmlPolicyInfo {
    /** Policy name. */
    name: string;
    /** Description; Groundwork's packs end it with the control ids in brackets. */
    description: string;
    /** Default enforcement level. */
    enforcementLevel: string;
}

/** A policy pack evaluated by the plan. */
export interface HtmlPack {
    /** Pack name. */
    name: string;
    /** Pack version. */
    version: string;
    /** Its folder, relative to the repository. */
    dir?: string;
    /** Its policies. */
    policies: HtmlPolicyInfo[];
}

/** The diagram as the page embeds it: the SVG when Graphviz is there, otherwise the Mermaid source and why. */
export interface HtmlDiagram {
    /** SVG rendered by `dot`. */
    svg?: string;
    /** Mermaid source (always there: the fallback and a copyable text form). */
    mermaid: string;
    /** Why there is no SVG. */
    reason?: string;
    /** Node, edge and component counts. */
    counts: { nodes: number; edges: number; clusters: number };
}

/** Everything the page shows. */
export interface HtmlReportInput {
    /** The plan as `--json` writes it (resources with parents, outputs, violations). */
    plan: PlanJson;
    /** Packs with their policies (for control ids). */
    packs: HtmlPack[];
    /** Policy tier of the stack. */
    tier: string;
    /** Planned as a new stack's preview (computed values unknown). */
    preview?: boolean;
    /** The diagram. */
    diagram?: HtmlDiagram;
    /** The cost estimate. */
    cost?: CostEstimate;
    /** The diff against a base plan. */
    diff?: PlanDiff;
    /** The base plan's file name, for the diff's heading. */
    baseName?: string;
    /** The cost of the change against that base. */
    costDelta?: CostDelta;
    /** Plaintexts of the program's secrets: replaced by `[secret]` wherever they would appear. */
    secrets?: string[];
    /** When the page was written (ISO). */
    generated?: string;
}

/** One row of the findings table. */
export interface Finding {
    /** Pack name. */
    pack: string;
    /** Policy name. */
    policy: string;
    /** Effective enforcement level. */
    level: string;
    /** Control ids of the benchmarks the policy implements. */
    controls: string[];
    /** What the policy requires. */
    description: string;
    /** The offending resource, or null for a stack-wide finding. */
    resource: { type: string; name: string; urn: string } | null;
    /** What is wrong. */
    problem: string;
    /** What to change (the rule's remediation); empty when the message gives none. */
    remediation: string;
}

const CONTROLS = /\s*\[([^\]]*)\]\s*$/;

/**
 * Reads the findings out of the violations: Groundwork's packs (`toPolicy` in `@groundwork/policy-kit`) describe a
 * policy as `<description> [<control ids>]` and write each message as that description, a newline, the problem and
 * `Fix: <remediation>`. A policy outside that form still gets a row: its message as the problem.
 */
export function findings(plan: Pick<PlanJson, "resources">, packs: HtmlPack[], violations: Violation[]): Finding[] {
    const byUrn = new Map(plan.resources.map((r) => [r.urn, r]));
    const order = ["mandatory", "remediate", "advisory", "disabled"];
    return violations
        .map((v): Finding => {
            const info = packs.find((p) => p.name === v.pack)?.policies.find((p) => p.name === v.policy);
            const [first, ...rest] = v.message.split("\n");
            // The first line is the description when it matches the policy's (or carries control ids).
            const headed = rest.length > 0 && (first === info?.description || CONTROLS.test(first));
            const described = info?.description ?? (headed ? first : "");
            const controls = (described.match(CONTROLS)?.[1] ?? "")
                .split(",")
                .map((c) => c.trim())
                .filter(Boolean);
            const body = (headed ? rest.join("\n") : v.message).trim();
            const fix = body.lastIndexOf("Fix: ");
            const r = v.urn ? byUrn.get(v.urn) : undefined;
            return {
                pack: v.pack,
                policy: v.policy,
                level: v.enforcementLevel,
                controls,
                description: described.replace(CONTROLS, ""),
                resource: r ? { type: r.type, name: r.name, urn: r.urn } : null,
                problem: (fix >= 0 ? body.slice(0, fix) : body).trim(),
                remediation: fix >= 0 ? body.slice(fix + 5).trim() : "",
            };
        })
        .sort((a, b) => order.indexOf(a.level) - order.indexOf(b.level) || a.policy.localeCompare(b.policy) || (a.resource?.name ?? "").localeCompare(b.resource?.name ?? ""));
}

/**
 * The stack's diagram for the page: the SVG from Graphviz's `dot` when it is installed (the XML prologue dropped,
 * so it inlines), otherwise the Mermaid source with the reason.
 */
export function htmlDiagram(graph: RecordedGraph): HtmlDiagram {
    const d = buildDiagram(graph);
    const out: HtmlDiagram = { mermaid: toMermaid(d), counts: { nodes: d.nodes.length, edges: d.edges.length, clusters: d.clusters.length } };
    if (!hasDot()) return { ...out, reason: "Graphviz's `dot` is not installed here (tools/setup.sh installs it), so the diagram is its Mermaid source." };
    try {
        const svg = renderSvg(toDot(d));
        return { ...out, svg: svg.slice(svg.indexOf("<svg")) };
    } catch (e) {
        return { ...out, reason: `Graphviz failed (${(e as Error).message}), so the diagram is its Mermaid source.` };
    }
}

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
    return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

// Graphviz escapes labels itself; an SVG that still holds a script, a foreign object, an event handler or a link is
// not inlined (the CSP would block a script anyway; this keeps the markup itself inert).
const UNSAFE_SVG = /<\s*(script|foreignObject|iframe|a\b|image|use)|\son[a-z]+\s*=|javascript:|xlink:href|\shref\s*=/i;

/** Renders the report page (pure): one HTML document with no external reference. */
export function renderHtmlReport(input: HtmlReportInput): string {
    const secrets = [...(input.secrets ?? [])].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
    /** Every program-derived value goes through here: secrets scrubbed, then HTML-escaped. */
    const esc = (v: unknown): string => {
        let s = typeof v === "string" ? v : v === undefined ? "" : String(v);
        for (const p of secrets) s = s.split(p).join(SECRET_MARK);
        return escapeHtml(s);
    };
    const { plan } = input;
    const found = findings(plan, input.packs, plan.policies.violations);
    const count = (level: string) => found.filter((f) => f.level === level).length;
    const sections: string[] = [];

    // Summary
    const costText = input.cost ? `${input.cost.currency} ${moneyRange(input.cost.monthly)} a month` : "not estimated";
    sections.push(`<section id="summary"><dl class="summary">
<dt>Stack</dt><dd id="summary-stack">${esc(plan.stack)}</dd>
<dt>Project</dt><dd>${esc(plan.project)}</dd>
<dt>Policy tier</dt><dd>${esc(input.tier)}</dd>
<dt>Resources</dt><dd id="summary-resources">${plan.resources.length} to create</dd>
<dt>Findings</dt><dd id="summary-findings">${count("mandatory")} mandatory, ${count("advisory")} advisory${count("remediate") ? `, ${count("remediate")} remediated` : ""}</dd>
<dt>Cost</dt><dd id="summary-cost">${esc(costText)}</dd>
${input.diff ? `<dt>Change</dt><dd id="summary-diff">+${input.diff.added.length} added, −${input.diff.removed.length} removed, ~${input.diff.modified.length} modified</dd>` : ""}
</dl>${input.preview ? `<p class="note">Planned as a new stack's preview: computed values are unknown.</p>` : ""}</section>`);

    sections.push(renderFindings(found, input.packs, esc));
    sections.push(renderTreeSection(plan, esc));
    if (input.diagram) sections.push(renderDiagram(input.diagram, esc));
    if (input.cost) sections.push(renderCostSection(input.cost, esc));
    if (input.diff) sections.push(renderDiffSection(input.diff, input.baseName ?? "base", input.costDelta, esc));

    const nav = [
        ["findings", "Findings"],
        ["resources", "Resources"],
        ...(input.diagram ? [["diagram", "Diagram"]] : []),
        ...(input.cost ? [["cost", "Cost"]] : []),
        ...(input.diff ? [["diff", "Diff"]] : []),
    ]
        .map(([id, label]) => `<a href="#${id}">${label}</a>`)
        .join(" · ");
    const title = `Plan of stack ${plan.stack} (${plan.project})`;
    const csp = `default-src 'none'; style-src '${styleHash()}'; img-src data:; base-uri 'none'; form-action 'none'`;
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>${esc(title)}</h1><p>Offline plan under Pulumi's mock engine${input.generated ? `, ${esc(input.generated)}` : ""}. <nav>${nav}</nav></p></header>
<main>
${sections.join("\n")}
</main>
</body>
</html>
`;
}

type Esc = (v: unknown) => string;

function renderFindings(found: Finding[], packs: HtmlPack[], esc: Esc): string {
    const packLine = packs.map((p) => `${esc(p.name)}@v${esc(p.version)}${p.dir ? ` (${esc(p.dir)})` : ""}`).join(", ");
    if (found.length === 0) return `<section id="findings"><h2>Policy findings</h2><p>Packs: ${packLine}.</p><p class="ok">No finding.</p></section>`;
    const rows = found.map(
        (f) => `<tr class="finding level-${esc(f.level)}" data-policy="${esc(f.policy)}">
<td class="level">${esc(f.level)}</td>
<td><code class="policy">${esc(f.policy)}</code><div class="muted">${esc(f.pack)}</div><div class="description">${esc(f.description)}</div></td>
<td class="controls">${f.controls.map((c) => `<span class="control">${esc(c)}</span>`).join(" ")}</td>
<td class="resource">${f.resource ? `<span class="type">${esc(f.resource.type)}</span><br><span class="name">${esc(f.resource.name)}</span>` : "stack"}</td>
<td class="problem">${esc(f.problem)}</td>
<td class="remediation">${esc(f.remediation)}</td>
</tr>`,
    );
    return `<section id="findings"><h2>Policy findings (${found.length})</h2><p>Packs: ${packLine}.</p>
<table class="findings"><thead><tr><th>Level</th><th>Policy</th><th>Controls</th><th>Resource</th><th>Problem</th><th>Remediation</th></tr></thead>
<tbody>
${rows.join("\n")}
</tbody></table></section>`;
}

function renderTreeSection(plan: PlanJson, esc: Esc): string {
    const known = new Set(plan.resources.map((r) => r.urn));
    const children = new Map<string | null, PlanJson["resources"]>();
    for (const r of plan.resources) {
        const key = r.parent && known.has(r.parent) ? r.parent : null;
        if (!children.has(key)) children.set(key, []);
        children.get(key)!.push(r);
    }
    const size = (urn: string): number => (children.get(urn) ?? []).reduce((s, c) => s + 1 + size(c.urn), 0);
    const props = (r: PlanJson["resources"][number]) =>
        Object.keys(r.inputs ?? {}).length === 0 ? "" : `<details class="props"><summary>inputs</summary><pre>${esc(JSON.stringify(r.inputs, null, 2))}</pre></details>`;
    const item = (r: PlanJson["resources"][number], depth: number): string => {
        const kids = children.get(r.urn) ?? [];
        const flags = r.protect ? ` <span class="flag">protected</span>` : "";
        const head = `<span class="type">${esc(r.type)}</span> <span class="name">${esc(r.name)}</span>${flags}`;
        if (kids.length === 0) return `<li class="resource" data-name="${esc(r.name)}">${head}${props(r)}</li>`;
        // Components fold; the stack and the top level open, so the components are what a reader sees first.
        return `<li class="component" data-name="${esc(r.name)}"><details${depth === 0 ? " open" : ""}><summary>${head} <span class="muted">(${size(r.urn)} inside)</span></summary>${props(r)}<ul>${kids.map((k) => item(k, depth + 1)).join("")}</ul></details></li>`;
    };
    return `<section id="resources"><h2>Resources (${plan.resources.length})</h2>
<p class="muted">By component: open one to see its resources and their inputs (secrets show as ${SECRET_MARK}).</p>
<ul class="tree">${(children.get(null) ?? []).map((r) => item(r, 0)).join("\n")}</ul>
${Object.keys(plan.outputs ?? {}).length > 0 ? `<details class="outputs"><summary>Stack outputs</summary><pre>${esc(JSON.stringify(plan.outputs, null, 2))}</pre></details>` : ""}
</section>`;
}

function renderDiagram(d: HtmlDiagram, esc: Esc): string {
    const head = `<h2>Diagram</h2><p class="muted">${d.counts.nodes} nodes, ${d.counts.edges} edges, ${d.counts.clusters} components. Edges: sg = security group ingress, netpol = NetworkPolicy, iam / producer / consumer = IAM grants, origin = CloudFront origin.</p>`;
    if (d.svg && !UNSAFE_SVG.test(d.svg)) return `<section id="diagram">${head}<figure class="diagram">${d.svg}</figure></section>`;
    const reason = d.svg ? "The SVG held markup that is not inlined (a script, link or event handler), so the diagram is its Mermaid source." : (d.reason ?? "No SVG.");
    return `<section id="diagram">${head}<p class="note" id="diagram-fallback">${esc(reason)}</p><pre class="mermaid-source">${esc(d.mermaid)}</pre></section>`;
}

const rangeCell = (r: Range) => `<td class="num">${money(r.min)}</td><td class="num">${money(r.max)}</td>`;

function lineRow(l: CostLine, esc: Esc): string {
    return `<tr class="cost-line basis-${l.basis}"><td>${esc(l.item)}${l.note ? `<div class="muted">${esc(l.note)}</div>` : ""}</td>
<td>${esc(l.resources.join(", "))}</td><td>${esc(quantity(l))}</td><td>$${esc(unitPrice(l.unitPrice))}/${esc(l.unit)}${l.verified ? "" : ` <span class="flag">unverified</span>`}</td>
<td><code>${esc(l.priceKey)}</code></td><td>${l.basis}</td>${rangeCell(l.monthly)}</tr>`;
}

function renderCostSection(e: CostEstimate, esc: Esc): string {
    const comps = Object.entries(e.byComponent);
    const summary = comps
        .map(([k, g]) => `<tr class="cost-component" data-component="${esc(k)}"><td><a href="#cost-${slug(k)}">${esc(k)}</a></td><td class="num">${esc(moneyRange(g.fixed))}</td><td class="num">${esc(moneyRange(g.usage))}</td>${rangeCell(g)}</tr>`)
        .join("\n");
    const details = comps
        .filter(([, g]) => g.lines.length > 0 || g.usageNotEstimated.length > 0)
        .map(
            ([k, g]) => `<details class="cost-detail" id="cost-${slug(k)}"><summary>${esc(k)}${g.type ? ` <span class="muted">${esc(g.type)}</span>` : ""}: ${esc(moneyRange(g))} a month</summary>
${g.lines.length > 0 ? `<table><thead><tr><th>Item</th><th>Resources</th><th>Quantity</th><th>Unit price</th><th>Price key</th><th>Basis</th><th>Min/month</th><th>Max/month</th></tr></thead><tbody>${g.lines.map((l) => lineRow(l, esc)).join("\n")}</tbody></table>` : ""}
${g.usageNotEstimated.length > 0 ? `<p>Usage-billed, not estimated: ${g.usageNotEstimated.map((u) => `${esc(u.type)} × ${u.resources.length} (${esc(u.note)}: ${esc(u.resources.join(", "))})`).join("; ")}</p>` : ""}
</details>`,
        )
        .join("\n");
    const unverified = unverifiedKeys(e);
    const notPriced = e.notPriced.length === 0 ? "<p>Not priced: none.</p>" : `<p>Not priced (not in the total):</p><ul>${e.notPriced.map((p) => `<li>${esc(p.type)} × ${p.count} in ${esc(p.components.join(", "))}: ${esc(p.reason)} (${esc(p.resources.join(", "))})</li>`).join("")}</ul>`;
    return `<section id="cost"><h2>Cost</h2>
<p class="total" id="cost-total">${esc(e.currency)} ${esc(moneyRange(e.monthly))} a month: fixed ${esc(moneyRange(e.fixed))}, usage-based ${esc(moneyRange(e.usage))} (${esc(e.region)} on-demand, price table of ${esc(e.priceDate)}, ${e.hoursPerMonth} h/month).</p>
<table class="cost-summary"><thead><tr><th>Component</th><th>Fixed</th><th>Usage-based</th><th>Min/month</th><th>Max/month</th></tr></thead>
<tbody>${summary}</tbody><tfoot><tr><th>Total</th><td class="num">${esc(moneyRange(e.fixed))}</td><td class="num">${esc(moneyRange(e.usage))}</td>${rangeCell(e.monthly)}</tr></tfoot></table>
${details}
${notPriced}
<h3>Assumptions</h3><ul class="assumptions">${e.assumptions.map((a) => `<li>${esc(a)}</li>`).join("")}${unverified.length > 0 ? `<li>Not verified on ${esc(e.priceDate)} (check the source page): ${esc(unverified.join(", "))}.</li>` : ""}</ul>
<p class="muted">Prices: tools/plan/prices/*.json by price key; sources: ${[...new Set(Object.values(e.byComponent).flatMap((g) => g.lines.map((l) => l.source)))].sort().map((s) => esc(s)).join(", ")}.</p>
</section>`;
}

const signed = (v: number) => (v > 0.004 ? "+" : v < -0.004 ? "−" : "") + money(Math.abs(v));

function changeRows(changes: PropertyChange[], esc: Esc): string {
    return changes.map((c) => `<tr><td><code>${esc(c.path)}</code></td><td>${c.kind}</td><td><code>${esc(formatValue(c.before))}</code></td><td><code>${esc(formatValue(c.after))}</code></td></tr>`).join("");
}

function renderDiffSection(diff: PlanDiff, baseName: string, cost: CostDelta | undefined, esc: Esc): string {
    const list = (id: string, title: string, items: { type: string; name: string; urn: string }[]) =>
        `<section id="${id}" class="diff-part"><h3>${title} (${items.length})</h3>${items.length === 0 ? "<p class=\"muted\">None.</p>" : `<ul>${items.map((r) => `<li><span class="type">${esc(r.type)}</span> <span class="name">${esc(r.name)}</span> <span class="muted">${esc(r.urn)}</span></li>`).join("")}</ul>`}</section>`;
    const modified = `<section id="diff-modified" class="diff-part"><h3>Modified (${diff.modified.length})</h3>${
        diff.modified.length === 0
            ? "<p class=\"muted\">None.</p>"
            : diff.modified
                  .map((r) => `<details open><summary><span class="type">${esc(r.type)}</span> <span class="name">${esc(r.name)}</span></summary><table><thead><tr><th>Property</th><th>Change</th><th>Before</th><th>After</th></tr></thead><tbody>${changeRows(r.changes, esc)}</tbody></table></details>`)
                  .join("\n")
    }</section>`;
    const outputs = diff.outputs.length > 0 ? `<section id="diff-outputs" class="diff-part"><h3>Stack outputs (${diff.outputs.length})</h3><table><tbody>${changeRows(diff.outputs, esc)}</tbody></table></section>` : "";
    const costPart = !cost
        ? ""
        : `<section id="cost-change" class="diff-part"><h3>Cost of the change</h3>
<p class="total">${esc(cost.currency)} min ${signed(cost.delta.min)} (${money(cost.base.min)} → ${money(cost.current.min)}), max ${signed(cost.delta.max)} (${money(cost.base.max)} → ${money(cost.current.max)}) a month.</p>
${
    cost.lines.length === 0
        ? "<p class=\"muted\">No priced line changed.</p>"
        : `<table><thead><tr><th>Component</th><th>Item</th><th>Resources</th><th>Before</th><th>After</th><th>Change (min / max)</th></tr></thead><tbody>${cost.lines
              .map(
                  (l) =>
                      `<tr class="cost-delta"><td>${esc(l.component)}</td><td>${esc(l.item)} <code>${esc(l.priceKey)}</code></td><td>${esc(l.resources.join(", "))}</td><td class="num">${esc(moneyRange(l.base))}</td><td class="num">${esc(moneyRange(l.current))}</td><td class="num">${signed(l.delta.min)} / ${signed(l.delta.max)}</td></tr>`,
              )
              .join("")}</tbody></table>`
}${cost.notPricedAdded.length > 0 ? `<p>Not priced, added by the change (cost unknown): ${esc(cost.notPricedAdded.join(", "))}</p>` : ""}</section>`;
    return `<section id="diff"><h2>Changes since ${esc(baseName)}</h2>
<p>Base: stack ${esc(diff.base.stack)}, ${diff.base.resources} resources → this plan: stack ${esc(diff.head.stack)}, ${diff.head.resources} resources; ${diff.unchanged} unchanged.</p>
${list("diff-added", "Added", diff.added)}
${list("diff-removed", "Removed", diff.removed)}
${modified}
${outputs}
${costPart}
<ul class="muted">${DIFF_LEGEND.map((l) => `<li>${esc(l)}</li>`).join("")}</ul>
</section>`;
}

/** An id fragment for a component name (letters, digits, dashes). */
function slug(k: string): string {
    return k.replace(/[^A-Za-z0-9-]+/g, "_");
}

const STYLE = `
:root{--fg:#1d2330;--muted:#5b6474;--line:#d8dde6;--bad:#b42318;--warn:#a15c07;--ok:#067647;--bg2:#f5f7fa}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);margin:0 auto;max-width:1400px;padding:0 24px 48px}
header{border-bottom:1px solid var(--line);margin-bottom:16px}h1{font-size:22px;margin:18px 0 4px}h2{font-size:18px;margin:28px 0 8px}h3{font-size:15px;margin:18px 0 6px}
nav a{margin:0 4px}code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}pre{background:var(--bg2);padding:8px;overflow:auto;max-height:420px;white-space:pre-wrap;word-break:break-all}
.summary{display:grid;grid-template-columns:max-content 1fr;gap:2px 16px}.summary dt{color:var(--muted)}.summary dd{margin:0;font-weight:600}
.muted{color:var(--muted);font-size:12px}.note{background:#fff8e6;border-left:3px solid var(--warn);padding:6px 10px}.ok{color:var(--ok)}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{border:1px solid var(--line);padding:4px 6px;text-align:left;vertical-align:top}th{background:var(--bg2)}td.num{text-align:right;white-space:nowrap}
tr.level-mandatory td.level{color:var(--bad);font-weight:700}tr.level-advisory td.level{color:var(--warn);font-weight:700}
.control{display:inline-block;background:#eef2ff;border:1px solid #c7d2fe;border-radius:3px;padding:0 4px;margin:1px;font-size:12px;white-space:nowrap}
.flag{font-size:11px;background:var(--bg2);border:1px solid var(--line);border-radius:3px;padding:0 3px}
ul.tree,ul.tree ul{list-style:none;padding-left:18px}ul.tree{padding-left:0}.type{color:var(--muted)}.name{font-weight:600}
details>summary{cursor:pointer}details.props>summary{font-size:12px;color:var(--muted)}
figure.diagram{margin:0;overflow:auto;border:1px solid var(--line);max-height:900px}figure.diagram svg{max-width:100%;height:auto}
.total{font-size:16px;font-weight:600}.cost-detail{margin:6px 0}
#diff-added h3{color:var(--ok)}#diff-removed h3{color:var(--bad)}#diff-modified h3{color:var(--warn)}
`;

/** The CSP source that allows exactly the page's one style block. */
function styleHash(): string {
    return `sha256-${createHash("sha256").update(STYLE).digest("base64")}`;
}

/** Writes the page; returns the log line. */
export function writeHtmlReport(file: string, input: HtmlReportInput): string {
    const html = renderHtmlReport(input);
    fs.writeFileSync(file, html);
    return `HTML report: ${path.relative(process.cwd(), file) || file} (${Math.round(Buffer.byteLength(html) / 1024)} KiB${input.diagram && !input.diagram.svg ? "; diagram as Mermaid source: dot is missing" : ""})`;
}
