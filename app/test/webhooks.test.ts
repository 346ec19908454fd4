/**
 * Webhooks on job completion, end to end: real PostgreSQL, Redis and fauxqs, the API and the worker in-process, and
 * a real HTTP receiver on loopback on a random port (so these runs set WEBHOOK_ALLOW_PRIVATE_TARGETS,
 * WEBHOOK_ALLOW_HTTP and WEBHOOK_PORTS=any, except where a test shows what happens without them).
 */
import { createHmac, randomUUID } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { buildModules } from "../src/app";
import { SecretBox } from "../src/modules/webhooks/secrets";
import { deriveWebhookSecretKey } from "../src/platform/config";
import { startApi } from "../src/server";
import { startWorker } from "../src/worker";
import type { RunningWorker } from "../src/worker";
import { LogCapture, eventually, metric, sql, startLocalStack, startTestApi, startTestWorker, type LocalStack, type TestApi } from "./support/harness";
import { WebhookReceiver, type ReceivedWebhook } from "./support/webhook-receiver";

const SECRET_KEY = Buffer.alloc(32, 42).toString("base64");
const allowances = { WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", WEBHOOK_PORTS: "any" };
const permissive = { ...allowances, WEBHOOK_SECRET_KEY: SECRET_KEY };
// A short visibility timeout: a long poll cut by the worker restart below can hold a message until it expires.
const fastRetries = { WORKER_VISIBILITY_TIMEOUT_S: "2", WORKER_MAX_BACKOFF_S: "1", WEBHOOK_MAX_ATTEMPTS: "3", WEBHOOK_BACKOFF_BASE_MS: "50", WEBHOOK_BACKOFF_CAP_MS: "200", WEBHOOK_POLL_MS: "50", WEBHOOK_TIMEOUT_MS: "2000" };

let stack: LocalStack;
let api: TestApi;
let worker: (RunningWorker & { logs: LogCapture }) | undefined;
let receiver: WebhookReceiver;

interface Delivery {
  id: string;
  webhookId: string;
  jobId: string;
  state: "pending" | "delivered" | "dead";
  attempts: number;
  redeliveries: number;
  lastStatus: number | null;
  lastError: string | null;
}

/** A client: an API key holding `reports`, and its signing secret (shown once). */
async function client(withSecret = true): Promise<{ id: string; key: string; secret?: string; as: TestApi["fetch"] }> {
  const { id, key } = await api.createKey(["reports"]);
  const as: TestApi["fetch"] = (path, init = {}) => api.fetch(path, { ...init, auth: false, headers: { ...(init.headers as Record<string, string>), "x-api-key": key } });
  if (!withSecret) return { id, key, as };
  const res = await as("/webhooks/secret", { method: "POST" });
  expect(res.status).toBe(201);
  const { secret } = (await res.json()) as { secret: string };
  return { id, key, secret, as };
}

async function submit(as: TestApi["fetch"], callbackUrl: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await as("/reports", { method: "POST", json: { callbackUrl }, headers });
  expect(res.status).toBe(202);
  return ((await res.json()) as { jobId: string }).jobId;
}

async function deliveryOf(as: TestApi["fetch"], jobId: string): Promise<Delivery | undefined> {
  const res = await as(`/webhooks/deliveries?jobId=${jobId}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { items: Delivery[] }).items[0];
}

const waitState = (as: TestApi["fetch"], jobId: string, state: Delivery["state"]) =>
  eventually(async () => {
    const d = await deliveryOf(as, jobId);
    return d?.state === state ? d : undefined;
  }, `job ${jobId}'s delivery to be ${state}`);

/** The Standard Webhooks check, written out: HMAC-SHA256 of "<id>.<timestamp>.<body>" under the base64 key after whsec_. */
function specSignature(secret: string, r: ReceivedWebhook): string {
  const key = Buffer.from(secret.slice("whsec_".length), "base64");
  return `v1,${createHmac("sha256", key).update(`${r.headers["webhook-id"]}.${r.headers["webhook-timestamp"]}.${r.body}`).digest("base64")}`;
}

const headersOf = (r: ReceivedWebhook) => r.headers as Record<string, string>;

beforeAll(async () => {
  stack = await startLocalStack({ maxReceiveCount: 3 });
  receiver = await new WebhookReceiver().start();
  api = await startTestApi(stack, { ...permissive, RATE_LIMIT_MAX: "100000" });
  worker = await startTestWorker(stack, { ...permissive, ...fastRetries });
});
afterAll(async () => {
  await worker?.close();
  await api?.close();
  await receiver?.stop();
  await stack?.stop();
});

test("the signing secret is shown once and stored sealed; a finished job is POSTed once, signed, and the receiver verifies it", async () => {
  const c = await client();
  expect(c.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  // Shown once: asking again does not show it again.
  const again = await c.as("/webhooks/secret", { method: "POST" });
  expect(again.status).toBe(409);
  expect(((await again.json()) as { message: string }).message).toMatch(/rotate it with POST \/webhooks\/secret\/rotate/);
  const [row] = await sql<{ secret: Buffer; encryption: string }>(stack.pg.url, "SELECT secret, encryption FROM webhooks_secrets WHERE owner = $1", [c.id]);
  expect(row.encryption).toBe("aes-256-gcm");
  expect(row.secret.includes(Buffer.from(c.secret!.slice(6), "base64"))).toBe(false);

  const url = receiver.script("/signed", [200]);
  const jobId = await submit(c.as, url, { "x-request-id": "webhook-corr-1" });
  const delivery = await waitState(c.as, jobId, "delivered");
  expect(delivery).toMatchObject({ jobId, attempts: 1, redeliveries: 0, lastStatus: 200, lastError: null });

  const [got] = receiver.on("/signed");
  expect(receiver.on("/signed")).toHaveLength(1);
  expect(got.headers["content-type"]).toBe("application/json");
  expect(got.headers["webhook-id"]).toBe(delivery.webhookId);
  expect(Math.abs(Number(got.headers["webhook-timestamp"]) - Date.now() / 1000)).toBeLessThan(60);
  // The official library accepts it with the secret shown once, and so does the spec's algorithm written out.
  const payload = new Webhook(c.secret!).verify(got.body, headersOf(got));
  expect(payload).toMatchObject({ type: "report.completed", data: { jobId, status: "done", error: null, location: `/jobs/${jobId}`, resultLocation: `/jobs/${jobId}/result` } });
  expect(got.headers["webhook-signature"]).toBe(specSignature(c.secret!, got));
  // A tampered body or another secret does not verify.
  expect(() => new Webhook(c.secret!).verify(got.body.replace("done", "dona"), headersOf(got))).toThrow(/No matching signature/);
  expect(() => new Webhook("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").verify(got.body, headersOf(got))).toThrow(/No matching signature/);

  // The callback URL is the webhooks module's, not part of the job's params.
  const job = (await (await c.as(`/jobs/${jobId}`)).json()) as { params: Record<string, unknown> };
  expect(job.params).not.toHaveProperty("callbackUrl");
  const logged = worker!.logs.find((l) => l.msg === "webhook delivered" && l.jobId === jobId);
  expect(logged).toHaveLength(1);
  expect(logged[0]).toMatchObject({ correlationId: "webhook-corr-1", deliveryId: delivery.id, status: 200 });
  expect(await metric(worker!.platform.metrics, "webhook_deliveries_total", { outcome: "delivered" })).toBeGreaterThanOrEqual(1);
  expect(await metric(worker!.platform.metrics, "webhook_delivery_attempts_total", { result: "success" })).toBeGreaterThanOrEqual(1);
});

test("a receiver that fails twice then answers 2xx is retried with backoff and ends delivered, with one webhook-id throughout", async () => {
  const c = await client();
  const url = receiver.script("/flaky", [500, 503, 200]);
  const jobId = await submit(c.as, url);
  const delivery = await waitState(c.as, jobId, "delivered");
  expect(delivery).toMatchObject({ attempts: 3, lastStatus: 200, lastError: null });
  const calls = receiver.on("/flaky");
  expect(calls).toHaveLength(3);
  expect(new Set(calls.map((r) => r.headers["webhook-id"]))).toEqual(new Set([delivery.webhookId]));
  for (const r of calls) expect(() => new Webhook(c.secret!).verify(r.body, headersOf(r))).not.toThrow();
  expect(await metric(worker!.platform.metrics, "webhook_delivery_attempts_total", { result: "http_error" })).toBeGreaterThanOrEqual(2);
  expect(worker!.logs.find((l) => l.msg === "webhook attempt failed; retrying" && l.jobId === jobId)).toHaveLength(2);
});

test("a receiver that always fails ends dead, visible to the job's key only; a manual redeliver to the fixed receiver delivers", async () => {
  const c = await client();
  const url = receiver.script("/down", [500]);
  const deadBefore = await metric(worker!.platform.metrics, "webhook_deliveries_total", { outcome: "dead" });
  const jobId = await submit(c.as, url);
  const dead = await waitState(c.as, jobId, "dead");
  expect(dead).toMatchObject({ attempts: 3, lastStatus: 500, lastError: "HTTP 500: answer 500" });
  expect(receiver.on("/down")).toHaveLength(3);
  expect(await metric(worker!.platform.metrics, "webhook_deliveries_total", { outcome: "dead" })).toBe(deadBefore + 1);
  expect(worker!.logs.find((l) => String(l.msg).startsWith("webhook delivery dead") && l.jobId === jobId)).toHaveLength(1);
  expect((await (await c.as(`/webhooks/deliveries/${dead.id}`)).json()) as Delivery).toMatchObject({ id: dead.id, state: "dead" });

  // Another key sees nothing: the same 404 as for a delivery that does not exist.
  const other = await client(false);
  expect((await other.as(`/webhooks/deliveries/${dead.id}`)).status).toBe(404);
  expect((await other.as(`/webhooks/deliveries/${dead.id}/redeliver`, { method: "POST" })).status).toBe(404);
  expect(await deliveryOf(other.as, jobId)).toBeUndefined();

  // The receiver is fixed; the owner redelivers.
  receiver.script("/down", [200]);
  const res = await c.as(`/webhooks/deliveries/${dead.id}/redeliver`, { method: "POST" });
  expect(res.status).toBe(202);
  expect(await res.json()).toMatchObject({ id: dead.id, state: "pending", attempts: 0, redeliveries: 1 });
  const delivered = await waitState(c.as, jobId, "delivered");
  expect(delivered).toMatchObject({ attempts: 1, redeliveries: 1, lastStatus: 200 });
  const calls = receiver.on("/down");
  expect(calls).toHaveLength(4);
  expect(calls[3].headers["webhook-id"]).toBe(dead.webhookId);
  expect(() => new Webhook(c.secret!).verify(calls[3].body, headersOf(calls[3]))).not.toThrow();
});

test("a pending delivery cannot be redelivered (409): it is already being retried", async () => {
  const c = await client();
  // The first attempt hangs until WEBHOOK_TIMEOUT_MS, so the delivery is surely pending while it is asked to redeliver.
  const jobId = await submit(c.as, receiver.script("/slow", ["hang", 200]));
  await eventually(async () => receiver.on("/slow").length === 1, "the first attempt to arrive");
  const pending = (await deliveryOf(c.as, jobId))!;
  expect(pending.state).toBe("pending");
  const res = await c.as(`/webhooks/deliveries/${pending.id}/redeliver`, { method: "POST" });
  expect(res.status).toBe(409);
  expect(await res.json()).toMatchObject({ error: "delivery_pending" });
  expect(await waitState(c.as, jobId, "delivered")).toMatchObject({ attempts: 2, redeliveries: 0 });
});

test("after a rotation each delivery carries two signatures: the new secret and the old one both verify", async () => {
  const c = await client();
  const rotated = await c.as("/webhooks/secret/rotate", { method: "POST" });
  expect(rotated.status).toBe(200);
  const { secret, previousValidUntil } = (await rotated.json()) as { secret: string; previousValidUntil: string };
  expect(secret).not.toBe(c.secret);
  expect(new Date(previousValidUntil).getTime()).toBeGreaterThan(Date.now());
  const jobId = await submit(c.as, receiver.script("/rotated", [200]));
  await waitState(c.as, jobId, "delivered");
  const [got] = receiver.on("/rotated");
  expect(String(got.headers["webhook-signature"]).split(" ")).toHaveLength(2);
  expect(new Webhook(secret).verify(got.body, headersOf(got))).toMatchObject({ data: { jobId } });
  expect(new Webhook(c.secret!).verify(got.body, headersOf(got))).toMatchObject({ data: { jobId } });
  // Rotating needs a secret to rotate.
  const none = await client(false);
  expect((await none.as("/webhooks/secret/rotate", { method: "POST" })).status).toBe(404);
});

test("validation: a bad callbackUrl, or a key without a signing secret, answers 400 naming callbackUrl; no job is stored", async () => {
  const c = await client();
  const fieldsOf = async (res: Response) => {
    expect(res.status).toBe(400);
    return ((await res.json()) as { fields: { field: string; message: string }[] }).fields;
  };
  const jobsBefore = await sql<{ n: number }>(stack.pg.url, "SELECT count(*)::int AS n FROM reports_jobs");
  for (const [callbackUrl, message] of [
    ["ftp://example.com/hook", /must use https or http \(got ftp\)/],
    ["https://user:secret@example.com/hook", /must not contain a user or password/],
    ["not a url", /absolute URL/],
    [`https://example.com/${"x".repeat(2048)}`, /at most 2048/],
    [7, /must be a string|expected string/],
  ] as const) {
    const fields = await fieldsOf(await c.as("/reports", { method: "POST", json: { callbackUrl } }));
    expect(fields.map((f) => f.field)).toEqual(["callbackUrl"]);
    expect(fields[0].message).toMatch(message);
  }
  const noSecret = await client(false);
  const fields = await fieldsOf(await noSecret.as("/reports", { method: "POST", json: { callbackUrl: "https://example.com/hook" } }));
  expect(fields).toEqual([{ field: "callbackUrl", message: expect.stringMatching(/no webhook signing secret: create one with POST \/webhooks\/secret/) }]);
  expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_jobs")).toEqual(jobsBefore);

  const bad = await c.as("/webhooks/deliveries?jobId=nope");
  expect((await fieldsOf(bad)).map((f) => f.field)).toEqual(["jobId"]);

  // Without the allowances (production's defaults): http and internal literal addresses are refused at submission.
  const strict = await startTestApi(stack, { WEBHOOK_SECRET_KEY: SECRET_KEY });
  try {
    const as: TestApi["fetch"] = (path, init = {}) => strict.fetch(path, { ...init, auth: false, headers: { "x-api-key": c.key } });
    const http = await fieldsOf(await as("/reports", { method: "POST", json: { callbackUrl: `${receiver.url}/hook` } }));
    expect(http.map((f) => f.message).join("; ")).toMatch(/must use https \(got http\).*must reach a public address: 127\.0\.0\.1 is loopback/);
    const metadata = await fieldsOf(await as("/reports", { method: "POST", json: { callbackUrl: "https://169.254.169.254/latest" } }));
    expect(metadata).toEqual([{ field: "callbackUrl", message: "must reach a public address: 169.254.169.254 is linkLocal" }]);
    // And only the contract's ports (443) by default: a public https URL on another port is refused too, and no job is stored.
    const before = await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_jobs");
    const port = await fieldsOf(await as("/reports", { method: "POST", json: { callbackUrl: "https://example.com:8443/hook" } }));
    expect(port).toEqual([{ field: "callbackUrl", message: "must use port 443 (WEBHOOK_PORTS); the platform's network policy allows only these (got 8443)" }]);
    expect(await sql(stack.pg.url, "SELECT count(*)::int AS n FROM reports_jobs")).toEqual(before);
    expect((await as("/reports", { method: "POST", json: { callbackUrl: "https://example.com/hook" } })).status).toBe(202);
  } finally {
    await strict.close();
  }
});

test("a job that fails on its last delivery is reported as failed, signed like any other", async () => {
  const c = await client();
  await sql(stack.pg.url, "ALTER TABLE catalog_items RENAME TO catalog_items_away");
  try {
    const jobId = await submit(c.as, receiver.script("/failed", [200]));
    await waitState(c.as, jobId, "delivered");
  } finally {
    await sql(stack.pg.url, "ALTER TABLE catalog_items_away RENAME TO catalog_items");
  }
  const [got] = receiver.on("/failed");
  const payload = new Webhook(c.secret!).verify(got.body, headersOf(got)) as { data: Record<string, unknown> };
  expect(payload.data).toMatchObject({ status: "failed", error: expect.stringMatching(/catalog_items/) });
  expect(payload.data).not.toHaveProperty("resultLocation");
});

test("several delivery loops share the due rows (SKIP LOCKED): each delivery is sent once; a job reported finished twice gets one delivery", async () => {
  const c = await client();
  const { webhooks } = buildModules(api.platform);
  const second = webhooks.api.startDelivery(api.platform.log);
  try {
    const jobs = Array.from({ length: 12 }, (_, i) => ({ id: randomUUID(), path: `/shared/${i}` }));
    for (const j of jobs) {
      await webhooks.api.register(j.id, receiver.script(j.path, [200]), c.id);
      const finished = { id: j.id, status: "done", error: null, correlationId: `shared-${j.path}` };
      await Promise.all([webhooks.api.jobCompleted(finished), webhooks.api.jobCompleted(finished)]);
    }
    for (const j of jobs) await waitState(c.as, j.id, "delivered");
    expect(jobs.map((j) => receiver.on(j.path).length)).toEqual(jobs.map(() => 1));
    const counts = await sql<{ n: number }>(stack.pg.url, "SELECT count(*)::int AS n FROM webhooks_deliveries WHERE job_id = ANY($1::uuid[]) GROUP BY job_id", [jobs.map((j) => j.id)]);
    expect(counts).toEqual(jobs.map(() => ({ n: 1 })));
  } finally {
    await second.stop();
  }
});

test("SSRF end to end: with the allowance off, a callback whose host resolves to loopback is refused at every attempt and ends dead; nothing reaches it", async () => {
  // A worker with production's rule (private targets refused). http stays allowed so the receiver could be reached.
  await worker?.close();
  // Any port, so that only the address rule is at work here.
  worker = await startTestWorker(stack, { WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_PORTS: "any", WEBHOOK_SECRET_KEY: SECRET_KEY, ...fastRetries, WEBHOOK_MAX_ATTEMPTS: "2" });
  const c = await client();
  // A host name, not a literal address: it passes submission and is judged when resolved, at delivery.
  const url = receiver.script("/internal", [200]).replace("127.0.0.1", "localhost");
  const jobId = await submit(c.as, url);
  const dead = await waitState(c.as, jobId, "dead");
  expect(dead.attempts).toBe(2);
  expect(dead.lastError).toMatch(/^localhost resolves to (127\.0\.0\.1|::1) \(loopback\); only public addresses are allowed$/);
  expect(receiver.on("/internal")).toHaveLength(0);
  expect(await metric(worker.platform.metrics, "webhook_delivery_attempts_total", { result: "refused" })).toBe(2);
});

test("a callback on a port WEBHOOK_PORTS no longer allows is refused at send time: each attempt is recorded as refused, it ends dead, nothing reaches it", async () => {
  // The API (WEBHOOK_PORTS=any) accepted the URL; this worker has the production default (443 only), as after a
  // change of WEBHOOK_PORTS between submission and delivery.
  await worker?.close();
  worker = await startTestWorker(stack, { WEBHOOK_ALLOW_HTTP: "true", WEBHOOK_ALLOW_PRIVATE_TARGETS: "true", WEBHOOK_SECRET_KEY: SECRET_KEY, ...fastRetries, WEBHOOK_MAX_ATTEMPTS: "2" });
  const c = await client();
  const url = receiver.script("/wrong-port", [200]);
  const jobId = await submit(c.as, url);
  const dead = await waitState(c.as, jobId, "dead");
  expect(dead).toMatchObject({ attempts: 2, lastStatus: null });
  expect(dead.lastError).toBe(`127.0.0.1 port ${new URL(url).port} is not allowed: callback URLs must use port 443 (WEBHOOK_PORTS); the platform's network policy allows only these`);
  expect(receiver.on("/wrong-port")).toHaveLength(0);
  expect(await metric(worker.platform.metrics, "webhook_delivery_attempts_total", { result: "refused" })).toBe(2);
  expect(worker.logs.find((l) => String(l.msg).startsWith("webhook delivery dead") && l.jobId === jobId)).toHaveLength(1);
});

test("WEBHOOK_SECRET_KEY_SECRET_ARN: the key derived from the secret's material seals signing secrets at rest, and the worker opens them to sign", async () => {
  const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:webhook-key-AbCdEf";
  // What the platform stores: a random password of 64 letters and digits (not base64 of a key).
  const material = "Q7wLk2Rz9XbN4mTd8VhY3cPj6sGf1aKe5uWq0nZx7yBr2tLo9iMv4pHd8gSjC3wE";
  const read: string[] = [];
  const readSecret = async (id: string) => {
    read.push(id);
    if (id !== arn) throw new Error(`unexpected secret ${id}`);
    return material;
  };
  const env = (overrides: Record<string, string>) => stack.env({ ...allowances, ...fastRetries, WEBHOOK_SECRET_KEY_SECRET_ARN: arn, ...overrides });
  await worker?.close();
  worker = undefined;
  const arnApi = await startApi(env({ METRICS_PORT: "0" }), { readSecret });
  try {
    const logs = new LogCapture();
    worker = { ...(await startWorker(env({ WORKER_WAIT_TIME_S: "1" }), { readSecret, logDestination: logs })), logs };
    expect(read).toEqual([arn, arn]);
    const { id: owner, key } = await buildModules(arnApi.platform).accounts.api.createKey({ name: "arn-key", scopes: ["reports"] });
    const as: TestApi["fetch"] = (path, init = {}) => {
      const headers = new Headers(init.headers);
      headers.set("x-api-key", key);
      if (init.json !== undefined) headers.set("content-type", "application/json");
      return fetch(`${arnApi.url}${path}`, { ...init, headers, body: init.json !== undefined ? JSON.stringify(init.json) : init.body });
    };
    const created = await as("/webhooks/secret", { method: "POST" });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const shown = Buffer.from(secret.slice("whsec_".length), "base64");

    // Stored sealed, not in clear, and it opens with exactly the HKDF-derived key (not with the raw material).
    const [row] = await sql<{ secret: Buffer; encryption: string }>(stack.pg.url, "SELECT secret, encryption FROM webhooks_secrets WHERE owner = $1", [owner]);
    expect(row.encryption).toBe("aes-256-gcm");
    expect(row.secret.includes(shown)).toBe(false);
    expect(new SecretBox(deriveWebhookSecretKey(material).toString("base64")).open(owner, row.secret, row.encryption)).toEqual(shown);
    expect(() => new SecretBox(SECRET_KEY).open(owner, row.secret, row.encryption)).toThrow();

    // The worker, given the same ARN, opens it and signs: the receiver verifies with the secret shown once.
    const jobId = await submit(as, receiver.script("/arn-key", [200]));
    await waitState(as, jobId, "delivered");
    const [got] = receiver.on("/arn-key");
    expect(new Webhook(secret).verify(got.body, headersOf(got))).toMatchObject({ data: { jobId } });
  } finally {
    await arnApi.close();
  }
});
