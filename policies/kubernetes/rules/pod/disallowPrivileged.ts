import type { ResourceRule } from "@groundwork/policy-kit";
import { perContainer, POD_PATCH_TYPES, POD_TYPES } from "../shared";

/**
 * No container is privileged (`securityContext.privileged: true` gives it every device and capability of the node).
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
    check: (props, ctx) => perContainer(ctx.type, props, ({ c, label }) => (c.securityContext?.privileged === true ? [`${label} is privileged`] : [])),
};
