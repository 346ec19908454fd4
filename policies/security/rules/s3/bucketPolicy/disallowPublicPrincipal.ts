import type { ResourceRule } from "@groundwork/policy-kit";
import { publicGrants } from "../../resourcePolicy";
import { S3_TYPES } from "../shared";

/**
 * Bucket policies grant nothing to everyone: no `Allow` statement has a wildcard principal (`"*"`,
 * `{"AWS": "*"}`) or uses `NotPrincipal`, whatever its conditions (a public principal narrowed by conditions is
 * easy to get wrong; name the principals instead). An `Allow` to an AWS service principal (for example
 * `cloudfront.amazonaws.com`) must pin the source with a positive condition on aws:SourceArn, aws:SourceAccount,
 * aws:SourceOrgID or aws:SourceOrgPaths, or any customer's resource of that service could use the grant
 * (confused deputy). Checks every place an S3 resource policy is written: `aws.s3.BucketPolicy`, the deprecated inline
 * `policy` of a bucket, an access point's `policy` (`aws.s3.AccessPoint`, or `aws.s3control.AccessPointPolicy`), which
 * grants the bucket's objects through the access point, and a vector bucket's `aws.s3.VectorsVectorBucketPolicy`.
 *
 * Severity: critical. Level: mandatory.
 * Controls: FSBP S3.2, FSBP S3.3, CKV_AWS_70, AwsSolutions-S5.
 */
export const bucketPolicyDisallowPublicPrincipal: ResourceRule = {
    kind: "resource",
    name: "aws-s3-bucketpolicy-disallow-public-principal",
    description: "S3 bucket policies do not allow Principal \"*\" or NotPrincipal, and service principals are pinned to a source.",
    controls: ["FSBP S3.2", "FSBP S3.3", "CKV_AWS_70", "AwsSolutions-S5"],
    severity: "critical",
    level: "mandatory",
    remediation:
        "Name the principals (account roles, or a service principal with `Condition: { StringEquals: { \"AWS:SourceArn\": <resource ARN> } }`); serve public content through CloudFront with Origin Access Control instead of a public bucket.",
    resourceTypes: [S3_TYPES.bucketPolicy, S3_TYPES.bucket, S3_TYPES.bucketV2, S3_TYPES.accessPoint, S3_TYPES.accessPointPolicy, S3_TYPES.vectorBucketPolicy],
    check(props, ctx) {
        return publicGrants(props.policy, ctx.type === S3_TYPES.accessPoint ? "access point policy" : "policy");
    },
};
