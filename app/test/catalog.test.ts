import contract from "../src/contract.json";
import { CREDENTIAL_HEADER } from "../src/platform/contract";
import { metric, sql, startLocalStack, startTestApi, type LocalStack, type TestApi } from "./support/harness";

let stack: LocalStack;
let api: TestApi;

beforeAll(async () => {
  stack = await startLocalStack();
  api = await startTestApi(stack, { RATE_LIMIT_MAX: "1000" });
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

describe("catalog CRUD", () => {
  test("create, read, list, update, delete; rows really stored", async () => {
    const created = await api.fetch("/catalog/items", { method: "POST", json: { sku: "LAMP-1", name: "Desk lamp", priceCents: 1999 } });
    expect(created.status).toBe(201);
    const item = (await created.json()) as { id: number; version: number };
    expect(created.headers.get("location")).toBe(`/catalog/items/${item.id}`);
    expect(await sql(stack.pg.url, "SELECT sku, name, price_cents FROM catalog_items WHERE id = $1", [item.id])).toEqual([{ sku: "LAMP-1", name: "Desk lamp", price_cents: 1999 }]);

    const got = await api.fetch(`/catalog/items/${item.id}`, { auth: false });
    expect(got.status).toBe(200);
    expect(await got.json()).toMatchObject({ id: item.id, sku: "LAMP-1", priceCents: 1999, version: 1 });

    await api.fetch("/catalog/items", { method: "POST", json: { sku: "CHAIR-1", name: "Chair", priceCents: 4999 } });
    const list = (await (await api.fetch("/catalog/items?limit=1", { auth: false })).json()) as { items: { sku: string }[]; next: number };
    expect(list.items.map((i) => i.sku)).toEqual(["LAMP-1"]);
    const page2 = (await (await api.fetch(`/catalog/items?limit=1&after=${list.next}`, { auth: false })).json()) as { items: { sku: string }[] };
    expect(page2.items.map((i) => i.sku)).toEqual(["CHAIR-1"]);

    const patched = await api.fetch(`/catalog/items/${item.id}`, { method: "PATCH", json: { priceCents: 2499 } });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({ priceCents: 2499, version: 2 });
    expect(await sql(stack.pg.url, "SELECT price_cents, version FROM catalog_items WHERE id = $1", [item.id])).toEqual([{ price_cents: 2499, version: 2 }]);

    expect((await api.fetch(`/catalog/items/${item.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await api.fetch(`/catalog/items/${item.id}`, { auth: false })).status).toBe(404);
    expect(await sql(stack.pg.url, "SELECT id FROM catalog_items WHERE id = $1", [item.id])).toEqual([]);
  });

  test("validation errors answer 400 with the failing fields", async () => {
    const res = await api.fetch("/catalog/items", { method: "POST", json: { sku: "bad sku!", priceCents: -5, extra: 1 } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; fields: { field: string }[] };
    expect(body.error).toBe("validation_failed");
    expect(body.fields.map((f) => f.field).sort()).toEqual(expect.arrayContaining(["sku", "name", "priceCents"]));
    const badId = await api.fetch("/catalog/items/not-a-number", { auth: false });
    expect(badId.status).toBe(400);
    expect(((await badId.json()) as { fields: { field: string }[] }).fields[0].field).toBe("id");
    const emptyPatch = await api.fetch("/catalog/items/1", { method: "PATCH", json: {} });
    expect(emptyPatch.status).toBe(400);
    const { id } = (await (await api.fetch("/catalog/items", { method: "POST", json: { sku: "PATCH-1", name: "p", description: "keep me", priceCents: 1 } })).json()) as { id: number };
    const patched = await (await api.fetch(`/catalog/items/${id}`, { method: "PATCH", json: { name: "q" } })).json();
    expect(patched).toMatchObject({ name: "q", description: "keep me" });
    const dup1 = await api.fetch("/catalog/items", { method: "POST", json: { sku: "DUP", name: "x", priceCents: 1 } });
    const dup2 = await api.fetch("/catalog/items", { method: "POST", json: { sku: "DUP", name: "y", priceCents: 1 } });
    expect([dup1.status, dup2.status]).toEqual([201, 409]);
  });

  test("writes need a valid API key; keys are stored hashed", async () => {
    expect((await api.fetch("/catalog/items", { method: "POST", auth: false, json: { sku: "X", name: "x", priceCents: 1 } })).status).toBe(401);
    const forged = api.key.slice(0, -4) + "AAAA";
    expect((await api.fetch("/catalog/items", { method: "POST", auth: false, headers: { "x-api-key": forged }, json: { sku: "X", name: "x", priceCents: 1 } })).status).toBe(401);
    const created = await api.fetch("/accounts/keys", { method: "POST", json: { name: "ci", scopes: ["catalog:write"] } });
    expect(created.status).toBe(201);
    const { key, id } = (await created.json()) as { key: string; id: string };
    const rows = await sql<{ key_hash: Buffer; prefix: string }>(stack.pg.url, "SELECT key_hash, prefix FROM accounts_api_keys WHERE id = $1", [id]);
    expect(rows[0].key_hash).toHaveLength(32);
    expect(rows[0].key_hash.toString("latin1")).not.toContain(key.split("_")[2]);
    const withNew = await api.fetch("/catalog/items", { method: "POST", auth: false, headers: { "x-api-key": key }, json: { sku: "NEWKEY", name: "x", priceCents: 1 } });
    expect(withNew.status).toBe(201);
    expect((await api.fetch(`/accounts/keys/${id}`, { method: "DELETE" })).status).toBe(204);
    const revoked = await api.fetch("/catalog/items", { method: "POST", auth: false, headers: { "x-api-key": key }, json: { sku: "REVOKED", name: "x", priceCents: 1 } });
    expect(revoked.status).toBe(401);
  });

  test("authenticates with the header src/contract.json declares (the edge keys and redacts that one); authenticated reads are private or no-store, and the key is never logged", async () => {
    // GIVEN the contract the platform reads too
    expect(CREDENTIAL_HEADER).toBe(contract.credentialHeader);
    // THEN a key sent in another header does not authenticate
    expect((await api.fetch("/accounts/keys", { auth: false, headers: { authorization: `Bearer ${api.key}` } })).status).toBe(401);
    // ... the declared header does, and the response may not be kept by a shared cache such as CloudFront
    const keys = await api.fetch("/accounts/keys", { auth: false, headers: { [contract.credentialHeader]: api.key } });
    expect(keys.status).toBe(200);
    expect(keys.headers.get("cache-control")).toMatch(/\b(no-store|private)\b/);
    // ... and no log line carries the key
    expect(JSON.stringify(api.logs.lines)).not.toContain(api.key);
  });

  test("cacheable GETs carry Cache-Control and an ETag; If-None-Match gives 304 until the item changes", async () => {
    const { id } = (await (await api.fetch("/catalog/items", { method: "POST", json: { sku: "ETAG-1", name: "e", priceCents: 10 } })).json()) as { id: number };
    const first = await api.fetch(`/catalog/items/${id}`, { auth: false });
    const etag = first.headers.get("etag") as string;
    expect(etag).toMatch(/^W\/"item-\d+-v1"$/);
    expect(first.headers.get("cache-control")).toMatch(/^public, max-age=\d+/);
    const again = await api.fetch(`/catalog/items/${id}`, { auth: false, headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    await api.fetch(`/catalog/items/${id}`, { method: "PATCH", json: { name: "changed" } });
    const changed = await api.fetch(`/catalog/items/${id}`, { auth: false, headers: { "if-none-match": etag } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect((await api.fetch("/reports", { method: "POST", json: {} })).headers.get("cache-control")).toBe("no-store");
  });
});

describe("operations", () => {
  test("healthz, readyz with every dependency, metrics exposition", async () => {
    expect((await api.fetch("/healthz", { auth: false })).status).toBe(200);
    const ready = await api.fetch("/readyz", { auth: false });
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", checks: { postgres: "ok", redis: "ok", sqs: "ok" } });
    // Metrics are on their own port, never on the public one (no Service, Ingress or CDN behaviour reaches them)
    expect((await api.fetch("/metrics", { auth: false })).status).toBe(404);
    expect(api.metricsUrl).toBeDefined();
    expect(new URL(api.metricsUrl!).port).not.toBe(new URL(api.url).port);
    expect((await fetch(`${api.metricsUrl}/catalog/items`)).status).toBe(404);
    const text = await (await fetch(`${api.metricsUrl}/metrics`)).text();
    for (const name of ["http_requests_total", "http_request_duration_seconds_bucket", "cache_events_total", "db_pool_connections", "queue_messages", "job_duration_seconds"]) expect(text).toContain(name);
    expect(await metric(api.platform.metrics, "http_requests_total", { route: "/catalog/items/:id", method: "GET" })).toBeGreaterThan(0);
  });

  test("readyz says only ok or down per dependency (the cause goes to the log) and shares one check per cache window", async () => {
    // GIVEN an API whose SQS endpoint refuses connections, and readiness cached for a minute
    const broken = await startTestApi(stack, { SQS_ENDPOINT: "http://127.0.0.1:9", READINESS_CACHE_MS: "60000" });
    try {
      const ping = jest.spyOn(broken.platform.db, "ping");
      // WHEN many probes arrive together
      const answers = await Promise.all(Array.from({ length: 20 }, () => broken.fetch("/readyz", { auth: false })));
      // THEN one check served them all ...
      expect(ping).toHaveBeenCalledTimes(1);
      // ... and each answer names the failing dependency without the error, the address or any ARN
      for (const r of answers) {
        expect(r.status).toBe(503);
        const text = await r.text();
        expect(JSON.parse(text)).toEqual({ status: "not_ready", checks: { postgres: "ok", redis: "ok", sqs: "down" } });
        expect(text).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|arn:aws|Error/);
      }
      expect(broken.logs.find((l) => l.msg === "readiness check failed" && l.dependency === "sqs")).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });

  test("correlation id: x-request-id is echoed and logged, else the traceparent trace id", async () => {
    const r = await api.fetch("/catalog/items/999999", { auth: false, headers: { "x-request-id": "corr-abc-1" } });
    expect(r.status).toBe(404);
    expect(r.headers.get("x-request-id")).toBe("corr-abc-1");
    const tp = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const r2 = await api.fetch("/healthz", { auth: false, headers: { traceparent: tp } });
    expect(r2.headers.get("x-request-id")).toBe("4bf92f3577b34da6a3ce929d0e0e4736");
    const r3 = await api.fetch("/healthz", { auth: false });
    expect(r3.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("an exhausted DB pool answers 503 with Retry-After instead of queueing", async () => {
    const small = await startTestApi(stack, { DB_POOL_MAX: "1", DB_POOL_ACQUIRE_TIMEOUT_MS: "200", CACHE_ENABLED: "false" });
    try {
      const held = await small.platform.db.pool.connect();
      try {
        const res = await small.fetch("/catalog/items", { auth: false });
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toBe("1");
        expect(await metric(small.platform.metrics, "db_pool_acquire_timeouts_total")).toBe(1);
      } finally {
        held.release();
      }
      expect((await small.fetch("/catalog/items", { auth: false })).status).toBe(200);
    } finally {
      await small.close();
    }
  });

  test("rate limiting answers 429 once the per-client budget is spent", async () => {
    const limited = await startTestApi(stack, { RATE_LIMIT_MAX: "3", RATE_LIMIT_WINDOW_MS: "60000" });
    try {
      const statuses = [];
      for (let i = 0; i < 5; i++) statuses.push((await limited.fetch("/catalog/items", { auth: false })).status);
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect((await limited.fetch("/healthz", { auth: false })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  test("unexpected errors answer 500 without internals and are logged with the correlation id", async () => {
    await sql(stack.pg.url, "ALTER TABLE catalog_items RENAME TO catalog_items_broken");
    try {
      const res = await api.fetch("/catalog/items?limit=1", { auth: false, headers: { "x-request-id": "boom-1" } });
      expect(res.status).toBe(500);
      const body = (await res.json()) as Record<string, unknown>;
      expect(body).toEqual({ error: "internal_error", message: "internal error", correlationId: "boom-1" });
      expect(api.logs.find((l) => l.correlationId === "boom-1" && l.msg === "unhandled error")).toHaveLength(1);
    } finally {
      await sql(stack.pg.url, "ALTER TABLE catalog_items_broken RENAME TO catalog_items");
    }
  });
});
