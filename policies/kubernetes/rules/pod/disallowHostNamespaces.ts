import type { ResourceRule } from "@groundwork/policy-kit";
import { podSpecOf, POD_PATCH_TYPES, POD_TYPES } from "../shared";

/**
 * The pod does not share the node's network, process or IPC namespace (`hostNetwork`, `hostPID`, `hostIPC`).
 * Also judges the patches of pod-bearing objects (`DeploymentPatch`, ...): a value a patch sets is deployed.
 *
 * Severity: high. Level: mandatory.
 * Controls: PSS baseline, CKV_K8S_17, CKV_K8S_18, CKV_K8S_19.
 */
export const podDisallowHostNamespaces: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-disallow-host-namespaces",
    description: "Pods do not use the node's network, PID or IPC namespace.",
    controls: ["PSS baseline", "CKV_K8S_17", "CKV_K8S_18", "CKV_K8S_19"],
    severity: "high",
    level: "mandatory",
    remediation: "Remove `hostNetwork`, `hostPID` and `hostIPC` from the pod spec (or set them to false).",
    resourceTypes: [...POD_TYPES, ...POD_PATCH_TYPES],
    check(props, ctx) {
        const spec = podSpecOf(ctx.type, props) ?? {};
        return (["hostNetwork", "hostPID", "hostIPC"] as const).filter((k) => spec[k] === true).map((k) => `the pod sets ${k}: true`);
    },
};
