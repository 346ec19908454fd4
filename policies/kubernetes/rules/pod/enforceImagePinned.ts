import type { ResourceRule } from "@groundwork/policy-kit";
import { isDigest, isPodPatch, parseImage, perContainer, POD_PATCH_TYPES, POD_TYPES } from "../shared";

/**
 * Every container's image is pinned: a digest, or a tag other than `latest` (no tag means `latest`). A mutable tag
 * makes a rollback or a node's re-pull run different code than was reviewed.
 * Also judges the patches of pod-bearing objects (`DeploymentPatch`, ...): a value a patch sets is deployed.
 *
 * Severity: high. Level: mandatory.
 * Controls: kube-score container-image-tag, Polaris tagNotSpecified, CKV_K8S_14, KSV-0013.
 */
export const podEnforceImagePinned: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-enforce-image-pinned",
    description: "Container images are pinned by digest or by a tag other than latest.",
    controls: ["kube-score container-image-tag", "Polaris tagNotSpecified", "CKV_K8S_14", "KSV-0013"],
    severity: "high",
    level: "mandatory",
    remediation: "Reference the image by digest (`repo@sha256:<digest>`, preferred) or by a version tag (`repo:1.4.2`).",
    resourceTypes: [...POD_TYPES, ...POD_PATCH_TYPES],
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }) => {
            const image = c.image;
            if (isPodPatch(ctx.type) && (image === undefined || image === null)) return []; // the patch keeps the live image
            if (typeof image !== "string" || image === "") return [`${label} has no image`];
            const ref = parseImage(image);
            if (ref.digest !== undefined) return isDigest(ref.digest) ? [] : [`${label}: image '${image}' has a malformed digest`];
            if (!ref.tag) return [`${label}: image '${image}' has no tag (it resolves to latest)`];
            if (ref.tag === "latest") return [`${label}: image '${image}' uses the tag latest`];
            return [];
        }),
};
