import {
    CdnArgs,
    isDnsName,
    nameSlug,
    originDomainProblem,
    resolveCdnArgs,
    resolveWebAclArgs,
    validationNames,
    VIEWER_MIN_TLS,
    VIEWER_TLS_POLICY_NAME,
} from "../../../components/cdn/args";
import {
    apiCachePolicySettings,
    apiOriginRequestPolicySettings,
    logBucketPolicy,
    securityHeadersSettings,
    staticBucketPolicy,
    staticCachePolicySettings,
    wafRedactedHeaders,
    webAclRules,
} from "../../../components/cdn/documents";
import { distributionConfigureViewerTls } from "../../../policies/security/rules/cloudfront/distribution/configureViewerTls";
import { MODERN_VIEWER_TLS_POLICIES } from "../../../policies/security/rules/cloudfront/distribution/configureViewerTls";
import { bucketPolicyDisallowPublicPrincipal } from "../../../policies/security/rules/s3/bucketPolicy/disallowPublicPrincipal";
import { bucketPolicyEnforceTls } from "../../../policies/security/rules/s3/bucketPolicy/enforceTls";
import { checkResource } from "../../support/policy";

const base: CdnArgs = { apiOriginDomain: "api-origin.example.com", vpcId: "vpc-0abc", domainName: "www.example.com", hostedZoneId: "Z123" };

describe("resolveCdnArgs", () => {
    it("applies secure defaults", () => {
        expect(resolveCdnArgs("edge", base)).toEqual({
            certificate: { kind: "issue", names: ["www.example.com"] },
            priceClass: "PriceClass_100",
            createWebAcl: true,
            credentialHeaders: [],
            rateLimit: 2000,
            logRetentionDays: 365,
            noncurrentVersionDays: 30,
            protect: true,
        });
    });

    it.each<[string, Partial<CdnArgs>, CdnArgs["domainName"] | undefined, object]>([
        ["certificate given: no issuing", { certificateArn: "arn:aws:acm:us-east-1:1:certificate/x", hostedZoneId: undefined }, "www.example.com", { kind: "given", names: ["www.example.com"] }],
        ["alternative names follow the domain", { alternativeNames: ["example.com", "*.example.com"] }, "www.example.com", { kind: "issue", names: ["www.example.com", "example.com", "*.example.com"] }],
        ["reasoned default-certificate opt-out", { hostedZoneId: undefined, defaultCertificateReason: "  dev stack has no domain  " }, undefined, { kind: "default", reason: "dev stack has no domain" }],
    ])("certificate mode: %s", (_label, change, domainName, expected) => {
        expect(resolveCdnArgs("edge", { ...base, ...change, domainName }).certificate).toEqual(expected);
    });

    it.each<[string, Partial<CdnArgs>, string]>([
        ["missing domain without opt-out", { domainName: undefined, hostedZoneId: undefined }, "invalid 'domainName': no custom domain"],
        ["blank opt-out reason", { domainName: undefined, hostedZoneId: undefined, defaultCertificateReason: "dev" }, "invalid 'defaultCertificateReason': 'dev' is not a reason"],
        ["opt-out together with a domain", { defaultCertificateReason: "dev stack has no domain" }, "invalid 'defaultCertificateReason': given together with domainName"],
        ["domain without zone or certificate", { hostedZoneId: undefined }, "invalid 'hostedZoneId': no way to get a validated certificate for 'www.example.com'"],
        ["zone without domain", { domainName: undefined, defaultCertificateReason: "dev stack has no domain" }, "invalid 'domainName': hostedZoneId or certificateArn given without a domain"],
        ["alternative names without domain", { domainName: undefined, alternativeNames: ["a.example.com"] }, "invalid 'alternativeNames': alternative names given without domainName"],
        ["upper-case domain", { domainName: "WWW.example.com" }, "invalid 'domainName': 'WWW.example.com' is not a lower-case DNS name"],
        ["bad alternative name", { alternativeNames: ["not a name"] }, "invalid 'alternativeNames': 'not a name' is not a lower-case DNS name"],
        ["duplicate name", { alternativeNames: ["www.example.com"] }, "invalid 'alternativeNames': www.example.com listed twice"],
        ["API origin is a URL", { apiOriginDomain: "https://api.example.com" }, "invalid 'apiOriginDomain': 'https://api.example.com' is a URL, not a DNS name"],
        ["API origin is an IP", { apiOriginDomain: "203.0.113.7" }, "invalid 'apiOriginDomain': '203.0.113.7' is an IP address"],
        ["API origin empty", { apiOriginDomain: "" }, "invalid 'apiOriginDomain': no API origin given"],
        ["no VPC", { vpcId: "" }, "invalid 'vpcId': no VPC given"],
        ["unknown price class", { priceClass: "PriceClass_1" as never }, "invalid 'priceClass': 'PriceClass_1' is not a price class"],
        ["rate limit below AWS's minimum", { rateLimit: 9 }, "invalid 'rateLimit': 9 is not a whole number from 10 to 2000000000"],
        ["rate limit above AWS's maximum", { rateLimit: 2_000_000_001 }, "invalid 'rateLimit': 2000000001 is not a whole number"],
        ["fractional rate limit", { rateLimit: 100.5 }, "invalid 'rateLimit': 100.5 is not a whole number"],
        ["rate limit with a foreign web ACL", { webAclArn: "arn:aws:wafv2:us-east-1:1:global/webacl/x/y", rateLimit: 100 }, "invalid 'rateLimit': given together with webAclArn"],
        ["log retention CloudWatch does not accept", { logRetentionDays: 10 }, "invalid 'logRetentionDays': 10 is not a CloudWatch Logs retention value"],
        ["noncurrent versions kept 0 days", { noncurrentVersionDays: 0 }, "invalid 'noncurrentVersionDays': 0 is not a whole number of days"],
    ])("throws on %s, naming the component and field", (_label, change, message) => {
        expect(() => resolveCdnArgs("edge", { ...base, ...change })).toThrow(`Cdn 'edge': ${message}`);
    });

    it("every error says how to fix it", () => {
        expect(() => resolveCdnArgs("edge", { ...base, domainName: undefined, hostedZoneId: undefined })).toThrow(/Fix: set domainName with hostedZoneId \(or certificateArn\), or set defaultCertificateReason/);
    });

    it("accepts the rate-limit bounds AWS documents", () => {
        expect(resolveCdnArgs("edge", { ...base, rateLimit: 10 }).rateLimit).toBe(10);
        expect(resolveCdnArgs("edge", { ...base, rateLimit: 2_000_000_000 }).rateLimit).toBe(2_000_000_000);
    });
});

describe("resolveWebAclArgs", () => {
    it("defaults", () => {
        expect(resolveWebAclArgs("WebAcl 'w'")).toEqual({ rateLimit: 2000, logRetentionDays: 365, protect: true, credentialHeaders: [] });
    });
    it("throws naming the field", () => {
        expect(() => resolveWebAclArgs("WebAcl 'w'", { rateLimit: 0 })).toThrow("WebAcl 'w': invalid 'rateLimit'");
    });
});

describe("credentialHeaders (the API's own credential headers)", () => {
    it("are lower-cased, deduplicated, and join the WAF redaction and the API cache key", () => {
        const r = resolveCdnArgs("c", { ...base, credentialHeaders: ["X-Api-Key", "x-api-key", "Authorization"] });
        expect(r.credentialHeaders).toEqual(["x-api-key"]);
        expect(wafRedactedHeaders(r.credentialHeaders)).toEqual(["authorization", "cookie", "x-api-key"]);
        expect(apiCachePolicySettings(r.credentialHeaders).parametersInCacheKeyAndForwardedToOrigin.headersConfig.headers?.items).toEqual(["Authorization", "Accept", "Accept-Language", "x-api-key"]);
    });
    it("default to none: Authorization and cookies only", () => {
        expect(wafRedactedHeaders(resolveCdnArgs("c", base).credentialHeaders)).toEqual(["authorization", "cookie"]);
    });
    it.each<[string, string[], RegExp]>([
        ["not a header name", ["x api key"], /Cdn 'c': invalid 'credentialHeaders'.*'x api key' is not an HTTP header name/],
        ["the cookie header", ["Cookie"], /'cookie' cannot be a credential header here/],
        ["more than CloudFront can key on", ["a", "b", "c", "d", "e", "f", "g", "h"], /8 headers given.*at most 7/],
    ])("rejects %s, naming the field and the fix", (_label, headers, message) => {
        expect(() => resolveCdnArgs("c", { ...base, credentialHeaders: headers })).toThrow(message);
    });
});

describe("names", () => {
    it.each<[string, boolean]>([
        ["www.example.com", true],
        ["*.example.com", true],
        ["a-b.example.co.uk", true],
        ["example", false],
        ["-bad.example.com", false],
        ["bad-.example.com", false],
        ["Upper.example.com", false],
        ["*.*.example.com", false],
        ["a..example.com", false],
    ])("isDnsName(%s) = %s", (name, ok) => {
        expect(isDnsName(name)).toBe(ok);
    });

    it.each<[string, string | undefined]>([
        ["k8s-api-1a2b.eu-west-1.elb.amazonaws.com", undefined],
        ["API.Example.com", undefined],
        ["http://api.example.com", "'http://api.example.com' is a URL, not a DNS name"],
        ["2001:db8::1", "'2001:db8::1' is an IP address; CloudFront custom origins need a DNS name"],
        ["*.example.com", "'*.example.com' is not a DNS name"],
    ])("originDomainProblem(%s)", (domain, problem) => {
        expect(originDomainProblem(domain)).toBe(problem);
    });

    it.each<[string[], string[]]>([
        [["www.example.com"], ["www.example.com"]],
        [["example.com", "*.example.com"], ["example.com"]],
        [["*.example.com", "example.com", "api.example.com"], ["*.example.com", "api.example.com"]],
    ])("validationNames(%j) shares the record of a name and its wildcard", (names, expected) => {
        expect(validationNames(names)).toEqual(expected);
    });

    it("nameSlug makes logical-name fragments", () => {
        expect(nameSlug("*.example.com")).toBe("wildcard-example-com");
        expect(nameSlug("www.example.com")).toBe("www-example-com");
    });
});

describe("contract with the policy pack", () => {
    it("the default-certificate opt-out exempts from the viewer-TLS rule by its exact name", () => {
        expect(VIEWER_TLS_POLICY_NAME).toBe(distributionConfigureViewerTls.name);
    });

    it("the viewer TLS policy is one the rule accepts", () => {
        expect(MODERN_VIEWER_TLS_POLICIES).toContain(VIEWER_MIN_TLS);
    });
});

describe("documents", () => {
    const bucketArn = "arn:aws:s3:::assets-1a2b";
    const distributionArn = "arn:aws:cloudfront::123456789012:distribution/E1ABC";
    const logs = logBucketPolicy({ logBucketArn: "arn:aws:s3:::logs-1a2b", accountId: "123456789012", partition: "aws", sourceBucketArn: bucketArn });

    it("static bucket policy: TLS only, GetObject for this distribution only", () => {
        const doc = staticBucketPolicy(bucketArn, distributionArn);
        expect(doc.Statement).toEqual([
            expect.objectContaining({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [bucketArn, `${bucketArn}/*`], Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            {
                Sid: "AllowThisDistributionToRead",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: `${bucketArn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": distributionArn } },
            },
        ]);
    });

    it("log bucket policy: writers pinned to this account's delivery sources and the static bucket", () => {
        const allows = logs.Statement.filter((s) => s.Effect === "Allow");
        expect(allows.map((s) => [s.Sid, s.Principal, s.Condition?.StringEquals?.["aws:SourceAccount"]])).toEqual([
            ["AWSLogDeliveryWrite", { Service: "delivery.logs.amazonaws.com" }, "123456789012"],
            ["AWSLogDeliveryAclCheck", { Service: "delivery.logs.amazonaws.com" }, "123456789012"],
            ["S3ServerAccessLogs", { Service: "logging.s3.amazonaws.com" }, "123456789012"],
        ]);
        expect(allows[0].Condition?.ArnLike).toEqual({ "aws:SourceArn": "arn:aws:logs:us-east-1:123456789012:delivery-source:*" });
        expect(allows[2].Condition?.ArnLike).toEqual({ "aws:SourceArn": bucketArn });
    });

    it.each([
        ["static", { policy: JSON.stringify(staticBucketPolicy(bucketArn, distributionArn)) }],
        ["logs", { policy: JSON.stringify(logs) }],
    ])("the %s bucket policy passes the pack's S3 policy rules", (_label, props) => {
        expect(checkResource(bucketPolicyDisallowPublicPrincipal, props)).toEqual([]);
        expect(checkResource(bucketPolicyEnforceTls, props)).toEqual([]);
    });

    it("cache policies differ for static assets and the API", () => {
        const s = staticCachePolicySettings();
        const a = apiCachePolicySettings();
        // static: a year by default and at most, nothing but the path in the key
        expect([s.minTtl, s.defaultTtl, s.maxTtl]).toEqual([0, 31536000, 31536000]);
        expect(s.parametersInCacheKeyAndForwardedToOrigin).toMatchObject({ headersConfig: { headerBehavior: "none" }, cookiesConfig: { cookieBehavior: "none" }, queryStringsConfig: { queryStringBehavior: "none" } });
        // API: not cached unless Cache-Control says so, at most a day; the key holds what responses vary on
        expect([a.minTtl, a.defaultTtl, a.maxTtl]).toEqual([0, 0, 86400]);
        expect(a.parametersInCacheKeyAndForwardedToOrigin.headersConfig).toEqual({ headerBehavior: "whitelist", headers: { items: ["Authorization", "Accept", "Accept-Language"] } });
        expect(a.parametersInCacheKeyAndForwardedToOrigin.queryStringsConfig.queryStringBehavior).toBe("all");
        expect(a.parametersInCacheKeyAndForwardedToOrigin.cookiesConfig.cookieBehavior).toBe("all");
    });

    it("the origin request policy forwards every viewer header but Host (Authorization travels in the cache key)", () => {
        const o = apiOriginRequestPolicySettings();
        expect(o.headersConfig).toEqual({ headerBehavior: "allExcept", headers: { items: ["Host"] } });
        expect(JSON.stringify(o)).not.toContain("Authorization");
    });

    it("security headers: HSTS >= 1 year with subdomains and preload, nosniff, DENY, referrer policy", () => {
        const h = securityHeadersSettings();
        expect(h.strictTransportSecurity.accessControlMaxAgeSec).toBeGreaterThanOrEqual(31536000);
        expect(h.strictTransportSecurity).toMatchObject({ includeSubdomains: true, preload: true, override: true });
        expect(h.contentTypeOptions).toEqual({ override: true });
        expect(h.frameOptions).toEqual({ frameOption: "DENY", override: true });
        expect(h.referrerPolicy).toEqual({ referrerPolicy: "strict-origin-when-cross-origin", override: true });
    });

    it("web ACL rules: the three managed groups then a per-IP rate limit, all with metrics", () => {
        const rules = webAclRules("edge", 500);
        expect(rules.map((r) => [r.name, r.priority])).toEqual([
            ["AWSManagedRulesAmazonIpReputationList", 0],
            ["AWSManagedRulesCommonRuleSet", 1],
            ["AWSManagedRulesKnownBadInputsRuleSet", 2],
            ["RateLimitPerIp", 3],
        ]);
        expect(rules[3]).toMatchObject({ action: { block: {} }, statement: { rateBasedStatement: { limit: 500, aggregateKeyType: "IP" } } });
        for (const r of rules) expect(r.visibilityConfig).toMatchObject({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true });
    });
});
