import Redis, { Cluster } from "ioredis";
import { Cache } from "../src/platform/cache";
import { createLogger } from "../src/platform/log";
import { Metrics } from "../src/platform/metrics";
import { parseEnv } from "../src/platform/config";
import { createPlatform } from "../src/platform/platform";
import { startRedisCluster, type RunningRedisCluster } from "../tools/local-servers";
import { eventually, metric } from "./support/harness";

// The cache module on a real Redis cluster of three masters on loopback (redis-server --cluster-enabled yes, joined by
// redis-cli --cluster create): the client follows the slots, every command names one key, invalidations reach every
// instance over the cluster's pub/sub.
let cluster: RunningRedisCluster;
const log = createLogger({ level: "silent", service: "test" });
const caches: Cache[] = [];
const newCache = async (opts: { localTtlMs?: number } = {}) => {
  const cache = new Cache({ url: cluster.url, cluster: true, enabled: true, commandTimeoutMs: 1000, localTtlMs: opts.localTtlMs ?? 0 }, new Metrics(), log);
  await cache.connect();
  caches.push(cache);
  return cache;
};

beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 60_000);
afterAll(async () => {
  await Promise.all(caches.map((c) => c.close()));
  await cluster?.stop();
});

describe("the cache on a Redis cluster (cluster mode)", () => {
  test.each(["true", "1"])("the platform reads REDIS_CLUSTER=%s from the validated config and speaks the cluster protocol", async (value) => {
    // No PostgreSQL is needed: the pool connects on first use, and this process uses no queue.
    const config = parseEnv({ NODE_ENV: "test", AWS_REGION: "us-east-1", DATABASE_URL: "postgres://app@127.0.0.1:1/app", REDIS_URL: cluster.url, REDIS_CLUSTER: value, LOG_LEVEL: "silent" });
    const platform = await createPlatform({ ...config, QUEUE_DEPTH_POLL_MS: 0 }, { role: "api", usesQueue: false });
    try {
      expect(platform.cache.redis).toBeInstanceOf(Cluster);
      const ids = ["1", "2", "3", "4", "5", "6"];
      for (const id of ids) expect(await platform.cache.getOrLoad("item", id, 60, async () => ({ id }))).toEqual({ id });
      // Leave the keyspace as it was: the next test counts keys per master.
      for (const id of ids) await platform.cache.invalidate("item", id);
    } finally {
      await platform.close();
    }
  });

  test("three masters share the 16384 slots", async () => {
    const admin = new Redis(cluster.url);
    try {
      const shards = (await admin.call("CLUSTER", "SHARDS")) as unknown[];
      expect(shards).toHaveLength(3);
      expect(String(await admin.call("CLUSTER", "INFO"))).toMatch(/cluster_slots_assigned:16384/);
    } finally {
      admin.disconnect();
    }
  });

  test("get/set through the cluster client: keys of many slots, spread over every master", async () => {
    const cache = await newCache();
    expect(cache.redis).toBeInstanceOf(Cluster);
    let loads = 0;
    const ids = Array.from({ length: 60 }, (_, i) => String(i + 1));
    for (const id of ids) expect(await cache.getOrLoad("item", id, 60, async () => (loads++, { id }))).toEqual({ id });
    for (const id of ids) expect(await cache.getOrLoad("item", id, 60, async () => (loads++, { id: "db" }))).toEqual({ id });
    expect(loads).toBe(60);
    // Each master holds some of the keys: the keyspace really is sharded.
    const perNode = await Promise.all((cache.redis as Cluster).nodes("master").map((n) => n.dbsize()));
    expect(perNode).toHaveLength(3);
    for (const n of perNode) expect(n).toBeGreaterThan(0);
    expect(perNode.reduce((a, b) => a + b, 0)).toBe(60);
    expect(await cache.pttl("item", "7")).toBeGreaterThan(50_000);
  });

  test("invalidate deletes the key on its shard and every instance drops its local copy", async () => {
    const a = await newCache({ localTtlMs: 60_000 });
    const b = await newCache({ localTtlMs: 60_000 });
    // Both instances hold the value locally.
    expect(await a.getOrLoad("price", "42", 60, async () => ({ v: 1 }))).toEqual({ v: 1 });
    expect(await b.getOrLoad("price", "42", 60, async () => ({ v: 1 }))).toEqual({ v: 1 });
    await a.invalidate("price", "42");
    expect(await a.pttl("price", "42")).toBe(-2);
    // b heard the invalidation over the cluster's pub/sub: its next read loads the new value.
    const bMetrics = (b as unknown as { metrics: Metrics }).metrics;
    await eventually(async () => (await metric(bMetrics, "cache_invalidations_total", { source: "pubsub" })) >= 1, "b to hear the invalidation");
    expect(await b.getOrLoad("price", "42", 60, async () => ({ v: 2 }))).toEqual({ v: 2 });
  });

  test("the cluster client refreshes its IAM-style password on every node", async () => {
    const cache = new Cache({ url: cluster.url, cluster: true, enabled: true, commandTimeoutMs: 1000, localTtlMs: 0, iamAuth: { user: "default", token: async () => "token-1" } }, new Metrics(), log);
    caches.push(cache);
    expect(await cache.refreshCredentials()).toBe(true);
    expect((cache.redis as Cluster).options.redisOptions?.password).toBe("token-1");
  });
});
