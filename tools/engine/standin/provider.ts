/**
 * STAND-IN resource provider plugin: a test double for the real `aws`, `random` and (for `up`) `kubernetes`
 * providers, which the real-engine tests (`npm run test:engine`) install into a throwaway PULUMI_HOME.
 *
 * Why: the real AWS provider cannot be built here (its Go module replaces the Terraform provider with a patched
 * local copy), there is no AWS account, and there is no cluster for the real Kubernetes provider to create
 * objects in. The real `pulumi` CLI drives this plugin over the same gRPC protocol it speaks to real providers.
 *
 * What it answers, and how:
 * - `Configure` reports preview support, so a preview calls `Create` with `preview: true`.
 * - `Check` returns the inputs with the physical name a real provider would generate (`<name>-<7 hex>`), so
 *   analyzers see provider-checked inputs.
 * - `Diff` compares the old and new checked inputs property by property.
 * - `Create`/`Update`/`Read` return the ids, ARNs and endpoints of `tools/plan/mocks.ts` (`fakeResource`), the
 *   same table the offline plan's mock engine uses. In a preview, every output the program did not set is
 *   unknown, as real providers report computed values of a resource that does not exist yet.
 * - `Invoke` answers the data sources of `mockInvoke`; any other data source is an error that names it.
 * - State is kept as one JSON file per resource under `$GROUNDWORK_STANDIN_STATE/<package>/`, so a test can
 *   show which resources "exist" (for example, that a policy stopped `up` before one was created).
 *
 * What it leaves unverified: AWS's and the Kubernetes API server's own validation of the values, real
 * replacement semantics (nothing is replaced, every change is an in-place update), eventual consistency,
 * and provider-side defaults beyond the physical name.
 *
 * Started by the engine as `pulumi-resource-<package> <engine address>`; prints its port on stdout.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import * as grpc from "@grpc/grpc-js";
import { checkedInputs, fakeResource, MOCK_ACCOUNT_ID, mockInvoke, previewState, UNKNOWN } from "../../plan/mocks";

 
const providerProto = require("@pulumi/pulumi/proto/provider_pb");
const pluginProto = require("@pulumi/pulumi/proto/plugin_pb");
const providerService = require("@pulumi/pulumi/proto/provider_grpc_pb");
const emptyProto = require("google-protobuf/google/protobuf/empty_pb");
const structProto = require("google-protobuf/google/protobuf/struct_pb");
 

/** Which package this process stands in for, and at which version (the exact one the SDK asks for). */
export interface StandInIdentity {
    /** Package name: `aws`, `random` or `kubernetes`. */
    pkg: string;
    /** Version reported by GetPluginInfo. */
    version: string;
    /** Folder holding one JSON file per resource. */
    stateDir: string;
}

type Props = Record<string, any>;

/** `urn:pulumi:stack::project::[parent$]type::name` -> { type, name }. */
export function parseUrn(urn: string): { type: string; name: string } {
    const parts = urn.split("::");
    const name = parts[parts.length - 1];
    const qualified = parts[parts.length - 2] ?? "";
    const type = qualified.split("$").pop() ?? qualified;
    return { type, name };
}

/** Deep equality of two property values, treating a missing key and `undefined`/`null` alike. */
export function sameValue(a: any, b: any): boolean {
    if (a === b) return true;
    if (a === undefined || a === null) return b === undefined || b === null;
    if (b === undefined || b === null) return false;
    if (Array.isArray(a) || Array.isArray(b)) {
        return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
    }
    if (typeof a === "object" && typeof b === "object") {
        const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
        for (const k of keys) if (!sameValue(a[k], b[k])) return false;
        return true;
    }
    return false;
}

/** Removes the property paths listed in `ignoreChanges` (`a.b[0].c`, top level or nested) from a copy. */
function withoutPaths(props: Props, paths: string[]): Props {
    const copy = JSON.parse(JSON.stringify(props ?? {}));
    for (const p of paths) {
        const keys = p.replace(/\[(\d+|"[^"]*")\]/g, ".$1").replace(/"/g, "").split(".").filter(Boolean);
        let cur: any = copy;
        for (let i = 0; cur && typeof cur === "object" && i < keys.length - 1; i++) cur = cur[keys[i]];
        if (cur && typeof cur === "object") delete cur[keys[keys.length - 1]];
    }
    return copy;
}

/** The top-level properties whose values differ between old and new inputs. */
export function changedKeys(olds: Props, news: Props, ignore: string[] = []): string[] {
    const a = withoutPaths(olds, ignore);
    const b = withoutPaths(news, ignore);
    return [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((k) => !sameValue(a[k], b[k])).sort();
}

/** Annotation the Kubernetes provider puts on objects it named itself. */
export const K8S_AUTONAMED = "pulumi.com/autonamed";

/**
 * Inputs after the provider's Check: the physical name a real provider would choose, where it names one.
 * AWS: `name` for the types that have one. Kubernetes: `metadata.name` with the `pulumi.com/autonamed`
 * annotation, keeping the name an earlier Check chose (as pulumi-kubernetes does), so the real provider reading
 * this stand-in's state on a later preview keeps the same name too.
 */
export function checkInputs(pkg: string, type: string, name: string, news: Props, olds: Props): Props {
    const out = pkg === "aws" ? checkedInputs(type, name, { ...news, ...(news.name === undefined && news.namePrefix === undefined && olds?.name ? { name: olds.name } : {}) }) : { ...news };
    if (pkg === "kubernetes" && !type.startsWith("kubernetes:helm.sh/") && !type.startsWith("pulumi:providers:")) {
        const metadata = { ...(out.metadata ?? {}) };
        if (!metadata.name && !metadata.generateName) {
            const old = olds?.metadata;
            metadata.name = old?.annotations?.[K8S_AUTONAMED] === "true" && old.name ? old.name : `${name}-${createHash("sha256").update(`${type}::${name}`).digest("hex").slice(0, 8)}`;
            metadata.annotations = { ...(metadata.annotations ?? {}), [K8S_AUTONAMED]: "true" };
            out.metadata = metadata;
        }
    }
    return out;
}

/**
 * Outputs of a resource: the fake provider's state. In a preview, every property the inputs do not set is
 * unknown (a resource that does not exist yet has no computed values).
 */
export function resourceOutputs(pkg: string, type: string, name: string, inputs: Props, region: string, preview: boolean): { id: string; outs: Props } {
    if (preview) {
        const known = stripUnknowns(inputs);
        const { state } = fakeResource({ type, name, inputs: known }, region, MOCK_ACCOUNT_ID);
        const unknownKeys = Object.keys(inputs).filter((k) => !(k in known));
        return { id: "", outs: previewState(state, known, unknownKeys, UNKNOWN) };
    }
    const { id, state } = fakeResource({ type, name, inputs }, region, MOCK_ACCOUNT_ID);
    return { id: id || `${name}-${createHash("sha256").update(type + name).digest("hex").slice(0, 8)}`, outs: dropUndefined(state) };
}

function stripUnknowns(v: any): any {
    if (v === UNKNOWN) return undefined;
    if (Array.isArray(v)) return v.map(stripUnknowns);
    if (v && typeof v === "object") {
        const o: Props = {};
        for (const [k, x] of Object.entries(v)) {
            const s = stripUnknowns(x);
            if (s !== undefined) o[k] = s;
        }
        return o;
    }
    return v;
}

function dropUndefined(v: any): any {
    return JSON.parse(JSON.stringify(v ?? {}));
}

function toStruct(v: Props): any {
    return structProto.Struct.fromJavaScript(dropUndefined(v));
}

function fromStruct(s: any): Props {
    return s ? s.toJavaScript() : {};
}

/** One resource's record in the stand-in's state folder. */
interface StoredResource {
    urn: string;
    type: string;
    id: string;
    inputs: Props;
    outputs: Props;
}

class StateStore {
    constructor(private readonly dir: string) {
        fs.mkdirSync(dir, { recursive: true });
    }
    private file(urn: string): string {
        return path.join(this.dir, createHash("sha256").update(urn).digest("hex").slice(0, 24) + ".json");
    }
    put(r: StoredResource): void {
        fs.writeFileSync(this.file(r.urn), JSON.stringify(r, null, 1));
    }
    get(urn: string): StoredResource | undefined {
        const f = this.file(urn);
        return fs.existsSync(f) ? JSON.parse(fs.readFileSync(f, "utf8")) : undefined;
    }
    delete(urn: string): void {
        fs.rmSync(this.file(urn), { force: true });
    }
}

type Callback = (err: grpc.ServiceError | null, resp?: any) => void;

function fail(code: grpc.status, message: string): grpc.ServiceError {
    return Object.assign(new Error(message), { code, details: message, metadata: new grpc.Metadata() });
}

/** The gRPC service implementation of the stand-in. */
export function standInService(id: StandInIdentity): grpc.UntypedServiceImplementation {
    const store = new StateStore(path.join(id.stateDir, id.pkg));
    let region = process.env.AWS_REGION ?? "us-east-1";
    const guard = (name: string, fn: (call: any) => any) => (call: any, cb: Callback) => {
        try {
            cb(null, fn(call));
        } catch (e) {
            const err = e as Error & { code?: grpc.status };
            cb(fail(err.code ?? grpc.status.UNKNOWN, `stand-in ${id.pkg} provider (test double), ${name}: ${err.message}`));
        }
    };
    return {
        getPluginInfo: guard("GetPluginInfo", () => {
            const info = new pluginProto.PluginInfo();
            info.setVersion(id.version);
            return info;
        }),
        getSchema: guard("GetSchema", () => {
            const r = new providerProto.GetSchemaResponse();
            r.setSchema("{}");
            return r;
        }),
        checkConfig: guard("CheckConfig", (call) => {
            const r = new providerProto.CheckResponse();
            r.setInputs(call.request.getNews());
            return r;
        }),
        diffConfig: guard("DiffConfig", () => {
            const r = new providerProto.DiffResponse();
            r.setChanges(providerProto.DiffResponse.DiffChanges.DIFF_NONE);
            return r;
        }),
        configure: guard("Configure", (call) => {
            const vars = call.request.getVariablesMap();
            const args = fromStruct(call.request.getArgs());
            const configured = args.region ?? vars.get("aws:config:region") ?? vars.get("aws:region");
            if (typeof configured === "string" && configured !== UNKNOWN) region = configured;
            const r = new providerProto.ConfigureResponse();
            r.setAcceptsecrets(false);
            r.setAcceptresources(false);
            r.setSupportspreview(true);
            return r;
        }),
        invoke: guard("Invoke", (call) => {
            const tok: string = call.request.getTok();
            const result = mockInvoke(tok, fromStruct(call.request.getArgs()), region, MOCK_ACCOUNT_ID);
            if (result === undefined) {
                throw Object.assign(new Error(`data source '${tok}' is not in the stand-in's table (tools/plan/mocks.ts mockInvoke): add it there`), {
                    code: grpc.status.UNIMPLEMENTED,
                });
            }
            const r = new providerProto.InvokeResponse();
            r.setReturn(toStruct(result));
            return r;
        }),
        check: guard("Check", (call) => {
            const req = call.request;
            const { type, name } = parseUrn(req.getUrn());
            const r = new providerProto.CheckResponse();
            r.setInputs(toStruct(checkInputs(id.pkg, type, name, fromStruct(req.getNews()), fromStruct(req.getOlds()))));
            return r;
        }),
        diff: guard("Diff", (call) => {
            const req = call.request;
            const olds = req.hasOldInputs() ? fromStruct(req.getOldInputs()) : fromStruct(req.getOlds());
            const keys = changedKeys(olds, fromStruct(req.getNews()), req.getIgnorechangesList());
            const r = new providerProto.DiffResponse();
            r.setChanges(keys.length ? providerProto.DiffResponse.DiffChanges.DIFF_SOME : providerProto.DiffResponse.DiffChanges.DIFF_NONE);
            r.setDiffsList(keys);
            r.setHasdetaileddiff(true);
            const detailed = r.getDetaileddiffMap();
            for (const k of keys) {
                const d = new providerProto.PropertyDiff();
                d.setKind(providerProto.PropertyDiff.Kind.UPDATE);
                d.setInputdiff(true);
                detailed.set(k, d);
            }
            return r;
        }),
        create: guard("Create", (call) => {
            const req = call.request;
            const urn: string = req.getUrn();
            const { type, name } = parseUrn(urn);
            const inputs = fromStruct(req.getProperties());
            const { id: rid, outs } = resourceOutputs(id.pkg, type, name, inputs, inputs.region ?? region, req.getPreview());
            if (!req.getPreview()) store.put({ urn, type, id: rid, inputs, outputs: outs });
            const r = new providerProto.CreateResponse();
            r.setId(rid);
            r.setProperties(toStruct(outs));
            return r;
        }),
        update: guard("Update", (call) => {
            const req = call.request;
            const urn: string = req.getUrn();
            const { type, name } = parseUrn(urn);
            const inputs = fromStruct(req.getNews());
            const { outs } = resourceOutputs(id.pkg, type, name, inputs, inputs.region ?? region, req.getPreview());
            if (!req.getPreview()) store.put({ urn, type, id: req.getId(), inputs, outputs: outs });
            const r = new providerProto.UpdateResponse();
            r.setProperties(toStruct(outs));
            return r;
        }),
        read: guard("Read", (call) => {
            const req = call.request;
            const urn: string = req.getUrn();
            const stored = store.get(urn);
            const r = new providerProto.ReadResponse();
            if (stored) {
                r.setId(stored.id);
                r.setProperties(toStruct(stored.outputs));
                r.setInputs(toStruct(stored.inputs));
            } else if (req.hasInputs() || req.hasProperties()) {
                // A `.get()` of something this stand-in never created: what the program says it is.
                const { type, name } = parseUrn(urn);
                const { outs } = resourceOutputs(id.pkg, type, name, fromStruct(req.getProperties()), region, false);
                r.setId(req.getId());
                r.setProperties(toStruct({ ...outs, id: req.getId() }));
            }
            return r;
        }),
        delete: guard("Delete", (call) => {
            store.delete(call.request.getUrn());
            return new emptyProto.Empty();
        }),
        cancel: guard("Cancel", () => new emptyProto.Empty()),
        attach: guard("Attach", () => new emptyProto.Empty()),
    };
}

/** Starts the plugin: serves on a free loopback port and prints it, as the engine expects. */
export async function main(argv: string[]): Promise<void> {
    const pkg = process.env.GROUNDWORK_STANDIN_PACKAGE;
    const version = process.env.GROUNDWORK_STANDIN_VERSION;
    const stateDir = process.env.GROUNDWORK_STANDIN_STATE;
    if (!pkg || !version || !stateDir) {
        throw new Error("GROUNDWORK_STANDIN_PACKAGE, GROUNDWORK_STANDIN_VERSION and GROUNDWORK_STANDIN_STATE must be set (tools/engine/plugins.ts writes the launcher that sets them)");
    }
    void argv; // the engine address is not needed: the stand-in makes no calls back
    const server = new grpc.Server({ "grpc.max_receive_message_length": 1 << 30, "grpc.max_send_message_length": 1 << 30 });
    server.addService(providerService.ResourceProviderService, standInService({ pkg, version, stateDir }));
    const port = await new Promise<number>((resolve, reject) =>
        server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    process.stdout.write(`${port}\n`);
    const stop = () => server.tryShutdown(() => process.exit(0));
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
}

if (require.main === module) {
    main(process.argv.slice(2)).catch((e) => {
        console.error(`stand-in provider: ${(e as Error).message}`);
        process.exit(1);
    });
}
