/**
 * Who may call what. The route table test walks the routes Fastify itself registered (recorded by an onRoute
 * hook into `app.routeTable`), not a list kept here, so a new route is covered the moment it exists: without a
 * declared access the API does not even start, and a new public route fails until it is added to PUBLIC_ROUTES.
 */
import { buildModules } from "../src/app";
import { accountsMigrations, SCOPES, type Scope } from "../src/modules/accounts";
import { buildHttpServer, type AppModule, type RouteEntry } from "../src/platform/http";
import { spawnEntry, sql, startLocalStack, startTestApi, waitForExit, type LocalStack, type TestApi } from "./support/harness";

/**
 * The routes anyone may call, decided here on purpose. HEAD routes are Fastify's automatic twins of GET routes.
 * Probes must answer kubelet and the load balancer; catalog reads are the public, CDN-cached part of the API.
 */
const PUBLIC_ROUTES = [
  "GET /healthz",
  "HEAD /healthz",
  "GET /readyz",
  "HEAD /readyz",
  "GET /catalog/items",
  "HEAD /catalog/items",
  "GET /catalog/items/:id",
  "HEAD /catalog/items/:id",
];

const SAMPLE_ID = "00000000-0000-4000-8000-000000000000";

let stack: LocalStack;
let api: TestApi;
let table: readonly RouteEntry[];
/** For each scope: a key holding only it, and a key holding every other scope but not it. */
const only = {} as Record<Scope, string>;
const allBut = {} as Record<Scope, string>;

beforeAll(async () => {
  stack = await startLocalStack();
  api = await startTestApi(stack, { RATE_LIMIT_MAX: "100000" });
  table = api.app.routeTable;
  for (const scope of SCOPES) {
    only[scope] = (await api.createKey([scope])).key;
    allBut[scope] = (await api.createKey(SCOPES.filter((s) => s !== scope))).key;
  }
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const label = (r: RouteEntry) => `${r.method} ${r.url}`;
const scoped = () => table.filter((r): r is RouteEntry & { access: { scope: Scope } } => r.access !== "public");

/**
 * "METHOD /path" for every route in Fastify's own router, read from `printRoutes` (the radix tree, one segment per
 * line, indented 4 characters per level): a second enumeration, independent of the onRoute record.
 */
function routerRoutes(printout: string): string[] {
  const out: string[] = [];
  const paths: string[] = [];
  for (const line of printout.split("\n")) {
    const m = /^((?:│ {3}| {4})*)[├└]── (.+?)(?: \(([^)]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1].length / 4;
    paths.length = depth;
    paths.push((paths[depth - 1] ?? "") + m[2]);
    for (const method of m[3]?.split(", ") ?? []) out.push(`${method} ${paths[depth]}`);
  }
  return out.sort();
}

/** Calls a route with a minimal request: path parameters filled, `{}` as the body of POST/PUT/PATCH. */
async function call(route: RouteEntry, key?: string): Promise<{ status: number; error?: string }> {
  const withBody = ["POST", "PUT", "PATCH"].includes(route.method);
  const headers: Record<string, string> = {};
  if (key) headers["x-api-key"] = key;
  if (withBody) headers["content-type"] = "application/json";
  const res = await fetch(`${api.url}${route.url.replace(/:[A-Za-z]+/g, SAMPLE_ID)}`, { method: route.method, headers, body: withBody ? "{}" : undefined });
  const text = await res.text();
  let error: string | undefined;
  try {
    error = (JSON.parse(text) as { error?: string }).error;
  } catch {
    // HEAD and non-JSON answers have no error code; the status says enough.
  }
  return { status: res.status, error };
}

/** Runs `check` on every route and returns the ones that answered otherwise, so one failure names them all. */
async function misfits<R extends RouteEntry>(routes: readonly R[], check: (r: R) => Promise<string | undefined>): Promise<string[]> {
  const out: string[] = [];
  for (const r of routes) {
    const problem = await check(r);
    if (problem) out.push(`${label(r)}: ${problem}`);
  }
  return out;
}

describe("route table", () => {
  test("lists what Fastify registered: each route is public by decision above or requires a known scope, and every scope guards a route", () => {
    expect(table.length).toBeGreaterThan(PUBLIC_ROUTES.length);
    expect(table.map(label).sort()).toEqual(routerRoutes(api.app.printRoutes({ commonPrefix: false })));
    expect(table.filter((r) => r.access === "public").map(label).sort()).toEqual([...PUBLIC_ROUTES].sort());
    for (const r of scoped()) expect(SCOPES).toContain(r.access.scope);
    expect([...new Set(scoped().map((r) => r.access.scope))].sort()).toEqual([...SCOPES].sort());
  });

  test("no key: every scoped route answers 401 (before validating the request); public routes answer without one", async () => {
    expect(
      await misfits(table, async (r) => {
        const { status, error } = await call(r);
        if (r.access === "public") return status === 401 || status === 403 ? `public route answered ${status}` : undefined;
        if (status !== 401) return `expected 401, got ${status}`;
        return r.method !== "HEAD" && error !== "unauthorized" ? `expected error "unauthorized", got ${error}` : undefined;
      }),
    ).toEqual([]);
  });

  test("wrong scope: a key holding every scope except the route's answers 403", async () => {
    expect(
      await misfits(scoped(), async (r) => {
        const { status, error } = await call(r, allBut[r.access.scope]);
        if (status !== 403) return `expected 403, got ${status}`;
        return r.method !== "HEAD" && error !== "forbidden" ? `expected error "forbidden", got ${error}` : undefined;
      }),
    ).toEqual([]);
  });

  test("right scope: a key holding only the route's scope gets past authorization to the handler", async () => {
    expect(
      await misfits(scoped(), async (r) => {
        const { status, error } = await call(r, only[r.access.scope]);
        // The sample request may be invalid (400) or name nothing that exists (404): the handler answered.
        return [401, 403, 429].includes(status) || status >= 500 ? `got ${status} ${error ?? ""}` : undefined;
      }),
    ).toEqual([]);
  });

  test("the API refuses to start with a route that declares no access or an unknown scope", async () => {
    const { authenticator } = buildModules(api.platform).accounts.api;
    const withRoute = (config: object): AppModule => ({ name: "extra", migrations: [], routes: async (app) => void app.get("/extra", { config }, async () => "open") });
    await expect(buildHttpServer(api.platform, [withRoute({})], authenticator)).rejects.toThrow(/GET,?\S* \/extra: the route declares no access; add config\.access/);
    await expect(buildHttpServer(api.platform, [withRoute({ access: { scope: "catalog:read" } })], authenticator)).rejects.toThrow(/\/extra: config\.access\.scope "catalog:read" is not a known scope/);
    const ok = await buildHttpServer(api.platform, [withRoute({ access: { scope: "reports" } })], authenticator);
    try {
      expect(ok.routeTable.map(label)).toEqual(expect.arrayContaining(["GET /extra", "HEAD /extra"]));
    } finally {
      await ok.close();
    }
  });
});

describe("API keys", () => {
  const createKey = (key: string, json: unknown) => api.fetch("/accounts/keys", { method: "POST", auth: false, headers: { "x-api-key": key, "content-type": "application/json" }, body: JSON.stringify(json) });

  test("scopes are validated: unknown or missing scopes answer 400 naming the field and the valid scopes", async () => {
    const unknown = await createKey(only["keys:admin"], { name: "x", scopes: ["keys:admin", "root"] });
    expect(unknown.status).toBe(400);
    const fields = ((await unknown.json()) as { fields: { field: string; message: string }[] }).fields;
    expect(fields).toEqual([{ field: "scopes.1", message: "must be one of catalog:write, reports, keys:admin" }]);
    const missing = await createKey(only["keys:admin"], { name: "x" });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { fields: { field: string }[] }).fields.map((f) => f.field)).toEqual(["scopes"]);
    const empty = await createKey(only["keys:admin"], { name: "x", scopes: [] });
    expect(((await empty.json()) as { fields: { message: string }[] }).fields[0].message).toMatch(/at least one scope/);
  });

  test("a key can only grant scopes it holds; granted scopes are stored and enforced", async () => {
    // GIVEN a key that administers keys but holds nothing else
    const escalate = await createKey(only["keys:admin"], { name: "escalate", scopes: ["keys:admin", "catalog:write"] });
    expect(escalate.status).toBe(403);
    expect(await escalate.json()).toMatchObject({ error: "scope_not_held", details: { field: "scopes", missing: ["catalog:write"] } });
    expect(await sql(stack.pg.url, "SELECT 1 FROM accounts_api_keys WHERE name = 'escalate'")).toEqual([]);
    // ... it can hand on what it has
    const peer = await createKey(only["keys:admin"], { name: "peer-admin", scopes: ["keys:admin", "keys:admin"] });
    expect(peer.status).toBe(201);
    expect(await peer.json()).toMatchObject({ name: "peer-admin", scopes: ["keys:admin"] });

    // GIVEN a key with every scope, granting two of them
    const created = await createKey(api.key, { name: "writer", scopes: ["reports", "catalog:write"] });
    expect(created.status).toBe(201);
    const { id, key } = (await created.json()) as { id: string; key: string };
    expect(await sql(stack.pg.url, "SELECT scopes FROM accounts_api_keys WHERE id = $1", [id])).toEqual([{ scopes: ["catalog:write", "reports"] }]);
    // THEN the new key can do exactly that
    const as = (path: string, init: RequestInit & { json?: unknown } = {}) => api.fetch(path, { ...init, auth: false, headers: { "x-api-key": key } });
    expect((await as("/catalog/items", { method: "POST", json: { sku: "SCOPED-1", name: "s", priceCents: 1 } })).status).toBe(201);
    expect((await as("/reports", { method: "POST", json: {} })).status).toBe(202);
    expect((await as("/accounts/keys")).status).toBe(403);
    // ... and the admin sees each key's scopes
    const list = (await (await api.fetch("/accounts/keys")).json()) as { items: { id: string; scopes: string[] }[] };
    expect(list.items.find((k) => k.id === id)?.scopes).toEqual(["catalog:write", "reports"]);
  });

  test("migration 002: keys made before scopes keep catalog:write and reports but not keys:admin; new rows must name their scopes", async () => {
    await sql(stack.pg.url, "CREATE DATABASE legacy_keys");
    const legacy = new URL(stack.pg.url);
    legacy.pathname = "/legacy_keys";
    const url = legacy.toString();
    const [v1, v2] = accountsMigrations;
    await sql(url, v1.sql);
    await sql(url, "INSERT INTO accounts_api_keys (name, prefix, key_hash) VALUES ('old', 'aaaaaaaaaaaa', '\\x00')");
    await sql(url, v2.sql);
    expect(await sql(url, "SELECT name, scopes FROM accounts_api_keys")).toEqual([{ name: "old", scopes: ["catalog:write", "reports"] }]);
    await expect(sql(url, "INSERT INTO accounts_api_keys (name, prefix, key_hash) VALUES ('new', 'bbbbbbbbbbbb', '\\x00')")).rejects.toThrow(/null value in column "scopes"/);
  });
});

describe("bootstrap: create-api-key", () => {
  const run = async (args: string[]) => {
    const child = spawnEntry("create-api-key", stack.env({ LOG_LEVEL: "warn" }), args);
    const { code } = await waitForExit(child);
    return { code, output: child.output() };
  };

  test("--scopes is required and validated before touching the database", async () => {
    const none = await run(["ops"]);
    expect(none.code).toBe(2);
    expect(none.output).toContain("--scopes: required");
    expect(none.output).toContain("usage: create-api-key <name> --scopes");
    const bad = await run(["ops", "--scopes", "keys:admin,root"]);
    expect(bad.code).toBe(2);
    expect(bad.output).toContain('--scopes: "root" must be one of catalog:write, reports, keys:admin');
    expect(await sql(stack.pg.url, "SELECT 1 FROM accounts_api_keys WHERE name = 'ops'")).toEqual([]);
  });

  test("mints the first keys:admin key, which can then create keys with the scopes it holds", async () => {
    const { code, output } = await run(["ops", "--scopes", "keys:admin"]);
    expect(code).toBe(0);
    const minted = JSON.parse(output.trim().split("\n").pop() as string) as { id: string; scopes: string[]; key: string };
    expect(minted.scopes).toEqual(["keys:admin"]);
    expect(await sql(stack.pg.url, "SELECT name, scopes FROM accounts_api_keys WHERE id = $1", [minted.id])).toEqual([{ name: "ops", scopes: ["keys:admin"] }]);
    const next = await api.fetch("/accounts/keys", { method: "POST", auth: false, headers: { "x-api-key": minted.key }, json: { name: "ci", scopes: ["keys:admin"] } });
    expect(next.status).toBe(201);
    expect((await api.fetch("/catalog/items", { method: "POST", auth: false, headers: { "x-api-key": minted.key }, json: { sku: "ADMIN-1", name: "a", priceCents: 1 } })).status).toBe(403);
  });
});
