import * as kubernetes from "@pulumi/kubernetes";
import { ISTIO_VERSION, Mesh, MeshArgs, MESH_CHARTS, meshPrincipal } from "../../../components/mesh";
import { evaluateKubernetesGraph } from "../../support/kubernetesPolicy";
import { evaluateGraph, mandatory } from "../../support/policy";
import { Graph, runPulumi } from "../../support/pulumi";

const TG = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123456789abcdef";
const RELEASE = "kubernetes:helm.sh/v3:Release";

function run(args: Omit<MeshArgs, "kubernetesProvider">): Promise<Graph> {
    return runPulumi(() => {
        new Mesh("mesh", { ...args, kubernetesProvider: new kubernetes.Provider("k8s", { kubeconfig: "{}" }) });
    });
}

describe("Mesh: arguments", () => {
    it.each<[string, Partial<MeshArgs>, RegExp]>([
        ["replicas", { replicas: 0 }, /Mesh 'mesh'.*invalid 'replicas'.*out of range.*Fix: /],
        ["ingressGateway.targetGroupArn", { ingressGateway: { targetGroupArn: "", host: "api-origin.example.com" } }, /invalid 'ingressGateway\.targetGroupArn'.*Fix: pass LoadBalancer\.targetGroupArn/],
        ["ingressGateway.host", { ingressGateway: { targetGroupArn: TG, host: "Not A Host" } }, /invalid 'ingressGateway\.host'/],
    ])("refuses a bad %s before declaring any resource", async (_, bad, message) => {
        let declared = 0;
        await expect(
            runPulumi(() => {
                new Mesh("mesh", { kubernetesProvider: new kubernetes.Provider("k8s", { kubeconfig: "{}" }), ...bad });
                declared++;
            }),
        ).rejects.toThrow(message);
        expect(declared).toBe(0);
    });

    it("refuses a missing provider", async () => {
        await expect(runPulumi(() => new Mesh("mesh", {} as MeshArgs))).rejects.toThrow(/invalid 'kubernetesProvider'/);
    });
});

describe("Mesh: Istio ambient without an ingress gateway", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await run({});
    });

    it("installs base, istiod (ambient), cni (ambient) and ztunnel, pinned to one Istio version, in order", () => {
        const releases = g.byType(RELEASE);
        expect(releases.map((r) => [r.inputs.chart, r.inputs.version, r.inputs.repositoryOpts.repo]).sort()).toEqual(
            [
                ["base", ISTIO_VERSION, MESH_CHARTS.base.repo],
                ["cni", ISTIO_VERSION, MESH_CHARTS.base.repo],
                ["istiod", ISTIO_VERSION, MESH_CHARTS.base.repo],
                ["ztunnel", ISTIO_VERSION, MESH_CHARTS.base.repo],
            ].sort(),
        );
        const by = (chart: string) => releases.find((r) => r.inputs.chart === chart)!;
        expect(by("istiod").inputs.values.profile).toBe("ambient");
        expect(by("cni").inputs.values.profile).toBe("ambient");
        expect(by("istiod").dependencies).toContain(by("base").urn);
        expect(by("cni").dependencies).toContain(by("istiod").urn);
        expect(by("ztunnel").dependencies).toContain(by("cni").urn);
        for (const r of releases) expect(r.inputs).toMatchObject({ namespace: "istio-system", atomic: true, createNamespace: false });
    });

    it("the mesh's namespace allows the privileged DaemonSets (istio-cni, ztunnel) and is not enrolled itself; no gateway, no cert-manager", () => {
        const ns = g.one("kubernetes:core/v1:Namespace").inputs.metadata;
        expect(ns.name).toBe("istio-system");
        expect(ns.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/warn": "baseline" });
        expect(ns.labels["istio.io/dataplane-mode"]).toBeUndefined();
        expect(g.byType("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding")).toEqual([]);
        expect(g.byType(RELEASE).map((r) => r.inputs.chart)).not.toContain("cert-manager");
    });
});

describe("Mesh: with the ingress gateway the load balancer targets", () => {
    let g: Graph;
    let mesh: Mesh;
    beforeAll(async () => {
        g = await runPulumi(() => {
            mesh = new Mesh("mesh", { kubernetesProvider: new kubernetes.Provider("k8s", { kubeconfig: "{}" }), ingressGateway: { targetGroupArn: TG, host: "api-origin.example.com" } });
        });
    });

    it("the gateway serves HTTPS on 443 with a cert-manager certificate from an in-cluster CA, renewed before expiry; the program writes no Secret", () => {
        const gateway = g.one("kubernetes:networking.istio.io/v1:Gateway").inputs;
        expect(gateway.metadata.namespace).toBe("istio-ingress");
        expect(gateway.spec.servers).toEqual([{ port: { number: 443, name: "https", protocol: "HTTPS" }, hosts: ["*"], tls: { mode: "SIMPLE", credentialName: "ingress-gateway-tls", minProtocolVersion: "TLSV1_2" } }]);
        const certs = g.byType("kubernetes:cert-manager.io/v1:Certificate").map((c) => c.inputs.spec);
        const serving = certs.find((c) => c.secretName === "ingress-gateway-tls")!;
        expect(serving).toMatchObject({ dnsNames: ["api-origin.example.com"], duration: "2160h", renewBefore: "720h", issuerRef: { name: "ingress-ca", kind: "Issuer" }, privateKey: { rotationPolicy: "Always" } });
        expect(certs.find((c) => c.isCA)).toMatchObject({ secretName: "ingress-ca", issuerRef: { name: "selfsigned" } });
        expect(g.byType("kubernetes:core/v1:Secret")).toEqual([]);
        const certManager = g.byType(RELEASE).find((r) => r.inputs.chart === "cert-manager")!;
        expect(certManager.inputs).toMatchObject({ version: MESH_CHARTS.certManager.version, namespace: "cert-manager", values: { crds: { enabled: true } } });
    });

    it("the load balancer controller binds the gateway's Service (HTTPS port) to the target group", () => {
        const tgb = g.one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding").inputs;
        const gw = g.byType(RELEASE).find((r) => r.inputs.chart === "gateway")!.inputs;
        expect(tgb.metadata.namespace).toBe(gw.namespace);
        expect(tgb.spec).toEqual({ serviceRef: { name: gw.name, port: 443 }, targetGroupARN: TG, targetType: "ip" });
        expect(gw.values.service.type).toBe("ClusterIP");
        expect(gw.values.service.ports).toContainEqual({ name: "https", port: 443, targetPort: 443, protocol: "TCP" });
    });

    it("exposes the gateway as a peer whose principal is derived from the release's service account", () => {
        const gw = g.byType(RELEASE).find((r) => r.inputs.chart === "gateway")!.inputs;
        expect(mesh.ingressGatewayPeer).toEqual({ namespace: gw.namespace, podLabels: gw.values.labels, principal: meshPrincipal(gw.namespace, gw.values.serviceAccount.name) });
        expect(mesh.ingressGatewayRef).toBe("istio-ingress/ingress");
    });

    it("passes both packs under prod with no mandatory violation", async () => {
        expect(mandatory(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
        expect((await evaluateKubernetesGraph(g, { tier: "prod" })).filter((f: any) => f.enforcementLevel === "mandatory")).toEqual([]);
    });
});
