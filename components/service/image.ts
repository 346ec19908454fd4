/** A container image reference split into its parts. */
export interface ImageRef {
    /** Everything before the tag and digest: `[registry[:port]/]path`. */
    repository: string;
    /** The tag, when given (`1.4.2` in `app:1.4.2`). */
    tag?: string;
    /** The digest, when given (`sha256:<64 hex>`). */
    digest?: string;
}

const DIGEST = /^sha256:[a-f0-9]{64}$/;

/**
 * Splits an image reference (`registry:5000/team/app:1.4.2@sha256:...`) into repository, tag and digest.
 * A `:` before the last `/` belongs to the registry's port, not to a tag. Pure.
 */
export function parseImageRef(image: string): ImageRef {
    const at = image.indexOf("@");
    const name = at >= 0 ? image.slice(0, at) : image;
    const digest = at >= 0 ? image.slice(at + 1) : undefined;
    const colon = name.lastIndexOf(":");
    const tagged = colon > name.lastIndexOf("/");
    return {
        repository: tagged ? name.slice(0, colon) : name,
        tag: tagged ? name.slice(colon + 1) : undefined,
        digest,
    };
}

/**
 * Why an image reference is not pinned, or undefined when it is: it must carry a digest (`@sha256:<64 hex>`,
 * preferred: immutable) or a tag other than `latest`. Pure.
 */
export function imagePinProblem(image: string): string | undefined {
    if (typeof image !== "string" || image.trim() === "") return "the image is empty";
    const ref = parseImageRef(image.trim());
    if (ref.repository === "") return `'${image}' has no repository`;
    if (ref.digest !== undefined) {
        return DIGEST.test(ref.digest) ? undefined : `'${image}' has a malformed digest (expected @sha256:<64 lower-case hex>)`;
    }
    if (ref.tag === undefined || ref.tag === "") return `'${image}' has no tag, so it resolves to 'latest'`;
    if (ref.tag === "latest") return `'${image}' uses the mutable tag 'latest'`;
    return undefined;
}
