import { INTERNET_EGRESS_REASON_ANNOTATION, MIN_REASON_LENGTH, type ResourceRule } from "@groundwork/policy-kit";
import { K8S } from "../shared";

/**
 * IPv4 ranges an internet-wide egress rule must except: the instance metadata service (its role credentials), and
 * the private ranges where the VPC, peered networks and the cluster's own services live (the namespace's default deny
 * would otherwise be undone for them on the rule's ports).
 */
export const MUST_EXCEPT_IPV4: readonly { cidr: string; what: string }[] = [
    { cidr: "169.254.169.254/32", what: "the instance metadata service" },
    { cidr: "10.0.0.0/8", what: "private networks (the VPC)" },
    { cidr: "172.16.0.0/12", what: "private networks" },
    { cidr: "192.168.0.0/16", what: "private networks" },
];

/** An IPv4 CIDR as [network, prefix length], or undefined when it is not one. Pure. */
function parseIpv4Cidr(cidr: unknown): [number, number] | undefined {
    const m = typeof cidr === "string" ? /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim()) : null;
    if (!m) return undefined;
    const octets = m.slice(1, 5).map(Number);
    const len = Number(m[5]);
    if (octets.some((o) => o > 255) || len > 32) return undefined;
    const addr = octets.reduce((a, o) => a * 256 + o, 0);
    return [len === 0 ? 0 : addr - (addr % 2 ** (32 - len)), len];
}

/** Whether IPv4 CIDR `outer` contains all of `inner`. Pure. */
export function ipv4Contains(outer: string, inner: string): boolean {
    const o = parseIpv4Cidr(outer);
    const i = parseIpv4Cidr(inner);
    if (!o || !i || i[1] < o[1]) return false;
    return i[0] - (i[0] % 2 ** (32 - o[1])) === o[0];
}

/** True for an ipBlock CIDR that is the whole internet of its family (`0.0.0.0/0`, `::/0`, or an equivalent spelling). */
function isWorld(cidr: unknown): boolean {
    return typeof cidr === "string" && (/^0+\.0+\.0+\.0+\/0$/.test(cidr.trim()) || /^(::|0*(:0*){1,7})\/0$/.test(cidr.trim()));
}

/**
 * A NetworkPolicy egress rule that opens the whole internet (an ipBlock of `0.0.0.0/0` or `::/0`, even with
 * exceptions) is a named, narrow opt-out: it lists its ports, excepts the instance metadata service and the private
 * ranges (so the VPC's data stores and the metadata credentials stay behind the namespace's default deny), and says
 * why in the annotation `groundwork.dev/internet-egress-reason` (at least 10 characters, as for an exemption). A rule with no peers and no
 * ports, or the internet on every port without exceptions, is `k8s-pod-missing-network-policy`'s to report.
 * IPv6 exceptions are not judged: EKS clusters here are IPv4.
 *
 * Severity: medium. Level: mandatory.
 * Controls: Groundwork ZT.4 (egress is allowed by exception, each exception reasoned: NIST SP 800-53 SC-7(5)).
 */
export const networkPolicyConfigureInternetEgress: ResourceRule = {
    kind: "resource",
    name: "k8s-networkpolicy-configure-internet-egress",
    description: "A NetworkPolicy that opens egress to the internet names its ports, excepts the metadata service and private ranges, and says why.",
    controls: ["Groundwork ZT.4"],
    severity: "medium",
    level: "mandatory",
    remediation:
        "Use the `Service` component's `internetEgress: { ports, reason }`, or give the egress rule its ports, except 169.254.169.254/32, 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16 in the ipBlock, and annotate the NetworkPolicy `groundwork.dev/internet-egress-reason: <why>`; a fixed destination is better named by its own CIDR.",
    resourceTypes: [K8S.networkPolicy],
    check(props) {
        const rules: any[] = Array.isArray(props.spec?.egress) ? props.spec.egress : [];
        const flaws: string[] = [];
        const reason = String(props.metadata?.annotations?.[INTERNET_EGRESS_REASON_ANNOTATION] ?? "").trim();
        let opensWorld = false;
        rules.forEach((rule, i) => {
            for (const peer of Array.isArray(rule?.to) ? rule.to : []) {
                const block = peer?.ipBlock;
                if (!isWorld(block?.cidr)) continue;
                const except: string[] = Array.isArray(block.except) ? block.except : [];
                const anyPort = !Array.isArray(rule.ports) || rule.ports.length === 0;
                // The whole internet on every port is an allow-all: k8s-pod-missing-network-policy reports it.
                if (anyPort && except.length === 0) continue;
                opensWorld = true;
                const at = `egress[${i}] opens ${block.cidr}`;
                if (anyPort) flaws.push(`${at} on every port`);
                if (String(block.cidr).includes(".")) {
                    const open = MUST_EXCEPT_IPV4.filter((m) => !except.some((e) => ipv4Contains(e, m.cidr)));
                    if (open.length) flaws.push(`${at} without excepting ${open.map((m) => `${m.cidr} (${m.what})`).join(", ")}`);
                }
            }
        });
        if (opensWorld && reason.length < MIN_REASON_LENGTH) {
            flaws.push(`it opens egress to the internet without a reason: the annotation ${INTERNET_EGRESS_REASON_ANNOTATION} is ${reason ? `too short ('${reason}', at least ${MIN_REASON_LENGTH} characters)` : "missing"}`);
        }
        return flaws;
    },
};
