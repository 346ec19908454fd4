import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Cdn, CONTENT_SECURITY_POLICY, securityHeadersSettings } from "../../components/cdn";
import { publishFrontEnd, WEB_DIST_DIR } from "../../infra/web";
import { CONTENT_SECURITY_POLICY as LOCAL_EDGE_CSP, SECURITY_HEADERS } from "../../app/scripts/web-server";
import { runPulumi } from "../support/pulumi";

const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
const cdnArgs = { apiOriginDomain: "api-origin.example.com", vpcId: "vpc-0123456789abcdef0", defaultCertificateReason: "test stack has no domain of its own" };

describe("the reference app's front end on the edge (infra/web.ts)", () => {
    it("is read from app/web/dist, where npm run build:web puts it", () => {
        expect(path.relative(path.join(__dirname, "..", ".."), WEB_DIST_DIR)).toBe(path.join("app", "web", "dist"));
    });

    it("uploads a built front end to the edge's bucket as the Cdn's StaticSite 'web'", async () => {
        // GIVEN a built front end
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gw-web-"));
        fs.mkdirSync(path.join(dir, "static", "assets"), { recursive: true });
        fs.writeFileSync(path.join(dir, "index.html"), "<!doctype html>");
        fs.writeFileSync(path.join(dir, "static", "assets", "index-AbCdEf12.js"), "");
        // WHEN the platform publishes it
        const g = await runPulumi(() => publishFrontEnd(new Cdn("edge", cdnArgs), dir));
        // THEN each file is an object of the static bucket under the Cdn
        expect(g.byType(OBJECT).map((o) => [o.name, o.inputs.key, o.inputs.bucket])).toEqual([
            ["web-index.html", "index.html", g.named("edge-static").outputs.bucket],
            ["web-static-assets-index-AbCdEf12.js", "static/assets/index-AbCdEf12.js", g.named("edge-static").outputs.bucket],
        ]);
        expect(g.one("groundwork:cdn:StaticSite").parent).toBe(g.one("groundwork:cdn:Cdn").urn);
    });

    it("declares nothing (and warns) when the front end is not built", async () => {
        const empty = fs.mkdtempSync(path.join(os.tmpdir(), "gw-web-"));
        let site: unknown = "unset";
        const g = await runPulumi(() => {
            site = publishFrontEnd(new Cdn("edge", cdnArgs), empty);
        });
        expect(site).toBeUndefined();
        expect(g.byType(OBJECT)).toEqual([]);
    });

    it("the local edge the app's end-to-end test runs behind sends the CDN's CSP and security headers", () => {
        expect(LOCAL_EDGE_CSP).toBe(CONTENT_SECURITY_POLICY);
        const cdn = securityHeadersSettings();
        expect(SECURITY_HEADERS).toEqual({
            "content-security-policy": cdn.contentSecurityPolicy.contentSecurityPolicy,
            "strict-transport-security": `max-age=${cdn.strictTransportSecurity.accessControlMaxAgeSec}; includeSubDomains; preload`,
            "x-content-type-options": "nosniff",
            "x-frame-options": cdn.frameOptions.frameOption,
            "referrer-policy": cdn.referrerPolicy.referrerPolicy,
        });
    });
});
