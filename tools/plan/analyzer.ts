import * as fs from "node:fs";
import * as path from "node:path";
import type { RecordedGraph, RecordedResource } from "./engine";

/**
 * Drives a CrossGuard policy pack in-process through the same analyzer handlers the Pulumi CLI calls over
 * gRPC (getAnalyzerInfo, configure, analyze, analyzeStack). @pulumi/policy itself builds every argument a
 * policy sees, so the pack's code runs exactly as under `pulumi preview --policy-pack`.
 */

/** One policy violation, as the report and the JSON contract carry it. */
export interface Violation {
    /** Policy pack name. */
    pack: string;
    /** Policy name. */
    policy: string;
    /** `mandatory`, `advisory`, `remediate` or `disabled`. */
    enforcementLevel: string;
    /** Offending resource, when the policy named one. */
    urn: string | null;
    /** Message: the policy's description and what is wrong. */
    message: string;
}

/** Policy config in the format of `pulumi preview --policy-pack-config`: policy name -> level or properties. */
export type PolicyPackConfig = Record<string, string | Record<string, unknown>>;

/** What the pack says about itself (getAnalyzerInfo). */
export interface PackInfo {
    /** Pack name. */
    name: string;
    /** Pack version (from the pack's package.json). */
    version: string;
    /** Policies with their default enforcement level and config schema. */
    policies: { name: string; description: string; enforcementLevel: string; configSchema?: { properties: Record<string, any>; required: string[] } }[];
}

type Handler = (call: { request: any }, callback: (err: any, resp?: any) => void) => void;

/** A loaded pack: its info and the analyzer handlers it registered. */
export interface LoadedPack {
    /** The pack's directory. */
    dir: string;
    /** getAnalyzerInfo answer. */
    info: PackInfo;
    /** The gRPC service implementation the pack registered. */
    handlers: Record<string, Handler>;
}

/** Runs a callback with a fresh module registry (jest.isolateModules in tests; require.cache purge otherwise). */
export type Isolate = (fn: () => void) => void;

const PULUMI_DIR = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const analyzerproto = require(path.join(PULUMI_DIR, "proto", "analyzer_pb"));
const structproto = require(require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [PULUMI_DIR] }));

const LEVELS: Record<number, string> = { 0: "advisory", 1: "mandatory", 2: "disabled", 3: "remediate" };
const LEVEL_ENUM: Record<string, number> = { advisory: 0, mandatory: 1, disabled: 2, remediate: 3 };

function call<T>(handler: Handler, request: any): Promise<T> {
    return new Promise<T>((resolve, reject) => handler({ request }, (err, resp) => (err ? reject(err) : resolve(resp))));
}

/** Default isolation outside jest: purge @pulumi/policy, grpc and the pack's own modules from require.cache. */
function purgeIsolate(packDir: string): Isolate {
    return (fn) => {
        const isPolicyRuntime = (key: string) => key.includes(`${path.sep}@pulumi${path.sep}policy${path.sep}`) || key.includes(`${path.sep}@grpc${path.sep}grpc-js${path.sep}`);
        // A module outside the pack that loads @pulumi/policy (a shared rule library such as @groundwork/policy-kit,
        // maybe cached already because the program imports it too) must be reloaded with the pack's fresh
        // @pulumi/policy, or its errors fail the pack's `instanceof` checks.
        const loadsPolicy = (m: NodeModule | undefined, seen: Set<string>): boolean => {
            if (!m || seen.has(m.id)) return false;
            seen.add(m.id);
            return isPolicyRuntime(m.id) || m.children.some((c) => loadsPolicy(c, seen));
        };
        const purge = () => {
            const doomed = Object.keys(require.cache).filter((key) => isPolicyRuntime(key) || key.startsWith(packDir + path.sep) || loadsPolicy(require.cache[key], new Set()));
            for (const key of doomed) delete require.cache[key];
        };
        purge();
        try {
            fn();
        } finally {
            purge();
        }
    };
}

/**
 * Loads the pack in `packDir` (its `index.ts`/`index.js`, or package.json `main`) the way the CLI's analyzer host
 * does, but captures the gRPC service implementation instead of listening on a port.
 */
export async function loadPack(packDir: string, isolate?: Isolate): Promise<LoadedPack> {
    const dir = path.resolve(packDir);
    if (!fs.existsSync(path.join(dir, "PulumiPolicy.yaml"))) {
        throw new Error(`policy pack '${packDir}' has no PulumiPolicy.yaml. Fix: pass a folder like policies/security.`);
    }
    if (!fs.existsSync(path.join(dir, "package.json"))) {
        throw new Error(`policy pack '${packDir}' has no package.json (CrossGuard reads the pack version from it). Fix: add one with a "version".`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
    const entry = [pkg.main, "index.ts", "index.js"].filter(Boolean).map((f: string) => path.join(dir, f)).find((f) => fs.existsSync(f));
    if (!entry) throw new Error(`policy pack '${packDir}' has no index.ts or index.js.`);

    let handlers: Record<string, Handler> | undefined;
    const run = isolate ?? purgeIsolate(dir);
    const cwd = process.cwd();
    run(() => {
        // The same @grpc/grpc-js instance the pack's @pulumi/policy will load in this registry.
        const policyDir = path.dirname(require.resolve("@pulumi/policy/package.json", { paths: [dir] }));
        const grpc = require(require.resolve("@grpc/grpc-js", { paths: [policyDir] }));
        const proto = grpc.Server.prototype;
        const { addService, bindAsync } = proto;
        proto.addService = function (_svc: unknown, impl: Record<string, Handler>) {
            handlers = impl;
        };
        proto.bindAsync = function () {
            /* no socket offline */
        };
        try {
            process.chdir(dir); // PolicyPack reads ./package.json for its version, as under the CLI.
            require(entry);
        } finally {
            process.chdir(cwd);
            proto.addService = addService;
            proto.bindAsync = bindAsync;
        }
    });
    if (!handlers) throw new Error(`policy pack '${packDir}' did not create a PolicyPack. Fix: its entry must call new PolicyPack(...).`);
    const infoMsg: any = await call(handlers.getAnalyzerInfo, {});
    const info: PackInfo = {
        name: infoMsg.getName(),
        version: infoMsg.getVersion(),
        policies: infoMsg.getPoliciesList().map((p: any) => {
            const schema = p.getConfigschema();
            return {
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: LEVELS[p.getEnforcementlevel()],
                configSchema: schema ? { properties: schema.getProperties()?.toJavaScript() ?? {}, required: schema.getRequiredList() } : undefined,
            };
        }),
    };
    return { dir, info, handlers };
}

/**
 * Resolves user policy config against the pack's schemas as the CLI does: schema defaults filled in, every
 * policy given its effective enforcement level, unknown policies and invalid values rejected.
 */
export function resolveConfig(info: PackInfo, user: PolicyPackConfig = {}): Record<string, { enforcementLevel: string; properties: Record<string, unknown> }> {
    const names = new Set(info.policies.map((p) => p.name));
    for (const key of Object.keys(user)) {
        if (key !== "all" && !names.has(key)) {
            throw new Error(`policy config names '${key}', which is not a policy of pack '${info.name}'. Fix: use one of: ${[...names].join(", ")}.`);
        }
    }
    const levelOf = (v: unknown): string | undefined => {
        if (v === undefined) return undefined;
        if (typeof v !== "string" || !(v in LEVEL_ENUM)) {
            throw new Error(`policy config: enforcement level '${String(v)}' is not one of advisory, mandatory, remediate, disabled.`);
        }
        return v;
    };
    const all = typeof user.all === "string" ? levelOf(user.all) : undefined;
    const out: Record<string, { enforcementLevel: string; properties: Record<string, unknown> }> = {};
    for (const p of info.policies) {
        const raw = user[p.name];
        const given = typeof raw === "string" ? { enforcementLevel: raw } : (raw ?? {});
        const { enforcementLevel, ...props } = given as Record<string, unknown>;
        const properties: Record<string, unknown> = {};
        for (const [k, schema] of Object.entries(p.configSchema?.properties ?? {})) {
            if (schema && typeof schema === "object" && "default" in schema) properties[k] = structuredClone(schema.default);
        }
        for (const [k, v] of Object.entries(props)) {
            const schema = p.configSchema?.properties?.[k];
            if (!schema) throw new Error(`policy config for '${p.name}': unknown property '${k}'. Fix: allowed properties are ${Object.keys(p.configSchema?.properties ?? {}).join(", ") || "none"}.`);
            if (Array.isArray(schema.enum) && !schema.enum.includes(v)) {
                throw new Error(`policy config for '${p.name}': '${k}' is ${JSON.stringify(v)}; allowed: ${schema.enum.join(", ")}.`);
            }
            if (schema.type === "array" && !Array.isArray(v)) throw new Error(`policy config for '${p.name}': '${k}' must be an array.`);
            properties[k] = v;
        }
        for (const req of p.configSchema?.required ?? []) {
            if (!(req in properties)) throw new Error(`policy config for '${p.name}': '${req}' is required.`);
        }
        out[p.name] = { enforcementLevel: levelOf(enforcementLevel) ?? all ?? p.enforcementLevel, properties };
    }
    return out;
}

function toStruct(v: Record<string, unknown>): any {
    return structproto.Struct.fromJavaScript(v);
}

function resourceOptions(r: RecordedResource): any {
    const o = new analyzerproto.AnalyzerResourceOptions();
    o.setProtect(r.protect);
    o.setIgnorechangesList(r.raw.ignoreChanges ?? []);
    o.setAdditionalsecretoutputsList([]);
    o.setAliasesList([]);
    if (r.parent) o.setParent(r.parent);
    return o;
}

function providerResource(r: RecordedResource, byUrn: Map<string, RecordedResource>): any {
    if (!r.provider) return undefined;
    const p = byUrn.get(r.provider);
    if (!p) return undefined;
    const m = new analyzerproto.AnalyzerProviderResource();
    m.setType(p.type);
    m.setName(p.name);
    m.setUrn(p.urn);
    m.setProperties(toStruct(p.raw.inputs));
    return m;
}

function diagnostics(resp: any, fallbackUrn: string | null): Violation[] {
    return resp.getDiagnosticsList().map((d: any) => ({
        pack: d.getPolicypackname(),
        policy: d.getPolicyname(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
        urn: d.getUrn() || fallbackUrn,
        message: d.getMessage(),
    }));
}

/**
 * Evaluates a loaded pack on a recorded graph: `configure` with the resolved config, `analyze` on every
 * resource (its inputs), `analyzeStack` on the whole graph (its outputs), as the CLI does for a preview.
 */
export async function analyzeGraph(pack: LoadedPack, graph: RecordedGraph, config: PolicyPackConfig = {}): Promise<Violation[]> {
    const resolved = resolveConfig(pack.info, config);
    const configure = new analyzerproto.ConfigureAnalyzerRequest();
    const map = configure.getPolicyconfigMap();
    for (const [name, c] of Object.entries(resolved)) {
        const pc = new analyzerproto.PolicyConfig();
        pc.setEnforcementlevel(LEVEL_ENUM[c.enforcementLevel]);
        pc.setProperties(toStruct(c.properties));
        map.set(name, pc);
    }
    await call(pack.handlers.configure, configure);

    const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
    const subjects = graph.resources.filter((r) => r.type !== "pulumi:pulumi:Stack");
    const violations: Violation[] = [];
    // The fields AnalyzeRequest and AnalyzerResource share; analyze sees inputs, analyzeStack sees outputs.
    const describe = <M>(m: M & Record<string, (v: any) => unknown>, r: RecordedResource, props: Record<string, unknown>): M => {
        m.setType(r.type);
        m.setName(r.name);
        m.setUrn(r.urn);
        m.setProperties(toStruct(props));
        m.setOptions(resourceOptions(r));
        const prov = providerResource(r, byUrn);
        if (prov) m.setProvider(prov);
        return m;
    };
    for (const r of subjects) {
        const req = describe(new analyzerproto.AnalyzeRequest(), r, r.raw.inputs);
        violations.push(...diagnostics(await call(pack.handlers.analyze, req), r.urn));
    }
    const stackReq = new analyzerproto.AnalyzeStackRequest();
    stackReq.setResourcesList(
        subjects.map((r) => {
            const m = describe(new analyzerproto.AnalyzerResource(), r, r.raw.outputs);
            if (r.parent) m.setParent(r.parent);
            m.setDependenciesList(r.dependencies);
            const pd = m.getPropertydependenciesMap();
            for (const [k, urns] of Object.entries(r.propertyDependencies)) {
                const deps = new analyzerproto.AnalyzerPropertyDependencies();
                deps.setUrnsList(urns);
                pd.set(k, deps);
            }
            return m;
        }),
    );
    violations.push(...diagnostics(await call(pack.handlers.analyzeStack, stackReq), null));
    return violations;
}
