import { knownString, readKnown, type StackFinding, type StackRule } from "@groundwork/policy-kit";
import { hasStrictNamespacePolicy, isEnrolled, MESH_TYPES } from "../namespace/mesh";
import { K8S, namespaceOf, objectLabel } from "../shared";

/** Annotations by which an ingress controller speaks HTTPS to the backends (AWS Load Balancer Controller, ingress-nginx). */
export const BACKEND_PROTOCOL_ANNOTATIONS: Record<string, string[]> = {
    "alb.ingress.kubernetes.io/backend-protocol": ["HTTPS"],
    "nginx.ingress.kubernetes.io/backend-protocol": ["HTTPS", "GRPCS"],
};

/**
 * An Ingress encrypts the hop to its backends: its controller speaks HTTPS to them
 * (`alb.ingress.kubernetes.io/backend-protocol: HTTPS`, or ingress-nginx's `HTTPS`/`GRPCS`), or the backends sit
 * behind the mesh (their namespace is enrolled with a namespace-wide STRICT PeerAuthentication, so only a mesh
 * client such as an ingress gateway can reach them, over mTLS). Otherwise the load balancer decrypts the client's
 * TLS and forwards requests, cookies and tokens in plaintext across the VPC.
 *
 * Severity: medium. Level: mandatory.
 * Controls: Groundwork ZT.2 (the Kubernetes side of CKV_AWS_378).
 */
export const ingressEnforceBackendTls: StackRule = {
    kind: "stack",
    name: "k8s-ingress-enforce-backend-tls",
    description: "An Ingress speaks HTTPS to its backends, or its namespace is in the mesh with STRICT mTLS.",
    controls: ["Groundwork ZT.2"],
    severity: "medium",
    level: "mandatory",
    judges: [K8S.ingress, MESH_TYPES.namespace, ...MESH_TYPES.peerAuthentication],
    remediation:
        "Annotate the Ingress `alb.ingress.kubernetes.io/backend-protocol: HTTPS` with backends that serve TLS, or route the load balancer to the mesh's ingress gateway and enroll the backends' namespace (label `istio.io/dataplane-mode: ambient` and a STRICT PeerAuthentication).",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const ing of resources.filter((r) => r.type === K8S.ingress)) {
            const annotations = readKnown(() => ing.props?.metadata?.annotations) ?? {};
            const encrypted = Object.entries(BACKEND_PROTOCOL_ANNOTATIONS).some(([k, ok]) => ok.includes((knownString(() => annotations[k]) ?? "").toUpperCase()));
            if (encrypted) continue;
            const ns = namespaceOf(ing);
            if (isEnrolled(resources, ns) && hasStrictNamespacePolicy(resources, ns)) continue;
            findings.push({
                urn: ing.urn,
                message: `${objectLabel(ing)} forwards to its backends in plaintext: no HTTPS backend-protocol annotation, and namespace '${ns}' is not in the mesh with a STRICT PeerAuthentication`,
            });
        }
        return findings;
    },
};
