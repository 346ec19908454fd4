import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import type { RecordedResource } from "./engine";

/** The provider-side components whose objects the plan tool can render itself: YAML needs no cluster and no binary. */
export const EXPANDABLE_COMPONENTS = ["kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile"] as const;

/**
 * The Pulumi type token of a Kubernetes object: `apps/v1` + `Deployment` → `kubernetes:apps/v1:Deployment`, the core
 * group's `v1` → `kubernetes:core/v1:...`, a custom resource's group kept as it is.
 */
export function kubernetesType(apiVersion: string, kind: string): string {
    return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`;
}

const asList = (v: unknown): unknown[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Files a `files` entry names: a path, or a glob with `*` in its last segment (relative to the program's folder). */
function filesOf(pattern: string, cwd: string): string[] {
    const full = path.resolve(cwd, pattern);
    if (!path.basename(full).includes("*")) return [full];
    const dir = path.dirname(full);
    const re = new RegExp(`^${path.basename(full).replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`);
    return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => re.test(f)).sort().map((f) => path.join(dir, f)) : [];
}

/** The Kubernetes objects a yaml/v2 ConfigGroup or ConfigFile declares, from its `yaml`, `objs`, `files` or `file`. */
export function componentObjects(type: string, inputs: Record<string, any>, cwd: string): Record<string, any>[] {
    const texts: string[] = [];
    const files = type.endsWith(":ConfigFile") ? asList(inputs.file) : asList(inputs.files);
    for (const f of files) if (typeof f === "string") for (const file of filesOf(f, cwd)) texts.push(fs.readFileSync(file, "utf8"));
    for (const t of asList(inputs.yaml)) if (typeof t === "string") texts.push(t);
    const objects = texts.flatMap((t) => yaml.loadAll(t)).concat(asList(inputs.objs));
    // A List object carries its members in `items`, as `kubectl apply` reads it.
    const flat = objects.flatMap((o: any) => (o && typeof o === "object" && typeof o.kind === "string" && o.kind.endsWith("List") && Array.isArray(o.items) ? o.items : [o]));
    return flat.filter((o): o is Record<string, any> => !!o && typeof o === "object" && typeof o.apiVersion === "string" && typeof o.kind === "string");
}

/**
 * The objects of every yaml/v2 ConfigGroup and ConfigFile of the graph, as the Kubernetes provider registers them
 * under a real `pulumi preview`: one resource per object, child of the component, named `<prefix>:<namespace>/<name>`
 * (`<prefix>:<name>` without a namespace; the prefix is `resourcePrefix`, or the component's name), with the object
 * as its inputs. Under the mock engine the provider never runs, so without this the packs would not see them. The
 * one difference that remains: the provider also gives a namespaced object without a namespace its default
 * namespace (which needs the cluster's API discovery), so such an object keeps `<prefix>:<name>` here.
 *
 * The naming follows the provider's source (provider/pkg/provider/yaml/v2); it was not checked by a run: without a
 * reachable cluster (the real-engine tests here) the provider registers none of the objects in a preview.
 */
export function expandComponents(records: RecordedResource[], cwd: string): RecordedResource[] {
    const out: RecordedResource[] = [];
    for (const c of records) {
        if (!c.remote || !(EXPANDABLE_COMPONENTS as readonly string[]).includes(c.type)) continue;
        const inputs = c.raw.inputs ?? {};
        const prefix = typeof inputs.resourcePrefix === "string" ? inputs.resourcePrefix : c.name;
        const [, , qualifiedType] = c.urn.split("::");
        for (const obj of componentObjects(c.type, inputs, cwd)) {
            const meta = obj.metadata ?? {};
            if (typeof meta.name !== "string" || meta.name === "") continue;
            const local = typeof meta.namespace === "string" && meta.namespace !== "" ? `${meta.namespace}/${meta.name}` : meta.name;
            const name = prefix ? `${prefix}:${local}` : local;
            const type = kubernetesType(obj.apiVersion, obj.kind);
            const urn = `${c.urn.split("::").slice(0, 2).join("::")}::${qualifiedType}$${type}::${name}`;
            out.push({
                urn,
                type,
                name,
                parent: c.urn,
                inputs: obj,
                dependencies: [],
                propertyDependencies: {},
                provider: c.provider,
                protect: false,
                retainOnDelete: false,
                custom: true,
                remote: false,
                outputs: obj,
                raw: { inputs: obj, outputs: obj, ignoreChanges: [] },
            });
        }
    }
    return out;
}
