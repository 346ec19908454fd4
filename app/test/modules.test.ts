/**
 * MODULES: a process runs a subset of the modules (routes, migrations, consumers); an unknown name or a dependency
 * that is not local fails the start with a message that names the fix.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, SQS_QUEUE_URL_MISSING } from "../src/platform/config";
import { MODULE_NAMES, selectModules } from "../src/app";
import contract from "../src/contract.json";
import { startApi } from "../src/server";
import { startWorker } from "../src/worker";
import { LogCapture, eventually, spawnEntry, startLocalStack, startTestApi, waitForExit, type LocalStack } from "./support/harness";

let stack: LocalStack;

beforeAll(async () => {
  stack = await startLocalStack();
});
afterAll(async () => {
  await stack?.stop();
});

test("MODULES=catalog: catalog routes work, the reports (and other modules') routes answer 404", async () => {
  const api = await startTestApi(stack, { MODULES: "catalog", RUN_MIGRATIONS: "true" });
  try {
    const created = await api.fetch("/catalog/items", { method: "POST", json: { sku: "M-1", name: "M-1", priceCents: 100 } });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: number };
    expect((await api.fetch(`/catalog/items/${id}`)).status).toBe(200);
    for (const [method, path] of [["POST", "/reports"], ["GET", "/jobs/00000000-0000-4000-8000-000000000000"], ["GET", "/accounts/keys"], ["GET", "/webhooks/deliveries"]] as const) {
      const res = await api.fetch(path, { method, ...(method === "POST" ? { json: {} } : {}) });
      expect({ path, status: res.status }).toEqual({ path, status: 404 });
    }
    expect(api.app.routeTable.map((r) => r.url).filter((u) => !u.startsWith("/catalog") && !/^\/(healthz|readyz)$/.test(u))).toEqual([]);
  } finally {
    await api.close();
  }
});

test("MODULES=reports,webhooks: reports accepts jobs, catalog answers 404", async () => {
  const api = await startTestApi(stack, { MODULES: "reports,webhooks" });
  try {
    expect((await api.fetch("/reports", { method: "POST", json: {} })).status).toBe(202);
    expect((await api.fetch("/catalog/items/1")).status).toBe(404);
  } finally {
    await api.close();
  }
});

// The platform routes an extracted module's paths to its own Service by contract.json's routePrefixes (the mesh's
// VirtualService, infra/app.ts): every route of that module must be under them, and no other module's route may be,
// or requests would reach a process that answers 404.
test("contract.json's routePrefixes partition the routes: an extracted module serves only under its prefixes, no other module's route is under them", async () => {
  expect([...contract.modules].sort()).toEqual([...MODULE_NAMES].sort());
  const full = await startTestApi(stack, {});
  try {
    const own = (u: string) => !/^\/(healthz|readyz)$/.test(u);
    const allRoutes = full.app.routeTable.map((r) => r.url).filter(own);
    for (const [module, prefixes] of Object.entries(contract.routePrefixes as Record<string, string[]>)) {
      const api = await startTestApi(stack, { MODULES: module });
      try {
        const moduleRoutes = new Set(api.app.routeTable.map((r) => r.url).filter(own));
        expect(moduleRoutes.size).toBeGreaterThan(0);
        const under = (u: string) => prefixes.some((p) => u.startsWith(p));
        expect({ module, outside: [...moduleRoutes].filter((u) => !under(u)) }).toEqual({ module, outside: [] });
        expect({ module, othersUnder: allRoutes.filter((u) => !moduleRoutes.has(u) && under(u)) }).toEqual({ module, othersUnder: [] });
      } finally {
        await api.close();
      }
    }
  } finally {
    await full.close();
  }
});

test("an unknown module name fails at start, naming the valid ones", async () => {
  await expect(startApi(stack.env({ MODULES: "catalog,billing" }))).rejects.toThrow(
    new ConfigError(["MODULES: unknown module billing; valid modules are accounts, catalog, reports, webhooks (fix its value)"]),
  );
  // The built entry point exits 1 with that message, before connecting to anything.
  const server = spawnEntry("server", stack.env({ MODULES: "billing", PORT: "0", METRICS_PORT: "0" }));
  expect((await waitForExit(server)).code).toBe(1);
  expect(server.output()).toContain("MODULES: unknown module billing; valid modules are accounts, catalog, reports, webhooks");
});

test("a dependency that is not local fails the start, naming the missing module and the fix", async () => {
  expect(() => selectModules("reports", "api")).toThrow("MODULES: reports needs the webhooks module in the api (it stores a submission's callbackUrl in the job's transaction); add webhooks to MODULES, e.g. MODULES=reports,webhooks");
  await expect(startWorker(stack.env({ MODULES: "reports,webhooks" }))).rejects.toThrow("MODULES: reports needs the catalog module in the worker (the worker builds reports from catalog's price summary); add catalog to MODULES, e.g. MODULES=reports,webhooks,catalog");
  expect([...selectModules(undefined, "worker")]).toEqual(["accounts", "catalog", "reports", "webhooks"]);
  expect([...selectModules(" catalog , accounts ", "api")]).toEqual(["catalog", "accounts"]);
});

/**
 * Test double standing in for SQS: a loopback HTTP server that records every request and answers 500. Pointing
 * SQS_ENDPOINT at it makes any SQS call a process makes visible here (and fail, as if SQS were down).
 */
class RecordingSqsStub {
  readonly requests: { method: string; target: string }[] = [];
  private server?: Server;
  endpoint = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        // The SQS JSON protocol names the action in x-amz-target (AmazonSQS.GetQueueAttributes ...).
        this.requests.push({ method: req.method ?? "", target: String(req.headers["x-amz-target"] ?? req.url) });
        res.writeHead(500, { "content-type": "application/x-amz-json-1.0" }).end(JSON.stringify({ __type: "InternalError", message: "test double: SQS is down" }));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, "127.0.0.1", r));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  get queueUrl(): string {
    return `${this.endpoint}/000000000000/jobs`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((r) => this.server?.close(r));
  }
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("processes without the reports module make no SQS call", () => {
  let sqs: RecordingSqsStub;
  beforeEach(async () => {
    sqs = await new RecordingSqsStub().start();
  });
  afterEach(() => sqs.stop());
  // A queue depth poll every 50 ms: a process that polled would have called the stub several times in 500 ms.
  const againstStub = (overrides: Record<string, string> = {}) => ({ SQS_ENDPOINT: sqs.endpoint, SQS_QUEUE_URL: sqs.queueUrl, SQS_DLQ_URL: `${sqs.endpoint}/000000000000/jobs-dlq`, QUEUE_DEPTH_POLL_MS: "50", ...overrides });

  test("MODULES=catalog serves catalog and is ready with SQS down, and sends SQS nothing: the proof that contract.json's catalog-api entry (no SQS action) is right", async () => {
    // This is what the "catalog-api" entry of src/contract.json (rds-db:connect and elasticache:Connect only) rests
    // on: the API run with MODULES=catalog performs no SQS action, so its own role can go without any SQS grant.
    const api = await startTestApi(stack, againstStub({ MODULES: "catalog" }));
    try {
      const created = await api.fetch("/catalog/items", { method: "POST", json: { sku: "NOQ-1", name: "No queue", priceCents: 250 } });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: number };
      const got = await api.fetch(`/catalog/items/${id}`);
      expect(got.status).toBe(200);
      expect(await got.json()).toMatchObject({ id, sku: "NOQ-1" });
      const list = await api.fetch("/catalog/items");
      expect(list.status).toBe(200);
      const ready = await api.fetch("/readyz", { auth: false });
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks).toEqual({ postgres: "ok", redis: "ok" });
      await pause(500);
      expect(sqs.requests).toEqual([]);
    } finally {
      await api.close();
    }
  });

  test("contrast: the full API against the same stub does call SQS and is not ready, so the stub really is a down SQS", async () => {
    const api = await startTestApi(stack, againstStub());
    try {
      const ready = await api.fetch("/readyz", { auth: false });
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { checks: Record<string, string> }).checks).toEqual({ postgres: "ok", redis: "ok", sqs: "down" });
      await eventually(async () => sqs.requests.some((r) => r.target === "AmazonSQS.GetQueueAttributes"), "the full API to call SQS");
    } finally {
      await api.close();
    }
  });

  test("a webhooks-only worker starts no queue consumer or relay, is ready without SQS, and sends SQS nothing", async () => {
    const worker = await startWorker(stack.env(againstStub({ MODULES: "webhooks", WORKER_WAIT_TIME_S: "1", READINESS_CACHE_MS: "0" })), { logDestination: new LogCapture() });
    try {
      expect(worker.consumer).toBeUndefined();
      expect(await worker.platform.readiness()).toEqual({ postgres: "ok", redis: "ok" });
      expect(worker.platform.producer).toBeUndefined();
      await pause(500);
      expect(sqs.requests).toEqual([]);
    } finally {
      await worker.close();
    }
    // The contrast: a worker with reports polls the queue (the stub answers every receive with 500).
    const full = await startWorker(stack.env(againstStub({ WORKER_WAIT_TIME_S: "1", READINESS_CACHE_MS: "0" })), { logDestination: new LogCapture() });
    try {
      expect(full.consumer).toBeDefined();
      await eventually(async () => sqs.requests.some((r) => r.target === "AmazonSQS.ReceiveMessage"), "the reports worker to receive from SQS");
      expect((await full.platform.readiness()).sqs).toBe("down");
    } finally {
      await full.close();
    }
  });

  test("SQS_QUEUE_URL is needed only with reports: MODULES=catalog (and a webhooks-only worker) start without it; the full API and worker fail naming it", async () => {
    const withoutQueue = (overrides: Record<string, string> = {}) => {
      const env = stack.env({ METRICS_PORT: "0", ...overrides });
      delete env.SQS_QUEUE_URL;
      return env;
    };
    const api = await startApi(withoutQueue({ MODULES: "catalog" }), { logDestination: new LogCapture() });
    try {
      expect((await fetch(`${api.url}/readyz`)).status).toBe(200);
    } finally {
      await api.close();
    }
    const worker = await startWorker(withoutQueue({ MODULES: "webhooks" }), { logDestination: new LogCapture() });
    await worker.close();
    await expect(startApi(withoutQueue())).rejects.toThrow(new ConfigError([SQS_QUEUE_URL_MISSING]));
    await expect(startApi(withoutQueue({ MODULES: "reports,webhooks" }))).rejects.toThrow(SQS_QUEUE_URL_MISSING);
    await expect(startWorker(withoutQueue())).rejects.toThrow(new ConfigError([SQS_QUEUE_URL_MISSING]));
    expect(SQS_QUEUE_URL_MISSING).toBe("SQS_QUEUE_URL: required by the reports module (the job queue's URL) (it is not set)");
  });
});
