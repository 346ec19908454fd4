// The ceiling for the read benchmark: a bare Fastify route with no hooks, no DB, no cache, same JSON shape.
const Fastify = require("fastify");
const app = Fastify({ logger: false });
const item = { id: 1, sku: "SKU-1", name: "Item 1", description: "benchmark item", priceCents: 1234, version: 1, createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() };
app.get("/catalog/items/:id", async (req) => ({ ...item, id: Number(req.params.id) }));
app.listen({ host: "127.0.0.1", port: 0 }).then((url) => process.stdout.write(`{"url":"${url}","msg":"api listening"}\n`));
process.on("SIGTERM", () => app.close().then(() => process.exit(0)));
