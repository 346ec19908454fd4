import { ipv4Contains, networkPolicyConfigureInternetEgress } from "../../policies/kubernetes/rules/networkpolicy/configureInternetEgress";
import { internetEgressRule } from "../../components/service";
import { ruleTable } from "../support/ruleTable";

const REASON = "delivers signed webhooks to customer receivers";
/** An egress policy as the Service component's `internetEgress` writes it (DNS plus the internet on 443). */
const goodPolicy = {
    metadata: { name: "worker", namespace: "app", annotations: { "groundwork.dev/internet-egress-reason": REASON } },
    spec: {
        podSelector: { matchLabels: { "app.kubernetes.io/name": "worker" } },
        policyTypes: ["Ingress", "Egress"],
        egress: [{ to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }], ports: [{ protocol: "UDP", port: 53 }] }, internetEgressRule([443])],
    },
};
const METADATA_AND_PRIVATE = "169.254.169.254/32 (the instance metadata service), 10.0.0.0/8 (private networks (the VPC)), 172.16.0.0/12 (private networks), 192.168.0.0/16 (private networks)";

describe("k8s-networkpolicy-configure-internet-egress", () => {
    ruleTable(networkPolicyConfigureInternetEgress, goodPolicy, [
        ["no reason", (p) => delete p.metadata.annotations, ["it opens egress to the internet without a reason: the annotation groundwork.dev/internet-egress-reason is missing"]],
        ["a token reason", (p) => (p.metadata.annotations["groundwork.dev/internet-egress-reason"] = " hooks "), ["it opens egress to the internet without a reason: the annotation groundwork.dev/internet-egress-reason is too short ('hooks', at least 10 characters)"]],
        ["no exception at all, on 443", (p) => delete p.spec.egress[1].to[0].ipBlock.except, [`egress[1] opens 0.0.0.0/0 without excepting ${METADATA_AND_PRIVATE}`]],
        [
            "the metadata service left open (only RFC 1918 excepted)",
            (p) => (p.spec.egress[1].to[0].ipBlock.except = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]),
            ["egress[1] opens 0.0.0.0/0 without excepting 169.254.169.254/32 (the instance metadata service)"],
        ],
        ["the VPC's range left open", (p) => (p.spec.egress[1].to[0].ipBlock.except = ["169.254.0.0/16", "172.16.0.0/12", "192.168.0.0/16", "10.0.0.0/9"]), ["egress[1] opens 0.0.0.0/0 without excepting 10.0.0.0/8 (private networks (the VPC))"]],
        ["excepted, but on every port", (p) => delete p.spec.egress[1].ports, ["egress[1] opens 0.0.0.0/0 on every port"]],
        ["::/0 on a port, no reason", (p) => ((p.spec.egress[1] = { to: [{ ipBlock: { cidr: "::/0" } }], ports: [{ port: 443 }] }), delete p.metadata.annotations), ["it opens egress to the internet without a reason: the annotation groundwork.dev/internet-egress-reason is missing"]],
        // Not this rule's to report: a fixed public destination, and the allow-all that k8s-pod-missing-network-policy reports.
        ["a named public destination (a partner's /24), no reason", (p) => ((p.spec.egress[1] = { to: [{ ipBlock: { cidr: "203.0.113.0/24" } }], ports: [{ port: 443 }] }), delete p.metadata.annotations), []],
        ["the whole internet on every port (the allow-all rule's)", (p) => ((p.spec.egress[1] = { to: [{ ipBlock: { cidr: "0.0.0.0/0" } }] }), delete p.metadata.annotations), []],
        ["no egress rules", (p) => ((p.spec.egress = []), delete p.metadata.annotations), []],
    ]);

    it("agrees with the Service component: the rule it writes excepts every range the pack requires", () => {
        const except = (internetEgressRule([443]).to as { ipBlock: { except: string[] } }[])[0];
        for (const cidr of ["169.254.169.254/32", "10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"]) {
            expect([cidr, except.ipBlock.except.some((e) => ipv4Contains(e, cidr))]).toEqual([cidr, true]);
        }
    });
});

describe("ipv4Contains", () => {
    it.each<[string, string, boolean]>([
        ["10.0.0.0/8", "10.20.0.0/16", true],
        ["10.0.0.0/8", "10.0.0.0/8", true],
        ["10.0.0.0/9", "10.0.0.0/8", false],
        ["169.254.0.0/16", "169.254.169.254/32", true],
        ["172.16.0.0/12", "172.32.0.0/16", false],
        ["0.0.0.0/0", "192.168.1.0/24", true],
        ["not-a-cidr", "10.0.0.0/8", false],
    ])("%s contains %s: %s", (outer, inner, expected) => expect(ipv4Contains(outer, inner)).toBe(expected));
});
