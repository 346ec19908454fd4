import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RecordedResource } from "../../tools/plan/engine";
import { componentObjects, expandComponents, kubernetesType } from "../../tools/plan/expand";

// The plan tool renders yaml/v2 ConfigGroup and ConfigFile itself, naming and typing the objects as the Kubernetes
// provider does (provider/pkg/provider/yaml/v2: `<prefix>:<namespace>/<name>`, the prefix defaulting to the
// component's name), so the packs judge them offline as they do under `pulumi preview`.
const DEPLOY = "apiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web, namespace: shop }\nspec: {}\n";
const CM = "apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { a: b }\n";

function component(type: string, name: string, inputs: Record<string, unknown>): RecordedResource {
    const urn = `urn:pulumi:prod::demo::${type}::${name}`;
    return { urn, type, name, parent: null, inputs, dependencies: [], propertyDependencies: {}, provider: null, protect: false, retainOnDelete: false, custom: false, remote: true, outputs: {}, raw: { inputs, outputs: {}, ignoreChanges: [] } };
}

describe("the plan tool's rendering of YAML components", () => {
    it("types objects as the provider does", () => {
        expect(kubernetesType("apps/v1", "Deployment")).toBe("kubernetes:apps/v1:Deployment");
        expect(kubernetesType("v1", "Service")).toBe("kubernetes:core/v1:Service");
        expect(kubernetesType("monitoring.coreos.com/v1", "PrometheusRule")).toBe("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
    });

    it("reads yaml strings, objs, files and globs, and unrolls List objects", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "expand-"));
        try {
            fs.mkdirSync(path.join(dir, "manifests"));
            fs.writeFileSync(path.join(dir, "manifests", "a.yaml"), DEPLOY);
            fs.writeFileSync(path.join(dir, "manifests", "b.yaml"), `apiVersion: v1\nkind: List\nitems:\n  - ${JSON.stringify({ apiVersion: "v1", kind: "Secret", metadata: { name: "s" } })}\n`);
            fs.writeFileSync(path.join(dir, "manifests", "notes.txt"), "not yaml: [");
            const objs = componentObjects("kubernetes:yaml/v2:ConfigGroup", { files: ["manifests/*.yaml"], yaml: CM, objs: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } }] }, dir);
            expect(objs.map((o) => `${o.kind}/${o.metadata.name}`)).toEqual(["Deployment/web", "Secret/s", "ConfigMap/settings", "Namespace/shop"]);
            expect(componentObjects("kubernetes:yaml/v2:ConfigFile", { file: "manifests/a.yaml" }, dir).map((o) => o.kind)).toEqual(["Deployment"]);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("registers each object as a child of the component, named <prefix>:<namespace>/<name>", () => {
        const group = component("kubernetes:yaml/v2:ConfigGroup", "app", { yaml: [DEPLOY, CM] });
        const prefixed = component("kubernetes:yaml/v2:ConfigGroup", "other", { yaml: DEPLOY, resourcePrefix: "blue" });
        const children = expandComponents([group, prefixed], os.tmpdir());
        expect(children.map((c) => [c.type, c.name, c.parent, c.urn])).toEqual([
            ["kubernetes:apps/v1:Deployment", "app:shop/web", group.urn, "urn:pulumi:prod::demo::kubernetes:yaml/v2:ConfigGroup$kubernetes:apps/v1:Deployment::app:shop/web"],
            ["kubernetes:core/v1:ConfigMap", "app:settings", group.urn, "urn:pulumi:prod::demo::kubernetes:yaml/v2:ConfigGroup$kubernetes:core/v1:ConfigMap::app:settings"],
            ["kubernetes:apps/v1:Deployment", "blue:shop/web", prefixed.urn, "urn:pulumi:prod::demo::kubernetes:yaml/v2:ConfigGroup$kubernetes:apps/v1:Deployment::blue:shop/web"],
        ]);
        expect(children[0].inputs.metadata).toEqual({ name: "web", namespace: "shop" });
    });

    it("leaves Helm charts and local (v1) components alone", () => {
        const chart = component("kubernetes:helm.sh/v4:Chart", "ingress", { chart: "ingress-nginx" });
        const local = { ...component("kubernetes:yaml:ConfigGroup", "v1", { yaml: DEPLOY }), remote: false };
        expect(expandComponents([chart, local], os.tmpdir())).toEqual([]);
    });
});
