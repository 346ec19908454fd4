import type { ResourceRule } from "@groundwork/policy-kit";
import { effective, perContainer, POD_TYPES } from "../shared";

/**
 * Every container runs under a seccomp profile: `RuntimeDefault` (or a `Localhost` profile) on the container or
 * the pod. Unset means Unconfined on most runtimes.
 *
 * Severity: medium. Level: mandatory.
 * Controls: PSS seccompProfile_restricted, Polaris linuxHardening, CKV_K8S_31, KSV-0030.
 */
export const podConfigureSeccompProfile: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-configure-seccomp-profile",
    description: "Containers run with the RuntimeDefault (or a Localhost) seccomp profile, set on the pod or container.",
    controls: ["PSS seccompProfile_restricted", "Polaris linuxHardening", "CKV_K8S_31", "KSV-0030"],
    severity: "medium",
    level: "mandatory",
    remediation: "Set `securityContext.seccompProfile: { type: \"RuntimeDefault\" }` on the pod.",
    resourceTypes: POD_TYPES,
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }, spec) => {
            const type = effective(spec, c, "seccompProfile")?.type;
            if (type === "RuntimeDefault" || type === "Localhost") return [];
            return [type === undefined || type === null ? `${label}: no seccompProfile on the container or the pod` : `${label}: seccompProfile is ${String(type)}`];
        }),
};
