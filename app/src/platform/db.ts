import type { ConnectionOptions } from "node:tls";
import { Pool, escapeIdentifier, type PoolClient, type QueryResultRow } from "pg";
import { Counter } from "prom-client";
import type { Logger } from "./log";
import type { Metrics } from "./metrics";
import { ServiceBusyError } from "./errors";

/** Anything that can run a query: the pool or a client inside a transaction. */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<{ rows: R[]; rowCount: number | null }>;
}

/** One module's migration: an id unique within the module and the SQL that creates or alters its own tables. */
export interface Migration {
  id: string;
  sql: string;
}

/**
 * Where and how to connect: a URL with a password (optionally over TLS), or (RDS IAM authentication)
 * host/database/user with a password function that node-postgres calls for every new connection, over verified TLS.
 */
export type DbConnection =
  | { url: string; ssl?: ConnectionOptions }
  | { host: string; port: number; database: string; user: string; password: () => Promise<string>; ssl: ConnectionOptions };

/** Milliseconds reads skip a reader that just failed, going straight to the writer, before trying it again. */
export const READER_RETRY_MS = 5000;

/**
 * True when an error means the reader could not serve the read (refused, reset, shut down, restarting, a query
 * cancelled by a recovery conflict, no connection in time), so the writer can; false for an error of the query itself.
 */
export function isReaderUnavailable(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  // 08xxx connection exceptions, 57Pxx operator intervention (shutdown, cannot connect now), 40001 recovery conflicts.
  if (typeof code === "string" && /^(08|57P|40001)/.test(code)) return true;
  if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return false;
  return err instanceof Error && /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENOTFOUND|EPIPE|Connection terminated|timeout|not queryable/i.test(`${code ?? ""} ${err.message}`);
}

/** The read counters, on the process's registry (created once per registry: several Db may share one). */
function readCounters(metrics: Metrics): { reads: Counter<"target">; fallbacks: Counter } {
  const registry = metrics.registry;
  const reads =
    (registry.getSingleMetric("db_read_queries_total") as Counter<"target"> | undefined) ??
    new Counter({ name: "db_read_queries_total", help: "Lag-tolerant reads by the server that answered them (reader or writer)", labelNames: ["target"] as const, registers: [registry] });
  const fallbacks =
    (registry.getSingleMetric("db_read_fallback_total") as Counter | undefined) ??
    new Counter({ name: "db_read_fallback_total", help: "Lag-tolerant reads served by the writer because the reader was unavailable", registers: [registry] });
  return { reads, fallbacks };
}

/**
 * Bounded PostgreSQL pool. Acquiring a connection waits at most `acquireTimeoutMs`; past that the caller gets a
 * {@link ServiceBusyError} (HTTP 503 + Retry-After) instead of an unbounded queue of waiting requests.
 */
export class Db implements Queryable {
  readonly pool: Pool;
  /** Highest number of open connections seen (for the burst benchmark and tests). */
  peakConnections = 0;

  constructor(
    opts: { connection: DbConnection; max: number; acquireTimeoutMs: number; statementTimeoutMs: number; applicationName: string },
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {
    this.pool = new Pool({
      ...("url" in opts.connection ? { connectionString: opts.connection.url, ssl: opts.connection.ssl } : opts.connection),
      max: opts.max,
      connectionTimeoutMillis: opts.acquireTimeoutMs,
      idleTimeoutMillis: 30000,
      statement_timeout: opts.statementTimeoutMs,
      application_name: opts.applicationName,
    });
    this.readMetrics = readCounters(metrics);
    metrics.dbPool.set({ state: "max" }, opts.max);
    this.pool.on("error", (err) => this.log.warn({ err }, "idle PostgreSQL client error"));
    const update = () => {
      this.peakConnections = Math.max(this.peakConnections, this.pool.totalCount);
      metrics.dbPool.set({ state: "total" }, this.pool.totalCount);
      metrics.dbPool.set({ state: "idle" }, this.pool.idleCount);
      metrics.dbPool.set({ state: "waiting" }, this.pool.waitingCount);
      metrics.dbPool.set({ state: "peak" }, this.peakConnections);
    };
    // pg emits 'release' before the client is back in the idle list: sample on the next tick.
    for (const ev of ["connect", "acquire", "release", "remove"] as const) this.pool.on(ev, () => setImmediate(update));
  }

  private async acquire(): Promise<PoolClient> {
    try {
      return await this.pool.connect();
    } catch (err) {
      if (err instanceof Error && /timeout/i.test(err.message)) {
        this.metrics.dbPoolExhausted.inc();
        this.log.warn({ waiting: this.pool.waitingCount }, "database pool exhausted");
        throw new ServiceBusyError("database", 1);
      }
      throw err;
    }
  }

  async query<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]) {
    const client = await this.acquire();
    try {
      this.metrics.dbQueries.inc();
      return await client.query<R>(sql, params);
    } finally {
      client.release();
    }
  }

  /** Runs `fn` in a transaction on one connection. */
  async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
    const client = await this.acquire();
    const q: Queryable = {
      query: (sql, params) => {
        this.metrics.dbQueries.inc();
        return client.query(sql, params);
      },
    };
    try {
      await q.query("BEGIN");
      const out = await fn(q);
      await q.query("COMMIT");
      return out;
    } catch (err) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  private reader?: { pool: Pool; downUntil: number };
  private readonly readMetrics: ReturnType<typeof readCounters>;

  /**
   * Queries that tolerate replica lag: on the reader pool when one is attached ({@link attachReader}), else on this
   * pool. Writes and reads that must see a write just made use the Db itself.
   */
  readonly reads: Queryable = { query: (sql, params) => this.readQuery(sql, params) };

  /** True when lag-tolerant reads have a reader of their own. */
  get hasReader(): boolean {
    return this.reader !== undefined;
  }

  /**
   * Gives lag-tolerant reads ({@link reads}) a pool of their own on a read-only server (a hot standby, an Aurora reader
   * or an RDS Proxy read-only endpoint), `max` connections, closed with this Db. Once only.
   */
  attachReader(connection: DbConnection, opts: { max: number; acquireTimeoutMs: number; statementTimeoutMs: number; applicationName: string }): void {
    if (this.reader) throw new Error("Db.attachReader: a reader is already attached");
    const pool = new Pool({
      ...("url" in connection ? { connectionString: connection.url, ssl: connection.ssl } : connection),
      max: opts.max,
      connectionTimeoutMillis: opts.acquireTimeoutMs,
      idleTimeoutMillis: 30000,
      statement_timeout: opts.statementTimeoutMs,
      application_name: `${opts.applicationName}-read`,
    });
    pool.on("error", (err) => this.log.warn({ err }, "idle PostgreSQL reader client error"));
    this.reader = { pool, downUntil: 0 };
  }

  /**
   * One lag-tolerant read: on the reader unless it failed within {@link READER_RETRY_MS}; when the reader cannot serve
   * it (down, restarting, recovery conflict) the writer does, counted in `db_read_fallback_total`. A query error is the
   * caller's, not retried.
   */
  async readQuery<R extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]) {
    const reader = this.reader;
    if (!reader) return this.query<R>(sql, params);
    if (Date.now() >= reader.downUntil) {
      try {
        const client = await reader.pool.connect();
        // A reader connection that dies while checked out (a standby shutting down) reports through the query's
        // rejection; without a listener its 'error' event would also be thrown as unhandled.
        if (client.listenerCount("error") === 0) client.on("error", (err) => this.log.warn({ err }, "PostgreSQL reader connection error"));
        let out;
        try {
          this.metrics.dbQueries.inc();
          out = await client.query<R>(sql, params);
        } catch (err) {
          // A connection that failed mid-query is destroyed, not reused.
          client.release(isReaderUnavailable(err) ? (err as Error) : undefined);
          throw err;
        }
        client.release();
        this.readMetrics.reads.inc({ target: "reader" });
        return out;
      } catch (err) {
        if (!isReaderUnavailable(err)) throw err;
        reader.downUntil = Date.now() + READER_RETRY_MS;
        this.log.warn({ err }, "reader unavailable: reads go to the writer");
      }
    }
    this.readMetrics.fallbacks.inc();
    this.readMetrics.reads.inc({ target: "writer" });
    return this.query<R>(sql, params);
  }

  async ping(): Promise<void> {
    await this.query("SELECT 1");
  }

  /**
   * Applies each module's pending migrations in order, under an advisory lock so that several instances
   * starting together don't race. Each module owns its tables; `schema_migrations` only records ids.
   */
  async migrate(modules: Record<string, Migration[]>): Promise<string[]> {
    const applied: string[] = [];
    await this.tx(async (q) => {
      await q.query("SELECT pg_advisory_xact_lock(7283001)");
      await q.query(
        "CREATE TABLE IF NOT EXISTS schema_migrations (module text NOT NULL, id text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (module, id))",
      );
      for (const [module, migrations] of Object.entries(modules)) {
        const done = new Set((await q.query<{ id: string }>("SELECT id FROM schema_migrations WHERE module = $1", [module])).rows.map((r) => r.id));
        for (const m of migrations) {
          if (done.has(m.id)) continue;
          await q.query(m.sql);
          await q.query("INSERT INTO schema_migrations (module, id) VALUES ($1, $2)", [module, m.id]);
          applied.push(`${module}/${m.id}`);
        }
      }
    });
    return applied;
  }

  /**
   * RDS IAM bootstrap, run by `migrate` connected as an admin (the master user): creates `role` (LOGIN, no
   * password), grants it `rds_iam` (from then on it can log in only with IAM tokens), CONNECT on this database,
   * USAGE on the public schema and read/write on its tables and sequences, now and for tables this admin creates
   * later. The role gets no DDL rights: migrations keep running as the admin. Idempotent.
   */
  async bootstrapIamRole(role: string): Promise<void> {
    const r = escapeIdentifier(role);
    await this.tx(async (q) => {
      await q.query("SELECT pg_advisory_xact_lock(7283001)");
      const exists = (await q.query("SELECT 1 FROM pg_roles WHERE rolname = $1", [role])).rowCount;
      if (!exists) await q.query(`CREATE ROLE ${r} LOGIN`);
      const db = escapeIdentifier((await q.query<{ db: string }>("SELECT current_database() AS db")).rows[0].db);
      for (const sql of [
        `GRANT rds_iam TO ${r}`,
        `GRANT CONNECT ON DATABASE ${db} TO ${r}`,
        `GRANT USAGE ON SCHEMA public TO ${r}`,
        `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${r}`,
        `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${r}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${r}`,
        `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${r}`,
      ]) {
        await q.query(sql);
      }
    });
  }

  async close(): Promise<void> {
    await this.reader?.pool.end();
    await this.pool.end();
  }
}
