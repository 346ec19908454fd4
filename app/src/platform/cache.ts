import Redis, { Cluster, type RedisOptions } from "ioredis";
import type { Logger } from "./log";
import type { Metrics } from "./metrics";

/** IAM authentication (ElastiCache): `user` authenticates with a token that expires, so it is refreshed on a timer. */
export interface CacheIamAuth {
  user: string;
  /** Returns a new token, valid for its full lifetime (it stays the clients' password until the next refresh). */
  token: () => Promise<string>;
  /** How often the clients' password is replaced by a fresh token; default 10 minutes (tokens last 15). */
  refreshMs?: number;
}

export interface CacheOptions {
  url: string;
  /** Unset: the URL carries the credentials (if any). */
  iamAuth?: CacheIamAuth;
  enabled: boolean;
  commandTimeoutMs: number;
  /** In-process (L1) entry lifetime; 0 disables the local tier. Bounded staleness if a pub/sub message is missed. */
  localTtlMs: number;
  localMaxEntries?: number;
  channel?: string;
  /**
   * Cluster mode (ElastiCache with shards, REDIS_CLUSTER=true): `url` is the configuration endpoint and the clients
   * follow the cluster's slots. Default false (one primary).
   */
  cluster?: boolean;
}

/**
 * A cluster client for the configuration endpoint in `url`: TLS with rediss://, the URL's user and password on every
 * node, node addresses used as announced (ElastiCache announces host names that its TLS certificate covers).
 */
function clusterClient(url: string, nodeOptions: RedisOptions, enableOfflineQueue: boolean): Cluster {
  const u = new URL(url);
  return new Cluster([{ host: u.hostname, port: Number(u.port || 6379) }], {
    lazyConnect: true,
    enableOfflineQueue,
    clusterRetryStrategy: (times: number) => Math.min(100 * times, 2000),
    dnsLookup: (address, callback) => callback(null, address),
    slotsRefreshTimeout: 2000,
    redisOptions: {
      ...nodeOptions,
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(u.protocol === "rediss:" ? { tls: {} } : {}),
    },
  });
}

interface LocalEntry {
  value: string;
  expires: number;
}

/**
 * Cache-aside over Redis with a small in-process tier.
 *
 * - Reads: local tier -> Redis -> loader (PostgreSQL). A miss is loaded once per key per process at a time
 *   (single flight), so a hot key expiring does not stampede the database.
 * - Writes: the owner of the data calls {@link invalidate} after committing; this deletes the Redis key and
 *   publishes the key on a channel so every instance drops its local copy.
 * - Fails open: any Redis error (down, timeout) is logged, counted in `cache_events_total{result="error"}` and
 *   the value is loaded from the database. Commands never queue while Redis is disconnected.
 */
export class Cache {
  /** The command client: one server, or the shards of a cluster (every command here names one key). */
  readonly redis: Redis | Cluster;
  private readonly sub: Redis | Cluster;
  private readonly local = new Map<string, LocalEntry>();
  private readonly inflight = new Map<string, Promise<string | null>>();
  private readonly generation = new Map<string, number>();
  private readonly channel: string;
  private lastErrorLog = 0;
  private refreshTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    private readonly opts: CacheOptions,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.channel = opts.channel ?? "gw:cache-invalidation";
    const common = {
      connectTimeout: 500,
      maxRetriesPerRequest: 0,
      retryStrategy: (times: number) => Math.min(100 * times, 2000),
      lazyConnect: true,
      ...(opts.iamAuth ? { username: opts.iamAuth.user } : {}),
    };
    if (opts.cluster === true) {
      // Keys are gw:v1:<ns>:<id>, one per command (GET, SET, DEL, PTTL), so they may live in any slot; the invalidation's
      // MULTI holds one key and PUBLISH, which a cluster delivers to subscribers on every node.
      const { lazyConnect: _lazy, ...node } = common;
      this.redis = clusterClient(opts.url, { ...node, commandTimeout: opts.commandTimeoutMs }, false);
      this.sub = clusterClient(opts.url, { ...node, autoResubscribe: true }, true);
    } else {
      this.redis = new Redis(opts.url, { ...common, enableOfflineQueue: false, commandTimeout: opts.commandTimeoutMs });
      this.sub = new Redis(opts.url, { ...common, enableOfflineQueue: true, autoResubscribe: true });
    }
    for (const [name, client] of [["cache", this.redis], ["cache-sub", this.sub]] as const) {
      client.on("error", (err) => this.logError(err, `redis ${name} connection error`));
    }
    this.sub.on("message", (_channel, key: string) => {
      this.dropLocal(key);
      this.metrics.cacheInvalidations.inc({ cache: key.split(":")[2] ?? "unknown", source: "pubsub" });
    });
    // Whenever the subscriber (re)connects we may have missed invalidations: drop the whole local tier.
    this.sub.on("ready", () => this.local.clear());
  }

  /**
   * With IAM authentication: fetches a token and makes it the password of both clients. ioredis sends the
   * current `options.password` on every (re)connect, and an authenticated connection stays valid after its
   * token expires, so a reconnect always uses a token at most `refreshMs` old. Never throws: on failure the
   * previous token stays in place (the cache fails open if it has expired) and the next tick tries again.
   */
  async refreshCredentials(): Promise<boolean> {
    if (!this.opts.iamAuth) return true;
    try {
      const token = await this.opts.iamAuth.token();
      for (const client of [this.redis, this.sub]) {
        if (client instanceof Cluster) {
          // New node connections take redisOptions; the open ones reconnect with their own options.
          (client.options.redisOptions ??= {}).password = token;
          for (const node of client.nodes()) node.options.password = token;
        } else {
          client.options.password = token;
        }
      }
      return true;
    } catch (err) {
      this.logError(err, "could not sign an ElastiCache IAM token; keeping the previous one");
      return false;
    }
  }

  private scheduleRefresh(ok: boolean) {
    if (!this.opts.iamAuth || this.closed) return;
    // After a failure, retry sooner: a token lasts 15 minutes, the refresh runs every 10.
    const every = this.opts.iamAuth.refreshMs ?? 10 * 60 * 1000;
    this.refreshTimer = setTimeout(async () => this.scheduleRefresh(await this.refreshCredentials()), ok ? every : Math.min(every, 30_000));
    this.refreshTimer.unref();
  }

  /** Connects both clients; never throws (the cache fails open if Redis is not there yet). */
  async connect(): Promise<void> {
    if (!this.opts.enabled) return;
    if (this.opts.iamAuth) this.scheduleRefresh(await this.refreshCredentials());
    await Promise.all([
      this.redis.connect().catch((err) => this.logError(err, "redis not reachable at start; cache fails open")),
      this.sub
        .connect()
        .then(() => this.sub.subscribe(this.channel))
        .catch((err) => this.logError(err, "redis subscriber not reachable at start")),
    ]);
  }

  private key(ns: string, id: string) {
    return `gw:v1:${ns}:${id}`;
  }

  private logError(err: unknown, msg: string) {
    const now = Date.now();
    if (now - this.lastErrorLog > 5000) {
      this.lastErrorLog = now;
      this.log.warn({ err }, msg);
    }
  }

  private dropLocal(key: string) {
    this.local.delete(key);
    this.inflight.delete(key);
    this.generation.set(key, (this.generation.get(key) ?? 0) + 1);
  }

  private setLocal(key: string, value: string, gen: number) {
    if (this.opts.localTtlMs <= 0 || (this.generation.get(key) ?? 0) !== gen) return;
    if (this.local.size >= (this.opts.localMaxEntries ?? 10000)) {
      const oldest = this.local.keys().next().value;
      if (oldest !== undefined) this.local.delete(oldest);
    }
    this.local.set(key, { value, expires: Date.now() + this.opts.localTtlMs });
  }

  /**
   * Returns the cached value of `ns:id` or loads it with `loader`, caching non-null results for `ttlSeconds`.
   * Values are JSON-serialised.
   */
  async getOrLoad<T>(ns: string, id: string, ttlSeconds: number, loader: () => Promise<T | null>): Promise<T | null> {
    if (!this.opts.enabled) return loader();
    const key = this.key(ns, id);
    const local = this.local.get(key);
    if (local && local.expires > Date.now()) {
      this.metrics.cacheEvents.inc({ cache: ns, result: "hit_local" });
      return JSON.parse(local.value) as T;
    }
    if (local) this.local.delete(key);
    let flight = this.inflight.get(key);
    if (!flight) {
      const gen = this.generation.get(key) ?? 0;
      flight = this.fetch(ns, key, ttlSeconds, gen, loader).finally(() => {
        if (this.inflight.get(key) === flight) this.inflight.delete(key);
      });
      this.inflight.set(key, flight);
    } else {
      this.metrics.cacheEvents.inc({ cache: ns, result: "coalesced" });
    }
    const raw = await flight;
    return raw === null ? null : (JSON.parse(raw) as T);
  }

  private async fetch<T>(ns: string, key: string, ttlSeconds: number, gen: number, loader: () => Promise<T | null>) {
    let redisOk = true;
    try {
      const cached = await this.redis.get(key);
      if (cached !== null) {
        this.metrics.cacheEvents.inc({ cache: ns, result: "hit" });
        this.setLocal(key, cached, gen);
        return cached;
      }
      this.metrics.cacheEvents.inc({ cache: ns, result: "miss" });
    } catch (err) {
      redisOk = false;
      this.metrics.cacheEvents.inc({ cache: ns, result: "error" });
      this.logError(err, "cache read failed; serving from the database");
    }
    const value = await loader();
    if (value === null) return null;
    const raw = JSON.stringify(value);
    if (redisOk && (this.generation.get(key) ?? 0) === gen) {
      await this.redis.set(key, raw, "EX", ttlSeconds).catch((err) => {
        this.metrics.cacheEvents.inc({ cache: ns, result: "error" });
        this.logError(err, "cache write failed");
      });
    }
    this.setLocal(key, raw, gen);
    return raw;
  }

  /** Drops `ns:id` here, in Redis and (via pub/sub) in every other instance. Never throws. */
  async invalidate(ns: string, id: string): Promise<void> {
    const key = this.key(ns, id);
    this.dropLocal(key);
    this.metrics.cacheInvalidations.inc({ cache: ns, source: "local" });
    if (!this.opts.enabled) return;
    try {
      await this.redis.multi().del(key).publish(this.channel, key).exec();
    } catch (err) {
      this.metrics.cacheEvents.inc({ cache: ns, result: "error" });
      this.logError(err, "cache invalidation failed; entry expires by TTL");
    }
  }

  /** Remaining TTL in ms of `ns:id` in Redis (-2 missing, -1 no TTL). For tests and debugging. */
  pttl(ns: string, id: string): Promise<number> {
    return this.redis.pttl(this.key(ns, id));
  }

  async ping(): Promise<void> {
    if (!this.opts.enabled) return;
    await this.redis.ping();
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.refreshTimer);
    await Promise.all([this.redis.quit().catch(() => this.redis.disconnect()), this.sub.quit().catch(() => this.sub.disconnect())]);
  }
}
