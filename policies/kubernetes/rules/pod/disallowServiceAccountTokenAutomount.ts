import type { ResourceRule } from "@groundwork/policy-kit";
import { podSpecOf, POD_TYPES } from "../shared";

/**
 * The pod does not mount the Kubernetes API token (`automountServiceAccountToken: false` on the pod spec). Workloads
 * that call the Kubernetes API get an exemption with the reason. IRSA and EKS Pod Identity tokens are projected by
 * EKS's webhook into volumes of their own and do not need the API token.
 *
 * Severity: low. Level: advisory.
 * Controls: Polaris automountServiceAccountToken, CKV_K8S_38, KSV-0036.
 */
export const podDisallowServiceAccountTokenAutomount: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-disallow-service-account-token-automount",
    description: "Pods do not mount the Kubernetes API token unless they use it.",
    controls: ["Polaris automountServiceAccountToken", "CKV_K8S_38", "KSV-0036"],
    severity: "low",
    level: "advisory",
    remediation: "Set `automountServiceAccountToken: false` on the pod spec (exempt, with the reason, a workload that calls the Kubernetes API).",
    resourceTypes: POD_TYPES,
    check(props, ctx) {
        const spec = podSpecOf(ctx.type, props);
        if (!spec) return [];
        const v = spec.automountServiceAccountToken;
        return v === false ? [] : [`the pod mounts the Kubernetes API token (automountServiceAccountToken is ${v === undefined || v === null ? "not set" : String(v)})`];
    },
};
