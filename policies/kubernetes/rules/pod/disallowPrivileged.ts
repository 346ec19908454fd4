import type { ResourceRule } from "@groundwork/policy-kit";
import { perContainer, POD_PATCH_TYPES, POD_TYPES } from "../shared";

/** SELinux types Pod Security Standards baseline allows (the container types). */
const SELINUX_CONTAINER_TYPES = ["container_t", "container_init_t", "container_kvm_t", "container_engine_t"];

/**
 * No container is privileged (`securityContext.privileged: true` gives it every device and capability of the node),
 * nor privileged by another name: a Windows HostProcess container, an SELinux type other than the container types
 * (spc_t), or an unmasked /proc (`procMount: Unmasked`), as under Pod Security Standards baseline.
 * Also judges the patches of pod-bearing objects (`DeploymentPatch`, ...): a value a patch sets is deployed.
 *
 * Severity: critical. Level: mandatory.
 * Controls: PSS baseline, kube-score container-security-context-privileged, Polaris runAsPrivileged, CKV_K8S_16, KSV-0017.
 */
export const podDisallowPrivileged: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-disallow-privileged",
    description: "No container runs privileged.",
    controls: ["PSS baseline", "kube-score container-security-context-privileged", "Polaris runAsPrivileged", "CKV_K8S_16", "KSV-0017"],
    severity: "critical",
    level: "mandatory",
    remediation: "Remove `privileged: true` (set `securityContext.privileged: false`); grant a narrow capability instead if one is really needed.",
    resourceTypes: [...POD_TYPES, ...POD_PATCH_TYPES],
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }, spec) => {
            const out: string[] = [];
            if (c.securityContext?.privileged === true) out.push(`${label} is privileged`);
            // Windows' privileged form: a HostProcess container runs on the node itself, as a node account.
            if ((c.securityContext?.windowsOptions?.hostProcess ?? spec.securityContext?.windowsOptions?.hostProcess) === true) out.push(`${label} is a Windows HostProcess container`);
            // SELinux types outside the container ones (spc_t: "super privileged container") lift the confinement.
            const selinux = c.securityContext?.seLinuxOptions?.type ?? spec.securityContext?.seLinuxOptions?.type;
            if (typeof selinux === "string" && selinux !== "" && !SELINUX_CONTAINER_TYPES.includes(selinux)) out.push(`${label} runs with the SELinux type ${selinux} (not a container type)`);
            // An unmasked /proc exposes the node's kernel interfaces that the runtime masks (as for a privileged one).
            if (c.securityContext?.procMount === "Unmasked") out.push(`${label} mounts /proc unmasked (procMount: Unmasked)`);
            return out;
        }),
};
