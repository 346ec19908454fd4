/**
 * `npm run test:kube-score`: kube-score, the real tool, as an independent judge of the Kubernetes objects Groundwork
 * declares, compared with the groundwork-kubernetes pack.
 *
 * For the `dev` and `prod` stacks, and for the fixture program test/fixtures/programs/k8s-workloads.ts with
 * K8S_FIXTURE_BAD=1 (a deliberately bad Deployment, so both sides have something to agree on), it:
 *  1. runs the offline plan tool (`tools/plan/cli.ts --json`, one process per plan, as `npm run plan` does);
 *  2. renders every `kubernetes:` resource of the plan to one multi-document YAML (./render.ts), skipping Helm
 *     releases and custom resources and listing them;
 *  3. runs `kube-score score --output-format json --kubernetes-version <the EKS cluster's version>` on it, with
 *     kube-score's default checks: no check is disabled, because every object a check relates (Services, PDBs,
 *     NetworkPolicies, HPAs, the pods they select) is declared in the same plan;
 *  4. compares per object (./verdict.ts): every kube-score CRITICAL must be raised by a pack rule that declares that
 *     check in its `controls` (./mapping.ts), and every pack finding must be a kube-score CRITICAL of a check its
 *     rule declares, unless the disagreement is on ./reviewed.json with its reason.
 * Exit 0 when every disagreement is reviewed, 1 when any is not (each is listed), 2 when a step failed, 3 when
 * there is no kube-score and no Go to build one. The last line is `kube-score: N agreed, M reviewed, K unreviewed`.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Command } from "commander";
import { allRules } from "../../policies/kubernetes/rules";
import type { PlanJson } from "../plan/report";
import { kubeScoreList, kubeScoreVersion, locateKubeScore, runKubeScore, scoreArgs } from "./kubescore";
import { buildCheckMapping, CheckMapping, parseCheckList } from "./mapping";
import { isJudgedKind, renderPlan, resourceKey, toYaml } from "./render";
import { compare, Figures, patternsOf, ReviewedEntry, sumFigures, summaryLine, validateReviewed, Verdict } from "./verdict";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
const PACK = "groundwork-kubernetes";
const FIXTURE = "test/fixtures/programs/k8s-workloads.ts";

/** One plan to judge. */
interface Run {
    /** Label in the report. */
    label: string;
    /** Stack config used. */
    stack: string;
    /** Program, when not the project's. */
    program?: string;
    /** Extra environment of the plan. */
    env?: Record<string, string>;
}

/** The EKS cluster's Kubernetes version in a plan, as kube-score wants it (`v1.35`), or undefined without a cluster. */
function clusterVersion(plan: PlanJson): string | undefined {
    const cluster = plan.resources.find((r) => r.type === "aws:eks/cluster:Cluster");
    const v = cluster?.inputs?.version;
    return typeof v === "string" && /^\d+\.\d+$/.test(v) ? `v${v}` : undefined;
}

/** Runs the offline plan tool into a JSON file; exit 0 and 1 (a mandatory violation) are both plans. */
function runPlan(run: Run, jsonFile: string): PlanJson {
    const args = ["--transpile-only", path.join(REPO_ROOT, "tools/plan/cli.ts"), "--stack", run.stack, ...(run.program ? ["--program", run.program] : []), "--json", jsonFile];
    const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), ...args], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, ...run.env },
        maxBuffer: 64 * 1024 * 1024,
        timeout: 600_000,
    });
    if ((r.status !== 0 && r.status !== 1) || !fs.existsSync(jsonFile)) {
        const tail = `${r.stdout ?? ""}\n${r.stderr ?? ""}`.trim().split("\n").slice(-15).join("\n");
        throw new Error(`the plan of ${run.label} failed (exit ${r.status ?? r.signal}):\n${tail}`);
    }
    return JSON.parse(fs.readFileSync(jsonFile, "utf8"));
}

/** Reads and checks the reviewed list. */
function readReviewed(file: string, checks: Set<string>, rules: Set<string>): ReviewedEntry[] {
    const doc = JSON.parse(fs.readFileSync(file, "utf8"));
    const problems = validateReviewed(doc?.entries, { checks, rules });
    if (problems.length > 0) throw new Error(`${path.relative(REPO_ROOT, file)}:\n  ${problems.join("\n  ")}`);
    return doc.entries;
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Prints one run's objects, skips and disagreements. */
function printRun(run: Run, version: string, rendered: ReturnType<typeof renderPlan>, verdict: Verdict, verbose: boolean): void {
    const judgedKinds = rendered.objects.filter((o) => isJudgedKind(o.kind));
    const ignored = rendered.objects.filter((o) => !isJudgedKind(o.kind));
    console.log(`\n== ${run.label}: ${count(rendered.objects.length, "object")} rendered, kube-score --kubernetes-version ${version}`);
    console.log(`   judged by kube-score: ${judgedKinds.length} (${[...new Set(judgedKinds.map((o) => o.kind))].join(", ")})`);
    if (ignored.length > 0) console.log(`   rendered, kinds kube-score has no checks for: ${ignored.map((o) => `${o.kind}/${o.namespace}/${o.name}`).join(", ")}`);
    const autonamed = rendered.objects.filter((o) => o.autonamed);
    if (autonamed.length > 0) console.log(`   auto-named by Pulumi, rendered with the logical name: ${autonamed.map((o) => `${o.kind}/${o.namespace}/${o.name}`).join(", ")}`);
    for (const s of rendered.skipped) console.log(`   skipped ${s.type} ${s.resourceName}: ${s.reason}`);
    const f = verdict.figures;
    const rows: string[] = [];
    for (const k of verdict.kubeScore) {
        if (k.status === "agreed" && !verbose) continue;
        const tag = k.status === "agreed" ? "agreed    " : k.status === "reviewed" ? `reviewed #${k.reviewed}` : "UNREVIEWED";
        const other = k.status === "agreed" ? `= ${k.matchedBy.join(", ")}` : "no pack rule raised it";
        rows.push(`   ${tag.padEnd(12)} kube-score ${k.check} CRITICAL on ${k.object}: ${k.comments.join("; ")} — ${other}`);
    }
    for (const p of verdict.pack) {
        if (p.status === "agreed" && !verbose) continue;
        const tag = p.status === "agreed" ? "agreed    " : p.status === "reviewed" ? `reviewed #${p.reviewed}` : "UNREVIEWED";
        const other = p.status === "agreed" ? `= ${p.matchedBy.join(", ")}` : p.kubeScoreView.length > 0 ? `kube-score: ${p.kubeScoreView.join("; ")}` : "no kube-score check declared by the rule";
        rows.push(`   ${tag.padEnd(12)} pack ${p.rule} [${p.level}] on ${p.object} — ${other}`);
    }
    if (rows.length > 0) console.log(rows.join("\n"));
    console.log(
        `   figures: ${f.objectsJudged} judged, ${f.kubeScoreCriticals} kube-score criticals (${f.agreedKubeScore} raised by the pack), ` +
            `${f.packFindings} pack findings (${f.agreedPack} raised by kube-score), ${f.reviewed} reviewed, ${f.unreviewed} unreviewed`,
    );
}

/** Prints the mapping read from the rules' metadata. */
function printMapping(mapping: CheckMapping): void {
    const declaring = [...mapping.checksOfRule.entries()].filter(([, ids]) => ids.length > 0);
    console.log(`mapping from the rules' \`controls\` metadata: ${count(mapping.rulesOfCheck.size, "kube-score check")} <- ${declaring.length} of ${mapping.checksOfRule.size} ${PACK} rules`);
    for (const [id, rules] of [...mapping.rulesOfCheck.entries()].sort()) console.log(`   ${id.padEnd(48)} ${rules.join(", ")}`);
}

/** Prints the figures table. */
function printFigures(rows: [string, Figures][]): void {
    const head = ["", "objects judged", "kube-score criticals", "pack findings", "matched ks->pack", "matched pack->ks", "reviewed", "unreviewed"];
    const cells = rows.map(([label, f]) => [label, f.objectsJudged, f.kubeScoreCriticals, f.packFindings, `${f.agreedKubeScore}/${f.kubeScoreCriticals}`, `${f.agreedPack}/${f.packFindings}`, f.reviewed, f.unreviewed].map(String));
    const w = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
    const line = (c: string[]) => c.map((x, i) => (i === 0 ? x.padEnd(w[i]) : x.padStart(w[i]))).join("  ");
    console.log(`\n${line(head)}`);
    for (const c of cells) console.log(line(c));
}

async function main(argv: string[]): Promise<number> {
    const cmd = new Command()
        .name("test:kube-score")
        .description("Runs kube-score on every Kubernetes object of each stack's offline plan and compares its findings with the groundwork-kubernetes pack's.")
        .option("--stack <name>", "stack to plan; repeatable (default: dev and prod)", (v: string, acc: string[]) => [...acc, v], [])
        .option("--no-fixture", `leave out the fixture program (${FIXTURE} with K8S_FIXTURE_BAD=1)`)
        .option("--kube-score <path>", "kube-score binary (default: found or built by tools/kube-score/kube-score.sh)")
        .option("--kubernetes-version <vN.NN>", "Kubernetes version for kube-score (default: the plan's EKS cluster version)")
        .option("--reviewed <file>", "the reviewed list", path.join(__dirname, "reviewed.json"))
        .option("--keep <dir>", "write each run's plan JSON, rendered YAML and kube-score JSON there")
        .option("--json <file>", "write the findings, verdicts and figures as JSON")
        .option("-v, --verbose", "list the agreed findings too")
        .exitOverride();
    try {
        cmd.parse(argv, { from: "user" });
    } catch (e) {
        return (e as { exitCode?: number }).exitCode === 0 ? 0 : 2;
    }
    const o = cmd.opts<{ stack: string[]; fixture: boolean; kubeScore?: string; kubernetesVersion?: string; reviewed: string; keep?: string; json?: string; verbose?: boolean }>();
    if (o.kubernetesVersion && !/^v\d+\.\d+$/.test(o.kubernetesVersion)) {
        console.error("error: --kubernetes-version is vN.NN, e.g. v1.35");
        return 2;
    }

    const bin = o.kubeScore ?? locateKubeScore();
    const version = kubeScoreVersion(bin);
    const knownChecks = new Set(parseCheckList(kubeScoreList(bin)));
    const mapping = buildCheckMapping(allRules, knownChecks);
    const reviewed = readReviewed(path.resolve(o.reviewed), knownChecks, new Set(allRules.map((r) => r.name)));
    console.log(`kube-score ${version} (${bin})`);
    printMapping(mapping);
    console.log(`reviewed list: ${path.relative(process.cwd(), path.resolve(o.reviewed))}, ${count(reviewed.length, "entry", "entries")}`);

    const stacks = o.stack.length > 0 ? o.stack : ["dev", "prod"];
    const runs: Run[] = stacks.map((s) => ({ label: `stack ${s}`, stack: s }));
    if (o.fixture) runs.push({ label: `fixture ${path.basename(FIXTURE)} (K8S_FIXTURE_BAD=1, stack dev config)`, stack: "dev", program: FIXTURE, env: { K8S_FIXTURE_BAD: "1" } });

    const work = o.keep ? path.resolve(o.keep) : fs.mkdtempSync(path.join(os.tmpdir(), "kube-score-"));
    fs.mkdirSync(work, { recursive: true });
    const versionOfStack = new Map<string, string>();
    const results: { run: Run; verdict: Verdict; kubernetesVersion: string; skipped: ReturnType<typeof renderPlan>["skipped"] }[] = [];
    try {
        for (const [i, run] of runs.entries()) {
            const base = path.join(work, `${i + 1}-${run.program ? "fixture" : run.stack}`);
            const plan = runPlan(run, `${base}.plan.json`);
            const rendered = renderPlan(plan.resources);
            const kv = o.kubernetesVersion ?? clusterVersion(plan) ?? versionOfStack.get(run.stack);
            if (!kv) throw new Error(`${run.label}: the plan declares no EKS cluster to take the Kubernetes version from; pass --kubernetes-version`);
            if (clusterVersion(plan)) versionOfStack.set(run.stack, clusterVersion(plan)!);
            fs.writeFileSync(`${base}.yaml`, toYaml(rendered.objects));
            const ks = runKubeScore(bin, `${base}.yaml`, kv);
            fs.writeFileSync(`${base}.kube-score.json`, ks.json);
            // Every object of a kind kube-score checks must come back judged, or the rendering lost it.
            const back = new Set(ks.objects.map((x) => x.key));
            const lost = rendered.objects.filter((x) => isJudgedKind(x.kind) && !back.has(`${x.kind}/${x.namespace}/${x.name}`));
            if (lost.length > 0) throw new Error(`${run.label}: kube-score did not report ${lost.map((x) => `${x.kind}/${x.namespace}/${x.name}`).join(", ")}`);
            const objectOfUrn = new Map(plan.resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => [r.urn, resourceKey(r)]));
            const verdict = compare({ kubeScore: ks.objects, violations: plan.policies.violations, objectOfUrn, mapping, reviewed, pack: PACK });
            printRun(run, kv, rendered, verdict, Boolean(o.verbose));
            results.push({ run, verdict, kubernetesVersion: kv, skipped: rendered.skipped });
        }
    } finally {
        if (!o.keep) fs.rmSync(work, { recursive: true, force: true });
    }

    const total = sumFigures(results.map((r) => r.verdict.figures));
    printFigures([...results.map((r) => [r.run.label.split(" (")[0], r.verdict.figures] as [string, Figures]), ["total", total]]);

    const used = new Set(results.flatMap((r) => [...r.verdict.usedReviewed]));
    console.log(`\nreviewed disagreements (${path.relative(process.cwd(), path.resolve(o.reviewed))}):`);
    reviewed.forEach((e, i) => {
        const n = results.reduce((a, r) => a + [...r.verdict.kubeScore, ...r.verdict.pack].filter((f) => f.reviewed === i).length, 0);
        console.log(`   #${i} ${e.check} on ${patternsOf(e).join(", ")}${e.summaries ? ` (only: ${e.summaries.join("; ")})` : ""}: ${n === 0 ? "UNUSED (matched nothing; remove it or fix its pattern)" : count(n, "finding")}`);
        console.log(`      ${e.reason}`);
    });

    const unreviewed = results.flatMap((r) => [
        ...r.verdict.kubeScore.filter((f) => f.status === "unreviewed").map((f) => `${r.run.label}: kube-score ${f.check} CRITICAL on ${f.object} (${f.comments.join("; ")}), raised by no pack rule`),
        ...r.verdict.pack.filter((f) => f.status === "unreviewed").map((f) => `${r.run.label}: pack ${f.rule} on ${f.object}, not a kube-score critical (${f.kubeScoreView.join("; ") || "the rule declares no kube-score check"})`),
    ]);
    if (unreviewed.length > 0) {
        console.log(`\nUNREVIEWED disagreements (${unreviewed.length}):`);
        for (const u of unreviewed) console.log(`   - ${u}`);
        console.log(
            "   Fix: make the pack raise it (a rule, or a `kube-score <check>` control on the rule that does), fix the object, or add an entry\n" +
                `   {check, object, reason} to ${path.relative(process.cwd(), path.resolve(o.reviewed))} saying why the disagreement is right.`,
        );
    }
    if (used.size < reviewed.length) console.log(`\nnote: ${count(reviewed.length - used.size, "reviewed entry", "reviewed entries")} matched nothing in these runs`);

    if (o.json) {
        const doc = {
            kubeScore: { version, binary: bin, args: scoreArgs("<version>") },
            mapping: Object.fromEntries(mapping.rulesOfCheck),
            runs: results.map((r) => ({ label: r.run.label, stack: r.run.stack, program: r.run.program ?? null, kubernetesVersion: r.kubernetesVersion, skipped: r.skipped, figures: r.verdict.figures, kubeScore: r.verdict.kubeScore, pack: r.verdict.pack })),
            total,
        };
        fs.writeFileSync(path.resolve(o.json), JSON.stringify(doc, null, 2) + "\n");
    }
    console.log(`\n${summaryLine(total)}`);
    return total.unreviewed > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        console.error(`error: ${(e as Error).message}`);
        process.exit((e as { exitCode?: number }).exitCode ?? 2);
    },
);
