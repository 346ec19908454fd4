/**
 * Helpers shared by the s3 rules: type tokens, which configuration resources refer to which bucket, and how a
 * bucket policy statement's principal and conditions are judged. Pure functions, no rules here.
 */
import { type GraphResource } from "@groundwork/policy-kit";
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
    accessPoint: "aws:s3/accessPoint:AccessPoint",
    accessPointPolicy: "aws:s3control/accessPointPolicy:AccessPointPolicy",
    vectorBucketPolicy: "aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy",
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

// How a policy statement's principal and conditions are judged is shared with the other resource policies.
export { isWildcardPrincipal, pinsSource, servicePrincipals, SOURCE_CONDITION_KEYS, statementLabel } from "../resourcePolicy";
