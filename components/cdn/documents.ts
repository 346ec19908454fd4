/**
 * Pure builders for the Cdn's documents and settings: bucket policies, cache and origin request policy
 * settings, the security headers, and the web ACL rules. Tested with tables, no Pulumi needed.
 */
import { ORIGIN_VERIFY_HEADER } from "./args";

/** A bucket policy statement (resource policies name principals, unlike identity policies). */
export interface BucketPolicyStatement {
    /** Statement id. */
    Sid: string;
    /** Allow or Deny. */
    Effect: "Allow" | "Deny";
    /** `*` only on Deny statements; Allow statements name a service principal. */
    Principal: "*" | { Service: string };
    /** Actions. */
    Action: string | string[];
    /** Exact bucket or object ARNs. */
    Resource: string | string[];
    /** Condition block. */
    Condition?: Record<string, Record<string, string | string[]>>;
}

/** A bucket policy document. */
export interface BucketPolicyDocument {
    /** Always `2012-10-17`. */
    Version: "2012-10-17";
    /** The statements. */
    Statement: BucketPolicyStatement[];
}

/** The statement every Groundwork bucket policy starts with: deny any request not made over TLS. */
export function denyInsecureTransport(bucketArn: string): BucketPolicyStatement {
    return {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
    };
}

/**
 * Policy of the static assets bucket: TLS only, and `s3:GetObject` for CloudFront only when the request comes
 * from this distribution (Origin Access Control signs it; `AWS:SourceArn` pins the distribution).
 */
export function staticBucketPolicy(bucketArn: string, distributionArn: string): BucketPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            denyInsecureTransport(bucketArn),
            {
                Sid: "AllowThisDistributionToRead",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: `${bucketArn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
            },
        ],
    };
}

/** Where the log bucket's writers come from. */
export interface LogBucketPolicyContext {
    /** ARN of the log bucket. */
    readonly logBucketArn: string;
    /** Account that owns the distribution and the buckets. */
    readonly accountId: string;
    /** AWS partition, for example `aws`. */
    readonly partition: string;
    /** ARN of the bucket whose S3 server access logs land here. */
    readonly sourceBucketArn: string;
}

/** Key prefix of S3 server access logs in the log bucket. */
export const S3_ACCESS_LOG_PREFIX = "s3-access-logs/";

/**
 * Policy of the log bucket. TLS only; CloudWatch Logs vended delivery (`delivery.logs.amazonaws.com`, how
 * CloudFront standard logging v2 writes) may put objects under `AWSLogs/<account>/` and check the bucket, only
 * for delivery sources of this account in us-east-1; S3 server access logging (`logging.s3.amazonaws.com`)
 * may put objects under {@link S3_ACCESS_LOG_PREFIX} only for the static assets bucket. No ACLs are involved.
 */
export function logBucketPolicy(ctx: LogBucketPolicyContext): BucketPolicyDocument {
    const deliveryCondition = {
        StringEquals: { "aws:SourceAccount": ctx.accountId },
        ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:logs:us-east-1:${ctx.accountId}:delivery-source:*` },
    };
    return {
        Version: "2012-10-17",
        Statement: [
            denyInsecureTransport(ctx.logBucketArn),
            {
                Sid: "AWSLogDeliveryWrite",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${ctx.logBucketArn}/AWSLogs/${ctx.accountId}/*`,
                Condition: { ...deliveryCondition, StringEquals: { ...deliveryCondition.StringEquals, "s3:x-amz-acl": "bucket-owner-full-control" } },
            },
            {
                Sid: "AWSLogDeliveryAclCheck",
                Effect: "Allow",
                Principal: { Service: "delivery.logs.amazonaws.com" },
                Action: ["s3:GetBucketAcl", "s3:ListBucket"],
                Resource: ctx.logBucketArn,
                Condition: deliveryCondition,
            },
            {
                Sid: "S3ServerAccessLogs",
                Effect: "Allow",
                Principal: { Service: "logging.s3.amazonaws.com" },
                Action: "s3:PutObject",
                Resource: `${ctx.logBucketArn}/${S3_ACCESS_LOG_PREFIX}*`,
                Condition: { StringEquals: { "aws:SourceAccount": ctx.accountId }, ArnLike: { "aws:SourceArn": ctx.sourceBucketArn } },
            },
        ],
    };
}

/** One year in seconds: the TTL of fingerprinted static assets and the HSTS max-age. */
export const ONE_YEAR_SECONDS = 31_536_000;

/** One day in seconds: the longest time an API response may be cached, whatever its `Cache-Control` says. */
export const ONE_DAY_SECONDS = 86_400;

/** Settings of a cache policy (the shape of `aws.cloudfront.CachePolicyArgs` without names). */
export interface CachePolicySettings {
    /** What the policy is for. */
    comment: string;
    /** Lower bound on the TTL whatever the origin says. */
    minTtl: number;
    /** TTL when the origin sends no `Cache-Control`/`Expires`. */
    defaultTtl: number;
    /** Upper bound on the TTL the origin can ask for. */
    maxTtl: number;
    /** The cache key. */
    parametersInCacheKeyAndForwardedToOrigin: {
        enableAcceptEncodingGzip: boolean;
        enableAcceptEncodingBrotli: boolean;
        headersConfig: { headerBehavior: "none" | "whitelist"; headers?: { items: string[] } };
        cookiesConfig: { cookieBehavior: "none" | "all" | "whitelist" | "allExcept"; cookies?: { items: string[] } };
        queryStringsConfig: { queryStringBehavior: "none" | "all" | "whitelist" | "allExcept"; queryStrings?: { items: string[] } };
    };
}

/**
 * Cache policy of `/static/*`: fingerprinted assets (the file name changes when the content does), so a year
 * by default and at most; the origin can still shorten it with `Cache-Control`. Nothing from the request but
 * the path and the compression is in the key: no cookies, headers or query strings.
 */
export function staticCachePolicySettings(): CachePolicySettings {
    return {
        comment: "Fingerprinted static assets: 1 year, key is the path only",
        minTtl: 0,
        defaultTtl: ONE_YEAR_SECONDS,
        maxTtl: ONE_YEAR_SECONDS,
        parametersInCacheKeyAndForwardedToOrigin: {
            enableAcceptEncodingGzip: true,
            enableAcceptEncodingBrotli: true,
            headersConfig: { headerBehavior: "none" },
            cookiesConfig: { cookieBehavior: "none" },
            queryStringsConfig: { queryStringBehavior: "none" },
        },
    };
}

/**
 * Headers in the API cache key: `Authorization` (CloudFront forwards it to the origin only through the cache
 * policy; an origin request policy cannot include it), `Accept` and `Accept-Language` (what the API negotiates on),
 * then the API's own credential headers. Keying on every credential keeps one client's cacheable response from
 * being served to another.
 */
export function apiCacheKeyHeaders(credentialHeaders: readonly string[] = []): string[] {
    return ["Authorization", "Accept", "Accept-Language", ...credentialHeaders.filter((h) => h.toLowerCase() !== "authorization")];
}

/**
 * Cache policy of the API (default behaviour): nothing is cached unless the API says so (`defaultTtl` 0,
 * `minTtl` 0), and then at most a day (`maxTtl`). The key holds every query string, the cookies and
 * {@link apiCacheKeyHeaders}, so responses that vary on them are never mixed up.
 */
export function apiCachePolicySettings(credentialHeaders: readonly string[] = []): CachePolicySettings {
    return {
        comment: "API: cached only as the response's Cache-Control allows (max 1 day)",
        minTtl: 0,
        defaultTtl: 0,
        maxTtl: ONE_DAY_SECONDS,
        parametersInCacheKeyAndForwardedToOrigin: {
            enableAcceptEncodingGzip: true,
            enableAcceptEncodingBrotli: true,
            headersConfig: { headerBehavior: "whitelist", headers: { items: apiCacheKeyHeaders(credentialHeaders) } },
            cookiesConfig: { cookieBehavior: "all" },
            queryStringsConfig: { queryStringBehavior: "all" },
        },
    };
}

/** Settings of the API origin request policy (the shape of `aws.cloudfront.OriginRequestPolicyArgs`). */
export interface OriginRequestPolicySettings {
    /** What the policy is for. */
    comment: string;
    /** Headers forwarded. */
    headersConfig: { headerBehavior: "allExcept"; headers: { items: string[] } };
    /** Cookies forwarded. */
    cookiesConfig: { cookieBehavior: "all" };
    /** Query strings forwarded. */
    queryStringsConfig: { queryStringBehavior: "all" };
}

/**
 * What reaches the API besides the cache key: every viewer header except `Host` (CloudFront then sends the
 * origin's own name as Host and as TLS SNI, so the load balancer's certificate for `apiOriginDomain` matches),
 * every cookie and query string. `Authorization` comes through the cache policy.
 */
export function apiOriginRequestPolicySettings(): OriginRequestPolicySettings {
    return {
        comment: "API: all viewer headers but Host, all cookies and query strings",
        headersConfig: { headerBehavior: "allExcept", headers: { items: ["Host"] } },
        cookiesConfig: { cookieBehavior: "all" },
        queryStringsConfig: { queryStringBehavior: "all" },
    };
}

/** The short TTL of `index.html` at the edge: a deploy reaches every viewer within a minute, without an invalidation. */
export const INDEX_TTL_SECONDS = 60;

/**
 * Cache policy of `/index.html` (and `/`, through the default root object): cached at the edge for exactly
 * {@link INDEX_TTL_SECONDS} whatever the object's `Cache-Control` (its `no-cache` is for browsers, which then
 * revalidate on every load), key = path only.
 */
export function indexCachePolicySettings(): CachePolicySettings {
    return {
        comment: `The front end's index.html: ${INDEX_TTL_SECONDS} s at the edge, key is the path only`,
        minTtl: INDEX_TTL_SECONDS,
        defaultTtl: INDEX_TTL_SECONDS,
        maxTtl: INDEX_TTL_SECONDS,
        parametersInCacheKeyAndForwardedToOrigin: {
            enableAcceptEncodingGzip: true,
            enableAcceptEncodingBrotli: true,
            headersConfig: { headerBehavior: "none" },
            cookiesConfig: { cookieBehavior: "none" },
            queryStringsConfig: { queryStringBehavior: "none" },
        },
    };
}

/**
 * Content-Security-Policy of every response: scripts, styles, fetches and forms from the site's own origin only (the
 * front end and the API share it), images also as `data:` URLs, no plugins, no framing, no `<base>`. No
 * `unsafe-inline` or `unsafe-eval`: the front end has no inline script or style (app/test/e2e checks the built
 * `index.html`, and the local server it runs behind sends this same header).
 */
export const CONTENT_SECURITY_POLICY = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "object-src 'none'",
].join("; ");

/** HSTS max-age: two years, above the one year browsers' preload lists require. */
export const HSTS_MAX_AGE_SECONDS = 2 * ONE_YEAR_SECONDS;

/**
 * Security headers of every response (the shape of `ResponseHeadersPolicy.securityHeadersConfig`): HSTS for two
 * years with subdomains and preload, `nosniff`, `X-Frame-Options: DENY`, `strict-origin-when-cross-origin` and
 * {@link CONTENT_SECURITY_POLICY}. They override what the origin sends, so no origin can weaken them.
 */
export function securityHeadersSettings() {
    return {
        contentSecurityPolicy: { contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true },
        strictTransportSecurity: { accessControlMaxAgeSec: HSTS_MAX_AGE_SECONDS, includeSubdomains: true, preload: true, override: true },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: "DENY", override: true },
        referrerPolicy: { referrerPolicy: "strict-origin-when-cross-origin", override: true },
    };
}

/** AWS managed rule groups every Groundwork web ACL runs, in priority order. */
export const MANAGED_RULE_GROUPS: readonly string[] = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet"];

/** Visibility config of a web ACL or rule: metrics and sampled requests on. */
export function visibility(metricName: string) {
    return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metricName.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 128) };
}

/**
 * The web ACL's rules: the IP reputation list first (cheapest, drops known-bad sources), then the common
 * and known-bad-inputs rule groups, then a per-IP rate limit over 5 minutes. Managed groups keep their own
 * actions (`overrideAction: none`).
 */
export function webAclRules(metricPrefix: string, rateLimit: number) {
    const managed = MANAGED_RULE_GROUPS.map((group, i) => ({
        name: group,
        priority: i,
        overrideAction: { none: {} },
        statement: { managedRuleGroupStatement: { vendorName: "AWS", name: group } },
        visibilityConfig: visibility(`${metricPrefix}-${group}`),
    }));
    return [
        ...managed,
        {
            name: "RateLimitPerIp",
            priority: managed.length,
            action: { block: {} },
            statement: { rateBasedStatement: { limit: rateLimit, aggregateKeyType: "IP", evaluationWindowSec: 300 } },
            visibilityConfig: visibility(`${metricPrefix}-RateLimitPerIp`),
        },
    ];
}

/**
 * Request headers WAF logs redact: `authorization`, `cookie` and the protected API's own credential headers, so
 * credentials and session cookies never reach the log group.
 */
export function wafRedactedHeaders(credentialHeaders: readonly string[] = []): string[] {
    return [...new Set(["authorization", "cookie", ...credentialHeaders.map((h) => h.toLowerCase())])];
}

/** The origin-verify header as CloudFront's `customHeaders` entry. */
export function originVerifyHeader(value: string): { name: string; value: string } {
    return { name: ORIGIN_VERIFY_HEADER, value };
}
