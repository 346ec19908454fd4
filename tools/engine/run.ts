/**
 * `npm run test:engine`: Groundwork's programs and packs under the real Pulumi CLI.
 *
 * For `dev` and `prod`: `pulumi preview` with both packs and their tier config, `pulumi up`, a second
 * `pulumi preview --expect-no-changes`, `pulumi stack export`, `pulumi destroy` (prod's protected resources
 * must refuse it first). Then the fixture programs: a mandatory violation (preview and up fail naming the
 * policy), a broken stack config (fails naming the key), a violation that only `up` can see (the update stops
 * before the resource is created), and a StackReference between two local stacks. Last, another project: the
 * package's npm tarball installed outside the repository, previewed with both packs as `pulumi policy publish` ships
 * them (tools/engine/consumer.ts, tools/policy-pack/build.ts). Every violation set is
 * compared with the offline plan tool's (`--preview` for previews); a difference that is not listed in
 * tools/engine/parity.ts with its reason fails the run. `up` runs with --skip-preview: the preview is the command
 * before it, and a preview inside `up` would mix its "can't run" advisories into the update's findings.
 *
 * Then the components from other languages (tools/engine/sdk.ts): the component package's schema from the CLI, the
 * Go and Python SDKs generated from it, and a Go program's `pulumi preview` through the Go SDK.
 *
 * What is real and what is a double is printed first, and explained in the README ("The real engine").
 * Exit code: 0 when every check passed, 1 otherwise. Last line: `engine: N passed, M failed`.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { fakeRandomValue } from "../plan/mocks";
import { readStackConfig, resolveProject } from "../plan/project";
import { buildPolicyPacks, npm } from "../policy-pack/build";
import { createConsumerProject, packLibrary, typeCheckConsumer } from "./consumer";
import { compareViolations, ParityContext, ParityKey } from "./parity";
import { packRules, phaseRows, renderPhases, withPhases } from "./phases";
import { installBinary, installStandIn, REPO_ROOT, sdkPluginVersion } from "./plugins";
import { runSdk } from "./sdk";
import {
    createSandbox,
    disposeSandbox,
    isCantRunDuringPreview,
    isDefaultProvider,
    linkProject,
    pulumi,
    pulumiHome,
    PulumiRun,
    Sandbox,
    stepsOf,
    violationsOf,
} from "./sandbox";

// ---------------------------------------------------------------------------------------------------------
// Checks and figures

let passed = 0;
let failed = 0;
const figures: string[] = [];

function check(what: string, ok: boolean, detail = ""): boolean {
    if (ok) passed++;
    else failed++;
    console.log(`  ${ok ? "ok  " : "FAIL"} ${what}${!ok && detail ? `\n         ${detail.split("\n").join("\n         ")}` : ""}`);
    return ok;
}

/** The end of a command's output for a failure message; for streamed events, their errors, warnings and findings. */
function tail(run: PulumiRun, lines = 25): string {
    const text =
        run.events.length > 0
            ? [
                  ...run.events.filter((e) => e.diagnosticEvent && e.diagnosticEvent.severity !== "debug").map((e) => `${e.diagnosticEvent.prefix ?? ""}${e.diagnosticEvent.message}`.trim()),
                  ...violationsOf(run.events).map((v) => `[${v.enforcementLevel}] ${v.policy} ${v.urn ?? ""}`),
                  run.stderr.trim(),
              ].join("\n")
            : run.stdout + run.stderr;
    return `${run.command} exited ${run.code}:\n${text.trim().split("\n").slice(-lines).join("\n")}`;
}

function levels(vs: { enforcementLevel: string; message: string }[]): string {
    const mandatory = vs.filter((v) => v.enforcementLevel === "mandatory").length;
    const cantRun = vs.filter(isCantRunDuringPreview).length;
    const advisory = vs.filter((v) => v.enforcementLevel === "advisory").length - cantRun;
    return `${mandatory} mandatory, ${advisory} advisory, ${cantRun} "can't run during preview"`;
}

// ---------------------------------------------------------------------------------------------------------
// The offline plan tool, for comparison

interface OfflinePlan {
    resources: { urn: string; type: string; name: string }[];
    violations: { pack: string; policy: string; enforcementLevel: string; urn: string | null; message: string }[];
    exitCode: number;
}

function offlinePlan(args: string[]): OfflinePlan {
    const json = path.join(fs.mkdtempSync(path.join(sandbox.dir, "plan-")), "plan.json");
    const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(REPO_ROOT, "tools/plan/cli.ts"), ...args, "--json", json], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        maxBuffer: 256 * 1024 * 1024,
    });
    if (r.status === 2 || !fs.existsSync(json)) throw new Error(`offline plan ${args.join(" ")} failed (exit ${r.status}):\n${r.stderr}`);
    const doc = JSON.parse(fs.readFileSync(json, "utf8"));
    return { resources: doc.resources, violations: doc.policies.violations, exitCode: r.status ?? 2 };
}

// ---------------------------------------------------------------------------------------------------------
// Setup

const started = Date.now();
const pathPrefix = execFileSync("bash", [path.join(__dirname, "pulumi.sh")], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
const sandbox: Sandbox = createSandbox(pathPrefix);
const cliVersion = execFileSync("pulumi", ["version"], { env: sandbox.env, encoding: "utf8" }).trim();
const langHost = execFileSync("pulumi-language-nodejs", ["-version"], { env: sandbox.env, encoding: "utf8" }).trim();
const versions = { aws: sdkPluginVersion("aws"), kubernetes: sdkPluginVersion("kubernetes"), random: sdkPluginVersion("random") };

// Two plugin homes over one backend: previews load the real Kubernetes provider; `up` and what follows it use
// the stand-in for Kubernetes too, since there is no cluster to create objects in.
const previewHome = pulumiHome(sandbox, "preview");
const upHome = pulumiHome(sandbox, "up");
for (const home of [previewHome, upHome]) {
    installStandIn(home, "aws", versions.aws, sandbox.stateDir);
    installStandIn(home, "random", versions.random, sandbox.stateDir);
}
installStandIn(upHome, "kubernetes", versions.kubernetes, sandbox.stateDir);
let realKubernetes = "";
const k8sBuildStarted = Date.now();
try {
    realKubernetes = execFileSync("bash", [path.join(__dirname, "kubernetes.sh"), versions.kubernetes], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] }).trim();
    installBinary(previewHome, "kubernetes", versions.kubernetes, path.join(realKubernetes, "pulumi-resource-kubernetes"));
} catch (e) {
    installStandIn(previewHome, "kubernetes", versions.kubernetes, sandbox.stateDir);
    console.error(`test:engine: the real Kubernetes provider could not be built (${(e as Error).message.split("\n")[0]}); previews use the stand-in`);
}

console.log(`Real engine run (tools/engine/run.ts), sandbox ${sandbox.dir}`);
console.log(`  pulumi CLI            ${cliVersion} (real, ${pathPrefix.includes(".cache/groundwork") ? "built from the Go module proxy" : "installed"})`);
console.log(`  language host         ${langHost} (${langHost.includes("standin") ? "STAND-IN launcher: the real host's module is not served here" : "real"})`);
console.log(`  Node SDK, pack runner @pulumi/pulumi ${require("@pulumi/pulumi/package.json").version}, @pulumi/policy ${String(require("@pulumi/policy/package.json").version).replace(/^v/, "")} (real)`);
console.log(`  aws provider          STAND-IN v${versions.aws} (test double: tools/engine/standin)`);
console.log(`  random provider       STAND-IN v${versions.random} (test double: not served by the Go module proxy)`);
console.log(
    `  kubernetes provider   ${realKubernetes ? `real v${versions.kubernetes} for previews (built in ${Math.round((Date.now() - k8sBuildStarted) / 1000)}s or cached)` : "STAND-IN for previews (build failed)"}, STAND-IN for up/destroy (no cluster)`,
);
console.log("");

function packArgs(tier: string): string[] {
    const out: string[] = [];
    for (const pack of ["security", "kubernetes"]) {
        out.push("--policy-pack", `policies/${pack}`, "--policy-pack-config", `policies/${pack}/config/${tier}.json`);
    }
    return out;
}

function tierOf(projectDir: string, stack: string): string {
    const cfg = readStackConfig(resolveProject(projectDir), stack).config;
    return cfg["groundwork:tier"] ?? "prod";
}

/** The stand-in's state files of one stack (their URNs name the stack). */
function standInUrns(stack: string, project: string): string[] {
    const urns: string[] = [];
    for (const pkg of fs.existsSync(sandbox.stateDir) ? fs.readdirSync(sandbox.stateDir) : []) {
        for (const f of fs.readdirSync(path.join(sandbox.stateDir, pkg))) {
            const rec = JSON.parse(fs.readFileSync(path.join(sandbox.stateDir, pkg, f), "utf8"));
            if (rec.urn.startsWith(`urn:pulumi:${stack}::${project}::`)) urns.push(rec.urn);
        }
    }
    return urns.sort();
}

function programResources(offline: OfflinePlan): string[] {
    return offline.resources.map((r) => r.urn).sort();
}

function parity(label: string, offline: ParityKey[], engine: ParityKey[], ctx: ParityContext): void {
    const diff = compareViolations(offline, engine, ctx);
    check(
        `${label}: offline plan and real engine raise the same violations (${engine.length} engine, ${offline.length} offline${diff.explained.length ? `, ${diff.explained.length} known differences` : ""})`,
        diff.unexplained.length === 0,
        diff.unexplained.map((d) => `${d.side} only: [${d.enforcementLevel}] ${d.policy} ${d.urn ?? "(stack)"}`).join("\n"),
    );
}

// ---------------------------------------------------------------------------------------------------------
// The platform stacks

const platformDir = linkProject(sandbox, { name: "platform" });

function runStack(stack: string): void {
    const tier = tierOf(platformDir, stack);
    console.log(`Stack ${stack} (tier ${tier})`);
    const offline = offlinePlan(["--stack", stack]);
    const offlinePreview = offlinePlan(["--stack", stack, "--preview"]);
    const expected = programResources(offline);
    pulumi(sandbox, platformDir, upHome, ["stack", "init", stack]);

    if (stack === "prod") {
        const readmeFile = path.join(REPO_ROOT, "README.md");
        const readme = fs.readFileSync(readmeFile, "utf8");
        const current = withPhases(readme, renderPhases(stack, phaseRows(packRules(), offlinePreview.violations)));
        if (process.argv.includes("--update-docs")) fs.writeFileSync(readmeFile, current);
        const update = process.argv.includes("--update-docs");
        check(`README's table of when each mandatory rule gates is current${update && current !== readme ? " (rewritten)" : ""}`, current === readme || update, "run `npm run docs:phases` (or `npm run test:engine -- --update-docs`)");
    }
    const preview = pulumi(sandbox, platformDir, previewHome, ["preview", "--stack", stack, "--json", ...packArgs(tier)]);
    const previewViolations = violationsOf(preview.events);
    const creates = stepsOf(preview.events).filter((s) => s.op === "create");
    check(`preview exits 0`, preview.code === 0, tail(preview));
    check(`preview plans ${creates.length} creates, the offline plan ${expected.length} resources`, creates.length === expected.length);
    parity(`${stack} preview vs offline --preview`, offlinePreview.violations, previewViolations, { phase: "preview", engineFailed: preview.code !== 0 });

    // The first deploy of an empty account (README "Deploying"): from outside the VPC, everything except what talks
    // to the private cluster API (the Kubernetes provider and its dependents); the deploy runner it creates then
    // runs the full `up` below.
    // Only the AWS pack, as in deploy.yml: the engine hands policies an excluded resource's old inputs (none yet),
    // so the Kubernetes pack would judge empty objects (an Ingress without TLS fails prod's bootstrap otherwise).
    const awsPackArgs = packArgs(tier).slice(0, 4);
    if (!awsPackArgs.includes("policies/security")) throw new Error("packArgs: the security pack must come first");
    const bootstrap = pulumi(sandbox, platformDir, upHome, [
        "up", "--yes", "--skip-preview", "--stack", stack, "--json", ...awsPackArgs,
        "--exclude", `urn:pulumi:${stack}::groundwork::**pulumi:providers:kubernetes::**`, "--exclude-dependents",
    ]);
    check(`bootstrap up (Kubernetes provider and dependents excluded) exits 0`, bootstrap.code === 0, tail(bootstrap));
    {
        const bootFile = path.join(sandbox.dir, `${stack}-bootstrap.json`);
        pulumi(sandbox, platformDir, upHome, ["stack", "export", "--stack", stack, "--file", bootFile]);
        const typeOf = (urn: string) => urn.split("::")[2].split("$").pop()!;
        const created = (JSON.parse(fs.readFileSync(bootFile, "utf8")).deployment.resources as { urn: string; type: string }[]).map((r) => r.urn);
        // The engine still registers the excluded provider (its configuration only: no call reaches the cluster);
        // what must not exist is any Kubernetes object.
        const k8s = created.filter((u) => typeOf(u).startsWith("kubernetes:"));
        const awsMissing = expected.filter((u) => typeOf(u).startsWith("aws:") && !created.includes(u));
        check(`bootstrap: no Kubernetes object exists (${k8s.length}), every AWS resource does (${awsMissing.length} missing)`, k8s.length === 0 && awsMissing.length === 0, [...k8s, ...awsMissing.map((u) => `missing ${u}`)].join("\n"));
        figures.push(`${stack.padEnd(5)} bootstrap up ${bootstrap.seconds.toFixed(0)}s: ${created.length} resources without the cluster API`);
    }

    const up = pulumi(sandbox, platformDir, upHome, ["up", "--yes", "--skip-preview", "--stack", stack, "--json", ...packArgs(tier)]);
    const upViolations = violationsOf(up.events);
    check(`up exits 0`, up.code === 0, tail(up));
    parity(`${stack} up vs offline plan`, offline.violations, upViolations, { phase: "up", engineFailed: up.code !== 0 });

    const again = pulumi(sandbox, platformDir, upHome, ["preview", "--stack", stack, "--json", "--expect-no-changes", ...packArgs(tier)]);
    const changes = stepsOf(again.events).filter((s) => s.op !== "same" && s.op !== "read");
    check(`second preview: no changes (--expect-no-changes exits ${again.code})`, again.code === 0 && changes.length === 0, changes.map((c) => `${c.op} ${c.urn}`).join("\n") || tail(again));

    const exportFile = path.join(sandbox.dir, `${stack}-export.json`);
    const exp = pulumi(sandbox, platformDir, upHome, ["stack", "export", "--stack", stack, "--file", exportFile]);
    check(`stack export exits 0`, exp.code === 0, tail(exp));
    const state = JSON.parse(fs.readFileSync(exportFile, "utf8"));
    const stateUrns = (state.deployment.resources as { urn: string; type: string }[])
        .filter((r) => !isDefaultProvider(r.urn) && r.type !== "pulumi:pulumi:StackReference")
        .map((r) => r.urn)
        .sort();
    const missing = expected.filter((u) => !stateUrns.includes(u));
    const extra = stateUrns.filter((u) => !expected.includes(u));
    check(`state holds the offline plan's ${expected.length} URNs exactly`, missing.length === 0 && extra.length === 0, [...missing.map((u) => `missing ${u}`), ...extra.map((u) => `extra ${u}`)].join("\n"));
    const exportText = fs.readFileSync(exportFile, "utf8");
    const plaintexts = offline.resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => fakeRandomValue(r.type, r.name, Number((r as any).inputs?.length ?? 32)));
    const leaked = plaintexts.filter((p) => exportText.includes(p));
    check(`no secret in plaintext in the state (${plaintexts.length} generated passwords looked for)`, plaintexts.length > 0 && leaked.length === 0, `found: ${leaked.length}`);
    check(`the stand-in providers hold ${standInUrns(stack, "groundwork").length} resources for the stack`, standInUrns(stack, "groundwork").length > 0);

    let destroy = pulumi(sandbox, platformDir, upHome, ["destroy", "--yes", "--stack", stack]);
    const protectedCount = (state.deployment.resources as { protect?: boolean }[]).filter((r) => r.protect).length;
    if (tier === "prod") {
        check(`prod: destroy refuses while ${protectedCount} resources are protected`, protectedCount > 0 && destroy.code !== 0 && /protected/i.test(destroy.stdout + destroy.stderr), tail(destroy));
        const unprotect = pulumi(sandbox, platformDir, upHome, ["state", "unprotect", "--all", "--yes", "--stack", stack]);
        check(`prod: state unprotect --all exits 0`, unprotect.code === 0, tail(unprotect));
        destroy = pulumi(sandbox, platformDir, upHome, ["destroy", "--yes", "--stack", stack]);
    }
    // retainOnDelete resources stay in the cloud: the engine forgets them without calling Delete.
    const retained = (state.deployment.resources as { urn: string; retainOnDelete?: boolean; custom?: boolean }[]).filter((r) => r.retainOnDelete && r.custom).map((r) => r.urn).sort();
    const left = standInUrns(stack, "groundwork");
    check(
        `destroy exits 0; the stand-ins keep only the ${retained.length} retainOnDelete resources`,
        destroy.code === 0 && JSON.stringify(left) === JSON.stringify(retained),
        `left: ${left.join(", ") || "none"}\nretained: ${retained.join(", ") || "none"}\n${tail(destroy)}`,
    );
    figures.push(
        `${stack.padEnd(5)} resources ${expected.length}; preview ${preview.seconds.toFixed(0)}s (${levels(previewViolations)}); ` +
            `up ${up.seconds.toFixed(0)}s (${levels(upViolations)}); second preview ${again.seconds.toFixed(0)}s, ${changes.length} changes; ` +
            `destroy ${destroy.seconds.toFixed(0)}s${tier === "prod" ? ` (${protectedCount} protected refused it first)` : ""}, ${retained.length} retained`,
    );
}

// ---------------------------------------------------------------------------------------------------------
// Fixture programs

function fixtureProject(name: string, program: string): string {
    return linkProject(sandbox, { name, main: `test/fixtures/programs/${program}` });
}

/** What one fixture program did under both tools. */
interface FixtureRun {
    dir: string;
    stack: string;
    project: string;
    preview: PulumiRun;
    up: PulumiRun;
}

/**
 * Plans a program under test/fixtures/programs offline (full and --preview) and runs `pulumi preview` and
 * `pulumi up` on it under the engine with the dev tier's packs, comparing the findings. Leaves the stack up.
 */
function fixture(program: string, opts: { stack?: string; offlineArgs?: string[] } = {}): FixtureRun {
    // The offline plan runs a fixture as part of this repository's project (its nearest Pulumi.yaml), so the
    // engine does too; each fixture gets a stack of its own, and the URNs of both tools match.
    const project = "groundwork";
    const name = path.basename(program, ".ts");
    const dir = fixtureProject(name, program);
    const stack = opts.stack ?? `fx-${name}`;
    pulumi(sandbox, dir, upHome, ["stack", "init", stack]);
    // The same packs and tier config as the engine gets, whatever the stack's own config says.
    const packs = packArgs("dev").map((a) => (a === "--policy-pack-config" ? "--policy-config" : a));
    const args = ["--stack", stack, "--program", `test/fixtures/programs/${program}`, ...packs, ...(opts.offlineArgs ?? [])];
    const offline = offlinePlan(args);
    const offlinePreview = offlinePlan([...args, "--preview"]);
    const preview = pulumi(sandbox, dir, previewHome, ["preview", "--stack", stack, "--json", ...packArgs("dev")]);
    const up = pulumi(sandbox, dir, upHome, ["up", "--yes", "--skip-preview", "--stack", stack, "--json", ...packArgs("dev")]);
    parity(`${name} preview vs offline --preview`, offlinePreview.violations, violationsOf(preview.events), { phase: "preview", engineFailed: preview.code !== 0 });
    parity(`${name} up vs offline plan`, offline.violations, violationsOf(up.events), { phase: "up", engineFailed: up.code !== 0 });
    const mandatoryOffline = offline.violations.some((v) => v.enforcementLevel === "mandatory");
    check(`${name}: up ${mandatoryOffline ? "fails" : "succeeds"} as the offline plan's exit code ${offline.exitCode} says`, (up.code === 0) === !mandatoryOffline, tail(up));
    return { dir, stack, project, preview, up };
}

function teardown(f: FixtureRun): void {
    const d = pulumi(sandbox, f.dir, upHome, ["destroy", "--yes", "--stack", f.stack]);
    check(`${path.basename(f.dir)}: destroy leaves nothing in the stand-ins`, d.code === 0 && standInUrns(f.stack, f.project).length === 0, tail(d));
}

/** Programs with checks of their own below; every other program under test/fixtures/programs gets the parity run. */
const SPECIAL = new Set(["open-ssh.ts", "late-wildcard.ts", "shared-queue.ts", "stack-reference.ts"]);

function runFixtures(): void {
    console.log("Fixture programs");
    // A mandatory violation visible to the preview: preview and up fail naming it, nothing is created.
    {
        const policy = "aws-ec2-securitygroup-disallow-world-ssh-rdp";
        const f = fixture("open-ssh.ts");
        check(`open-ssh: preview fails naming ${policy}`, f.preview.code !== 0 && violationsOf(f.preview.events).some((v) => v.policy === policy && v.enforcementLevel === "mandatory"), tail(f.preview));
        check(`open-ssh: up fails naming ${policy}`, f.up.code !== 0 && violationsOf(f.up.events).some((v) => v.policy === policy), tail(f.up));
        check(`open-ssh: the security group was never created`, !standInUrns(f.stack, f.project).some((u) => u.endsWith("::bastion")));
        teardown(f);
    }
    // A violation only `up` can see: it must stop before the resource is created.
    {
        const policy = "aws-iam-policy-disallow-wildcard-actions";
        const f = fixture("late-wildcard.ts");
        const pv = violationsOf(f.preview.events);
        check(
            `late-wildcard: preview passes (exit ${f.preview.code}) with "can't run during preview" for ${policy}`,
            f.preview.code === 0 && pv.some((v) => v.policy === policy && isCantRunDuringPreview(v)) && !pv.some((v) => v.enforcementLevel === "mandatory"),
            tail(f.preview),
        );
        check(`late-wildcard: up fails naming ${policy}`, f.up.code !== 0 && violationsOf(f.up.events).some((v) => v.policy === policy && v.enforcementLevel === "mandatory"), tail(f.up));
        const urns = standInUrns(f.stack, f.project);
        check(
            `late-wildcard: the queue exists, the role policy was never created (${urns.length} resources in the stand-in)`,
            urns.some((u) => u.endsWith("::late-jobs")) && !urns.some((u) => u.endsWith("::late-worker-queue")),
            urns.join("\n"),
        );
        teardown(f);
    }
    // A broken stack config fails before any resource, naming the key.
    {
        const dir = linkProject(sandbox, { name: "broken", from: path.join(REPO_ROOT, "test/fixtures/broken-stack") });
        pulumi(sandbox, dir, upHome, ["stack", "init", "badcidr"]);
        const preview = pulumi(sandbox, dir, previewHome, ["preview", "--stack", "badcidr"]);
        check(`broken stack config: preview fails naming groundwork:vpcCidr`, preview.code !== 0 && (preview.stdout + preview.stderr).includes("groundwork:vpcCidr"), tail(preview));
    }
    // A StackReference between two local stacks; offline, the same outputs from the file `pulumi stack output` wrote.
    {
        const producer = fixture("shared-queue.ts", { stack: "shared" });
        const out = pulumi(sandbox, producer.dir, upHome, ["stack", "output", "--json", "--stack", producer.stack]);
        const outputsFile = path.join(sandbox.dir, "shared-outputs.json");
        fs.writeFileSync(outputsFile, out.stdout);
        check(`stack-reference: the producer exports dlqArn`, producer.up.code === 0 && typeof JSON.parse(out.stdout || "{}").dlqArn === "string", tail(out));
        // stack-reference.ts reads organization/groundwork/shared: the producer's project and stack.
        const consumer = fixture("stack-reference.ts", { offlineArgs: ["--stack-reference", `organization/${producer.project}/${producer.stack}=${outputsFile}`] });
        check(`stack-reference: the consumer previews and deploys under the engine`, consumer.preview.code === 0 && consumer.up.code === 0, tail(consumer.up));
        teardown(consumer);
        teardown(producer);
    }
    // Every other program: the same findings offline and under the engine.
    for (const program of fs.readdirSync(path.join(REPO_ROOT, "test/fixtures/programs")).filter((f) => f.endsWith(".ts") && !SPECIAL.has(f)).sort()) {
        teardown(fixture(program));
    }
}

// ---------------------------------------------------------------------------------------------------------
// Policy packs from a copy of their folder alone

/**
 * Each pack is copied out of the repository (no parent node_modules to lean on), installed the way
 * `pulumi policy publish` installs it (`npm install` from its own package.json), then given to `pulumi preview`.
 * The kit's tarball from `npm pack` stands in for the npm registry the kit is published to. The copy must judge
 * a violating program exactly as the pack in the repository does.
 */
function runPackCopies(): void {
    console.log("Policy packs from a copy of their folder alone");
    const registry = path.join(sandbox.dir, "registry");
    fs.mkdirSync(registry, { recursive: true });
    const npm = (args: string[], cwd: string): string =>
        execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], { cwd, encoding: "utf8", env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ""}` } });
    // `npm pack` runs the kit's prepack script: its build, as a publish would.
    const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", registry], path.join(REPO_ROOT, "packages/policy-kit")));
    const tarball = path.join(registry, packed[0].filename);
    const cases = [
        { pack: "security", program: "open-ssh.ts", env: {} },
        { pack: "kubernetes", program: "k8s-workloads.ts", env: { K8S_FIXTURE_BAD: "1" } },
    ];
    for (const c of cases) {
        const copy = path.join(sandbox.dir, "packs", c.pack);
        fs.cpSync(path.join(REPO_ROOT, "policies", c.pack), copy, { recursive: true, filter: (src) => path.basename(src) !== "node_modules" });
        const started = Date.now();
        npm(["install", "--prefer-offline", tarball], copy);
        const installSeconds = (Date.now() - started) / 1000;
        const kitAt = fs.realpathSync(require.resolve("@groundwork/policy-kit", { paths: [copy] }));
        check(`${c.pack} copy: @groundwork/policy-kit resolves inside the copy (${path.relative(sandbox.dir, kitAt)})`, kitAt.startsWith(copy + path.sep));
        const name = `pack-copy-${c.pack}`;
        const dir = linkProject(sandbox, { name, main: `test/fixtures/programs/${c.program}` });
        pulumi(sandbox, dir, upHome, ["stack", "init", name]);
        const preview = (packDir: string) =>
            pulumi(sandbox, dir, previewHome, ["preview", "--stack", name, "--json", "--policy-pack", packDir, "--policy-pack-config", path.join(packDir, "config", "dev.json")], { env: c.env });
        const fromCopy = preview(copy);
        const fromRepo = preview(path.join(REPO_ROOT, "policies", c.pack));
        const key = (r: PulumiRun) => violationsOf(r.events).map((v) => `${v.enforcementLevel} ${v.policy} ${v.urn ?? ""}`).sort();
        check(
            `${c.pack} copy: preview of ${c.program} fails on a mandatory finding of the copied pack`,
            fromCopy.code !== 0 && violationsOf(fromCopy.events).some((v) => v.enforcementLevel === "mandatory" && v.pack === `groundwork-${c.pack}`),
            tail(fromCopy),
        );
        check(`${c.pack} copy: the same ${key(fromCopy).length} findings as the pack in the repository`, JSON.stringify(key(fromCopy)) === JSON.stringify(key(fromRepo)), `copy: ${key(fromCopy).join("; ")}\nrepo: ${key(fromRepo).join("; ")}`);
        figures.push(`pack copy ${c.pack}: npm install ${installSeconds.toFixed(0)}s, preview ${fromCopy.seconds.toFixed(0)}s, ${key(fromCopy).length} findings as in the repository`);
        pulumi(sandbox, dir, upHome, ["stack", "rm", "--yes", "--force", name]);
    }
}

// ---------------------------------------------------------------------------------------------------------
// Another project: the published package and the published packs

/**
 * The consumer program (test/fixtures/programs/consumer) in a project of its own outside the repository: the
 * library's `npm pack` tarball (its prepack rebuilds dist/components, as `npm publish` does) installed into a fresh
 * folder, and both packs in the form `pulumi policy publish` uploads (`npm run policy:pack`'s folder, `npm pack`ed,
 * extracted and `npm install`ed alone, as the CLI installs a published pack). `pulumi preview` with those packs must
 * pass without a mandatory finding and raise what the offline plan of the same folder and packs raises.
 */
function runConsumer(): void {
    console.log("A consumer project: the package and both packs as published");
    const registry = path.join(sandbox.dir, "consumer-registry");
    const started = Date.now();
    const packed = packLibrary(registry, { build: true });
    const dir = path.join(sandbox.dir, "projects", "consumer-app");
    const installSeconds = createConsumerProject(dir, packed.tarball);
    const installed = path.join(dir, "node_modules", "@groundwork-platform", "components");
    check(
        `consumer: ${path.basename(packed.tarball)} (${packed.files.length} files, ${(packed.size / 1024).toFixed(0)} kB) installs into a fresh project`,
        fs.existsSync(path.join(installed, "dist", "components", "index.js")) && !fs.lstatSync(installed).isSymbolicLink(),
    );
    const tsc = typeCheckConsumer(dir);
    check(`consumer: the project's own tsc (strict, skipLibCheck false) accepts the program`, tsc.code === 0 && tsc.output === "", tsc.output);
    check(`consumer: the install brings no CrossGuard SDK (@pulumi/policy): the components need none`, !fs.existsSync(path.join(dir, "node_modules", "@pulumi", "policy")));

    const packs: { dir: string; config: string }[] = [];
    for (const built of buildPolicyPacks({ outDir: path.join(sandbox.dir, "policy-packs-built") })) {
        const tgz = JSON.parse(npm(["pack", "--json", "--pack-destination", registry], built.dir))[0].filename as string;
        const packDir = path.join(sandbox.dir, "policy-packs-published", built.name);
        fs.mkdirSync(packDir, { recursive: true });
        execFileSync("tar", ["-xzf", path.join(registry, tgz), "-C", packDir, "--strip-components=1"]); // npm pack's package/ prefix
        npm(["install", "--prefer-offline"], packDir);
        const kitAt = fs.realpathSync(require.resolve("@groundwork/policy-kit", { paths: [packDir] }));
        check(`${built.name} pack as published (${tgz}): installs alone, the kit from its vendored tarball`, kitAt.startsWith(packDir + path.sep), kitAt);
        packs.push({ dir: packDir, config: path.join(packDir, "config", "dev.json") });
    }
    // The consumer's providers are what its own install resolved: the stand-ins must answer at those versions.
    for (const pkg of ["aws", "random"] as const) {
        const v = sdkPluginVersion(pkg, dir);
        if (v !== versions[pkg]) installStandIn(previewHome, pkg, v, sandbox.stateDir);
    }

    const offlineArgs = ["--stack", "dev", "--program", dir, ...packs.flatMap((p) => ["--policy-pack", p.dir, "--policy-config", p.config])];
    const offline = offlinePlan(offlineArgs);
    const offlinePreview = offlinePlan([...offlineArgs, "--preview"]);
    check(`consumer: offline plan with the published packs exits 0 (${levels(offline.violations)})`, offline.exitCode === 0, offline.violations.map((v) => `[${v.enforcementLevel}] ${v.policy}`).join("\n"));
    pulumi(sandbox, dir, previewHome, ["stack", "init", "dev"]);
    const preview = pulumi(sandbox, dir, previewHome, ["preview", "--stack", "dev", "--json", ...packs.flatMap((p) => ["--policy-pack", p.dir, "--policy-pack-config", p.config])]);
    const violations = violationsOf(preview.events);
    const creates = stepsOf(preview.events).filter((s) => s.op === "create");
    check(
        `consumer: pulumi preview with the published packs exits 0, no mandatory finding (${levels(violations)})`,
        preview.code === 0 && !violations.some((v) => v.enforcementLevel === "mandatory"),
        tail(preview),
    );
    check(`consumer: preview plans ${creates.length} creates, the offline plan ${offline.resources.length} resources`, creates.length === offline.resources.length);
    parity("consumer preview vs offline --preview", offlinePreview.violations, violations, { phase: "preview", engineFailed: preview.code !== 0 });
    pulumi(sandbox, dir, upHome, ["stack", "rm", "--yes", "--force", "dev"]);
    figures.push(
        `consumer ${packed.name}@${packed.version}: npm install ${installSeconds.toFixed(0)}s, tsc ${tsc.seconds.toFixed(0)}s, preview ${preview.seconds.toFixed(0)}s ` +
            `(${creates.length} creates; ${levels(violations)}); ${((Date.now() - started) / 1000).toFixed(0)}s in all`,
    );
}

// ---------------------------------------------------------------------------------------------------------

let exitCode = 0;
try {
    // --stacks-only, --fixtures-only, --packs-only, --consumer-only and --sdk-only run one part (while working on it); the default runs all.
    const only = ["--stacks-only", "--fixtures-only", "--packs-only", "--consumer-only", "--sdk-only"].find((f) => process.argv.includes(f));
    if (!only || only === "--stacks-only") for (const stack of ["dev", "prod"]) runStack(stack);
    if (!only || only === "--fixtures-only") runFixtures();
    if (!only || only === "--packs-only") runPackCopies();
    if (!only || only === "--consumer-only") runConsumer();
    if (!only || only === "--sdk-only") runSdk({ sandbox, home: previewHome, check, figures });
} catch (e) {
    failed++;
    console.error(`test:engine: ${(e as Error).stack ?? e}`);
} finally {
    console.log("");
    console.log(`Real engine figures (${cliVersion}; ${Math.round((Date.now() - started) / 1000)}s in all)`);
    for (const f of figures) console.log(`  ${f}`);
    if (!process.env.GROUNDWORK_ENGINE_KEEP) disposeSandbox(sandbox);
    else console.log(`  sandbox kept: ${sandbox.dir}`);
    console.log(`engine: ${passed} passed, ${failed} failed`);
    exitCode = failed > 0 ? 1 : 0;
}
process.exit(exitCode);
