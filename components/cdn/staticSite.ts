import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { ArgumentError, BaseArgs, GroundworkComponent } from "../base";
import { ONE_YEAR_SECONDS } from "./documents";

/** The document served at `/` (the distribution's `defaultRootObject`) and `/index.html`, from the bucket's root. */
export const INDEX_DOCUMENT = "index.html";

/** Key prefix of the fingerprinted assets: what the `/static/*` behaviour serves for a year. */
export const STATIC_KEY_PREFIX = "static/";

/** `Cache-Control` of a fingerprinted asset: its name changes whenever its content does, so it never needs revalidating. */
export const IMMUTABLE_CACHE_CONTROL = `public, max-age=${ONE_YEAR_SECONDS}, immutable`;

/**
 * `Cache-Control` of `index.html`: browsers revalidate it on every load, so a deploy reaches them as soon as the
 * CDN's short index TTL ({@link indexCachePolicySettings}) lets the new one through.
 */
export const INDEX_CACHE_CONTROL = "no-cache";

/** Content types by file extension: the only kinds of file a static site may hold (an unknown one is an error, not `application/octet-stream`). */
export const STATIC_CONTENT_TYPES: Readonly<Record<string, string>> = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
    ".txt": "text/plain; charset=utf-8",
};

/** A fingerprinted name: `<name>-<hash>.<ext>` or `<name>.<hash>.<ext>` with a hash of 8 or more URL-safe characters (Vite's is 8). */
const FINGERPRINTED = /[.-][A-Za-z0-9_-]{8,}\.[A-Za-z0-9]+$/;

/** One file of a built static site, as {@link staticSiteFiles} reads it. */
export interface StaticSiteFile {
    /** Object key in the bucket, which is also the URL path without its leading `/`. */
    readonly key: string;
    /** Absolute path of the file. */
    readonly file: string;
    /** `Content-Type` of the object. */
    readonly contentType: string;
    /** `Cache-Control` of the object. */
    readonly cacheControl: string;
    /** SHA-256 of the content (hex): the object's `sourceHash`, so a changed file is an update in the plan. */
    readonly sha256: string;
}

/** Every file under `dir`, depth first, as paths relative to `dir` with `/` separators, sorted. */
function listFiles(dir: string, rel = ""): string[] {
    const out: string[] = [];
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
        const r = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) out.push(...listFiles(dir, r));
        else out.push(r);
    }
    return out.sort();
}

/**
 * Reads a built static site (for example Vite's `dist/`) laid out like the bucket and the URLs: `index.html` at the
 * top, every other file under `static/` with a content hash in its name. Each file gets its content type and cache
 * control. Throws {@link ArgumentError} for anything the distribution would serve wrongly: no `index.html`, a file
 * outside `static/` (no behaviour routes it to the bucket), a name without a hash under `static/` (it would be cached
 * for a year and could never change), or an unknown extension.
 * @param dir The built site's folder.
 * @param component Names the caller in error messages.
 */
export function staticSiteFiles(dir: string, component = "StaticSite"): StaticSiteFile[] {
    if (!fs.existsSync(path.join(dir, INDEX_DOCUMENT))) {
        throw new ArgumentError(component, "dir", `${dir} has no ${INDEX_DOCUMENT}`, "build the site first (for the reference app: npm run build:web)");
    }
    return listFiles(dir).map((key) => {
        const file = path.join(dir, key);
        const ext = path.extname(key).toLowerCase();
        const contentType = STATIC_CONTENT_TYPES[ext];
        if (contentType === undefined) {
            throw new ArgumentError(component, "dir", `${key} has an extension with no known content type`, `use one of ${Object.keys(STATIC_CONTENT_TYPES).join(", ")}, or leave the file out of the build`);
        }
        const isIndex = key === INDEX_DOCUMENT;
        if (!isIndex && !key.startsWith(STATIC_KEY_PREFIX)) {
            throw new ArgumentError(component, "dir", `${key} is outside ${STATIC_KEY_PREFIX} (only ${INDEX_DOCUMENT} may be at the top: no behaviour serves other paths from the bucket)`, `emit assets under ${STATIC_KEY_PREFIX} (Vite: build.assetsDir "static/assets")`);
        }
        if (!isIndex && !FINGERPRINTED.test(path.posix.basename(key))) {
            throw new ArgumentError(component, "dir", `${key} has no content hash in its name, yet /static/* is cached for a year as immutable`, "fingerprint every asset (Vite does by default; keep publicDir off)");
        }
        return { key, file, contentType, cacheControl: isIndex ? INDEX_CACHE_CONTROL : IMMUTABLE_CACHE_CONTROL, sha256: createHash("sha256").update(fs.readFileSync(file)).digest("hex") };
    });
}

/** A logical resource name for an object key: its characters other than letters, digits, `.`, `_` and `-` become `-`. */
export function objectResourceName(key: string): string {
    return key.replace(/[^A-Za-z0-9._-]/g, "-");
}

/** Arguments of the {@link StaticSite} component. */
export interface StaticSiteArgs extends BaseArgs {
    /** The built site's folder ({@link staticSiteFiles} describes the layout it must have). A plain path, read at plan time. */
    readonly dir: string;
    /** Name of the bucket the distribution serves it from: a `Cdn`'s `staticBucketName`. */
    readonly bucketName: pulumi.Input<string>;
    /**
     * KMS key of the bucket's SSE-KMS default encryption (the `Cdn`'s `kmsKeyArn`; `Cdn.staticSite` passes it), so
     * each object states the same encryption as its bucket.
     * @default - SSE-S3 (`AES256`), the bucket default without a key
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
}

/**
 * A built static site uploaded to a `Cdn`'s static bucket: one `aws.s3.BucketObjectv2` per file, with its content type,
 * cache control (fingerprinted assets `public, max-age=31536000, immutable`; `index.html` `no-cache`) and the bucket's
 * encryption, so plans and policy packs see every object.
 *
 * Fingerprinted assets are retained when a later build drops them (`retainOnDelete`): a browser or edge holding the
 * previous `index.html` still loads the assets it names. They are a few kilobytes each; the bucket's versioning keeps
 * older copies of `index.html` only until `noncurrentVersionDays`.
 */
export class StaticSite extends GroundworkComponent {
    /** Object keys uploaded, sorted. */
    public readonly keys: string[];
    /** The objects, by key. */
    public readonly objects: Readonly<Record<string, aws.s3.BucketObjectv2>>;

    constructor(name: string, args: StaticSiteArgs, opts?: pulumi.ComponentResourceOptions) {
        const files = staticSiteFiles(args.dir, `StaticSite '${name}'`); // validate before anything is registered
        super("cdn", "StaticSite", name, args, opts);
        const encryption = args.kmsKeyArn !== undefined ? { serverSideEncryption: "aws:kms", kmsKeyId: args.kmsKeyArn, bucketKeyEnabled: true } : { serverSideEncryption: "AES256" };
        const objects: Record<string, aws.s3.BucketObjectv2> = {};
        for (const f of files) {
            objects[f.key] = new aws.s3.BucketObjectv2(
                this.childName(objectResourceName(f.key)),
                {
                    bucket: args.bucketName,
                    key: f.key,
                    // Relative to the working directory (the project's), so the plan is the same on every machine.
                    source: new pulumi.asset.FileAsset(path.relative(process.cwd(), f.file)),
                    sourceHash: f.sha256,
                    contentType: f.contentType,
                    cacheControl: f.cacheControl,
                    ...encryption,
                    // No tags: S3 allows 10 per object and bills tag storage; the bucket carries the stack's tags.
                },
                this.childOpts(f.key === INDEX_DOCUMENT ? {} : { retainOnDelete: true }),
            );
        }
        this.keys = files.map((f) => f.key);
        this.objects = objects;
        this.registerOutputs({ keys: this.keys });
    }
}
