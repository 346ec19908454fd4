import type { ResourceRule } from "@groundwork/policy-kit";
import { isDigest, parseImage, perContainer, POD_TYPES } from "../shared";

/**
 * Container images are referenced by digest (immutable), not only by tag (a tag can be moved to other content).
 *
 * Severity: low. Level: advisory.
 * Controls: CKV_K8S_43.
 */
export const podEnforceImageDigest: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-enforce-image-digest",
    description: "Container images are pinned by digest.",
    controls: ["CKV_K8S_43"],
    severity: "low",
    level: "advisory",
    remediation: "Reference the image as `repo@sha256:<digest>` (CI can write the digest it pushed into the stack config).",
    resourceTypes: POD_TYPES,
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }) => {
            if (typeof c.image !== "string" || c.image === "") return [];
            return isDigest(parseImage(c.image).digest) ? [] : [`${label}: image '${c.image}' is not pinned by digest`];
        }),
};
