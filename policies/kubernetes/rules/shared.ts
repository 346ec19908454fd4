/**
 * Helpers of the groundwork-kubernetes rules: where each pod-bearing type keeps its pod spec, the containers of a
 * pod spec (regular, init and ephemeral), label selectors, image references, and safe reads of values unknown
 * during preview. Pure functions, no rules here.
 */
import { knownString } from "@groundwork/policy-kit";

export { knownString, readKnown } from "@groundwork/policy-kit";
import type { GraphResource } from "@groundwork/policy-kit";

/** Pulumi type tokens of the Kubernetes objects the rules read. */
export const K8S = {
    deployment: "kubernetes:apps/v1:Deployment",
    statefulSet: "kubernetes:apps/v1:StatefulSet",
    daemonSet: "kubernetes:apps/v1:DaemonSet",
    replicaSet: "kubernetes:apps/v1:ReplicaSet",
    job: "kubernetes:batch/v1:Job",
    cronJob: "kubernetes:batch/v1:CronJob",
    pod: "kubernetes:core/v1:Pod",
    replicationController: "kubernetes:core/v1:ReplicationController",
    podTemplate: "kubernetes:core/v1:PodTemplate",
    service: "kubernetes:core/v1:Service",
    servicePatch: "kubernetes:core/v1:ServicePatch",
    pdb: "kubernetes:policy/v1:PodDisruptionBudget",
    networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    hpaV2: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
    hpaV1: "kubernetes:autoscaling/v1:HorizontalPodAutoscaler",
    scaledObject: "kubernetes:keda.sh/v1alpha1:ScaledObject",
} as const;

/** Every type that carries a pod spec. */
export const POD_TYPES: string[] = [K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.replicaSet, K8S.job, K8S.cronJob, K8S.pod, K8S.replicationController, K8S.podTemplate];

/**
 * Server-side-apply patches of the pod-bearing types (`kubernetes.apps.v1.DeploymentPatch`, ...): they change an
 * object created elsewhere (a Helm chart, an EKS add-on) and hold only the fields they set, so only rules that
 * flag a value that is set (privileged: true, hostNetwork: true, a hostPath, a hostPort, an image tag) judge them;
 * a field a patch leaves out keeps the live object's value, which the program cannot see.
 */
export const POD_PATCH_TYPES: string[] = POD_TYPES.map((t) => `${t}Patch`);

/** Whether a type is a patch of a pod-bearing type. */
export function isPodPatch(type: string): boolean {
    return POD_PATCH_TYPES.includes(type);
}

/** The object type a patch type changes (`...:DeploymentPatch` -> `...:Deployment`); other types unchanged. */
function patchedType(type: string): string {
    return isPodPatch(type) ? type.slice(0, -"Patch".length) : type;
}

/** Pod-bearing types whose pods run until stopped (probes make sense; Jobs and CronJobs run to completion). */
export const LONG_RUNNING_POD_TYPES: string[] = [K8S.deployment, K8S.statefulSet, K8S.daemonSet, K8S.replicaSet, K8S.pod, K8S.replicationController];

/** Kind shown in messages for a type token (`kubernetes:apps/v1:Deployment` -> `Deployment`). */
export function kindOf(type: string): string {
    return type.slice(type.lastIndexOf(":") + 1);
}

/** The pod spec of a pod-bearing object (CronJob: `spec.jobTemplate.spec.template.spec`), or undefined. */
export function podSpecOf(type: string, props: Record<string, any>): Record<string, any> | undefined {
    type = patchedType(type);
    if (type === K8S.pod) return props?.spec;
    if (type === K8S.cronJob) return props?.spec?.jobTemplate?.spec?.template?.spec;
    // A PodTemplate carries the template at the top level, not under spec.
    if (type === K8S.podTemplate) return props?.template?.spec;
    return props?.spec?.template?.spec;
}

/** Labels of the pods an object creates (Pod: its own labels). */
export function podLabelsOf(type: string, props: Record<string, any>): Record<string, string> {
    type = patchedType(type);
    if (type === K8S.pod) return props?.metadata?.labels ?? {};
    if (type === K8S.cronJob) return props?.spec?.jobTemplate?.spec?.template?.metadata?.labels ?? {};
    if (type === K8S.podTemplate) return props?.template?.metadata?.labels ?? {};
    return props?.spec?.template?.metadata?.labels ?? {};
}

/** One container of a pod spec, with the label messages use: `container 'app'`, `initContainer 'migrate'`. */
export interface ContainerRef {
    /** The container. */
    c: Record<string, any>;
    /** How messages name it. */
    label: string;
    /** Which list it is in. */
    list: "containers" | "initContainers" | "ephemeralContainers";
}

const SINGULAR = { containers: "container", initContainers: "initContainer", ephemeralContainers: "ephemeralContainer" } as const;

/** The containers of a pod spec, from the given lists (all three by default). */
export function containersOf(spec: Record<string, any> | undefined, lists: ContainerRef["list"][] = ["initContainers", "containers", "ephemeralContainers"]): ContainerRef[] {
    if (!spec) return [];
    return lists.flatMap((list) =>
        (Array.isArray(spec[list]) ? spec[list] : []).map((c: Record<string, any>, i: number) => ({
            c: c ?? {},
            label: `${SINGULAR[list]} '${c?.name ?? `#${i}`}'`,
            list,
        })),
    );
}

/** A container's security-context field, falling back to the pod's (the fields both levels have). */
export function effective(spec: Record<string, any>, c: Record<string, any>, key: "runAsNonRoot" | "runAsUser" | "runAsGroup" | "seccompProfile"): any {
    const own = c.securityContext?.[key];
    return own !== undefined && own !== null ? own : spec.securityContext?.[key];
}

/** Runs a check over every container (in the given lists) of a pod-bearing object's pod spec. */
export function perContainer(
    type: string,
    props: Record<string, any>,
    check: (ref: ContainerRef, spec: Record<string, any>) => string[],
    lists?: ContainerRef["list"][],
): string[] {
    const spec = podSpecOf(type, props);
    return containersOf(spec, lists).flatMap((ref) => check(ref, spec!));
}

/** Whether a Kubernetes label selector (`matchLabels`, `matchExpressions`) selects pods with `labels`. */
export function selectorMatches(selector: Record<string, any> | undefined | null, labels: Record<string, string>): boolean {
    if (!selector) return false;
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const e of selector.matchExpressions ?? []) {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        const values: string[] = e.values ?? [];
        if (e.operator === "In" && !(has && values.includes(labels[e.key]))) return false;
        if (e.operator === "NotIn" && has && values.includes(labels[e.key])) return false;
        if (e.operator === "Exists" && !has) return false;
        if (e.operator === "DoesNotExist" && has) return false;
    }
    return true;
}

/** Namespace of an object; unset means `default` (the provider's default namespace is not visible to policies). */
export function namespaceOf(r: GraphResource): string {
    return knownString(() => r.props?.metadata?.namespace) ?? "default";
}

/** How stack-rule messages name an object: `Deployment 'api' (namespace 'app')`. */
export function objectLabel(r: GraphResource): string {
    return `${kindOf(r.type)} '${knownString(() => r.props?.metadata?.name) ?? r.name}' (namespace '${namespaceOf(r)}')`;
}

/** An image reference split into repository, tag and digest (a `:` before the last `/` is a registry port). */
export function parseImage(image: string): { repository: string; tag?: string; digest?: string } {
    const at = image.indexOf("@");
    const name = at >= 0 ? image.slice(0, at) : image;
    const colon = name.lastIndexOf(":");
    const tagged = colon > name.lastIndexOf("/");
    return { repository: tagged ? name.slice(0, colon) : name, tag: tagged ? name.slice(colon + 1) : undefined, digest: at >= 0 ? image.slice(at + 1) : undefined };
}

/** True for a `sha256:<64 hex>` digest. */
export function isDigest(d: string | undefined): boolean {
    return typeof d === "string" && /^sha256:[a-f0-9]{64}$/.test(d);
}
