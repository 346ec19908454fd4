import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, GroundworkComponent, statefulOptions } from "../base";
import type { Grantable, StatementInput } from "../identity/statements";
import { declareBucketAccessLogs, declareDistributionAccessLogs } from "./accessLogs";
import { CdnArgs, EXEMPTION_TAG_PREFIX, nameSlug, ORIGIN_SSL_PROTOCOLS, ORIGIN_VERIFY_HEADER, resolveCdnArgs, STATIC_PATH_PATTERN, VIEWER_MIN_TLS, VIEWER_TLS_POLICY_NAME } from "./args";
import { declareBuckets, declareStaticBucketPolicy } from "./buckets";
import { declareViewerCertificate } from "./certificate";
import { originVerifyHeader } from "./documents";
import { declareOriginProtection } from "./origin";
import { declareDistributionPolicies } from "./policies";
import { WebAcl } from "./webAcl";
import { INDEX_DOCUMENT, StaticSite } from "./staticSite";
import { declareAlarms, type AlarmOptions, type AlarmSpec, type AlarmTarget, type Observable } from "../observe/alarms";
import { cdnAlarmSpecs, type CdnAlarmInput } from "./alarms";

/** Origin ids inside the distribution. */
const STATIC_ORIGIN_ID = "static-assets";
const API_ORIGIN_ID = "api";

/**
 * The edge of the platform: a CloudFront distribution in front of the API (default behaviour, custom origin,
 * HTTPS only with TLS 1.2, a secret origin-verify header) and a private S3 bucket for fingerprinted static
 * assets (`/static/*`, read through Origin Access Control only by this distribution) and a front end's `index.html`
 * (served at `/` and `/index.html` from the same bucket with a one-minute TTL; upload it with {@link StaticSite}). Viewers are redirected
 * to HTTPS on every behaviour and offered TLS 1.2+ (`TLSv1.2_2021`, SNI) on a custom domain whose ACM
 * certificate is issued in us-east-1 and DNS-validated through Route 53. HTTP/2 and HTTP/3, IPv6,
 * compression, security headers (HSTS, nosniff, frame DENY, referrer policy, a CSP without `unsafe-inline`), a WAF web ACL, and access logs
 * through CloudFront standard logging v2 (CloudWatch Logs vended delivery) to a private, ACL-free log bucket.
 *
 * Origin protection: `originSecurityGroup` admits 443 only from CloudFront's origin-facing prefix list;
 * attach it to the load balancer and make the load balancer forward only requests whose
 * `X-Origin-Verify` header equals `originVerifyHeaderValue` (a secret output).
 *
 * Costs: requests and transfer (PriceClass_100 by default), the web ACL (~$9/month + $0.60/M requests),
 * log delivery ($0.25/GB to S3) and storage.
 */
export class Cdn extends GroundworkComponent implements Observable {
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
    private readonly alarmInput: CdnAlarmInput;

    constructor(name: string, args: CdnArgs, opts?: pulumi.ComponentResourceOptions) {
        const r = resolveCdnArgs(name, args); // validate before anything is registered
        super("cdn", "Cdn", name, args, opts);
        const scope = this.childScope();
        const t = args.transform ?? {};
        this.kmsKeyArn = args.kmsKeyArn;

        // Web ACL (us-east-1, scope CLOUDFRONT), or the given one.
        const webAcl = r.createWebAcl
            ? new WebAcl(this.childName("waf"), { rateLimit: r.rateLimit, logRetentionDays: r.logRetentionDays, protect: r.protect, credentialHeaders: r.credentialHeaders, tags: args.tags, transform: t.webAcl }, { parent: this })
            : undefined;
        const webAclArn = webAcl ? webAcl.webAclArn : pulumi.output(args.webAclArn as pulumi.Input<string>);

        const origin = declareOriginProtection(scope, args.vpcId, t);
        const buckets = declareBuckets(scope, {
            protect: r.protect,
            stateful: statefulOptions(r.protect),
            logRetentionDays: r.logRetentionDays,
            noncurrentVersionDays: r.noncurrentVersionDays,
            kmsKeyArn: args.kmsKeyArn,
        }, t);
        const { logs, assets } = buckets;
        this.staticBucket = assets.bucket;
        const logsPolicy = declareBucketAccessLogs(scope, buckets, t);
        const cert = r.certificate;
        const certificateArn = declareViewerCertificate(scope, cert, { certificateArn: args.certificateArn, hostedZoneId: args.hostedZoneId }, t);
        const policies = declareDistributionPolicies(scope, r.credentialHeaders, t);

        // The distribution.
        const distributionTags: Record<string, string> = this.childTags("distribution");
        if (cert.kind === "default") distributionTags[EXEMPTION_TAG_PREFIX + VIEWER_TLS_POLICY_NAME] = cert.reason;
        const aliases = cert.kind === "default" ? [] : cert.names;
        const redirect = "redirect-to-https";

        const distribution = new aws.cloudfront.Distribution(
            ...applyTransform(
                t.distribution,
                this.childName("distribution"),
                {
                    enabled: true,
                    comment: `${name}: API and static assets`,
                    aliases,
                    httpVersion: "http2and3",
                    isIpv6Enabled: true,
                    // `/` is fetched as `/index.html`, which the behaviour below serves from the bucket.
                    defaultRootObject: INDEX_DOCUMENT,
                    priceClass: r.priceClass,
                    webAclId: webAclArn,
                    origins: [
                        {
                            originId: STATIC_ORIGIN_ID,
                            domainName: assets.bucket.bucketRegionalDomainName,
                            originAccessControlId: policies.originAccessControl.id,
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
                            customHeaders: [origin.verifyValue.apply((v) => originVerifyHeader(v))],
                        },
                    ],
                    defaultCacheBehavior: {
                        targetOriginId: API_ORIGIN_ID,
                        viewerProtocolPolicy: redirect,
                        allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
                        cachedMethods: ["GET", "HEAD"],
                        compress: true,
                        cachePolicyId: policies.apiCache.id,
                        originRequestPolicyId: policies.apiOriginRequest.id,
                        responseHeadersPolicyId: policies.securityHeaders.id,
                    },
                    orderedCacheBehaviors: [
                        {
                            pathPattern: STATIC_PATH_PATTERN,
                            targetOriginId: STATIC_ORIGIN_ID,
                            viewerProtocolPolicy: redirect,
                            allowedMethods: ["GET", "HEAD"],
                            cachedMethods: ["GET", "HEAD"],
                            compress: true,
                            cachePolicyId: policies.staticCache.id,
                            responseHeadersPolicyId: policies.securityHeaders.id,
                        },
                        {
                            pathPattern: `/${INDEX_DOCUMENT}`,
                            targetOriginId: STATIC_ORIGIN_ID,
                            viewerProtocolPolicy: redirect,
                            allowedMethods: ["GET", "HEAD"],
                            cachedMethods: ["GET", "HEAD"],
                            compress: true,
                            cachePolicyId: policies.indexCache.id,
                            responseHeadersPolicyId: policies.securityHeaders.id,
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
            ),
        );
        this.distribution = distribution;

        declareStaticBucketPolicy(scope, assets, distribution.arn, t);
        declareDistributionAccessLogs(scope, distribution.arn, logs.bucket.arn, logsPolicy);

        // DNS: alias records for every name, when the zone is ours.
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
        this.originSecurityGroupId = origin.securityGroup.id;
        this.cloudfrontPrefixListId = origin.prefixListId;
        this.originVerifyHeaderName = pulumi.output(ORIGIN_VERIFY_HEADER);
        this.originVerifyHeaderValue = origin.verifyValue;
        this.certificateArn = certificateArn === undefined ? pulumi.output(undefined) : certificateArn;
        this.alarmInput = { distributionId: this.distributionId, ...(webAcl ? { webAclName: webAcl.webAclName } : {}), rateLimit: r.rateLimit };
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
     * The alarms this edge derives from its configuration ({@link cdnAlarmSpecs}), in us-east-1: the 5xx error rate
     * and, with the component's own web ACL, a spike of blocked requests against the rate limit. Pure data;
     * {@link alarms} declares them (the target needs a topic in us-east-1).
     */
    public alarmSpecs(): AlarmSpec[] {
        return cdnAlarmSpecs(this.alarmInput);
    }

    /** Declares the {@link alarmSpecs} as `aws.cloudwatch.MetricAlarm` children notifying `target` on ALARM and OK. */
    public alarms(target: AlarmTarget, opts?: AlarmOptions): aws.cloudwatch.MetricAlarm[] {
        return declareAlarms(this.childScope(), this.alarmSpecs(), target, opts);
    }

    /**
     * Uploads a built static site (a front end: `index.html` and fingerprinted assets under `static/`) to this
     * distribution's bucket as a {@link StaticSite} child, each object encrypted like the bucket (SSE-KMS with the
     * `kmsKeyArn` key, else SSE-S3). The folder is read at plan time.
     * @param name Logical name of the {@link StaticSite}.
     * @param dir The built site's folder (for the reference app, app/web/dist).
     */
    public staticSite(name: string, dir: string): StaticSite {
        return new StaticSite(name, { dir, bucketName: this.staticBucketName, ...(this.kmsKeyArn !== undefined ? { kmsKeyArn: this.kmsKeyArn } : {}) }, { parent: this });
    }

    /**
     * Lets an identity (a CI deployer) publish static assets: list the bucket, put/get/delete objects under
     * `static/` and the front end's `index.html`, use the bucket's KMS key when there is one, and invalidate this distribution's cache.
     * @param identity Receives the statements, scoped to this bucket, key and distribution.
     */
    public grantPublish(identity: Grantable): void {
        const statements: StatementInput[] = [
            { sid: "CdnListStaticBucket", actions: ["s3:ListBucket"], resources: [this.staticBucket.arn] },
            { sid: "CdnWriteStaticAssets", actions: ["s3:PutObject", "s3:GetObject", "s3:DeleteObject"], resources: [pulumi.interpolate`${this.staticBucket.arn}/static/*`, pulumi.interpolate`${this.staticBucket.arn}/${INDEX_DOCUMENT}`] },
            { sid: "CdnInvalidate", actions: ["cloudfront:CreateInvalidation", "cloudfront:GetInvalidation"], resources: [this.distribution.arn] },
        ];
        if (this.kmsKeyArn !== undefined) {
            statements.push({ sid: "CdnStaticAssetsKey", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [this.kmsKeyArn] });
        }
        identity.addStatements(`${this.baseName}-publish`, statements);
    }
}
