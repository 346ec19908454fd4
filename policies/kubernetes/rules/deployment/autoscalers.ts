import type { GraphResource } from "@groundwork/policy-kit";
import { K8S, knownString, namespaceOf, readKnown } from "../shared";

/** Types that scale a Deployment: HorizontalPodAutoscalers and KEDA ScaledObjects. */
export const AUTOSCALER_TYPES: string[] = [K8S.hpaV2, K8S.hpaV1, K8S.scaledObject];

/** An autoscaler that owns a Deployment's replica count. */
export interface Autoscaler {
    /** The HPA or ScaledObject. */
    r: GraphResource;
    /** `HorizontalPodAutoscaler` or `ScaledObject`. */
    kind: string;
    /** Its lowest replica count (HPA `minReplicas`, default 1; KEDA `minReplicaCount`, default 0). */
    min: number;
}

/**
 * The autoscalers targeting a Deployment: HPAs (v1, v2) whose `scaleTargetRef` is `Deployment/<name>`, and KEDA
 * ScaledObjects whose `scaleTargetRef.name` is the name (kind defaults to Deployment), in the same namespace.
 * When a name is unknown (preview), a dependency on the Deployment counts as the reference.
 */
export function autoscalersOf(d: GraphResource, resources: GraphResource[]): Autoscaler[] {
    const ns = namespaceOf(d);
    const name = knownString(() => d.props?.metadata?.name);
    const targets = (a: GraphResource) => {
        if (namespaceOf(a) !== ns) return false;
        const ref = readKnown(() => a.props?.spec?.scaleTargetRef) ?? {};
        const kind = knownString(() => ref.kind) ?? (a.type === K8S.scaledObject ? "Deployment" : undefined);
        if (kind !== undefined && kind !== "Deployment") return false;
        const target = knownString(() => ref.name);
        return target !== undefined && name !== undefined ? target === name : a.dependencyUrns.includes(d.urn);
    };
    return resources.filter((a) => AUTOSCALER_TYPES.includes(a.type) && targets(a)).map(asAutoscaler);
}

/** An HPA or ScaledObject with its kind and lowest replica count (HPA default 1, KEDA default 0). */
export function asAutoscaler(a: GraphResource): Autoscaler {
    return a.type === K8S.scaledObject
        ? { r: a, kind: "ScaledObject", min: Number(readKnown(() => a.props?.spec?.minReplicaCount) ?? 0) }
        : { r: a, kind: "HorizontalPodAutoscaler", min: Number(readKnown(() => a.props?.spec?.minReplicas) ?? 1) };
}
