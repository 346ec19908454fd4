import { Cdn, CdnArgs, WebAcl } from "../../../components/cdn";
import type { StatementInput } from "../../../components/identity/statements";
import { distributionConfigureViewerTls } from "../../../policies/security/rules/cloudfront/distribution/configureViewerTls";
import { evaluateGraph, mandatory } from "../../support/policy";
import { Graph, RecordedResource, runPulumi } from "../../support/pulumi";

/**
 * The pack's findings without the alarm-coverage policy, which judges a whole stack: a lone component has no alarm
 * topic, so its database, cache, queues or distribution are rightly reported. test/components/observe shows the
 * component with its `alarms(topic)` passing the prod pack, alarm coverage included.
 */
const componentOnly = <T extends { policy: string }>(violations: T[]): T[] => violations.filter((v) => v.policy !== "aws-cloudwatch-metricalarm-enforce-coverage");

const T = {
    dist: "aws:cloudfront/distribution:Distribution",
    oac: "aws:cloudfront/originAccessControl:OriginAccessControl",
    cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
    orp: "aws:cloudfront/originRequestPolicy:OriginRequestPolicy",
    rhp: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    bucket: "aws:s3/bucket:Bucket",
    bpa: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    versioning: "aws:s3/bucketVersioning:BucketVersioning",
    lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    cert: "aws:acm/certificate:Certificate",
    certValidation: "aws:acm/certificateValidation:CertificateValidation",
    record: "aws:route53/record:Record",
    webAcl: "aws:wafv2/webAcl:WebAcl",
    wafLogging: "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    source: "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    destination: "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    delivery: "aws:cloudwatch/logDelivery:LogDelivery",
};

const prodArgs: CdnArgs = {
    apiOriginDomain: "api-origin.example.com",
    vpcId: "vpc-0123456789abcdef0",
    domainName: "www.example.com",
    alternativeNames: ["example.com"],
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
    priceClass: "PriceClass_All",
};
const devArgs: CdnArgs = {
    apiOriginDomain: "api-origin.dev.example.com",
    vpcId: "vpc-0123456789abcdef0",
    defaultCertificateReason: "dev stack has no domain; served on the cloudfront.net name only",
    protect: false,
};

/** Builds a Cdn under the mock engine; the stack outputs are the component's outputs. */
async function build(args: CdnArgs, stack = "test"): Promise<Graph> {
    return runPulumi(
        () => {
            const cdn = new Cdn("edge", args);
            return {
                distributionId: cdn.distributionId,
                distributionArn: cdn.distributionArn,
                url: cdn.url,
                staticBucketName: cdn.staticBucketName,
                logBucketName: cdn.logBucketName,
                webAclArn: cdn.webAclArn,
                originSecurityGroupId: cdn.originSecurityGroupId,
                cloudfrontPrefixListId: cdn.cloudfrontPrefixListId,
                originVerifyHeaderName: cdn.originVerifyHeaderName,
                originVerifyHeaderValue: cdn.originVerifyHeaderValue,
                certificateArn: cdn.certificateArn,
            };
        },
        { stack },
    );
}

/** The single URN an input property depends on (the resource it references). */
function ref(r: RecordedResource, prop: string): string {
    const deps = r.propertyDependencies[prop] ?? [];
    if (deps.length !== 1) throw new Error(`${r.name}.${prop} depends on ${deps.length} resources: ${deps.join(", ")}`);
    return deps[0];
}

/** The config resource of `type` whose `bucket` input names `bucket`. */
function configOf(g: Graph, type: string, bucket: RecordedResource): RecordedResource {
    const found = g.byType(type).filter((r) => r.inputs.bucket === bucket.outputs.bucket);
    if (found.length !== 1) throw new Error(`${found.length} ${type} for ${bucket.name}`);
    return found[0];
}

describe("Cdn (custom domain, as prod uses it)", () => {
    let g: Graph;
    let dist: RecordedResource;
    let assets: RecordedResource;
    let logs: RecordedResource;
    beforeAll(async () => {
        g = await build(prodArgs);
        dist = g.one(T.dist);
        assets = g.named("edge-static");
        logs = g.named("edge-logs");
    });

    it("redirects HTTP to HTTPS on every behaviour", () => {
        const behaviours = [dist.inputs.defaultCacheBehavior, ...dist.inputs.orderedCacheBehaviors];
        expect(behaviours.length).toBe(3); // the API, /static/* and /index.html
        for (const b of behaviours) expect(b.viewerProtocolPolicy).toBe("redirect-to-https");
    });

    it("offers viewers TLSv1.2_2021 with SNI on the DNS-validated us-east-1 certificate", () => {
        const cert = g.one(T.cert);
        const validation = g.one(T.certValidation);
        expect(dist.inputs.viewerCertificate).toEqual({
            acmCertificateArn: cert.outputs.arn,
            minimumProtocolVersion: "TLSv1.2_2021",
            sslSupportMethod: "sni-only",
        });
        // THEN the distribution waits for validation, which waits for the Route 53 records in the given zone
        expect(ref(dist, "viewerCertificate")).toBe(validation.urn);
        expect(cert.inputs).toMatchObject({ region: "us-east-1", domainName: "www.example.com", subjectAlternativeNames: ["example.com"], validationMethod: "DNS" });
        expect(validation.inputs.region).toBe("us-east-1");
        const validationRecords = g.byType(T.record).filter((r) => r.inputs.type === "CNAME");
        expect(validationRecords.map((r) => r.inputs.name).sort()).toEqual(cert.outputs.domainValidationOptions.map((o: any) => o.resourceRecordName).sort());
        for (const r of validationRecords) expect(r.inputs.zoneId).toBe(prodArgs.hostedZoneId);
        expect(validation.propertyDependencies.validationRecordFqdns.sort()).toEqual(validationRecords.map((r) => r.urn).sort());
        expect(dist.inputs.aliases).toEqual(["www.example.com", "example.com"]);
    });

    it("reads the static bucket through an Origin Access Control (sigv4, always) on /static/*", () => {
        const oac = g.one(T.oac);
        expect(oac.inputs).toMatchObject({ originAccessControlOriginType: "s3", signingBehavior: "always", signingProtocol: "sigv4" });
        const s3Origin = dist.inputs.origins.find((o: any) => o.domainName === assets.outputs.bucketRegionalDomainName);
        expect(s3Origin.originAccessControlId).toBe(oac.outputs.id);
        expect(s3Origin.customOriginConfig).toBeUndefined();
        const staticBehaviour = dist.inputs.orderedCacheBehaviors[0];
        expect(staticBehaviour).toMatchObject({ pathPattern: "/static/*", targetOriginId: s3Origin.originId, allowedMethods: ["GET", "HEAD"] });
    });

    it("grants s3:GetObject only to this distribution (AWS:SourceArn), and denies requests without TLS", () => {
        const policy = configOf(g, T.bucketPolicy, assets);
        const doc = JSON.parse(policy.inputs.policy);
        const allows = doc.Statement.filter((s: any) => s.Effect === "Allow");
        expect(allows).toEqual([
            {
                Sid: "AllowThisDistributionToRead",
                Effect: "Allow",
                Principal: { Service: "cloudfront.amazonaws.com" },
                Action: "s3:GetObject",
                Resource: `${assets.outputs.arn}/*`,
                Condition: { StringEquals: { "AWS:SourceArn": dist.outputs.arn } },
            },
        ]);
        expect(doc.Statement[0]).toMatchObject({ Effect: "Deny", Principal: "*", Action: "s3:*", Condition: { Bool: { "aws:SecureTransport": "false" } } });
        expect(policy.dependencies).toEqual(expect.arrayContaining([dist.urn, configOf(g, T.bpa, assets).urn]));
    });

    it("blocks public access on both buckets with all four flags, ACLs off, encryption, versioning", () => {
        for (const b of [assets, logs]) {
            expect(configOf(g, T.bpa, b).inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
            expect(configOf(g, T.ownership, b).inputs.rule).toEqual({ objectOwnership: "BucketOwnerEnforced" });
            expect(configOf(g, T.sse, b).inputs.rules[0].applyServerSideEncryptionByDefault).toEqual({ sseAlgorithm: "AES256" });
            expect(configOf(g, T.versioning, b).inputs.versioningConfiguration).toEqual({ status: "Enabled" });
            expect(b).toMatchObject({ protect: true, retainOnDelete: true });
            expect(b.inputs.forceDestroy).toBe(false);
        }
        expect(configOf(g, T.lifecycle, assets).inputs.rules[0].noncurrentVersionExpiration).toEqual({ noncurrentDays: 30 });
        expect(configOf(g, T.lifecycle, logs).inputs.rules[0].expiration).toEqual({ days: 365 });
    });

    it("attaches a CLOUDFRONT web ACL from us-east-1 with managed rules, a rate limit and logging", () => {
        const acl = g.one(T.webAcl);
        expect(dist.inputs.webAclId).toBe(acl.outputs.arn);
        expect(acl.inputs).toMatchObject({ scope: "CLOUDFRONT", region: "us-east-1", defaultAction: { allow: {} } });
        expect(acl.inputs.rules.map((r: any) => r.name)).toEqual([
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "RateLimitPerIp",
        ]);
        expect(acl.inputs.rules[3].statement.rateBasedStatement).toMatchObject({ limit: 2000, aggregateKeyType: "IP" });
        const logging = g.one(T.wafLogging);
        const group = g.one(T.logGroup);
        expect(logging.inputs.resourceArn).toBe(acl.outputs.arn);
        expect(logging.inputs.logDestinationConfigs).toEqual([group.outputs.arn]);
        expect(logging.inputs.redactedFields).toContainEqual({ singleHeader: { name: "authorization" } });
        expect(group.inputs).toMatchObject({ region: "us-east-1", retentionInDays: 365 });
        expect(group.inputs.namePrefix).toMatch(/^aws-waf-logs-/);
        expect(group).toMatchObject({ protect: true, retainOnDelete: true });
        // The WAF logs are encrypted with a rotating key of their own in us-east-1, which CloudWatch Logs there may use.
        const key = g.one("aws:kms/key:Key", "edge-waf-logs-key-key");
        expect(group.inputs.kmsKeyId).toBe(key.outputs.arn);
        expect(key.outputs.arn).toMatch(/^arn:aws:kms:us-east-1:/);
        expect(key.inputs).toMatchObject({ region: "us-east-1", enableKeyRotation: true });
        expect(JSON.parse(key.inputs.policy).Statement.map((st: any) => st.Principal)).toContainEqual({ Service: "logs.us-east-1.amazonaws.com" });
    });

    it("uses different cache policies for static assets (1 year, path only) and the API (Cache-Control, varies on auth)", () => {
        const policyOf = (id: string) => g.byType(T.cachePolicy).find((p) => p.outputs.id === id)!;
        const staticPolicy = policyOf(dist.inputs.orderedCacheBehaviors[0].cachePolicyId);
        const apiPolicy = policyOf(dist.inputs.defaultCacheBehavior.cachePolicyId);
        expect(staticPolicy.urn).not.toBe(apiPolicy.urn);
        expect([staticPolicy.inputs.defaultTtl, staticPolicy.inputs.maxTtl]).toEqual([31536000, 31536000]);
        expect([apiPolicy.inputs.minTtl, apiPolicy.inputs.defaultTtl]).toEqual([0, 0]);
        expect(staticPolicy.inputs.parametersInCacheKeyAndForwardedToOrigin.queryStringsConfig.queryStringBehavior).toBe("none");
        expect(apiPolicy.inputs.parametersInCacheKeyAndForwardedToOrigin.queryStringsConfig.queryStringBehavior).toBe("all");
        expect(apiPolicy.inputs.parametersInCacheKeyAndForwardedToOrigin.headersConfig.headers.items).toContain("Authorization");
        expect(staticPolicy.inputs.parametersInCacheKeyAndForwardedToOrigin.headersConfig).toEqual({ headerBehavior: "none" });
        // AND the API forwards all viewer headers but Host; every behaviour carries the security headers
        expect(dist.inputs.defaultCacheBehavior.originRequestPolicyId).toBe(g.one(T.orp).outputs.id);
        const headers = g.one(T.rhp);
        expect(headers.inputs.securityHeadersConfig.strictTransportSecurity).toMatchObject({ includeSubdomains: true, preload: true });
        for (const b of [dist.inputs.defaultCacheBehavior, ...dist.inputs.orderedCacheBehaviors]) expect(b.responseHeadersPolicyId).toBe(headers.outputs.id);
    });

    it("reaches the API over HTTPS/TLS 1.2 only, with a secret origin-verify header", () => {
        const api = dist.inputs.origins.find((o: any) => o.domainName === prodArgs.apiOriginDomain);
        expect(api.customOriginConfig).toMatchObject({ originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], httpsPort: 443 });
        expect(dist.inputs.defaultCacheBehavior.targetOriginId).toBe(api.originId);
        // THEN the header value is a secret in the recorded inputs and in the outputs
        expect(api.customHeaders).toEqual(["[secret]"]);
        expect(g.outputs.originVerifyHeaderValue).toBe("[secret]");
        expect(g.outputs.originVerifyHeaderName).toBe("X-Origin-Verify");
        expect(g.one("random:index/randomPassword:RandomPassword").inputs).toMatchObject({ length: 48, special: false });
    });

    it("creates the origin security group: 443 only from CloudFront's origin-facing prefix list", () => {
        const sg = g.one(T.sg);
        const rule = g.one(T.ingress);
        expect(sg.inputs.vpcId).toBe(prodArgs.vpcId);
        expect(sg.inputs.description).toMatch(/CloudFront/);
        expect(sg.inputs.egress).toBeUndefined();
        expect(ref(rule, "securityGroupId")).toBe(sg.urn);
        expect(rule.inputs).toMatchObject({ ipProtocol: "tcp", fromPort: 443, toPort: 443, prefixListId: g.outputs.cloudfrontPrefixListId });
        expect(rule.inputs.cidrIpv4).toBeUndefined();
        expect(g.outputs.originSecurityGroupId).toBe(sg.outputs.id);
    });

    it("delivers access logs (standard logging v2, us-east-1) to the log bucket", () => {
        const source = g.one(T.source);
        const destination = g.one(T.destination);
        const delivery = g.one(T.delivery);
        expect(source.inputs).toMatchObject({ region: "us-east-1", logType: "ACCESS_LOGS", resourceArn: dist.outputs.arn });
        expect(destination.inputs.deliveryDestinationConfiguration).toEqual({ destinationResourceArn: logs.outputs.arn });
        expect(delivery.inputs).toMatchObject({ region: "us-east-1", deliverySourceName: source.outputs.name, deliveryDestinationArn: destination.outputs.arn });
        // AND the log bucket admits the delivery service for this account only, without ACLs
        const doc = JSON.parse(configOf(g, T.bucketPolicy, logs).inputs.policy);
        expect(doc.Statement.find((s: any) => s.Sid === "AWSLogDeliveryWrite").Condition.StringEquals["aws:SourceAccount"]).toBe("123456789012");
    });

    it("points A and AAAA alias records of every name at the distribution", () => {
        const aliases = g.byType(T.record).filter((r) => r.inputs.aliases);
        expect(aliases.map((r) => `${r.inputs.name} ${r.inputs.type}`).sort()).toEqual(["example.com A", "example.com AAAA", "www.example.com A", "www.example.com AAAA"]);
        for (const r of aliases) expect(r.inputs.aliases).toEqual([{ name: dist.outputs.domainName, zoneId: dist.outputs.hostedZoneId, evaluateTargetHealth: false }]);
        expect(g.outputs.url).toBe("https://www.example.com");
    });

    it("serves HTTP/2 and 3 over IPv6 with compression, at the requested price class, without exemptions", () => {
        expect(dist.inputs).toMatchObject({ httpVersion: "http2and3", isIpv6Enabled: true, priceClass: "PriceClass_All", enabled: true });
        for (const b of [dist.inputs.defaultCacheBehavior, ...dist.inputs.orderedCacheBehaviors]) expect(b.compress).toBe(true);
        expect(Object.keys(dist.inputs.tags).filter((k) => k.startsWith("exempt."))).toEqual([]);
    });

    it("raises no violation of the security pack in the prod tier", async () => {
        const violations = componentOnly(await evaluateGraph(g, { tier: "prod" }));
        expect(mandatory(violations)).toEqual([]);
        // AND none of the edge rules (CloudFront, S3, WAF) reports even an advisory
        expect(violations.filter((v) => /^aws-(cloudfront|s3|wafv2)-/.test(v.policy))).toEqual([]);
    });
});

describe("Cdn (no domain, reasoned default-certificate opt-out, as dev uses it)", () => {
    let g: Graph;
    let dist: RecordedResource;
    beforeAll(async () => {
        g = await build(devArgs, "dev");
        dist = g.one(T.dist);
    });

    it("uses the default certificate and tags the distribution with the exemption from the viewer-TLS rule", () => {
        expect(dist.inputs.viewerCertificate).toEqual({ cloudfrontDefaultCertificate: true });
        expect(dist.inputs.tags[`exempt.groundwork.dev/${distributionConfigureViewerTls.name}`]).toBe(devArgs.defaultCertificateReason);
        expect(dist.inputs.aliases).toEqual([]);
        expect(g.byType(T.cert)).toEqual([]);
        expect(g.byType(T.record)).toEqual([]);
        expect(g.outputs.url).toBe(`https://${dist.outputs.domainName}`);
    });

    it("is exempt, not compliant: the rule itself still reports the default certificate", () => {
        // GIVEN the distribution's inputs WHEN the rule's check runs directly (no exemption handling)
        // THEN it reports the default certificate, so only the reasoned tag lets the plan pass
        expect(distributionConfigureViewerTls.check(dist.inputs, { tier: "dev", type: T.dist, name: dist.name, urn: dist.urn })).toEqual([
            "uses the default *.cloudfront.net certificate, which CloudFront serves with TLS 1.0 allowed",
        ]);
    });

    it("keeps every other control: redirect, OAC, web ACL, logging", () => {
        for (const b of [dist.inputs.defaultCacheBehavior, ...dist.inputs.orderedCacheBehaviors]) expect(b.viewerProtocolPolicy).toBe("redirect-to-https");
        expect(dist.inputs.origins[0].originAccessControlId).toBe(g.one(T.oac).outputs.id);
        expect(dist.inputs.webAclId).toBe(g.one(T.webAcl).outputs.arn);
        expect(g.one(T.source).inputs.resourceArn).toBe(dist.outputs.arn);
    });

    it("does not protect buckets when protect is false, and lets destroy empty them", () => {
        for (const b of g.byType(T.bucket)) {
            expect(b).toMatchObject({ protect: false, retainOnDelete: false });
            expect(b.inputs.forceDestroy).toBe(true);
        }
    });

    it("raises no mandatory violation in the dev tier, and the TLS finding is exempted", async () => {
        const violations = await evaluateGraph(g, { tier: "dev" });
        expect(mandatory(violations)).toEqual([]);
        expect(violations.filter((v) => v.policy === distributionConfigureViewerTls.name)).toEqual([]);
    });
});

describe("Cdn variants", () => {
    it("attaches a web ACL the caller brings, and creates none", async () => {
        const arn = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared/1a2b";
        const g = await build({ ...prodArgs, webAclArn: arn });
        expect(g.byType(T.webAcl)).toEqual([]);
        expect(g.one(T.dist).inputs.webAclId).toBe(arn);
    });

    it("uses a given certificate without issuing or validating one", async () => {
        const arn = "arn:aws:acm:us-east-1:123456789012:certificate/abc";
        const g = await build({ ...prodArgs, hostedZoneId: undefined, certificateArn: arn });
        expect(g.byType(T.cert)).toEqual([]);
        expect(g.byType(T.record)).toEqual([]);
        expect(g.one(T.dist).inputs.viewerCertificate).toEqual({ acmCertificateArn: arn, minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" });
    });

    it("encrypts static assets with the given KMS key and a bucket key", async () => {
        const key = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const g = await build({ ...prodArgs, kmsKeyArn: key });
        const sse = configOf(g, T.sse, g.named("edge-static"));
        expect(sse.inputs.rules[0]).toEqual({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key }, bucketKeyEnabled: true });
    });

    it("validates one record for a name and its wildcard", async () => {
        const g = await build({ ...prodArgs, domainName: "example.com", alternativeNames: ["*.example.com"] });
        expect(g.byType(T.record).filter((r) => r.inputs.type === "CNAME").map((r) => r.name)).toEqual(["edge-cert-validation-example-com"]);
    });

    it("missing domain without the opt-out throws naming the field, before any resource", async () => {
        const { defaultCertificateReason: _omit, ...noOptOut } = devArgs;
        await expect(build(noOptOut)).rejects.toThrow("Cdn 'edge': invalid 'domainName'");
        expect(() => new Cdn("edge", noOptOut)).toThrow(/invalid 'domainName': no custom domain.*Fix: set domainName/);
    });

    it("grantPublish scopes uploads to static/ of this bucket and invalidations to this distribution", async () => {
        const granted: { name: string; statements: StatementInput[] }[] = [];
        const g = await runPulumi(() => {
            const cdn = new Cdn("edge", prodArgs);
            cdn.grantPublish({ addStatements: (name, statements) => granted.push({ name, statements }) });
        });
        expect(granted.map((x) => [x.name, x.statements.map((s) => s.sid)])).toEqual([["edge-publish", ["CdnListStaticBucket", "CdnWriteStaticAssets", "CdnInvalidate"]]]);
        expect(g.byType(T.dist).length).toBe(1);
    });

    it("WebAcl on its own validates its rate limit", () => {
        expect(() => new WebAcl("w", { rateLimit: 5 })).toThrow("WebAcl 'w': invalid 'rateLimit': 5 is not a whole number from 10 to 2000000000");
    });
});
