import type { ResourceRule } from "@groundwork/policy-kit";
import { podSpecOf, POD_PATCH_TYPES, POD_TYPES } from "../shared";

/**
 * The sysctls Pod Security Standards baseline allows: namespaced to the pod, so setting them cannot reach the node's
 * kernel or other pods (the list of the current PSS "Sysctls" control).
 */
export const SAFE_SYSCTLS: readonly string[] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
    "net.ipv4.tcp_rmem",
    "net.ipv4.tcp_wmem",
];

/**
 * The pod does not share the node's network, process or IPC namespace (`hostNetwork`, `hostPID`, `hostIPC`), nor
 * reach into the node's kernel through an unsafe sysctl (`securityContext.sysctls` outside {@link SAFE_SYSCTLS}, the
 * PSS baseline "Sysctls" control): an unsafe sysctl is not isolated to the pod.
 * Also judges the patches of pod-bearing objects (`DeploymentPatch`, ...): a value a patch sets is deployed.
 *
 * Severity: high. Level: mandatory.
 * Controls: PSS baseline, CKV_K8S_17, CKV_K8S_18, CKV_K8S_19.
 */
export const podDisallowHostNamespaces: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-disallow-host-namespaces",
    description: "Pods do not use the node's network, PID or IPC namespace, nor set unsafe sysctls.",
    controls: ["PSS baseline", "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"],
    severity: "high",
    level: "mandatory",
    remediation: "Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false), and keep `securityContext.sysctls` to the safe set (tune the node itself for anything else).",
    resourceTypes: [...POD_TYPES, ...POD_PATCH_TYPES],
    check(props, ctx) {
        const spec = podSpecOf(ctx.type, props) ?? {};
        const out = (["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => spec[k] === true).map((k) => `the pod sets ${k}: true`);
        const sysctls: { name?: unknown }[] = Array.isArray(spec.securityContext?.sysctls) ? spec.securityContext.sysctls : [];
        const unsafe = sysctls.map((s) => s?.name).filter((n): n is string => typeof n === "string" && !SAFE_SYSCTLS.includes(n));
        if (unsafe.length > 0) out.push(`the pod sets unsafe sysctl${unsafe.length > 1 ? "s" : ""} ${unsafe.join(", ")} (not isolated to the pod)`);
        return out;
    },
};
