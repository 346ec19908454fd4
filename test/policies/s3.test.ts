import { unknownCheckingProxy } from "@pulumi/policy";
import type { GraphResource, StackFinding, StackRule } from "@groundwork/policy-kit";
import { bucketDisallowAcls } from "../../policies/security/rules/s3/bucket/disallowAcls";
import { bucketEnableEncryption } from "../../policies/security/rules/s3/bucket/enableEncryption";
import { bucketEnableVersioning } from "../../policies/security/rules/s3/bucket/enableVersioning";
import { bucketMissingPublicAccessBlock } from "../../policies/security/rules/s3/bucket/missingPublicAccessBlock";
import { bucketMissingTlsPolicy } from "../../policies/security/rules/s3/bucket/missingTlsPolicy";
import { bucketPolicyDisallowPublicPrincipal } from "../../policies/security/rules/s3/bucketPolicy/disallowPublicPrincipal";
import { bucketPolicyEnforceTls, deniesInsecureTransport } from "../../policies/security/rules/s3/bucketPolicy/enforceTls";
import { bucketPublicAccessBlockEnableAllFlags } from "../../policies/security/rules/s3/bucketPublicAccessBlock/enableAllFlags";
import { pinsSource } from "../../policies/security/rules/s3/shared";
import { checkResource, checkStack, graphResource } from "../support/policy";
import { ruleTable, type Props } from "../support/ruleTable";

/** What @pulumi/policy puts in props for a string that is unknown during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const BUCKET_ARN = "arn:aws:s3:::assets-1a2b";
const DIST_ARN = "arn:aws:cloudfront::123456789012:distribution/E1ABC";

/** The Cdn's static bucket policy: TLS only, reads for this distribution only. */
const goodPolicy: Props = {
    bucket: "assets-1a2b",
    policy: {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [BUCKET_ARN, `${BUCKET_ARN}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "AllowThisDistributionToRead",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: `${BUCKET_ARN}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": DIST_ARN } },
            },
        ],
    },
};
const read = (p: Props) => p.policy.Statement[1];

describe("aws-s3-bucketpublicaccessblock-enable-all-flags", () => {
    const good: Props = { bucket: "assets-1a2b", blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };
    ruleTable(bucketPublicAccessBlockEnableAllFlags, good, [
        ["blockPublicAcls false", (p) => (p.blockPublicAcls = false), ["blockPublicAcls is not true"]],
        ["blockPublicPolicy not set", (p) => delete p.blockPublicPolicy, ["blockPublicPolicy is not true"]],
        ["ignorePublicAcls false", (p) => (p.ignorePublicAcls = false), ["ignorePublicAcls is not true"]],
        ["restrictPublicBuckets false", (p) => (p.restrictPublicBuckets = false), ["restrictPublicBuckets is not true"]],
        [
            "no flag set",
            (p) => (delete p.blockPublicAcls, delete p.blockPublicPolicy, delete p.ignorePublicAcls, delete p.restrictPublicBuckets),
            ["blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets are not true"],
        ],
    ]);

    it("checks the account-level block too", () => {
        expect(checkResource(bucketPublicAccessBlockEnableAllFlags, { blockPublicAcls: true }, { type: "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock" })).toEqual([
            "blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets are not true",
        ]);
    });
});

describe("aws-s3-bucketpolicy-disallow-public-principal", () => {
    const pinned = "aws:SourceArn/aws:SourceAccount/aws:SourceOrgID/aws:SourceOrgPaths";
    ruleTable(bucketPolicyDisallowPublicPrincipal, goodPolicy, [
        ["a bucket policy granting \"*\"", (p) => (read(p).Principal = "*"), ['Statement[1] (AllowThisDistributionToRead) allows Principal "*"']],
        ["{ AWS: \"*\" }", (p) => (read(p).Principal = { AWS: "*" }), ['Statement[1] (AllowThisDistributionToRead) allows Principal "*"']],
        ["\"*\" among AWS principals", (p) => (read(p).Principal = { AWS: ["arn:aws:iam::123456789012:root", "*"] }), ['Statement[1] (AllowThisDistributionToRead) allows Principal "*"']],
        [
            "\"*\" even with a source condition",
            (p) => (read(p).Principal = "*"),
            ['Statement[1] (AllowThisDistributionToRead) allows Principal "*"'],
        ],
        ["NotPrincipal", (p) => (delete read(p).Principal, (read(p).NotPrincipal = { AWS: "arn:aws:iam::123456789012:root" })), ["Statement[1] (AllowThisDistributionToRead) allows with NotPrincipal (everyone else)"]],
        [
            "service principal without a source condition (confused deputy)",
            (p) => delete read(p).Condition,
            [`Statement[1] (AllowThisDistributionToRead) allows service principal cloudfront.amazonaws.com without a ${pinned} condition`],
        ],
        [
            "service principal with a wildcard SourceArn",
            (p) => (read(p).Condition = { StringLike: { "aws:SourceArn": "*" } }),
            [`Statement[1] (AllowThisDistributionToRead) allows service principal cloudfront.amazonaws.com without a ${pinned} condition`],
        ],
        [
            "service principal with an IfExists condition",
            (p) => (read(p).Condition = { StringEqualsIfExists: { "aws:SourceArn": DIST_ARN } }),
            [`Statement[1] (AllowThisDistributionToRead) allows service principal cloudfront.amazonaws.com without a ${pinned} condition`],
        ],
        ["policy that is not JSON", (p) => (p.policy = "{nope"), ["policy is not valid JSON, so its principals cannot be checked"]],
        ["passes: policy as a JSON string", (p) => (p.policy = JSON.stringify(p.policy)), []],
        ["passes: service principal pinned by aws:SourceAccount", (p) => (read(p).Condition = { StringEquals: { "aws:SourceAccount": "123456789012" } }), []],
        ["passes: ArnLike on a SourceArn pattern", (p) => (read(p).Condition = { ArnLike: { "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:delivery-source:*" } }), []],
        ["passes: an account principal", (p) => ((read(p).Principal = { AWS: "arn:aws:iam::123456789012:role/deployer" }), delete read(p).Condition), []],
        ["passes: Deny with Principal \"*\" (the TLS statement)", (p) => p.policy.Statement.splice(1, 1), []],
    ]);

    it("checks a bucket's deprecated inline policy too", () => {
        const props = { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: `${BUCKET_ARN}/*` }] }) };
        expect(checkResource(bucketPolicyDisallowPublicPrincipal, props, { type: "aws:s3/bucket:Bucket" })).toEqual(['Statement[0] allows Principal "*"']);
    });

    it.each<[string, string, string[]]>([
        ["an access point's policy (aws.s3.AccessPoint)", "aws:s3/accessPoint:AccessPoint", ['Statement[0] allows Principal "*"']],
        ["an access point policy (aws.s3control.AccessPointPolicy)", "aws:s3control/accessPointPolicy:AccessPointPolicy", ['Statement[0] allows Principal "*"']],
        ["a vector bucket policy (aws.s3.VectorsVectorBucketPolicy)", "aws:s3/vectorsVectorBucketPolicy:VectorsVectorBucketPolicy", ['Statement[0] allows Principal "*"']],
    ])("checks %s too", (_label, type, expected) => {
        const policy = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:us-east-1:123456789012:accesspoint/site/object/*" }] });
        expect(checkResource(bucketPolicyDisallowPublicPrincipal, { policy }, { type })).toEqual(expected);
        const named = JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:role/reader" }, Action: "s3:GetObject", Resource: "*" }] });
        expect(checkResource(bucketPolicyDisallowPublicPrincipal, { policy: named }, { type })).toEqual([]);
    });

    it.each<[string, Record<string, unknown>, string[]]>([
        ["passes: an access point without a block (AWS blocks everything)", {}, []],
        ["passes: an access point block with flags left unset", { publicAccessBlockConfiguration: { blockPublicAcls: true } }, []],
        [
            "an access point block switching policies on",
            { publicAccessBlockConfiguration: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false } },
            ["publicAccessBlockConfiguration: blockPublicPolicy, restrictPublicBuckets are false"],
        ],
    ])("aws-s3-bucketpublicaccessblock-enable-all-flags: %s", (_label, props, expected) => {
        expect(checkResource(bucketPublicAccessBlockEnableAllFlags, props, { type: "aws:s3/accessPoint:AccessPoint" })).toEqual(expected);
    });

    it("names the access point policy when it is not JSON", () => {
        expect(checkResource(bucketPolicyDisallowPublicPrincipal, { policy: "{nope" }, { type: "aws:s3/accessPoint:AccessPoint" })).toEqual(["access point policy is not valid JSON, so its principals cannot be checked"]);
    });

    it.each<[string, unknown, boolean]>([
        ["StringEquals aws:SourceArn", { StringEquals: { "aws:SourceArn": DIST_ARN } }, true],
        ["key case-insensitive", { StringEquals: { "AWS:SOURCEACCOUNT": "123456789012" } }, true],
        ["ForAnyValue:StringLike org paths", { "ForAnyValue:StringLike": { "aws:SourceOrgPaths": ["o-1/r-1/*"] } }, true],
        ["ForAllValues (true when absent)", { "ForAllValues:StringEquals": { "aws:SourceAccount": "123456789012" } }, false],
        ["negated operator", { StringNotEquals: { "aws:SourceAccount": "999999999999" } }, false],
        ["unrelated key", { Bool: { "aws:SecureTransport": "true" } }, false],
        ["empty values", { StringEquals: { "aws:SourceArn": [] } }, false],
    ])("pinsSource: %s", (_label, condition, expected) => {
        expect(pinsSource(condition)).toBe(expected);
    });
});

describe("aws-s3-bucketpolicy-enforce-tls", () => {
    const tls = (p: Props) => p.policy.Statement[0];
    const none = 'no statement denies requests without TLS (Deny, Principal "*", Action s3:*, Bool aws:SecureTransport false)';
    ruleTable(bucketPolicyEnforceTls, goodPolicy, [
        ["no TLS statement", (p) => p.policy.Statement.splice(0, 1), [none]],
        ["Allow instead of Deny", (p) => (tls(p).Effect = "Allow"), [none]],
        ["SecureTransport true (denies TLS!)", (p) => (tls(p).Condition = { Bool: { "aws:SecureTransport": "true" } }), [none]],
        ["only some actions denied", (p) => (tls(p).Action = ["s3:GetObject"]), [none]],
        ["a named principal only", (p) => (tls(p).Principal = { AWS: "arn:aws:iam::123456789012:root" }), [none]],
        ["no condition (denies everything)", (p) => delete tls(p).Condition, [none]],
        ["objects only", (p) => (tls(p).Resource = `${BUCKET_ARN}/*`), ["the TLS deny covers objects only, not the bucket itself (add the bucket ARN to Resource)"]],
        ["bucket only", (p) => (tls(p).Resource = BUCKET_ARN), ["the TLS deny covers the bucket only, not its objects (add '<bucket ARN>/*' to Resource)"]],
        ["policy not set", (p) => delete p.policy, ["policy is not set"]],
        ["policy that is not JSON", (p) => (p.policy = "{nope"), ["policy is not valid JSON, so its TLS statement cannot be checked"]],
        ["passes: boolean false and {AWS: \"*\"}", (p) => ((tls(p).Condition = { Bool: { "aws:SecureTransport": false } }), (tls(p).Principal = { AWS: "*" })), []],
        ["passes: Resource \"*\" and Action \"*\"", (p) => ((tls(p).Resource = "*"), (tls(p).Action = "*")), []],
        ["passes: JSON string", (p) => (p.policy = JSON.stringify(p.policy)), []],
    ]);

    it.each<[string, unknown, boolean]>([
        ["Bool false string", { Bool: { "aws:SecureTransport": "false" } }, true],
        ["BoolIfExists", { BoolIfExists: { "aws:securetransport": "false" } }, true],
        ["true", { Bool: { "aws:SecureTransport": "true" } }, false],
        ["both values", { Bool: { "aws:SecureTransport": ["false", "true"] } }, false],
    ])("deniesInsecureTransport: %s", (_label, condition, expected) => {
        expect(deniesInsecureTransport(condition)).toBe(expected);
    });
});

// ---- stack rules: a bucket and its configuration resources (mock outputs: bucket name, id, arn) ----------------

const BUCKET = "aws:s3/bucket:Bucket";
const bucket = graphResource(BUCKET, "assets", { bucket: "assets-1a2b", id: "assets-1a2b", arn: BUCKET_ARN });
const other = graphResource(BUCKET, "other", { bucket: "other-9z8y", id: "other-9z8y", arn: "arn:aws:s3:::other-9z8y" });
const cfg = (type: string, name: string, props: Props, on: GraphResource = bucket) => graphResource(type, name, { bucket: on.props.bucket, ...props }, { dependencyUrns: [on.urn] });
const bpa = cfg("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "assets-bpa", { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
const policy = cfg("aws:s3/bucketPolicy:BucketPolicy", "assets-policy", { policy: JSON.stringify(goodPolicy.policy) });
const sse = cfg("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "assets-sse", { rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
const versioning = cfg("aws:s3/bucketVersioning:BucketVersioning", "assets-versioning", { versioningConfiguration: { status: "Enabled" } });
const ownership = cfg("aws:s3/bucketOwnershipControls:BucketOwnershipControls", "assets-ownership", { rule: { objectOwnership: "BucketOwnerEnforced" } });
const previewBucket = graphResource(BUCKET, "assets", unknownCheckingProxy({ bucket: UNKNOWN, id: UNKNOWN, arn: UNKNOWN }));

type StackRow = [string, GraphResource[], StackFinding[]];

/** The message naming a bucket, as the s3 stack rules print it. */
const label = (b: GraphResource) => (typeof b.props.bucket === "string" ? `bucket '${b.name}' (${b.props.bucket})` : `bucket '${b.name}'`);

/** Rows every "bucket has config X" rule shares: match by name, not by a dependency on another bucket, preview fallback. */
function commonRows(rule: StackRule, config: GraphResource, missing: (b: GraphResource) => string): StackRow[] {
    return [
        [`passes: the bucket's ${config.type.split(":")[2]}`, [bucket, config], []],
        ["passes: no bucket in the stack", [config], []],
        ["missing", [bucket], [{ urn: bucket.urn, message: missing(bucket) }]],
        ["only the uncovered bucket is reported", [bucket, other, config], [{ urn: other.urn, message: missing(other) }]],
        [
            "a config naming another bucket does not count, even when it depends on this one",
            [bucket, other, { ...config, props: { ...config.props, bucket: "other-9z8y" } }],
            [{ urn: bucket.urn, message: missing(bucket) }],
        ],
        ["passes (preview): names unknown, matched by dependency", [previewBucket, { ...config, props: unknownCheckingProxy({ ...config.props, bucket: UNKNOWN }) }], []],
        [
            "preview: unknown name and no dependency",
            [previewBucket, { ...config, props: unknownCheckingProxy({ ...config.props, bucket: UNKNOWN }), dependencyUrns: [] }],
            [{ urn: bucket.urn, message: missing({ ...bucket, props: {} }) }],
        ],
    ].map(([label, resources, expected]) => [`${rule.name}: ${label}`, resources, expected] as StackRow);
}

describe("aws-s3-bucket-missing-public-access-block", () => {
    it.each<StackRow>(commonRows(bucketMissingPublicAccessBlock, bpa, (b) => `${label(b)} has no BucketPublicAccessBlock`))("%s", (_label, resources, expected) => {
        expect(checkStack(bucketMissingPublicAccessBlock, resources)).toEqual(expected);
    });
});

describe("aws-s3-bucket-missing-tls-policy", () => {
    const missing = (b: GraphResource) => `${label(b)} has no bucket policy, so requests without TLS are not denied`;
    it.each<StackRow>([
        ...commonRows(bucketMissingTlsPolicy, policy, missing),
        ["passes: the deprecated inline policy", [{ ...bucket, props: { ...bucket.props, policy: JSON.stringify(goodPolicy.policy) } }], []],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(bucketMissingTlsPolicy, resources)).toEqual(expected);
    });
});

describe("aws-s3-bucket-enable-encryption", () => {
    const missing = (b: GraphResource) => `${label(b)} has no server-side encryption configuration`;
    it.each<StackRow>([
        ...commonRows(bucketEnableEncryption, sse, missing),
        ["passes: deprecated inline configuration", [{ ...bucket, props: { ...bucket.props, serverSideEncryptionConfiguration: { rule: { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } } } } }], []],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(bucketEnableEncryption, resources)).toEqual(expected);
    });
});

describe("aws-s3-bucket-enable-versioning", () => {
    const missing = (b: GraphResource) => `${label(b)} has no versioning configuration`;
    it.each<StackRow>([
        ...commonRows(bucketEnableVersioning, versioning, missing),
        ["versioning suspended", [bucket, { ...versioning, props: { ...versioning.props, versioningConfiguration: { status: "Suspended" } } }], [{ urn: bucket.urn, message: `${label(bucket)} has versioning Suspended, not Enabled` }]],
        ["passes: deprecated inline versioning", [{ ...bucket, props: { ...bucket.props, versioning: { enabled: true } } }], []],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(bucketEnableVersioning, resources)).toEqual(expected);
    });
});

describe("aws-s3-bucket-disallow-acls", () => {
    const missing = (b: GraphResource) => `${label(b)} has no ownership controls, so ACLs may be used`;
    it.each<StackRow>([
        ...commonRows(bucketDisallowAcls, ownership, missing),
        ["ObjectWriter", [bucket, { ...ownership, props: { ...ownership.props, rule: { objectOwnership: "ObjectWriter" } } }], [{ urn: bucket.urn, message: `${label(bucket)} has objectOwnership ObjectWriter: ACLs are enabled` }]],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(bucketDisallowAcls, resources)).toEqual(expected);
    });
});
