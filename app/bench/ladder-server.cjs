// A rung of the throughput ladder (bench/run.ts): the app's own HTTP server (dist/platform/http.js) with only the
// layers named in LADDER_LAYERS (comma list of logging, metrics, tracing, auth), serving the same static JSON as
// bare-server.cjs on a public route. No database, cache or queue: the ladder prices the cross-cutting layers alone.
const { buildHttpServer } = require("../dist/platform/http");
const { Metrics } = require("../dist/platform/metrics");
const { createLogger } = require("../dist/platform/log");
const { initTracing } = require("../dist/platform/tracing");
const { envSchema } = require("../dist/platform/config");

const names = (process.env.LADDER_LAYERS ?? "").split(",").filter(Boolean);
const layers = { logging: false, metrics: false, tracing: false, auth: false };
for (const n of names) {
  if (!(n in layers)) throw new Error(`LADDER_LAYERS: unknown layer ${n}; use ${Object.keys(layers).join(", ")}`);
  layers[n] = true;
}
// The app's defaults, as the API would parse them (only the HTTP settings are used here).
const config = envSchema.parse({ DATABASE_URL: "postgres://unused@127.0.0.1/unused", REDIS_URL: "redis://127.0.0.1", AWS_REGION: "us-east-1", SQS_QUEUE_URL: "http://127.0.0.1/q", RATE_LIMIT_MAX: "10000000" });
const tracing = layers.tracing ? initTracing(config.SERVICE_NAME) : undefined;
const platform = {
  config,
  metrics: new Metrics(),
  log: createLogger({ level: "info", service: "ladder" }),
  lifecycle: { draining: false },
  readiness: async () => ({}),
};
// No request carries a key (the route is public), as in the read benchmark; the hooks still run for every request.
const authenticator = { scopes: ["catalog:write"], verify: async () => null };
const item = { id: 1, sku: "SKU-1", name: "Item 1", description: "benchmark item", priceCents: 1234, version: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
const routes = async (app) => app.get("/catalog/items/:id", { config: { access: "public" } }, async (req) => ({ ...item, id: Number(req.params.id) }));

buildHttpServer(platform, [{ name: "ladder", migrations: [], routes }], authenticator, layers)
  .then((app) => {
    process.on("SIGTERM", () => app.close().then(() => tracing?.shutdown()).then(() => process.exit(0)));
    return app.listen({ host: "127.0.0.1", port: 0 });
  })
  .then((url) => process.stdout.write(`{"url":"${url}","msg":"api listening"}\n`));
