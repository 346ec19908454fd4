import type { GraphResource, StackFinding, StackRule } from "@groundwork/policy-kit";
import { K8S, namespaceOf, objectLabel, podLabelsOf, readKnown, selectorMatches } from "../shared";
import { AUTOSCALER_TYPES, autoscalersOf } from "./autoscalers";

/** Why a PodDisruptionBudget allows no voluntary disruption with `replicas` pods, or undefined when it allows some. */
export function pdbBlocks(spec: Record<string, any> | undefined, replicas: number): string | undefined {
    const maxU = spec?.maxUnavailable;
    if (maxU !== undefined && maxU !== null) return maxU === 0 || maxU === "0%" || maxU === "0" ? "maxUnavailable 0" : undefined;
    const minA = spec?.minAvailable;
    if (typeof minA === "string" && minA.endsWith("%")) return Number(minA.slice(0, -1)) >= 100 ? `minAvailable ${minA}` : undefined;
    if (minA !== undefined && minA !== null && Number(minA) >= replicas) return `minAvailable ${minA} with ${replicas} replica(s)`;
    return undefined;
}

/** The replicas a Deployment runs with at least: `spec.replicas`, else its autoscaler's minimum, else 1. */
function replicasOf(d: GraphResource, resources: GraphResource[]): number {
    const own = readKnown(() => d.props?.spec?.replicas);
    if (typeof own === "number") return own;
    const scalers = autoscalersOf(d, resources);
    return scalers.length > 0 ? Math.max(1, Math.min(...scalers.map((s) => s.min))) : 1;
}

/**
 * Every Deployment has a PodDisruptionBudget in its namespace whose selector matches the pod template's labels and
 * which allows some disruption (a PDB allowing none blocks node drains and cluster upgrades forever). A budget
 * whose pods are declared elsewhere is judged on its own: `maxUnavailable: 0` or `minAvailable: 100%` block always.
 *
 * Severity: medium. Level: mandatory.
 * Controls: kube-score deployment-has-poddisruptionbudget, Polaris missingPodDisruptionBudget.
 */
export const deploymentMissingPodDisruptionBudget: StackRule = {
    kind: "stack",
    name: "k8s-deployment-missing-pod-disruption-budget",
    description: "Every Deployment has a PodDisruptionBudget selecting its pods that allows some disruption.",
    controls: ["kube-score deployment-has-poddisruptionbudget", "Polaris missingPodDisruptionBudget"],
    severity: "medium",
    level: "mandatory",
    judges: [K8S.deployment, K8S.pdb, ...AUTOSCALER_TYPES],
    remediation: "Add a policy/v1 PodDisruptionBudget in the Deployment's namespace with `selector.matchLabels` = the pod labels and `maxUnavailable: 1`.",
    check(resources) {
        const findings: StackFinding[] = [];
        const pdbs = resources.filter((r) => r.type === K8S.pdb);
        const selecting = new Set<string>();
        for (const d of resources.filter((r) => r.type === K8S.deployment)) {
            const labels = readKnown(() => podLabelsOf(d.type, d.props)) ?? {};
            const ns = namespaceOf(d);
            const matching = pdbs.filter((p) => namespaceOf(p) === ns && selectorMatches(readKnown(() => p.props?.spec?.selector ?? {}), labels));
            for (const p of matching) selecting.add(p.urn);
            if (matching.length === 0) {
                findings.push({ urn: d.urn, message: `${objectLabel(d)} has no PodDisruptionBudget selecting its pods` });
                continue;
            }
            const replicas = replicasOf(d, resources);
            const blocked = matching.map((p) => [p, pdbBlocks(readKnown(() => p.props?.spec), replicas)] as const);
            if (blocked.every(([, why]) => why !== undefined)) {
                for (const [p, why] of blocked) findings.push({ urn: d.urn, message: `${objectLabel(d)}: PodDisruptionBudget '${p.props?.metadata?.name ?? p.name}' allows no disruption (${why})` });
            }
        }
        // A budget for pods declared elsewhere (another stack, a Helm chart) is judged by what it says: without the
        // replica count, only a budget that blocks every eviction whatever the count can be known to be wrong.
        for (const p of pdbs.filter((q) => !selecting.has(q.urn))) {
            const why = pdbBlocks(readKnown(() => p.props?.spec), Number.POSITIVE_INFINITY);
            if (why !== undefined) findings.push({ urn: p.urn, message: `${objectLabel(p)} allows no disruption (${why}) of pods declared outside this program: node drains and upgrades would wait forever` });
        }
        return findings;
    },
};
