import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { Client } from "pg";
import type { Metrics } from "../../src/platform/metrics";
import { startApi, type RunningApi } from "../../src/server";
import { startWorker, type RunningWorker } from "../../src/worker";
import { buildModules } from "../../src/app";
import { SCOPES, type Scope } from "../../src/modules/accounts";
import { freePort, startLocalStack, type LocalStack } from "../../tools/local-servers";

export { startLocalStack, type LocalStack };

/** Captures pino's JSON lines so tests can assert on logs. */
export class LogCapture {
  readonly lines: Record<string, unknown>[] = [];
  write(s: string) {
    for (const l of s.split("\n")) if (l.trim()) this.lines.push(JSON.parse(l) as Record<string, unknown>);
  }
  find(pred: (l: Record<string, unknown>) => boolean) {
    return this.lines.filter(pred);
  }
}

export interface TestApi extends RunningApi {
  logs: LogCapture;
  /** A key holding every scope; `fetch` sends it unless `auth: false`. */
  key: string;
  /** Creates a key with exactly `scopes` (straight through the accounts module, like the bootstrap CLI). */
  createKey(scopes: readonly Scope[], name?: string): Promise<{ id: string; key: string }>;
  fetch(path: string, init?: RequestInit & { json?: unknown; auth?: boolean }): Promise<Response>;
}

/** Starts the API in-process against the stack and creates an API key with every scope. */
export async function startTestApi(stack: LocalStack, overrides: Record<string, string> = {}): Promise<TestApi> {
  const logs = new LogCapture();
  // Readiness is not cached in tests unless a test asks, so a stopped dependency shows at once.
  const api = await startApi(stack.env({ LOG_LEVEL: "info", READINESS_CACHE_MS: "0", METRICS_PORT: String(await freePort()), ...overrides }), { logDestination: logs });
  const accounts = buildModules(api.platform).accounts.api;
  const { key } = await accounts.createKey({ name: "test", scopes: [...SCOPES] });
  return {
    ...api,
    logs,
    key,
    createKey: (scopes, name = `test-${scopes.join("+") || "none"}`) => accounts.createKey({ name, scopes: [...scopes] }),
    fetch(path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.auth !== false) headers.set("x-api-key", key);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set("content-type", "application/json");
        body = JSON.stringify(init.json);
      }
      return fetch(`${api.url}${path}`, { ...init, headers, body });
    },
  };
}

export async function startTestWorker(stack: LocalStack, overrides: Record<string, string> = {}): Promise<RunningWorker & { logs: LogCapture }> {
  const logs = new LogCapture();
  const w = await startWorker(stack.env({ LOG_LEVEL: "info", WORKER_WAIT_TIME_S: "1", READINESS_CACHE_MS: "0", ...overrides }), { logDestination: logs });
  return { ...w, logs };
}

/** Sum of a counter/gauge's values whose labels include `labels`. */
export async function metric(metrics: Metrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  // Histogram series are addressed as <name>_count / <name>_sum.
  const series = /_(count|sum)$/.exec(name) && !metrics.registry.getSingleMetric(name) ? name : undefined;
  const base = series ? name.replace(/_(count|sum)$/, "") : name;
  const m = metrics.registry.getSingleMetric(base);
  if (!m) throw new Error(`no metric ${name}`);
  const { values } = await m.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, val]) => String((v.labels as Record<string, unknown>)[k]) === val))
    .filter((v) => (series ? (v as { metricName?: string }).metricName === series : !(v as { metricName?: string }).metricName))
    .reduce((sum, v) => sum + v.value, 0);
}

/** Polls `fn` until it returns a truthy value (no timing assertions: only a generous upper bound). */
export async function eventually<T>(fn: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 30000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A direct SQL connection for assertions (what is really stored). */
export async function sql<R = Record<string, unknown>>(url: string, text: string, params: unknown[] = []): Promise<R[]> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, params)).rows as R[];
  } finally {
    await c.end();
  }
}

const appRoot = join(__dirname, "..", "..");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Path of a file under dist/, after checking the build exists and is newer than src/. */
export function builtFile(rel: string): string {
  const file = join(appRoot, "dist", rel);
  let built = 0;
  try {
    built = statSync(file).mtimeMs;
  } catch {
    throw new Error(`${file} is missing: run \`npm run build\` (npm test does it)`);
  }
  if (newestMtime(join(appRoot, "src")) > built) throw new Error(`dist/ is older than src/: run \`npm run build\` (npm test does it)`);
  return file;
}

/**
 * Spawns a built entry point (`dist/<name>.js`, the same files the image runs) as a child process.
 * `npm test` builds first; a stale or missing build is an error rather than a silent use of old code.
 */
export function spawnEntry(name: "server" | "worker" | "create-api-key", env: NodeJS.ProcessEnv, args: string[] = []): ChildProcess & { output: () => string } {
  const file = builtFile(`${name}.js`);
  // BENCH_NODE_ARGS adds Node flags to the app processes, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to profile a benchmark.
  const nodeArgs = (process.env.BENCH_NODE_ARGS ?? "").split(" ").filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, file, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (out += d.toString()));
  const kill = () => child.kill("SIGKILL");
  process.once("exit", kill);
  child.once("exit", () => process.removeListener("exit", kill));
  return Object.assign(child, { output: () => out });
}

export function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
}
