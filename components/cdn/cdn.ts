import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { GroundworkComponent, statefulOptions } from "../base";
import type { Grantable, StatementInput } from "../identity/statements";
import {
    CdnArgs,
    CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST,
    CLOUDFRONT_REGION,
    EXEMPTION_TAG_PREFIX,
    nameSlug,
    ORIGIN_SSL_PROTOCOLS,
    ORIGIN_VERIFY_HEADER,
    ORIGIN_VERIFY_SECRET_LENGTH,
    resolveCdnArgs,
    STATIC_PATH_PATTERN,
    validationNames,
    VIEWER_MIN_TLS,
    VIEWER_TLS_POLICY_NAME,
} from "./args";
import {
    apiCachePolicySettings,
    apiOriginRequestPolicySettings,
    logBucketPolicy,
    originVerifyHeader,
    S3_ACCESS_LOG_PREFIX,
    securityHeadersSettings,
    staticBucketPolicy,
    staticCachePolicySettings,
} from "./documents";
import { WebAcl } from "./webAcl";

/** Origin ids inside the distribution. */
const STATIC_ORIGIN_ID = "static-assets";
const API_ORIGIN_ID = "api";

/** A private S3 bucket with everything Groundwork requires of one, as built by {@link Cdn}. */
interface PrivateBucket {
    bucket: aws.s3.Bucket;
    publicAccessBlock: aws.s3.BucketPublicAccessBlock;
    ownership: aws.s3.BucketOwnershipControls;
}

/**
 * The edge of the platform: a CloudFront distribution in front of the API (default behaviour, custom origin,
 * HTTPS only with TLS 1.2, a secret origin-verify header) and a private S3 bucket for fingerprinted static
 * assets (`/static/*`, read through Origin Access Control only by this distribution). Viewers are redirected
 * to HTTPS on every behaviour and offered TLS 1.2+ (`TLSv1.2_2021`, SNI) on a custom domain whose ACM
 * certificate is issued in us-east-1 and DNS-validated through Route 53. HTTP/2 and HTTP/3, IPv6,
 * compression, security headers (HSTS, nosniff, frame DENY, referrer policy), a WAF web ACL, and access logs
 * through CloudFront standard logging v2 (CloudWatch Logs vended delivery) to a private, ACL-free log bucket.
 *
 * Origin protection: `originSecurityGroup` admits 443 only from CloudFront's origin-facing prefix list;
 * attach it to the load balancer and make the load balancer forward only requests whose
 * `X-Origin-Verify` header equals `originVerifyHeaderValue` (a secret output).
 *
 * Costs: requests and transfer (PriceClass_100 by default), the web ACL (~$9/month + $0.60/M requests),
 * log delivery ($0.25/GB to S3) and storage.
 */
export class Cdn extends GroundworkComponent {
    /** Id of the distribution, for invalidations. */
    public readonly distributionId: pulumi.Output<string>;
    /** ARN of the distribution (the `AWS:SourceArn` a KMS key policy must allow for SSE-KMS assets). */
    public readonly distributionArn: pulumi.Output<string>;
    /** `dxxxx.cloudfront.net` name of the distribution. */
    public readonly distributionDomainName: pulumi.Output<string>;
    /** Route 53 zone id for alias records to the distribution. */
    public readonly distributionHostedZoneId: pulumi.Output<string>;
    /** Public base URL: `https://<domainName>`, or the cloudfront.net name under the default-certificate opt-out. */
    public readonly url: pulumi.Output<string>;
    /** Name of the static assets bucket; upload assets under the `static/` key prefix. */
    public readonly staticBucketName: pulumi.Output<string>;
    /** ARN of the static assets bucket. */
    public readonly staticBucketArn: pulumi.Output<string>;
    /** Name of the log bucket (CloudFront access logs and the static bucket's S3 access logs). */
    public readonly logBucketName: pulumi.Output<string>;
    /** ARN of the web ACL attached to the distribution. */
    public readonly webAclArn: pulumi.Output<string>;
    /** Security group for the API load balancer: 443 only from CloudFront's origin-facing addresses. */
    public readonly originSecurityGroupId: pulumi.Output<string>;
    /** Id of the CloudFront origin-facing managed prefix list in the stack's region. */
    public readonly cloudfrontPrefixListId: pulumi.Output<string>;
    /** Name of the header CloudFront adds to every API origin request (`X-Origin-Verify`). */
    public readonly originVerifyHeaderName: pulumi.Output<string>;
    /** Secret value of that header; the load balancer forwards only requests carrying it. */
    public readonly originVerifyHeaderValue: pulumi.Output<string>;
    /** ARN of the viewer certificate (us-east-1); undefined under the default-certificate opt-out. */
    public readonly certificateArn: pulumi.Output<string | undefined>;

    private readonly staticBucket: aws.s3.Bucket;
    private readonly distribution: aws.cloudfront.Distribution;
    private readonly kmsKeyArn: pulumi.Input<string> | undefined;

    constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
        const r = resolveCdnArgs(name, args); // validate before anything is registered
        super("cdn", "Cdn", name, args, opts);
        const stateful = statefulOptions(r.protect);
        this.kmsKeyArn = args.kmsKeyArn;

        // --- Web ACL (us-east-1, scope CLOUDFRONT) --------------------------------------------------------
        const webAclArn = r.createWebAcl
            ? new WebAcl(this.childName("waf"), { rateLimit: r.rateLimit, logRetentionDays: r.logRetentionDays, protect: r.protect, credentialHeaders: r.credentialHeaders, tags: args.tags }, { parent: this })
                  .webAclArn
            : pulumi.output(args.webAclArn as pulumi.Input<string>);

        // --- Origin protection ---------------------------------------------------------------------------
        const prefixList = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, { parent: this });
        const originSg = new aws.ec2.SecurityGroup(
            this.childName("origin"),
            {
                vpcId: args.vpcId,
                description: "API load balancer: HTTPS only from CloudFront origin-facing servers (managed prefix list)",
                tags: this.childTags("origin"),
            },
            this.childOpts(),
        );
        new aws.vpc.SecurityGroupIngressRule(
            this.childName("origin-https"),
            {
                securityGroupId: originSg.id,
                prefixListId: prefixList.id,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "HTTPS from CloudFront origin-facing servers",
                tags: this.childTags("origin-https"),
            },
            this.childOpts(),
        );
        const originSecret = new random.RandomPassword(
            this.childName("origin-verify"),
            { length: ORIGIN_VERIFY_SECRET_LENGTH, special: false },
            this.childOpts(),
        );
        // `result` is already secret in the provider's schema; wrapping keeps it secret wherever it flows.
        const originVerifyValue = pulumi.secret(originSecret.result);

        // --- Buckets -------------------------------------------------------------------------------------
        const logs = this.privateBucket("logs", stateful, !r.protect, { sseAlgorithm: "AES256" });
        new aws.s3.BucketLifecycleConfiguration(
            this.childName("logs-lifecycle"),
            {
                bucket: logs.bucket.id,
                rules: [
                    {
                        id: "expire-logs",
                        status: "Enabled",
                        filter: { prefix: "" },
                        expiration: { days: r.logRetentionDays },
                        noncurrentVersionExpiration: { noncurrentDays: 30 },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            this.childOpts(),
        );

        const assets = this.privateBucket(
            "static",
            stateful,
            !r.protect,
            args.kmsKeyArn !== undefined ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: args.kmsKeyArn } : { sseAlgorithm: "AES256" },
        );
        this.staticBucket = assets.bucket;
        new aws.s3.BucketLifecycleConfiguration(
            this.childName("static-lifecycle"),
            {
                bucket: assets.bucket.id,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: { prefix: "" },
                        expiration: { expiredObjectDeleteMarker: true },
                        noncurrentVersionExpiration: { noncurrentDays: r.noncurrentVersionDays },
                        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
                    },
                ],
            },
            this.childOpts(),
        );

        const caller = aws.getCallerIdentityOutput({}, { parent: this });
        const partition = aws.getPartitionOutput({}, { parent: this });
        const logsPolicy = new aws.s3.BucketPolicy(
            this.childName("logs-policy"),
            {
                bucket: logs.bucket.id,
                policy: pulumi
                    .all([logs.bucket.arn, caller.accountId, partition.partition, assets.bucket.arn])
                    .apply(([logBucketArn, accountId, part, sourceBucketArn]) => JSON.stringify(logBucketPolicy({ logBucketArn, accountId, partition: part, sourceBucketArn }))),
            },
            this.childOpts({ dependsOn: [logs.publicAccessBlock, logs.ownership] }),
        );
        new aws.s3.BucketLogging(
            this.childName("static-access-logs"),
            {
                bucket: assets.bucket.id,
                targetBucket: logs.bucket.id,
                targetPrefix: S3_ACCESS_LOG_PREFIX,
                targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
            },
            this.childOpts({ dependsOn: [logsPolicy] }),
        );

        // --- Viewer certificate --------------------------------------------------------------------------
        let certificateArn: pulumi.Output<string> | undefined;
        const cert = r.certificate;
        if (cert.kind === "given") {
            certificateArn = pulumi.output(args.certificateArn as pulumi.Input<string>);
        } else if (cert.kind === "issue") {
            const certificate = new aws.acm.Certificate(
                this.childName("cert"),
                {
                    region: CLOUDFRONT_REGION,
                    domainName: cert.names[0],
                    subjectAlternativeNames: cert.names.slice(1),
                    validationMethod: "DNS",
                    tags: this.childTags("cert"),
                },
                this.childOpts(),
            );
            const records = validationNames(cert.names).map((n) => {
                const option = certificate.domainValidationOptions.apply((opts) => {
                    const o = opts.find((x) => x.domainName === n);
                    if (!o) throw new Error(`Cdn '${name}': ACM returned no validation record for '${n}'`);
                    return o;
                });
                return new aws.route53.Record(
                    this.childName(`cert-validation-${nameSlug(n)}`),
                    {
                        zoneId: args.hostedZoneId as pulumi.Input<string>,
                        name: option.apply((o) => o.resourceRecordName as string),
                        type: option.apply((o) => o.resourceRecordType as string),
                        records: [option.apply((o) => o.resourceRecordValue as string)],
                        ttl: 300,
                        allowOverwrite: true,
                    },
                    this.childOpts(),
                );
            });
            const validation = new aws.acm.CertificateValidation(
                this.childName("cert-validation"),
                { region: CLOUDFRONT_REGION, certificateArn: certificate.arn, validationRecordFqdns: records.map((rec) => rec.fqdn) },
                this.childOpts(),
            );
            certificateArn = validation.certificateArn;
        }

        // --- Policies ------------------------------------------------------------------------------------
        const oac = new aws.cloudfront.OriginAccessControl(
            this.childName("oac"),
            {
                description: `${name}: CloudFront signs every request to the static assets bucket (SigV4)`,
                originAccessControlOriginType: "s3",
                signingBehavior: "always",
                signingProtocol: "sigv4",
            },
            this.childOpts(),
        );
        const staticCache = new aws.cloudfront.CachePolicy(this.childName("static-cache"), staticCachePolicySettings(), this.childOpts());
        const apiCache = new aws.cloudfront.CachePolicy(this.childName("api-cache"), apiCachePolicySettings(r.credentialHeaders), this.childOpts());
        const apiOriginRequest = new aws.cloudfront.OriginRequestPolicy(this.childName("api-origin-request"), apiOriginRequestPolicySettings(), this.childOpts());
        const headers = new aws.cloudfront.ResponseHeadersPolicy(
            this.childName("security-headers"),
            { comment: "HSTS (2 years, subdomains, preload), nosniff, frame DENY, strict-origin-when-cross-origin", securityHeadersConfig: securityHeadersSettings() },
            this.childOpts(),
        );

        // --- Distribution --------------------------------------------------------------------------------
        const distributionTags: Record<string, string> = this.childTags("distribution");
        if (cert.kind === "default") distributionTags[EXEMPTION_TAG_PREFIX + VIEWER_TLS_POLICY_NAME] = cert.reason;
        const aliases = cert.kind === "default" ? [] : cert.names;
        const redirect = "redirect-to-https";

        const distribution = new aws.cloudfront.Distribution(
            this.childName("distribution"),
            {
                enabled: true,
                comment: `${name}: API and static assets`,
                aliases,
                httpVersion: "http2and3",
                isIpv6Enabled: true,
                priceClass: r.priceClass,
                webAclId: webAclArn,
                origins: [
                    {
                        originId: STATIC_ORIGIN_ID,
                        domainName: assets.bucket.bucketRegionalDomainName,
                        originAccessControlId: oac.id,
                    },
                    {
                        originId: API_ORIGIN_ID,
                        domainName: args.apiOriginDomain,
                        customOriginConfig: {
                            originProtocolPolicy: "https-only",
                            originSslProtocols: [...ORIGIN_SSL_PROTOCOLS],
                            httpPort: 80,
                            httpsPort: 443,
                            ipAddressType: "ipv4",
                            originReadTimeout: 30,
                            originKeepaliveTimeout: 5,
                        },
                        customHeaders: [originVerifyValue.apply((v) => originVerifyHeader(v))],
                    },
                ],
                defaultCacheBehavior: {
                    targetOriginId: API_ORIGIN_ID,
                    viewerProtocolPolicy: redirect,
                    allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                    cachedMethods: ["GET", "HEAD"],
                    compress: true,
                    cachePolicyId: apiCache.id,
                    originRequestPolicyId: apiOriginRequest.id,
                    responseHeadersPolicyId: headers.id,
                },
                orderedCacheBehaviors: [
                    {
                        pathPattern: STATIC_PATH_PATTERN,
                        targetOriginId: STATIC_ORIGIN_ID,
                        viewerProtocolPolicy: redirect,
                        allowedMethods: ["GET", "HEAD"],
                        cachedMethods: ["GET", "HEAD"],
                        compress: true,
                        cachePolicyId: staticCache.id,
                        responseHeadersPolicyId: headers.id,
                    },
                ],
                restrictions: { geoRestriction: { restrictionType: "none" } },
                viewerCertificate:
                    certificateArn === undefined
                        ? { cloudfrontDefaultCertificate: true }
                        : { acmCertificateArn: certificateArn, minimumProtocolVersion: VIEWER_MIN_TLS, sslSupportMethod: "sni-only" },
                tags: distributionTags,
            },
            this.childOpts(),
        );
        this.distribution = distribution;

        new aws.s3.BucketPolicy(
            this.childName("static-policy"),
            {
                bucket: assets.bucket.id,
                policy: pulumi.all([assets.bucket.arn, distribution.arn]).apply(([bucketArn, distributionArn]) => JSON.stringify(staticBucketPolicy(bucketArn, distributionArn))),
            },
            this.childOpts({ dependsOn: [assets.publicAccessBlock, assets.ownership] }),
        );

        // --- Access logs: CloudFront standard logging v2 (vended delivery, us-east-1) to the log bucket ----
        const source = new aws.cloudwatch.LogDeliverySource(
            this.childName("access-logs-source"),
            { region: CLOUDFRONT_REGION, logType: "ACCESS_LOGS", resourceArn: distribution.arn, tags: this.childTags("access-logs-source") },
            this.childOpts(),
        );
        const destination = new aws.cloudwatch.LogDeliveryDestination(
            this.childName("access-logs-destination"),
            {
                region: CLOUDFRONT_REGION,
                outputFormat: "w3c",
                deliveryDestinationConfiguration: { destinationResourceArn: logs.bucket.arn },
                tags: this.childTags("access-logs-destination"),
            },
            this.childOpts({ dependsOn: [logsPolicy] }),
        );
        new aws.cloudwatch.LogDelivery(
            this.childName("access-logs"),
            {
                region: CLOUDFRONT_REGION,
                deliverySourceName: source.name,
                deliveryDestinationArn: destination.arn,
                tags: this.childTags("access-logs"),
            },
            this.childOpts({ dependsOn: [logsPolicy] }),
        );

        // --- DNS: alias records for every name, when the zone is ours ------------------------------------
        if (cert.kind !== "default" && args.hostedZoneId !== undefined) {
            for (const n of cert.names) {
                for (const type of ["A", "AAAA"]) {
                    new aws.route53.Record(
                        this.childName(`dns-${nameSlug(n)}-${type.toLowerCase()}`),
                        {
                            zoneId: args.hostedZoneId,
                            name: n,
                            type,
                            aliases: [{ name: distribution.domainName, zoneId: distribution.hostedZoneId, evaluateTargetHealth: false }],
                        },
                        this.childOpts(),
                    );
                }
            }
        }

        this.distributionId = distribution.id;
        this.distributionArn = distribution.arn;
        this.distributionDomainName = distribution.domainName;
        this.distributionHostedZoneId = distribution.hostedZoneId;
        this.url = cert.kind === "default" ? pulumi.interpolate`https://${distribution.domainName}` : pulumi.output(`https://${cert.names[0]}`);
        this.staticBucketName = assets.bucket.bucket;
        this.staticBucketArn = assets.bucket.arn;
        this.logBucketName = logs.bucket.bucket;
        this.webAclArn = webAclArn;
        this.originSecurityGroupId = originSg.id;
        this.cloudfrontPrefixListId = prefixList.id;
        this.originVerifyHeaderName = pulumi.output(ORIGIN_VERIFY_HEADER);
        this.originVerifyHeaderValue = originVerifyValue;
        this.certificateArn = certificateArn === undefined ? pulumi.output(undefined) : certificateArn;
        this.registerOutputs({
            distributionId: this.distributionId,
            distributionArn: this.distributionArn,
            distributionDomainName: this.distributionDomainName,
            distributionHostedZoneId: this.distributionHostedZoneId,
            url: this.url,
            staticBucketName: this.staticBucketName,
            staticBucketArn: this.staticBucketArn,
            logBucketName: this.logBucketName,
            webAclArn: this.webAclArn,
            originSecurityGroupId: this.originSecurityGroupId,
            cloudfrontPrefixListId: this.cloudfrontPrefixListId,
            originVerifyHeaderName: this.originVerifyHeaderName,
            originVerifyHeaderValue: this.originVerifyHeaderValue,
            certificateArn: this.certificateArn,
        });
    }

    /**
     * Lets an identity (a CI deployer) publish static assets: list the bucket, put/get/delete objects under
     * `static/`, use the bucket's KMS key when there is one, and invalidate this distribution's cache.
     * @param identity Receives the statements, scoped to this bucket, key and distribution.
     */
    public grantPublish(identity: Grantable): void {
        const statements: StatementInput[] = [
            { sid: "CdnListStaticBucket", actions: ["s3:ListBucket"], resources: [this.staticBucket.arn] },
            { sid: "CdnWriteStaticAssets", actions: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], resources: [pulumi.interpolate`${this.staticBucket.arn}/static/*`] },
            { sid: "CdnInvalidate", actions: ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"], resources: [this.distribution.arn] },
        ];
        if (this.kmsKeyArn !== undefined) {
            statements.push({ sid: "CdnStaticAssetsKey", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [this.kmsKeyArn] });
        }
        identity.addStatements(`${this.baseName}-publish`, statements);
    }

    /** A bucket with all four Block Public Access flags, ACLs disabled, default encryption and versioning. */
    private privateBucket(
        part: string,
        stateful: pulumi.CustomResourceOptions,
        forceDestroy: boolean,
        sse: { sseAlgorithm: "AES256" } | { sseAlgorithm: "aws:kms"; kmsMasterKeyId: pulumi.Input<string> },
    ): PrivateBucket {
        const bucket = new aws.s3.Bucket(this.childName(part), { forceDestroy, tags: this.childTags(part) }, this.childOpts(stateful));
        const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
            this.childName(`${part}-public-access-block`),
            { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            this.childOpts(),
        );
        const ownership = new aws.s3.BucketOwnershipControls(
            this.childName(`${part}-ownership`),
            { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
            this.childOpts(),
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            this.childName(`${part}-encryption`),
            { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: sse, bucketKeyEnabled: sse.sseAlgorithm === "aws:kms" }] },
            this.childOpts(),
        );
        new aws.s3.BucketVersioning(this.childName(`${part}-versioning`), { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, this.childOpts());
        return { bucket, publicAccessBlock, ownership };
    }
}
