import * as kubernetes from "@pulumi/kubernetes";
import { meshPrincipal } from "../../../components/mesh";
import { authorizationPolicySpec, NamespaceIsolation, resolveServiceArgs, Service, ServiceArgs } from "../../../components/service";
import { evaluateKubernetesGraph } from "../../support/kubernetesPolicy";
import { Graph, runPulumi } from "../../support/pulumi";

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/groundwork/app@sha256:${"ab".repeat(32)}`;
const ROLE_ARN = "arn:aws:iam::123456789012:role/groundwork-test-api-role";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:partner-api-key-AbCdEf";
const provider = {} as kubernetes.Provider;
const GATEWAY = { namespace: "istio-ingress", podLabels: { istio: "ingressgateway" }, ports: [8080], principal: meshPrincipal("istio-ingress", "istio-ingressgateway") };
const PROMETHEUS = { namespace: "monitoring", podLabels: { "groundwork.dev/telemetry": "prometheus" }, ports: [9464], principal: meshPrincipal("monitoring", "prometheus") };
const meshApi: ServiceArgs = { provider, namespace: "app", image: IMAGE, port: 8080, mesh: true, ingressFrom: [GATEWAY, PROMETHEUS] };

function run(build: (p: kubernetes.Provider) => unknown): Promise<Graph> {
    return runPulumi(() => {
        build(new kubernetes.Provider("k8s", { kubeconfig: "{}" }));
    });
}

describe("Service in the mesh: arguments", () => {
    it.each<[string, Partial<ServiceArgs>, RegExp]>([
        ["a CIDR peer", { ingressFrom: [{ cidr: "10.0.0.0/16" }] }, /invalid 'ingressFrom\[0\]\.cidr'.*not a mesh identity.*Fix: name the peer's pods and its `principal`/],
        ["a peer without a principal", { ingressFrom: [{ namespace: "monitoring", ports: [9464] }] }, /invalid 'ingressFrom\[0\]\.principal'.*'' is not a mesh principal/],
        ["a malformed principal", { ingressFrom: [{ namespace: "monitoring", principal: "spiffe://prometheus" }] }, /invalid 'ingressFrom\[0\]\.principal'/],
        ["a target group (the load balancer is outside the mesh)", { targetGroup: { arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api/0123456789abcdef" } }, /invalid 'targetGroup'.*outside the mesh.*Fix: register the mesh's ingress gateway/],
    ])("refuses %s, naming the field and the fix", (_, bad, message) => {
        expect(() => resolveServiceArgs("api", { ...meshApi, ...bad })).toThrow(message);
    });

    it("refuses bad args before declaring any resource", async () => {
        let declared = 0;
        await expect(
            run((p) => {
                new Service("api", { ...meshApi, provider: p, ingressFrom: [{ cidr: "10.0.0.0/16" }] });
                declared++;
            }),
        ).rejects.toThrow(/ingressFrom\[0\]\.cidr/);
        expect(declared).toBe(0);
    });

    it("the AuthorizationPolicy admits each peer's principal on that peer's ports only (ALLOW); no peer admits nobody", () => {
        expect(authorizationPolicySpec("api", resolveServiceArgs("api", meshApi))).toEqual({
            selector: { matchLabels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api" } },
            action: "ALLOW",
            rules: [
                { from: [{ source: { principals: ["cluster.local/ns/istio-ingress/sa/istio-ingressgateway"] } }], to: [{ operation: { ports: ["8080"] } }] },
                { from: [{ source: { principals: ["cluster.local/ns/monitoring/sa/prometheus"] } }], to: [{ operation: { ports: ["9464"] } }] },
            ],
        });
        expect(authorizationPolicySpec("worker", resolveServiceArgs("worker", { ...meshApi, port: undefined, healthPort: 9091, ingressFrom: [] })).rules).toEqual([]);
    });
});

describe("Service in the mesh: declared objects", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await run((p) => {
            const ns = new NamespaceIsolation("app-ns", { provider: p, namespace: "app", mesh: true });
            new Service("api", { ...meshApi, provider: p, roleArn: ROLE_ARN, secretMounts: [{ secretArn: SECRET_ARN, fileName: "partner-api-key" }] }, { dependsOn: [ns] });
        });
    });

    it("the namespace is enrolled (ambient label) with a namespace-wide STRICT PeerAuthentication", () => {
        expect(g.one("kubernetes:core/v1:Namespace").inputs.metadata.labels).toMatchObject({ "istio.io/dataplane-mode": "ambient", "pod-security.kubernetes.io/enforce": "restricted" });
        expect(g.one("kubernetes:security.istio.io/v1:PeerAuthentication").inputs).toMatchObject({ metadata: { name: "default", namespace: "app" }, spec: { mtls: { mode: "STRICT" } } });
    });

    it("the NetworkPolicy admits the same peers on their ports plus HBONE, and the kubelet's rewritten probes on the health port", () => {
        const np = g.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "api-netpol").inputs.spec;
        expect(np.ingress).toEqual([
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "istio-ingress" } }, podSelector: { matchLabels: { istio: "ingressgateway" } } }], ports: [{ protocol: "TCP", port: 8080 }, { protocol: "TCP", port: 15008 }] },
            { from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } }, podSelector: { matchLabels: { "groundwork.dev/telemetry": "prometheus" } } }], ports: [{ protocol: "TCP", port: 9464 }, { protocol: "TCP", port: 15008 }] },
            { from: [{ ipBlock: { cidr: "169.254.7.127/32" } }], ports: [{ protocol: "TCP", port: 8080 }] },
        ]);
    });

    it("secretMounts: a SecretProviderClass (AWS provider, by ARN, no synced Secret) and a read-only CSI volume; no Kubernetes Secret", () => {
        const spc = g.one("kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass").inputs;
        expect(spc.metadata).toMatchObject({ name: "api", namespace: "app" });
        expect(spc.spec).toEqual({ provider: "aws", parameters: { objects: `- objectName: "${SECRET_ARN}"\n  objectAlias: "partner-api-key"`, usePodIdentity: "false" } });
        const pod = g.one("kubernetes:apps/v1:Deployment").inputs.spec.template.spec;
        expect(pod.volumes).toContainEqual({ name: "secrets", csi: { driver: "secrets-store.csi.k8s.io", readOnly: true, volumeAttributes: { secretProviderClass: "api" } } });
        expect(pod.containers[0].volumeMounts).toContainEqual({ name: "secrets", mountPath: "/mnt/secrets", readOnly: true });
        expect(g.byType("kubernetes:core/v1:Secret")).toEqual([]);
        expect(g.one("kubernetes:apps/v1:Deployment").dependencies).toContain(g.one("kubernetes:secrets-store.csi.x-k8s.io/v1:SecretProviderClass").urn);
    });

    it.each<[string, Partial<ServiceArgs>, RegExp]>([
        ["no role", { secretMounts: [{ secretArn: SECRET_ARN, fileName: "k" }] }, /invalid 'secretMounts'.*no roleArn/],
        ["not a secret ARN", { roleArn: ROLE_ARN, secretMounts: [{ secretArn: "arn:aws:ssm:us-east-1:123456789012:parameter/x", fileName: "k" }] }, /invalid 'secretMounts\[0\]\.secretArn'/],
        ["a path as file name", { roleArn: ROLE_ARN, secretMounts: [{ secretArn: SECRET_ARN, fileName: "../etc/passwd" }] }, /invalid 'secretMounts\[0\]\.fileName'/],
        ["a file mounted twice", { roleArn: ROLE_ARN, secretMounts: [{ secretArn: SECRET_ARN, fileName: "k" }, { secretArn: SECRET_ARN, fileName: "k" }] }, /invalid 'secretMounts\[1\]\.fileName'.*mounted twice/],
    ])("secretMounts refuses %s", (_, bad, message) => {
        expect(() => resolveServiceArgs("api", { ...meshApi, ...bad })).toThrow(message);
    });

    it("passes the Kubernetes pack under prod with no mandatory violation", async () => {
        const findings = await evaluateKubernetesGraph(g, { tier: "prod" });
        expect(findings.filter((f: any) => f.enforcementLevel === "mandatory")).toEqual([]);
    });
});
