/**
 * The components from other languages, under the real CLI (`npm run test:engine -- --sdk-only`, and last in a
 * full run):
 *   1. `pulumi package get-schema provider`: the engine launches the component package (provider/, PulumiPlugin.yaml)
 *      through the Node.js language host's RunPlugin; its schema must be the committed sdk/schema.json.
 *   2. `pulumi package gen-sdk sdk/schema.json --language go` and `--language python` (the code generators run in
 *      the STAND-IN Go/Python language plugins, tools/engine/langgo: pkg/v3's generators, the real plugins' modules
 *      are refused by the Go module proxy). The SDKs are generated here, never committed.
 *   3. `go build` of test/fixtures/programs/go-consumer (a Network and a Queue) against the generated Go SDK, timed;
 *      GOCACHE and GOMODCACHE are the machine's, so a second run costs seconds.
 *   4. `pulumi preview` of that Go program with the security pack: the Go program registers the components, the
 *      engine constructs them in the component package (run from source), and their AWS resources reach the
 *      STAND-IN AWS provider and the pack.
 *   5. `python3 -m compileall` of the generated Python SDK: it is only byte-compiled; no Python program runs here
 *      (the Python package index is out of reach, so the Python SDK's dependencies cannot be installed).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "./plugins";
import { isCantRunDuringPreview, pulumi, PulumiRun, Sandbox, stepsOf, violationsOf } from "./sandbox";

/** What run.ts lends the step: its sandbox, a plugin home with the stand-in providers, its check and figures. */
export interface SdkStepContext {
    /** The run's sandbox. */
    sandbox: Sandbox;
    /** A PULUMI_HOME with the stand-in aws and random providers installed. */
    home: string;
    /** Records one check (printed as `ok`/`FAIL`). */
    check: (what: string, ok: boolean, detail?: string) => boolean;
    /** Lines of the closing figures. */
    figures: string[];
}

/** The Go module path the Go generator gives the package (the schema names no repository). */
export const GO_SDK_MODULE = "example.com/pulumi-groundwork/sdk";

/**
 * A schema as compared here: what the CLI prints is the plugin's schema bound and written back by the CLI, which
 * leaves out the component provider's `optional` markers (the `required` lists say the same) and empty lists.
 */
export function normalizeSchema(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(normalizeSchema);
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const key of Object.keys(value).sort()) {
            const v = (value as Record<string, unknown>)[key];
            if (key === "optional" || v === undefined || v === null) continue;
            if ((Array.isArray(v) && v.length === 0) || (typeof v === "object" && !Array.isArray(v) && Object.keys(v as object).length === 0)) continue;
            out[key] = normalizeSchema(v);
        }
        return out;
    }
    return value;
}

function tailOf(run: PulumiRun, lines = 20): string {
    const diags = run.events.filter((e) => e.diagnosticEvent && e.diagnosticEvent.severity !== "debug").map((e) => String(e.diagnosticEvent.message).trim());
    return `${run.command} exited ${run.code}:\n${[...diags, run.stdout.trim(), run.stderr.trim()].join("\n").trim().split("\n").slice(-lines).join("\n")}`;
}

/** Runs the step; see the file comment. */
export function runSdk(ctx: SdkStepContext): void {
    const { sandbox, home, check, figures } = ctx;
    console.log("Components from other languages (provider/, generated Go and Python SDKs)");
    const started = Date.now();
    const providerDir = path.join(REPO_ROOT, "provider");
    const schemaFile = path.join(REPO_ROOT, "sdk", "schema.json");
    const committed = JSON.parse(fs.readFileSync(schemaFile, "utf8"));
    const components = Object.keys(committed.resources).length;

    // 1. The schema, from the plugin the engine launches.
    const getSchema = pulumi(sandbox, sandbox.dir, home, ["package", "get-schema", providerDir]);
    let same = false;
    try {
        same = JSON.stringify(normalizeSchema(JSON.parse(getSchema.stdout))) === JSON.stringify(normalizeSchema(committed));
    } catch {
        same = false;
    }
    check(`pulumi package get-schema provider: the component package's ${components} components, as in sdk/schema.json`, getSchema.code === 0 && same, getSchema.code === 0 ? "the schema differs: run `npm run sdk:schema`" : tailOf(getSchema));

    // 2. The SDKs, from the committed schema.
    const sdkRoot = path.join(sandbox.dir, "sdk");
    const gen = (language: string) => pulumi(sandbox, sandbox.dir, home, ["package", "gen-sdk", schemaFile, "--language", language, "--out", sdkRoot]);
    const genGo = gen("go");
    const goPkg = path.join(sdkRoot, "go", "groundwork");
    const goFiles = fs.existsSync(goPkg) ? fs.readdirSync(goPkg).filter((f) => f.endsWith(".go")) : [];
    check(`gen-sdk --language go: ${goFiles.length} files in ${path.relative(sandbox.dir, goPkg)}`, genGo.code === 0 && goFiles.includes("network.go") && goFiles.includes("queue.go"), tailOf(genGo));
    const genPy = gen("python");
    const pyPkg = path.join(sdkRoot, "python", "pulumi_groundwork");
    check(`gen-sdk --language python: ${path.relative(sandbox.dir, pyPkg)}`, genPy.code === 0 && fs.existsSync(path.join(pyPkg, "network.py")), tailOf(genPy));

    // 3. The Go program, built against the generated SDK (a module of its own, replaced in the program's go.mod).
    const project = path.join(sandbox.dir, "projects", "go-consumer");
    fs.cpSync(path.join(REPO_ROOT, "test", "fixtures", "programs", "go-consumer"), project, { recursive: true, filter: (src) => path.basename(src) !== "groundwork-sdk" });
    const sdkModule = path.join(project, "groundwork-sdk");
    fs.cpSync(path.join(sdkRoot, "go"), path.join(sdkModule, "go"), { recursive: true });
    fs.writeFileSync(
        path.join(sdkModule, "go.mod"),
        `module ${GO_SDK_MODULE}\n\ngo 1.26.6\n\nrequire (\n\tgithub.com/blang/semver v3.5.1+incompatible\n\tgithub.com/pulumi/pulumi/sdk/v3 v3.274.1\n)\n`,
    );
    const buildStarted = Date.now();
    // -trimpath: the sandbox's folder changes every run; without it the SDK's compiled packages would never be reused.
    const build = spawnSync("go", ["build", "-trimpath", "-o", path.join(project, "bin", "go-consumer"), "."], {
        cwd: project,
        // The program's committed go.sum covers the SDK's dependencies too; -mod=mod lets go add a line it lacks.
        env: { ...process.env, GOFLAGS: "-mod=mod", GOWORK: "off" },
        encoding: "utf8",
        timeout: 15 * 60 * 1000,
    });
    const buildSeconds = (Date.now() - buildStarted) / 1000;
    check(`go build of test/fixtures/programs/go-consumer against the generated SDK (${buildSeconds.toFixed(0)}s)`, build.status === 0, `${build.stdout}${build.stderr}`.trim().split("\n").slice(-20).join("\n"));

    // 4. Its preview: the built binary (the runtime's `binary` option), the component package from provider/.
    const pulumiYaml = yaml.load(fs.readFileSync(path.join(project, "Pulumi.yaml"), "utf8")) as Record<string, any>;
    pulumiYaml.runtime = { name: "go", options: { binary: "bin/go-consumer" } };
    pulumiYaml.packages = { groundwork: providerDir };
    fs.writeFileSync(path.join(project, "Pulumi.yaml"), yaml.dump(pulumiYaml));
    const stack = "sdk-go";
    pulumi(sandbox, project, home, ["stack", "init", stack]);
    pulumi(sandbox, project, home, ["config", "set", "--stack", stack, "aws:region", "eu-west-1"]);
    const packDir = path.join(REPO_ROOT, "policies", "security");
    const preview =
        build.status === 0
            ? pulumi(sandbox, project, home, ["preview", "--stack", stack, "--json", "--policy-pack", packDir, "--policy-pack-config", path.join(packDir, "config", "dev.json")])
            : undefined;
    if (preview) {
        const steps = stepsOf(preview.events).filter((s) => s.op === "create");
        const count = (type: string) => steps.filter((s) => s.type === type).length;
        const violations = violationsOf(preview.events);
        const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
        check(`Go program: pulumi preview exits 0 (${preview.seconds.toFixed(0)}s)`, preview.code === 0, tailOf(preview));
        check(
            `Go program: the components as the Go SDK declared them and as TypeScript would (groundwork:index:Network/Queue, ` +
                `groundwork:network:Network/groundwork:queue:Queue inside)`,
            count("groundwork:index:Network") === 1 && count("groundwork:index:Queue") === 1 && count("groundwork:network:Network") === 1 && count("groundwork:queue:Queue") === 1,
            steps.map((s) => s.type).join("\n"),
        );
        const aws = steps.filter((s) => s.type.startsWith("aws:"));
        check(
            `Go program: ${aws.length} AWS resources planned (VPC ${count("aws:ec2/vpc:Vpc")}, subnets ${count("aws:ec2/subnet:Subnet")}, NAT ${count("aws:ec2/natGateway:NatGateway")}, SQS queues ${count("aws:sqs/queue:Queue")})`,
            count("aws:ec2/vpc:Vpc") === 1 && count("aws:ec2/subnet:Subnet") === 6 && count("aws:ec2/natGateway:NatGateway") === 1 && count("aws:sqs/queue:Queue") === 2,
        );
        check(
            `Go program: with the security pack, no mandatory finding (${violations.length - violations.filter(isCantRunDuringPreview).length} findings, ${violations.filter(isCantRunDuringPreview).length} "can't run during preview")`,
            preview.code === 0 && mandatory.length === 0,
            mandatory.map((v) => `[mandatory] ${v.policy} ${v.urn ?? ""}`).join("\n"),
        );
        figures.push(`Go SDK: ${goFiles.length} files generated; go build ${buildSeconds.toFixed(0)}s; preview ${preview.seconds.toFixed(0)}s, ${steps.length} creates (${aws.length} AWS)`);
    }
    pulumi(sandbox, project, home, ["stack", "rm", "--yes", "--force", stack]);

    // 5. The Python SDK is byte-compiled only.
    const compile = spawnSync("python3", ["-m", "compileall", "-q", path.join(sdkRoot, "python")], { encoding: "utf8" });
    const pyFiles = fs.existsSync(pyPkg) ? fs.readdirSync(pyPkg).filter((f) => f.endsWith(".py")).length : 0;
    check(`Python SDK: python3 -m compileall of ${pyFiles} modules (byte-compiled only: no Python program runs here)`, compile.status === 0 && pyFiles > 0, `${compile.stdout}${compile.stderr}`);
    figures.push(`SDK step ${((Date.now() - started) / 1000).toFixed(0)}s in all (get-schema ${getSchema.seconds.toFixed(0)}s, gen-sdk go ${genGo.seconds.toFixed(0)}s, python ${genPy.seconds.toFixed(0)}s)`);
}
