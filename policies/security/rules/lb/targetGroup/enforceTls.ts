import { knownString, setOrUnknown, type ResourceRule } from "@groundwork/policy-kit";
import { LB_TYPES } from "../shared";

/** Protocols the load balancer passes through to the targets without terminating them: TLS, if any, is end to end. */
const PASSTHROUGH = ["TCP", "UDP", "TCP_UDP", "QUIC", "TCP_QUIC", "GENEVE"];
/** Protocols that encrypt the hop from the load balancer to the targets. */
const ENCRYPTED = ["HTTPS", "TLS"];

/**
 * A target group whose targets are instances or IP addresses (pods under the VPC CNI) is reached over HTTPS (ALB) or
 * TLS (NLB), health checks included: the load balancer terminates the clients' TLS, and a plain-HTTP target group
 * sends every request, its cookies and tokens in plaintext across the VPC to the targets (zero trust: no hop is
 * trusted because it is internal). `protocol` has no default for these target types, so unset is reported. Lambda and
 * ALB targets (no protocol of their own) and passthrough protocols (TCP, UDP, QUIC, GENEVE: the load balancer does not
 * terminate TLS, so it stays end to end) are not judged. A health check explicitly set to HTTP on an encrypted group is
 * reported too: it needs a plaintext port on the target, which a mesh's STRICT mTLS refuses.
 *
 * Severity: medium. Level: mandatory.
 * Controls: CKV_AWS_378, Groundwork ZT.2.
 */
export const lbTargetGroupEnforceTls: ResourceRule = {
    kind: "resource",
    name: "aws-lb-targetgroup-enforce-tls",
    description: "Target groups of instances or IP addresses are reached over HTTPS or TLS, health checks included.",
    controls: ["CKV_AWS_378", "Groundwork ZT.2"],
    severity: "medium",
    level: "mandatory",
    remediation:
        "Set `protocol: \"HTTPS\"` (ALB) or `\"TLS\"` (NLB) and a health check of the same protocol, with targets that serve TLS (a mesh's ingress gateway, or the app with an in-cluster certificate); the `LoadBalancer` component's `targetProtocol` defaults to HTTPS.",
    resourceTypes: [...LB_TYPES.targetGroup],
    check(props) {
        const targetType = (knownString(() => props.targetType) ?? (setOrUnknown(props, "targetType") ? undefined : "instance"))?.toLowerCase();
        if (targetType !== "instance" && targetType !== "ip") return [];
        const protocol = knownString(() => props.protocol)?.toUpperCase();
        if (protocol === undefined) {
            if (setOrUnknown(props, "protocol")) return [];
            return ["protocol is not set: the target group cannot tell whether the load balancer encrypts to its targets"];
        }
        if (PASSTHROUGH.includes(protocol)) return [];
        const out: string[] = [];
        if (!ENCRYPTED.includes(protocol)) out.push(`protocol is ${protocol}: the load balancer sends requests to its ${targetType} targets in plaintext`);
        const health = knownString(() => props.healthCheck?.protocol)?.toUpperCase();
        if (ENCRYPTED.includes(protocol) && health === "HTTP") out.push("healthCheck.protocol is HTTP: health checks need a plaintext port on the targets");
        return out;
    },
};
