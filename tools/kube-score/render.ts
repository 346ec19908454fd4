/**
 * Turns the Kubernetes resources of an offline plan (tools/plan/report.ts `PlanJson.resources`) into the manifests
 * kube-score reads: apiVersion and kind from the Pulumi type token, then the resource's inputs (metadata, spec,
 * data, ...) as the provider would send them. Pure functions; no I/O.
 */
import * as yaml from "js-yaml";
import type { PlanJson } from "../plan/report";

/** A resource as the plan JSON carries it. */
export type PlanResource = PlanJson["resources"][number];

/** One object rendered for kube-score. */
export interface RenderedObject {
    /** URN of the plan resource it comes from. */
    urn: string;
    /** Pulumi type token, e.g. `kubernetes:apps/v1:Deployment`. */
    type: string;
    /** Pulumi logical name. */
    resourceName: string;
    /** `apiVersion` of the manifest. */
    apiVersion: string;
    /** `kind` of the manifest. */
    kind: string;
    /** `metadata.name` of the manifest. */
    name: string;
    /**
     * `metadata.namespace`, `default` when unset (the provider's default namespace, as the pack assumes too);
     * `-` for the cluster-scoped kinds (`CLUSTER_SCOPED_KINDS`).
     */
    namespace: string;
    /** True when the program left `metadata.name` to Pulumi's auto-naming: the manifest carries the logical name. */
    autonamed: boolean;
    /** The manifest. */
    manifest: Record<string, unknown>;
}

/** A Kubernetes resource of the plan that is not handed to kube-score, and why. */
export interface SkippedResource {
    /** URN. */
    urn: string;
    /** Pulumi type token. */
    type: string;
    /** Logical name. */
    resourceName: string;
    /** Why it is not rendered. */
    reason: string;
}

/**
 * The kinds kube-score v1.20.0 decodes and checks (its parser/parse.go `decodeItem`); it reads any other kind
 * and ignores it silently. Rendered objects of other built-in kinds (Namespace, ServiceAccount, ...) are still
 * written to the YAML, but only these count as judged.
 */
export const KUBE_SCORE_KINDS = [
    "Pod",
    "Job",
    "CronJob",
    "Deployment",
    "StatefulSet",
    "DaemonSet",
    "NetworkPolicy",
    "Service",
    "PodDisruptionBudget",
    "Ingress",
    "HorizontalPodAutoscaler",
];

/** Built-in kinds that live outside namespaces: their key's namespace is `-`. */
export const CLUSTER_SCOPED_KINDS = [
    "Namespace",
    "Node",
    "PersistentVolume",
    "ClusterRole",
    "ClusterRoleBinding",
    "StorageClass",
    "CSIDriver",
    "CSINode",
    "VolumeAttachment",
    "PriorityClass",
    "RuntimeClass",
    "IngressClass",
    "CustomResourceDefinition",
    "APIService",
    "MutatingWebhookConfiguration",
    "ValidatingWebhookConfiguration",
    "ValidatingAdmissionPolicy",
    "ValidatingAdmissionPolicyBinding",
    "CertificateSigningRequest",
    "FlowSchema",
    "PriorityLevelConfiguration",
];

/** The parts of a Pulumi Kubernetes type token: `kubernetes:networking.k8s.io/v1:Ingress`. */
export function parseTypeToken(type: string): { group: string; version: string; kind: string } | undefined {
    const m = /^kubernetes:([^:/]+)\/([^:/]+):([A-Za-z0-9]+)$/.exec(type);
    if (!m) return undefined;
    return { group: m[1], version: m[2], kind: m[3] };
}

/** `apiVersion` of a type token's group and version: the core group has none (`v1`). */
export function apiVersionOf(group: string, version: string): string {
    return group === "core" ? version : `${group}/${version}`;
}

/** True for the API groups a Kubernetes API server serves itself (core, `apps`, `*.k8s.io`, ...); false for CRDs. */
export function isBuiltInGroup(group: string): boolean {
    return group === "core" || !group.includes(".") || group.endsWith(".k8s.io");
}

/** Why a `kubernetes:` resource is not rendered, or undefined when it is. */
export function skipReason(type: string): string | undefined {
    if (type.startsWith("kubernetes:helm.sh/")) {
        return "Helm release: the chart's objects are rendered by the provider at deploy time and are not in the plan";
    }
    const t = parseTypeToken(type);
    if (!t) return "not a single Kubernetes object (a component such as yaml/kustomize, whose objects are resources of their own)";
    if (t.kind.endsWith("Patch")) return "server-side apply patch of an object that exists already, not a whole object";
    if (t.kind.endsWith("List")) return "a list type; its items are resources of their own";
    if (!isBuiltInGroup(t.group)) return `custom resource (${t.group}): kube-score has no checks for CRD kinds`;
    return undefined;
}

const strip = <T>(v: T): T => {
    if (Array.isArray(v)) return v.map(strip) as T;
    if (v && typeof v === "object") {
        const out: Record<string, unknown> = {};
        for (const [k, x] of Object.entries(v as Record<string, unknown>)) if (x !== undefined) out[k] = strip(x);
        return out as T;
    }
    return v;
};

/** The manifest of one plan resource, or undefined when it is to be skipped (see `skipReason`). */
export function renderResource(r: PlanResource): RenderedObject | undefined {
    if (skipReason(r.type) !== undefined) return undefined;
    const t = parseTypeToken(r.type)!;
    const apiVersion = apiVersionOf(t.group, t.version);
    const { apiVersion: _a, kind: _k, metadata, ...rest } = strip(r.inputs ?? {}) as Record<string, any>;
    const meta: Record<string, any> = { ...(metadata ?? {}) };
    const autonamed = typeof meta.name !== "string" || meta.name === "";
    // Pulumi auto-names an unnamed object `<logical name>-<random suffix>` at create time; the logical name stands in.
    if (autonamed) meta.name = r.name;
    const manifest = { apiVersion, kind: t.kind, metadata: meta, ...rest };
    return {
        urn: r.urn,
        type: r.type,
        resourceName: r.name,
        apiVersion,
        kind: t.kind,
        name: meta.name,
        namespace: CLUSTER_SCOPED_KINDS.includes(t.kind) ? "-" : typeof meta.namespace === "string" && meta.namespace !== "" ? meta.namespace : "default",
        autonamed,
        manifest,
    };
}

/** Every `kubernetes:` resource of a plan, rendered or skipped (with the reason). Other resources are ignored. */
export function renderPlan(resources: PlanResource[]): { objects: RenderedObject[]; skipped: SkippedResource[] } {
    const objects: RenderedObject[] = [];
    const skipped: SkippedResource[] = [];
    for (const r of resources) {
        if (!r.type.startsWith("kubernetes:")) continue;
        const reason = skipReason(r.type);
        if (reason !== undefined) {
            skipped.push({ urn: r.urn, type: r.type, resourceName: r.name, reason });
            continue;
        }
        objects.push(renderResource(r)!);
    }
    const seen = new Map<string, RenderedObject>();
    for (const o of objects) {
        const key = objectKey(o.kind, o.namespace, o.name);
        const other = seen.get(key);
        if (other) throw new Error(`two plan resources render to the same object ${key}: ${other.urn} and ${o.urn}`);
        seen.set(key, o);
    }
    return { objects, skipped };
}

/** The identity both sides are compared by: `Kind/namespace/name` (namespace `default` when unset). */
export function objectKey(kind: string, namespace: string | undefined | null, name: string): string {
    return `${kind}/${namespace || "default"}/${name}`;
}

/**
 * `Kind/namespace/name` of any `kubernetes:` plan resource, rendered or skipped (kind from the type token; name and
 * namespace from its metadata input, the logical name when unnamed), so pack findings on skipped objects have a name.
 */
export function resourceKey(r: PlanResource): string {
    const rendered = renderResource(r);
    if (rendered) return objectKey(rendered.kind, rendered.namespace, rendered.name);
    const kind = r.type.slice(r.type.lastIndexOf(":") + 1);
    const meta = (r.inputs?.metadata ?? {}) as Record<string, unknown>;
    const name = typeof meta.name === "string" && meta.name ? meta.name : typeof r.inputs?.name === "string" && r.inputs.name ? (r.inputs.name as string) : r.name;
    const namespace = typeof meta.namespace === "string" ? meta.namespace : typeof r.inputs?.namespace === "string" ? (r.inputs.namespace as string) : undefined;
    return objectKey(kind, namespace, name);
}

/** True when kube-score decodes and checks this kind (see `KUBE_SCORE_KINDS`). */
export function isJudgedKind(kind: string): boolean {
    return KUBE_SCORE_KINDS.includes(kind);
}

/** One multi-document YAML stream of the manifests, in plan order, each headed by its Pulumi URN as a comment. */
export function toYaml(objects: RenderedObject[]): string {
    return objects.map((o) => `# ${o.urn}\n${yaml.dump(o.manifest, { noRefs: true, lineWidth: -1, sortKeys: false })}`).join("---\n");
}
