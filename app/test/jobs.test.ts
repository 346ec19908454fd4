import { GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand } from "@aws-sdk/client-sqs";
import { eventually, metric, sql, startLocalStack, startTestApi, startTestWorker, type LocalStack, type TestApi } from "./support/harness";
import type { RunningWorker } from "../src/worker";

let stack: LocalStack;
let api: TestApi;
let worker: (RunningWorker & { logs: import("./support/harness").LogCapture }) | undefined;

interface JobView {
  id: string;
  status: string;
  attempts: number;
  correlationId: string;
  result: { rowCount: number; href: string } | null;
}

const getJob = async (id: string) => (await (await api.fetch(`/jobs/${id}`)).json()) as JobView;
const waitDone = (id: string) => eventually(async () => ((await getJob(id)).status === "done" ? getJob(id) : undefined), `job ${id} to finish`);
const dlqCount = async () =>
  Number((await stack.sqs.client.send(new GetQueueAttributesCommand({ QueueUrl: stack.sqs.dlqUrl, AttributeNames: ["ApproximateNumberOfMessages"] }))).Attributes?.ApproximateNumberOfMessages ?? 0);

beforeAll(async () => {
  stack = await startLocalStack({ maxReceiveCount: 3 });
  api = await startTestApi(stack, { REPORTS_MAX_DELAY_MS: "10000", RATE_LIMIT_MAX: "100000" });
  worker = await startTestWorker(stack, { WORKER_VISIBILITY_TIMEOUT_S: "2", REPORTS_MAX_DELAY_MS: "10000", WORKER_CONCURRENCY: "4", WORKER_MAX_BACKOFF_S: "1" });
  for (const [sku, price] of [["R-1", 500], ["R-2", 5000], ["R-3", 50000]] as const) {
    await api.fetch("/catalog/items", { method: "POST", json: { sku, name: sku, priceCents: price } });
  }
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await stack?.stop();
});

test("POST /reports -> 202 + Location; the worker completes it; GET /jobs/:id shows the result", async () => {
  const tp = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
  const res = await api.fetch("/reports", { method: "POST", json: { minPriceCents: 1000 }, headers: { "x-request-id": "report-corr-1", traceparent: tp } });
  expect(res.status).toBe(202);
  const body = (await res.json()) as { jobId: string; status: string; location: string };
  expect(body.status).toBe("queued");
  expect(res.headers.get("location")).toBe(`/jobs/${body.jobId}`);

  const job = await waitDone(body.jobId);
  expect(job).toMatchObject({ status: "done", attempts: 1, correlationId: "report-corr-1" });
  const csv = await (await api.fetch(job.result!.href)).text();
  expect(csv).toContain("item_count,2\n");
  expect(csv).toContain("total_cents,55000\n");
  expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_results WHERE job_id = $1", [body.jobId])).toEqual([{ n: 1 }]);

  // Correlation id and trace id travel through the message attributes into the worker's logs.
  const done = worker!.logs.find((l) => l.jobId === body.jobId && l.msg === "job done");
  expect(done).toHaveLength(1);
  expect(done[0]).toMatchObject({ correlationId: "report-corr-1", traceId: "0af7651916cd43dd8448eb211c80319c" });
  expect(await metric(worker!.platform.metrics, "jobs_processed_total", { outcome: "done" })).toBeGreaterThanOrEqual(1);
  expect(await metric(worker!.platform.metrics, "job_duration_seconds_count", { outcome: "done" })).toBeGreaterThanOrEqual(1);
});

test("validation: bad report params answer 400; unknown job 404; reports need a key", async () => {
  const bad = await api.fetch("/reports", { method: "POST", json: { minPriceCents: -1, nope: true } });
  expect(bad.status).toBe(400);
  expect((await api.fetch("/jobs/00000000-0000-4000-8000-000000000000")).status).toBe(404);
  expect((await api.fetch("/jobs/not-a-uuid")).status).toBe(400);
  expect((await api.fetch("/reports", { method: "POST", json: {}, auth: false })).status).toBe(401);
});

test("a job is visible only to the key that submitted it: any other key, even one with every scope, gets the 404 of a job that does not exist", async () => {
  // GIVEN two keys with the reports scope, and alice's finished job
  const alice = await api.createKey(["reports"], "alice");
  const bob = await api.createKey(["reports"], "bob");
  const as = (key: string) => (path: string, init: RequestInit & { json?: unknown } = {}) => api.fetch(path, { ...init, auth: false, headers: { "x-api-key": key } });
  const { jobId } = (await (await as(alice.key)("/reports", { method: "POST", json: {} })).json()) as { jobId: string };
  expect(await sql(stack.pg.url, "SELECT created_by FROM reports_jobs WHERE id = $1", [jobId])).toEqual([{ created_by: alice.id }]);
  await eventually(async () => ((await (await as(alice.key)(`/jobs/${jobId}`)).json()) as JobView).status === "done", "alice's job to finish");
  const mine = await as(alice.key)(`/jobs/${jobId}/result`);
  expect(mine.status).toBe(200);
  expect(await mine.text()).toContain("item_count,");
  // THEN other keys cannot tell it from a job that does not exist
  const nobody = "00000000-0000-4000-8000-000000000000";
  for (const other of [bob.key, api.key]) {
    for (const path of [`/jobs/${jobId}`, `/jobs/${jobId}/result`]) {
      const res = await as(other)(path);
      const missing = await as(other)(path.replace(jobId, nobody));
      expect({ path, status: res.status, body: await res.json() }).toEqual({ path, status: 404, body: await missing.json() });
    }
  }
});

test("a job longer than the visibility timeout is kept invisible by the heartbeat and runs once", async () => {
  const res = await api.fetch("/reports", { method: "POST", json: { delayMs: 5000 } });
  const { jobId } = (await res.json()) as { jobId: string };
  const job = await waitDone(jobId);
  expect(job.attempts).toBe(1);
  expect(worker!.logs.find((l) => l.jobId === jobId && l.msg === "job started")).toHaveLength(1);
});

test("a redelivered message for a finished job is acknowledged without a second result", async () => {
  const { jobId } = (await (await api.fetch("/reports", { method: "POST", json: {} })).json()) as { jobId: string };
  await waitDone(jobId);
  const dup0 = await metric(worker!.platform.metrics, "jobs_processed_total", { outcome: "duplicate" });
  await stack.sqs.client.send(new SendMessageCommand({ QueueUrl: stack.sqs.queueUrl, MessageBody: JSON.stringify({ jobId, kind: "catalog-price-summary" }) }));
  await eventually(async () => (await metric(worker!.platform.metrics, "jobs_processed_total", { outcome: "duplicate" })) > dup0, "duplicate to be acknowledged");
  expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_results WHERE job_id = $1", [jobId])).toEqual([{ n: 1 }]);
  expect((await getJob(jobId)).attempts).toBe(1);
});

test("poison messages (invalid body, unknown job) are not dropped: they reach the dead-letter queue", async () => {
  const before = await dlqCount();
  await stack.sqs.client.send(new SendMessageCommand({ QueueUrl: stack.sqs.queueUrl, MessageBody: "{not json" }));
  await stack.sqs.client.send(new SendMessageCommand({ QueueUrl: stack.sqs.queueUrl, MessageBody: JSON.stringify({ jobId: "00000000-0000-4000-8000-000000000000", kind: "catalog-price-summary" }) }));
  await eventually(async () => (await dlqCount()) >= before + 2, "both poison messages in the DLQ", 30000, 250);
  const got = await stack.sqs.client.send(new ReceiveMessageCommand({ QueueUrl: stack.sqs.dlqUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
  expect((got.Messages ?? []).map((m) => m.Body)).toEqual(expect.arrayContaining(["{not json"]));
  expect(await metric(worker!.platform.metrics, "jobs_processed_total", { outcome: "invalid" })).toBeGreaterThanOrEqual(2 * stack.sqs.maxReceiveCount);
  expect(worker!.logs.find((l) => l.msg === "poison message").length).toBeGreaterThanOrEqual(2);
});

test("a job that fails is retried after a visibility backoff and then succeeds once", async () => {
  await sql(stack.pg.url, "ALTER TABLE catalog_items RENAME TO catalog_items_away");
  let restored = false;
  try {
    const { jobId } = (await (await api.fetch("/reports", { method: "POST", json: {} })).json()) as { jobId: string };
    await eventually(async () => worker!.logs.find((l) => l.msg === "message failed; will be redelivered" && (l as { retryInSeconds?: number }).retryInSeconds === 1).length > 0, "a failed attempt");
    await sql(stack.pg.url, "ALTER TABLE catalog_items_away RENAME TO catalog_items");
    restored = true;
    const job = await waitDone(jobId);
    expect(job.attempts).toBeGreaterThanOrEqual(2);
    expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_results WHERE job_id = $1", [jobId])).toEqual([{ n: 1 }]);
  } finally {
    if (!restored) await sql(stack.pg.url, "ALTER TABLE catalog_items_away RENAME TO catalog_items");
  }
});

test("a job that keeps failing is marked failed on its last delivery and its message reaches the DLQ", async () => {
  const before = await dlqCount();
  await sql(stack.pg.url, "ALTER TABLE catalog_items RENAME TO catalog_items_away");
  try {
    const { jobId } = (await (await api.fetch("/reports", { method: "POST", json: {} })).json()) as { jobId: string };
    await eventually(async () => (await getJob(jobId)).status === "failed", "job to be marked failed");
    expect(await getJob(jobId)).toMatchObject({ status: "failed", attempts: stack.sqs.maxReceiveCount });
    await eventually(async () => (await dlqCount()) > before, "message in the DLQ", 30000, 250);
    expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_results WHERE job_id = $1", [jobId])).toEqual([{ n: 0 }]);
  } finally {
    await sql(stack.pg.url, "ALTER TABLE catalog_items_away RENAME TO catalog_items");
  }
});

// SQS refusing or unreachable no longer reaches the caller: the job is committed with its outbox record and the
// relay retries it (test/outbox.test.ts, "SQS unreachable").

test("a burst of submissions is absorbed by the queue: every accepted job completes exactly once", async () => {
  const n = 200;
  const results = await Promise.all(Array.from({ length: n }, () => api.fetch("/reports", { method: "POST", json: {} })));
  expect(results.map((r) => r.status)).toEqual(Array(n).fill(202));
  const ids = await Promise.all(results.map(async (r) => ((await r.json()) as { jobId: string }).jobId));
  await eventually(async () => {
    const [{ n: done }] = await sql<{ n: number }>(stack.pg.url, "SELECT count(*)::int AS n FROM reports_jobs WHERE id = ANY($1) AND status = 'done'", [ids]);
    return done === n;
  }, "burst to drain", 60000, 250);
  expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_results WHERE job_id = ANY($1)", [ids])).toEqual([{ n }]);
});
