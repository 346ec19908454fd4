/**
 * Process-level behaviour of the built entry points (dist/server.js, dist/worker.js: what the image runs):
 * a worker killed mid-job, SIGTERM on a busy worker, SIGTERM on an API under load.
 */
import { request } from "node:http";
import { eventually, spawnEntry, sql, startLocalStack, startTestApi, waitForExit, type LocalStack, type TestApi } from "./support/harness";

let stack: LocalStack;
let api: TestApi;

beforeAll(async () => {
  stack = await startLocalStack({ maxReceiveCount: 5 });
  api = await startTestApi(stack, { REPORTS_MAX_DELAY_MS: "10000", RATE_LIMIT_MAX: "100000" });
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const jobRow = async (id: string) => (await sql<{ status: string; attempts: number }>(stack.pg.url, "SELECT status, attempts FROM reports_jobs WHERE id = $1", [id]))[0];
const submit = async (delayMs: number) => ((await (await api.fetch("/reports", { method: "POST", json: { delayMs } })).json()) as { jobId: string }).jobId;
const workerEnv = () => stack.env({ LOG_LEVEL: "info", WORKER_VISIBILITY_TIMEOUT_S: "2", WORKER_WAIT_TIME_S: "1", REPORTS_MAX_DELAY_MS: "10000", RUN_MIGRATIONS: "false" });

test("a worker killed mid-job: the message is redelivered and the job completes exactly once", async () => {
  const first = spawnEntry("worker", workerEnv());
  const jobId = await submit(4000);
  await eventually(async () => (await jobRow(jobId))?.status === "running", "first worker to start the job");
  first.kill("SIGKILL");
  expect((await waitForExit(first)).signal).toBe("SIGKILL");
  expect(await jobRow(jobId)).toEqual({ status: "running", attempts: 1 });

  const second = spawnEntry("worker", workerEnv());
  try {
    await eventually(async () => (await jobRow(jobId))?.status === "done", "second worker to finish the job", 40000);
    expect(await jobRow(jobId)).toEqual({ status: "done", attempts: 2 });
    expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_results WHERE job_id = $1", [jobId])).toEqual([{ n: 1 }]);
    expect(second.output()).toMatch(new RegExp(`"receiveCount":2,.*"jobId":"${jobId}".*"msg":"job done"`));
  } finally {
    second.kill("SIGTERM");
    await waitForExit(second);
  }
});

test("SIGTERM on a busy worker: it stops receiving, finishes the current job, exits 0", async () => {
  const worker = spawnEntry("worker", workerEnv());
  const jobId = await submit(2500);
  await eventually(async () => (await jobRow(jobId))?.status === "running", "worker to start the job");
  worker.kill("SIGTERM");
  const exit = await waitForExit(worker);
  expect(exit.code).toBe(0);
  expect(await jobRow(jobId)).toEqual({ status: "done", attempts: 1 });
  expect(worker.output()).toContain('"msg":"worker stopped"');
});

function post(port: number, key: string): Promise<{ status?: number; jobId?: string; error?: string }> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/reports", method: "POST", agent: false, headers: { "content-type": "application/json", "x-api-key": key } }, (res) => {
      let body = "";
      res.on("data", (d: Buffer) => (body += d.toString()));
      res.on("end", () => resolve({ status: res.statusCode, jobId: res.statusCode === 202 ? (JSON.parse(body) as { jobId: string }).jobId : undefined }));
      res.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    });
    req.on("error", (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
    req.end("{}");
  });
}

test("SIGTERM under load: readiness fails, in-flight and draining requests all complete, no accepted job is lost", async () => {
  const server = spawnEntry("server", stack.env({ LOG_LEVEL: "info", PORT: "0", METRICS_PORT: "0", SHUTDOWN_DRAIN_DELAY_MS: "1500", RATE_LIMIT_MAX: "100000", RUN_MIGRATIONS: "false" }));
  const line = await eventually(async () => /"url":"http:\/\/127\.0\.0\.1:(\d+)","msg":"api listening"/.exec(server.output()), "server to listen");
  const port = Number(line[1]);

  const outcomes: { status?: number; jobId?: string; error?: string; afterSigterm: boolean }[] = [];
  let sigtermAt = 0;
  let stopSending = false;
  const vu = async () => {
    while (!stopSending) {
      const afterSigterm = sigtermAt > 0;
      outcomes.push({ ...(await post(port, api.key)), afterSigterm });
    }
  };
  const users = Array.from({ length: 16 }, vu);
  await eventually(async () => outcomes.length >= 200, "load to build up");
  sigtermAt = Date.now();
  server.kill("SIGTERM");
  // Like a load balancer that takes a moment to notice readiness failing: keep sending during part of the drain delay.
  await new Promise((r) => setTimeout(r, 700));
  const readyDuringDrain = await fetch(`http://127.0.0.1:${port}/readyz`);
  expect(readyDuringDrain.status).toBe(503);
  stopSending = true;
  await Promise.all(users);
  const exit = await waitForExit(server);
  expect(exit.code).toBe(0);

  const errors = outcomes.filter((o) => o.error);
  expect(errors).toEqual([]);
  expect(outcomes.filter((o) => o.afterSigterm).length).toBeGreaterThan(0);
  expect(new Set(outcomes.map((o) => o.status))).toEqual(new Set([202]));
  const ids = outcomes.map((o) => o.jobId as string);
  const stored = await sql<{ n: number }>(stack.pg.url, "SELECT count(*)::int AS n FROM reports_jobs WHERE id = ANY($1) AND status = 'queued'", [ids]);
  expect(stored[0].n).toBe(ids.length);
  // ...and each one has its message committed in the outbox, for the worker's relay (no worker runs in this test).
  const outbox = await sql<{ n: number }>(stack.pg.url, "SELECT count(*)::int AS n FROM reports_outbox WHERE sent_at IS NULL AND (attributes->>'job_id')::uuid = ANY($1)", [ids]);
  expect(outbox[0].n).toBe(ids.length);
  expect(server.output()).toContain('"msg":"api stopped"');
});
