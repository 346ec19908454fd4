/**
 * `npm run bench` (not in CI): loopback benchmarks of the reference app with autocannon.
 *  1. A throughput ladder for GET /catalog/items/:id over 10,000 items with Zipf-distributed keys: a bare Fastify
 *     route (the ceiling), then the app's HTTP server with request logging, + metrics, + tracing, + the
 *     authentication/rate-limit/authorization hooks (bench/ladder-server.cjs, static JSON), then the full app with
 *     its cache, and with the cache disabled. Throughput, ratio to bare, p50/p99 latency, DB queries per request.
 *  2. A burst of 10,000 POST /reports: accept rate, peak DB connections vs the pools, outbox publication, drain
 *     time, lost jobs, and the cores each process group kept busy while the burst was accepted (bench/cpu.ts), with
 *     the API's CPU per accepted job: the profile that says where the accept rate stops.
 *  3. Uncached GET /catalog/items/:id with the primary alone, then with a hot standby (streaming replication on
 *     loopback) serving the reads (DATABASE_READ_URL): throughput, latency, DB queries per request, in the same run.
 * BENCH_SCENARIOS=ladder,burst,replica (default all) runs a subset.
 * The servers run as child processes (dist/, like the image); autocannon runs here. Prints a table and writes
 * JSON to bench-results/.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import autocannon from "autocannon";
import { Client, Pool } from "pg";
import { GetQueueAttributesCommand } from "@aws-sdk/client-sqs";
import { freePort, startLocalStack, startReplicatedPostgres, type LocalStack } from "../tools/local-servers";
import { spawnEntry, waitForExit } from "../test/support/harness";
import { measureCpu } from "./cpu";

const ITEMS = 10_000;
const BURST = Number(process.env.BENCH_BURST ?? 10_000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ZIPF_S = 1.0;
const WORKERS = Number(process.env.BENCH_WORKERS ?? 2);
const WORKER_CONCURRENCY = Number(process.env.BENCH_WORKER_CONCURRENCY ?? 2);
/** prod's trace sampling (infra/app.ts TRACE_SAMPLE_RATIO.prod); BENCH_TRACE_RATIO overrides the ratio. */
const PROD_SAMPLER = { OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: process.env.BENCH_TRACE_RATIO ?? "0.1" };
const SCENARIOS = new Set((process.env.BENCH_SCENARIOS ?? "ladder,burst,replica").split(","));

/** Zipf(s) sampler over ids 1..n by inverse CDF. */
function zipfSampler(n: number, s: number): () => number {
  const cdf = new Float64Array(n);
  let sum = 0;
  for (let k = 1; k <= n; k++) cdf[k - 1] = sum += 1 / k ** s;
  for (let k = 0; k < n; k++) cdf[k] /= sum;
  return () => {
    const u = Math.random();
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cdf[mid] < u) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  };
}

/** Metrics URL (METRICS_PORT) of each API started by the bench, by its public URL. */
const metricsUrlOf = new Map<string, string>();

async function listening(child: ChildProcess & { output(): string }): Promise<string> {
  const deadline = Date.now() + 20000;
  for (;;) {
    const m = /"url":"(http:\/\/127\.0\.0\.1:\d+)",(?:"metricsUrl":"(http:\/\/127\.0\.0\.1:\d+)",)?"msg":"api listening"/.exec(child.output());
    if (m) {
      if (m[2]) metricsUrlOf.set(m[1], m[2]);
      return m[1];
    }
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`server did not start:\n${child.output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function dbQueries(url: string): Promise<number> {
  const text = await (await fetch(`${metricsUrlOf.get(url) ?? url}/metrics`)).text();
  return Number(/^db_queries_total (\d+)/m.exec(text)?.[1] ?? 0);
}

async function stopChild(c: ChildProcess) {
  c.kill("SIGTERM");
  await waitForExit(c);
}

interface ReadResult {
  name: string;
  requests: number;
  rps: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  errors: number;
  dbQueriesPerRequest: number | null;
  /** DB queries per request during the 3 s Zipf warm-up that started from an empty cache. */
  coldDbQueriesPerRequest: number | null;
  /**
   * The server's own CPU per request over the measured run (µs), and the share of one core it used: the cost of the
   * rung's layers whatever limits req/s (on 2 cores the load generator caps the bare route below its own ceiling).
   */
  serverCpuUsPerRequest: number | null;
  serverCores: number | null;
}

async function readBench(name: string, url: string, withDb: boolean, warmup: boolean, serverPid?: number): Promise<ReadResult> {
  const next = zipfSampler(ITEMS, ZIPF_S);
  const opts = {
    url,
    connections: CONNECTIONS,
    requests: [{ method: "GET" as const, setupRequest: (req: autocannon.Request) => ({ ...req, path: `/catalog/items/${next()}` }) }],
  };
  let cold: number | null = null;
  if (warmup) {
    const c0 = withDb ? await dbQueries(url) : 0;
    const w = await autocannon({ ...opts, duration: 3 });
    if (withDb) cold = Number((((await dbQueries(url)) - c0) / w.requests.total).toFixed(4));
    // Steady state: every item has been read once (entries live CACHE_TTL_SECONDS=60 s > the run).
    let id = 0;
    await autocannon({ url, connections: 10, amount: ITEMS, requests: [{ method: "GET", setupRequest: (req: autocannon.Request) => ({ ...req, path: `/catalog/items/${(id++ % ITEMS) + 1}` }) }] });
  }
  const q0 = withDb ? await dbQueries(url) : 0;
  const t0 = process.hrtime.bigint();
  const cpu = serverPid !== undefined ? measureCpu({ api: [serverPid] }) : undefined;
  const r = await autocannon({ ...opts, duration: DURATION_S });
  const cores = cpu?.stop()?.api;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const q1 = withDb ? await dbQueries(url) : 0;
  return {
    name,
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50ms: r.latency.p50,
    p99ms: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    dbQueriesPerRequest: withDb ? Number(((q1 - q0) / r.requests.total).toFixed(4)) : null,
    coldDbQueriesPerRequest: cold,
    serverCpuUsPerRequest: cores !== undefined && r.requests.total > 0 ? Math.round((cores * seconds * 1e6) / r.requests.total) : null,
    serverCores: cores ?? null,
  };
}

async function main() {
  const started = new Date();
  // Other work on the machine skews loopback numbers: record the load average we started with.
  const loadAtStart = require("node:os").loadavg().map((l: number) => Number(l.toFixed(2)));
  process.stdout.write(`load average at start: ${loadAtStart.join(" ")}\n`);
  process.stdout.write("starting PostgreSQL, Redis, fauxqs...\n");
  const stack: LocalStack = await startLocalStack({ maxReceiveCount: 5, pgMaxConnections: 200 });
  const children: ChildProcess[] = [];
  try {
    // Traces are sampled as prod samples them (infra/app.ts TRACE_SAMPLE_RATIO); one extra row shows every request traced.
    const common = { LOG_LEVEL: "info", PORT: "0", RATE_LIMIT_MAX: "10000000", QUEUE_DEPTH_POLL_MS: "1000", ...PROD_SAMPLER };
    // Migrate + seed 10,000 items.
    const migr = spawnEntry("server", stack.env({ ...common, METRICS_PORT: "0" }));
    await listening(migr);
    await stopChild(migr);
    // A small pool rather than one client: an idle connection dropped during the long read runs is replaced.
    const pg = new Pool({ connectionString: stack.pg.url, max: 2 });
    pg.on("error", () => undefined);
    await pg.query(
      `INSERT INTO catalog_items (sku, name, description, price_cents)
       SELECT 'SKU-' || g, 'Item ' || g, 'benchmark item', (g * 37) % 100000 FROM generate_series(1, ${ITEMS}) g`,
    );
    await pg.query("ANALYZE");

    // 1. Reads.
    const reads: ReadResult[] = [];
    const run = async (name: string, env: Record<string, string> | null, withDb: boolean) => {
      const child = env ? spawnEntry("server", stack.env({ ...common, RUN_MIGRATIONS: "false", METRICS_PORT: String(await freePort()), ...env })) : spawnBare();
      children.push(child);
      const url = await listening(child);
      process.stdout.write(`read benchmark: ${name} (${DURATION_S}s, ${CONNECTIONS} connections)...\n`);
      reads.push(await readBench(name, url, withDb, true, child.pid));
      await stopChild(child);
    };
    const spawnScript = (script: string, env: Record<string, string> = {}) => {
      const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
      const c = spawn(process.execPath, [...nodeArgs, join(__dirname, script)], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
      let out = "";
      c.stdout?.on("data", (d: Buffer) => (out += d.toString()));
      c.stderr?.on("data", (d: Buffer) => (out += d.toString()));
      return Object.assign(c, { output: () => out });
    };
    const rung = async (name: string, script: string, env: Record<string, string>) => {
      const child = spawnScript(script, env);
      children.push(child);
      const url = await listening(child);
      process.stdout.write(`read benchmark: ${name} (${DURATION_S}s, ${CONNECTIONS} connections)...\n`);
      reads.push(await readBench(name, url, false, true, child.pid));
      await stopChild(child);
    };
    const spawnBare = () => spawnScript("bare-server.cjs");
    if (SCENARIOS.has("ladder")) {
      await run("bare fastify route (ceiling)", null, false);
      // Each rung adds one layer of the app's own HTTP server (platform/http.ts) over the same static route.
      let layers: string[] = [];
      const tracingLabel = `+ tracing (${PROD_SAMPLER.OTEL_TRACES_SAMPLER_ARG} of requests recorded, as prod)`;
      for (const [label, layer] of [["+ request logging", "logging"], ["+ metrics", "metrics"], [tracingLabel, "tracing"], ["+ auth hooks (authn, rate limit, authz)", "auth"]] as const) {
        layers = [...layers, layer];
        await rung(label, "ladder-server.cjs", { LADDER_LAYERS: layers.join(","), ...PROD_SAMPLER });
      }
      await run("full app: cached GET /catalog/items/:id", { CACHE_ENABLED: "true" }, true);
      // What recording every span costs (dev's setting): the same route with every request traced.
      await run("full app: cached route, every request traced (as dev)", { CACHE_ENABLED: "true", OTEL_TRACES_SAMPLER: "parentbased_always_on" }, true);
      // What a longer in-process tier buys (fewer Redis round trips), at the price of a longer staleness bound when an
      // invalidation message is lost (CACHE_LOCAL_TTL_MS, 2 s by default).
      await run("full app: cached route, 30 s in-process tier (CACHE_LOCAL_TTL_MS=30000)", { CACHE_ENABLED: "true", CACHE_LOCAL_TTL_MS: "30000" }, true);
      await run("full app: uncached GET /catalog/items/:id", { CACHE_ENABLED: "false" }, true);
    }

    // 2. Burst of POST /reports with two workers draining (and relaying the outbox to SQS).
    let burstResult: Record<string, number> | undefined;
    /** Cores each process group kept busy while the burst was being accepted (bench/cpu.ts). */
    let burstCpu: Record<string, number> | undefined;
    if (SCENARIOS.has("burst")) {
    const apiPool = 10;
    const workerPool = 5;
    const api = spawnEntry("server", stack.env({ ...common, RUN_MIGRATIONS: "false", METRICS_PORT: String(await freePort()), DB_POOL_MAX: String(apiPool), DB_POOL_ACQUIRE_TIMEOUT_MS: "2000" }));
    children.push(api);
    const apiUrl = await listening(api);
    const createKey = spawn(process.execPath, [join(__dirname, "..", "dist", "create-api-key.js"), "bench", "--scopes", "reports"], { env: stack.env({ LOG_LEVEL: "warn" }), stdio: ["ignore", "pipe", "inherit"] });
    let keyOut = "";
    createKey.stdout?.on("data", (d: Buffer) => (keyOut += d.toString()));
    await waitForExit(createKey);
    const { key } = JSON.parse(keyOut) as { key: string };
    const workers = Array.from({ length: WORKERS }, () =>
      spawnEntry("worker", stack.env({ ...common, RUN_MIGRATIONS: "false", DB_POOL_MAX: String(workerPool), WORKER_CONCURRENCY: String(WORKER_CONCURRENCY), WORKER_WAIT_TIME_S: "1", WORKER_METRICS_PORT: "0" })),
    );
    children.push(...workers);
    await new Promise((r) => setTimeout(r, 1000));

    // Peak connections seen by PostgreSQL itself (all API + worker pools), sampled on a separate connection.
    let peakConnections = 0;
    let sampling = false;
    const pgSampler = new Client({ connectionString: stack.pg.url });
    await pgSampler.connect();
    const sampler = setInterval(() => {
      if (sampling) return;
      sampling = true;
      pgSampler
        .query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name LIKE 'groundwork-app-%'")
        .then((r) => (peakConnections = Math.max(peakConnections, r.rows[0].n)), () => undefined)
        .finally(() => (sampling = false));
    }, 50);
    process.stdout.write(`burst: ${BURST} POST /reports (${CONNECTIONS * 2} connections), ${WORKERS} workers x ${WORKER_CONCURRENCY} concurrency...\n`);
    const before = (await pg.query<{ n: number }>("SELECT count(*)::int AS n FROM reports_jobs")).rows[0].n;
    const t0 = Date.now();
    let accepted = 0;
    const cpu = measureCpu({ api: [api.pid!], workers: workers.map((w) => w.pid!), postgresPort: stack.pg.port, redisPort: stack.redis.port });
    const burst = await autocannon({
      url: apiUrl,
      connections: CONNECTIONS * 2,
      amount: BURST,
      requests: [{ method: "POST", path: "/reports", headers: { "content-type": "application/json", "x-api-key": key }, body: "{}" }],
      setupClient: (client: { on(ev: string, fn: (status: number) => void): void }) => client.on("response", (status: number) => void (status === 202 && accepted++)),
    } as autocannon.Options);
    const acceptSeconds = (Date.now() - t0) / 1000;
    burstCpu = cpu.stop();
    const queueAfterBurst = await stack.sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: stack.sqs.queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    let doneCount = 0;
    for (;;) {
      doneCount = (await pg.query<{ n: number }>("SELECT count(*)::int AS n FROM reports_jobs WHERE status = 'done'")).rows[0].n;
      if (doneCount >= before + accepted || Date.now() - t0 > 600000) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    const drainSeconds = (Date.now() - t0) / 1000;
    clearInterval(sampler);
    await pgSampler.end();
    const counts = (
      await pg.query<{ jobs: number; done: number; results: number; other: number; published: number; unpublished: number }>(
        `SELECT count(*)::int AS jobs, count(*) FILTER (WHERE status = 'done')::int AS done,
                (SELECT count(*)::int FROM reports_results) AS results, count(*) FILTER (WHERE status <> 'done')::int AS other,
                (SELECT count(*)::int FROM reports_outbox WHERE sent_at IS NOT NULL) AS published,
                (SELECT count(*)::int FROM reports_outbox WHERE sent_at IS NULL) AS unpublished FROM reports_jobs`,
      )
    ).rows[0];
    const dlq = await stack.sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: stack.sqs.dlqUrl, AttributeNames: ["ApproximateNumberOfMessages"] }));
    burstResult = {
      submitted: BURST,
      accepted202: accepted,
      non2xx: burst.non2xx,
      errors: burst.errors,
      acceptSeconds: Number(acceptSeconds.toFixed(2)),
      acceptedPerSecond: Math.round(accepted / acceptSeconds),
      p99AcceptMs: burst.latency.p99,
      queueDepthAfterBurst: Number(queueAfterBurst.Attributes?.ApproximateNumberOfMessages ?? 0),
      peakDbConnections: peakConnections,
      dbConnectionBudget: apiPool + WORKERS * workerPool,
      drainSecondsFromBurstStart: Number(drainSeconds.toFixed(2)),
      jobsStored: counts.jobs - before,
      jobsDone: counts.done - before,
      results: counts.results - before,
      jobsNotDone: counts.other,
      outboxPublished: counts.published,
      outboxUnpublished: counts.unpublished,
      dlqMessages: Number(dlq.Attributes?.ApproximateNumberOfMessages ?? 0),
      lostJobs: accepted - (counts.done - before),
      // The API's own CPU per accepted job, and what one API core would accept at that cost: the capacity of one pod
      // (the platform scales the API horizontally; the bench runs one process on a machine it shares with the rest).
      ...(burstCpu ? { apiCpuMsPerAccepted: Number(((burstCpu.api * acceptSeconds * 1000) / Math.max(1, accepted)).toFixed(3)) } : {}),
      ...(burstCpu && burstCpu.api > 0 ? { acceptsPerApiCore: Math.round(accepted / acceptSeconds / burstCpu.api) } : {}),
    };
    await Promise.all([api, ...workers].map(stopChild));
    }
    await pg.end();

    const replica = SCENARIOS.has("replica") ? await replicaBench(stack, common, children) : undefined;

    const bare = reads[0];
    const cached = reads.find((r) => r.name.includes("cached GET") && !r.name.includes("uncached"));
    const uncached = reads.find((r) => r.name.includes("uncached"));
    const goals: Record<string, boolean> = {};
    if (bare && cached && uncached) {
      goals["cached >= 60% of bare"] = cached.rps / bare.rps >= 0.6;
      goals[">= 95% fewer DB reads"] = 1 - (cached.dbQueriesPerRequest ?? 0) / (uncached.dbQueriesPerRequest || 1) >= 0.95;
    }
    if (burstResult) {
      goals[">= 5000 accepted/s"] = burstResult.acceptedPerSecond >= 5000;
      goals["peak DB connections within pools"] = burstResult.peakDbConnections <= burstResult.dbConnectionBudget;
      goals["zero lost jobs"] = burstResult.lostJobs === 0 && burstResult.jobsNotDone === 0 && burstResult.results === burstResult.jobsDone && burstResult.outboxUnpublished === 0;
    }
    const summary = {
      cachedVsBareThroughput: bare && cached ? Number((cached.rps / bare.rps).toFixed(3)) : null,
      // bare's server CPU per request over the cached route's: the throughput one core would reach, relative to bare.
      cachedVsBarePerCore: bare?.serverCpuUsPerRequest && cached?.serverCpuUsPerRequest ? Number((bare.serverCpuUsPerRequest / cached.serverCpuUsPerRequest).toFixed(3)) : null,
      dbReadReductionVsUncached: cached && uncached ? Number((1 - (cached.dbQueriesPerRequest ?? 0) / (uncached.dbQueriesPerRequest || 1)).toFixed(4)) : null,
      goals,
    };

    if (reads.length) {
      process.stdout.write("\nThroughput ladder (GET /catalog/items/:id, Zipf s=1.0 over 10,000 items; each rung adds one layer)\n");
      console.table(
        reads.map((r) => ({
          rung: r.name,
          "req/s": r.rps,
          "vs bare": `${Math.round((100 * r.rps) / bare.rps)}%`,
          "p50 ms": r.p50ms,
          "p99 ms": r.p99ms,
          // The server's CPU per request: what the rung's layers cost, even where the load generator caps req/s.
          "server µs/req": r.serverCpuUsPerRequest ?? "-",
          "server cores": r.serverCores ?? "-",
          "bare µs / this": bare.serverCpuUsPerRequest && r.serverCpuUsPerRequest ? `${Math.round((100 * bare.serverCpuUsPerRequest) / r.serverCpuUsPerRequest)}%` : "-",
          "DB q/req": r.dbQueriesPerRequest ?? "-",
          "DB q/req cold": r.coldDbQueriesPerRequest ?? "-",
          non2xx: r.non2xx,
          errors: r.errors,
        })),
      );
    }
    if (replica) {
      process.stdout.write("\nUncached reads: primary alone vs a hot standby serving them (GET /catalog/items/:id, cache off)\n");
      console.table(replica.map((r) => ({ setup: r.name, "req/s": r.rps, "vs primary alone": `${Math.round((100 * r.rps) / replica[0].rps)}%`, "p50 ms": r.p50ms, "p99 ms": r.p99ms, "DB q/req": r.dbQueriesPerRequest ?? "-", non2xx: r.non2xx, errors: r.errors })));
    }
    if (burstResult) {
      process.stdout.write("\nBurst of POST /reports\n");
      console.table(burstResult);
      if (burstCpu) {
        process.stdout.write("\nCPU while the burst was accepted (cores busy, per process group; the servers share the machine)\n");
        console.table(burstCpu);
      }
    }
    process.stdout.write("\nGoals\n");
    console.table(summary.goals);
    const out = { startedAt: started.toISOString(), machine: { cpus: require("node:os").cpus().length, node: process.version, loadavgAtStart: loadAtStart }, settings: { ITEMS, BURST, DURATION_S, CONNECTIONS, ZIPF_S, WORKERS, WORKER_CONCURRENCY }, reads, burst: burstResult, burstCpu, replica, summary };
    mkdirSync(join(__dirname, "..", "bench-results"), { recursive: true });
    const file = join(__dirname, "..", "bench-results", `bench-${started.toISOString().replace(/[:.]/g, "-")}.json`);
    writeFileSync(file, JSON.stringify(out, null, 2));
    process.stdout.write(`\nwrote ${file}\n`);
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill("SIGKILL");
    await stack.stop();
  }
}

/**
 * 3. Uncached reads, primary alone vs a hot standby serving them, in one run: its own primary and standby
 * (startReplicatedPostgres), the stack's Redis and SQS, the same seed, the cache off so every GET reaches PostgreSQL.
 * On one machine the standby shares the CPUs with the primary: the numbers show the routing's cost and the primary's
 * relief (its share of queries), not a second machine's capacity.
 */
async function replicaBench(stack: LocalStack, common: Record<string, string>, children: ChildProcess[]): Promise<ReadResult[]> {
  process.stdout.write("starting a primary and a hot standby...\n");
  const rep = await startReplicatedPostgres({ maxConnections: 200 });
  try {
    const base = { ...common, DATABASE_URL: rep.primary.url, CACHE_ENABLED: "false" };
    const migr = spawnEntry("server", stack.env({ ...base, METRICS_PORT: "0" }));
    children.push(migr);
    await listening(migr);
    await stopChild(migr);
    const pg = new Client({ connectionString: rep.primary.url });
    await pg.connect();
    await pg.query(
      `INSERT INTO catalog_items (sku, name, description, price_cents)
       SELECT 'SKU-' || g, 'Item ' || g, 'benchmark item', (g * 37) % 100000 FROM generate_series(1, ${ITEMS}) g`,
    );
    await pg.query("ANALYZE");
    await pg.end();
    // The standby has replayed the seed before it serves reads.
    const standby = new Client({ connectionString: rep.standby.url });
    await standby.connect();
    while ((await standby.query<{ n: number }>("SELECT count(*)::int AS n FROM catalog_items")).rows[0].n < ITEMS) await new Promise((r) => setTimeout(r, 100));
    await standby.end();
    const results: ReadResult[] = [];
    for (const [name, extra] of [
      ["uncached GET, primary alone", {}],
      ["uncached GET, hot standby serving reads", { DATABASE_READ_URL: rep.standby.url }],
    ] as const) {
      const child = spawnEntry("server", stack.env({ ...base, ...extra, RUN_MIGRATIONS: "false", METRICS_PORT: String(await freePort()) }));
      children.push(child);
      const url = await listening(child);
      process.stdout.write(`read benchmark: ${name} (${DURATION_S}s, ${CONNECTIONS} connections)...\n`);
      results.push(await readBench(name, url, true, true));
      await stopChild(child);
    }
    return results;
  } finally {
    await rep.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
