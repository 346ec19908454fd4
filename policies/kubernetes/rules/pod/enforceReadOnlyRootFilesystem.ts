import type { ResourceRule } from "@groundwork/policy-kit";
import { perContainer, POD_TYPES } from "../shared";

/**
 * Every container has a read-only root filesystem (`readOnlyRootFilesystem: true`); writable paths are emptyDir
 * volumes (`/tmp`).
 *
 * Severity: medium. Level: mandatory.
 * Controls: kube-score container-security-context-readonlyrootfilesystem, Polaris notReadOnlyRootFilesystem, CKV_K8S_22, KSV-0014.
 */
export const podEnforceReadOnlyRootFilesystem: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-enforce-read-only-root-filesystem",
    description: "Containers have a read-only root filesystem.",
    controls: ["kube-score container-security-context-readonlyrootfilesystem", "Polaris notReadOnlyRootFilesystem", "CKV_K8S_22", "KSV-0014"],
    severity: "medium",
    level: "mandatory",
    remediation: "Set `securityContext.readOnlyRootFilesystem: true` and mount an emptyDir where the app writes (`/tmp`).",
    resourceTypes: POD_TYPES,
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }) => (c.securityContext?.readOnlyRootFilesystem === true ? [] : [`${label}: readOnlyRootFilesystem is not true`])),
};
