import { knownString, readKnown, setOrUnknown } from "@groundwork/policy-kit";
import type { GraphResource, StackFinding, StackRule } from "@groundwork/policy-kit";
import { isOneOf, LB_TYPES, listenerOf, loadBalancerKind, loadBalancerOf } from "../shared";

/**
 * Listener security policies accepted: TLS 1.2 minimum with TLS 1.3 offered, and none of the legacy CBC/SHA-1 cipher
 * suites that the `Ext*` variants and the TLS-1.2-only policies of 2017-2020 keep for old clients. The 2021-06 set,
 * its FIPS (2023-04) and hybrid post-quantum (2025-09) counterparts, from the Elastic Load Balancing user guides'
 * "Security policies" tables. AWS recommends `ELBSecurityPolicy-TLS13-1-2-2021-06` (its PQ successors in 2025).
 */
export const TLS_POLICY_ALLOW_LIST: readonly string[] = [
    "ELBSecurityPolicy-TLS13-1-2-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-Res-2021-06",
    "ELBSecurityPolicy-TLS13-1-3-2021-06",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04",
    "ELBSecurityPolicy-TLS13-1-2-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09",
    "ELBSecurityPolicy-TLS13-1-3-FIPS-PQ-2025-09",
];

/** Predefined policies that still negotiate TLS 1.0 or 1.1 (the API's default, ELBSecurityPolicy-2016-08, among them). */
const BELOW_TLS_1_2 = /^ELBSecurityPolicy-(2015-05|2016-08|FS-2018-06|FS-1-1-|TLS-1-0-|TLS-1-1-|TLS13-1-0-|TLS13-1-1-)/;

/** Protocols the load balancer passes through without reading them: TLS, if any, is end to end and not its to judge. */
const PASSTHROUGH = ["TCP", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC", "GENEVE"];

/**
 * The protocol a listener serves: its `protocol`, or HTTP where it is unset on an Application Load Balancer (AWS's
 * default). Undefined when the rule has nothing to judge: the protocol is unknown during preview, or the listener
 * belongs to a Gateway Load Balancer (no protocol, GENEVE) or to a Network Load Balancer without a protocol.
 */
export function servedProtocol(listener: GraphResource, resources: GraphResource[]): { protocol: string; defaulted: boolean } | undefined {
    const raw = knownString(() => listener.props.protocol);
    if (raw === undefined && setOrUnknown(listener.props, "protocol")) return undefined;
    const lb = loadBalancerOf(listener, resources);
    const arn = knownString(() => listener.props.loadBalancerArn) ?? "";
    // An external load balancer's kind shows in its ARN: loadbalancer/app/..., net/..., gwy/...
    const kind = lb ? loadBalancerKind(lb.props) : arn.includes(":loadbalancer/gwy/") ? "gateway" : arn.includes(":loadbalancer/net/") ? "network" : "application";
    if (kind === "gateway") return undefined;
    if (raw !== undefined) return { protocol: raw.toUpperCase(), defaulted: false };
    return kind === "network" ? undefined : { protocol: "HTTP", defaulted: true };
}

/**
 * Why the actions of a plain-HTTP listener or listener rule (`key`: `defaultActions` or `actions`) let requests be
 * served unencrypted: a forward to targets, or a redirect that does not switch to HTTPS. A redirect to HTTPS and a
 * fixed response are fine; actions whose type or protocol is unknown during preview are not judged.
 */
export function plaintextActions(props: Record<string, any>, key: "defaultActions" | "actions"): string[] {
    const actions = readKnown(() => props[key]);
    if (!Array.isArray(actions)) return [];
    const out: string[] = [];
    actions.forEach((_, i) => {
        const type = knownString(() => props[key][i]?.type)?.toLowerCase();
        if (type === "forward") out.push(`${key}[${i}] forwards to targets`);
        if (type !== "redirect") return;
        const redirect = readKnown(() => props[key][i]?.redirect);
        const protocol = knownString(() => props[key][i]?.redirect?.protocol);
        if (protocol === undefined && setOrUnknown(redirect, "protocol")) return;
        if (protocol === undefined) out.push(`${key}[${i}] redirects without a protocol (#{protocol} keeps HTTP)`);
        else if (protocol.toUpperCase() !== "HTTPS") out.push(`${key}[${i}] redirects with protocol '${protocol}' instead of HTTPS`);
    });
    return out;
}

/** What is wrong with the security policy of an HTTPS or TLS listener; undefined when it is allow-listed or unknown. */
export function weakTlsPolicy(listener: GraphResource, protocol: string): string | undefined {
    const policy = knownString(() => listener.props.sslPolicy);
    if (policy === undefined) {
        if (setOrUnknown(listener.props, "sslPolicy")) return undefined;
        return `listener '${listener.name}' (${protocol}) has no sslPolicy: AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1`;
    }
    if (TLS_POLICY_ALLOW_LIST.includes(policy)) return undefined;
    if (BELOW_TLS_1_2.test(policy)) return `listener '${listener.name}' (${protocol}) uses sslPolicy '${policy}', which accepts TLS versions below 1.2`;
    return `listener '${listener.name}' (${protocol}) uses sslPolicy '${policy}', which is not on the allow-list (TLS 1.2 minimum with TLS 1.3, no legacy CBC/SHA-1 cipher suites)`;
}

/**
 * Application and Network Load Balancer listeners (`aws.lb.Listener`, `aws.alb.Listener`) encrypt what they serve:
 * - an HTTPS or TLS listener names an `sslPolicy` of {@link TLS_POLICY_ALLOW_LIST}: unset, AWS applies
 *   ELBSecurityPolicy-2016-08 (TLS 1.0 and 1.1 allowed);
 * - a plain HTTP listener (`protocol` "HTTP", or unset on an Application Load Balancer) only redirects to HTTPS
 *   (`redirect.protocol` "HTTPS"; unset keeps HTTP) or answers with a fixed response: a forward serves the
 *   application in plaintext. Listener rules (`aws.lb.ListenerRule`) of a plain HTTP listener are held to the same.
 * TCP, UDP, TCP_UDP and QUIC listeners pass the stream through without terminating TLS and are not judged, nor
 * are Gateway Load Balancer listeners (GENEVE).
 *
 * FSBP ELB.17's list of recommended policies, as its implementations quote it, holds only the `Res` and TLS-1.3-only
 * variants; this rule also accepts ELBSecurityPolicy-TLS13-1-2-2021-06 (and its FIPS and PQ counterparts), the
 * policy AWS's user guides recommend for general use.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP ELB.1, FSBP ELB.17, CKV_AWS_2, CKV_AWS_103, AWS-0054, AWS-0047.
 */
export const lbListenerEnforceTls: StackRule = {
    kind: "stack",
    name: "aws-lb-listener-enforce-tls",
    description:
        "Load balancer listeners serve HTTPS/TLS with an allow-listed TLS 1.2+ security policy; a plain HTTP listener (and its listener rules) only redirects to HTTPS or returns a fixed response.",
    controls: ["FSBP ELB.1", "FSBP ELB.17", "CKV_AWS_2", "CKV_AWS_103", "AWS-0054", "AWS-0047"],
    severity: "high",
    level: "mandatory",
    remediation:
        'Serve `protocol: "HTTPS"` (ALB) or `"TLS"` (NLB) with `certificateArn` and `sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06"` (or another allow-listed policy); on port 80 answer only with `defaultActions: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }]` (or a fixed response), and attach forwarding listener rules to the HTTPS listener.',
    check(resources) {
        const findings: StackFinding[] = [];
        const plainHttp = new Set<string>();
        for (const l of resources.filter((r) => isOneOf(r, LB_TYPES.listener))) {
            const served = servedProtocol(l, resources);
            if (!served || PASSTHROUGH.includes(served.protocol)) continue;
            if (served.protocol === "HTTPS" || served.protocol === "TLS") {
                const weak = weakTlsPolicy(l, served.protocol);
                if (weak) findings.push({ urn: l.urn, message: weak });
                continue;
            }
            plainHttp.add(l.urn);
            const how = served.defaulted ? "serves plain HTTP (protocol not set: AWS's default)" : `serves plain ${served.protocol}`;
            for (const reason of plaintextActions(l.props, "defaultActions")) {
                findings.push({ urn: l.urn, message: `listener '${l.name}' ${how} and ${reason}: requests and responses travel unencrypted` });
            }
        }
        for (const rule of resources.filter((r) => isOneOf(r, LB_TYPES.listenerRule))) {
            const listener = listenerOf(rule, resources);
            if (!listener || !plainHttp.has(listener.urn)) continue;
            for (const reason of plaintextActions(rule.props, "actions")) {
                findings.push({ urn: rule.urn, message: `listener rule '${rule.name}' of plain-HTTP listener '${listener.name}': ${reason}, so requests and responses travel unencrypted` });
            }
        }
        return findings;
    },
};
