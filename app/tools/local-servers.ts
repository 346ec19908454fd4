/**
 * Throwaway PostgreSQL, Redis and SQS (fauxqs) servers on free loopback ports, for the test suite and for
 * `npm run dev:local`. Nothing here is shipped in the image. A missing server binary is an error with an
 * install hint: the suite never silently skips.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, chownSync } from "node:fs";
import { connect, createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from "@aws-sdk/client-sqs";

const INSTALL_HINT =
  "Install the server binaries: Debian/Ubuntu `apt-get install -y postgresql redis-server`, macOS `brew install postgresql@16 redis`; " +
  "or set PG_BIN to the directory holding initdb/pg_ctl and REDIS_SERVER to the redis-server path.";

export class MissingBinaryError extends Error {
  constructor(what: string) {
    super(`${what} not found. ${INSTALL_HINT}`);
    this.name = "MissingBinaryError";
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.unref();
    s.on("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function which(cmd: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(":")) {
    const p = join(dir, cmd);
    if (existsSync(p)) return p;
  }
  return undefined;
}

function pgBinDir(): string {
  const candidates: string[] = [];
  if (process.env.PG_BIN) {
    if (existsSync(join(process.env.PG_BIN, "initdb")) && existsSync(join(process.env.PG_BIN, "pg_ctl"))) return process.env.PG_BIN;
    throw new MissingBinaryError(`PostgreSQL server binaries (initdb, pg_ctl) in PG_BIN=${process.env.PG_BIN}`);
  }
  const initdb = which("initdb");
  if (initdb) candidates.push(join(initdb, ".."));
  try {
    candidates.push(execFileSync("pg_config", ["--bindir"], { encoding: "utf8" }).trim());
  } catch {
    /* no pg_config */
  }
  if (existsSync("/usr/lib/postgresql")) {
    for (const v of readdirSync("/usr/lib/postgresql").sort((a, b) => Number(b) - Number(a))) candidates.push(`/usr/lib/postgresql/${v}/bin`);
  }
  const found = candidates.find((d) => existsSync(join(d, "initdb")) && existsSync(join(d, "pg_ctl")));
  if (!found) throw new MissingBinaryError("PostgreSQL server binaries (initdb, pg_ctl)");
  return found;
}

/** initdb refuses to run as root: as root, run PostgreSQL as an unprivileged system user. */
function pgRunner(): { prefix: string[]; user?: string } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const user = process.env.PG_RUN_AS ?? "postgres";
  try {
    execFileSync("id", ["-u", user], { stdio: "ignore" });
  } catch {
    throw new Error(`running as root: initdb refuses root, and the user "${user}" to run PostgreSQL as does not exist. Create it (useradd --system ${user}) or set PG_RUN_AS, or run the tests as a non-root user.`);
  }
  const runuser = which("runuser");
  return runuser ? { prefix: [runuser, "-u", user, "--"], user } : { prefix: ["su", user, "-s", "/bin/sh", "-c"], user };
}

function run(prefix: string[], cmd: string, args: string[]) {
  if (prefix[0] === "su") {
    const quoted = [cmd, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(" ");
    return execFileSync("su", [...prefix.slice(1), quoted], { stdio: "pipe", encoding: "utf8" });
  }
  const [bin, ...rest] = prefix.length ? prefix : [cmd];
  return execFileSync(bin, prefix.length ? [...rest, cmd, ...args] : args, { stdio: "pipe", encoding: "utf8" });
}

export interface RunningPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

/** initdb in a temp dir + pg_ctl start on a free loopback port (fsync off: throwaway data). */
export async function startPostgres(opts: { maxConnections?: number } = {}): Promise<RunningPostgres> {
  const bin = pgBinDir();
  const runner = pgRunner();
  const dir = mkdtempSync(join(tmpdir(), "gw-pg-"));
  if (runner.user) {
    const uid = Number(execFileSync("id", ["-u", runner.user], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", runner.user], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, "data");
  const port = await freePort();
  run(runner.prefix, join(bin, "initdb"), ["-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const options = [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", `-c max_connections=${opts.maxConnections ?? 100}`].join(" ");
  run(runner.prefix, join(bin, "pg_ctl"), ["-D", data, "-l", join(dir, "postgres.log"), "-o", options, "-w", "-t", "30", "start"]);
  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    try {
      run(runner.prefix, join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      /* already stopped */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once("exit", stopSync);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    async stop() {
      process.removeListener("exit", stopSync);
      stopSync();
    },
  };
}

async function waitForOutput(child: ChildProcess, pattern: RegExp, what: string, timeoutMs = 15000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = "";
    const timer = setTimeout(() => reject(new Error(`${what} did not start in ${timeoutMs} ms:\n${buf}`)), timeoutMs);
    const onData = (d: Buffer) => {
      buf += d.toString();
      const m = pattern.exec(buf);
      if (m) {
        clearTimeout(timer);
        child.stdout?.off("data", onData);
        resolve(m[0]);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => (buf += d.toString()));
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready:\n${buf}`));
    });
  });
}

function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill(signal);
  });
}

export interface RunningRedis {
  url: string;
  port: number;
  /** Stops the server (the port stays reserved for {@link start}). */
  stop(): Promise<void>;
  /** Starts it again on the same port (empty). */
  start(): Promise<void>;
}

/** redis-server on a free loopback port, no persistence. */
export async function startRedis(): Promise<RunningRedis> {
  const bin = process.env.REDIS_SERVER ?? which("redis-server") ?? (existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : undefined);
  if (!bin || !existsSync(bin)) throw new MissingBinaryError(process.env.REDIS_SERVER ? `redis-server at REDIS_SERVER=${bin}` : "redis-server");
  const port = await freePort();
  let child: ChildProcess | undefined;
  const kill = () => child?.kill("SIGKILL");
  const start = async () => {
    child = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning"], { stdio: ["ignore", "pipe", "pipe"] });
    // With --loglevel warning the ready line is not printed; poll with PING instead.
    const deadline = Date.now() + 10000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
      const ok = await new Promise<boolean>((resolve) => {
        const s = connect(port, "127.0.0.1");
        s.once("connect", () => {
          s.write("PING\r\n");
          s.once("data", (d: Buffer) => {
            s.destroy();
            resolve(d.toString().startsWith("+PONG"));
          });
        });
        s.once("error", () => resolve(false));
      });
      if (ok) break;
      if (Date.now() > deadline) throw new Error("redis-server did not start in 10 s");
      await new Promise((r) => setTimeout(r, 50));
    }
    process.once("exit", kill);
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    start,
    async stop() {
      process.removeListener("exit", kill);
      if (child) await stopChild(child);
    },
  };
}

export interface RunningSqs {
  endpoint: string;
  region: string;
  queueUrl: string;
  dlqUrl: string;
  maxReceiveCount: number;
  client: SQSClient;
  stop(): Promise<void>;
}

/**
 * fauxqs (SQS emulator) in a child process on a free loopback port, with a job queue whose redrive policy
 * sends a message to the dead-letter queue after `maxReceiveCount` receives.
 */
export async function startSqs(opts: { maxReceiveCount?: number; visibilityTimeoutS?: number; queueName?: string } = {}): Promise<RunningSqs> {
  const script = join(__dirname, "fauxqs-server.mjs");
  const major = Number(process.versions.node.split(".")[0]);
  if (major < 22) throw new Error(`fauxqs needs Node >= 22.5; this is ${process.version}. Run through npm scripts (they use the node devDependency, v24).`);
  const child = spawn(process.execPath, [script], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, FAUXQS_PORT: "0" } });
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  const line = await waitForOutput(child, /\{.*"port":\d+\}/, "fauxqs");
  const { port } = JSON.parse(line) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const region = "us-east-1";
  const client = new SQSClient({ region, endpoint, credentials: { accessKeyId: "local", secretAccessKey: "local" } });
  const name = opts.queueName ?? "jobs";
  const maxReceiveCount = opts.maxReceiveCount ?? 5;
  const dlq = await client.send(new CreateQueueCommand({ QueueName: `${name}-dlq` }));
  const dlqArn = (await client.send(new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ["QueueArn"] }))).Attributes?.QueueArn;
  const q = await client.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(opts.visibilityTimeoutS ?? 30),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: String(maxReceiveCount) }),
      },
    }),
  );
  return {
    endpoint,
    region,
    queueUrl: q.QueueUrl as string,
    dlqUrl: dlq.QueueUrl as string,
    maxReceiveCount,
    client,
    async stop() {
      process.removeListener("exit", kill);
      client.destroy();
      await stopChild(child);
    },
  };
}

export interface LocalStack {
  pg: RunningPostgres;
  redis: RunningRedis;
  sqs: RunningSqs;
  /** Environment for the API and worker pointing at these servers. */
  env(overrides?: Record<string, string>): NodeJS.ProcessEnv;
  stop(): Promise<void>;
}

/** Starts all three servers in parallel. */
export async function startLocalStack(opts: { maxReceiveCount?: number; pgMaxConnections?: number } = {}): Promise<LocalStack> {
  const results = await Promise.allSettled([startPostgres({ maxConnections: opts.pgMaxConnections }), startRedis(), startSqs({ maxReceiveCount: opts.maxReceiveCount })]);
  const failed = results.find((r) => r.status === "rejected");
  if (failed) {
    await Promise.allSettled(results.map((r) => (r.status === "fulfilled" ? r.value.stop() : undefined)));
    throw (failed as PromiseRejectedResult).reason;
  }
  const [pg, redis, sqs] = results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as [RunningPostgres, RunningRedis, RunningSqs];
  return {
    pg,
    redis,
    sqs,
    env: (overrides = {}) => ({
      PATH: process.env.PATH,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: "0",
      LOG_LEVEL: "warn",
      DATABASE_URL: pg.url,
      REDIS_URL: redis.url,
      AWS_REGION: sqs.region,
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      SQS_ENDPOINT: sqs.endpoint,
      SQS_QUEUE_URL: sqs.queueUrl,
      SQS_DLQ_URL: sqs.dlqUrl,
      JOB_MAX_RECEIVES: String(sqs.maxReceiveCount),
      RUN_MIGRATIONS: "true",
      WORKER_METRICS_PORT: "0",
      ...overrides,
    }),
    async stop() {
      await Promise.allSettled([pg.stop(), redis.stop(), sqs.stop()]);
    },
  };
}

export interface RunningStandby {
  url: string;
  port: number;
  /** Stops the standby (immediate shutdown; the port and data stay for {@link start}). */
  stop(): Promise<void>;
  /** Starts it again on the same port; it resumes streaming from the primary. */
  start(): Promise<void>;
}

export interface ReplicatedPostgres {
  /** The primary: takes writes, streams WAL to the standby. */
  primary: RunningPostgres;
  /** A hot standby (read-only, `pg_is_in_recovery()` true) streaming from the primary. */
  standby: RunningStandby;
  stop(): Promise<void>;
}

/**
 * A primary and a hot standby from the same binaries, both on free loopback ports: the primary runs with
 * wal_level=replica and a `replicator` role (REPLICATION LOGIN); the standby is `pg_basebackup -R` of it (standby.signal
 * and primary_conninfo written by pg_basebackup), started on its own port. Streaming replication, asynchronous.
 */
export async function startReplicatedPostgres(opts: { maxConnections?: number } = {}): Promise<ReplicatedPostgres> {
  // The directory initdb really lives in (PG_BIN or PATH may hold symlinks to initdb and pg_ctl only) has psql and
  // pg_basebackup of the same version.
  const bin = dirname(realpathSync(join(pgBinDir(), "initdb")));
  for (const tool of ["psql", "pg_basebackup"]) if (!existsSync(join(bin, tool))) throw new MissingBinaryError(`${tool} next to initdb in ${bin}`);
  const runner = pgRunner();
  const dir = mkdtempSync(join(tmpdir(), "gw-pgrep-"));
  if (runner.user) {
    const uid = Number(execFileSync("id", ["-u", runner.user], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", runner.user], { encoding: "utf8" }).trim());
    chownSync(dir, uid, gid);
  }
  const primaryData = join(dir, "primary");
  const standbyData = join(dir, "standby");
  const [primaryPort, standbyPort] = [await freePort(), await freePort()];
  const common = (port: number) =>
    [`-p ${port}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", "-c fsync=off", "-c full_page_writes=on", `-c max_connections=${opts.maxConnections ?? 100}`].join(" ");
  const pgCtl = (args: string[]) => run(runner.prefix, join(bin, "pg_ctl"), args);
  // initdb's default pg_hba.conf trusts replication connections from loopback (-A trust).
  run(runner.prefix, join(bin, "initdb"), ["-D", primaryData, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync", "--no-instructions"]);
  const primaryOptions = `${common(primaryPort)} -c wal_level=replica -c max_wal_senders=5 -c wal_keep_size=64MB`;
  pgCtl(["-D", primaryData, "-l", join(dir, "primary.log"), "-o", primaryOptions, "-w", "-t", "30", "start"]);
  const stopped = { primary: false, standby: true, removed: false };
  const stopSync = () => {
    for (const [which, data] of [["standby", standbyData], ["primary", primaryData]] as const) {
      if (stopped[which]) continue;
      stopped[which] = true;
      try {
        pgCtl(["-D", data, "-m", "immediate", "-w", "stop"]);
      } catch {
        /* already stopped */
      }
    }
    if (!stopped.removed) {
      stopped.removed = true;
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once("exit", stopSync);
  try {
    run(runner.prefix, join(bin, "psql"), ["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "postgres", "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-qc", "CREATE ROLE replicator WITH REPLICATION LOGIN"]);
    run(runner.prefix, join(bin, "pg_basebackup"), ["-h", "127.0.0.1", "-p", String(primaryPort), "-U", "replicator", "-D", standbyData, "-R", "-X", "stream", "--no-sync"]);
  } catch (err) {
    stopSync();
    throw err;
  }
  const startStandby = async () => {
    pgCtl(["-D", standbyData, "-l", join(dir, "standby.log"), "-o", `${common(standbyPort)} -c hot_standby=on`, "-w", "-t", "30", "start"]);
    stopped.standby = false;
  };
  await startStandby();
  return {
    primary: {
      url: `postgres://postgres@127.0.0.1:${primaryPort}/postgres`,
      port: primaryPort,
      async stop() {
        stopped.primary = true;
        pgCtl(["-D", primaryData, "-m", "immediate", "-w", "stop"]);
      },
    },
    standby: {
      url: `postgres://postgres@127.0.0.1:${standbyPort}/postgres`,
      port: standbyPort,
      async stop() {
        if (stopped.standby) return;
        stopped.standby = true;
        pgCtl(["-D", standbyData, "-m", "immediate", "-w", "stop"]);
      },
      start: startStandby,
    },
    async stop() {
      process.removeListener("exit", stopSync);
      stopSync();
    },
  };
}

export interface RunningRedisCluster {
  /** redis://<first node>: a cluster client discovers the others from it. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

/**
 * A Redis cluster of `masters` masters (no replicas) on free loopback ports: redis-server --cluster-enabled yes per
 * node (each with its own nodes.conf in a temp dir), joined by `redis-cli --cluster create ... --cluster-yes`, ready
 * once every node reports cluster_state:ok. Same binaries (Debian's redis-server and redis-cli) as {@link startRedis}.
 */
export async function startRedisCluster(masters = 3): Promise<RunningRedisCluster> {
  const bin = process.env.REDIS_SERVER ?? which("redis-server") ?? (existsSync("/usr/bin/redis-server") ? "/usr/bin/redis-server" : undefined);
  if (!bin || !existsSync(bin)) throw new MissingBinaryError(process.env.REDIS_SERVER ? `redis-server at REDIS_SERVER=${bin}` : "redis-server");
  const cli = process.env.REDIS_CLI ?? which("redis-cli") ?? join(dirname(realpathSync(bin)), "redis-cli");
  if (!existsSync(cli)) throw new MissingBinaryError("redis-cli (next to redis-server, or REDIS_CLI)");
  const dir = mkdtempSync(join(tmpdir(), "gw-redis-cluster-"));
  const ports: number[] = [];
  for (let i = 0; i < masters; i++) ports.push(await freePort());
  const children = ports.map((port) =>
    spawn(
      bin,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no", "--loglevel", "warning", "--cluster-enabled", "yes", "--cluster-config-file", join(dir, `nodes-${port}.conf`), "--cluster-node-timeout", "2000", "--dir", dir],
      { stdio: ["ignore", "pipe", "pipe"] },
    ),
  );
  const kill = () => children.forEach((c) => c.kill("SIGKILL"));
  process.once("exit", kill);
  const stop = async () => {
    process.removeListener("exit", kill);
    await Promise.all(children.map((c) => stopChild(c)));
    rmSync(dir, { recursive: true, force: true });
  };
  const cliRun = (args: string[]) => execFileSync(cli, args, { encoding: "utf8", stdio: "pipe" });
  try {
    const deadline = Date.now() + 20000;
    for (const port of ports) {
      for (;;) {
        try {
          if (cliRun(["-p", String(port), "PING"]).trim() === "PONG") break;
        } catch {
          /* not up yet */
        }
        if (Date.now() > deadline) throw new Error(`redis-server (cluster node on ${port}) did not start in 20 s`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    cliRun(["--cluster", "create", ...ports.map((p) => `127.0.0.1:${p}`), "--cluster-replicas", "0", "--cluster-yes"]);
    for (const port of ports) {
      while (!/cluster_state:ok/.test(cliRun(["-p", String(port), "CLUSTER", "INFO"]))) {
        if (Date.now() > deadline + 20000) throw new Error(`the cluster did not reach cluster_state:ok on ${port}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis://127.0.0.1:${ports[0]}`, ports, stop };
}
