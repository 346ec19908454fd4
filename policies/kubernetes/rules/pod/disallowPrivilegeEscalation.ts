import type { ResourceRule } from "@groundwork/policy-kit";
import { perContainer, POD_TYPES } from "../shared";

/**
 * Every container sets `allowPrivilegeEscalation: false`. Unset means allowed (setuid binaries can gain privileges),
 * so a missing value is a violation, as under Pod Security Standards `restricted`.
 *
 * Severity: high. Level: mandatory.
 * Controls: PSS allowPrivilegeEscalation, Polaris privilegeEscalationAllowed, CKV_K8S_20, KSV-0001.
 */
export const podDisallowPrivilegeEscalation: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-disallow-privilege-escalation",
    description: "Containers set allowPrivilegeEscalation to false (unset allows it).",
    controls: ["PSS allowPrivilegeEscalation", "Polaris privilegeEscalationAllowed", "CKV_K8S_20", "KSV-0001"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `securityContext.allowPrivilegeEscalation: false` on every container, init container and ephemeral container.",
    resourceTypes: POD_TYPES,
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }) => {
            const v = c.securityContext?.allowPrivilegeEscalation;
            if (v === false) return [];
            return [`${label}: allowPrivilegeEscalation is ${v === undefined || v === null ? "not set" : String(v)}`];
        }),
};
