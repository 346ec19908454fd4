/**
 * The reports outbox (real PostgreSQL + fauxqs): a 202 means the job and its message are committed; the relay
 * publishes them at least once and survives a crash at each step; the worker runs a job once however often its
 * message arrives.
 */
import { createServer, request as httpRequest, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { GetQueueAttributesCommand, PurgeQueueCommand } from "@aws-sdk/client-sqs";
import { buildModules } from "../src/app";
import { eventually, metric, spawnEntry, sql, startLocalStack, startTestApi, startTestWorker, waitForExit, type LocalStack, type TestApi } from "./support/harness";

let stack: LocalStack;
let api: TestApi;

beforeAll(async () => {
  stack = await startLocalStack({ maxReceiveCount: 5 });
  api = await startTestApi(stack, { RATE_LIMIT_MAX: "100000" });
  await api.fetch("/catalog/items", { method: "POST", json: { sku: "O-1", name: "O-1", priceCents: 700 } });
});
afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

const queued = async () =>
  Number((await stack.sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: stack.sqs.queueUrl, AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes?.ApproximateNumberOfMessages ?? 0);
const submit = async (n: number) => {
  const res = await Promise.all(Array.from({ length: n }, () => api.fetch("/reports", { method: "POST", json: {} })));
  expect(res.map((r) => r.status)).toEqual(Array(n).fill(202));
  return Promise.all(res.map(async (r) => ((await r.json()) as { jobId: string }).jobId));
};
/** Outbox records of these jobs, by state. */
const outbox = async (ids: string[]) =>
  (
    await sql<{ unsent: number; sent: number }>(
      stack.pg.url,
      "SELECT count(*) FILTER (WHERE sent_at IS NULL)::int AS unsent, count(*) FILTER (WHERE sent_at IS NOT NULL)::int AS sent FROM reports_outbox WHERE (attributes->>'job_id')::uuid = ANY($1)",
      [ids],
    )
  )[0];
const relay = (opts: Parameters<ReturnType<typeof buildModules>["reports"]["api"]["outboxRelay"]>[0] = {}) => buildModules(api.platform).reports.api.outboxRelay(opts);
const crash = () => {
  throw new Error("simulated crash");
};

beforeEach(async () => {
  // Each test starts from an empty queue and outbox (records left by an earlier test are marked sent). A worker
  // closed by the previous test may leave a long poll (WORKER_WAIT_TIME_S=1) open in the emulator that would swallow
  // the next message: let it expire first.
  await new Promise((r) => setTimeout(r, 1500));
  await stack.sqs.client.send(new PurgeQueueCommand({ QueueUrl: stack.sqs.queueUrl }));
  await sql(stack.pg.url, "UPDATE reports_outbox SET sent_at = now() WHERE sent_at IS NULL");
});

test("a 202 means the job and its outbox record are committed together; nothing is sent to SQS by the API", async () => {
  const ids = await submit(20);
  expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_jobs WHERE id = ANY($1) AND status = 'queued'", [ids])).toEqual([{ n: 20 }]);
  expect(await outbox(ids)).toEqual({ unsent: 20, sent: 0 });
  expect(await queued()).toBe(0);
  // Group commit: the 20 concurrent submissions took fewer transactions than requests.
  const [{ n: txs }] = await sql<{ n: number }>(stack.pg.url, "SELECT count(DISTINCT xmin::text)::int AS n FROM reports_jobs WHERE id = ANY($1)", [ids]);
  expect(txs).toBeLessThan(20);
});

test("relay killed between the commit and the send: the records stay unsent and the next run sends them", async () => {
  const ids = await submit(3);
  await expect(relay({ faults: { afterClaim: crash } }).runOnce()).rejects.toThrow("simulated crash");
  expect(await outbox(ids)).toEqual({ unsent: 3, sent: 0 });
  expect(await queued()).toBe(0);

  expect(await relay().runOnce()).toEqual({ claimed: 3, sent: 3 });
  expect(await outbox(ids)).toEqual({ unsent: 0, sent: 3 });
  expect(await queued()).toBe(3);

  const worker = await startTestWorker(stack);
  try {
    await eventually(async () => (await sql<{ n: number }>(stack.pg.url, "SELECT count(*)::int AS n FROM reports_jobs WHERE id = ANY($1) AND status = 'done'", [ids]))[0].n === 3, "jobs done");
  } finally {
    await worker.close();
  }
});

test("relay killed between the send and marking sent: the record is sent again and the worker runs the job once", async () => {
  const [jobId] = await submit(1);
  await expect(relay({ faults: { afterSend: crash } }).runOnce()).rejects.toThrow("simulated crash");
  expect(await outbox([jobId])).toEqual({ unsent: 1, sent: 0 });
  expect(await queued()).toBe(1);

  expect(await relay().runOnce()).toEqual({ claimed: 1, sent: 1 });
  expect(await outbox([jobId])).toEqual({ unsent: 0, sent: 1 });
  expect(await queued()).toBe(2);

  const worker = await startTestWorker(stack, { WORKER_CONCURRENCY: "4" });
  try {
    // Both deliveries are handled (one runs the job, the other is acknowledged as a duplicate)...
    await eventually(async () => (await queued()) === 0 && worker.consumer?.inProgress === 0 && (await metric(worker.platform.metrics, "jobs_processed_total")) >= 2, "both messages handled");
    // ...and the job's side effects happened once: one result row, one "job done".
    expect(await sql(stack.pg.url, "SELECT status FROM reports_jobs WHERE id = $1", [jobId])).toEqual([{ status: "done" }]);
    expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_results WHERE job_id = $1", [jobId])).toEqual([{ n: 1 }]);
    expect(worker.logs.find((l) => l.jobId === jobId && l.msg === "job done")).toHaveLength(1);
    expect(await metric(worker.platform.metrics, "jobs_processed_total", { outcome: "done" })).toBe(1);
    expect(await metric(worker.platform.metrics, "jobs_processed_total", { outcome: "duplicate" })).toBe(1);
  } finally {
    await worker.close();
  }
});

test("two relays at once never claim the same records (FOR UPDATE SKIP LOCKED), and together send each once, oldest first", async () => {
  const ids = await submit(40);
  let arrived = 0;
  let release!: () => void;
  const bothClaimed = new Promise<void>((r) => (release = r));
  const claims: string[][] = [];
  // Each relay waits after claiming until the other has claimed too, so their transactions overlap.
  const barrier = async (claimed: string[]) => {
    claims.push(claimed);
    if (++arrived === 2) release();
    await bothClaimed;
  };
  const [a, b] = await Promise.all([relay({ claim: 20, faults: { afterClaim: barrier } }).runOnce(), relay({ claim: 20, faults: { afterClaim: barrier } }).runOnce()]);
  expect(a.sent + b.sent).toBe(40);
  const [first, second] = claims;
  expect(first.filter((id) => second.includes(id))).toEqual([]);
  // Each claim is a run of consecutive oldest records (ids ascending).
  for (const c of claims) expect(c.map(Number)).toEqual([...c.map(Number)].sort((x, y) => x - y));
  expect(await outbox(ids)).toEqual({ unsent: 0, sent: 40 });
  expect(await queued()).toBe(40);
});

test("SQS unreachable: submissions still answer 202, the relay counts publish failures and sends once SQS accepts", async () => {
  const ids = await submit(2);
  const broken = relay({ queueUrl: stack.sqs.queueUrl.replace(/jobs$/, "no-such-queue") });
  const before = await metric(api.platform.metrics, "outbox_publish_failures_total");
  expect(await broken.runOnce()).toEqual({ claimed: 2, sent: 0 });
  expect(await metric(api.platform.metrics, "outbox_publish_failures_total")).toBe(before + 2);
  expect(await outbox(ids)).toEqual({ unsent: 2, sent: 0 });
  expect(await relay().runOnce()).toEqual({ claimed: 2, sent: 2 });
  expect(await metric(api.platform.metrics, "outbox_relay_batch_size_count")).toBeGreaterThanOrEqual(2);
});

test("the worker's relay publishes continuously and reports its backlog", async () => {
  const worker = await startTestWorker(stack);
  try {
    const ids = await submit(25);
    await eventually(async () => (await sql<{ n: number }>(stack.pg.url, "SELECT count(*)::int AS n FROM reports_jobs WHERE id = ANY($1) AND status = 'done'", [ids]))[0].n === 25, "jobs done");
    expect(await outbox(ids)).toEqual({ unsent: 0, sent: 25 });
    await eventually(async () => (await metric(worker.platform.metrics, "outbox_relay_batch_duration_seconds_count")) > 0, "relay metrics");
    const text = await worker.platform.metrics.registry.metrics();
    expect(text).toMatch(/^outbox_backlog\{outbox="reports"\} \d+/m);
  } finally {
    await worker.close();
  }
});

/**
 * A forwarding proxy in front of fauxqs: it passes the first SendMessageBatch through to SQS, then SIGKILLs the
 * worker before the worker can see the answer (and mark the records sent), and never answers it. It holds the
 * worker's ReceiveMessage calls, so the copy it sent stays in the queue.
 */
function killingProxy(target: string, onBatchSent: () => void): Promise<Server> {
  const t = new URL(target);
  let fired = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const target = String(req.headers["x-amz-target"] ?? "");
      // The killed worker must not receive the message itself: its receives are left hanging.
      if (target.endsWith(".ReceiveMessage")) return;
      const isBatch = target.endsWith(".SendMessageBatch");
      const up = httpRequest({ host: t.hostname, port: t.port, path: req.url, method: req.method, headers: req.headers }, (upRes) => {
        const body: Buffer[] = [];
        upRes.on("data", (c: Buffer) => body.push(c));
        upRes.on("end", () => {
          if (isBatch && !fired) {
            fired = true;
            onBatchSent();
            return; // the worker is dead; leave its request unanswered
          }
          res.writeHead(upRes.statusCode ?? 500, upRes.headers);
          res.end(Buffer.concat(body));
        });
      });
      up.on("error", () => res.destroy());
      up.end(Buffer.concat(chunks));
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

test("a worker process SIGKILLed after SQS accepted the batch and before marking it sent: the next worker re-sends it and the job runs once", async () => {
  const [jobId] = await submit(1);
  const sqsEndpoint = stack.env().SQS_ENDPOINT as string;
  let child: ReturnType<typeof spawnEntry> | undefined;
  const proxy = await killingProxy(sqsEndpoint, () => child?.kill("SIGKILL"));
  try {
    const port = (proxy.address() as AddressInfo).port;
    child = spawnEntry("worker", stack.env({ LOG_LEVEL: "info", SQS_ENDPOINT: `http://127.0.0.1:${port}`, WORKER_METRICS_PORT: "0", WORKER_WAIT_TIME_S: "1", QUEUE_DEPTH_POLL_MS: "0", RUN_MIGRATIONS: "false" }));
    expect((await waitForExit(child)).signal).toBe("SIGKILL");
    expect(await outbox([jobId])).toEqual({ unsent: 1, sent: 0 });
    await eventually(async () => (await queued()) >= 1, "the message the killed worker sent");
  } finally {
    proxy.close();
  }
  const worker = await startTestWorker(stack);
  try {
    await eventually(async () => (await outbox([jobId])).sent === 1 && (await sql<{ status: string }>(stack.pg.url, "SELECT status FROM reports_jobs WHERE id = $1", [jobId]))[0].status === "done", "job done");
    await eventually(async () => (await queued()) === 0 && worker.consumer?.inProgress === 0 && (await metric(worker.platform.metrics, "jobs_processed_total")) >= 2, "both copies handled");
    expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_results WHERE job_id = $1", [jobId])).toEqual([{ n: 1 }]);
    expect(worker.logs.find((l) => l.jobId === jobId && l.msg === "job done")).toHaveLength(1);
  } finally {
    await worker.close();
  }
});
