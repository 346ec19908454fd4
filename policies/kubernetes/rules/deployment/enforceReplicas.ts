import type { StackFinding, StackRule } from "@groundwork/policy-kit";
import { K8S, objectLabel, readKnown } from "../shared";
import { asAutoscaler, AUTOSCALER_TYPES, autoscalersOf } from "./autoscalers";

/** Fewest replicas a production Deployment may run with. */
export const MIN_REPLICAS = 2;

/**
 * Every Deployment runs at least 2 replicas: `spec.replicas >= 2`, or an autoscaler (HPA `minReplicas`, KEDA
 * `minReplicaCount`) with a minimum of at least 2, and then no static `replicas` (the autoscaler and every deploy
 * would fight over the count, scaling down on each update). An autoscaler whose workload is not declared in the
 * program (another stack, a Helm chart, a StatefulSet) is judged by its own minimum.
 *
 * Severity: medium. Level: mandatory-prod.
 * Controls: kube-score deployment-replicas, kube-score horizontalpodautoscaler-replicas, Polaris hpaMinAvailability.
 */
export const deploymentEnforceReplicas: StackRule = {
    kind: "stack",
    name: "k8s-deployment-enforce-replicas",
    description: "Deployments run at least 2 replicas (or an autoscaler minimum of 2), with no static replicas under an autoscaler.",
    controls: ["kube-score deployment-replicas", "kube-score horizontalpodautoscaler-replicas", "Polaris hpaMinAvailability"],
    severity: "medium",
    level: "mandatory-prod",
    judges: [K8S.deployment, ...AUTOSCALER_TYPES],
    remediation: "Give the Deployment an HPA (or KEDA ScaledObject) with a minimum of at least 2 and remove `spec.replicas`, or set `spec.replicas` to 2 or more.",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const d of resources.filter((r) => r.type === K8S.deployment)) {
            const replicas = readKnown(() => d.props?.spec?.replicas);
            const scalers = autoscalersOf(d, resources);
            if (scalers.length === 0) {
                const n = typeof replicas === "number" ? replicas : 1;
                if (n < MIN_REPLICAS) findings.push({ urn: d.urn, message: `${objectLabel(d)} runs ${n} replica(s) (fewer than ${MIN_REPLICAS}) and has no autoscaler` });
                continue;
            }
            for (const s of scalers) {
                const label = `${s.kind} '${s.r.props?.metadata?.name ?? s.r.name}'`;
                if (replicas !== undefined && replicas !== null) findings.push({ urn: d.urn, message: `${objectLabel(d)} sets static replicas ${replicas} under ${label}` });
                if (s.min < MIN_REPLICAS) findings.push({ urn: d.urn, message: `${objectLabel(d)}: ${label} has a minimum of ${s.min} replica(s) (fewer than ${MIN_REPLICAS})` });
            }
        }
        // Autoscalers of workloads declared elsewhere: what they say is all there is to judge.
        const attached = new Set(resources.filter((r) => r.type === K8S.deployment).flatMap((d) => autoscalersOf(d, resources).map((s) => s.r.urn)));
        for (const a of resources.filter((r) => AUTOSCALER_TYPES.includes(r.type) && !attached.has(r.urn)).map(asAutoscaler)) {
            if (a.min >= MIN_REPLICAS) continue;
            const ref = readKnown(() => a.r.props?.spec?.scaleTargetRef) ?? {};
            const target = `${ref.kind ?? "Deployment"} '${ref.name ?? "?"}'`;
            findings.push({ urn: a.r.urn, message: `${objectLabel(a.r)} scales ${target} (declared outside this program) down to ${a.min} replica(s) (fewer than ${MIN_REPLICAS})` });
        }
        return findings;
    },
};
