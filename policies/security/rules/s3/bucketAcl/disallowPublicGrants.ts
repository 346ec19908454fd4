import type { ResourceRule } from "@groundwork/policy-kit";
import { S3_TYPES } from "../shared";

/** The types through which an ACL reaches a bucket or an object (besides the buckets of {@link S3_TYPES}). */
const ACL_TYPES = {
    bucketAcl: "aws:s3/bucketAcl:BucketAcl",
    bucketAclV2: "aws:s3/bucketAclV2:BucketAclV2",
    bucketObject: "aws:s3/bucketObject:BucketObject",
    bucketObjectV2: "aws:s3/bucketObjectv2:BucketObjectv2",
    objectCopy: "aws:s3/objectCopy:ObjectCopy",
} as const;

/** The grantee groups that make a grant public, and who they are. */
const PUBLIC_GROUPS: Readonly<Record<string, string>> = { AllUsers: "anyone on the internet", AuthenticatedUsers: "any AWS account" };

/** Canned ACLs that grant a public group access, with the group and the permissions. */
const PUBLIC_CANNED_ACLS: Readonly<Record<string, { group: string; permissions: string }>> = {
    "public-read": { group: "AllUsers", permissions: "READ" },
    "public-read-write": { group: "AllUsers", permissions: "READ and WRITE" },
    "authenticated-read": { group: "AuthenticatedUsers", permissions: "READ" },
};

/** The public group a grantee URI names (`http://acs.amazonaws.com/groups/global/AllUsers` gives `AllUsers`), if any. */
function publicGroupOf(uri: unknown): string | undefined {
    if (typeof uri !== "string") return undefined;
    const m = /^https?:\/\/acs\.amazonaws\.com\/groups\/global\/([A-Za-z]+)\/?$/i.exec(uri.trim());
    return m ? Object.keys(PUBLIC_GROUPS).find((g) => g.toLowerCase() === m[1].toLowerCase()) : undefined;
}

/** What a grant's permissions say: `READ`, `READ and WRITE`; `access` when none are given. */
function permissionsOf(p: unknown): string {
    const list = (Array.isArray(p) ? p : [p]).filter((x): x is string => typeof x === "string" && x !== "");
    return list.length === 0 ? "access" : list.length === 1 ? list[0] : `${list.slice(0, -1).join(", ")} and ${list[list.length - 1]}`;
}

/**
 * No bucket or object is made public through an ACL: a canned `acl` of `public-read`, `public-read-write` or
 * `authenticated-read`, or a grant to the AllUsers or AuthenticatedUsers group
 * (`http://acs.amazonaws.com/groups/global/AllUsers`, `.../AuthenticatedUsers`). Checks `acl` and
 * `accessControlPolicy.grants[].grantee.uri` of `aws.s3.BucketAcl` and `aws.s3.BucketAclV2`; the deprecated inline
 * `acl` and `grants[].uri` of `aws.s3.Bucket` and `aws.s3.BucketV2`; `acl` of `aws.s3.BucketObject` and
 * `aws.s3.BucketObjectv2`; `acl` and `grants[].uri` of `aws.s3.ObjectCopy`. The grant is judged whatever the
 * bucket's public access block says (`ignorePublicAcls` may neutralise it, but the intent is still to publish).
 *
 * Severity: critical. Level: mandatory.
 * Controls: FSBP S3.2, FSBP S3.3, CKV_AWS_20, CKV_AWS_57, AWS-0092.
 */
export const bucketAclDisallowPublicGrants: ResourceRule = {
    kind: "resource",
    name: "aws-s3-bucketacl-disallow-public-grants",
    description: "S3 bucket and object ACLs grant nothing to the AllUsers or AuthenticatedUsers groups (no public-read, public-read-write or authenticated-read).",
    controls: ["FSBP S3.2", "FSBP S3.3", "CKV_AWS_20", "CKV_AWS_57", "AWS-0092"],
    severity: "critical",
    level: "mandatory",
    remediation:
        "Use the `private` ACL (or none: disable ACLs with BucketOwnerEnforced ownership controls), grant access to named principals in a bucket policy, and serve public content through CloudFront with Origin Access Control.",
    resourceTypes: [
        ACL_TYPES.bucketAclV2,
        ACL_TYPES.bucketAcl,
        S3_TYPES.bucket,
        S3_TYPES.bucketV2,
        ACL_TYPES.bucketObject,
        ACL_TYPES.bucketObjectV2,
        ACL_TYPES.objectCopy,
    ],
    check(props) {
        const messages: string[] = [];
        const acl = typeof props.acl === "string" ? props.acl.trim().toLowerCase() : undefined;
        const canned = acl === undefined ? undefined : PUBLIC_CANNED_ACLS[acl];
        if (canned) messages.push(`acl is '${props.acl}': the ${canned.group} group (${PUBLIC_GROUPS[canned.group]}) gets ${canned.permissions}`);
        const grantee = (path: string, uri: unknown, permissions: unknown) => {
            const group = publicGroupOf(uri);
            if (group) messages.push(`${path} is the ${group} group (${PUBLIC_GROUPS[group]}), granted ${permissionsOf(permissions)}`);
        };
        const acp = props.accessControlPolicy;
        const acpGrants = acp && typeof acp === "object" && Array.isArray(acp.grants) ? acp.grants : [];
        acpGrants.forEach((g: Record<string, any> | undefined, i: number) => grantee(`accessControlPolicy.grants[${i}].grantee.uri`, g?.grantee?.uri, g?.permission));
        const grants = Array.isArray(props.grants) ? props.grants : [];
        grants.forEach((g: Record<string, any> | undefined, i: number) => grantee(`grants[${i}].uri`, g?.uri, g?.permissions));
        return messages;
    },
};
