import { MIN_REASON_LENGTH, readKnown, type GraphResource, type StackFinding, type StackRule } from "@groundwork/policy-kit";
import { isPodPatch, namespaceOf, objectLabel, POD_TYPES } from "../shared";
import { hasStrictNamespacePolicy, isEnrolled, isNamespaceWide, MESH_TYPES, meshOwnNamespaces, mtlsMode, namespaceObjects, paLabel, peerAuthentications, SYSTEM_NAMESPACES } from "./mesh";

/** Policy name of this rule: the key of its policy config. */
const POLICY = "k8s-namespace-enforce-mesh-mtls";
/** Policy-config property listing namespaces the rule leaves alone, each with a reason. */
export const EXCLUDED_NAMESPACES_KEY = "excludedNamespaces";
const WEAK = ["PERMISSIVE", "DISABLE"];

/** Reads `excludedNamespaces` ({ namespace, reason }[]) of the policy config: the names, and one problem per ignored entry. Pure. */
export function readExcludedNamespaces(config: Record<string, unknown> | undefined): { names: Set<string>; problems: string[] } {
    const names = new Set<string>();
    const problems: string[] = [];
    const list = config?.[EXCLUDED_NAMESPACES_KEY];
    if (list === undefined || list === null) return { names, problems };
    const at = `policy config of ${POLICY}: ${EXCLUDED_NAMESPACES_KEY}`;
    if (!Array.isArray(list)) return { names, problems: [`${at} is not a list, so it is ignored. Fix: give a list of { "namespace": "<name>", "reason": "<why>" } entries.`] };
    list.forEach((entry: unknown, i) => {
        const e = (entry && typeof entry === "object" ? entry : {}) as Record<string, unknown>;
        if (typeof e.namespace !== "string" || e.namespace === "") {
            problems.push(`${at}[${i}] has no "namespace", so it is ignored. Fix: name the namespace.`);
        } else if (String(e.reason ?? "").trim().length < MIN_REASON_LENGTH) {
            problems.push(`${at}[${i}] (${e.namespace}) has no reason (at least ${MIN_REASON_LENGTH} characters), so it is ignored. Fix: say why its workloads stay outside the mesh.`);
        } else names.add(e.namespace);
    });
    return { names, problems };
}

/**
 * In production, every namespace the program runs workloads in is in the mesh with mutual TLS required: the Namespace
 * carries `istio.io/dataplane-mode: ambient` (Istio ambient: ztunnel carries every connection as mTLS), a namespace-wide
 * PeerAuthentication (no selector) sets `mtls.mode: STRICT` (so ztunnel refuses plaintext), and no PeerAuthentication
 * there weakens it: none PERMISSIVE or DISABLE namespace-wide, and a workload-level one (a selector, or `portLevelMtls`)
 * that lets plaintext in only with the pack's exemption annotation and its reason (for a port a non-mesh client must
 * reach, served with the app's own TLS). Not judged: `kube-system`, `kube-public`, `kube-node-lease`, the mesh's own
 * namespaces (`istio-system` and those of the program's Istio releases) and the `excludedNamespaces` of the policy
 * config, each with a reason. Workloads are the pod-bearing objects the program declares; the pods a Helm release
 * renders are not visible to the pack. A namespace the program does not declare can be labelled with a NamespacePatch.
 *
 * Severity: high. Level: mandatory in prod.
 * Controls: Groundwork ZT.1 (zero trust, after NIST SP 800-207: every connection authenticated and encrypted).
 */
export const namespaceEnforceMeshMtls: StackRule = {
    kind: "stack",
    name: POLICY,
    description: "Every namespace with workloads is enrolled in the mesh with a namespace-wide STRICT PeerAuthentication that nothing weakens (prod).",
    controls: ["Groundwork ZT.1"],
    severity: "high",
    level: "mandatory-prod",
    judges: [...POD_TYPES, MESH_TYPES.namespace, ...MESH_TYPES.peerAuthentication],
    remediation:
        "Label the Namespace `istio.io/dataplane-mode: ambient` and add a PeerAuthentication without a selector with `mtls.mode: STRICT` (`NamespaceIsolation` with `mesh: true` does both); give a workload-level PERMISSIVE port the annotation `exempt.groundwork.dev/k8s-namespace-enforce-mesh-mtls: <reason>`; list a namespace that must stay outside the mesh under `excludedNamespaces` in this policy's config, with a reason.",
    config: {
        properties: {
            [EXCLUDED_NAMESPACES_KEY]: {
                type: "array",
                default: [],
                items: { type: "object", properties: { namespace: { type: "string" }, reason: { type: "string" } }, required: ["namespace"] },
            },
        },
        problems: (config) => readExcludedNamespaces(config).problems,
    },
    check(resources, ctx) {
        const skip = new Set([...SYSTEM_NAMESPACES, ...meshOwnNamespaces(resources), ...readExcludedNamespaces(ctx.config).names]);
        const workloads = new Map<string, GraphResource[]>();
        for (const w of resources.filter((r) => POD_TYPES.includes(r.type) && !isPodPatch(r.type))) {
            const ns = namespaceOf(w);
            if (!skip.has(ns)) workloads.set(ns, [...(workloads.get(ns) ?? []), w]);
        }
        const findings: StackFinding[] = [];
        for (const [ns, ws] of [...workloads.entries()].sort(([a], [b]) => a.localeCompare(b))) {
            const anchor = namespaceObjects(resources, ns)[0] ?? ws[0];
            const runs = `namespace '${ns}' runs ${objectLabel(ws[0]).replace(/ \(namespace '[^']*'\)$/, "")}${ws.length > 1 ? ` and ${ws.length - 1} more` : ""}`;
            if (!isEnrolled(resources, ns)) findings.push({ urn: anchor.urn, message: `${runs} but is not enrolled in the mesh (no istio.io/dataplane-mode: ambient label on a Namespace or NamespacePatch of the program)` });
            if (!hasStrictNamespacePolicy(resources, ns)) findings.push({ urn: anchor.urn, message: `${runs} but has no namespace-wide STRICT PeerAuthentication: ztunnel accepts plaintext connections to its pods` });
            for (const pa of peerAuthentications(resources, ns)) {
                const mode = mtlsMode(pa);
                const ports = readKnown(() => pa.props?.spec?.portLevelMtls) ?? {};
                const weakPorts = Object.entries(ports && typeof ports === "object" ? ports : {}).filter(([, v]: [string, any]) => WEAK.includes(String(v?.mode ?? "").toUpperCase()));
                if (isNamespaceWide(pa) && mode !== undefined && WEAK.includes(mode)) {
                    findings.push({ urn: pa.urn, message: `${paLabel(pa)} (namespace '${ns}') sets mtls.mode ${mode} for the whole namespace: plaintext connections reach every pod` });
                } else if (!isNamespaceWide(pa) && mode !== undefined && WEAK.includes(mode)) {
                    findings.push({ urn: pa.urn, message: `${paLabel(pa)} (namespace '${ns}') sets mtls.mode ${mode} for the pods it selects: plaintext connections reach them` });
                }
                for (const [port, v] of weakPorts) {
                    findings.push({ urn: pa.urn, message: `${paLabel(pa)} (namespace '${ns}') lets port ${port} accept plaintext (portLevelMtls ${String((v as any).mode).toUpperCase()}) without an exemption saying why` });
                }
            }
        }
        return findings;
    },
};

