import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { analyzeGraph, Isolate, loadPack, PackInfo, PolicyPackConfig, Violation } from "./analyzer";
import { RecordedGraph, runProgram, SECRET_MARK } from "./engine";
import { PlanInputError, readStackConfig, resolveProject } from "./project";

/** Repository root: the plan tool lives in tools/plan. */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** Options of one offline plan. */
export interface PlanOptions {
    /** Stack name: selects `Pulumi.<stack>.yaml`. */
    stack: string;
    /** Program file or folder; default: the project's Pulumi.yaml `main`. */
    program?: string;
    /** Policy pack folders; default: every folder in policies/ with a PulumiPolicy.yaml. */
    policyPacks?: string[];
    /** Policy config files (CrossGuard format), paired by position with `policyPacks`. */
    policyConfigs?: string[];
    /** Folder the project is looked up from. @default REPO_ROOT */
    root?: string;
    /**
     * Plan as the first `pulumi preview` of a new stack sees it: ids, ARNs and every other computed output
     * unknown, so rules that read them report "can't run during preview" as under the CLI. @default false
     */
    preview?: boolean;
    /** Outputs of the stacks the program reads with `pulumi.StackReference`, by fully qualified stack name. */
    stackReferences?: Record<string, Record<string, unknown>>;
    /** Module isolation for loading packs (tests pass jest.isolateModules). */
    isolate?: Isolate;
    /** Judge the graph with the packs; `false` records the graph only (the coverage tool traces the rules itself). @default true */
    analyze?: boolean;
}

/** What a plan produced. */
export interface PlanResult {
    /** The recorded resource graph. */
    graph: RecordedGraph;
    /** Packs evaluated. */
    packs: (PackInfo & { dir: string })[];
    /** All violations. */
    violations: Violation[];
    /** The tier the policy config was chosen for. */
    tier: string;
    /** 0: no mandatory violation; 1: at least one. */
    exitCode: 0 | 1;
}

/** Every policy pack folder under policies/. */
export function defaultPacks(root = REPO_ROOT): string[] {
    const dir = path.join(root, "policies");
    if (!fs.existsSync(dir)) return [];
    return fs
        .readdirSync(dir)
        .map((d) => path.join(dir, d))
        .filter((d) => fs.existsSync(path.join(d, "PulumiPolicy.yaml")))
        .sort();
}

function readPolicyConfig(file: string): PolicyPackConfig {
    try {
        return JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new PlanInputError(`policy config '${file}' cannot be read as JSON: ${(e as Error).message}`);
    }
}

/**
 * The plaintext of every secret in the raw registrations, so messages can be scrubbed of them: each secret string,
 * and each string inside a secret object or list unless the program also uses that same string in the clear (a
 * secret settings object holding "true" or the project's name does not make those words secret everywhere).
 */
export function secretPlaintexts(graph: RecordedGraph): string[] {
    const secret = new Set<string>();
    const nested = new Set<string>();
    const plain = new Set<string>();
    const visit = (v: any, inSecret: "no" | "scalar" | "container") => {
        if (typeof v === "string") {
            if (inSecret === "no") plain.add(v);
            else if (v.length >= 4) (inSecret === "scalar" ? secret : nested).add(v);
        } else if (Array.isArray(v)) {
            v.forEach((x) => visit(x, inSecret === "no" ? "no" : "container"));
        } else if (v && typeof v === "object") {
            if (v[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
                const inner = v.value;
                visit(inner, inner !== null && typeof inner === "object" ? "container" : "scalar");
                return;
            }
            for (const x of Object.values(v)) visit(x, inSecret === "no" ? "no" : "container");
        }
    };
    for (const r of graph.resources) {
        visit(r.raw.inputs, "no");
        visit(r.raw.outputs, "no");
    }
    for (const v of nested) if (!plain.has(v)) secret.add(v);
    return [...secret].sort((a, b) => b.length - a.length);
}

/** Runs the program offline, evaluates the packs and returns the graph and violations. */
export async function plan(opts: PlanOptions): Promise<PlanResult> {
    const project = resolveProject(opts.root ?? REPO_ROOT, opts.program);
    const stackConfig = readStackConfig(project, opts.stack);
    const cwd = process.cwd();
    let graph: RecordedGraph;
    try {
        process.chdir(project.dir); // the CLI runs programs from the project folder
        graph = await runProgram(
            async () => {
                // One plan per process in the CLI. Under jest the module registry caches the program, so each test
                // plans a program file of its own.
                let exported = require(project.entry);
                if (exported && exported.__esModule && typeof exported.default === "function") exported = exported.default;
                if (typeof exported === "function") exported = await exported();
                return exported;
            },
            { project: project.name, stack: opts.stack, config: stackConfig.config, secretKeys: stackConfig.secretKeys, preview: opts.preview, stackReferences: opts.stackReferences },
        );
    } finally {
        process.chdir(cwd);
    }

    const tierKey = [`groundwork:tier`, `${project.name}:tier`].find((k) => k in stackConfig.config);
    const tier = tierKey ? stackConfig.config[tierKey] : "prod";
    const packDirs = opts.analyze === false ? [] : opts.policyPacks && opts.policyPacks.length > 0 ? opts.policyPacks.map((p) => path.resolve(p)) : defaultPacks(opts.root ?? REPO_ROOT);
    if (opts.policyConfigs && opts.policyConfigs.length > packDirs.length) {
        throw new PlanInputError("more --policy-config files than --policy-pack folders; they pair by position.");
    }
    const packs: PlanResult["packs"] = [];
    const violations: Violation[] = [];
    for (const [i, dir] of packDirs.entries()) {
        const pack = await loadPack(dir, opts.isolate);
        const tierFile = path.join(dir, "config", `${tier}.json`);
        const configFile = opts.policyConfigs?.[i] ?? (fs.existsSync(tierFile) ? tierFile : undefined);
        const config = configFile ? readPolicyConfig(configFile) : {};
        packs.push({ ...pack.info, dir: path.relative(opts.root ?? REPO_ROOT, dir) || "." });
        violations.push(...(await analyzeGraph(pack, graph, config)));
    }
    const secrets = secretPlaintexts(graph);
    for (const v of violations) for (const s of secrets) v.message = v.message.split(s).join(SECRET_MARK);
    return { graph, packs, violations, tier, exitCode: violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0 };
}
