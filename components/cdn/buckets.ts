import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ChildScope, Transform } from "../base";
import type { CdnTransforms } from "./args";
import { staticBucketPolicy } from "./documents";

/** Default encryption of a bucket: SSE-S3, or SSE-KMS with the given key. */
export type BucketEncryption = { sseAlgorithm: "AES256" } | { sseAlgorithm: "aws:kms"; kmsMasterKeyId: pulumi.Input<string> };

/** A private S3 bucket with everything Groundwork requires of one, as built by {@link declarePrivateBucket}. */
export interface PrivateBucket {
    /** The bucket. */
    readonly bucket: aws.s3.Bucket;
    /** Its Block Public Access settings (all four flags on). */
    readonly publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    /** Its ownership controls (`BucketOwnerEnforced`: ACLs off). */
    readonly ownership: aws.s3.BucketOwnershipControls;
}

/** The two buckets of a Cdn. */
export interface CdnBuckets {
    /** Log bucket: CloudFront access logs and the static bucket's S3 access logs (SSE-S3, lifecycle = log retention). */
    readonly logs: PrivateBucket;
    /** Static assets bucket, read by the distribution through Origin Access Control. */
    readonly assets: PrivateBucket;
}

/** A bucket with all four Block Public Access flags, ACLs disabled, default encryption and versioning. */
export function declarePrivateBucket(
    scope: ChildScope,
    part: string,
    stateful: pulumi.CustomResourceOptions,
    forceDestroy: boolean,
    sse: BucketEncryption,
    t: { bucket?: Transform<aws.s3.BucketArgs>; publicAccessBlock?: Transform<aws.s3.BucketPublicAccessBlockArgs> } = {},
): PrivateBucket {
    const bucket = new aws.s3.Bucket(...applyTransform(t.bucket, scope.name(part), { forceDestroy, tags: scope.tags(part) }, scope.opts(stateful)));
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
        ...applyTransform(
            t.publicAccessBlock,
            scope.name(`${part}-public-access-block`),
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            scope.opts(),
        ),
    );
    const ownership = new aws.s3.BucketOwnershipControls(scope.name(`${part}-ownership`), { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, scope.opts());
    new aws.s3.BucketServerSideEncryptionConfiguration(
        scope.name(`${part}-encryption`),
        { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: sse, bucketKeyEnabled: sse.sseAlgorithm === "aws:kms" }] },
        scope.opts(),
    );
    new aws.s3.BucketVersioning(scope.name(`${part}-versioning`), { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, scope.opts());
    return { bucket, publicAccessBlock, ownership };
}

/**
 * Declares the log bucket (objects expire after `logRetentionDays`) and the static assets bucket (SSE-KMS with
 * `kmsKeyArn` when given, noncurrent versions expire after `noncurrentVersionDays`). Both are stateful: protected
 * and retained under `protect`, `forceDestroy` otherwise so a dev stack can be destroyed.
 */
export function declareBuckets(
    scope: ChildScope,
    settings: { protect: boolean; stateful: pulumi.CustomResourceOptions; logRetentionDays: number; noncurrentVersionDays: number; kmsKeyArn?: pulumi.Input<string> },
    t: CdnTransforms = {},
): CdnBuckets {
    const logs = declarePrivateBucket(scope, "logs", settings.stateful, !settings.protect, { sseAlgorithm: "AES256" }, { bucket: t.logBucket, publicAccessBlock: t.publicAccessBlock });
    new aws.s3.BucketLifecycleConfiguration(
        scope.name("logs-lifecycle"),
        {
            bucket: logs.bucket.id,
            rules: [
                {
                    id: "expire-logs",
                    status: "Enabled",
                    filter: { prefix: "" },
                    expiration: { days: settings.logRetentionDays },
                    noncurrentVersionExpiration: { noncurrentDays: 30 },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        scope.opts(),
    );

    const assets = declarePrivateBucket(
        scope,
        "static",
        settings.stateful,
        !settings.protect,
        settings.kmsKeyArn !== undefined ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: settings.kmsKeyArn } : { sseAlgorithm: "AES256" },
        { bucket: t.staticBucket, publicAccessBlock: t.publicAccessBlock },
    );
    new aws.s3.BucketLifecycleConfiguration(
        scope.name("static-lifecycle"),
        {
            bucket: assets.bucket.id,
            rules: [
                {
                    id: "expire-noncurrent-versions",
                    status: "Enabled",
                    filter: { prefix: "" },
                    expiration: { expiredObjectDeleteMarker: true },
                    noncurrentVersionExpiration: { noncurrentDays: settings.noncurrentVersionDays },
                    abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                },
            ],
        },
        scope.opts(),
    );
    return { logs, assets };
}

/**
 * The static bucket's policy: TLS only, and `s3:GetObject` for CloudFront on behalf of this distribution only
 * ({@link staticBucketPolicy}). Declared after the distribution, whose ARN it names.
 */
export function declareStaticBucketPolicy(scope: ChildScope, assets: PrivateBucket, distributionArn: pulumi.Output<string>, t: CdnTransforms = {}): aws.s3.BucketPolicy {
    return new aws.s3.BucketPolicy(
        ...applyTransform(
            t.staticBucketPolicy,
            scope.name("static-policy"),
            {
                bucket: assets.bucket.id,
                policy: pulumi.all([assets.bucket.arn, distributionArn]).apply(([bucketArn, dist]) => JSON.stringify(staticBucketPolicy(bucketArn, dist))),
            },
            scope.opts({ dependsOn: [assets.publicAccessBlock, assets.ownership] }),
        ),
    );
}
