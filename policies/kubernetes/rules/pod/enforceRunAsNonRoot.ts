import type { ResourceRule } from "@groundwork/policy-kit";
import { effective, perContainer, POD_TYPES } from "../shared";

/**
 * Every container (regular, init, ephemeral) runs as non-root: `runAsNonRoot: true` on the container or the pod,
 * and `runAsUser`, where set, is not 0. Unset `runAsNonRoot` lets an image whose USER is root run as root.
 *
 * Severity: high. Level: mandatory.
 * Controls: PSS runAsNonRoot, PSS runAsUser, kube-score container-security-context-user-group-id, Polaris runAsRootAllowed, CKV_K8S_23, CKV_K8S_40, KSV-0012.
 */
export const podEnforceRunAsNonRoot: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-enforce-run-as-non-root",
    description: "Containers run as a non-root user: runAsNonRoot true and runAsUser not 0.",
    controls: ["PSS runAsNonRoot", "PSS runAsUser", "kube-score container-security-context-user-group-id", "Polaris runAsRootAllowed", "CKV_K8S_23", "CKV_K8S_40", "KSV-0012"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001 }` on the pod (or each container) and use an image with a numeric non-root USER.",
    resourceTypes: POD_TYPES,
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }, spec) => {
            const out: string[] = [];
            if (effective(spec, c, "runAsUser") === 0) out.push(`${label} runs as root (runAsUser 0)`);
            if (effective(spec, c, "runAsNonRoot") !== true) out.push(`${label}: runAsNonRoot is not true on the container or the pod`);
            return out;
        }),
};
