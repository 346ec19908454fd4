import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError, BaseArgs, LOG_RETENTION_DAYS, Transform } from "../base";
import type { KmsKeyTransforms } from "../secrets/kmsKey";
import { EXEMPTION_PREFIX, MIN_REASON_LENGTH } from "@groundwork/policy-kit/facts";

/** CloudFront price classes: which edge locations serve the distribution (cost against latency). */
export type PriceClass = "PriceClass_100" | "PriceClass_200" | "PriceClass_All";

/** The price classes, for validation messages and config schemas. */
export const PRICE_CLASSES: readonly PriceClass[] = ["PriceClass_100", "PriceClass_200", "PriceClass_All"];

/**
 * Retention values the CDN's log group and log bucket accept: {@link LOG_RETENTION_DAYS}.
 * @deprecated Use `LOG_RETENTION_DAYS` (components/base.ts), the one list.
 */
export const CDN_LOG_RETENTION_DAYS: readonly number[] = LOG_RETENTION_DAYS;

/** Smallest rate-based rule limit AWS WAF accepts (requests per evaluation window per IP). */
export const MIN_RATE_LIMIT = 10;
/** Largest rate-based rule limit AWS WAF accepts. */
export const MAX_RATE_LIMIT = 2_000_000_000;

/** Region every CloudFront-scoped resource lives in: the viewer certificate, the web ACL, log delivery. */
export const CLOUDFRONT_REGION = "us-east-1";

/** Minimum TLS policy the distribution offers viewers with a custom certificate. A constant, not a knob. */
export const VIEWER_MIN_TLS = "TLSv1.2_2021";

/** TLS versions CloudFront may use to the API origin. A constant, not a knob. */
export const ORIGIN_SSL_PROTOCOLS: readonly string[] = ["TLSv1.2"];

/** Path pattern served from the static assets bucket; everything else goes to the API. */
export const STATIC_PATH_PATTERN = "/static/*";

/** Name of the managed prefix list of CloudFront's origin-facing addresses (IPv4). */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/** Header CloudFront adds to every API origin request; the load balancer forwards only requests that carry it. */
export const ORIGIN_VERIFY_HEADER = "X-Origin-Verify";

/** Length of the generated origin-verify secret (letters and digits). */
export const ORIGIN_VERIFY_SECRET_LENGTH = 48;

/**
 * Policy name of the viewer-TLS rule (policies/security/rules/cloudfront/distribution/configureViewerTls.ts);
 * the default-certificate opt-out tags the distribution with its exemption. Kept here because the
 * published component library does not import the policy pack; a test asserts both names agree.
 */
export const VIEWER_TLS_POLICY_NAME = "aws-cloudfront-distribution-configure-viewer-tls";

/** Prefix of exemption tags: the packs' own (`@groundwork/policy-kit` `EXEMPTION_PREFIX`), so the two cannot drift. */
export const EXEMPTION_TAG_PREFIX: string = EXEMPTION_PREFIX;

/** Shortest accepted opt-out reason: the packs' own (`@groundwork/policy-kit` `MIN_REASON_LENGTH`). */
export const MIN_OPT_OUT_REASON_LENGTH: number = MIN_REASON_LENGTH;

/** Arguments of the {@link WebAcl} component. */
export interface WebAclArgs extends BaseArgs {
    /**
     * Requests one client IP may make in a 5-minute window before the rate-based rule blocks it,
     * 10 to 2,000,000,000 (the range AWS WAF accepts).
     * @default 2000
     */
    readonly rateLimit?: number;
    /**
     * Days the WAF log group keeps its events; one of the values CloudWatch Logs accepts ({@link LOG_RETENTION_DAYS}).
     * @default 365
     */
    readonly logRetentionDays?: number;
    /**
     * Protect the WAF log group from deletion (`protect` and `retainOnDelete`).
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Request headers that carry the protected application's credentials (for example `x-api-key`): redacted from
     * the WAF logs besides `authorization` and `cookie`. Lower-case header names.
     * @default []
     */
    readonly credentialHeaders?: string[];
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: WebAclTransforms;
}

/** Per-child {@link Transform}s of a {@link WebAcl}. */
export interface WebAclTransforms {
    /** The `aws.wafv2.WebAcl`. */
    readonly webAcl?: Transform<aws.wafv2.WebAclArgs>;
    /** The WAF log group. */
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The logging configuration (destination and redacted fields). */
    readonly logging?: Transform<aws.wafv2.WebAclLoggingConfigurationArgs>;
    /** The log group's {@link KmsKey}, a child component: its own per-child transforms. */
    readonly logKey?: KmsKeyTransforms;
}

/** {@link WebAclArgs} with every default applied and validated. */
export interface ResolvedWebAclArgs {
    /** Rate limit per IP per 5 minutes. */
    readonly rateLimit: number;
    /** WAF log retention in days. */
    readonly logRetentionDays: number;
    /** Whether the log group is protected. */
    readonly protect: boolean;
    /** The credential headers (validated, lower-case), which the WAF logs redact with `authorization` and `cookie`. */
    readonly credentialHeaders: string[];
}

/** Arguments of the {@link Cdn} component. */
export interface CdnArgs extends BaseArgs {
    /**
     * DNS name of the API origin: the load balancer's DNS name or a name pointing at it. CloudFront connects
     * to it over HTTPS only (TLS 1.2), so the load balancer needs a certificate valid for this name. Not an IP
     * address and not a URL.
     */
    readonly apiOriginDomain: pulumi.Input<string>;
    /**
     * VPC of the load balancer. The component creates `originSecurityGroup` there: HTTPS (443) ingress only
     * from CloudFront's origin-facing managed prefix list, to attach to the load balancer.
     */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Custom domain of the distribution, for example `www.example.com`. A plain string: the certificate's
     * validation records are declared per name. Required unless `defaultCertificateReason` is given.
     * @default - none; then `defaultCertificateReason` must be set
     */
    readonly domainName?: string;
    /**
     * More names the distribution answers to and the certificate covers (`*.example.com` allowed). Plain strings.
     * @default []
     */
    readonly alternativeNames?: string[];
    /**
     * Route 53 hosted zone of `domainName`. When given, the component issues an ACM certificate in us-east-1,
     * validates it by DNS in this zone, and creates A/AAAA alias records to the distribution.
     * @default - none; then `certificateArn` must be given with `domainName`
     */
    readonly hostedZoneId?: pulumi.Input<string>;
    /**
     * ARN of an issued ACM certificate in us-east-1 covering `domainName` and `alternativeNames`, for domains
     * whose DNS is not in Route 53. Takes precedence over issuing one.
     * @default - issued and DNS-validated through `hostedZoneId`
     */
    readonly certificateArn?: pulumi.Input<string>;
    /**
     * Opt-out: serve on the default `*.cloudfront.net` certificate (no custom domain). CloudFront then allows
     * TLS 1.0 to viewers, so this needs a reason (at least 10 characters) and tags the distribution with the
     * exemption from the viewer-TLS policy (`exempt.groundwork.dev/aws-cloudfront-distribution-configure-viewer-tls`).
     * Meant for development stacks without a domain. Mutually exclusive with `domainName`.
     * @default - none: a custom domain is required
     */
    readonly defaultCertificateReason?: string;
    /**
     * Which edge locations serve the distribution: `PriceClass_100` (North America, Europe, Israel; cheapest),
     * `PriceClass_200`, or `PriceClass_All`.
     * @default "PriceClass_100"
     */
    readonly priceClass?: PriceClass;
    /**
     * ARN of an existing WAFv2 web ACL (scope CLOUDFRONT) to attach instead of creating one.
     * @default - a {@link WebAcl} created by this component
     */
    readonly webAclArn?: pulumi.Input<string>;
    /**
     * Rate limit of the created web ACL (requests per IP per 5 minutes), 10 to 2,000,000,000. Not allowed with `webAclArn`.
     * @default 2000
     */
    readonly rateLimit?: number;
    /**
     * Days access logs (S3 log bucket) and WAF logs (CloudWatch Logs) are kept; one of the values CloudWatch
     * Logs accepts ({@link LOG_RETENTION_DAYS}).
     * @default 365
     */
    readonly logRetentionDays?: number;
    /**
     * Days a replaced or deleted static asset stays as a noncurrent version (rollback window), 1 to 3650.
     * @default 30
     */
    readonly noncurrentVersionDays?: number;
    /**
     * KMS key for the static assets bucket (SSE-KMS with an S3 bucket key). Its key policy must let
     * `cloudfront.amazonaws.com` call `kms:Decrypt` with `aws:SourceArn` = the distribution's ARN (the
     * `distributionArn` output), or CloudFront cannot read the objects.
     * @default - SSE-S3 (AES256), which CloudFront reads through OAC without key policy changes
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Protect the buckets (static assets and logs) and the WAF log group from deletion: `protect` and
     * `retainOnDelete`; when false the buckets are also `forceDestroy` so a dev stack can be destroyed.
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Request headers the API authenticates with besides `Authorization` (for example `x-api-key`; the reference
     * app declares its own in app/src/contract.json). They join the API cache key, so one client's cacheable
     * response is never served to another, and the WAF logs redact them. Lower-case header names, at most 7
     * (CloudFront keys on at most 10 headers).
     * @default []
     */
    readonly credentialHeaders?: string[];
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: CdnTransforms;
}

/** Per-child {@link Transform}s of a {@link Cdn}. */
export interface CdnTransforms {
    /** The CloudFront distribution. */
    readonly distribution?: Transform<aws.cloudfront.DistributionArgs>;
    /** The static assets bucket. */
    readonly staticBucket?: Transform<aws.s3.BucketArgs>;
    /** The log bucket. */
    readonly logBucket?: Transform<aws.s3.BucketArgs>;
    /** Block Public Access of both buckets (`name` tells them apart). */
    readonly publicAccessBlock?: Transform<aws.s3.BucketPublicAccessBlockArgs>;
    /** The static bucket's policy (TLS only, the distribution reads). */
    readonly staticBucketPolicy?: Transform<aws.s3.BucketPolicyArgs>;
    /** The log bucket's policy (TLS only, the log writers of this account). */
    readonly logBucketPolicy?: Transform<aws.s3.BucketPolicyArgs>;
    /** The origin security group of the API load balancer. */
    readonly originSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** The ACM viewer certificate, when the component issues one. */
    readonly certificate?: Transform<aws.acm.CertificateArgs>;
    /** The Origin Access Control of the static bucket origin. */
    readonly originAccessControl?: Transform<aws.cloudfront.OriginAccessControlArgs>;
    /** Both cache policies, static and API (`name` tells them apart). */
    readonly cachePolicy?: Transform<aws.cloudfront.CachePolicyArgs>;
    /** The API origin request policy. */
    readonly originRequestPolicy?: Transform<aws.cloudfront.OriginRequestPolicyArgs>;
    /** The security headers policy. */
    readonly responseHeadersPolicy?: Transform<aws.cloudfront.ResponseHeadersPolicyArgs>;
    /** The {@link WebAcl} the component creates (without `webAclArn`): its own per-child transforms. */
    readonly webAcl?: WebAclTransforms;
}

/** How the distribution gets its viewer certificate. */
export type CertificateMode =
    /** Issue an ACM certificate in us-east-1 and validate it through the hosted zone. */
    | { kind: "issue"; names: string[] }
    /** Use the given certificate ARN. */
    | { kind: "given"; names: string[] }
    /** The default CloudFront certificate, through the reasoned opt-out. */
    | { kind: "default"; reason: string };

/** {@link CdnArgs} with every default applied and validated (the Input-typed fields are passed through). */
export interface ResolvedCdnArgs {
    /** How the viewer certificate is obtained, with the names it covers. */
    readonly certificate: CertificateMode;
    /** Price class. */
    readonly priceClass: PriceClass;
    /** Whether the component creates its own web ACL. */
    readonly createWebAcl: boolean;
    /** Rate limit of the created web ACL. */
    readonly rateLimit: number;
    /** Log retention in days (access logs and WAF logs). */
    readonly logRetentionDays: number;
    /** Noncurrent version retention of the static assets bucket. */
    readonly noncurrentVersionDays: number;
    /** Whether stateful children are protected. */
    readonly protect: boolean;
    /** The credential headers (validated, lower-case). */
    readonly credentialHeaders: string[];
}

/** Most credential headers a Cdn takes: CloudFront keys on at most 10 headers, and the API's key holds three more. */
export const MAX_CREDENTIAL_HEADERS = 7;

const HEADER_NAME = /^[a-z0-9!#$%&'*+.^_`|~-]+$/;

/** Validates credential header names; returns them lower-cased and without duplicates. */
export function resolveCredentialHeaders(who: string, headers: string[] | undefined): string[] {
    const out: string[] = [];
    for (const h of headers ?? []) {
        const name = String(h).trim().toLowerCase();
        if (!HEADER_NAME.test(name)) throw new ArgumentError(who, "credentialHeaders", `'${h}' is not an HTTP header name`, "list header names such as 'x-api-key'");
        if (["cookie", "host"].includes(name)) throw new ArgumentError(who, "credentialHeaders", `'${name}' cannot be a credential header here`, "list only the headers that carry API credentials (cookies are redacted and keyed already)");
        if (!out.includes(name) && name !== "authorization") out.push(name);
    }
    if (out.length > MAX_CREDENTIAL_HEADERS) {
        throw new ArgumentError(who, "credentialHeaders", `${out.length} headers given`, `list at most ${MAX_CREDENTIAL_HEADERS}: CloudFront keys on at most 10 headers, three of them fixed`);
    }
    return out;
}

const HOSTNAME = /^(\*\.)?(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$/;

/** True when `name` is a lower-case DNS name, optionally a `*.` wildcard, with at least two labels. */
export function isDnsName(name: string): boolean {
    return name.length <= 253 && HOSTNAME.test(name);
}

/** Problem with an origin domain given as a plain string, or undefined when it is usable. */
export function originDomainProblem(domain: string): string | undefined {
    if (/^[a-z]+:\/\//i.test(domain)) return `'${domain}' is a URL, not a DNS name`;
    if (/^\d{1,3}(\.\d{1,3}){3}$/.test(domain) || domain.includes(":")) return `'${domain}' is an IP address; CloudFront custom origins need a DNS name`;
    if (domain.startsWith("*.") || !isDnsName(domain.toLowerCase())) return `'${domain}' is not a DNS name`;
    return undefined;
}

/**
 * Applies the defaults of {@link WebAclArgs} and validates them; pure. Throws an {@link ArgumentError}
 * naming the component, the field and the fix.
 */
export function resolveWebAclArgs(who: string, args: WebAclArgs = {}): ResolvedWebAclArgs {
    const rateLimit = args.rateLimit ?? 2000;
    const logRetentionDays = args.logRetentionDays ?? 365;
    const protect = args.protect ?? true;
    if (!Number.isInteger(rateLimit) || rateLimit < MIN_RATE_LIMIT || rateLimit > MAX_RATE_LIMIT) {
        throw new ArgumentError(who, "rateLimit", `${rateLimit} is not a whole number from ${MIN_RATE_LIMIT} to ${MAX_RATE_LIMIT}`, "give the requests per IP per 5 minutes AWS WAF accepts, for example 2000");
    }
    if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
        throw new ArgumentError(who, "logRetentionDays", `${logRetentionDays} is not a CloudWatch Logs retention value`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    const credentialHeaders = resolveCredentialHeaders(who, args.credentialHeaders);
    return { rateLimit, logRetentionDays, protect, credentialHeaders };
}

/**
 * Applies the defaults of {@link CdnArgs} and validates them; pure. Throws an {@link ArgumentError}
 * naming the component, the field and the fix.
 */
export function resolveCdnArgs(name: string, args: CdnArgs): ResolvedCdnArgs {
    const who = `Cdn '${name}'`;
    const domainName = args.domainName;
    const alternativeNames = args.alternativeNames ?? [];
    const reason = args.defaultCertificateReason;
    const priceClass = args.priceClass ?? "PriceClass_100";
    const createWebAcl = args.webAclArn === undefined;
    const noncurrentVersionDays = args.noncurrentVersionDays ?? 30;
    const protect = args.protect ?? true;

    if (args.apiOriginDomain === undefined || args.apiOriginDomain === null || args.apiOriginDomain === "") {
        throw new ArgumentError(who, "apiOriginDomain", "no API origin given", "pass the DNS name of the load balancer in front of the API");
    }
    if (typeof args.apiOriginDomain === "string") {
        const problem = originDomainProblem(args.apiOriginDomain);
        if (problem) throw new ArgumentError(who, "apiOriginDomain", problem, "pass the load balancer's DNS name, for example 'k8s-api-123.eu-west-1.elb.amazonaws.com'");
    }
    if (args.vpcId === undefined || args.vpcId === null || args.vpcId === "") {
        throw new ArgumentError(who, "vpcId", "no VPC given", "pass the id of the VPC the load balancer runs in, so the origin security group can be created there");
    }

    let certificate: CertificateMode;
    if (domainName === undefined) {
        if (alternativeNames.length > 0) {
            throw new ArgumentError(who, "alternativeNames", "alternative names given without domainName", "set domainName, or drop alternativeNames");
        }
        if (args.hostedZoneId !== undefined || args.certificateArn !== undefined) {
            throw new ArgumentError(who, "domainName", "hostedZoneId or certificateArn given without a domain", "set domainName to the name the certificate is for");
        }
        if (reason === undefined) {
            throw new ArgumentError(
                who,
                "domainName",
                "no custom domain, and the default *.cloudfront.net certificate (which allows TLS 1.0) was not opted into",
                "set domainName with hostedZoneId (or certificateArn), or set defaultCertificateReason to say why this stack may use the default certificate",
            );
        }
        if (reason.trim().length < MIN_OPT_OUT_REASON_LENGTH) {
            throw new ArgumentError(who, "defaultCertificateReason", `'${reason}' is not a reason`, `say in at least ${MIN_OPT_OUT_REASON_LENGTH} characters why the default certificate is acceptable here`);
        }
        certificate = { kind: "default", reason: reason.trim() };
    } else {
        if (reason !== undefined) {
            throw new ArgumentError(who, "defaultCertificateReason", "given together with domainName", "drop defaultCertificateReason: a custom domain gets its own certificate");
        }
        const names = [domainName, ...alternativeNames];
        for (const [i, n] of names.entries()) {
            if (!isDnsName(n)) {
                throw new ArgumentError(who, i === 0 ? "domainName" : "alternativeNames", `'${n}' is not a lower-case DNS name`, "use names such as 'www.example.com' or '*.example.com'");
            }
        }
        const dupes = names.filter((n, i) => names.indexOf(n) !== i);
        if (dupes.length > 0) {
            throw new ArgumentError(who, "alternativeNames", `${dupes.join(", ")} listed twice`, "list each name once");
        }
        if (args.certificateArn !== undefined) certificate = { kind: "given", names };
        else if (args.hostedZoneId !== undefined) certificate = { kind: "issue", names };
        else {
            throw new ArgumentError(
                who,
                "hostedZoneId",
                `no way to get a validated certificate for '${domainName}'`,
                "pass hostedZoneId (Route 53 zone of the domain, for DNS validation) or certificateArn (an issued ACM certificate in us-east-1)",
            );
        }
    }
    if (!PRICE_CLASSES.includes(priceClass)) {
        throw new ArgumentError(who, "priceClass", `'${priceClass}' is not a price class`, `use one of ${PRICE_CLASSES.join(", ")}`);
    }
    if (!createWebAcl && args.rateLimit !== undefined) {
        throw new ArgumentError(who, "rateLimit", "given together with webAclArn, whose rules this component does not manage", "drop rateLimit, or drop webAclArn to let the component create the web ACL");
    }
    const credentialHeaders = resolveCredentialHeaders(who, args.credentialHeaders);
    const waf = resolveWebAclArgs(who, { rateLimit: args.rateLimit, logRetentionDays: args.logRetentionDays, protect, credentialHeaders });
    if (!Number.isInteger(noncurrentVersionDays) || noncurrentVersionDays < 1 || noncurrentVersionDays > 3650) {
        throw new ArgumentError(who, "noncurrentVersionDays", `${noncurrentVersionDays} is not a whole number of days from 1 to 3650`, "keep old asset versions for a rollback window such as 30 days");
    }
    return { certificate, priceClass, createWebAcl, rateLimit: waf.rateLimit, logRetentionDays: waf.logRetentionDays, noncurrentVersionDays, protect, credentialHeaders };
}

/**
 * Names whose ACM DNS validation records must be created: one per distinct base name, since `*.example.com`
 * and `example.com` share the same validation record. Pure.
 */
export function validationNames(names: readonly string[]): string[] {
    const seen = new Set<string>();
    const out: string[] = [];
    for (const n of names) {
        const base = n.replace(/^\*\./, "");
        if (seen.has(base)) continue;
        seen.add(base);
        out.push(n);
    }
    return out;
}

/** A DNS name turned into a logical-name fragment: `*.example.com` -> `wildcard-example-com`. Pure. */
export function nameSlug(name: string): string {
    return name.replace(/^\*\./, "wildcard.").replace(/[^a-z0-9]+/g, "-");
}
