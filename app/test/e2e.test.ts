/**
 * The front end end to end, in headless Chromium (Debian's /usr/bin/chromium driven by playwright-core, which never
 * downloads a browser), against the real API and worker on throwaway PostgreSQL, Redis and fauxqs. The built page
 * (web/dist, `npm run build:web`; npm test builds it) is served by scripts/web-server.ts, the local stand-in for the
 * CDN: one origin for the page and the API, and the CDN's CSP on every answer, so a CSP violation fails here.
 * Screenshots of each step go to artifacts/e2e/ (CI keeps them).
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type Locator, type Page } from "playwright-core";
import { CONTENT_SECURITY_POLICY, startWebServer, type WebServer } from "../scripts/web-server";
import { sql, startLocalStack, startTestApi, startTestWorker, type LocalStack, type TestApi } from "./support/harness";

/** Debian's Chromium (tools/setup.sh installs it); CHROMIUM_PATH points elsewhere when needed. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const DIST = join(__dirname, "..", "web", "dist");
const ARTIFACTS = join(__dirname, "..", "artifacts", "e2e");

const SEED = [
  { sku: "E2E-LAMP", name: "Desk lamp", priceCents: 1000 },
  { sku: "E2E-CHAIR", name: "Chair", priceCents: 2500 },
  { sku: "E2E-TABLE", name: "Table", priceCents: 4000 },
];

/** Waits until `loc`'s text equals `expected` (or contains it), failing with the last text seen. */
async function waitForText(loc: Locator, expected: string, how: "equals" | "contains" = "equals", timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  for (;;) {
    last = ((await loc.first().textContent({ timeout: 1000 }).catch(() => null)) ?? "").trim();
    if (how === "equals" ? last === expected : last.includes(expected)) return;
    if (Date.now() > deadline) throw new Error(`${String(loc)}: expected text ${how === "equals" ? "" : "containing "}"${expected}", last "${last}"`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Script and style elements written into the page itself (what CSP without 'unsafe-inline' would block). */
export function inlineCode(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) if (!/\bsrc\s*=/.test(m[1]) || m[2].trim()) found.push(`<script${m[1]}>`);
  for (const m of html.matchAll(/<style\b[^>]*>/gi)) found.push(m[0]);
  for (const m of html.matchAll(/<[^>]+\s(style|on[a-z]+)\s*=[^>]*>/gi)) found.push(m[0]);
  for (const m of html.matchAll(/(href|src)\s*=\s*["']\s*javascript:/gi)) found.push(m[0]);
  return found;
}

test.each([
  ['<script type="module" src="/static/assets/a-12345678.js"></script>', []],
  ["<script>alert(1)</script>", ["<script>"]],
  ['<script src="/x.js">alert(1)</script>', ['<script src="/x.js">']],
  ["<style>body{}</style>", ["<style>"]],
  ['<p style="color:red">x</p>', ['<p style="color:red">']],
  ['<button onclick="go()">', ['<button onclick="go()">']],
  ['<a href="javascript:go()">', ['href="javascript:']],
])("inlineCode finds what a strict CSP blocks: %s", (html, expected) => {
  expect(inlineCode(html)).toEqual(expected);
});

describe("front end, end to end", () => {
  let stack: LocalStack;
  let api: TestApi;
  let worker: Awaited<ReturnType<typeof startTestWorker>>;
  let web: WebServer;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`${CHROMIUM} is missing: the end-to-end test drives Debian's Chromium (bash tools/setup.sh installs it: apt-get install --no-install-recommends chromium), or set CHROMIUM_PATH`);
    }
    if (!existsSync(join(DIST, "index.html"))) throw new Error(`${DIST}/index.html is missing: run \`npm run build:web\` (npm test does it)`);
    rmSync(ARTIFACTS, { recursive: true, force: true });
    mkdirSync(ARTIFACTS, { recursive: true });
    stack = await startLocalStack();
    api = await startTestApi(stack, { RATE_LIMIT_MAX: "100000" });
    worker = await startTestWorker(stack);
    for (const item of SEED) expect((await api.fetch("/catalog/items", { method: "POST", json: item })).status).toBe(201);
    web = await startWebServer({ dir: DIST, apiUrl: api.url });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await worker?.close();
    await api?.close();
    await stack?.stop();
  });

  test("the built index.html has no inline script or style, and its assets are fingerprinted under /static/", () => {
    const html = readFileSync(join(DIST, "index.html"), "utf8");
    expect(inlineCode(html)).toEqual([]);
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThanOrEqual(2);
    for (const ref of refs) expect(ref).toMatch(/^\/static\/assets\/[A-Za-z0-9_.-]+-[A-Za-z0-9_-]{8}\.(js|css)$/);
  });

  test("admin key → create a key → catalog → report job → CSV → revoke, with no CSP violation", async () => {
    const page: Page = await browser.newPage({ acceptDownloads: true });
    const problems: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    // Reported by the page itself: a blocked inline script, style or fetch, whatever the console says.
    await page.exposeFunction("reportCspViolation", (v: string) => problems.push(`CSP violation: ${v}`));
    await page.addInitScript({
      content: 'document.addEventListener("securitypolicyviolation", (e) => window.reportCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"}`));',
    });
    // Nothing leaves the local origin (no CDN, font or analytics request).
    await page.route("**/*", (route) => (route.request().url().startsWith(web.url) ? route.continue() : (problems.push(`off-origin request: ${route.request().url()}`), route.abort())));
    let shot = 0;
    const screenshot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${String(++shot).padStart(2, "0")}-${name}.png`), fullPage: true });
    const status = page.locator("#status");
    const useKey = async (key: string) => {
      await page.getByRole("textbox", { name: "API key", exact: true }).fill(key);
      await page.getByRole("button", { name: "Use key" }).click();
      await waitForText(status, "API key set.");
    };

    try {
      // GIVEN the page, served with the CDN's CSP
      const res = await page.goto(`${web.url}/`);
      expect(res?.headers()["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
      await page.getByRole("heading", { name: "Groundwork", level: 1 }).waitFor({ state: "visible" });
      await screenshot("loaded");

      // WHEN an admin key is entered and a key for reports is created with it
      await useKey(api.key);
      await page.getByLabel("New key name").fill("e2e-reports");
      await page.getByRole("button", { name: "Create key" }).click();
      await waitForText(status, "Key e2e-reports created with reports.");
      const newKey = (await page.locator("#new-key-value").textContent()) ?? "";
      expect(newKey).toMatch(/^gw_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      await waitForText(page.locator("#keys-rows tr", { hasText: "e2e-reports" }), "active", "contains");
      await screenshot("key-created");

      // AND the catalog is browsed (public, no key needed, but the key is sent anyway)
      await page.getByRole("button", { name: "Load catalog" }).click();
      await waitForText(status, "3 catalog items shown.");
      for (const item of SEED) await waitForText(page.locator("#catalog-rows"), item.sku, "contains");
      await screenshot("catalog");

      // AND, with the new key, a report job is created, polled until done, and its CSV downloaded
      await useKey(newKey);
      await page.getByLabel("Minimum price (cents)").fill("0");
      await page.getByRole("button", { name: "Create report" }).click();
      await waitForText(page.locator("#job-status"), "done", "equals", 30_000);
      await waitForText(status, "is done: ", "contains");
      await screenshot("report-done");
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Download CSV" }).click()]);
      const jobId = (await page.locator("#job-id").textContent()) ?? "";
      expect(download.suggestedFilename()).toBe(`report-${jobId}.csv`);
      const csv = readFileSync(await download.path(), "utf8");
      expect(csv.split("\n").slice(0, 5)).toEqual(["metric,value", "item_count,3", "total_cents,7500", "min_cents,1000", "max_cents,4000"]);
      // THEN the job is the new key's (ownership is per key)
      const [created] = await sql<{ name: string }>(stack.pg.url, "SELECT k.name FROM reports_jobs j JOIN accounts_api_keys k ON k.id::text = j.created_by WHERE j.id = $1", [jobId]);
      expect(created.name).toBe("e2e-reports");

      // WHEN the admin key revokes the new key
      await useKey(api.key);
      await page.getByRole("button", { name: "List keys" }).click();
      await page.getByRole("button", { name: "Revoke key e2e-reports" }).click();
      await waitForText(status, "Key e2e-reports revoked.");
      await waitForText(page.locator("#keys-rows tr", { hasText: "e2e-reports" }), "revoked", "contains");
      await screenshot("key-revoked");
      const [revoked] = await sql<{ revoked: boolean }>(stack.pg.url, "SELECT revoked_at IS NOT NULL AS revoked FROM accounts_api_keys WHERE name = 'e2e-reports'");
      expect(revoked.revoked).toBe(true);

      // AND the key never reached localStorage
      expect(await page.evaluate("window.localStorage.length")).toBe(0);
      // AND nothing was blocked by the CSP, logged as an error or sent elsewhere
      expect(problems).toEqual([]);
      // (the detector works: a fetch to another origin is blocked by connect-src and reported)
      await page.evaluate("fetch('http://203.0.113.1/').catch(() => undefined)");
      for (let i = 0; i < 50 && !problems.some((p) => p.startsWith("CSP violation: connect-src")); i++) await new Promise((r) => setTimeout(r, 100));
      expect(problems).toContainEqual(expect.stringMatching(/^CSP violation: connect-src blocked http:\/\/203\.0\.113\.1/));
    } catch (err) {
      await screenshot("failure").catch(() => undefined);
      throw err;
    } finally {
      await page.close();
    }
  }, 120_000);
});
