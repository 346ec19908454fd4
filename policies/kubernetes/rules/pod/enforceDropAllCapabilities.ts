import type { ResourceRule } from "@groundwork/policy-kit";
import { perContainer, POD_TYPES } from "../shared";

/** The only capability a container may add back after dropping ALL (binding ports below 1024). */
export const ALLOWED_ADDED_CAPABILITIES = ["NET_BIND_SERVICE"];

/**
 * Every container drops ALL Linux capabilities and adds back at most NET_BIND_SERVICE.
 *
 * Severity: high. Level: mandatory.
 * Controls: PSS capabilities_restricted, Polaris insecureCapabilities, CKV_K8S_28, CKV_K8S_37, KSV-0003.
 */
export const podEnforceDropAllCapabilities: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-enforce-drop-all-capabilities",
    description: "Containers drop ALL capabilities and add back at most NET_BIND_SERVICE.",
    controls: ["PSS capabilities_restricted", "Polaris insecureCapabilities", "CKV_K8S_28", "CKV_K8S_37", "KSV-0003"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `securityContext.capabilities: { drop: [\"ALL\"] }` on every container (add only NET_BIND_SERVICE, if a port below 1024 is needed).",
    resourceTypes: POD_TYPES,
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }) => {
            const caps = c.securityContext?.capabilities ?? {};
            const drop: string[] = Array.isArray(caps.drop) ? caps.drop : [];
            const add: string[] = Array.isArray(caps.add) ? caps.add : [];
            const out: string[] = [];
            if (!drop.includes("ALL")) out.push(`${label}: capabilities.drop does not include ALL`);
            const extra = add.filter((a) => !ALLOWED_ADDED_CAPABILITIES.includes(a));
            if (extra.length > 0) out.push(`${label}: capabilities.add includes ${extra.join(", ")} (only NET_BIND_SERVICE is allowed)`);
            return out;
        }),
};
