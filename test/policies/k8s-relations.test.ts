import { deploymentEnforceReplicas } from "../../policies/kubernetes/rules/deployment/enforceReplicas";
import { deploymentMissingPodDisruptionBudget, pdbBlocks } from "../../policies/kubernetes/rules/deployment/missingPodDisruptionBudget";
import { podMissingNetworkPolicy, policyDirections } from "../../policies/kubernetes/rules/pod/missingNetworkPolicy";
import { selectorMatches } from "../../policies/kubernetes/rules/shared";
import type { GraphResource, StackFinding } from "@groundwork/policy-kit";
import { goodDeployment, goodPodSpec, LABELS, wrapPodSpec } from "../support/k8sFixtures";
import { checkStack, graphResource } from "../support/policy";

const T = {
    deployment: "kubernetes:apps/v1:Deployment",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    hpaV1: "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
    so: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
};

const deployment = (extra: Parameters<typeof goodDeployment>[0] = {}) => graphResource(T.deployment, `${extra.name ?? "api"}-deployment`, goodDeployment(extra));
const pdb = (spec: Record<string, any>, namespace = "app") => graphResource(T.pdb, "api-pdb", { metadata: { name: "api", namespace }, spec });
const netpol = (name: string, spec: Record<string, any>, namespace = "app") => graphResource(T.netpol, name, { metadata: { name, namespace }, spec });
const hpa = (spec: Record<string, any>, type: string = T.hpa, namespace = "app") =>
    graphResource(type, "api-hpa", { metadata: { name: "api", namespace }, spec: { scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "api" }, maxReplicas: 4, ...spec } });
const scaledObject = (spec: Record<string, any>) => graphResource(T.so, "api-so", { metadata: { name: "api", namespace: "app" }, spec: { scaleTargetRef: { name: "api" }, ...spec } });
const D_URN = deployment().urn;
const at = (message: string, urn = D_URN): StackFinding => ({ urn, message });

describe("selectorMatches", () => {
    it.each<[string, Record<string, any> | undefined, boolean]>([
        ["matchLabels subset", { matchLabels: { "app.kubernetes.io/name": "api" } }, true],
        ["matchLabels mismatch", { matchLabels: { "app.kubernetes.io/name": "web" } }, false],
        ["empty selector selects all", {}, true],
        ["no selector", undefined, false],
        ["In", { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "In", values: ["api", "web"] }] }, true],
        ["NotIn", { matchExpressions: [{ key: "app.kubernetes.io/name", operator: "NotIn", values: ["api"] }] }, false],
        ["Exists", { matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "Exists" }] }, true],
        ["DoesNotExist", { matchExpressions: [{ key: "app.kubernetes.io/instance", operator: "DoesNotExist" }] }, false],
    ])("%s", (_label, selector, expected) => {
        expect(selectorMatches(selector, LABELS)).toBe(expected);
    });
});

describe("k8s-deployment-missing-pod-disruption-budget", () => {
    const api = "Deployment 'api' (namespace 'app')";
    it.each<[string, GraphResource[], StackFinding[]]>([
        ["PDB maxUnavailable 1 selecting the pods", [deployment(), pdb({ maxUnavailable: 1, selector: { matchLabels: LABELS } })], []],
        ["PDB minAvailable 1 with 2 replicas", [deployment({ replicas: 2 }), pdb({ minAvailable: 1, selector: { matchLabels: LABELS } })], []],
        ["PDB minAvailable 1 under an HPA of min 2", [deployment(), hpa({ minReplicas: 2 }), pdb({ minAvailable: 1, selector: { matchLabels: LABELS } })], []],
        ["PDB minAvailable 50%", [deployment(), pdb({ minAvailable: "50%", selector: { matchLabels: LABELS } })], []],
        ["no PDB", [deployment()], [at(`${api} has no PodDisruptionBudget selecting its pods`)]],
        ["PDB selecting other pods", [deployment(), pdb({ maxUnavailable: 1, selector: { matchLabels: { "app.kubernetes.io/name": "web" } } })], [at(`${api} has no PodDisruptionBudget selecting its pods`)]],
        ["PDB in another namespace", [deployment(), pdb({ maxUnavailable: 1, selector: { matchLabels: LABELS } }, "other")], [at(`${api} has no PodDisruptionBudget selecting its pods`)]],
        ["PDB maxUnavailable 0", [deployment(), pdb({ maxUnavailable: 0, selector: { matchLabels: LABELS } })], [at(`${api}: PodDisruptionBudget 'api' allows no disruption (maxUnavailable 0)`)]],
        ["PDB minAvailable = replicas", [deployment({ replicas: 2 }), pdb({ minAvailable: 2, selector: { matchLabels: LABELS } })], [at(`${api}: PodDisruptionBudget 'api' allows no disruption (minAvailable 2 with 2 replica(s))`)]],
        ["PDB minAvailable 100%", [deployment(), pdb({ minAvailable: "100%", selector: { matchLabels: LABELS } })], [at(`${api}: PodDisruptionBudget 'api' allows no disruption (minAvailable 100%)`)]],
        ["PDB of pods declared elsewhere, maxUnavailable 1", [pdb({ maxUnavailable: 1, selector: { matchLabels: { app: "chart" } } })], []],
        ["PDB of pods declared elsewhere, minAvailable 2 (count unknown here)", [pdb({ minAvailable: 2, selector: { matchLabels: { app: "chart" } } })], []],
        [
            "PDB of pods declared elsewhere, maxUnavailable 0: judged on its own",
            [pdb({ maxUnavailable: 0, selector: { matchLabels: { app: "chart" } } })],
            [at("PodDisruptionBudget 'api' (namespace 'app') allows no disruption (maxUnavailable 0) of pods declared outside this program: node drains and upgrades would wait forever", pdb({}).urn)],
        ],
        [
            "PDB of other pods next to a covered Deployment, minAvailable 100%",
            [deployment(), pdb({ maxUnavailable: 1, selector: { matchLabels: LABELS } }), graphResource(T.pdb, "chart-pdb", { metadata: { name: "chart", namespace: "app" }, spec: { minAvailable: "100%", selector: { matchLabels: { app: "chart" } } } })],
            [at("PodDisruptionBudget 'chart' (namespace 'app') allows no disruption (minAvailable 100%) of pods declared outside this program: node drains and upgrades would wait forever", graphResource(T.pdb, "chart-pdb", {}).urn)],
        ],
        ["PDB minAvailable 1 with the default single replica", [deployment(), pdb({ minAvailable: 1, selector: { matchLabels: LABELS } })], [at(`${api}: PodDisruptionBudget 'api' allows no disruption (minAvailable 1 with 1 replica(s))`)]],
        ["a deployment without namespace and a PDB in default", [graphResource(T.deployment, "x", { ...goodDeployment(), metadata: { name: "x" } }), pdb({ maxUnavailable: 1, selector: { matchLabels: LABELS } }, "default")], []],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(deploymentMissingPodDisruptionBudget, resources)).toEqual(expected);
    });

    it.each<[string, Record<string, any>, number, string | undefined]>([
        ["maxUnavailable 1", { maxUnavailable: 1 }, 2, undefined],
        ["maxUnavailable '0%'", { maxUnavailable: "0%" }, 2, "maxUnavailable 0"],
        ["maxUnavailable '25%'", { maxUnavailable: "25%" }, 2, undefined],
        ["minAvailable 3 of 4", { minAvailable: 3 }, 4, undefined],
        ["minAvailable 4 of 4", { minAvailable: 4 }, 4, "minAvailable 4 with 4 replica(s)"],
    ])("pdbBlocks: %s", (_label, spec, replicas, expected) => {
        expect(pdbBlocks(spec, replicas)).toBe(expected);
    });
});

describe("k8s-pod-missing-network-policy", () => {
    const deny = netpol("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const api = "Deployment 'api' (namespace 'app')";
    it.each<[string, GraphResource[], StackFinding[]]>([
        ["namespace default deny", [deployment(), deny], []],
        ["an allow policy selecting the pods, both directions", [deployment(), netpol("api", { podSelector: { matchLabels: LABELS }, policyTypes: ["Ingress", "Egress"], ingress: [], egress: [] })], []],
        ["ingress-only plus egress-only policies", [deployment(), netpol("in", { podSelector: {}, policyTypes: ["Ingress"] }), netpol("out", { podSelector: { matchLabels: LABELS }, policyTypes: ["Egress"] })], []],
        ["no policy", [deployment()], [at(`${api}: no NetworkPolicy selects its pods`)]],
        ["a policy in another namespace", [deployment(), netpol("default-deny", { podSelector: {}, policyTypes: ["Ingress", "Egress"] }, "other")], [at(`${api}: no NetworkPolicy selects its pods`)]],
        ["a policy selecting other pods", [deployment(), netpol("web", { podSelector: { matchLabels: { "app.kubernetes.io/name": "web" } }, policyTypes: ["Ingress", "Egress"] })], [at(`${api}: no NetworkPolicy selects its pods`)]],
        ["ingress only (policyTypes defaulted)", [deployment(), netpol("in", { podSelector: {}, ingress: [] })], [at(`${api}: no NetworkPolicy restricts its Egress traffic`)]],
        ["egress only", [deployment(), netpol("out", { podSelector: {}, policyTypes: ["Egress"] })], [at(`${api}: no NetworkPolicy restricts its Ingress traffic`)]],
        [
            "a default deny undone by an allow-all egress rule",
            [deployment(), deny, netpol("open", { podSelector: { matchLabels: LABELS }, policyTypes: ["Egress"], egress: [{}] })],
            [at(`${api}: NetworkPolicy 'open' (namespace 'app') allows all Egress traffic (a rule with no peers and no ports, or 0.0.0.0/0 or ::/0 on every port)`)],
        ],
        [
            "ingress from 0.0.0.0/0 on every port",
            [deployment(), deny, netpol("world", { podSelector: {}, policyTypes: ["Ingress"], ingress: [{ from: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }] })],
            [at(`${api}: NetworkPolicy 'world' (namespace 'app') allows all Ingress traffic (a rule with no peers and no ports, or 0.0.0.0/0 or ::/0 on every port)`)],
        ],
        [
            "egress to ::/0 (IPv6 internet) on every port",
            [deployment(), deny, netpol("world6", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "::/0" } }] }] })],
            [at(`${api}: NetworkPolicy 'world6' (namespace 'app') allows all Egress traffic (a rule with no peers and no ports, or 0.0.0.0/0 or ::/0 on every port)`)],
        ],
        ["::/0 on port 443 only is a restriction", [deployment(), deny, netpol("https6", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "::/0" } }], ports: [{ port: 443 }] }] })], []],
        ["0.0.0.0/0 on port 443 only is a restriction", [deployment(), deny, netpol("https", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [{ port: 443 }] }] })], []],
        ["0.0.0.0/0 except the VPC is a restriction", [deployment(), deny, netpol("out", { podSelector: {}, policyTypes: ["Egress"], egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }] }] })], []],
        [
            "a policy for pods declared elsewhere that allows all ingress: judged on its own",
            [netpol("chart", { podSelector: { matchLabels: { app: "chart" } }, ingress: [{}] })],
            [at("NetworkPolicy 'chart' (namespace 'app') allows all Ingress traffic to the pods it selects (declared outside this program)", netpol("chart", {}).urn)],
        ],
        ["a policy for pods declared elsewhere that restricts them", [netpol("chart", { podSelector: { matchLabels: { app: "chart" } }, policyTypes: ["Ingress", "Egress"], ingress: [{ from: [{ podSelector: {} }] }] })], []],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(podMissingNetworkPolicy, resources)).toEqual(expected);
    });

    it("checks every pod-bearing type (a CronJob's and a Pod's labels)", () => {
        const cron = graphResource(T.cronJob, "report", { ...wrapPodSpec(T.cronJob, goodPodSpec()), metadata: { name: "report", namespace: "app" } });
        const bare = graphResource(T.pod, "debug", wrapPodSpec(T.pod, goodPodSpec()));
        const allowApi = netpol("api", { podSelector: { matchLabels: LABELS }, policyTypes: ["Ingress", "Egress"] });
        expect(checkStack(podMissingNetworkPolicy, [cron, bare, allowApi])).toEqual([]);
        expect(checkStack(podMissingNetworkPolicy, [cron, bare])).toEqual([
            { urn: cron.urn, message: "CronJob 'report' (namespace 'app'): no NetworkPolicy selects its pods" },
            { urn: bare.urn, message: "Pod 'api' (namespace 'app'): no NetworkPolicy selects its pods" },
        ]);
    });

    it.each<[Record<string, any>, string[]]>([
        [{ policyTypes: ["Egress"] }, ["Egress"]],
        [{}, ["Ingress"]],
        [{ egress: [] }, ["Ingress", "Egress"]],
    ])("policyDirections(%j)", (spec, expected) => {
        expect(policyDirections(spec)).toEqual(expected);
    });
});

describe("k8s-deployment-enforce-replicas", () => {
    const api = "Deployment 'api' (namespace 'app')";
    it.each<[string, GraphResource[], StackFinding[]]>([
        ["HPA minReplicas 2, no static replicas", [deployment(), hpa({ minReplicas: 2 })], []],
        ["autoscaling/v1 HPA minReplicas 3", [deployment(), hpa({ minReplicas: 3 }, T.hpaV1)], []],
        ["KEDA ScaledObject minReplicaCount 2", [deployment(), scaledObject({ minReplicaCount: 2 })], []],
        ["static replicas 3, no autoscaler", [deployment({ replicas: 3 })], []],
        ["no replicas, no autoscaler", [deployment()], [at(`${api} runs 1 replica(s) (fewer than 2) and has no autoscaler`)]],
        ["replicas 1", [deployment({ replicas: 1 })], [at(`${api} runs 1 replica(s) (fewer than 2) and has no autoscaler`)]],
        ["HPA minReplicas unset (1)", [deployment(), hpa({})], [at(`${api}: HorizontalPodAutoscaler 'api' has a minimum of 1 replica(s) (fewer than 2)`)]],
        ["static replicas under an HPA", [deployment({ replicas: 3 }), hpa({ minReplicas: 2 })], [at(`${api} sets static replicas 3 under HorizontalPodAutoscaler 'api'`)]],
        ["ScaledObject scaling to zero", [deployment(), scaledObject({})], [at(`${api}: ScaledObject 'api' has a minimum of 0 replica(s) (fewer than 2)`)]],
        [
            "HPA of a Deployment declared elsewhere, minReplicas 1: judged on its own",
            [deployment({ replicas: 3 }), graphResource(T.hpa, "web-hpa", { metadata: { name: "web", namespace: "app" }, spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, minReplicas: 1 } })],
            [at("HorizontalPodAutoscaler 'web' (namespace 'app') scales Deployment 'web' (declared outside this program) down to 1 replica(s) (fewer than 2)", graphResource(T.hpa, "web-hpa", {}).urn)],
        ],
        ["HPA of a Deployment declared elsewhere, minReplicas 2", [graphResource(T.hpa, "web-hpa", { metadata: { name: "web", namespace: "app" }, spec: { scaleTargetRef: { kind: "Deployment", name: "web" }, minReplicas: 2 } })], []],
        [
            "ScaledObject of a Helm-managed Deployment, no minimum (0)",
            [graphResource(T.so, "chart-so", { metadata: { name: "chart", namespace: "app" }, spec: { scaleTargetRef: { name: "chart-web" } } })],
            [at("ScaledObject 'chart' (namespace 'app') scales Deployment 'chart-web' (declared outside this program) down to 0 replica(s) (fewer than 2)", graphResource(T.so, "chart-so", {}).urn)],
        ],
        ["HPA in another namespace", [deployment(), hpa({ minReplicas: 2 }, T.hpa, "other")], [at(`${api} runs 1 replica(s) (fewer than 2) and has no autoscaler`)]],
        ["HPA targeting a StatefulSet of the same name", [deployment(), graphResource(T.hpa, "sts-hpa", { metadata: { name: "api", namespace: "app" }, spec: { scaleTargetRef: { kind: "StatefulSet", name: "api" }, minReplicas: 2 } })], [at(`${api} runs 1 replica(s) (fewer than 2) and has no autoscaler`)]],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(deploymentEnforceReplicas, resources)).toEqual(expected);
    });

    it("an HPA whose target name is unknown (preview) matches through its dependency on the Deployment", () => {
        const d = deployment();
        const h = graphResource(T.hpa, "api-hpa", { metadata: { name: "api", namespace: "app" }, spec: { scaleTargetRef: { kind: "Deployment" }, minReplicas: 2 } }, { dependencyUrns: [d.urn] });
        expect(checkStack(deploymentEnforceReplicas, [d, h])).toEqual([]);
    });
});
