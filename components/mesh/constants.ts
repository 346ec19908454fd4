/*
 * Facts of the ambient mesh that other components read (the Service's NetworkPolicy and AuthorizationPolicy, the
 * namespaces' enrollment): plain constants and pure functions, so importing them declares nothing.
 */

/** Namespace label that enrolls every pod of the namespace in the ambient mesh (ztunnel, no sidecar). */
export const AMBIENT_DATAPLANE_LABEL = { "istio.io/dataplane-mode": "ambient" } as const;

/** Pod label that keeps one pod out of an enrolled namespace's mesh (a webhook the API server calls, for example). */
export const OUT_OF_MESH_POD_LABEL = { "istio.io/dataplane-mode": "none" } as const;

/**
 * The HBONE port: ztunnel carries every mesh connection to an enrolled pod as mutual TLS on this port of the pod's
 * IP, so a NetworkPolicy that admits a mesh peer must admit it here as well as on the original port (which the
 * AuthorizationPolicy then judges by the peer's certificate).
 */
export const HBONE_PORT = 15008;

/**
 * The link-local address istio-cni rewrites the kubelet's probes to (SNAT) in an enrolled pod, so ztunnel lets them
 * through in plaintext while STRICT mTLS refuses every other non-mesh connection. A NetworkPolicy admits it on the
 * health port only.
 */
export const PROBE_SNAT_CIDR = "169.254.7.127/32";

/** Trust domain of the mesh's workload certificates (Istio's default). */
export const TRUST_DOMAIN = "cluster.local";

/**
 * The SPIFFE principal a mesh workload's certificate carries: `cluster.local/ns/<namespace>/sa/<serviceAccount>`,
 * the `source.principals` an AuthorizationPolicy admits. Pure.
 */
export function meshPrincipal(namespace: string, serviceAccountName: string): string {
    return `${TRUST_DOMAIN}/ns/${namespace}/sa/${serviceAccountName}`;
}

/** A STRICT namespace-wide PeerAuthentication (security.istio.io/v1): no plaintext connection reaches the namespace's pods. */
export function strictPeerAuthentication(namespace: string, labels: Record<string, string> = {}): Record<string, unknown> {
    return {
        apiVersion: "security.istio.io/v1",
        kind: "PeerAuthentication",
        metadata: { name: "default", namespace, labels },
        spec: { mtls: { mode: "STRICT" } },
    };
}
