import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { pendingMockErrors } from "./engine";
import { plan, secretPlaintexts } from "./plan";
import { parseStackReferences } from "./stackReferences";
import { countByType, renderPolicies, renderTree, toPlanJson } from "./report";
import { writeDiagrams } from "./diagram";
import { diffPlans, readPlanJson, renderDiff } from "./diff";
import { CostDelta, CostEstimate, diffCost, estimateCost, loadPrices, renderCost, renderCostDelta } from "./cost";
import { htmlDiagram, writeHtmlReport } from "./html";

/**
 * `npm run plan -- --stack <name> [--program <path>] [--json <file>] [--policy-pack <dir> ...] [--cost] [--cost-base <base.json>]`
 * Exit codes: 0 no mandatory violation; 1 at least one; 2 the program, its config or a pack failed.
 * `--diff <base.json>` prints what changed since a plan written by `--json`; `--diagram`/`--diagram-svg` draw the stack;
 * `--html <file>` writes all of it (tree, findings, diagram, cost, diff) as one self-contained page.
 */
async function main(argv: string[]): Promise<number> {
    const cmd = new Command()
        .name("plan")
        .description("Offline `pulumi preview` with CrossGuard policies: runs the program under Pulumi's mock engine.")
        .requiredOption("--stack <name>", "stack whose Pulumi.<stack>.yaml config is used")
        .option("--program <path>", "Pulumi program file or folder (default: the project's Pulumi.yaml main)")
        .option("--json <file>", "write the plan and policy report as JSON")
        .option("--preview", "computed outputs unknown, as in the first `pulumi preview` of a new stack")
        .option("--policy-pack <dir>", "policy pack folder; repeatable (default: every pack in policies/)", (v: string, acc: string[]) => [...acc, v], [])
        .option("--stack-reference <stack=file>", "outputs of a stack the program reads with StackReference, from a JSON file; repeatable", (v: string, acc: string[]) => [...acc, v], [])
        .option("--stack-output <stack:name=value>", "one output of a referenced stack; repeatable", (v: string, acc: string[]) => [...acc, v], [])
        .option("--policy-config <file>", "policy config JSON for the pack at the same position; repeatable (default: <pack>/config/<tier>.json)", (v: string, acc: string[]) => [...acc, v], [])
        .option("--diff <base.json>", "print what this plan adds, removes and modifies since a plan written by --json (secrets stay [secret]); --json then includes it")
        .option("--diagram <file.mmd>", "write the stack's diagram as Mermaid (components, key resources, network/IAM/CDN edges)")
        .option("--diagram-svg <file.svg>", "write the stack's diagram as SVG through Graphviz (`dot`)")
        .option("--cost", "print the monthly cost (min/max) from the price table in tools/plan/prices; --json then includes it")
        .option("--cost-base <base.json>", "also print the cost of the change from a base plan written by --json")
        .option("--html <file>", "write one self-contained HTML page: resources by component, findings, diagram, cost (and the diff with --diff); --json then includes the cost")
        .exitOverride();
    try {
        cmd.parse(argv, { from: "user" });
    } catch (e) {
        return (e as { exitCode?: number }).exitCode === 0 ? 0 : 2;
    }
    const o = cmd.opts<{ stack: string; program?: string; json?: string; preview?: boolean; policyPack: string[]; policyConfig: string[]; stackReference: string[]; stackOutput: string[] }>();
    const extra = cmd.opts() as { diff?: string; diagram?: string; diagramSvg?: string };
    let base;
    try {
        base = extra.diff ? readPlanJson(extra.diff) : undefined;
    } catch (e) {
        console.error(`error: ${(e as Error).message}`);
        return 2;
    }
    const started = process.hrtime.bigint();
    let result;
    try {
        const stackReferences = parseStackReferences(o.stackReference, o.stackOutput);
        result = await plan({ stack: o.stack, program: o.program, policyPacks: o.policyPack, policyConfigs: o.policyConfig, preview: o.preview, stackReferences });
    } catch (e) {
        const err = e as Error;
        console.error(`error: the plan of stack '${o.stack}' failed: ${err.message}`);
        if (process.env.PLAN_DEBUG) console.error(err.stack);
        return 2;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const { graph, packs, violations } = result;
    console.log(`Previewing update (${graph.stack}) of project ${graph.project}: offline, Pulumi mock engine${o.preview ? ", as a new stack's preview (computed values unknown)" : ""}, policy tier '${result.tier}'\n`);
    console.log(renderTree(graph));
    console.log(`\nResources:\n    + ${graph.resources.length} to create`);
    for (const [type, n] of countByType(graph)) console.log(`      ${String(n).padStart(4)}  ${type}`);
    console.log("");
    console.log(renderPolicies(graph, packs, violations));
    // Cost: --cost prints the table; --cost-base (or the diff option's base file, when given) prints the change's cost.
    const costOpts = cmd.opts() as { cost?: boolean; costBase?: string; diff?: unknown; html?: string };
    const costBase = costOpts.costBase ?? (typeof costOpts.diff === "string" ? costOpts.diff : undefined);
    let cost: CostEstimate | undefined;
    let costDelta: CostDelta | undefined;
    if (costOpts.cost || costBase || costOpts.html) {
        const prices = loadPrices();
        cost = estimateCost(graph.resources, prices);
        if (costOpts.cost) console.log(`\n${renderCost(cost)}`);
        if (costBase) {
            let baseCost: CostEstimate;
            try {
                baseCost = estimateCost(JSON.parse(fs.readFileSync(costBase, "utf8")).resources ?? [], prices);
            } catch (e) {
                console.error(`error: the base plan '${costBase}' cannot be read as a plan JSON: ${(e as Error).message}`);
                return 2;
            }
            costDelta = diffCost(baseCost, cost);
            console.log(`\n${renderCostDelta(costDelta)}`);
        }
    }
    const diff = base ? diffPlans(base, toPlanJson(graph, packs.map((p) => p.name), violations), { secrets: secretPlaintexts(graph) }) : undefined;
    if (diff) console.log(`\n${renderDiff(diff, path.relative(process.cwd(), path.resolve(extra.diff!)))}`);
    try {
        for (const line of writeDiagrams(graph, { mermaid: extra.diagram, svg: extra.diagramSvg })) console.log(`\n${line}`);
    } catch (e) {
        console.error(`error: the diagram cannot be written: ${(e as Error).message}`);
        return 2;
    }
    const planJson = toPlanJson(graph, packs.map((p) => p.name), violations);
    if (costOpts.html) {
        const input = { plan: planJson, packs, tier: result.tier, preview: o.preview, diagram: htmlDiagram(graph), cost, diff, costDelta, secrets: secretPlaintexts(graph), generated: new Date().toISOString() };
        console.log(`\n${writeHtmlReport(path.resolve(costOpts.html), { ...input, baseName: extra.diff ? path.basename(extra.diff) : undefined })}`);
    }
    const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
    const advisory = violations.filter((v) => v.enforcementLevel === "advisory").length;
    if (o.json) {
        const file = path.resolve(o.json);
        fs.writeFileSync(file, JSON.stringify({ ...planJson, ...(cost && (costOpts.cost || costOpts.html) ? { cost } : {}), ...(costDelta ? { costChange: costDelta } : {}), ...(diff ? { diff } : {}) }, null, 2) + "\n");
        console.log(`\nWrote ${path.relative(process.cwd(), file) || file}`);
    }
    console.log(
        `\nDuration: ${seconds.toFixed(2)}s; ${graph.resources.length} resources; ${packs.length} policy pack(s); ` +
            `${mandatory} mandatory and ${advisory} advisory violation(s)`,
    );
    return result.exitCode;
}

// A program that crashes outside the awaited chain (a throw inside an `apply`, a rejected promise nobody awaits)
// is still a program failure: exit 2 with its error, never 1, which means "a mandatory violation".
const crash = (e: unknown) => {
    for (const m of pendingMockErrors()) console.error(`error: ${m}`);
    console.error(`error: the program crashed: ${e instanceof Error ? e.message : String(e)}`);
    if (process.env.PLAN_DEBUG && e instanceof Error) console.error(e.stack);
    process.exit(2);
};
process.on("uncaughtException", crash);
process.on("unhandledRejection", crash);

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        console.error(`error: ${(e as Error).message}`);
        process.exit(2);
    },
);
