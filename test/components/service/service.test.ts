import { BlockList } from "node:net";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { NamespaceIsolation, Service, ServiceArgs } from "../../../components/service";
import { selectorMatches } from "../../../policies/kubernetes/rules/shared";
import { evaluateKubernetesGraph } from "../../support/kubernetesPolicy";
import { evaluateGraph, mandatory } from "../../support/policy";
import { Graph, runPulumi } from "../../support/pulumi";

const T = {
    deployment: "kubernetes:apps/v1:Deployment",
    sa: "kubernetes:core/v1:ServiceAccount",
    svc: "kubernetes:core/v1:Service",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    triggerAuth: "kubernetes:keda.sh/v1alpha1:TriggerAuthentication",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    namespace: "kubernetes:core/v1:Namespace",
};
const DIGEST_IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/groundwork/app@sha256:${"ab".repeat(32)}`;
const ROLE_ARN = "arn:aws:iam::123456789012:role/groundwork-test-api-role";
const QUEUE_URL = "https://sqs.us-east-1.amazonaws.com/123456789012/groundwork-test-jobs";
const CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0000-1111";
const VPC_CIDR = "10.20.0.0/16";

type Build = (provider: kubernetes.Provider) => unknown;

/** Runs a program that declares workloads through one Kubernetes provider. */
function run(build: Build, stack = "test"): Promise<Graph> {
    return runPulumi(
        () => {
            build(new kubernetes.Provider("k8s", { kubeconfig: "{}" }));
        },
        { stack },
    );
}

/** The api as infra deploys it: HPA, port 8080, IRSA role, ALB Ingress, database/cache/endpoint egress. */
const api = (provider: kubernetes.Provider, extra: Partial<ServiceArgs> = {}, opts?: pulumi.ComponentResourceOptions) =>
    new Service("api", {
        provider,
        namespace: "app",
        image: DIGEST_IMAGE,
        command: ["node", "dist/server.js"],
        port: 8080,
        roleArn: ROLE_ARN,
        env: { PORT: "8080", AWS_REGION: "us-east-1" },
        ingressFrom: [{ cidr: VPC_CIDR }],
        egressTo: [
            { cidr: VPC_CIDR, ports: [5432] },
            { cidr: VPC_CIDR, ports: [6379] },
            { cidr: VPC_CIDR, ports: [443] },
        ],
        ingress: { host: "api.example.com", certificateArn: CERT_ARN },
        ...extra,
    }, opts);

/** The worker: KEDA on the jobs queue, health on 9091, no Service. */
const worker = (provider: kubernetes.Provider, extra: Partial<ServiceArgs> = {}, opts?: pulumi.ComponentResourceOptions) =>
    new Service("worker", {
        provider,
        namespace: "app",
        image: DIGEST_IMAGE,
        command: ["node", "dist/worker.js"],
        healthPort: 9091,
        roleArn: ROLE_ARN,
        scaling: { kind: "queue", queueUrl: QUEUE_URL, min: 2, max: 10, messagesPerReplica: 5 },
        egressTo: [{ cidr: VPC_CIDR, ports: [5432, 443] }],
        ...extra,
    }, opts);

/** Both workloads in one isolated namespace, as infra wires them. */
const platform: Build = (provider) => {
    const iso = new NamespaceIsolation("app", { provider, namespace: "app" });
    api(provider, {}, { dependsOn: [iso] });
    worker(provider, {}, { dependsOn: [iso] });
    return iso;
};

describe("Service: the Deployment", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await run((p) => {
            new NamespaceIsolation("app", { provider: p, namespace: "app" });
            api(p);
        });
    });

    it("runs the pinned image as a non-root numeric user with the restricted security context", () => {
        const spec = g.one(T.deployment).inputs.spec.template.spec;
        expect(spec.containers).toHaveLength(1);
        const c = spec.containers[0];
        expect(c.image).toBe(DIGEST_IMAGE);
        expect(c.command).toEqual(["node", "dist/server.js"]);
        expect(c.securityContext).toEqual({
            runAsNonRoot: true,
            runAsUser: 10001,
            runAsGroup: 10001,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        });
        expect(spec.securityContext).toEqual({ runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, fsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } });
    });

    it("shares no host namespace, mounts no hostPath, and writes only to an emptyDir /tmp", () => {
        const spec = g.one(T.deployment).inputs.spec.template.spec;
        expect(spec).toMatchObject({ hostNetwork: false, hostPID: false, hostIPC: false, automountServiceAccountToken: false, serviceAccountName: "api" });
        expect(spec.volumes).toEqual([{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }]);
        expect(spec.containers[0].volumeMounts).toEqual([{ name: "tmp", mountPath: "/tmp" }]);
        expect(spec.containers[0].ports).toEqual([{ name: "http", containerPort: 8080, protocol: "TCP" }]);
    });

    it("has distinct readiness (/readyz) and liveness (/healthz) probes, requests and a memory limit", () => {
        const c = g.one(T.deployment).inputs.spec.template.spec.containers[0];
        expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: 8080, scheme: "HTTP" });
        expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: 8080, scheme: "HTTP" });
        expect(c.readinessProbe).not.toEqual(c.livenessProbe);
        expect(c.resources).toEqual({ requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } });
        expect(c.env).toEqual([
            { name: "AWS_REGION", value: "us-east-1" },
            { name: "PORT", value: "8080" },
        ]);
    });

    it("leaves replicas to the HPA, rolls with maxUnavailable 0 and spreads across zones", () => {
        const d = g.one(T.deployment).inputs;
        expect(d.spec.replicas).toBeUndefined();
        expect(d.spec.strategy).toEqual({ type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } });
        const zone = d.spec.template.spec.topologySpreadConstraints.find((t: any) => t.topologyKey === "topology.kubernetes.io/zone");
        expect(zone).toEqual({ maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: d.spec.selector.matchLabels } });
        const hpa = g.one(T.hpa).inputs.spec;
        expect(hpa).toMatchObject({ scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: d.metadata.name }, minReplicas: 2, maxReplicas: 4 });
        expect(hpa.metrics).toEqual([{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } } }]);
    });

    it("annotates its own ServiceAccount with the role ARN and does not mount the API token", () => {
        const sa = g.one(T.sa).inputs;
        expect(sa.metadata).toMatchObject({ name: "api", namespace: "app", annotations: { "eks.amazonaws.com/role-arn": ROLE_ARN } });
        expect(sa.automountServiceAccountToken).toBe(false);
        expect(g.one(T.deployment).dependencies).toContain(g.one(T.sa).urn);
    });

    it("has a PodDisruptionBudget that selects the pods and allows one disruption", () => {
        const d = g.one(T.deployment).inputs;
        const pdb = g.one(T.pdb).inputs;
        expect(pdb.metadata.namespace).toBe(d.metadata.namespace);
        expect(pdb.spec.maxUnavailable).toBe(1);
        expect(pdb.spec.minAvailable).toBeUndefined();
        expect(selectorMatches(pdb.spec.selector, d.spec.template.metadata.labels)).toBe(true);
    });

    it("denies all traffic in the namespace and allows the ALB in, DNS and the given ports out", () => {
        const d = g.one(T.deployment).inputs;
        const deny = g.one(T.netpol, "app-default-deny").inputs;
        expect(deny.metadata.namespace).toBe("app");
        expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        const allow = g.one(T.netpol, "api-netpol").inputs;
        expect(allow.metadata.namespace).toBe("app");
        expect(selectorMatches(allow.spec.podSelector, d.spec.template.metadata.labels)).toBe(true);
        expect(allow.spec.policyTypes).toEqual(["Ingress", "Egress"]);
        expect(allow.spec.ingress).toEqual([{ from: [{ ipBlock: { cidr: VPC_CIDR } }], ports: [{ protocol: "TCP", port: 8080 }] }]);
        expect(allow.spec.egress[0]).toEqual({
            to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
            ports: [
                { protocol: "UDP", port: 53 },
                { protocol: "TCP", port: 53 },
            ],
        });
        expect(allow.spec.egress.slice(1)).toEqual([5432, 6379, 443].map((port) => ({ to: [{ ipBlock: { cidr: VPC_CIDR } }], ports: [{ protocol: "TCP", port }] })));
    });

    it("exposes a ClusterIP Service and an HTTPS-only ALB Ingress with the certificate", () => {
        const svc = g.one(T.svc).inputs;
        expect(svc.spec).toEqual({ type: "ClusterIP", selector: g.one(T.deployment).inputs.spec.selector.matchLabels, ports: [{ name: "http", port: 8080, targetPort: 8080, protocol: "TCP" }] });
        expect(svc.spec.externalIPs).toBeUndefined();
        const ing = g.one(T.ingress).inputs;
        expect(ing.spec.ingressClassName).toBe("alb");
        expect(ing.spec.tls).toEqual([{ hosts: ["api.example.com"] }]);
        expect(ing.spec.rules[0]).toEqual({ host: "api.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { number: 8080 } } } }] } });
        expect(ing.metadata.annotations).toMatchObject({
            "alb.ingress.kubernetes.io/scheme": "internal",
            "alb.ingress.kubernetes.io/target-type": "ip",
            "alb.ingress.kubernetes.io/certificate-arn": CERT_ARN,
            "alb.ingress.kubernetes.io/listen-ports": '[{"HTTP":80},{"HTTPS":443}]',
            "alb.ingress.kubernetes.io/ssl-redirect": "443",
            "alb.ingress.kubernetes.io/healthcheck-path": "/readyz",
        });
    });
});

describe("Service: a queue worker", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await run((p) => {
            new NamespaceIsolation("app", { provider: p, namespace: "app" });
            worker(p);
        });
    });

    it("scales with a KEDA ScaledObject on the given queue, authenticated by the KEDA operator's identity", () => {
        const so = g.one(T.scaledObject).inputs;
        expect(so.spec).toMatchObject({ scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "worker" }, minReplicaCount: 2, maxReplicaCount: 10 });
        expect(so.spec.triggers).toEqual([
            { type: "aws-sqs-queue", authenticationRef: { name: "worker" }, metadata: { queueURL: QUEUE_URL, queueLength: "5", awsRegion: "us-east-1" } },
        ]);
        const auth = g.one(T.triggerAuth).inputs;
        expect(auth.metadata.name).toBe("worker");
        expect(auth.spec).toEqual({ podIdentity: { provider: "aws", identityOwner: "keda" } });
        expect(g.byType(T.hpa)).toEqual([]);
    });

    it("has no static replicas, no Service, and probes on the health port", () => {
        const d = g.one(T.deployment).inputs;
        expect(d.spec.replicas).toBeUndefined();
        expect(g.byType(T.svc)).toEqual([]);
        const c = d.spec.template.spec.containers[0];
        expect(c.ports).toEqual([{ name: "health", containerPort: 9091, protocol: "TCP" }]);
        expect(c.readinessProbe.httpGet.port).toBe(9091);
        expect(c.livenessProbe.httpGet.path).toBe("/healthz");
        expect(g.one(T.netpol, "worker-netpol").inputs.spec.ingress).toEqual([]);
    });
});

describe("Service: placement and the CloudFront origin", () => {
    it("a worker tolerates the Spot group's taint and selects its nodes", async () => {
        const g = await run((p) =>
            worker(p, {
                nodeSelector: { "groundwork.dev/workload": "queue-worker" },
                tolerations: [{ key: "groundwork.dev/queue-worker", value: "true", effect: "NoSchedule" }],
            }),
        );
        const spec = g.one(T.deployment).inputs.spec.template.spec;
        expect(spec.nodeSelector).toEqual({ "groundwork.dev/workload": "queue-worker" });
        expect(spec.tolerations).toEqual([{ key: "groundwork.dev/queue-worker", operator: "Equal", value: "true", effect: "NoSchedule" }]);
    });

    it("an internet-facing ALB uses the origin security group and forwards only requests with the origin-verify header", async () => {
        // GIVEN the CDN's origin security group and secret header WHEN the api's Ingress is declared
        const origin = (value: pulumi.Input<string>) => (p: kubernetes.Provider) =>
            api(p, {
                ingress: {
                    host: "origin.example.com",
                    certificateArn: CERT_ARN,
                    scheme: "internet-facing",
                    securityGroupIds: ["sg-0origin"],
                    requiredHeader: { name: "X-Origin-Verify", value },
                },
            });
        const g = await run(origin("s3cr3t"));
        // THEN the ALB gets the group, backend rules managed by the controller, and a header condition on the api rule
        const ann = g.one(T.ingress).inputs.metadata.annotations;
        expect(ann["alb.ingress.kubernetes.io/scheme"]).toBe("internet-facing");
        expect(ann["alb.ingress.kubernetes.io/security-groups"]).toBe("sg-0origin");
        expect(ann["alb.ingress.kubernetes.io/manage-backend-security-group-rules"]).toBe("true");
        expect(JSON.parse(ann["alb.ingress.kubernetes.io/conditions.api"])).toEqual([{ field: "http-header", httpHeaderConfig: { httpHeaderName: "X-Origin-Verify", values: ["s3cr3t"] } }]);
        // AND a secret header value (Cdn.originVerifyHeaderValue) stays a secret in the annotation
        const secret = await run(origin(pulumi.secret("s3cr3t")));
        expect(secret.one(T.ingress).inputs.metadata.annotations["alb.ingress.kubernetes.io/conditions.api"]).toBe("[secret]");
    });
});

describe("Service: a target group the program owns", () => {
    const TG_ARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/api-targets/0123456789abcdef";
    it("a TargetGroupBinding registers the Service's pods (by IP) in the given group, and no Ingress is declared", async () => {
        const g = await run((p) => api(p, { ingress: undefined, targetGroup: { arn: TG_ARN } }));
        const tgb = g.one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding");
        expect(tgb.inputs).toMatchObject({ apiVersion: "elbv2.k8s.aws/v1beta1", kind: "TargetGroupBinding", metadata: { name: "api", namespace: "app" } });
        expect(tgb.inputs.spec).toEqual({ serviceRef: { name: "api", port: 8080 }, targetGroupARN: TG_ARN, targetType: "ip" });
        // The binding names the Service, so it is declared after it
        expect(tgb.dependencies).toContain(g.one(T.svc).urn);
        expect(g.byType(T.ingress)).toEqual([]);
    });

    it.each<[string, Partial<ServiceArgs>, RegExp]>([
        ["with an Ingress too", { targetGroup: { arn: TG_ARN } }, /invalid 'targetGroup': a workload is exposed either by an Ingress .* or by a target group/],
        ["without a port", { ingress: undefined, port: undefined, healthPort: 9090, targetGroup: { arn: TG_ARN } }, /invalid 'targetGroup': .* a Service needs `port`/],
        ["with a malformed ARN", { ingress: undefined, targetGroup: { arn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/x/1" } }, /invalid 'targetGroup\.arn': .* is not a target group ARN/],
        ["without a VPC peer", { ingress: undefined, ingressFrom: [], targetGroup: { arn: TG_ARN } }, /invalid 'ingressFrom': the load balancer reaches the pods from VPC addresses/],
    ])("refuses a binding %s", async (_label, change, expected) => {
        let thrown: unknown;
        const g = await run((p) => {
            try {
                api(p, change);
            } catch (e) {
                thrown = e;
            }
        });
        expect(String(thrown)).toMatch(expected);
        expect(g.byType("kubernetes:apps/v1:Deployment")).toEqual([]);
    });
});

describe("Service: ordering", () => {
    it("every child depends on what the component depends on (the namespace is created first)", async () => {
        const g = await run((p) => {
            const iso = new NamespaceIsolation("app", { provider: p, namespace: "app" });
            api(p, {}, { dependsOn: [iso] });
        });
        const ns = g.one(T.namespace);
        for (const type of [T.sa, T.deployment, T.pdb, T.hpa, T.svc, T.ingress]) expect([type, g.one(type).dependencies]).toEqual([type, expect.arrayContaining([ns.urn])]);
        expect(g.one(T.netpol, "api-netpol").dependencies).toContain(ns.urn);
    });
});

describe("Service: namespace creation", () => {
    it("createNamespace makes a restricted namespace with a default deny, before the workload", async () => {
        const g = await run((p) => api(p, { createNamespace: true }));
        const ns = g.one(T.namespace);
        expect(ns.inputs.metadata).toMatchObject({ name: "app", labels: { "pod-security.kubernetes.io/enforce": "restricted" } });
        expect(g.one(T.netpol, "api-namespace-default-deny").inputs.spec).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
        // dependsOn on the NamespaceIsolation component expands to its children: the namespace exists first.
        expect(g.one(T.deployment).dependencies).toContain(ns.urn);
        expect(g.one(T.sa).dependencies).toContain(ns.urn);
    });
});

/**
 * The graphs here are outside the mesh (a CIDR peer, no enrollment, an ALB Ingress to plaintext pods): the zero-trust
 * rules' findings on them are those rules' subject (test/components/service/mesh.test.ts, test/policies/k8s-mesh.test.ts
 * and the test below), left out so the rest is judged.
 */
const ZERO_TRUST_RULES = ["k8s-namespace-enforce-mesh-mtls", "k8s-ingress-enforce-backend-tls"];
const outsideMeshRule = <V extends { policy: string }>(violations: V[]): V[] => violations.filter((v) => !ZERO_TRUST_RULES.includes(v.policy));

describe("Service: internet egress, a named opt-out", () => {
    const REASON = "delivers signed webhooks to the receivers customers register";
    let g: Graph;
    beforeAll(async () => {
        g = await run((p) => {
            new NamespaceIsolation("app", { provider: p, namespace: "app" });
            worker(p, { internetEgress: { ports: [443], reason: `  ${REASON} ` } });
        });
    });
    /** Whether a NetworkPolicy egress rule lets `address:port` (TCP) out, by its ipBlock peers and ports. */
    const allows = (rule: any, address: string, port: number): boolean => {
        const portOk = (rule.ports ?? []).some((p: any) => p.port === port && (p.protocol ?? "TCP") === "TCP");
        return (
            portOk &&
            (rule.to ?? []).some((peer: any) => {
                if (!peer.ipBlock) return false;
                const [net, len] = peer.ipBlock.cidr.split("/");
                const inside = new BlockList();
                inside.addSubnet(net, Number(len), "ipv4");
                const except = new BlockList();
                for (const e of peer.ipBlock.except ?? []) except.addSubnet(e.split("/")[0], Number(e.split("/")[1]), "ipv4");
                return inside.check(address, "ipv4") && !except.check(address, "ipv4");
            })
        );
    };

    it("opens public IPv4 addresses on the given port only, never the VPC, private ranges or the metadata service", () => {
        const egress = g.one(T.netpol, "worker-netpol").inputs.spec.egress;
        const out = (address: string, port: number) => egress.some((r: any) => allows(r, address, port));
        // Public receivers on 443: allowed.
        expect(["93.184.215.14", "1.1.1.1", "52.94.236.248"].map((a) => out(a, 443))).toEqual([true, true, true]);
        // Other ports of the same receivers: not allowed.
        expect([out("93.184.215.14", 80), out("93.184.215.14", 8443)]).toEqual([false, false]);
        // The VPC (except through egressTo's own ports), other private networks, CGNAT, loopback and instance metadata: never by this rule.
        const internet = egress.filter((r: any) => (r.to ?? []).some((peer: any) => peer.ipBlock?.cidr === "0.0.0.0/0"));
        expect(internet).toHaveLength(1);
        for (const a of ["10.20.3.4", "172.16.0.1", "192.168.1.1", "100.64.0.1", "127.0.0.1", "169.254.169.254", "224.0.0.1"]) {
            expect([a, allows(internet[0], a, 443)]).toEqual([a, false]);
        }
    });

    it("records the reason, trimmed, on the NetworkPolicy", () => {
        expect(g.one(T.netpol, "worker-netpol").inputs.metadata.annotations).toEqual({ "groundwork.dev/internet-egress-reason": REASON });
    });

    it("passes the Kubernetes pack in prod, in the mesh (the non-public ranges are excepted and the ports are named)", async () => {
        const pg = await run((p) => {
            const iso = new NamespaceIsolation("app", { provider: p, namespace: "app", mesh: true });
            worker(p, { mesh: true, internetEgress: { ports: [443], reason: REASON } }, { dependsOn: [iso] });
        }, "prod");
        expect(mandatory(await evaluateKubernetesGraph(pg, { tier: "prod" }))).toEqual([]);
    });

    it.each<[string, Partial<ServiceArgs>, RegExp]>([
        ["no port", { internetEgress: { ports: [], reason: REASON } }, /invalid 'internetEgress\.ports': no port is given/],
        ["a port out of range", { internetEgress: { ports: [0], reason: REASON } }, /invalid 'internetEgress\.ports': 0 is not a port/],
        ["no reason", { internetEgress: { ports: [443], reason: " " } }, /invalid 'internetEgress\.reason': internet egress needs a reason of at least 10 characters \(the packs' minimum\)/],
        ["a token reason", { internetEgress: { ports: [443], reason: "webhooks" } }, /invalid 'internetEgress\.reason'/],
    ])("refuses %s, naming the field, before any resource", async (_label, change, expected) => {
        let thrown: unknown;
        const eg = await run((p) => {
            try {
                worker(p, change);
            } catch (e) {
                thrown = e;
            }
        });
        expect((thrown as Error).message).toMatch(expected);
        expect(eg.resources.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
    });
});

describe("Service: the policy packs on the component's graph", () => {
    it.each(["prod", "dev"] as const)("defaults raise no mandatory violation of groundwork-kubernetes (%s)", async (tier) => {
        // GIVEN api and worker wired as infra wires them, WHEN the real pack runs on the graph
        const g = await run(platform, tier);
        const violations = outsideMeshRule(await evaluateKubernetesGraph(g, { tier }));
        // THEN nothing mandatory, and no advisory either (digest-pinned image, own SA, no automount)
        expect(mandatory(violations)).toEqual([]);
        expect(violations).toEqual([]);
    });

    it("raises no mandatory violation of groundwork-security either (both packs load side by side)", async () => {
        const g = await run(platform);
        expect(mandatory(await evaluateGraph(g))).toEqual([]);
    });

    it("the ALB Ingress of `ingress` reaches plaintext pods outside the mesh: the backend-TLS and mesh rules reject it in prod", async () => {
        const g = await run(platform, "prod");
        const v = mandatory(await evaluateKubernetesGraph(g, { tier: "prod" }));
        expect(v.filter((x) => x.policy === "k8s-ingress-enforce-backend-tls").map((x) => x.message)).toEqual([expect.stringContaining("Ingress 'api' (namespace 'app') forwards to its backends in plaintext")]);
        expect(v.some((x) => x.policy === "k8s-namespace-enforce-mesh-mtls")).toBe(true);
    });

    it("a tag-pinned image is only advised to use a digest", async () => {
        const g = await run((p) => {
            new NamespaceIsolation("app", { provider: p, namespace: "app" });
            api(p, { image: "ghcr.io/acme/app:1.4.2" });
        });
        const v = outsideMeshRule(await evaluateKubernetesGraph(g));
        expect(v.map((x) => [x.policy, x.enforcementLevel])).toEqual([["k8s-pod-enforce-image-digest", "advisory"]]);
    });

    it("an HPA minimum of 1 is a mandatory violation in prod and advisory in dev", async () => {
        const g = await run((p) => api(p, { scaling: { kind: "hpa", min: 1, max: 3 } }));
        const v = outsideMeshRule(mandatory(await evaluateKubernetesGraph(g, { tier: "prod" })));
        expect(v.map((x) => x.policy)).toEqual(["k8s-deployment-enforce-replicas"]);
        expect(v[0].message).toContain("HorizontalPodAutoscaler 'api' has a minimum of 1 replica(s) (fewer than 2)");
        const dev = await evaluateKubernetesGraph(g, { tier: "dev" });
        expect(dev.filter((x) => x.policy === "k8s-deployment-enforce-replicas").map((x) => x.enforcementLevel)).toEqual(["advisory"]);
    });
});

describe("Service: invalid args throw naming the field, before any resource", () => {
    const base: Omit<ServiceArgs, "provider"> = { namespace: "app", image: DIGEST_IMAGE, port: 8080 };
    it.each<[string, Partial<ServiceArgs>, RegExp]>([
        ["image with tag latest", { image: "app:latest" }, /Service 'api': invalid 'image': 'app:latest' uses the mutable tag 'latest'\. Fix: pin the image by digest/],
        ["image without a tag", { image: "app" }, /invalid 'image': 'app' has no tag, so it resolves to 'latest'/],
        ["image with a registry port but no tag", { image: "registry:5000/app" }, /invalid 'image': 'registry:5000\/app' has no tag/],
        ["malformed digest", { image: "app@sha256:abc" }, /invalid 'image': 'app@sha256:abc' has a malformed digest/],
        ["hpa min > max", { scaling: { kind: "hpa", min: 5, max: 3 } }, /invalid 'scaling\.min': min 5 is greater than max 3\. Fix: lower min or raise max/],
        ["queue min > max", { scaling: { kind: "queue", queueUrl: QUEUE_URL, min: 4, max: 2 } }, /invalid 'scaling\.min': min 4 is greater than max 2/],
        ["hpa min 0", { scaling: { kind: "hpa", min: 0, max: 3 } }, /invalid 'scaling\.min': 0 is not an integer of at least 1/],
        ["cpu target out of range", { scaling: { kind: "hpa", cpuUtilization: 100 } }, /invalid 'scaling\.cpuUtilization'/],
        ["queue URL that is not SQS", { scaling: { kind: "queue", queueUrl: "https://example.com/q" } }, /invalid 'scaling\.queueUrl'/],
        ["workload identity owner without a role", { scaling: { kind: "queue", queueUrl: QUEUE_URL, identityOwner: "workload" } }, /invalid 'scaling\.identityOwner'.*no roleArn/],
        ["identical probe paths", { readinessPath: "/healthz" }, /invalid 'livenessPath': readiness and liveness probes both use '\/healthz'/],
        ["root user", { runAsUser: 0 }, /invalid 'runAsUser': 0 is not a non-zero numeric id/],
        ["memory limit below the request", { memoryRequest: "512Mi", memoryLimit: "256Mi" }, /invalid 'memoryLimit': 256Mi is below the memory request 512Mi/],
        ["bad quantity", { cpuRequest: "lots" }, /invalid 'cpuRequest': 'lots' is not a positive Kubernetes quantity/],
        ["no port and no health port", { port: undefined }, /invalid 'healthPort': a workload without `port` has no port for its probes/],
        ["world ingress", { ingressFrom: [{ cidr: "0.0.0.0/0" }] }, /invalid 'ingressFrom\[0\]\.cidr': 0\.0\.0\.0\/0 admits the whole internet/],
        ["peer with both CIDR and pods", { ingressFrom: [{ cidr: VPC_CIDR, podLabels: { a: "b" } }] }, /invalid 'ingressFrom\[0\]': a peer needs either/],
        ["world egress", { egressTo: [{ cidr: "0.0.0.0/0", ports: [443] }] }, /invalid 'egressTo\[0\]\.cidr'/],
        ["egress without ports", { egressTo: [{ cidr: VPC_CIDR, ports: [] }] }, /invalid 'egressTo\[0\]\.ports': no port is given/],
        ["Ingress without a certificate", { ingressFrom: [{ cidr: VPC_CIDR }], ingress: { host: "api.example.com", certificateArn: "" } }, /invalid 'ingress\.certificateArn': no certificate is given/],
        ["Ingress without a VPC peer", { ingress: { host: "api.example.com", certificateArn: CERT_ARN } }, /invalid 'ingressFrom': the ALB reaches the pods from VPC addresses/],
        ["default service account", { serviceAccountName: "default" }, /invalid 'serviceAccountName'/],
        ["bad namespace", { namespace: "App_NS" }, /invalid 'namespace': 'App_NS' is not a Kubernetes name/],
        ["toleration Exists with a value", { tolerations: [{ key: "k", operator: "Exists", value: "v" }] }, /invalid 'tolerations\[0\]\.value': operator Exists takes no value/],
    ])("%s", async (_label, change, expected) => {
        let thrown: unknown;
        const g = await run((p) => {
            try {
                new Service("api", { provider: p, ...base, ...change } as ServiceArgs);
            } catch (e) {
                thrown = e;
            }
        });
        expect(thrown).toBeInstanceOf(Error);
        expect((thrown as Error).name).toBe("ArgumentError");
        expect((thrown as Error).message).toMatch(expected);
        expect(g.resources.filter((r) => r.type.startsWith("kubernetes:"))).toEqual([]);
    });

    it("NamespaceIsolation refuses system namespaces", async () => {
        await run((p) => {
            expect(() => new NamespaceIsolation("sys", { provider: p, namespace: "kube-system" })).toThrow(/NamespaceIsolation 'sys': invalid 'namespace': 'kube-system' is a system namespace/);
        });
    });
});
