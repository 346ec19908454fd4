/**
 * IAM authentication against the real local servers (no AWS): the cache swaps its password on a timer and a
 * reconnect uses the new one; the migrate bootstrap creates a role the API can run as.
 */
import Redis from "ioredis";
import { Cache } from "../src/platform/cache";
import { Db } from "../src/platform/db";
import { createLogger } from "../src/platform/log";
import { Metrics } from "../src/platform/metrics";
import { eventually, metric, sql, startLocalStack, startTestApi, type LocalStack } from "./support/harness";

let stack: LocalStack;
let admin: Redis;
beforeAll(async () => {
  stack = await startLocalStack();
  admin = new Redis(stack.redis.url);
});
afterAll(async () => {
  admin?.disconnect();
  await stack?.stop();
});

describe("cache with IAM authentication (ElastiCache model: a user whose password is a token)", () => {
  const log = createLogger({ level: "silent", service: "test" });

  test("authenticates as the user with the current token; a reconnect after the refresh uses the new token; fails open meanwhile", async () => {
    // Like ElastiCache, the server accepts only the current token; open connections stay authenticated.
    await admin.call("ACL", "SETUSER", "app", "on", "resetpass", ">token-1", "~*", "&*", "+@all");
    let current = "token-1";
    let signed = 0;
    const metrics = new Metrics();
    const cache = new Cache(
      {
        url: stack.redis.url,
        enabled: true,
        commandTimeoutMs: 250,
        localTtlMs: 0,
        iamAuth: { user: "app", token: async () => (signed++, current), refreshMs: 3_600_000 },
      },
      metrics,
      log,
    );
    try {
      await cache.connect();
      expect(signed).toBe(1);
      await cache.ping();
      expect(String(await admin.call("CLIENT", "LIST"))).toMatch(/ user=app /);
      expect(await cache.getOrLoad("t", "1", 60, async () => ({ v: 1 }))).toEqual({ v: 1 });

      // Token rotates on the server; the connections are dropped before our refresh ran: reconnects fail,
      // reads fail open to the loader.
      current = "token-2";
      await admin.call("ACL", "SETUSER", "app", "resetpass", ">token-2");
      await admin.call("CLIENT", "KILL", "USER", "app");
      await eventually(async () => (await cache.ping().then(() => false, () => true)), "reconnect to fail with the old token", 5000);
      expect(await cache.getOrLoad("t", "2", 60, async () => ({ v: 2 }))).toEqual({ v: 2 });
      expect(await metric(metrics, "cache_events_total", { result: "error" })).toBeGreaterThan(0);

      // The refresh puts the new token in place; the client's own retries then authenticate.
      expect(await cache.refreshCredentials()).toBe(true);
      expect(signed).toBe(2);
      await eventually(async () => (await cache.ping().then(() => true, () => false)), "reconnect with the new token", 10000);
      expect(await cache.getOrLoad("t", "1", 60, async () => ({ v: "db" }))).toEqual({ v: 1 });
    } finally {
      await cache.close();
    }
  });

  test("the token is refreshed on a timer, which stops at close", async () => {
    await admin.call("ACL", "SETUSER", "app", "on", "resetpass", ">token-1", "~*", "&*", "+@all");
    let signed = 0;
    const cache = new Cache(
      { url: stack.redis.url, enabled: true, commandTimeoutMs: 250, localTtlMs: 0, iamAuth: { user: "app", token: async () => (signed++, "token-1"), refreshMs: 20 } },
      new Metrics(),
      log,
    );
    await cache.connect();
    await eventually(async () => signed >= 4, "several refreshes");
    await cache.close();
    const after = signed;
    await new Promise((r) => setTimeout(r, 100));
    expect(signed).toBe(after);
  });
});

describe("migrate bootstrap for RDS IAM authentication", () => {
  test("creates the role with rds_iam and read/write grants, idempotently; the API runs as that role", async () => {
    const log = createLogger({ level: "silent", service: "test" });
    // Apply the app's migrations as the admin, as `npm run migrate` does.
    const migrated = await startTestApi(stack);
    await migrated.close();
    // RDS has this role built in; the local server does not.
    await sql(stack.pg.url, "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rds_iam') THEN CREATE ROLE rds_iam; END IF; END $$");
    const db = new Db({ connection: { url: stack.pg.url }, max: 2, acquireTimeoutMs: 2000, statementTimeoutMs: 5000, applicationName: "test" }, new Metrics(), log);
    try {
      await db.bootstrapIamRole("app");
      await db.bootstrapIamRole("app");
    } finally {
      await db.close();
    }
    const [role] = await sql<{ login: boolean; iam: boolean; ins: boolean; create: boolean }>(
      stack.pg.url,
      `SELECT r.rolcanlogin AS login, pg_has_role('app', 'rds_iam', 'member') AS iam,
              has_table_privilege('app', 'catalog_items', 'INSERT') AS ins, has_schema_privilege('app', 'public', 'CREATE') AS create
         FROM pg_roles r WHERE r.rolname = 'app'`,
    );
    expect(role).toEqual({ login: true, iam: true, ins: true, create: false });

    // The local server trusts loopback, so the role logs in without a token: what matters here is its privileges.
    const url = new URL(stack.pg.url);
    url.username = "app";
    url.password = "";
    const api = await startTestApi(stack, { DATABASE_URL: url.toString(), RUN_MIGRATIONS: "false" });
    try {
      const created = await api.fetch("/catalog/items", { method: "POST", json: { sku: "IAM-1", name: "iam", priceCents: 5 } });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: number };
      expect((await api.fetch(`/catalog/items/${id}`, { auth: false })).status).toBe(200);
      expect((await api.fetch("/reports", { method: "POST", json: {} })).status).toBe(202);
    } finally {
      await api.close();
    }
    await expect(sql(url.toString(), "CREATE TABLE not_allowed (id int)")).rejects.toThrow(/permission denied/);
  });
});
