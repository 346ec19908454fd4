import { eventually, metric, startLocalStack, startTestApi, type LocalStack, type TestApi } from "./support/harness";

let stack: LocalStack;
let api: TestApi;

const dbQueries = (a: TestApi) => metric(a.platform.metrics, "db_queries_total");
const cacheEvents = (a: TestApi, result: string) => metric(a.platform.metrics, "cache_events_total", { cache: "catalog-item", result });

async function createItem(a: TestApi, sku: string, priceCents = 100): Promise<number> {
  const res = await a.fetch("/catalog/items", { method: "POST", json: { sku, name: sku, priceCents } });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}
const getItem = async (a: TestApi, id: number) => {
  const res = await a.fetch(`/catalog/items/${id}`, { auth: false });
  return { status: res.status, body: (await res.json()) as { priceCents: number; name: string } };
};

beforeAll(async () => {
  stack = await startLocalStack();
  // No in-process tier here so every read exercises Redis; the local tier has its own test below.
  api = await startTestApi(stack, { CACHE_LOCAL_TTL_MS: "0", CACHE_TTL_SECONDS: "60", RATE_LIMIT_MAX: "100000" });
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

test("miss loads from PostgreSQL and fills Redis with a TTL; the next read is a hit with no DB query", async () => {
  const id = await createItem(api, "CACHE-1");
  const q0 = await dbQueries(api);
  const misses0 = await cacheEvents(api, "miss");
  expect((await getItem(api, id)).status).toBe(200);
  expect(await cacheEvents(api, "miss")).toBe(misses0 + 1);
  expect(await dbQueries(api)).toBe(q0 + 1);
  const ttl = await api.platform.cache.pttl("catalog-item", String(id));
  expect(ttl).toBeGreaterThan(0);
  expect(ttl).toBeLessThanOrEqual(60000);

  const hits0 = await cacheEvents(api, "hit");
  for (let i = 0; i < 5; i++) expect((await getItem(api, id)).body.priceCents).toBe(100);
  expect(await cacheEvents(api, "hit")).toBe(hits0 + 5);
  expect(await dbQueries(api)).toBe(q0 + 1);
});

test("entries expire after their TTL and are reloaded", async () => {
  const short = await startTestApi(stack, { CACHE_LOCAL_TTL_MS: "0", CACHE_TTL_SECONDS: "1" });
  try {
    const id = await createItem(short, "TTL-1");
    await getItem(short, id);
    expect(await short.platform.cache.pttl("catalog-item", String(id))).toBeGreaterThan(0);
    await eventually(async () => (await short.platform.cache.pttl("catalog-item", String(id))) === -2, "redis key to expire", 5000);
    const misses = await metric(short.platform.metrics, "cache_events_total", { result: "miss" });
    const q = await metric(short.platform.metrics, "db_queries_total");
    await getItem(short, id);
    expect(await metric(short.platform.metrics, "cache_events_total", { result: "miss" })).toBe(misses + 1);
    expect(await metric(short.platform.metrics, "db_queries_total")).toBe(q + 1);
  } finally {
    await short.close();
  }
});

test("an update invalidates the entry on every instance (Redis delete + pub/sub drop of local copies)", async () => {
  const a = await startTestApi(stack, { CACHE_LOCAL_TTL_MS: "60000" });
  const b = await startTestApi(stack, { CACHE_LOCAL_TTL_MS: "60000" });
  try {
    const id = await createItem(a, "INVAL-1", 100);
    expect((await getItem(a, id)).body.priceCents).toBe(100);
    expect((await getItem(b, id)).body.priceCents).toBe(100);
    expect((await getItem(b, id)).body.priceCents).toBe(100);
    expect(await metric(b.platform.metrics, "cache_events_total", { result: "hit_local" })).toBeGreaterThanOrEqual(1);

    const pubsub0 = await metric(b.platform.metrics, "cache_invalidations_total", { source: "pubsub" });
    expect((await a.fetch(`/catalog/items/${id}`, { method: "PATCH", json: { priceCents: 250 } })).status).toBe(200);
    expect(await a.platform.cache.pttl("catalog-item", String(id))).toBe(-2);
    await eventually(async () => (await metric(b.platform.metrics, "cache_invalidations_total", { source: "pubsub" })) > pubsub0, "instance b to receive the invalidation");
    expect((await getItem(b, id)).body.priceCents).toBe(250);
    expect((await getItem(a, id)).body.priceCents).toBe(250);
  } finally {
    await a.close();
    await b.close();
  }
});

test("a hot miss is loaded once (single flight), not once per concurrent request", async () => {
  const id = await createItem(api, "HOT-1");
  const q0 = await dbQueries(api);
  const results = await Promise.all(Array.from({ length: 50 }, () => getItem(api, id)));
  expect(results.every((r) => r.status === 200 && r.body.priceCents === 100)).toBe(true);
  expect(await dbQueries(api)).toBe(q0 + 1);
  expect(await cacheEvents(api, "coalesced")).toBeGreaterThan(0);
});

test("Redis stopped mid-run: reads and writes keep working from PostgreSQL, errors are counted; cache recovers", async () => {
  const id = await createItem(api, "REDIS-DOWN-1", 100);
  await getItem(api, id);
  await stack.redis.stop();
  try {
    const errors0 = await cacheEvents(api, "error");
    const q0 = await dbQueries(api);
    for (let i = 0; i < 5; i++) {
      const r = await getItem(api, id);
      expect(r.status).toBe(200);
      expect(r.body.priceCents).toBe(100);
    }
    expect(await cacheEvents(api, "error")).toBeGreaterThanOrEqual(errors0 + 5);
    expect(await dbQueries(api)).toBe(q0 + 5);
    const patched = await api.fetch(`/catalog/items/${id}`, { method: "PATCH", json: { priceCents: 300 } });
    expect(patched.status).toBe(200);
    expect((await getItem(api, id)).body.priceCents).toBe(300);
    const ready = await api.fetch("/readyz", { auth: false });
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { checks: Record<string, string> }).checks.postgres).toBe("ok");
  } finally {
    await stack.redis.start();
  }
  await eventually(async () => (await api.fetch("/readyz", { auth: false })).status === 200, "readiness after Redis is back");
  const hits0 = await cacheEvents(api, "hit");
  await getItem(api, id);
  await getItem(api, id);
  expect(await cacheEvents(api, "hit")).toBeGreaterThan(hits0);
});

test("Redis unreachable at start: the API starts, serves reads from PostgreSQL and reports not ready", async () => {
  const id = await createItem(api, "NO-REDIS-1", 700);
  const { freePort } = await import("../tools/local-servers");
  const noRedis = await startTestApi(stack, { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
  try {
    const r = await getItem(noRedis, id);
    expect(r).toMatchObject({ status: 200, body: { priceCents: 700 } });
    expect(await metric(noRedis.platform.metrics, "cache_events_total", { result: "error" })).toBeGreaterThanOrEqual(1);
    expect((await noRedis.fetch("/readyz", { auth: false })).status).toBe(503);
  } finally {
    await noRedis.close();
  }
});

test("CACHE_ENABLED=false always reads PostgreSQL (the benchmark baseline)", async () => {
  const off = await startTestApi(stack, { CACHE_ENABLED: "false" });
  try {
    const id = await createItem(off, "NOCACHE-1");
    const q0 = await metric(off.platform.metrics, "db_queries_total");
    for (let i = 0; i < 3; i++) await getItem(off, id);
    expect(await metric(off.platform.metrics, "db_queries_total")).toBe(q0 + 3);
  } finally {
    await off.close();
  }
});
