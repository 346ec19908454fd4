import type { GraphResource } from "@groundwork/policy-kit";
import { ingressEnforceBackendTls } from "../../policies/kubernetes/rules/ingress/enforceBackendTls";
import { namespaceEnforceMeshMtls, readExcludedNamespaces } from "../../policies/kubernetes/rules/namespace/enforceMeshMtls";
import { goodDeployment } from "../support/k8sFixtures";
import { checkStack, graphResource } from "../support/policy";

const NS = "kubernetes:core/v1:Namespace";
const PA = "kubernetes:security.istio.io/v1:PeerAuthentication";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";

const namespace = (name: string, labels: Record<string, string> = { "istio.io/dataplane-mode": "ambient" }) => graphResource(NS, `${name}-ns`, { metadata: { name, labels } });
const strict = (ns: string, name = "default", spec: Record<string, unknown> = { mtls: { mode: "STRICT" } }) => graphResource(PA, `${ns}-${name}`, { metadata: { name, namespace: ns }, spec });
const deployment = (ns: string, name = "api") => {
    const d = goodDeployment();
    d.metadata = { ...d.metadata, name, namespace: ns };
    return graphResource(DEPLOYMENT, `${ns}-${name}`, d);
};
/** An enrolled namespace with a STRICT policy and one workload: compliant. */
const enrolled = (ns = "app"): GraphResource[] => [namespace(ns), strict(ns), deployment(ns)];

describe("k8s-namespace-enforce-mesh-mtls", () => {
    const check = (resources: GraphResource[], config?: Record<string, unknown>) => checkStack(namespaceEnforceMeshMtls, resources, "prod", config).map((f) => f.message);

    it.each<[string, GraphResource[], string[]]>([
        ["passes: enrolled with a namespace-wide STRICT PeerAuthentication", enrolled(), []],
        ["not enrolled (no ambient label)", [namespace("app", {}), strict("app"), deployment("app")], ["namespace 'app' runs Deployment 'api' but is not enrolled in the mesh (no istio.io/dataplane-mode: ambient label on a Namespace or NamespacePatch of the program)"]],
        ["not enrolled (sidecar-era label is not ambient)", [namespace("app", { "istio-injection": "enabled" }), strict("app"), deployment("app")], [expect.stringContaining("is not enrolled in the mesh") as unknown as string]],
        ["no PeerAuthentication", [namespace("app"), deployment("app")], ["namespace 'app' runs Deployment 'api' but has no namespace-wide STRICT PeerAuthentication: ztunnel accepts plaintext connections to its pods"]],
        ["a STRICT policy only for some pods (selector)", [namespace("app"), strict("app", "api", { selector: { matchLabels: { app: "api" } }, mtls: { mode: "STRICT" } }), deployment("app")], [expect.stringContaining("has no namespace-wide STRICT PeerAuthentication") as unknown as string]],
        [
            "a second namespace-wide PERMISSIVE policy",
            [...enrolled(), strict("app", "relaxed", { mtls: { mode: "PERMISSIVE" } })],
            ["PeerAuthentication 'relaxed' (namespace 'app') sets mtls.mode PERMISSIVE for the whole namespace: plaintext connections reach every pod"],
        ],
        [
            "namespace-wide DISABLE instead of STRICT",
            [namespace("app"), strict("app", "default", { mtls: { mode: "DISABLE" } }), deployment("app")],
            [expect.stringContaining("has no namespace-wide STRICT") as unknown as string, "PeerAuthentication 'default' (namespace 'app') sets mtls.mode DISABLE for the whole namespace: plaintext connections reach every pod"],
        ],
        [
            "a workload-level port exception (to be exempted with a reason by the pack)",
            [...enrolled(), strict("app", "api-webhook", { selector: { matchLabels: { app: "api" } }, mtls: { mode: "STRICT" }, portLevelMtls: { "8443": { mode: "PERMISSIVE" } } })],
            ["PeerAuthentication 'api-webhook' (namespace 'app') lets port 8443 accept plaintext (portLevelMtls PERMISSIVE) without an exemption saying why"],
        ],
        [
            "a workload-level PERMISSIVE policy",
            [...enrolled(), strict("app", "api-open", { selector: { matchLabels: { app: "api" } }, mtls: { mode: "PERMISSIVE" } })],
            ["PeerAuthentication 'api-open' (namespace 'app') sets mtls.mode PERMISSIVE for the pods it selects: plaintext connections reach them"],
        ],
        ["workloads in the default namespace (unset) are judged too", [deployment(undefined as unknown as string)], [expect.stringContaining("namespace 'default' runs") as unknown as string, expect.stringContaining("namespace 'default' runs") as unknown as string]],
        ["passes: kube-system is not judged", [deployment("kube-system")], []],
        ["passes: istio-system (the mesh's own) is not judged", [deployment("istio-system")], []],
        [
            "passes: the namespace of the program's ztunnel release is the mesh's own",
            [graphResource("kubernetes:helm.sh/v3:Release", "ztunnel", { chart: "ztunnel", namespace: "mesh-data", repositoryOpts: { repo: "https://istio-release.storage.googleapis.com/charts" } }), deployment("mesh-data")],
            [],
        ],
        ["passes: a namespace labelled with a NamespacePatch (declared elsewhere)", [graphResource("kubernetes:core/v1:NamespacePatch", "app-label", { metadata: { name: "app", labels: { "istio.io/dataplane-mode": "ambient" } } }), strict("app"), deployment("app")], []],
        ["passes: a patch of a workload does not make a namespace a workload namespace", [graphResource("kubernetes:apps/v1:DeploymentPatch", "p", { metadata: { name: "coredns", namespace: "ops" } })], []],
    ])("%s", (_, resources, expected) => {
        expect(check(resources)).toEqual(expected);
    });

    it("leaves alone the namespaces the policy config excludes with a reason, and reports entries without one", () => {
        const resources = [deployment("legacy"), ...enrolled()];
        const config = { excludedNamespaces: [{ namespace: "legacy", reason: "vendor appliance, no mesh support until 2027" }] };
        expect(check(resources, config)).toEqual([]);
        expect(readExcludedNamespaces({ excludedNamespaces: [{ namespace: "legacy" }, { reason: "x" }] }).problems).toEqual([
            "policy config of k8s-namespace-enforce-mesh-mtls: excludedNamespaces[0] (legacy) has no reason (at least 10 characters), so it is ignored. Fix: say why its workloads stay outside the mesh.",
            'policy config of k8s-namespace-enforce-mesh-mtls: excludedNamespaces[1] has no "namespace", so it is ignored. Fix: name the namespace.',
        ]);
        expect(check(resources, { excludedNamespaces: [{ namespace: "legacy" }] })).toHaveLength(2);
    });

    it("anchors a namespace's findings on its Namespace object, a weakening policy's on the policy", () => {
        const findings = checkStack(namespaceEnforceMeshMtls, [namespace("app", {}), deployment("app"), strict("app", "relaxed", { mtls: { mode: "PERMISSIVE" } })]);
        expect(findings.map((f) => f.urn)).toEqual([namespace("app").urn, namespace("app").urn, strict("app", "relaxed").urn]);
    });
});

describe("k8s-ingress-enforce-backend-tls", () => {
    const ingress = (ns: string, annotations: Record<string, string> = {}) =>
        graphResource(INGRESS, `${ns}-web`, { metadata: { name: "web", namespace: ns, annotations }, spec: { ingressClassName: "alb", tls: [{ hosts: ["a.example.com"] }] } });
    const check = (resources: GraphResource[]) => checkStack(ingressEnforceBackendTls, resources).map((f) => f.message);
    const plaintext = "Ingress 'web' (namespace 'shop') forwards to its backends in plaintext: no HTTPS backend-protocol annotation, and namespace 'shop' is not in the mesh with a STRICT PeerAuthentication";

    it.each<[string, GraphResource[], string[]]>([
        ["plain HTTP to the backends", [ingress("shop")], [plaintext]],
        ["backend-protocol HTTP", [ingress("shop", { "alb.ingress.kubernetes.io/backend-protocol": "HTTP" })], [plaintext]],
        ["enrolled but not STRICT", [namespace("shop"), ingress("shop")], [plaintext]],
        ["STRICT but not enrolled", [namespace("shop", {}), strict("shop"), ingress("shop")], [plaintext]],
        ["passes: backend-protocol HTTPS", [ingress("shop", { "alb.ingress.kubernetes.io/backend-protocol": "HTTPS" })], []],
        ["passes: ingress-nginx GRPCS", [ingress("shop", { "nginx.ingress.kubernetes.io/backend-protocol": "GRPCS" })], []],
        ["passes: behind the mesh (enrolled, STRICT)", [namespace("shop"), strict("shop"), ingress("shop")], []],
    ])("%s", (_, resources, expected) => {
        expect(check(resources)).toEqual(expected);
    });
});
