import type { ResourceRule } from "@groundwork/policy-kit";
import { perContainer, POD_TYPES } from "../shared";

function isSetQuantity(v: unknown): boolean {
    return (typeof v === "string" && v !== "") || (typeof v === "number" && v > 0);
}

/**
 * Every container and init container requests CPU and memory and has a memory limit (ephemeral containers
 * cannot set resources). Without requests the scheduler overcommits nodes; without a memory limit one leak takes
 * the node's memory. No CPU limit is required: it only throttles.
 *
 * Severity: medium. Level: mandatory.
 * Controls: kube-score container-resources, Polaris cpuRequestsMissing, Polaris memoryRequestsMissing, CKV_K8S_10, CKV_K8S_12, CKV_K8S_13.
 */
export const podConfigureResources: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-configure-resources",
    description: "Containers request CPU and memory and limit memory.",
    controls: ["kube-score container-resources", "Polaris cpuRequestsMissing", "Polaris memoryRequestsMissing", "CKV_K8S_10", "CKV_K8S_12", "CKV_K8S_13"],
    severity: "medium",
    level: "mandatory",
    remediation: "Set `resources: { requests: { cpu: \"100m\", memory: \"128Mi\" }, limits: { memory: \"256Mi\" } }` on every container.",
    resourceTypes: POD_TYPES,
    check: (props, ctx) =>
        perContainer(
            ctx.type,
            props,
            ({ c, label }) => {
                const out: string[] = [];
                if (!isSetQuantity(c.resources?.requests?.cpu)) out.push(`${label} has no CPU request`);
                if (!isSetQuantity(c.resources?.requests?.memory)) out.push(`${label} has no memory request`);
                if (!isSetQuantity(c.resources?.limits?.memory)) out.push(`${label} has no memory limit`);
                return out;
            },
            ["initContainers", "containers"],
        ),
};
