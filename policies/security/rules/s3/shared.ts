/**
 * Helpers shared by the s3 rules: type tokens, which configuration resources refer to which bucket, and how a
 * bucket policy statement's principal and conditions are judged. Pure functions, no rules here.
 */
import { asArray, type GraphResource } from "@groundwork/policy-kit";
import { readKnown, refersTo } from "@groundwork/policy-kit";

/** Pulumi type tokens the s3 rules look at. */
export const S3_TYPES = {
    bucket: "aws:s3/bucket:Bucket",
    bucketV2: "aws:s3/bucketV2:BucketV2",
    publicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    accountPublicAccessBlock: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    ownershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    encryptionV2: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    versioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
} as const;

/** Types of general purpose buckets (the deprecated BucketV2 included). */
export const BUCKET_TYPES: readonly string[] = [S3_TYPES.bucket, S3_TYPES.bucketV2];

/** The buckets of a graph. */
export function bucketsOf(resources: GraphResource[]): GraphResource[] {
    return resources.filter((r) => BUCKET_TYPES.includes(r.type));
}

/**
 * The resources of the given types whose `bucket` prop names this bucket: by value (bucket name or id) when
 * both are known, by dependency otherwise (see `refersTo`).
 */
export function configsOf(bucket: GraphResource, types: readonly string[], resources: GraphResource[]): GraphResource[] {
    return resources.filter(
        (r) => types.includes(r.type) && refersTo(r, () => r.props.bucket, bucket, [() => bucket.props.bucket, () => bucket.props.id]),
    );
}

/** How messages name a bucket: its logical name, and the physical name when known. */
export function bucketLabel(bucket: GraphResource): string {
    const physical = readKnown(() => bucket.props.bucket);
    return typeof physical === "string" && physical !== "" && physical !== bucket.name ? `bucket '${bucket.name}' (${physical})` : `bucket '${bucket.name}'`;
}

/** How messages name a statement: `Statement[1] (AllowRead)`. */
export function statementLabel(s: Record<string, any>, i: number): string {
    return `Statement[${i}]${typeof s.Sid === "string" && s.Sid ? ` (${s.Sid})` : ""}`;
}

/** True when a Principal element grants everyone: `"*"` or `"*"` under `AWS` (or any principal type). */
export function isWildcardPrincipal(principal: unknown): boolean {
    if (principal === "*") return true;
    if (!principal || typeof principal !== "object") return false;
    return Object.values(principal as Record<string, unknown>).some((v) => asArray(v).includes("*"));
}

/** The service principals (`cloudfront.amazonaws.com`, ...) a Principal element names. */
export function servicePrincipals(principal: unknown): string[] {
    if (!principal || typeof principal !== "object") return [];
    const entry = Object.entries(principal as Record<string, unknown>).find(([k]) => k.toLowerCase() === "service");
    return entry ? asArray(entry[1]).filter((v): v is string => typeof v === "string") : [];
}

/** Condition keys that tie a service principal's request to a resource or account (confused-deputy protection). */
export const SOURCE_CONDITION_KEYS: readonly string[] = ["aws:SourceArn", "aws:SourceAccount", "aws:SourceOrgID", "aws:SourceOrgPaths"];

const SOURCE_KEYS = new Set(SOURCE_CONDITION_KEYS.map((k) => k.toLowerCase()));
const POSITIVE_OPERATORS = new Set(["stringequals", "stringequalsignorecase", "stringlike", "arnequals", "arnlike"]);

/**
 * True when a Condition pins the source: a positive operator (StringEquals, StringLike, ArnEquals, ArnLike)
 * on one of {@link SOURCE_CONDITION_KEYS} (keys are case-insensitive) with concrete values (not `*`).
 * `...IfExists` and `ForAllValues:` operators do not count: both are true when the key is absent.
 */
export function pinsSource(condition: unknown): boolean {
    if (!condition || typeof condition !== "object") return false;
    for (const [op, block] of Object.entries(condition as Record<string, unknown>)) {
        const lower = op.toLowerCase();
        if (lower.startsWith("forallvalues:") || lower.endsWith("ifexists")) continue;
        if (!POSITIVE_OPERATORS.has(lower.replace(/^foranyvalue:/, "")) || !block || typeof block !== "object") continue;
        for (const [key, values] of Object.entries(block as Record<string, unknown>)) {
            const vs = asArray(values);
            if (SOURCE_KEYS.has(key.toLowerCase()) && vs.length > 0 && vs.every((v) => typeof v === "string" && v.replace(/[*?]/g, "") !== "")) return true;
        }
    }
    return false;
}
