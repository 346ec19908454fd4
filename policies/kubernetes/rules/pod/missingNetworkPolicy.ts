import type { StackFinding, StackRule } from "@groundwork/policy-kit";
import { K8S, namespaceOf, objectLabel, podLabelsOf, POD_TYPES, readKnown, selectorMatches } from "../shared";

/** Directions a NetworkPolicy restricts: `policyTypes`, or by default Ingress plus Egress when it has egress rules. */
export function policyDirections(spec: Record<string, any> | undefined): string[] {
    if (Array.isArray(spec?.policyTypes) && spec!.policyTypes.length > 0) return spec!.policyTypes;
    return ["Ingress", ...(Array.isArray(spec?.egress) ? ["Egress"] : [])];
}

/** Rules of a direction that let everything through: no peers and no ports, or the whole internet (0.0.0.0/0, ::/0) on every port. */
export function allowsAll(spec: Record<string, any> | undefined, direction: string): boolean {
    const rules = direction === "Ingress" ? spec?.ingress : spec?.egress;
    if (!Array.isArray(rules)) return false;
    // The whole internet, IPv4 or IPv6 (an IPv6 or dual-stack cluster, such as EKS with ipFamily ipv6, routes ::/0).
    const everyone = (peer: any) => ["0.0.0.0/0", "::/0"].includes(peer?.ipBlock?.cidr) && !(Array.isArray(peer.ipBlock.except) && peer.ipBlock.except.length > 0);
    return rules.some((r: any) => {
        const peers = direction === "Ingress" ? r?.from : r?.to;
        const anyPort = !Array.isArray(r?.ports) || r.ports.length === 0;
        const anyPeer = !Array.isArray(peers) || peers.length === 0 || peers.some(everyone);
        return anyPort && anyPeer;
    });
}

/**
 * The pods of every pod-bearing object are selected, for both ingress and egress, by NetworkPolicies of their
 * namespace (an empty `podSelector`, like a default deny, selects every pod). Unselected pods accept and open any
 * connection, and so do pods a policy opens to everything (a rule with no peers and no ports, or 0.0.0.0/0 or ::/0 on
 * every port): policies add up, so one such rule undoes the default deny. A policy whose pods are declared elsewhere
 * (another stack, a Helm chart) is judged by what it says.
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
        const judged = new Set<string>();
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
                const open = selecting.find((p) => allowsAll(readKnown(() => p.props?.spec), dir));
                if (!covered.has(dir)) findings.push({ urn: w.urn, message: `${objectLabel(w)}: no NetworkPolicy restricts its ${dir} traffic` });
                else if (open) findings.push({ urn: w.urn, message: `${objectLabel(w)}: ${objectLabel(open)} allows all ${dir} traffic (a rule with no peers and no ports, or 0.0.0.0/0 or ::/0 on every port)` });
            }
            for (const p of selecting) judged.add(p.urn);
        }
        for (const p of policies.filter((q) => !judged.has(q.urn))) {
            for (const dir of policyDirections(readKnown(() => p.props?.spec))) {
                if (allowsAll(readKnown(() => p.props?.spec), dir)) findings.push({ urn: p.urn, message: `${objectLabel(p)} allows all ${dir} traffic to the pods it selects (declared outside this program)` });
            }
        }
        return findings;
    },
};
