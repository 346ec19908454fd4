/**
 * How the mesh rules read a namespace's enrollment: the ambient label on a Namespace (or NamespacePatch) the program
 * declares, and its Istio PeerAuthentications. Pure functions, no rules here.
 */
import { knownString, readKnown, type GraphResource } from "@groundwork/policy-kit";
import { kindOf, namespaceOf } from "../shared";

/** Type tokens the mesh rules read. */
export const MESH_TYPES = {
    namespace: "kubernetes:core/v1:Namespace",
    namespacePatch: "kubernetes:core/v1:NamespacePatch",
    peerAuthentication: ["kubernetes:security.istio.io/v1:PeerAuthentication", "kubernetes:security.istio.io/v1beta1:PeerAuthentication"],
    release: "kubernetes:helm.sh/v3:Release",
} as const;

/** The label (and value) that enrolls a namespace in Istio's ambient mesh. */
export const AMBIENT_LABEL = { key: "istio.io/dataplane-mode", value: "ambient" } as const;

/** Namespaces of the cluster itself, never enrolled (the kubelet and the control plane call into them). */
export const SYSTEM_NAMESPACES = ["kube-system", "kube-public", "kube-node-lease"];

/** Istio's own charts: their releases' namespaces are the mesh's own (istio-cni and ztunnel cannot be in the mesh). */
const ISTIO_CHARTS = ["base", "istiod", "cni", "ztunnel"];

/** The mesh's own namespaces: `istio-system` and the namespaces of the program's Istio control-plane releases. */
export function meshOwnNamespaces(resources: GraphResource[]): Set<string> {
    const out = new Set(["istio-system"]);
    for (const r of resources.filter((x) => x.type === MESH_TYPES.release)) {
        const chart = knownString(() => r.props?.chart);
        const repo = knownString(() => r.props?.repositoryOpts?.repo) ?? "";
        const ns = knownString(() => r.props?.namespace);
        if (chart && ISTIO_CHARTS.includes(chart) && repo.includes("istio") && ns) out.add(ns);
    }
    return out;
}

/** The Namespace or NamespacePatch objects the program declares for `ns`. */
export function namespaceObjects(resources: GraphResource[], ns: string): GraphResource[] {
    return resources.filter((r) => (r.type === MESH_TYPES.namespace || r.type === MESH_TYPES.namespacePatch) && knownString(() => r.props?.metadata?.name) === ns);
}

/** Whether the program labels `ns` for the ambient mesh. */
export function isEnrolled(resources: GraphResource[], ns: string): boolean {
    return namespaceObjects(resources, ns).some((r) => readKnown(() => r.props?.metadata?.labels?.[AMBIENT_LABEL.key]) === AMBIENT_LABEL.value);
}

/** The PeerAuthentications of a namespace. */
export function peerAuthentications(resources: GraphResource[], ns: string): GraphResource[] {
    return resources.filter((r) => (MESH_TYPES.peerAuthentication as readonly string[]).includes(r.type) && namespaceOf(r) === ns);
}

/** Whether a PeerAuthentication applies to the whole namespace (no selector, or one with no labels). */
export function isNamespaceWide(pa: GraphResource): boolean {
    const selector = readKnown(() => pa.props?.spec?.selector);
    return selector === undefined || selector === null || Object.keys(selector?.matchLabels ?? {}).length === 0;
}

/** `spec.mtls.mode` of a PeerAuthentication, upper-cased (undefined: unset, which inherits the mesh's). */
export function mtlsMode(pa: GraphResource): string | undefined {
    return knownString(() => pa.props?.spec?.mtls?.mode)?.toUpperCase();
}

/** Whether `ns` has a namespace-wide STRICT PeerAuthentication. */
export function hasStrictNamespacePolicy(resources: GraphResource[], ns: string): boolean {
    return peerAuthentications(resources, ns).some((pa) => isNamespaceWide(pa) && mtlsMode(pa) === "STRICT");
}

/** How messages name a PeerAuthentication. */
export function paLabel(pa: GraphResource): string {
    return `${kindOf(pa.type)} '${knownString(() => pa.props?.metadata?.name) ?? pa.name}'`;
}
