/**
 * `npm run policy:coverage`: measures what every rule of both packs reads and writes policies/COVERAGE.md (the
 * table for people) and policies/coverage.json (the same data for tests). `--check` writes nothing and exits 1
 * when either file is stale; `npm test` runs it.
 *
 * The rules are traced (./trace.ts) on every program of the corpus (./corpus.ts), planned offline once each.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { Rule } from "@groundwork/policy-kit";
import { allRules as kubernetesRules } from "../../policies/kubernetes/rules";
import { allRules as securityRules } from "../../policies/security/rules";
import { REPO_ROOT } from "../plan/plan";
import { corpus, corpusGraph } from "./corpus";
import { COVERED_FAMILIES, sdkTypes } from "./families";
import { compact, DOCUMENT, IDENTITY, Reads, REFERENCE_PATHS, REPORTED, traceRule } from "./trace";

/** What one rule reads, as policies/coverage.json records it. */
export interface RuleCoverage {
    /** Pack the rule belongs to. */
    pack: string;
    /** Resource or stack rule. */
    kind: "resource" | "stack";
    /** Enforcement level. */
    level: string;
    /** For a resource rule, the types it is declared for (whether or not the corpus holds one). */
    declaredTypes?: string[];
    /** Type → property paths the rule read on the corpus. */
    reads: Record<string, string[]>;
}

/** The contents of policies/coverage.json. */
export interface Coverage {
    /** Programs traced. */
    corpus: string[];
    /** Resources planned across the corpus. */
    resources: number;
    /** Rule name → what it reads. */
    rules: Record<string, RuleCoverage>;
}

/** Reviewed uncovered types: type → why no rule reads it. */
export type UncoveredReview = Record<string, string>;

export const COVERAGE_JSON = path.join(REPO_ROOT, "policies", "coverage.json");
export const COVERAGE_MD = path.join(REPO_ROOT, "policies", "COVERAGE.md");
export const UNCOVERED_REVIEW = path.join(REPO_ROOT, "policies", "uncovered-types.json");

const PACKS: { pack: string; rules: Rule[] }[] = [
    { pack: "groundwork-security", rules: securityRules },
    { pack: "groundwork-kubernetes", rules: kubernetesRules },
];

/** Plans the corpus and traces every rule on it. */
export async function measure(log: (m: string) => void = () => undefined): Promise<Coverage> {
    const programs = corpus();
    const reads = new Map<string, Reads>(PACKS.flatMap((p) => p.rules.map((r) => [r.name, new Map()] as [string, Reads])));
    let resources = 0;
    for (const p of programs) {
        const graph = await corpusGraph(p);
        resources += graph.length;
        for (const { rules } of PACKS) for (const rule of rules) traceRule(rule, graph, reads.get(rule.name)!);
        log(`${p.label}: ${graph.length} resources`);
    }
    const out: Coverage = { corpus: programs.map((p) => p.label), resources, rules: {} };
    for (const { pack, rules } of PACKS) {
        for (const rule of rules) {
            const r = reads.get(rule.name)!;
            out.rules[rule.name] = {
                pack,
                kind: rule.kind,
                level: rule.level,
                ...(rule.kind === "resource" ? { declaredTypes: [...rule.resourceTypes].sort() } : {}),
                reads: Object.fromEntries([...r.keys()].sort().map((t) => [t, compact(r.get(t)!)])),
            };
        }
    }
    return out;
}

/**
 * Types a rule judges: a resource rule's declared types; for a stack rule, every type it reported a finding on, or
 * read a property of beyond the ones any resource is matched by ({@link REFERENCE_PATHS}: a rule that collects the
 * ARNs of the whole graph does not judge every type in it).
 */
export function typesRead(c: Coverage): Set<string> {
    const out = new Set<string>();
    for (const r of Object.values(c.rules)) {
        for (const t of r.declaredTypes ?? []) out.add(t);
        for (const [t, paths] of Object.entries(r.reads)) {
            if (paths.some((p) => p === REPORTED || !REFERENCE_PATHS.includes(p))) out.add(t);
        }
    }
    return out;
}

/** Per covered family, the SDK's resource types that no rule reads. */
export function uncoveredByFamily(c: Coverage): Record<string, string[]> {
    const read = typesRead(c);
    return Object.fromEntries(COVERED_FAMILIES.map((f) => [f, sdkTypes(f).filter((t) => !read.has(t))]));
}

const LEVEL_TEXT: Record<string, string> = { mandatory: "mandatory", advisory: "advisory", "mandatory-prod": "mandatory in prod" };
const code = (s: string) => `\`${s.replace(/\|/g, "\\|")}\``;

function ruleSection(name: string, r: RuleCoverage): string[] {
    // Types with the same property set share a row (the Kubernetes workload kinds, the IAM policy carriers).
    const rows = new Map<string, string[]>();
    for (const [type, paths] of Object.entries(r.reads)) {
        const key = paths.map(code).join(", ") || "(none)";
        rows.set(key, [...(rows.get(key) ?? []), type]);
    }
    const absent = (r.declaredTypes ?? []).filter((t) => !(t in r.reads));
    const lines = [`### ${code(name)}`, "", `${r.kind === "resource" ? "Resource" : "Stack"} rule, ${LEVEL_TEXT[r.level]}.`, ""];
    if (rows.size > 0) {
        lines.push("| Types | Properties read |", "|---|---|");
        for (const [props, types] of rows) {
            const list = types.map(code).join("<br>");
            lines.push(`| ${types.length > 6 ? `<details><summary>${types.length} types</summary>${list}</details>` : list} | ${props} |`);
        }
        lines.push("");
    }
    if (absent.length > 0) lines.push(`Also judges, though no program of the corpus declares one: ${absent.map(code).join(", ")}.`, "");
    return lines;
}

/** Renders policies/COVERAGE.md. */
export function renderMarkdown(c: Coverage, review: UncoveredReview): string {
    const uncovered = uncoveredByFamily(c);
    const lines = [
        "# Policy coverage",
        "",
        "<!-- Generated by `npm run policy:coverage`; `npm test` fails when it is stale. Edit the rules, the corpus or",
        "policies/uncovered-types.json, not this file. -->",
        "",
        "Which resource types and which of their properties each rule of the two packs reads, measured rather than",
        "declared: every rule's check runs on the resource graphs of the programs below, with each property wrapped so",
        "that reading it is recorded. A resource rule is run on the inputs of every resource of its declared types, a",
        "stack rule on the outputs of the whole graph.",
        "",
        `- **Corpus:** ${c.corpus.length} programs (${c.resources} resources): both stacks of the platform, every program`,
        "  under `test/fixtures/programs/` and every risk fixture under `test/fixtures/programs/risks/`.",
        `- A path ending in${DOCUMENT} is a policy document, as a JSON string, an object or an invoke result; the`,
        "  rule reads all of its statements (`Effect`, `Action`/`NotAction`, `Resource`/`NotResource`, `Principal`/",
        "  `NotPrincipal`, `Condition`).",
        `- ${code(IDENTITY)}: a stack rule picked the resource out (its URN, name or dependencies) without reading a property.`,
        `- ${code(REPORTED)}: the rule reported a finding on a resource of the type in the corpus.`,
        `- A type counts as read by a stack rule when the rule reported on it or read a property other than ${REFERENCE_PATHS.map(code).join(", ")},`,
        "  the paths any resource is matched by (the workload-identity rule collects the ARN of every resource, for example).",
        "- `a[]` is any element of the list `a`; `a.*` means the rule enumerated the keys of `a`.",
        "- A property the rules read only behind a condition no program of the corpus meets is not listed. Adding a",
        "  fixture that meets it adds the row.",
        "",
        "## Uncovered types, reviewed",
        "",
        `Resource types of the covered families that no rule reads: folders of \`@pulumi/aws\` and API group versions of`,
        `\`@pulumi/kubernetes\` (${COVERED_FAMILIES.join(", ")}).`,
        "Each one is on the reviewed list `policies/uncovered-types.json` with the reason; `test/policies/coverage.test.ts`",
        "fails on a type that is neither read nor reviewed, and on a reviewed type that a rule now reads.",
        "",
        "| Family | SDK types | Read by a rule | Reviewed as uncovered |",
        "|---|---|---|---|",
        ...COVERED_FAMILIES.map((f) => {
            const all = sdkTypes(f).length;
            return `| ${f} | ${all} | ${all - uncovered[f].length} | ${uncovered[f].length} |`;
        }),
        "",
        "<details><summary>The reviewed list</summary>",
        "",
        "| Type | Why no rule reads it |",
        "|---|---|",
        ...Object.values(uncovered)
            .flat()
            .map((t) => `| ${code(t)} | ${(review[t] ?? "NOT REVIEWED").replace(/\|/g, "\\|")} |`),
        "",
        "</details>",
        "",
    ];
    for (const { pack } of PACKS) {
        const rules = Object.entries(c.rules).filter(([, r]) => r.pack === pack);
        lines.push(`## ${pack}`, "", `${rules.length} rules.`, "");
        for (const [name, r] of rules) lines.push(...ruleSection(name, r));
    }
    lines.push("## Corpus", "", ...c.corpus.map((p) => `- ${code(p)}`), "");
    return lines.join("\n");
}

/** Reads the reviewed list of uncovered types (its `types` map). */
export function readReview(): UncoveredReview {
    return JSON.parse(fs.readFileSync(UNCOVERED_REVIEW, "utf8")).types;
}

async function main(): Promise<void> {
    const check = process.argv.includes("--check");
    const started = Date.now();
    const c = await measure(process.argv.includes("--verbose") ? (m) => console.log(m) : undefined);
    const json = JSON.stringify(c, null, 2) + "\n";
    const md = renderMarkdown(c, readReview());
    const stale = [
        [COVERAGE_JSON, json],
        [COVERAGE_MD, md],
    ].filter(([f, text]) => !fs.existsSync(f) || fs.readFileSync(f, "utf8") !== text);
    const took = ((Date.now() - started) / 1000).toFixed(1);
    if (check) {
        if (stale.length > 0) {
            console.error(`policy:coverage: ${stale.map(([f]) => path.relative(REPO_ROOT, f)).join(" and ")} stale. Fix: run \`npm run policy:coverage\` and commit the result.`);
            process.exit(1);
        }
        console.log(`policy:coverage: current (${Object.keys(c.rules).length} rules traced on ${c.corpus.length} programs, ${c.resources} resources, ${took} s)`);
        return;
    }
    for (const [f, text] of stale) fs.writeFileSync(f, text);
    console.log(`policy:coverage: ${Object.keys(c.rules).length} rules traced on ${c.corpus.length} programs (${c.resources} resources) in ${took} s; wrote ${stale.length} file(s)`);
}

if (require.main === module) {
    main().catch((e) => {
        console.error(e instanceof Error ? e.stack : e);
        process.exit(1);
    });
}
