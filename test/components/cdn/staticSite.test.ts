import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
    Cdn,
    CdnArgs,
    CONTENT_SECURITY_POLICY,
    IMMUTABLE_CACHE_CONTROL,
    INDEX_CACHE_CONTROL,
    INDEX_TTL_SECONDS,
    objectResourceName,
    StaticSite,
    staticSiteFiles,
} from "../../../components/cdn";
import type { StatementInput } from "../../../components/identity/statements";
import { evaluateGraph } from "../../support/policy";
import { Graph, RecordedResource, runPulumi } from "../../support/pulumi";

const T = {
    dist: "aws:cloudfront/distribution:Distribution",
    cachePolicy: "aws:cloudfront/cachePolicy:CachePolicy",
    rhp: "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    object: "aws:s3/bucketObjectv2:BucketObjectv2",
    site: "groundwork:cdn:StaticSite",
};

const args: CdnArgs = {
    apiOriginDomain: "api-origin.example.com",
    vpcId: "vpc-0123456789abcdef0",
    domainName: "www.example.com",
    hostedZoneId: "Z0123456789ABCDEFGHIJ",
};

/** Writes `files` (relative path → content) into a fresh temporary folder. */
function site(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-site-"));
    for (const [rel, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), content);
    }
    return dir;
}

const GOOD = {
    "index.html": '<!doctype html><script type="module" src="/static/assets/index-3HuMrH3Q.js"></script>',
    "static/assets/index-3HuMrH3Q.js": "console.log(1)",
    "static/assets/index-Cn039JXy.css": "body{}",
};

describe("Content-Security-Policy of every response", () => {
    const directives = Object.fromEntries(CONTENT_SECURITY_POLICY.split(";").map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));

    it("allows no inline script or style and no eval, anywhere", () => {
        expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|unsafe-hashes|strict-dynamic|\*/);
    });

    it.each([
        ["default-src", ["'self'"]],
        ["script-src", ["'self'"]],
        ["style-src", ["'self'"]],
        ["img-src", ["'self'", "data:"]],
        ["connect-src", ["'self'"]],
        ["frame-ancestors", ["'none'"]],
        ["base-uri", ["'none'"]],
        ["form-action", ["'self'"]],
        ["object-src", ["'none'"]],
    ])("%s is %j", (name, values) => {
        expect(directives[name]).toEqual(values);
    });
});

describe("Cdn serves a front end: index.html at / with a short TTL, the CSP on every behaviour", () => {
    let g: Graph;
    let dist: RecordedResource;
    const granted: StatementInput[] = [];
    beforeAll(async () => {
        g = await runPulumi(() => {
            const cdn = new Cdn("edge", args);
            cdn.grantPublish({ addStatements: (_n, statements) => granted.push(...statements) });
        });
        dist = g.one(T.dist);
    });

    it("fetches / as index.html, and routes /index.html to the bucket (GET/HEAD) with a one-minute cache policy", () => {
        expect(dist.inputs.defaultRootObject).toBe("index.html");
        const index = dist.inputs.orderedCacheBehaviors.find((b: { pathPattern: string }) => b.pathPattern === "/index.html");
        const assets = dist.inputs.orderedCacheBehaviors.find((b: { pathPattern: string }) => b.pathPattern === "/static/*");
        expect(index).toMatchObject({ targetOriginId: assets.targetOriginId, allowedMethods: ["GET", "HEAD"], viewerProtocolPolicy: "redirect-to-https", compress: true });
        const policy = g.byType(T.cachePolicy).find((p) => p.outputs.id === index.cachePolicyId)!;
        expect([policy.inputs.minTtl, policy.inputs.defaultTtl, policy.inputs.maxTtl]).toEqual([INDEX_TTL_SECONDS, INDEX_TTL_SECONDS, INDEX_TTL_SECONDS]);
        expect(policy.inputs.parametersInCacheKeyAndForwardedToOrigin).toMatchObject({ headersConfig: { headerBehavior: "none" }, cookiesConfig: { cookieBehavior: "none" }, queryStringsConfig: { queryStringBehavior: "none" } });
        // AND the API stays the default behaviour
        expect(dist.inputs.defaultCacheBehavior.targetOriginId).not.toBe(assets.targetOriginId);
    });

    it("sends the CSP, overriding the origin's, on every behaviour", () => {
        const headers = g.one(T.rhp);
        expect(headers.inputs.securityHeadersConfig.contentSecurityPolicy).toEqual({ contentSecurityPolicy: CONTENT_SECURITY_POLICY, override: true });
        for (const b of [dist.inputs.defaultCacheBehavior, ...dist.inputs.orderedCacheBehaviors]) expect(b.responseHeadersPolicyId).toBe(headers.outputs.id);
    });

    it("lets a publisher write index.html besides static/", () => {
        const write = granted.find((s) => s.sid === "CdnWriteStaticAssets")!;
        expect(write.resources).toHaveLength(2);
    });
});

describe("staticSiteFiles", () => {
    it("reads the layout: index.html no-cache, hashed assets immutable, content types, SHA-256, sorted by key", () => {
        const files = staticSiteFiles(site(GOOD));
        expect(files.map((f) => [f.key, f.contentType, f.cacheControl])).toEqual([
            ["index.html", "text/html; charset=utf-8", INDEX_CACHE_CONTROL],
            ["static/assets/index-3HuMrH3Q.js", "text/javascript; charset=utf-8", IMMUTABLE_CACHE_CONTROL],
            ["static/assets/index-Cn039JXy.css", "text/css; charset=utf-8", IMMUTABLE_CACHE_CONTROL],
        ]);
        expect(IMMUTABLE_CACHE_CONTROL).toBe("public, max-age=31536000, immutable");
        expect(files[2].sha256).toMatch(/^[0-9a-f]{64}$/);
    });

    it.each<[string, Record<string, string>, RegExp]>([
        ["no index.html", { "static/assets/a-12345678.js": "" }, /invalid 'dir': .* has no index\.html\. Fix: build the site first/],
        ["a file outside static/", { ...GOOD, "robots.txt": "" }, /robots\.txt is outside static\//],
        ["an asset without a content hash", { ...GOOD, "static/logo.svg": "<svg/>" }, /static\/logo\.svg has no content hash in its name/],
        ["an unknown extension", { ...GOOD, "static/assets/data-12345678.bin": "" }, /data-12345678\.bin has an extension with no known content type/],
    ])("refuses %s", (_case, files, message) => {
        expect(() => staticSiteFiles(site(files), "StaticSite 'web'")).toThrow(message);
    });

    it.each([
        ["index.html", "index.html"],
        ["static/assets/index-3HuMrH3Q.js", "static-assets-index-3HuMrH3Q.js"],
        ["static/a b+c.css", "static-a-b-c.css"],
    ])("names the object of %s %s", (key, name) => {
        expect(objectResourceName(key)).toBe(name);
    });
});

describe("StaticSite", () => {
    const objectsOf = (g: Graph): Record<string, RecordedResource> => Object.fromEntries(g.byType(T.object).map((o) => [o.inputs.key as string, o]));

    it("uploads each file to the Cdn's bucket with its type, cache control and SSE-S3 like the bucket", async () => {
        const dir = site(GOOD);
        const g = await runPulumi(() => new Cdn("edge", args).staticSite("web", dir));
        const bucket = g.named("edge-static");
        const objects = objectsOf(g);
        expect(Object.keys(objects).sort()).toEqual(Object.keys(GOOD).sort());
        for (const o of Object.values(objects)) {
            expect(o.inputs.bucket).toBe(bucket.outputs.bucket);
            expect(o.inputs.serverSideEncryption).toBe("AES256");
            expect(o.inputs.sourceHash).toMatch(/^[0-9a-f]{64}$/);
            expect(o.parent).toBe(g.one(T.site).urn);
        }
        expect(objects["index.html"].inputs).toMatchObject({ contentType: "text/html; charset=utf-8", cacheControl: "no-cache" });
        expect(objects["static/assets/index-3HuMrH3Q.js"].inputs).toMatchObject({ contentType: "text/javascript; charset=utf-8", cacheControl: "public, max-age=31536000, immutable" });
        expect(objects["static/assets/index-3HuMrH3Q.js"].name).toBe("web-static-assets-index-3HuMrH3Q.js");
        // AND the Cdn owns the site in the resource tree
        expect(g.one(T.site).parent).toBe(g.one("groundwork:cdn:Cdn").urn);
    });

    it("encrypts each object with the bucket's KMS key (and a bucket key) when the Cdn has one", async () => {
        const key = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";
        const dir = site(GOOD);
        const g = await runPulumi(() => new Cdn("edge", { ...args, kmsKeyArn: key }).staticSite("web", dir));
        for (const o of g.byType(T.object)) expect(o.inputs).toMatchObject({ serverSideEncryption: "aws:kms", kmsKeyId: key, bucketKeyEnabled: true });
    });

    it("the same files plan the same objects (keys, hashes, names)", async () => {
        const plan = async () => {
            const g = await runPulumi(() => new StaticSite("web", { dir: site(GOOD), bucketName: "b" }));
            return g.byType(T.object).map((o) => [o.name, o.inputs.key, o.inputs.sourceHash]);
        };
        expect(await plan()).toEqual(await plan());
    });

    it("throws before declaring anything when the folder is not a site", async () => {
        const dir = site({ "static/a-12345678.js": "" });
        await expect(runPulumi(() => new StaticSite("web", { dir, bucketName: "b" }))).rejects.toThrow("StaticSite 'web': invalid 'dir'");
    });

    it("raises no violation of the security pack for the objects (prod tier)", async () => {
        const dir = site(GOOD);
        const g = await runPulumi(() => new Cdn("edge", args).staticSite("web", dir));
        const objects = new Set(g.byType(T.object).map((o) => o.urn));
        expect((await evaluateGraph(g, { tier: "prod" })).filter((v) => v.urn !== null && objects.has(v.urn))).toEqual([]);
    });
});
