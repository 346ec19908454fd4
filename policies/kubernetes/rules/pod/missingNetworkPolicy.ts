import type { StackFinding, StackRule } from "@groundwork/policy-kit";
import { K8S, namespaceOf, objectLabel, podLabelsOf, POD_TYPES, readKnown, selectorMatches } from "../shared";

/** Directions a NetworkPolicy restricts: `policyTypes`, or by default Ingress plus Egress when it has egress rules. */
export function policyDirections(spec: Record<string, any> | undefined): string[] {
    if (Array.isArray(spec?.policyTypes) && spec!.policyTypes.length > 0) return spec!.policyTypes;
    return ["Ingress", ...(Array.isArray(spec?.egress) ? ["Egress"] : [])];
}

/**
 * The pods of every pod-bearing object are selected, for both ingress and egress, by NetworkPolicies of their
 * namespace (an empty `podSelector`, like a default deny, selects every pod). Unselected pods accept and open any
 * connection.
 *
 * Severity: high. Level: mandatory.
 * Controls: kube-score pod-networkpolicy, Polaris missingNetworkPolicy, CKV2_K8S_6.
 */
export const podMissingNetworkPolicy: StackRule = {
    kind: "stack",
    name: "k8s-pod-missing-network-policy",
    description: "A NetworkPolicy selects every pod, for ingress and egress (default deny plus explicit allows).",
    controls: ["kube-score pod-networkpolicy", "Polaris missingNetworkPolicy", "CKV2_K8S_6"],
    severity: "high",
    level: "mandatory",
    judges: [...POD_TYPES, K8S.networkPolicy],
    remediation: "Add a default-deny NetworkPolicy (`podSelector: {}`, policyTypes Ingress and Egress) to the namespace and allow policies for the workload's traffic.",
    check(resources) {
        const findings: StackFinding[] = [];
        const policies = resources.filter((r) => r.type === K8S.networkPolicy);
        for (const w of resources.filter((r) => POD_TYPES.includes(r.type))) {
            const labels = readKnown(() => podLabelsOf(w.type, w.props)) ?? {};
            const ns = namespaceOf(w);
            const selecting = policies.filter((p) => namespaceOf(p) === ns && selectorMatches(readKnown(() => p.props?.spec?.podSelector ?? {}), labels));
            if (selecting.length === 0) {
                findings.push({ urn: w.urn, message: `${objectLabel(w)}: no NetworkPolicy selects its pods` });
                continue;
            }
            const covered = new Set(selecting.flatMap((p) => policyDirections(readKnown(() => p.props?.spec))));
            for (const dir of ["Ingress", "Egress"]) {
                if (!covered.has(dir)) findings.push({ urn: w.urn, message: `${objectLabel(w)}: no NetworkPolicy restricts its ${dir} traffic` });
            }
        }
        return findings;
    },
};
