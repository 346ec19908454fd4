import { unknownCheckingProxy } from "@pulumi/policy";
import type { GraphResource, StackFinding } from "@groundwork/policy-kit";
import { distributionConfigureDefaultRootObject } from "../../policies/security/rules/cloudfront/distribution/configureDefaultRootObject";
import { distributionConfigureViewerTls } from "../../policies/security/rules/cloudfront/distribution/configureViewerTls";
import { distributionEnableAccessLogging } from "../../policies/security/rules/cloudfront/distribution/enableAccessLogging";
import { distributionEnableSecurityHeaders } from "../../policies/security/rules/cloudfront/distribution/enableSecurityHeaders";
import { distributionEnableWaf } from "../../policies/security/rules/cloudfront/distribution/enableWaf";
import { distributionEnforceHttpsViewer } from "../../policies/security/rules/cloudfront/distribution/enforceHttpsViewer";
import { distributionEnforceOriginAccessControl } from "../../policies/security/rules/cloudfront/distribution/enforceOriginAccessControl";
import { distributionEnforceOriginHttps } from "../../policies/security/rules/cloudfront/distribution/enforceOriginHttps";
import { isS3RestDomain, isS3WebsiteDomain } from "../../policies/security/rules/cloudfront/shared";
import { checkResource, checkStack, graphResource } from "../support/policy";
import { ruleTable, type Props } from "../support/ruleTable";

/** What @pulumi/policy puts in props for a string that is unknown during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const DIST = "aws:cloudfront/distribution:Distribution";
const RHP = "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy";

/** A distribution as the Cdn component declares it: API default behaviour, /static/* from S3 through OAC. */
const good: Props = {
    enabled: true,
    aliases: ["www.example.com"],
    httpVersion: "http2and3",
    isIpv6Enabled: true,
    webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge/abc",
    origins: [
        { originId: "static-assets", domainName: "assets-1a2b.s3.eu-west-1.amazonaws.com", originAccessControlId: "E2OACID" },
        {
            originId: "api",
            domainName: "api-origin.example.com",
            customOriginConfig: { originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpPort: 80, httpsPort: 443 },
            customHeaders: ["[secret]"],
        },
    ],
    defaultCacheBehavior: {
        targetOriginId: "api",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"],
        cachedMethods: ["GET", "HEAD"],
        cachePolicyId: "api-cache",
        responseHeadersPolicyId: "headers",
    },
    orderedCacheBehaviors: [
        {
            pathPattern: "/static/*",
            targetOriginId: "static-assets",
            viewerProtocolPolicy: "redirect-to-https",
            allowedMethods: ["GET", "HEAD"],
            cachedMethods: ["GET", "HEAD"],
            cachePolicyId: "static-cache",
            responseHeadersPolicyId: "headers",
        },
    ],
    restrictions: { geoRestriction: { restrictionType: "none" } },
    viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" },
};

describe("aws-cloudfront-distribution-enforce-https-viewer", () => {
    ruleTable(distributionEnforceHttpsViewer, good, [
        ["allow-all on an ordered behaviour", (p) => (p.orderedCacheBehaviors[0].viewerProtocolPolicy = "allow-all"), ['orderedCacheBehaviors[0] (/static/*) has viewerProtocolPolicy "allow-all": viewers may use plain HTTP']],
        ["allow-all on the default behaviour", (p) => (p.defaultCacheBehavior.viewerProtocolPolicy = "allow-all"), ['defaultCacheBehavior has viewerProtocolPolicy "allow-all": viewers may use plain HTTP']],
        ["viewerProtocolPolicy missing on a behaviour", (p) => delete p.orderedCacheBehaviors[0].viewerProtocolPolicy, ["orderedCacheBehaviors[0] (/static/*) has no viewerProtocolPolicy"]],
        [
            "allow-all on a second ordered behaviour only",
            (p) => p.orderedCacheBehaviors.push({ ...p.orderedCacheBehaviors[0], pathPattern: "/img/*", viewerProtocolPolicy: "allow-all" }),
            ['orderedCacheBehaviors[1] (/img/*) has viewerProtocolPolicy "allow-all": viewers may use plain HTTP'],
        ],
        ["no default behaviour", (p) => delete p.defaultCacheBehavior, ["defaultCacheBehavior is not set"]],
        ["passes: https-only everywhere", (p) => ((p.defaultCacheBehavior.viewerProtocolPolicy = "https-only"), (p.orderedCacheBehaviors[0].viewerProtocolPolicy = "https-only")), []],
        ["passes: no ordered behaviours", (p) => delete p.orderedCacheBehaviors, []],
    ]);

    it("skips a viewer protocol policy unknown during preview", () => {
        const props = unknownCheckingProxy({ ...good, defaultCacheBehavior: { ...good.defaultCacheBehavior, viewerProtocolPolicy: UNKNOWN } });
        expect(checkResource(distributionEnforceHttpsViewer, props)).toEqual([]);
    });
});

describe("aws-cloudfront-distribution-configure-viewer-tls", () => {
    const defaultCert = "uses the default *.cloudfront.net certificate, which CloudFront serves with TLS 1.0 allowed";
    ruleTable(distributionConfigureViewerTls, good, [
        ["default CloudFront certificate", (p) => (p.viewerCertificate = { cloudfrontDefaultCertificate: true }), [defaultCert]],
        ["default certificate with a minimum protocol set (ignored by CloudFront)", (p) => (p.viewerCertificate = { cloudfrontDefaultCertificate: true, minimumProtocolVersion: "TLSv1.2_2021" }), [defaultCert]],
        ["no certificate at all", (p) => (p.viewerCertificate = { minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" }), [defaultCert]],
        ["viewerCertificate missing", (p) => delete p.viewerCertificate, ["viewerCertificate is not set"]],
        ["TLSv1.2_2019", (p) => (p.viewerCertificate.minimumProtocolVersion = "TLSv1.2_2019"), ['viewerCertificate.minimumProtocolVersion is "TLSv1.2_2019": use TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025']],
        ["TLSv1", (p) => (p.viewerCertificate.minimumProtocolVersion = "TLSv1"), ['viewerCertificate.minimumProtocolVersion is "TLSv1": use TLSv1.2_2021, TLSv1.2_2025, TLSv1.3_2025']],
        ["minimum protocol not set", (p) => delete p.viewerCertificate.minimumProtocolVersion, ["viewerCertificate.minimumProtocolVersion is not set (CloudFront then allows TLSv1)"]],
        ["dedicated IP (vip)", (p) => (p.viewerCertificate.sslSupportMethod = "vip"), ['viewerCertificate.sslSupportMethod is "vip": use "sni-only"']],
        ["sslSupportMethod not set", (p) => delete p.viewerCertificate.sslSupportMethod, ['viewerCertificate.sslSupportMethod is not set: use "sni-only"']],
        ["passes: TLSv1.3_2025", (p) => (p.viewerCertificate.minimumProtocolVersion = "TLSv1.3_2025"), []],
        ["passes: IAM certificate", (p) => (delete p.viewerCertificate.acmCertificateArn, (p.viewerCertificate.iamCertificateId = "ASCAEXAMPLE")), []],
    ]);

    it("treats a certificate ARN unknown during preview as a custom certificate", () => {
        const props = unknownCheckingProxy({ ...good, viewerCertificate: { ...good.viewerCertificate, acmCertificateArn: UNKNOWN } });
        expect(checkResource(distributionConfigureViewerTls, props)).toEqual([]);
    });
});

describe("aws-cloudfront-distribution-enforce-origin-access-control", () => {
    ruleTable(distributionEnforceOriginAccessControl, good, [
        ["S3 origin without OAC", (p) => delete p.origins[0].originAccessControlId, ["origin 'static-assets' is an S3 origin without originAccessControlId"]],
        ["S3 origin with an empty OAC id", (p) => (p.origins[0].originAccessControlId = ""), ["origin 'static-assets' is an S3 origin without originAccessControlId"]],
        [
            "S3 origin with a legacy origin access identity",
            (p) => (delete p.origins[0].originAccessControlId, (p.origins[0].s3OriginConfig = { originAccessIdentity: "origin-access-identity/cloudfront/E1" })),
            ["origin 'static-assets' is an S3 origin using a legacy origin access identity instead of originAccessControlId"],
        ],
        [
            "S3 origin whose domain is not yet known is still an S3 origin (no custom config)",
            (p) => (delete p.origins[0].originAccessControlId, (p.origins[0].domainName = "assets.example.com")),
            ["origin 'static-assets' is an S3 origin without originAccessControlId"],
        ],
        [
            "S3 REST endpoint used as a custom origin",
            (p) => (p.origins[1].domainName = "assets-1a2b.s3.amazonaws.com"),
            ["origin 'api' reaches S3 bucket assets-1a2b.s3.amazonaws.com as a custom origin, so CloudFront cannot sign requests with Origin Access Control"],
        ],
        [
            "S3 website endpoint",
            (p) => (p.origins[1].domainName = "assets.s3-website-eu-west-1.amazonaws.com"),
            ["origin 'api' is an S3 website endpoint (assets.s3-website-eu-west-1.amazonaws.com), which needs a public bucket and cannot use Origin Access Control"],
        ],
        ["passes: legacy global S3 endpoint with OAC", (p) => (p.origins[0].domainName = "assets.s3.amazonaws.com"), []],
        ["passes: VPC origin", (p) => (delete p.origins[1].customOriginConfig, (p.origins[1].vpcOriginConfig = { vpcOriginId: "vo_abc" })), []],
        ["passes: custom origins only", (p) => p.origins.splice(0, 1), []],
    ]);

    it("treats an OAC id unknown during preview as set", () => {
        const props = unknownCheckingProxy({ ...good, origins: [{ ...good.origins[0], originAccessControlId: UNKNOWN }, good.origins[1]] });
        expect(checkResource(distributionEnforceOriginAccessControl, props)).toEqual([]);
    });

    it.each<[string, boolean, boolean]>([
        ["b.s3.amazonaws.com", true, false],
        ["b.s3.eu-west-1.amazonaws.com", true, false],
        ["b.s3-eu-west-1.amazonaws.com", true, false],
        ["b.s3.dualstack.eu-west-1.amazonaws.com", true, false],
        ["b.s3.cn-north-1.amazonaws.com.cn", true, false],
        ["b.s3-website-eu-west-1.amazonaws.com", false, true],
        ["b.s3-website.eu-west-1.amazonaws.com", false, true],
        ["api.example.com", false, false],
        ["s3.example.com", false, false],
        ["k8s-api-123.eu-west-1.elb.amazonaws.com", false, false],
    ])("classifies %s (REST %s, website %s)", (domain, rest, website) => {
        expect(isS3RestDomain(domain)).toBe(rest);
        expect(isS3WebsiteDomain(domain)).toBe(website);
    });
});

describe("aws-cloudfront-distribution-enforce-origin-https", () => {
    const cfg = (p: Props) => p.origins[1].customOriginConfig;
    ruleTable(distributionEnforceOriginHttps, good, [
        ["http-only", (p) => (cfg(p).originProtocolPolicy = "http-only"), ['origin \'api\' has originProtocolPolicy "http-only": CloudFront may reach it over plain HTTP']],
        ["match-viewer", (p) => (cfg(p).originProtocolPolicy = "match-viewer"), ['origin \'api\' has originProtocolPolicy "match-viewer": CloudFront may reach it over plain HTTP']],
        ["protocol policy not set", (p) => delete cfg(p).originProtocolPolicy, ["origin 'api' has originProtocolPolicy not set: CloudFront may reach it over plain HTTP"]],
        ["TLSv1 allowed", (p) => (cfg(p).originSslProtocols = ["TLSv1", "TLSv1.2"]), ["origin 'api' allows TLSv1 in originSslProtocols"]],
        ["SSLv3 and TLSv1.1 allowed", (p) => (cfg(p).originSslProtocols = ["SSLv3", "TLSv1.1", "TLSv1.2"]), ["origin 'api' allows SSLv3, TLSv1.1 in originSslProtocols"]],
        ["no protocols", (p) => (cfg(p).originSslProtocols = []), ["origin 'api' has no originSslProtocols"]],
        ["passes: S3 origin has no custom config to check", (p) => p.origins.splice(1, 1), []],
    ]);
});

describe("aws-cloudfront-distribution-enable-waf", () => {
    ruleTable(distributionEnableWaf, good, [
        ["no web ACL", (p) => delete p.webAclId, ["no WAF web ACL is attached (webAclId is not set)"]],
        ["empty web ACL id", (p) => (p.webAclId = ""), ["no WAF web ACL is attached (webAclId is not set)"]],
    ]);

    it("is mandatory in prod tiers only", () => {
        expect(distributionEnableWaf.level).toBe("mandatory-prod");
    });

    it("treats a web ACL ARN unknown during preview as attached", () => {
        expect(checkResource(distributionEnableWaf, unknownCheckingProxy({ ...good, webAclId: UNKNOWN }))).toEqual([]);
    });
});

describe("aws-cloudfront-distribution-configure-default-root-object", () => {
    const s3Default = (p: Props) => (p.defaultCacheBehavior.targetOriginId = "static-assets");
    ruleTable(distributionConfigureDefaultRootObject, good, [
        ["default behaviour serves S3 without a root object", s3Default, ["the default behaviour serves S3 origin 'static-assets' but defaultRootObject is not set"]],
        ["passes: S3 default behaviour with index.html", (p) => (s3Default(p), (p.defaultRootObject = "index.html")), []],
        ["passes: the default behaviour is the API", (p) => delete p.defaultRootObject, []],
    ]);
});

describe("aws-cloudfront-distribution-enable-security-headers", () => {
    ruleTable(distributionEnableSecurityHeaders, good, [
        [
            "ordered behaviour without a response headers policy",
            (p) => delete p.orderedCacheBehaviors[0].responseHeadersPolicyId,
            ["orderedCacheBehaviors[0] (/static/*) has no responseHeadersPolicyId: responses carry no HSTS or other security headers"],
        ],
        [
            "default behaviour without a response headers policy",
            (p) => delete p.defaultCacheBehavior.responseHeadersPolicyId,
            ["defaultCacheBehavior has no responseHeadersPolicyId: responses carry no HSTS or other security headers"],
        ],
    ]);

    describe("on response headers policies", () => {
        const policy: Props = {
            securityHeadersConfig: {
                strictTransportSecurity: { accessControlMaxAgeSec: 63072000, includeSubdomains: true, preload: true, override: true },
                contentTypeOptions: { override: true },
                frameOptions: { frameOption: "DENY", override: true },
            },
        };
        ruleTable(
            distributionEnableSecurityHeaders,
            policy,
            [
                ["no HSTS", (p) => delete p.securityHeadersConfig.strictTransportSecurity, ["securityHeadersConfig.strictTransportSecurity (HSTS) is not set"]],
                ["HSTS for a day", (p) => (p.securityHeadersConfig.strictTransportSecurity.accessControlMaxAgeSec = 86400), ["HSTS max-age is 86400 seconds: use at least 31536000"]],
                ["no nosniff", (p) => delete p.securityHeadersConfig.contentTypeOptions, ["securityHeadersConfig.contentTypeOptions (nosniff) is not set"]],
                [
                    "no security headers at all",
                    (p) => delete p.securityHeadersConfig,
                    ["securityHeadersConfig.strictTransportSecurity (HSTS) is not set", "securityHeadersConfig.contentTypeOptions (nosniff) is not set"],
                ],
            ],
            { type: RHP },
        );
    });
});

describe("aws-cloudfront-distribution-enable-access-logging", () => {
    const ARN = "arn:aws:cloudfront::123456789012:distribution/E1ABC";
    const dist = graphResource(DIST, "edge-distribution", { arn: ARN, id: "E1ABC" });
    const source = graphResource(
        "aws:cloudwatch/logDeliverySource:LogDeliverySource",
        "edge-access-logs-source",
        { name: "edge-access-logs-source-1a2b", logType: "ACCESS_LOGS", resourceArn: ARN },
        { dependencyUrns: [dist.urn] },
    );
    const delivery = graphResource(
        "aws:cloudwatch/logDelivery:LogDelivery",
        "edge-access-logs",
        { deliverySourceName: "edge-access-logs-source-1a2b", deliveryDestinationArn: "arn:aws:logs:us-east-1:123456789012:delivery-destination:d" },
        { dependencyUrns: [source.urn] },
    );
    const none: StackFinding = { urn: dist.urn, message: "distribution 'edge-distribution' writes no access logs: no loggingConfig.bucket and no ACCESS_LOGS LogDeliverySource for it" };
    const sourceOnly: StackFinding = { urn: dist.urn, message: "distribution 'edge-distribution' has an ACCESS_LOGS delivery source but no LogDelivery sends it to a destination" };
    const other = graphResource(DIST, "other", { arn: "arn:aws:cloudfront::123456789012:distribution/E2OTHER" });

    it.each<[string, GraphResource[], StackFinding[]]>([
        ["passes: standard logging v2 (source + delivery)", [dist, source, delivery], []],
        ["passes: legacy loggingConfig with a bucket", [graphResource(DIST, "edge-distribution", { arn: ARN, loggingConfig: { bucket: "logs.s3.amazonaws.com" } })], []],
        ["no logging at all", [dist], [none]],
        ["loggingConfig without a bucket", [graphResource(DIST, "edge-distribution", { arn: ARN, loggingConfig: { includeCookies: false } })], [none]],
        ["a delivery source but no delivery", [dist, source], [sourceOnly]],
        ["a source of another log type", [dist, { ...source, props: { ...source.props, logType: "CONNECTION_LOGS" } }, delivery], [none]],
        ["a source for another distribution (ARN known, despite a dependency)", [dist, { ...source, props: { ...source.props, resourceArn: "arn:aws:cloudfront::123456789012:distribution/E2OTHER" } }, delivery], [none]],
        ["a delivery of another source", [dist, source, { ...delivery, props: { ...delivery.props, deliverySourceName: "other-source" } }], [sourceOnly]],
        ["only the distribution without logs is reported", [dist, source, delivery, other], [{ urn: other.urn, message: "distribution 'other' writes no access logs: no loggingConfig.bucket and no ACCESS_LOGS LogDeliverySource for it" }]],
        [
            "passes (preview): ARNs and names unknown, matched by dependency",
            [
                graphResource(DIST, "edge-distribution", unknownCheckingProxy({ arn: UNKNOWN })),
                { ...source, props: unknownCheckingProxy({ name: UNKNOWN, logType: "ACCESS_LOGS", resourceArn: UNKNOWN }) },
                { ...delivery, props: unknownCheckingProxy({ deliverySourceName: UNKNOWN }) },
            ],
            [],
        ],
        [
            "preview: unknown resourceArn and no dependency on the distribution",
            [dist, { ...source, props: unknownCheckingProxy({ name: "s", logType: "ACCESS_LOGS", resourceArn: UNKNOWN }), dependencyUrns: [] }, delivery],
            [none],
        ],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(distributionEnableAccessLogging, resources)).toEqual(expected);
    });
});

describe("multi-tenant distributions carry the same viewer, origin and WAF risks", () => {
    const MT = "aws:cloudfront/multitenantDistribution:MultitenantDistribution";
    /** A multi-tenant distribution in its own shape: `cacheBehaviors`, origins keyed by `id`, list-valued origin configs. */
    const tenantGood: Props = {
        enabled: true,
        origins: [
            { id: "api", domainName: "api.example.com", customOriginConfigs: [{ httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"] }] },
            { id: "assets", domainName: "assets-bucket.s3.us-east-1.amazonaws.com", originAccessControlId: "E2OACID" },
        ],
        defaultCacheBehavior: { targetOriginId: "api", viewerProtocolPolicy: "redirect-to-https", responseHeadersPolicyId: "rhp-1" },
        cacheBehaviors: [{ pathPattern: "/static/*", targetOriginId: "assets", viewerProtocolPolicy: "https-only", responseHeadersPolicyId: "rhp-1" }],
        viewerCertificate: { acmCertificateArn: "arn:aws:acm:us-east-1:123456789012:certificate/abc", minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" },
        webAclId: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/saas/1",
    };
    ruleTable(
        distributionEnforceHttpsViewer,
        tenantGood,
        [["cacheBehaviors[0] allow-all", (p) => (p.cacheBehaviors[0].viewerProtocolPolicy = "allow-all"), ['cacheBehaviors[0] (/static/*) has viewerProtocolPolicy "allow-all": viewers may use plain HTTP']]],
        { type: MT },
    );
    ruleTable(
        distributionEnforceOriginHttps,
        tenantGood,
        [["customOriginConfigs[0] http-only", (p) => (p.origins[0].customOriginConfigs[0].originProtocolPolicy = "http-only"), ['origin \'api\' has originProtocolPolicy "http-only": CloudFront may reach it over plain HTTP']]],
        { type: MT },
    );
    ruleTable(
        distributionEnforceOriginAccessControl,
        tenantGood,
        [["S3 origin without originAccessControlId", (p) => delete p.origins[1].originAccessControlId, ["origin 'assets' is an S3 origin without originAccessControlId"]]],
        { type: MT },
    );
    ruleTable(distributionConfigureViewerTls, tenantGood, [["default certificate", (p) => (p.viewerCertificate = { cloudfrontDefaultCertificate: true }), ["uses the default *.cloudfront.net certificate, which CloudFront serves with TLS 1.0 allowed"]]], { type: MT });
    ruleTable(distributionEnableWaf, tenantGood, [["no webAclId", (p) => delete p.webAclId, ["no WAF web ACL is attached (webAclId is not set)"]]], { type: MT });
    it("aws-cloudfront-distribution-enable-access-logging: a multi-tenant distribution needs v2 log delivery", () => {
        const dist = graphResource(MT, "saas", { ...tenantGood, arn: "arn:aws:cloudfront::123456789012:distribution/EMT", loggingConfig: { bucket: "ignored" } });
        expect(checkStack(distributionEnableAccessLogging, [dist])).toEqual([
            { urn: dist.urn, message: "distribution 'saas' writes no access logs: no loggingConfig.bucket and no ACCESS_LOGS LogDeliverySource for it" },
        ]);
    });
});

describe("aws-cloudfront-distribution-enforce-origin-access-control: the Origin Access Control itself", () => {
    ruleTable(
        distributionEnforceOriginAccessControl,
        { name: "assets-oac", originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" },
        [
            ["signingBehavior never", (p) => (p.signingBehavior = "never"), ['signingBehavior is "never": CloudFront does not sign origin requests, so the bucket would have to be public']],
            ["passes: no-override (signs unless the viewer sends Authorization)", (p) => (p.signingBehavior = "no-override"), []],
        ],
        { type: "aws:cloudfront/originAccessControl:OriginAccessControl" },
    );
});
