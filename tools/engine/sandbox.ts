/**
 * A throwaway place to run the real `pulumi` CLI offline: a local file backend, passphrase secrets, no update
 * checks, no plugin downloads, and PULUMI_HOMEs whose plugins are chosen by the caller (stand-in or real).
 *
 * Projects are "link farms": a temp folder holding a copy of Pulumi.yaml and the stack files, with the rest
 * of the repository's top-level entries (infra/, components/, node_modules/, tsconfig.json, policies/, ...)
 * linked in. The program runs exactly as from the repository, `pulumi stack init` writes its encryption salt
 * into the copies, never into the repository's Pulumi.<stack>.yaml.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "./plugins";

/** A sandbox: its folders and the environment every command gets. */
export interface Sandbox {
    /** Root temp folder (removed by {@link disposeSandbox}). */
    dir: string;
    /** Folder of the stand-in providers' state (one JSON file per resource). */
    stateDir: string;
    /** Environment for `pulumi` (PATH with the CLI first, backend, passphrase, offline switches). */
    env: NodeJS.ProcessEnv;
}

/** Creates the folders and environment; `pathPrefix` is what tools/engine/pulumi.sh printed. */
export function createSandbox(pathPrefix: string): Sandbox {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-engine-"));
    const backend = path.join(dir, "backend");
    const stateDir = path.join(dir, "standin-state");
    fs.mkdirSync(backend, { recursive: true });
    fs.mkdirSync(stateDir, { recursive: true });
    const env: NodeJS.ProcessEnv = {
        ...process.env,
        // The Node the npm scripts run (Node 24 from the `node` devDependency) runs the program and the packs too.
        PATH: `${pathPrefix}:${path.dirname(process.execPath)}:${process.env.PATH ?? ""}`,
        PULUMI_BACKEND_URL: `file://${backend}`,
        PULUMI_CONFIG_PASSPHRASE: "groundwork-engine-test-passphrase",
        PULUMI_SKIP_UPDATE_CHECK: "true",
        PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
        PULUMI_SKIP_CONFIRMATIONS: "true",
        PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
        // The program is type-checked once by `npm run typecheck`; ts-node only transpiles it here. Policy packs are
        // still type-checked by the CLI's pack runner, as for users.
        PULUMI_NODEJS_TRANSPILE_ONLY: "true",
        NO_COLOR: "1",
    };
    return { dir, stateDir, env };
}

/** Removes the sandbox's folders. */
export function disposeSandbox(sb: Sandbox): void {
    fs.rmSync(sb.dir, { recursive: true, force: true });
}

/** A PULUMI_HOME inside the sandbox, created on first use. */
export function pulumiHome(sb: Sandbox, name: string): string {
    const home = path.join(sb.dir, `home-${name}`);
    fs.mkdirSync(path.join(home, "plugins"), { recursive: true });
    return home;
}

/** What a project folder runs. */
export interface ProjectSpec {
    /** Folder name inside the sandbox. */
    name: string;
    /** Folder whose Pulumi.yaml and Pulumi.<stack>.yaml are copied. @default the repository */
    from?: string;
    /** Program to run instead of Pulumi.yaml's `main` (a path relative to the repository). */
    main?: string;
    /** Project name instead of Pulumi.yaml's. */
    projectName?: string;
}

/** Builds a project folder in the sandbox (see the file comment) and returns its path. */
export function linkProject(sb: Sandbox, spec: ProjectSpec): string {
    const from = path.resolve(spec.from ?? REPO_ROOT);
    const dir = path.join(sb.dir, "projects", spec.name);
    fs.mkdirSync(dir, { recursive: true });
    for (const entry of fs.readdirSync(REPO_ROOT)) {
        if (entry === ".git" || /^Pulumi(\..+)?\.yaml$/.test(entry)) continue;
        fs.symlinkSync(path.join(REPO_ROOT, entry), path.join(dir, entry));
    }
    const project = yaml.load(fs.readFileSync(path.join(from, "Pulumi.yaml"), "utf8")) as Record<string, any>;
    if (spec.projectName) project.name = spec.projectName;
    // `main` is resolved against the original project folder, so a copy from a fixture folder keeps working.
    const main = spec.main ? path.resolve(REPO_ROOT, spec.main) : path.resolve(from, project.main ?? ".");
    project.main = path.relative(dir, main.startsWith(REPO_ROOT) ? path.join(dir, path.relative(REPO_ROOT, main)) : main) || ".";
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), yaml.dump(project));
    for (const f of fs.readdirSync(from)) {
        if (/^Pulumi\..+\.yaml$/.test(f)) fs.copyFileSync(path.join(from, f), path.join(dir, f));
    }
    return dir;
}

/** One `pulumi` invocation's result. */
export interface PulumiRun {
    /** The command line, for messages. */
    command: string;
    /** Exit code (null when killed). */
    code: number | null;
    /** Standard output. */
    stdout: string;
    /** Standard error. */
    stderr: string;
    /** Engine events, when the command streamed them (`--json` on preview and up). */
    events: EngineEvent[];
    /** Wall time in seconds. */
    seconds: number;
}

/** An engine event as the CLI streams it with `--json` (only the fields read here are typed). */
export type EngineEvent = Record<string, any>;

/** Runs `pulumi <args>` in `cwd` with the sandbox's environment and the given PULUMI_HOME. */
export function pulumi(sb: Sandbox, cwd: string, home: string, args: string[], opts: { timeoutSeconds?: number; env?: NodeJS.ProcessEnv } = {}): PulumiRun {
    const started = process.hrtime.bigint();
    const streaming = args.includes("--json") && (args[0] === "preview" || args[0] === "up" || args[0] === "destroy");
    const r = spawnSync("pulumi", [...args, "--non-interactive"], {
        cwd,
        env: { ...sb.env, PULUMI_HOME: home, ...(streaming ? { PULUMI_ENABLE_STREAMING_JSON_PREVIEW: "true" } : {}), ...opts.env },
        encoding: "utf8",
        maxBuffer: 512 * 1024 * 1024,
        timeout: (opts.timeoutSeconds ?? 900) * 1000,
    });
    if (r.error) throw new Error(`pulumi ${args.join(" ")}: ${r.error.message}`);
    const events: EngineEvent[] = [];
    if (streaming) {
        for (const line of r.stdout.split("\n")) {
            const t = line.trim();
            if (!t.startsWith("{")) continue;
            try {
                events.push(JSON.parse(t));
            } catch {
                // a line of program output that happens to start with a brace
            }
        }
    }
    return {
        command: `pulumi ${args.join(" ")}`,
        code: r.status,
        stdout: r.stdout,
        stderr: r.stderr,
        events,
        seconds: Number(process.hrtime.bigint() - started) / 1e9,
    };
}

/** A policy finding as the engine reported it. */
export interface EngineViolation {
    /** Pack name. */
    pack: string;
    /** Policy name. */
    policy: string;
    /** `mandatory`, `advisory`, ... */
    enforcementLevel: string;
    /** Resource URN, or null for a stack-level finding. */
    urn: string | null;
    /** Message (description and details). */
    message: string;
}

/** The policy findings in an event stream. */
export function violationsOf(events: EngineEvent[]): EngineViolation[] {
    return events
        .filter((e) => e.policyEvent)
        .map(({ policyEvent: p }) => ({
            pack: p.policyPackName,
            policy: p.policyName,
            enforcementLevel: p.enforcementLevel,
            // A stack policy's finding without a resource is reported on the root stack; the plan tool says null.
            urn: p.resourceUrn && !/::pulumi:pulumi:Stack::[^:]+$/.test(p.resourceUrn) ? p.resourceUrn : null,
            message: p.message,
        }));
}

/** True for the advisory @pulumi/policy reports when a policy read a value unknown during preview. */
export function isCantRunDuringPreview(v: { message: string; enforcementLevel: string }): boolean {
    return v.enforcementLevel === "advisory" && /can't run policy '.*' from policy pack '.*' during preview/.test(v.message);
}

/** Steps by operation (create, same, update, delete, ...) from the resource pre-events, default providers excluded. */
export function stepsOf(events: EngineEvent[]): { op: string; urn: string; type: string }[] {
    return events
        .filter((e) => e.resourcePreEvent)
        .map((e) => e.resourcePreEvent.metadata)
        .filter((m) => !isDefaultProvider(m.urn))
        .map((m) => ({ op: m.op, urn: m.urn, type: m.type }));
}

/** Default providers are the engine's, not the program's: they are not part of the plan's resource list. */
export function isDefaultProvider(urn: string): boolean {
    return /::pulumi:providers:[^:]+::default(_[\d_]+)?$/.test(urn);
}
