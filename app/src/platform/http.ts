import { randomUUID } from "node:crypto";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from "fastify";
import rateLimit from "@fastify/rate-limit";
import { ZodError } from "zod";
import { HttpError } from "./errors";
import type { Migration } from "./db";
import type { Platform } from "./platform";
import { SpanKind, SpanStatusCode, context, extractContext, trace, tracer, traceIdFromTraceparent, type Context, type Span } from "./tracing";
import { CREDENTIAL_HEADER } from "./contract";

/** The authenticated caller, set by the accounts module's `authenticate` hook. */
export interface Principal {
  keyId: string;
  name: string;
}

declare module "fastify" {
  interface FastifyRequest {
    /** OpenTelemetry context of this request's server span; pass it on to anything that crosses a process boundary. */
    otelContext: Context;
    otelSpan: Span;
    principal?: Principal;
  }
}

/** What a domain module hands to the composition root. */
export interface AppModule {
  name: string;
  migrations: Migration[];
  routes?: FastifyPluginAsync;
}

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Correlation id: a valid `x-request-id`, else the `traceparent` trace id, else a new UUID. */
export function correlationIdFrom(headers: Record<string, string | string[] | undefined>): string {
  const rid = headers["x-request-id"];
  if (typeof rid === "string" && REQUEST_ID.test(rid)) return rid;
  const tp = headers["traceparent"];
  return traceIdFromTraceparent(typeof tp === "string" ? tp : undefined) ?? randomUUID();
}

/** Turns a ZodError into `[{ field, message }]`. */
export function zodFields(err: ZodError) {
  return err.issues.map((i) => ({ field: i.path.join(".") || "(body)", message: i.message }));
}

/**
 * Builds the API's Fastify instance: correlation ids, tracing, metrics, rate limiting, error handling,
 * health and readiness endpoints, then each module's routes. Metrics are served on their own port
 * ({@link buildMetricsServer}), never on the public one.
 */
export async function buildHttpServer(platform: Platform, modules: AppModule[]): Promise<FastifyInstance> {
  const { config, metrics } = platform;
  const app = Fastify({
    loggerInstance: platform.log as FastifyBaseLogger,
    genReqId: (req) => correlationIdFrom(req.headers),
    // Request logs are written once, by the onResponse hook below, with the correlation id.
    logController: new LogController({ requestIdLogLabel: "correlationId", disableRequestLogging: true }),
    return503OnClosing: true,
    bodyLimit: 64 * 1024,
  });

  app.decorateRequest("otelContext", null as unknown as Context);
  app.decorateRequest("otelSpan", null as unknown as Span);
  app.decorateRequest("principal", undefined);

  app.addHook("onRequest", async (req, reply) => {
    reply.header("x-request-id", req.id);
    const parent = extractContext(req.headers as Record<string, string>);
    const span = tracer().startSpan(`${req.method} ${req.url.split("?")[0]}`, { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method, "correlation.id": req.id } }, parent);
    req.otelSpan = span;
    req.otelContext = trace.setSpan(parent, span);
  });

  app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    const labels = { method: req.method, route, status: String(reply.statusCode) };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    if (reply.statusCode >= 500) metrics.httpErrors.inc(labels);
    req.otelSpan?.setAttribute("http.response.status_code", reply.statusCode);
    req.otelSpan?.setAttribute("http.route", route);
    if (reply.statusCode >= 500) req.otelSpan?.setStatus({ code: SpanStatusCode.ERROR });
    req.otelSpan?.end();
    if (reply.statusCode >= 500 || route === "unmatched") {
      req.log.info({ method: req.method, url: req.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request completed");
    } else {
      req.log.debug({ method: req.method, url: req.url, statusCode: reply.statusCode, ms: Math.round(reply.elapsedTime) }, "request completed");
    }
  });

  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ZodError) {
      return reply.status(400).send({ error: "validation_failed", fields: zodFields(err) });
    }
    if (err instanceof HttpError) {
      if (err.statusCode >= 500) req.log.warn({ err, code: err.code }, err.message);
      return reply.status(err.statusCode).headers(err.headers).send({ error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) });
    }
    const e = err as { statusCode?: number; message?: string; code?: string };
    if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) {
      return reply.status(e.statusCode).send({ error: e.code ?? "bad_request", message: e.message });
    }
    req.log.error({ err, method: req.method, url: req.url, principal: req.principal?.keyId }, "unhandled error");
    req.otelSpan?.recordException(err as Error);
    return reply.status(500).send({ error: "internal_error", message: "internal error", correlationId: req.id });
  });

  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: "not_found", message: `no route ${req.method} ${req.url.split("?")[0]}` }));

  await app.register(rateLimit, {
    max: config.RATE_LIMIT_MAX,
    timeWindow: config.RATE_LIMIT_WINDOW_MS,
    // Per API key when one is presented (its public prefix), else per client address. In-memory per instance.
    keyGenerator: (req) => {
      const key = req.headers[CREDENTIAL_HEADER];
      return typeof key === "string" ? `key:${key.split("_").slice(0, 2).join("_")}` : `ip:${req.ip}`;
    },
    allowList: (req) => ["/healthz", "/readyz"].includes(req.url),
  });

  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/readyz", async (_req, reply) => {
    if (platform.lifecycle.draining) return reply.status(503).send({ status: "draining" });
    const checks = await platform.readiness();
    const ok = Object.values(checks).every((v) => v === "ok");
    return reply.status(ok ? 200 : 503).send({ status: ok ? "ready" : "not_ready", checks });
  });

  // Handlers run outside the request's OTel context; bind it so spans started in services nest correctly.
  app.addHook("preHandler", (req, _reply, done) => context.with(req.otelContext, done));
  for (const m of modules) {
    if (m.routes) await app.register(m.routes);
  }
  return app;
}

/**
 * The API's Prometheus endpoint on its own port (METRICS_PORT): only `GET /metrics`. Kept off the public port so
 * that no Kubernetes Service, Ingress or CloudFront behaviour can reach it.
 */
export function buildMetricsServer(metrics: Platform["metrics"]): FastifyInstance {
  const server = Fastify({ logger: false });
  server.get("/metrics", async (_req, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
  return server;
}
