import * as pulumi from "@pulumi/pulumi";
import { expandComponents } from "./expand";
import { createMocks, MockRecorder } from "./mocks";

/** One resource the program registered, as the engine saw the registration. */
export interface RecordedResource {
    /** URN the engine assigned. */
    urn: string;
    /** Pulumi type token. */
    type: string;
    /** Logical name. */
    name: string;
    /** Parent URN; null for the root stack. */
    parent: string | null;
    /** Inputs as registered: secrets replaced by `[secret]`, unknowns by `[unknown]`, resource references by their URN. */
    inputs: Record<string, any>;
    /** URNs this resource depends on (explicit and through inputs). */
    dependencies: string[];
    /** Per-property dependencies. */
    propertyDependencies: Record<string, string[]>;
    /** Provider reference URN, when one was given. */
    provider: string | null;
    /** `protect` option. */
    protect: boolean;
    /** `retainOnDelete` option. */
    retainOnDelete: boolean;
    /** True for custom (provider) resources, false for components. */
    custom: boolean;
    /** True when the resource is a remote component (opaque under mocks). */
    remote: boolean;
    /** Outputs the mock provider returned (sanitised like inputs). */
    outputs: Record<string, any>;
    /** @internal Raw registration for the analyzer: inputs/outputs with secrets and unknowns kept as protobuf markers. */
    raw: { inputs: any; outputs: any; ignoreChanges: string[] };
}

/** The program's whole resource graph. */
export interface RecordedGraph {
    /** Pulumi project name. */
    project: string;
    /** Stack name. */
    stack: string;
    /** Every registration, in order. */
    resources: RecordedResource[];
    /** Stack outputs, sanitised. */
    outputs: Record<string, any>;
}

/** How to run a program under the mock engine. */
export interface RunOptions {
    /** Pulumi project name. @default "groundwork" */
    project?: string;
    /** Stack name. @default "dev" */
    stack?: string;
    /** Full config map (`groundwork:tier`, `aws:region`); replaces all config. */
    config?: Record<string, string>;
    /** Keys of `config` that are secrets. */
    secretKeys?: string[];
    /** Run as a preview (ids unknown). @default false */
    preview?: boolean;
    /** Outputs of the stacks the program reads with `pulumi.StackReference`, by fully qualified stack name. */
    stackReferences?: Record<string, Record<string, unknown>>;
}

/** Marker that replaces every secret value in recorded data. */
export const SECRET_MARK = "[secret]";
/** Marker that replaces unknown (computed during preview) values. */
export const UNKNOWN_MARK = "[unknown]";

const SIG_KEY = pulumi.runtime.specialSigKey;
const SECRET_SIG = pulumi.runtime.specialSecretSig;
const RESOURCE_SIG = pulumi.runtime.specialResourceSig;
const OUTPUT_SIG = pulumi.runtime.specialOutputValueSig;
const UNKNOWN = pulumi.runtime.unknownValue;

/** Converts a protobuf-decoded property value to plain JSON, hiding secrets and marking unknowns. */
export function sanitize(v: any): any {
    if (v === UNKNOWN) return UNKNOWN_MARK;
    if (Array.isArray(v)) return v.map(sanitize);
    if (v && typeof v === "object") {
        const sig = v[SIG_KEY];
        if (sig === SECRET_SIG) return SECRET_MARK;
        if (sig === RESOURCE_SIG) return v.urn ?? v.id ?? null;
        if (sig === OUTPUT_SIG) return v.secret ? SECRET_MARK : "value" in v ? sanitize(v.value) : UNKNOWN_MARK;
        if (sig !== undefined) return `[${String(v.path ?? v.uri ?? "asset")}]`;
        const out: Record<string, any> = {};
        for (const [k, val] of Object.entries(v)) out[k] = sanitize(val);
        return out;
    }
    return v;
}

function containsUnknown(v: any): boolean {
    if (v === UNKNOWN) return true;
    if (Array.isArray(v)) return v.some(containsUnknown);
    if (v && typeof v === "object") return Object.values(v).some(containsUnknown);
    return false;
}

function providerUrn(ref: string): string | null {
    if (!ref) return null;
    const i = ref.lastIndexOf("::");
    return i > 0 ? ref.slice(0, i) : ref;
}

let running = false;
let activeRecorder: MockRecorder | undefined;

/**
 * What the mocks of the program now running have found wrong so far (an unknown data source, a stack read
 * through a StackReference with no outputs given). A program that crashes before it finishes is reported with
 * these, since they usually explain the crash.
 */
export function pendingMockErrors(): string[] {
    return [...(activeRecorder?.errors ?? [])];
}

/**
 * Runs a Pulumi program in-process under the mock engine and records every resource registration with
 * its parent, dependencies, provider, options and inputs. Throws when the program throws or a mock fails.
 */
export async function runProgram(program: () => unknown, opts: RunOptions = {}): Promise<RecordedGraph> {
    if (running) throw new Error("runProgram: one program at a time (the Pulumi runtime is process-global)");
    running = true;
    try {
        return await runOnce(program, opts);
    } finally {
        running = false;
    }
}

async function runOnce(program: () => unknown, opts: RunOptions): Promise<RecordedGraph> {
    const project = opts.project ?? "groundwork";
    const stack = opts.stack ?? "dev";
    const config = opts.config ?? {};
    const recorder: MockRecorder = { errors: [] };
    activeRecorder = recorder;
    const region = config["aws:region"] ?? "us-east-1";
    // Preview: the mock engine decodes unknown inputs as undefined before `newResource` sees them, so the
    // registration wrapper below notes which inputs were unknown and the mocks report those unknown too.
    const unknownInputs = new Map<string, string[]>();
    const unconfiguredProviders = new Set<string>();
    const preview = opts.preview
        ? {
              unknownInputs: (type: string, name: string) => unknownInputs.get(`${type}::${name}`) ?? [],
              providerUnknown: (ref: string) => unconfiguredProviders.has(providerUrn(ref) ?? ""),
          }
        : undefined;
    await pulumi.runtime.setMocks(createMocks({ region, preview, stackReferences: opts.stackReferences }, recorder), project, stack, opts.preview ?? false);
    pulumi.runtime.setAllConfig(config, opts.secretKeys ?? []);

    const monitor: any = pulumi.runtime.getMonitor();
    // URNs as the engine makes them: a child's type is qualified by its parent's whole qualified type, and
    // the root stack qualifies nothing (the mock monitor uses only the parent's last type, stack included).
    monitor.newUrn = (parent: string | undefined, type: string, name: string): string => {
        const parentType = parent ? parent.split("::")[2] : "";
        const qualified = parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$${type}` : type;
        return `urn:pulumi:${stack}::${project}::${qualified}::${name}`;
    };
    const records: RecordedResource[] = [];
    const pending: Promise<void>[] = [];
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
        const rawInputs = req.getObject()?.toJavaScript() ?? {};
        if (preview) unknownInputs.set(`${req.getType()}::${req.getName()}`, Object.keys(rawInputs).filter((k) => rawInputs[k] === UNKNOWN));
        let done!: () => void;
        pending.push(new Promise<void>((r) => (done = r)));
        original(req, (err: any, resp: any) => {
            try {
                if (!err && resp) {
                    if (preview && req.getType().startsWith("pulumi:providers:") && containsUnknown(rawInputs)) unconfiguredProviders.add(resp.getUrn());
                    const propDeps: Record<string, string[]> = {};
                    req.getPropertydependenciesMap().forEach((v: any, k: string) => (propDeps[k] = v.getUrnsList()));
                    const rawOutputs = resp.getObject()?.toJavaScript() ?? {};
                    // The provider would return these outputs as secrets (additionalSecretOutputs); so does the record.
                    for (const key of req.getAdditionalsecretoutputsList()) {
                        if (key in rawOutputs && rawOutputs[key]?.[SIG_KEY] !== SECRET_SIG) rawOutputs[key] = { [SIG_KEY]: SECRET_SIG, value: rawOutputs[key] };
                    }
                    records.push({
                        urn: resp.getUrn(),
                        type: req.getType(),
                        name: req.getName(),
                        parent: req.getParent() || null,
                        inputs: sanitize(rawInputs),
                        dependencies: [...new Set<string>(req.getDependenciesList())],
                        propertyDependencies: propDeps,
                        provider: providerUrn(req.getProvider()),
                        protect: req.getProtect() ?? false,
                        retainOnDelete: req.getRetainondelete() ?? false,
                        custom: req.getCustom(),
                        remote: req.getRemote(),
                        outputs: sanitize(rawOutputs),
                        raw: { inputs: rawInputs, outputs: rawOutputs, ignoreChanges: req.getIgnorechangesList() },
                    });
                }
            } catch (e) {
                recorder.errors.push(`recording ${req.getType()} '${req.getName()}' failed: ${(e as Error).message}`);
            } finally {
                done();
                callback(err, resp);
            }
        });
    };

    // Stack outputs are read from the registration (secrets still marked), not from the resolved values.
    const registeredOutputs = new Map<string, any>();
    const originalOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req: any, callback: (err: any, resp: any) => void) => {
        registeredOutputs.set(req.getUrn(), req.getOutputs()?.toJavaScript() ?? {});
        originalOutputs(req, callback);
    };

    // The program's own error is caught inside the stack so the runtime has no rejected promise left dangling.
    let programError: unknown;
    try {
        await pulumi.runtime.runInPulumiStack(async () => {
            try {
                const result = await program();
                return result && typeof result === "object" ? (result as Record<string, unknown>) : undefined;
            } catch (e) {
                programError = e;
                return undefined;
            }
        });
    } catch (e) {
        programError ??= e;
    }
    // Wait until every registration (including those started by applies) has been answered.
    for (let seen = -1; seen !== pending.length; ) {
        seen = pending.length;
        await Promise.all(pending);
        await new Promise((r) => setImmediate(r));
    }
    monitor.registerResource = original;
    monitor.registerResourceOutputs = originalOutputs;
    if (programError) throw programError;
    if (recorder.errors.length > 0) throw new Error(recorder.errors.join("\n"));
    // The objects of YAML components the Kubernetes provider would register itself (see ./expand.ts).
    records.push(...expandComponents(records, process.cwd()));
    const root = records.find((r) => r.type === "pulumi:pulumi:Stack");
    return { project, stack, resources: records, outputs: sanitize((root && registeredOutputs.get(root.urn)) ?? {}) };
}
