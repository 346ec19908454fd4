import type { ResourceRule } from "@groundwork/policy-kit";
import { podSpecOf, POD_PATCH_TYPES, POD_TYPES } from "../shared";

/**
 * The pod mounts no `hostPath` volume (a path of the node's filesystem: a container escape waiting to happen).
 * Also judges the patches of pod-bearing objects (`DeploymentPatch`, ...): a value a patch sets is deployed.
 *
 * Severity: high. Level: mandatory.
 * Controls: PSS baseline.
 */
export const podDisallowHostPath: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-disallow-host-path",
    description: "Pods mount no hostPath volumes.",
    controls: ["PSS baseline"],
    severity: "high",
    level: "mandatory",
    remediation: "Replace the hostPath volume with an emptyDir, a ConfigMap/Secret, or a PersistentVolumeClaim.",
    resourceTypes: [...POD_TYPES, ...POD_PATCH_TYPES],
    check(props, ctx) {
        const volumes: any[] = podSpecOf(ctx.type, props)?.volumes ?? [];
        return volumes.filter((v) => v?.hostPath).map((v) => `volume '${v.name}' is a hostPath (${v.hostPath.path ?? "?"})`);
    },
};
