import { execFile } from "node:child_process";
import { createServer, type Server } from "node:http";
import { promisify } from "node:util";
import { SpanKind, context, extractContext, initTracing, injectCarrier, trace, tracer } from "../src/platform/tracing";
import { builtFile } from "./support/harness";

test("trace context crosses the queue: producer span -> message attributes -> consumer span in the same trace", () => {
  initTracing("tracing-test");
  const apiSpan = tracer().startSpan("POST /reports", { kind: SpanKind.SERVER });
  const carrier = injectCarrier(trace.setSpan(context.active(), apiSpan));
  expect(carrier.traceparent).toMatch(new RegExp(`^00-${apiSpan.spanContext().traceId}-[0-9a-f]{16}-01$`));
  const consumer = tracer().startSpan("reports.process", { kind: SpanKind.CONSUMER }, extractContext(carrier));
  expect(consumer.spanContext().traceId).toBe(apiSpan.spanContext().traceId);
  consumer.end();
  apiSpan.end();
});

describe("OTLP export", () => {
  let server: Server;
  const received: { path: string; bytes: number }[] = [];
  beforeAll(async () => {
    // Loopback stand-in for an OTLP/HTTP collector.
    server = createServer((req, res) => {
      let bytes = 0;
      req.on("data", (d: Buffer) => (bytes += d.length));
      req.on("end", () => {
        received.push({ path: req.url ?? "", bytes });
        res.writeHead(200, { "content-type": "application/json" });
        res.end("{}");
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  // The exporter loads its HTTP transport with a dynamic import, which jest's CommonJS sandbox cannot run:
  // exercise the built module in a plain Node process instead (the same code the image runs).
  test("spans are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is configured", async () => {
    const endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    const script = `const t = require(${JSON.stringify(builtFile("platform/tracing.js"))});
      const tr = t.initTracing("export-test", process.argv[1]);
      t.tracer().startSpan("reports.enqueue").end();
      tr.shutdown().then(() => process.exit(0));`;
    await promisify(execFile)(process.execPath, ["-e", script, endpoint]);
    expect(received.some((r) => r.path === "/v1/traces" && r.bytes > 0)).toBe(true);
  });
});
