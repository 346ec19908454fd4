import { podConfigureProbes } from "../../policies/kubernetes/rules/pod/configureProbes";
import { podConfigureResources } from "../../policies/kubernetes/rules/pod/configureResources";
import { podConfigureSeccompProfile } from "../../policies/kubernetes/rules/pod/configureSeccompProfile";
import { podDisallowDefaultServiceAccount } from "../../policies/kubernetes/rules/pod/disallowDefaultServiceAccount";
import { podDisallowHostNamespaces } from "../../policies/kubernetes/rules/pod/disallowHostNamespaces";
import { podDisallowHostPath } from "../../policies/kubernetes/rules/pod/disallowHostPath";
import { podDisallowHostPort } from "../../policies/kubernetes/rules/pod/disallowHostPort";
import { podDisallowPrivileged } from "../../policies/kubernetes/rules/pod/disallowPrivileged";
import { podDisallowPrivilegeEscalation } from "../../policies/kubernetes/rules/pod/disallowPrivilegeEscalation";
import { podDisallowServiceAccountTokenAutomount } from "../../policies/kubernetes/rules/pod/disallowServiceAccountTokenAutomount";
import { podEnforceDropAllCapabilities } from "../../policies/kubernetes/rules/pod/enforceDropAllCapabilities";
import { podEnforceImageDigest } from "../../policies/kubernetes/rules/pod/enforceImageDigest";
import { podEnforceImagePinned } from "../../policies/kubernetes/rules/pod/enforceImagePinned";
import { podEnforceReadOnlyRootFilesystem } from "../../policies/kubernetes/rules/pod/enforceReadOnlyRootFilesystem";
import { podEnforceRunAsNonRoot } from "../../policies/kubernetes/rules/pod/enforceRunAsNonRoot";
import { allRules } from "../../policies/kubernetes/rules";
import { POD_PATCH_TYPES, POD_TYPES } from "../../policies/kubernetes/rules/shared";
import type { ResourceRule } from "@groundwork/policy-kit";
import { goodContainer, goodDeployment, goodPodSpec, wrapPodSpec } from "../support/k8sFixtures";
import { checkResource } from "../support/policy";
import { Props, ruleTable } from "../support/ruleTable";

// Rows mutate the known-good Deployment; `pod(p)` is its pod spec, `app(p)` its container.
const pod = (p: Props) => p.spec.template.spec;
const app = (p: Props) => pod(p).containers[0];
const withInit = (p: Props, change: (c: Props) => void = () => undefined) => {
    const c = goodContainer("migrate");
    change(c);
    pod(p).initContainers = [c];
};
const withEphemeral = (p: Props, change: (c: Props) => void = () => undefined) => {
    const c = goodContainer("debug");
    change(c);
    pod(p).ephemeralContainers = [c];
};
const good = goodDeployment();

describe("k8s-pod-enforce-run-as-non-root", () => {
    ruleTable(podEnforceRunAsNonRoot, good, [
        ["container runAsNonRoot unset, pod true", (p) => delete app(p).securityContext.runAsNonRoot, []],
        ["pod runAsNonRoot unset, container true", (p) => delete pod(p).securityContext.runAsNonRoot, []],
        ["unset on both", (p) => (delete app(p).securityContext.runAsNonRoot, delete pod(p).securityContext.runAsNonRoot), ["container 'app': runAsNonRoot is not true on the container or the pod"]],
        ["container false overrides pod true", (p) => (app(p).securityContext.runAsNonRoot = false), ["container 'app': runAsNonRoot is not true on the container or the pod"]],
        ["container runAsUser 0", (p) => (app(p).securityContext.runAsUser = 0), ["container 'app' runs as root (runAsUser 0)"]],
        ["pod runAsUser 0, container unset", (p) => (delete app(p).securityContext.runAsUser, (pod(p).securityContext.runAsUser = 0)), ["container 'app' runs as root (runAsUser 0)"]],
        ["no security contexts at all", (p) => (delete app(p).securityContext, delete pod(p).securityContext), ["container 'app': runAsNonRoot is not true on the container or the pod"]],
        ["init container as root", (p) => withInit(p, (c) => ((c.securityContext.runAsUser = 0), (c.securityContext.runAsNonRoot = false))), ["initContainer 'migrate' runs as root (runAsUser 0)", "initContainer 'migrate': runAsNonRoot is not true on the container or the pod"]],
        ["ephemeral container inherits the pod's", (p) => withEphemeral(p, (c) => delete c.securityContext), []],
    ]);
});

describe("k8s-pod-disallow-privilege-escalation", () => {
    ruleTable(podDisallowPrivilegeEscalation, good, [
        ["unset", (p) => delete app(p).securityContext.allowPrivilegeEscalation, ["container 'app': allowPrivilegeEscalation is not set"]],
        ["true", (p) => (app(p).securityContext.allowPrivilegeEscalation = true), ["container 'app': allowPrivilegeEscalation is true"]],
        ["no securityContext", (p) => delete app(p).securityContext, ["container 'app': allowPrivilegeEscalation is not set"]],
        ["init container unset", (p) => withInit(p, (c) => delete c.securityContext.allowPrivilegeEscalation), ["initContainer 'migrate': allowPrivilegeEscalation is not set"]],
        ["ephemeral container true", (p) => withEphemeral(p, (c) => (c.securityContext.allowPrivilegeEscalation = true)), ["ephemeralContainer 'debug': allowPrivilegeEscalation is true"]],
        ["good init container", (p) => withInit(p), []],
    ]);
});

describe("k8s-pod-enforce-drop-all-capabilities", () => {
    ruleTable(podEnforceDropAllCapabilities, good, [
        ["no capabilities", (p) => delete app(p).securityContext.capabilities, ["container 'app': capabilities.drop does not include ALL"]],
        ["drops only NET_RAW", (p) => (app(p).securityContext.capabilities.drop = ["NET_RAW"]), ["container 'app': capabilities.drop does not include ALL"]],
        ["adds NET_BIND_SERVICE", (p) => (app(p).securityContext.capabilities.add = ["NET_BIND_SERVICE"]), []],
        ["adds SYS_ADMIN", (p) => (app(p).securityContext.capabilities.add = ["SYS_ADMIN", "NET_BIND_SERVICE"]), ["container 'app': capabilities.add includes SYS_ADMIN (only NET_BIND_SERVICE is allowed)"]],
        ["init container without drop", (p) => withInit(p, (c) => delete c.securityContext.capabilities), ["initContainer 'migrate': capabilities.drop does not include ALL"]],
    ]);
});

describe("k8s-pod-configure-seccomp-profile", () => {
    ruleTable(podConfigureSeccompProfile, good, [
        ["container unset, pod RuntimeDefault", (p) => delete app(p).securityContext.seccompProfile, []],
        ["pod unset, container RuntimeDefault", (p) => delete pod(p).securityContext.seccompProfile, []],
        ["unset on both", (p) => (delete app(p).securityContext.seccompProfile, delete pod(p).securityContext.seccompProfile), ["container 'app': no seccompProfile on the container or the pod"]],
        ["container Unconfined overrides the pod", (p) => (app(p).securityContext.seccompProfile = { type: "Unconfined" }), ["container 'app': seccompProfile is Unconfined"]],
        ["Localhost profile", (p) => (app(p).securityContext.seccompProfile = { type: "Localhost", localhostProfile: "profiles/app.json" }), []],
        ["ephemeral container Unconfined", (p) => withEphemeral(p, (c) => (c.securityContext.seccompProfile = { type: "Unconfined" })), ["ephemeralContainer 'debug': seccompProfile is Unconfined"]],
    ]);
});

describe("k8s-pod-disallow-privileged", () => {
    ruleTable(podDisallowPrivileged, good, [
        ["privileged", (p) => (app(p).securityContext.privileged = true), ["container 'app' is privileged"]],
        ["privileged unset", (p) => delete app(p).securityContext.privileged, []],
        ["privileged init container", (p) => withInit(p, (c) => (c.securityContext.privileged = true)), ["initContainer 'migrate' is privileged"]],
        ["Windows HostProcess pod", (p) => (pod(p).securityContext.windowsOptions = { hostProcess: true }), ["container 'app' is a Windows HostProcess container"]],
        ["Windows HostProcess container", (p) => (app(p).securityContext.windowsOptions = { hostProcess: true }), ["container 'app' is a Windows HostProcess container"]],
        ["HostProcess false", (p) => (app(p).securityContext.windowsOptions = { hostProcess: false }), []],
        ["SELinux spc_t on the pod", (p) => (pod(p).securityContext.seLinuxOptions = { type: "spc_t" }), ["container 'app' runs with the SELinux type spc_t (not a container type)"]],
        ["SELinux container_t", (p) => (app(p).securityContext.seLinuxOptions = { type: "container_t" }), []],
        ["SELinux level only", (p) => (app(p).securityContext.seLinuxOptions = { level: "s0:c123,c456" }), []],
        ["procMount Unmasked", (p) => (app(p).securityContext.procMount = "Unmasked"), ["container 'app' mounts /proc unmasked (procMount: Unmasked)"]],
        ["procMount Default", (p) => (app(p).securityContext.procMount = "Default"), []],
    ]);
});

describe("k8s-pod-disallow-host-namespaces", () => {
    ruleTable(podDisallowHostNamespaces, good, [
        ["hostNetwork", (p) => (pod(p).hostNetwork = true), ["the pod sets hostNetwork: true"]],
        ["hostPID", (p) => (pod(p).hostPID = true), ["the pod sets hostPID: true"]],
        ["hostIPC", (p) => (pod(p).hostIPC = true), ["the pod sets hostIPC: true"]],
        ["explicitly false", (p) => Object.assign(pod(p), { hostNetwork: false, hostPID: false, hostIPC: false }), []],
        [
            "unsafe sysctls",
            (p) => (pod(p).securityContext.sysctls = [{ name: "net.core.somaxconn", value: "4096" }, { name: "kernel.msgmax", value: "65536" }]),
            ["the pod sets unsafe sysctls net.core.somaxconn, kernel.msgmax (not isolated to the pod)"],
        ],
        ["passes: safe sysctls only", (p) => (pod(p).securityContext.sysctls = [{ name: "net.ipv4.ip_unprivileged_port_start", value: "80" }, { name: "net.ipv4.tcp_keepalive_time", value: "600" }]), []],
    ]);
});

describe("k8s-pod-disallow-host-path", () => {
    ruleTable(podDisallowHostPath, good, [
        ["a hostPath volume", (p) => pod(p).volumes.push({ name: "docker", hostPath: { path: "/var/run/docker.sock" } }), ["volume 'docker' is a hostPath (/var/run/docker.sock)"]],
        ["no volumes", (p) => delete pod(p).volumes, []],
    ]);
});

describe("k8s-pod-disallow-host-port", () => {
    ruleTable(podDisallowHostPort, good, [
        ["hostPort", (p) => (app(p).ports[0].hostPort = 8080), ["container 'app': port 8080 binds hostPort 8080"]],
        ["hostPort 0 (unset)", (p) => (app(p).ports[0].hostPort = 0), []],
        ["init container hostPort", (p) => withInit(p, (c) => (c.ports = [{ containerPort: 80, hostPort: 80 }])), ["initContainer 'migrate': port 80 binds hostPort 80"]],
    ]);
});

describe("k8s-pod-enforce-read-only-root-filesystem", () => {
    ruleTable(podEnforceReadOnlyRootFilesystem, good, [
        ["unset", (p) => delete app(p).securityContext.readOnlyRootFilesystem, ["container 'app': readOnlyRootFilesystem is not true"]],
        ["false", (p) => (app(p).securityContext.readOnlyRootFilesystem = false), ["container 'app': readOnlyRootFilesystem is not true"]],
        ["ephemeral container writable", (p) => withEphemeral(p, (c) => (c.securityContext.readOnlyRootFilesystem = false)), ["ephemeralContainer 'debug': readOnlyRootFilesystem is not true"]],
    ]);
});

describe("k8s-pod-configure-resources", () => {
    ruleTable(podConfigureResources, good, [
        ["no resources", (p) => delete app(p).resources, ["container 'app' has no CPU request", "container 'app' has no memory request", "container 'app' has no memory limit"]],
        ["no CPU request", (p) => delete app(p).resources.requests.cpu, ["container 'app' has no CPU request"]],
        ["no memory request", (p) => delete app(p).resources.requests.memory, ["container 'app' has no memory request"]],
        ["no memory limit", (p) => delete app(p).resources.limits, ["container 'app' has no memory limit"]],
        ["a CPU limit too", (p) => (app(p).resources.limits.cpu = "1"), []],
        ["init container without resources", (p) => withInit(p, (c) => delete c.resources), ["initContainer 'migrate' has no CPU request", "initContainer 'migrate' has no memory request", "initContainer 'migrate' has no memory limit"]],
        ["ephemeral containers cannot set resources and are not checked", (p) => withEphemeral(p, (c) => delete c.resources), []],
    ]);
});

describe("k8s-pod-configure-probes", () => {
    ruleTable(podConfigureProbes, good, [
        ["no readiness probe", (p) => delete app(p).readinessProbe, ["container 'app' has no readinessProbe"]],
        ["no liveness probe", (p) => delete app(p).livenessProbe, ["container 'app' has no livenessProbe"]],
        ["no probes", (p) => (delete app(p).readinessProbe, delete app(p).livenessProbe), ["container 'app' has no readinessProbe", "container 'app' has no livenessProbe"]],
        ["identical probes", (p) => (app(p).livenessProbe = { ...app(p).readinessProbe }), ["container 'app': readinessProbe and livenessProbe are identical"]],
        ["same handler, different timings", (p) => (app(p).livenessProbe = { httpGet: { port: 8080, path: "/readyz" }, periodSeconds: 30 }), ["container 'app': readinessProbe and livenessProbe are identical"]],
        ["tcp liveness, http readiness", (p) => (app(p).livenessProbe = { tcpSocket: { port: 8080 } }), []],
        ["init containers have no probes and are not checked", (p) => withInit(p, (c) => (delete c.readinessProbe, delete c.livenessProbe)), []],
    ]);
    it("does not apply to Jobs and CronJobs (they run to completion)", () => {
        expect(podConfigureProbes.resourceTypes).not.toContain("kubernetes:batch/v1:Job");
        expect(podConfigureProbes.resourceTypes).not.toContain("kubernetes:batch/v1:CronJob");
    });
});

describe("k8s-pod-enforce-image-pinned", () => {
    ruleTable(podEnforceImagePinned, good, [
        ["tag latest", (p) => (app(p).image = "app:latest"), ["container 'app': image 'app:latest' uses the tag latest"]],
        ["no tag", (p) => (app(p).image = "ghcr.io/acme/app"), ["container 'app': image 'ghcr.io/acme/app' has no tag (it resolves to latest)"]],
        ["registry port, no tag", (p) => (app(p).image = "registry:5000/app"), ["container 'app': image 'registry:5000/app' has no tag (it resolves to latest)"]],
        ["version tag", (p) => (app(p).image = "registry:5000/app:1.4.2"), []],
        ["malformed digest", (p) => (app(p).image = "app@sha256:123"), ["container 'app': image 'app@sha256:123' has a malformed digest"]],
        ["no image", (p) => delete app(p).image, ["container 'app' has no image"]],
        ["init container latest", (p) => withInit(p, (c) => (c.image = "busybox")), ["initContainer 'migrate': image 'busybox' has no tag (it resolves to latest)"]],
        ["ephemeral container latest", (p) => withEphemeral(p, (c) => (c.image = "busybox:latest")), ["ephemeralContainer 'debug': image 'busybox:latest' uses the tag latest"]],
    ]);
});

describe("k8s-pod-enforce-image-digest (advisory)", () => {
    ruleTable(podEnforceImageDigest, good, [
        ["version tag only", (p) => (app(p).image = "app:1.4.2"), ["container 'app': image 'app:1.4.2' is not pinned by digest"]],
        ["tag and digest", (p) => (app(p).image = `app:1.4.2@sha256:${"cd".repeat(32)}`), []],
        ["init container by tag", (p) => withInit(p, (c) => (c.image = "busybox:1.36")), ["initContainer 'migrate': image 'busybox:1.36' is not pinned by digest"]],
    ]);
});

describe("k8s-pod-disallow-service-account-token-automount (advisory)", () => {
    ruleTable(podDisallowServiceAccountTokenAutomount, good, [
        ["unset", (p) => delete pod(p).automountServiceAccountToken, ["the pod mounts the Kubernetes API token (automountServiceAccountToken is not set)"]],
        ["true", (p) => (pod(p).automountServiceAccountToken = true), ["the pod mounts the Kubernetes API token (automountServiceAccountToken is true)"]],
    ]);
});

describe("k8s-pod-disallow-default-service-account (advisory)", () => {
    ruleTable(podDisallowDefaultServiceAccount, good, [
        ["unset", (p) => delete pod(p).serviceAccountName, ["the pod runs as the namespace's default service account"]],
        ["default", (p) => (pod(p).serviceAccountName = "default"), ["the pod runs as the namespace's default service account"]],
        ["deprecated serviceAccount field", (p) => (delete pod(p).serviceAccountName, (pod(p).serviceAccount = "api")), []],
    ]);
});

// Every pod rule finds the pod spec wherever each pod-bearing type keeps it (CronJob: jobTemplate.spec.template).
const podRules = allRules.filter((r): r is ResourceRule => r.kind === "resource" && r.resourceTypes.includes("kubernetes:apps/v1:Deployment"));
describe.each(POD_TYPES)("pod rules on %s", (type) => {
    const rules = podRules.filter((r) => r.resourceTypes.includes(type));
    it.each(rules.map((r) => [r.name, r] as const))("%s passes the good pod spec", (_name, rule) => {
        expect(checkResource(rule, wrapPodSpec(type, goodPodSpec()), { type })).toEqual([]);
    });
    it("a root, escalating, writable, unpinned container fails the security rules", () => {
        const spec = goodPodSpec();
        spec.containers[0].image = "app:latest";
        spec.containers[0].securityContext = {};
        delete spec.securityContext;
        const failing = rules.filter((r) => checkResource(r, wrapPodSpec(type, spec), { type }).length > 0).map((r) => r.name);
        expect(failing).toEqual(
            expect.arrayContaining([
                "k8s-pod-enforce-run-as-non-root",
                "k8s-pod-disallow-privilege-escalation",
                "k8s-pod-enforce-drop-all-capabilities",
                "k8s-pod-configure-seccomp-profile",
                "k8s-pod-enforce-read-only-root-filesystem",
                "k8s-pod-enforce-image-pinned",
            ]),
        );
    });
});

it("pod rules ignore objects without a pod spec", () => {
    for (const r of podRules) expect([r.name, checkResource(r, { metadata: { name: "x" } })]).toEqual([r.name, []]);
});

// Patches (server-side apply of an object made elsewhere, e.g. `kubernetes.apps.v1.DeploymentPatch`) hold only the
// fields they set: the rules that flag a set value judge them, the rules that flag a missing value do not.
describe("pod rules on patches of pod-bearing objects", () => {
    const patch = (type: string, containers: Props[], extra: Props = {}) => wrapPodSpec(type.replace(/Patch$/, ""), { containers, ...extra });
    it.each(POD_PATCH_TYPES)("%s: a privileged container, a host namespace, a hostPath, a hostPort and a latest image are found", (type) => {
        const props = patch(type, [{ name: "app", image: "app:latest", ports: [{ containerPort: 53, hostPort: 53 }], securityContext: { privileged: true } }], {
            hostNetwork: true,
            volumes: [{ name: "sock", hostPath: { path: "/var/run/docker.sock" } }],
        });
        expect(checkResource(podDisallowPrivileged, props, { type })).toEqual(["container 'app' is privileged"]);
        expect(checkResource(podDisallowHostNamespaces, props, { type })).toEqual(["the pod sets hostNetwork: true"]);
        expect(checkResource(podDisallowHostPath, props, { type })).toEqual(["volume 'sock' is a hostPath (/var/run/docker.sock)"]);
        expect(checkResource(podDisallowHostPort, props, { type })).toEqual(["container 'app': port 53 binds hostPort 53"]);
        expect(checkResource(podEnforceImagePinned, props, { type })).toEqual(["container 'app': image 'app:latest' uses the tag latest"]);
    });
    it.each(POD_PATCH_TYPES)("%s: a patch that sets only resources passes (what it leaves out keeps the live value)", (type) => {
        const props = patch(type, [{ name: "app", resources: { limits: { memory: "512Mi" } } }]);
        for (const rule of podRules.filter((r) => r.resourceTypes.includes(type))) expect([rule.name, checkResource(rule, props, { type })]).toEqual([rule.name, []]);
    });
    it("only the rules that flag a set value judge patches", () => {
        const judging = podRules.filter((r) => r.resourceTypes.includes("kubernetes:apps/v1:DeploymentPatch")).map((r) => r.name);
        expect(judging.sort()).toEqual(["k8s-pod-disallow-host-namespaces", "k8s-pod-disallow-host-path", "k8s-pod-disallow-host-port", "k8s-pod-disallow-literal-credential-env", "k8s-pod-disallow-privileged", "k8s-pod-enforce-image-pinned"]);
    });
});
