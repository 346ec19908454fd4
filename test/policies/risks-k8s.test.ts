/**
 * Point 5 of the fixtures issue, Kubernetes half: programs written from the risks, in plain @pulumi/kubernetes (no
 * Groundwork component), by someone who had not read the rules. Each insecure program has one flaw and must be
 * rejected for it (the policy and the resource are matched); no compliant program may be rejected. Each program
 * is planned once, offline, under the prod tier, with the kubernetes pack only.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { plan, PlanResult, REPO_ROOT } from "../../tools/plan/plan";

const DIR = path.join(REPO_ROOT, "test", "fixtures", "programs", "risks", "k8s");
const PACK = path.join(REPO_ROOT, "policies", "kubernetes");
const isolate = (fn: () => void) => jest.isolateModules(fn);
/** Outputs of the stacks the fixtures read with StackReference (shared with the coverage tool). */
const stackReferences = JSON.parse(fs.readFileSync(path.join(DIR, "..", "stack-references.json"), "utf8"));

const plans = new Map<string, Promise<PlanResult>>();
function planOnce(fixture: string): Promise<PlanResult> {
    if (!plans.has(fixture)) plans.set(fixture, plan({ stack: "prod", program: path.join(DIR, fixture), policyPacks: [PACK], stackReferences, isolate }));
    return plans.get(fixture)!;
}

interface Expected {
    /** Rule that must reject the program. */
    policy: string;
    /** Pulumi type token and logical name of the resource it must name. */
    type: string;
    name: string;
    /** Enforcement under the prod tier. */
    level: "mandatory" | "advisory";
    /** What the message must say about the flaw. */
    flaw: RegExp;
}

const T = {
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    service: "kubernetes:core/v1:Service",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    hpa: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    netpol: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    deploymentPatch: "kubernetes:apps/v1:DeploymentPatch",
    daemonSetPatch: "kubernetes:apps/v1:DaemonSetPatch",
    hpaV1: "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
    servicePatch: "kubernetes:core/v1:ServicePatch",
    peerAuthentication: "kubernetes:security.istio.io/v1:PeerAuthentication",
};

const PRIVILEGED = /privileged/;
const INSECURE: [string, Expected][] = [
    ["replicationcontroller-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: "kubernetes:core/v1:ReplicationController", name: "legacy-worker", level: "mandatory", flaw: /container 'worker' is privileged/ }],
    ["ingress-patch-plain-http.ts", { policy: "k8s-ingress-enforce-tls", type: "kubernetes:networking.k8s.io/v1:IngressPatch", name: "storefront-tuning", level: "mandatory", flaw: /the patch makes the Ingress serve plain HTTP/ }],
    ["configgroup-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.deployment, name: "yaml-web:ops/yaml-web", level: "mandatory", flaw: /container 'web' is privileged/ }],
    ["configgroup-v1-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.daemonSet, name: "logging/log-shipper", level: "mandatory", flaw: /container 'shipper' is privileged/ }],
    ["job-unsafe-sysctl.ts", { policy: "k8s-pod-disallow-host-namespaces", type: T.job, name: "loadtest", level: "mandatory", flaw: /unsafe sysctl net\.core\.somaxconn \(not isolated to the pod\)/ }],
    ["statefulset-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.statefulSet, name: "ledger", level: "mandatory", flaw: /container 'tuner'.*privileged/ }],
    ["daemonset-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.daemonSet, name: "node-agent", level: "mandatory", flaw: PRIVILEGED }],
    ["cronjob-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.cronJob, name: "nightly-compact", level: "mandatory", flaw: PRIVILEGED }],
    ["job-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.job, name: "migrate", level: "mandatory", flaw: PRIVILEGED }],
    ["pod-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.pod, name: "debug-shell", level: "mandatory", flaw: PRIVILEGED }],
    ["replicaset-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.replicaSet, name: "legacy-rs", level: "mandatory", flaw: PRIVILEGED }],
    ["daemonset-host-network.ts", { policy: "k8s-pod-disallow-host-namespaces", type: T.daemonSet, name: "node-metrics", level: "mandatory", flaw: /hostNetwork/ }],
    ["daemonset-host-path.ts", { policy: "k8s-pod-disallow-host-path", type: T.daemonSet, name: "log-shipper", level: "mandatory", flaw: /hostPath|\/var\/log/ }],
    ["statefulset-host-port.ts", { policy: "k8s-pod-disallow-host-port", type: T.statefulSet, name: "broker", level: "mandatory", flaw: /hostPort|9092/ }],
    ["job-run-as-root.ts", { policy: "k8s-pod-enforce-run-as-non-root", type: T.job, name: "report", level: "mandatory", flaw: /runAsUser.*0|root/ }],
    ["job-cap-sys-admin.ts", { policy: "k8s-pod-enforce-drop-all-capabilities", type: T.job, name: "fuse-sync", level: "mandatory", flaw: /SYS_ADMIN/ }],
    ["daemonset-writable-root.ts", { policy: "k8s-pod-enforce-read-only-root-filesystem", type: T.daemonSet, name: "cache-warmer", level: "mandatory", flaw: /readOnlyRootFilesystem/ }],
    ["cronjob-no-seccomp.ts", { policy: "k8s-pod-configure-seccomp-profile", type: T.cronJob, name: "rotate-keys", level: "mandatory", flaw: /seccomp/ }],
    ["cronjob-image-latest.ts", { policy: "k8s-pod-enforce-image-pinned", type: T.cronJob, name: "backup", level: "mandatory", flaw: /latest/ }],
    ["job-automount-default.ts", { policy: "k8s-pod-disallow-service-account-token-automount", type: T.job, name: "export", level: "advisory", flaw: /automountServiceAccountToken|token/ }],
    ["deployment-init-escalation.ts", { policy: "k8s-pod-disallow-privilege-escalation", type: T.deployment, name: "orders", level: "mandatory", flaw: /initContainer 'migrate': allowPrivilegeEscalation is not set/ }],
    ["pod-ephemeral-escalation.ts", { policy: "k8s-pod-disallow-privilege-escalation", type: T.pod, name: "checkout-debug", level: "mandatory", flaw: /ephemeralContainer 'debugger': allowPrivilegeEscalation is not set/ }],
    ["deployment-no-probes.ts", { policy: "k8s-pod-configure-probes", type: T.deployment, name: "catalog", level: "mandatory", flaw: /probe/i }],
    ["deployment-literal-password.ts", { policy: "k8s-pod-disallow-literal-credential-env", type: T.deployment, name: "catalog", level: "mandatory", flaw: /DB_PASSWORD/ }],
    ["secret-string-data.ts", { policy: "k8s-secret-disallow-literal-data", type: "kubernetes:core/v1:Secret", name: "partner-api", level: "mandatory", flaw: /stringData .*token/ }],
    ["deployment-one-replica.ts", { policy: "k8s-deployment-enforce-replicas", type: T.deployment, name: "search", level: "mandatory", flaw: /1/ }],
    ["stackref-image-latest.ts", { policy: "k8s-pod-enforce-image-pinned", type: T.deployment, name: "api", level: "mandatory", flaw: /latest/ }],
    ["service-node-port.ts", { policy: "k8s-service-disallow-node-port", type: T.service, name: "admin-ui", level: "advisory", flaw: /NodePort/ }],
    ["service-external-ips.ts", { policy: "k8s-service-disallow-external-ips", type: T.service, name: "legacy-gateway", level: "advisory", flaw: /203\.0\.113\.10|externalIPs/ }],
    ["ingress-no-tls.ts", { policy: "k8s-ingress-enforce-tls", type: T.ingress, name: "shop-web", level: "mandatory", flaw: /tls|HTTPS/i }],
    ["hpa-helm-min-one.ts", { policy: "k8s-deployment-enforce-replicas", type: T.hpa, name: "podinfo", level: "mandatory", flaw: /minReplicas|minimum|1/ }],
    ["pdb-max-unavailable-zero.ts", { policy: "k8s-deployment-missing-pod-disruption-budget", type: T.pdb, name: "payments", level: "mandatory", flaw: /maxUnavailable 0|allows no disruption/ }],
    ["netpol-allow-all-egress.ts", { policy: "k8s-pod-missing-network-policy", type: T.netpol, name: "crawler-egress", level: "mandatory", flaw: /allows all Egress/ }],
    ["deployment-patch-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.deploymentPatch, name: "coredns-tweak", level: "mandatory", flaw: /container 'coredns'.*privileged/ }],
    ["daemonset-patch-host-network.ts", { policy: "k8s-pod-disallow-host-namespaces", type: T.daemonSetPatch, name: "kube-proxy-tweak", level: "mandatory", flaw: /hostNetwork/ }],
    ["deployment-replicas-unset.ts", { policy: "k8s-deployment-enforce-replicas", type: T.deployment, name: "notifier", level: "mandatory", flaw: /1 replica/ }],
    ["statefulset-seccomp-unconfined.ts", { policy: "k8s-pod-configure-seccomp-profile", type: T.statefulSet, name: "store", level: "mandatory", flaw: /Unconfined/ }],
    ["deployment-pdb-zero-percent.ts", { policy: "k8s-deployment-missing-pod-disruption-budget", type: T.deployment, name: "ledger-api", level: "mandatory", flaw: /allows no disruption/ }],
    ["pod-ephemeral-privileged.ts", { policy: "k8s-pod-disallow-privileged", type: T.pod, name: "payments-debug", level: "mandatory", flaw: /ephemeralContainer 'sysadmin' is privileged/ }],
    ["ingress-empty-tls.ts", { policy: "k8s-ingress-enforce-tls", type: T.ingress, name: "status-page", level: "mandatory", flaw: /no TLS/ }],
    ["hpa-v1-min-one.ts", { policy: "k8s-deployment-enforce-replicas", type: T.hpaV1, name: "reports-api", level: "mandatory", flaw: /minReplicas|minimum|1/ }],
    ["service-patch-node-port.ts", { policy: "k8s-service-disallow-node-port", type: T.servicePatch, name: "ingress-nodeport", level: "advisory", flaw: /NodePort/ }],
    ["netpol-internet-egress-metadata.ts", { policy: "k8s-networkpolicy-configure-internet-egress", type: T.netpol, name: "crawler-internet", level: "mandatory", flaw: /without excepting 169\.254\.169\.254\/32 \(the instance metadata service\)/ }],
    ["netpol-ipv6-world-egress.ts", { policy: "k8s-pod-missing-network-policy", type: T.netpol, name: "scraper-egress", level: "mandatory", flaw: /allows all Egress/ }],
    ["statefulset-container-root.ts", { policy: "k8s-pod-enforce-run-as-non-root", type: T.statefulSet, name: "indexer", level: "mandatory", flaw: /container 'indexer' runs as root \(runAsUser 0\)/ }],
    ["daemonset-cap-add-all.ts", { policy: "k8s-pod-enforce-drop-all-capabilities", type: T.daemonSet, name: "net-debug", level: "mandatory", flaw: /capabilities.add includes ALL/ }],
    ["job-windows-host-process.ts", { policy: "k8s-pod-disallow-privileged", type: T.job, name: "win-patch", level: "mandatory", flaw: /Windows HostProcess/ }],
    ["pod-selinux-spc.ts", { policy: "k8s-pod-disallow-privileged", type: T.pod, name: "selinux-probe", level: "mandatory", flaw: /SELinux type spc_t/ }],
    ["ingress-nginx-no-redirect.ts", { policy: "k8s-ingress-enforce-tls", type: T.ingress, name: "api-public", level: "mandatory", flaw: /ssl-redirect is "false"/ }],
    ["daemonset-proc-unmasked.ts", { policy: "k8s-pod-disallow-privileged", type: T.daemonSet, name: "tracer", level: "mandatory", flaw: /procMount: Unmasked/ }],
    ["keda-scale-to-zero.ts", { policy: "k8s-deployment-enforce-replicas", type: T.scaledObject, name: "thumbnailer", level: "mandatory", flaw: /0/ }],
    // Zero trust inside the cluster: every workload namespace in the mesh with STRICT mTLS, TLS to Ingress backends.
    ["mesh-namespace-not-enrolled.ts", { policy: "k8s-namespace-enforce-mesh-mtls", type: "kubernetes:core/v1:Namespace", name: "payments", level: "mandatory", flaw: /namespace 'payments' runs Deployment 'payments-api' but is not enrolled in the mesh/ }],
    ["mesh-permissive-namespace.ts", { policy: "k8s-namespace-enforce-mesh-mtls", type: T.peerAuthentication, name: "payments-migration", level: "mandatory", flaw: /sets mtls\.mode PERMISSIVE for the whole namespace/ }],
    ["mesh-port-exception-unexempted.ts", { policy: "k8s-namespace-enforce-mesh-mtls", type: T.peerAuthentication, name: "payments-webhook-port", level: "mandatory", flaw: /lets port 8080 accept plaintext \(portLevelMtls PERMISSIVE\) without an exemption/ }],
    ["ingress-plain-backend.ts", { policy: "k8s-ingress-enforce-backend-tls", type: T.ingress, name: "catalog-internal", level: "mandatory", flaw: /forwards to its backends in plaintext/ }],
];

const COMPLIANT = ["ok-deployment.ts", "ok-statefulset.ts", "ok-cronjob.ts", "ok-helm-hpa.ts", "ok-stackref.ts", "ok-ingress-tls.ts", "ok-deployment-patch.ts", "ok-daemonset.ts", "ok-mesh-payments.ts"];

describe("independently written insecure Kubernetes programs are rejected for their flaw", () => {
    it.each(INSECURE)("%s", async (fixture, want) => {
        const result = await planOnce(fixture);
        const target = result.graph.resources.find((r) => r.type === want.type && r.name === want.name);
        expect(target).toBeDefined();
        const hits = result.violations.filter((v) => v.policy === want.policy && v.urn === target!.urn);
        expect(hits.map((v) => v.enforcementLevel)).toContain(want.level);
        expect(hits.map((v) => v.message)).toEqual(expect.arrayContaining([expect.stringMatching(want.flaw)]));
    });
});

describe("independently written compliant Kubernetes programs are accepted", () => {
    it.each(COMPLIANT)("%s: no mandatory violation under prod", async (fixture) => {
        const result = await planOnce(fixture);
        expect(result.violations.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy} ${v.urn}: ${v.message}`)).toEqual([]);
        expect(result.exitCode).toBe(0);
    });
});

// Objects a provider-side component creates are registered by the provider during a real `pulumi preview`, where the
// pack judges them as any Deployment. The offline plan tool renders yaml.v2.ConfigGroup/ConfigFile itself (see
// tools/plan/expand.ts); a helm.v4.Chart needs the helm binary, so the plan tool records the component alone and the
// flaw inside is invisible here. When the plan tool learns to expand it, this test fails: move the fixture into
// INSECURE with the expected { policy, resource }.
describe("insecure programs the offline plan cannot judge yet", () => {
    it.each([
        ["helm-chart-privileged.ts", "kubernetes:helm.sh/v4:Chart", "node-exporter"],
    ])("%s: the component is recorded as opaque, without the objects it renders", async (fixture, type, name) => {
        const result = await planOnce(fixture);
        const component = result.graph.resources.find((r) => r.type === type && r.name === name);
        expect(component).toBeDefined();
        expect(result.graph.resources.filter((r) => r.parent === component!.urn)).toEqual([]);
        expect(result.graph.resources.some((r) => r.type.startsWith("kubernetes:apps/"))).toBe(false);
        expect(result.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    });
});
