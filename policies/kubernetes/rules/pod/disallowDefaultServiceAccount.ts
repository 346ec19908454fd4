import type { ResourceRule } from "@groundwork/policy-kit";
import { podSpecOf, POD_TYPES } from "../shared";

/**
 * The pod runs as a service account of its own, not the namespace's `default` one (shared by every pod that names
 * none, so any role bound to it leaks to all of them).
 *
 * Severity: low. Level: advisory.
 * Controls: CKV_K8S_41.
 */
export const podDisallowDefaultServiceAccount: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-disallow-default-service-account",
    description: "Pods run as a dedicated service account, not the namespace's default.",
    controls: ["CKV_K8S_41"],
    severity: "low",
    level: "advisory",
    remediation: "Create a ServiceAccount for the workload and set `serviceAccountName` on the pod spec.",
    resourceTypes: POD_TYPES,
    check(props, ctx) {
        const spec = podSpecOf(ctx.type, props);
        if (!spec) return [];
        const sa = spec.serviceAccountName ?? spec.serviceAccount;
        return sa === undefined || sa === null || sa === "" || sa === "default" ? ["the pod runs as the namespace's default service account"] : [];
    },
};
