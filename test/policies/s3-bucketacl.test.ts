import { bucketAclDisallowPublicGrants } from "../../policies/security/rules/s3/bucketAcl/disallowPublicGrants";
import { ruleTable } from "../support/ruleTable";

const ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers";
const AUTHENTICATED = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
const LOG_DELIVERY = "http://acs.amazonaws.com/groups/s3/LogDelivery";
const publicRead = "acl is 'public-read': the AllUsers group (anyone on the internet) gets READ";

describe("aws-s3-bucketacl-disallow-public-grants", () => {
    describe("aws.s3.BucketAclV2: canned acl", () => {
        ruleTable(bucketAclDisallowPublicGrants, { bucket: "reports", acl: "private" }, [
            ["public-read", (p) => (p.acl = "public-read"), [publicRead]],
            ["public-read-write", (p) => (p.acl = "public-read-write"), ["acl is 'public-read-write': the AllUsers group (anyone on the internet) gets READ and WRITE"]],
            ["authenticated-read", (p) => (p.acl = "authenticated-read"), ["acl is 'authenticated-read': the AuthenticatedUsers group (any AWS account) gets READ"]],
            ["upper case", (p) => (p.acl = "Public-Read"), ["acl is 'Public-Read': the AllUsers group (anyone on the internet) gets READ"]],
            ["passes: log-delivery-write (a service group, not the public)", (p) => (p.acl = "log-delivery-write"), []],
            ["passes: bucket-owner-full-control", (p) => (p.acl = "bucket-owner-full-control"), []],
            ["passes: no acl", (p) => delete p.acl, []],
        ]);
    });

    describe("aws.s3.BucketAcl: accessControlPolicy grants", () => {
        const owner = { id: "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" };
        ruleTable(
            bucketAclDisallowPublicGrants,
            {
                bucket: "reports",
                accessControlPolicy: {
                    owner,
                    grants: [
                        { grantee: { type: "CanonicalUser", id: owner.id }, permission: "FULL_CONTROL" },
                        { grantee: { type: "Group", uri: LOG_DELIVERY }, permission: "WRITE" },
                    ],
                },
            },
            [
                [
                    "a READ grant to AllUsers",
                    (p) => p.accessControlPolicy.grants.push({ grantee: { type: "Group", uri: ALL_USERS }, permission: "READ" }),
                    [`accessControlPolicy.grants[2].grantee.uri is the AllUsers group (anyone on the internet), granted READ`],
                ],
                [
                    "a WRITE_ACP grant to AuthenticatedUsers over https",
                    (p) => p.accessControlPolicy.grants.push({ grantee: { type: "Group", uri: AUTHENTICATED.replace("http:", "https:") }, permission: "WRITE_ACP" }),
                    [`accessControlPolicy.grants[2].grantee.uri is the AuthenticatedUsers group (any AWS account), granted WRITE_ACP`],
                ],
                [
                    "canned acl and a grant together",
                    (p) => ((p.acl = "public-read"), p.accessControlPolicy.grants.push({ grantee: { type: "Group", uri: ALL_USERS }, permission: "FULL_CONTROL" })),
                    [publicRead, `accessControlPolicy.grants[2].grantee.uri is the AllUsers group (anyone on the internet), granted FULL_CONTROL`],
                ],
                ["passes: a grant to another account's canonical user", (p) => p.accessControlPolicy.grants.push({ grantee: { type: "CanonicalUser", id: "abc" }, permission: "READ" }), []],
                ["passes: a group URI that is not global", (p) => (p.accessControlPolicy.grants[1].grantee.uri = "http://acs.amazonaws.com/groups/s3/AllUsersLike"), []],
                ["passes: no grants", (p) => delete p.accessControlPolicy.grants, []],
            ],
            { type: "aws:s3/bucketAcl:BucketAcl" },
        );
    });

    describe.each([["aws:s3/bucket:Bucket"], ["aws:s3/bucketV2:BucketV2"]])("%s: the deprecated inline acl and grants", (type) => {
        ruleTable(
            bucketAclDisallowPublicGrants,
            { bucket: "site", grants: [{ type: "CanonicalUser", id: "abc", permissions: ["FULL_CONTROL"] }] },
            [
                ["acl public-read", (p) => (p.acl = "public-read"), [publicRead]],
                [
                    "grants[].uri AllUsers",
                    (p) => p.grants.push({ type: "Group", uri: ALL_USERS, permissions: ["READ", "READ_ACP"] }),
                    ["grants[1].uri is the AllUsers group (anyone on the internet), granted READ and READ_ACP"],
                ],
                ["passes: acl private", (p) => (p.acl = "private"), []],
            ],
            { type },
        );
    });

    describe.each([["aws:s3/bucketObject:BucketObject"], ["aws:s3/bucketObjectv2:BucketObjectv2"]])("%s: acl", (type) => {
        ruleTable(
            bucketAclDisallowPublicGrants,
            { bucket: "site", key: "index.html", content: "<html></html>", contentType: "text/html" },
            [
                ["public-read", (p) => (p.acl = "public-read"), [publicRead]],
                ["authenticated-read", (p) => (p.acl = "authenticated-read"), ["acl is 'authenticated-read': the AuthenticatedUsers group (any AWS account) gets READ"]],
                ["passes: bucket-owner-read", (p) => (p.acl = "bucket-owner-read"), []],
            ],
            { type },
        );
    });

    describe("aws.s3.ObjectCopy: acl and grants", () => {
        ruleTable(
            bucketAclDisallowPublicGrants,
            { bucket: "dest", key: "report.pdf", source: "src/report.pdf", acl: "private" },
            [
                ["public-read-write", (p) => (p.acl = "public-read-write"), ["acl is 'public-read-write': the AllUsers group (anyone on the internet) gets READ and WRITE"]],
                ["grants[].uri AuthenticatedUsers", (p) => (p.grants = [{ type: "Group", uri: AUTHENTICATED, permissions: ["READ"] }]), ["grants[0].uri is the AuthenticatedUsers group (any AWS account), granted READ"]],
                ["passes: a grant by email", (p) => (p.grants = [{ type: "AmazonCustomerByEmail", email: "ops@example.com", permissions: ["READ"] }]), []],
            ],
            { type: "aws:s3/objectCopy:ObjectCopy" },
        );
    });
});
