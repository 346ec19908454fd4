import { Db, isReaderUnavailable } from "../src/platform/db";
import { createLogger } from "../src/platform/log";
import { Metrics } from "../src/platform/metrics";
import { startReplicatedPostgres, type ReplicatedPostgres } from "../tools/local-servers";
import { eventually, metric, sql, startLocalStack, startTestApi, type LocalStack, type TestApi } from "./support/harness";

// Reads that tolerate replica lag (catalog lists, gets on a cache miss) go to a real hot standby streaming from a real
// primary on loopback; writes stay on the primary; a stopped standby sends reads back to the primary, counted.
let rep: ReplicatedPostgres;
let stack: LocalStack;
let api: TestApi;

/** Connections of the API's read pool (application_name `<service>-api-read`) open on a server. */
const readConnections = async (url: string) =>
  Number((await sql<{ n: string }>(url, "SELECT count(*) AS n FROM pg_stat_activity WHERE application_name LIKE '%-read'"))[0].n);

beforeAll(async () => {
  rep = await startReplicatedPostgres();
  stack = await startLocalStack();
  // Cache off: every get is a cache miss, so it reaches the database's read path.
  api = await startTestApi(stack, { DATABASE_URL: rep.primary.url, DATABASE_READ_URL: rep.standby.url, CACHE_ENABLED: "false", RATE_LIMIT_MAX: "10000" });
}, 120_000);
afterAll(async () => {
  await api?.close();
  await stack?.stop();
  await rep?.stop();
});

describe("read routing to a hot standby (streaming replication on loopback)", () => {
  test("the standby really is a hot standby of the primary", async () => {
    expect(await sql(rep.primary.url, "SELECT pg_is_in_recovery() AS r")).toEqual([{ r: false }]);
    expect(await sql(rep.standby.url, "SELECT pg_is_in_recovery() AS r")).toEqual([{ r: true }]);
    expect(await sql(rep.primary.url, "SELECT usename, state FROM pg_stat_replication")).toEqual([{ usename: "replicator", state: "streaming" }]);
  });

  test("lag-tolerant reads run on the standby's connection, writes and the rest on the primary's", async () => {
    const db = api.platform.db;
    expect(db.hasReader).toBe(true);
    expect((await db.reads.query<{ r: boolean }>("SELECT pg_is_in_recovery() AS r")).rows).toEqual([{ r: true }]);
    expect((await db.query<{ r: boolean }>("SELECT pg_is_in_recovery() AS r")).rows).toEqual([{ r: false }]);
    // A write sent down the read path is refused by the standby (read-only), not silently retried on the primary.
    await expect(db.reads.query("CREATE TABLE nope (id int)")).rejects.toMatchObject({ code: "25006" });
  });

  test("catalog writes reach the primary; lists and gets on a cache miss are served by the standby", async () => {
    const readerBefore = await metric(api.platform.metrics, "db_read_queries_total", { target: "reader" });
    const created = await api.fetch("/catalog/items", { method: "POST", json: { sku: "REP-1", name: "Replicated", priceCents: 1234 } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    // The write is on the primary; the standby replays it a moment later.
    expect(await sql(rep.primary.url, "SELECT sku FROM catalog_items WHERE id = $1", [id])).toEqual([{ sku: "REP-1" }]);
    await eventually(async () => (await sql(rep.standby.url, "SELECT 1 FROM catalog_items WHERE id = $1", [id])).length === 1, "the standby to replay the insert");

    for (let i = 0; i < 5; i++) {
      expect((await api.fetch(`/catalog/items/${id}`, { auth: false })).status).toBe(200);
      const list = (await (await api.fetch("/catalog/items?limit=50", { auth: false })).json()) as { items: { sku: string }[] };
      expect(list.items.map((x) => x.sku)).toContain("REP-1");
    }
    // 10 reads, all on the standby: counted as reader reads, and the read pool's connections live on the standby only.
    expect((await metric(api.platform.metrics, "db_read_queries_total", { target: "reader" })) - readerBefore).toBeGreaterThanOrEqual(10);
    expect(await metric(api.platform.metrics, "db_read_fallback_total")).toBe(0);
    expect(await readConnections(rep.standby.url)).toBeGreaterThan(0);
    expect(await readConnections(rep.primary.url)).toBe(0);
  });

  test("a get right after a create, before the standby has replayed it, is answered by the primary (no 404)", async () => {
    // The writer decides a miss: the standby's not-yet-replayed row is looked up on the primary.
    const created = (await (await api.fetch("/catalog/items", { method: "POST", json: { sku: "REP-2", name: "Fresh", priceCents: 1 } })).json()) as { id: number };
    expect((await api.fetch(`/catalog/items/${created.id}`, { auth: false })).status).toBe(200);
    expect((await api.fetch("/catalog/items/999999", { auth: false })).status).toBe(404);
  });

  test("with the standby stopped, reads fall back to the primary and are counted in db_read_fallback_total", async () => {
    await rep.standby.stop();
    const before = await metric(api.platform.metrics, "db_read_fallback_total");
    const list = await api.fetch("/catalog/items?limit=50", { auth: false });
    expect(list.status).toBe(200);
    expect(((await list.json()) as { items: { sku: string }[] }).items.map((x) => x.sku)).toContain("REP-1");
    const { rows } = await api.platform.db.reads.query<{ r: boolean }>("SELECT pg_is_in_recovery() AS r");
    expect(rows).toEqual([{ r: false }]);
    expect((await metric(api.platform.metrics, "db_read_fallback_total")) - before).toBeGreaterThanOrEqual(2);
    expect(await metric(api.platform.metrics, "db_read_queries_total", { target: "writer" })).toBeGreaterThanOrEqual(2);

    // Started again, the standby serves reads once the retry interval has passed.
    await rep.standby.start();
    await eventually(async () => (await api.platform.db.reads.query<{ r: boolean }>("SELECT pg_is_in_recovery() AS r")).rows[0].r, "reads to return to the standby", 20_000, 500);
  }, 60_000);
});

describe("isReaderUnavailable", () => {
  test.each<[string, unknown, boolean]>([
    ["connection refused", Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5"), { code: "ECONNREFUSED" }), true],
    ["admin shutdown", Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }), true],
    ["recovery conflict", Object.assign(new Error("canceling statement due to conflict with recovery"), { code: "40001" }), true],
    ["connection terminated", new Error("Connection terminated unexpectedly"), true],
    ["a syntax error", Object.assign(new Error("syntax error"), { code: "42601" }), false],
    ["a read-only transaction", Object.assign(new Error("cannot execute CREATE TABLE in a read-only transaction"), { code: "25006" }), false],
  ])("%s -> %s", (_what, err, expected) => {
    expect(isReaderUnavailable(err)).toBe(expected);
  });

  test("a Db without a reader reads on its own pool and counts no fallback", async () => {
    const metrics = new Metrics();
    const db = new Db({ connection: { url: rep.primary.url }, max: 2, acquireTimeoutMs: 1000, statementTimeoutMs: 5000, applicationName: "t" }, metrics, createLogger({ level: "silent", service: "t" }));
    try {
      expect((await db.reads.query<{ r: boolean }>("SELECT pg_is_in_recovery() AS r")).rows).toEqual([{ r: false }]);
      expect(db.hasReader).toBe(false);
      expect(await metric(metrics, "db_read_fallback_total")).toBe(0);
    } finally {
      await db.close();
    }
  });
});
