import type { ResourceRule } from "@groundwork/policy-kit";
import { perContainer, POD_PATCH_TYPES, POD_TYPES } from "../shared";

/**
 * No container binds a port of the node (`ports[].hostPort`): it bypasses NetworkPolicies and Services.
 * Also judges the patches of pod-bearing objects (`DeploymentPatch`, ...): a value a patch sets is deployed.
 *
 * Severity: medium. Level: mandatory.
 * Controls: PSS baseline.
 */
export const podDisallowHostPort: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-disallow-host-port",
    description: "Containers bind no hostPort.",
    controls: ["PSS baseline"],
    severity: "medium",
    level: "mandatory",
    remediation: "Remove `hostPort` and expose the port through a ClusterIP Service.",
    resourceTypes: [...POD_TYPES, ...POD_PATCH_TYPES],
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }) =>
            (Array.isArray(c.ports) ? c.ports : []).filter((p: any) => p?.hostPort !== undefined && p?.hostPort !== null && p.hostPort !== 0).map((p: any) => `${label}: port ${p.containerPort} binds hostPort ${p.hostPort}`),
        ),
};
