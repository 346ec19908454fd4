/**
 * MODULES: a process runs a subset of the modules (routes, migrations, consumers); an unknown name or a dependency
 * that is not local fails the start with a message that names the fix.
 */
import { ConfigError } from "../src/platform/config";
import { selectModules } from "../src/app";
import { startApi } from "../src/server";
import { startWorker } from "../src/worker";
import { spawnEntry, startLocalStack, startTestApi, waitForExit, type LocalStack } from "./support/harness";

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
