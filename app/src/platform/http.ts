import { randomUUID } from "node:crypto";
import { BlockList } from "node:net";
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from "fastify";
import rateLimit, { normalizeIP } from "@fastify/rate-limit";
import { ZodError } from "zod";
import { HttpError } from "./errors";
import type { Migration } from "./db";
import type { Platform } from "./platform";
import { SpanKind, SpanStatusCode, context, extractContext, trace, tracer, traceIdFromTraceparent, type Context, type Span } from "./tracing";
import { authenticate, authorize, recordRoutes, type Authenticator } from "./access";

export type { Principal, RouteAccess, RouteEntry, Authenticator } from "./access";

declare module "fastify" {
  interface FastifyRequest {
    /** OpenTelemetry context of this request's server span; pass it on to anything that crosses a process boundary. */
    otelContext: Context;
    otelSpan: Span;
  }
}

/** What a domain module hands to the composition root. */
export interface AppModule {
  name: string;
  migrations: Migration[];
  routes?: FastifyPluginAsync;
}

/**
 * The cross-cutting layers of the API, each on by default. Only the benchmark's throughput ladder turns some off,
 * to price each layer against a bare route (bench/run.ts).
 */
export interface HttpLayers {
  /** Correlation ids, `x-request-id` and the request log line. */
  logging: boolean;
  /** `http_request*` metrics. */
  metrics: boolean;
  /** The OpenTelemetry server span and its context in handlers. */
  tracing: boolean;
  /** Authentication, rate limiting and authorization hooks. */
  auth: boolean;
}
export const ALL_LAYERS: HttpLayers = { logging: true, metrics: true, tracing: true, auth: true };

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

/** Address ranges a load balancer inside the VPC connects from (the platform's VPC CIDRs are private), and loopback. */
const privatePeers = new BlockList();
for (const [net, prefix] of [["10.0.0.0", 8], ["172.16.0.0", 12], ["192.168.0.0", 16], ["100.64.0.0", 10], ["127.0.0.0", 8]] as const) privatePeers.addSubnet(net, prefix, "ipv4");
for (const [net, prefix] of [["fc00::", 7], ["fe80::", 10], ["::1", 128]] as const) privatePeers.addSubnet(net, prefix, "ipv6");

/**
 * Fastify `trustProxy` function: trust the last `hops` entries of the address chain (the socket peer, then
 * X-Forwarded-For from right to left), so `req.ip` is the address the outermost trusted proxy saw. Behind
 * CloudFront and the ALB (hops = 2) that is the viewer's address as CloudFront appended it; anything a client
 * puts in X-Forwarded-For itself sits further left and is ignored. The peer must also be a private address:
 * a client connecting directly from outside (a misconfigured exposure) cannot pose as the proxies.
 * (Fastify treats a bare hop count as "trust nothing" for exactly that reason.)
 */
export function proxyTrust(hops: number): (address: string, hop: number) => boolean {
  return (address, hop) => hop < hops && (hop > 0 || privatePeers.check(address, address.includes(":") ? "ipv6" : "ipv4"));
}

/**
 * Builds the API's Fastify instance: correlation ids, tracing, metrics, authentication, rate limiting,
 * authorization, error handling, health and readiness endpoints, then each module's routes. Every route must
 * declare its access ({@link RouteAccess}); `app.routeTable` lists them. Metrics are served on their own port
 * ({@link buildMetricsServer}), never on the public one.
 */
export async function buildHttpServer(platform: Platform, modules: AppModule[], authenticator: Authenticator, layers: HttpLayers = ALL_LAYERS): Promise<FastifyInstance> {
  const { config, metrics } = platform;
  const app = Fastify({
    trustProxy: proxyTrust(config.TRUSTED_PROXY_HOPS),
    ...(layers.logging
      ? {
          loggerInstance: platform.log as FastifyBaseLogger,
          genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => correlationIdFrom(req.headers),
          // Request logs are written once, by the onResponse hook below, with the correlation id.
          logController: new LogController({ requestIdLogLabel: "correlationId", disableRequestLogging: true }),
        }
      : { logger: false }),
    return503OnClosing: true,
    bodyLimit: 64 * 1024,
  });

  app.decorateRequest("otelContext", null as unknown as Context);
  app.decorateRequest("otelSpan", null as unknown as Span);
  app.decorateRequest("principal", undefined);
  recordRoutes(app, authenticator.scopes);

  if (layers.logging || layers.tracing) app.addHook("onRequest", async (req, reply) => {
    if (layers.logging) reply.header("x-request-id", req.id);
    if (!layers.tracing) return;
    const parent = extractContext(req.headers as Record<string, string>);
    const span = tracer().startSpan(`${req.method} ${req.url.split("?")[0]}`, { kind: SpanKind.SERVER, attributes: { "http.request.method": req.method, "correlation.id": req.id } }, parent);
    req.otelSpan = span;
    req.otelContext = trace.setSpan(parent, span);
  });

  if (layers.logging || layers.metrics || layers.tracing) app.addHook("onResponse", async (req, reply) => {
    const route = req.routeOptions.url ?? "unmatched";
    if (layers.metrics) {
      const labels = { method: req.method, route, status: String(reply.statusCode) };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
      if (reply.statusCode >= 500) metrics.httpErrors.inc(labels);
    }
    req.otelSpan?.setAttribute("http.response.status_code", reply.statusCode);
    req.otelSpan?.setAttribute("http.route", route);
    if (reply.statusCode >= 500) req.otelSpan?.setStatus({ code: SpanStatusCode.ERROR });
    req.otelSpan?.end();
    if (!layers.logging) return;
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

  // Order matters: resolve the key, then rate-limit on the verified key id (or, without one, on the client
  // address, so failed attempts with made-up keys spend the address's budget), then answer 401/403.
  if (layers.auth) {
    await app.register(rateLimit, {
      global: false,
      max: config.RATE_LIMIT_MAX,
      timeWindow: config.RATE_LIMIT_WINDOW_MS,
      keyGenerator: (req) => (req.principal ? `key:${req.principal.keyId}` : `addr:${normalizeIP(req.ip)}`),
      errorResponseBuilder: (_req, ctx) => new HttpError(ctx.statusCode, "rate_limited", `rate limit exceeded, retry in ${ctx.after}`),
    });
    const limit = app.rateLimit();
    app.addHook("onRequest", authenticate(authenticator));
    app.addHook("onRequest", async function (req, reply) {
      if (req.routeOptions.config.rateLimit !== false) await limit.call(this, req, reply);
    });
    app.addHook("onRequest", authorize);
  }

  // Probes are public and exempt from the limit (kubelet and the load balancer call them constantly).
  const probe = { config: { access: "public" as const, rateLimit: false as const } };
  app.get("/healthz", probe, async () => ({ status: "ok" }));
  app.get("/readyz", probe, async (_req, reply) => {
    if (platform.lifecycle.draining) return reply.status(503).send({ status: "draining" });
    const checks = await platform.readiness();
    const ok = Object.values(checks).every((v) => v === "ok");
    return reply.status(ok ? 200 : 503).send({ status: ok ? "ready" : "not_ready", checks });
  });

  // Handlers run outside the request's OTel context; bind it so spans started in services nest correctly.
  if (layers.tracing) app.addHook("preHandler", (req, _reply, done) => context.with(req.otelContext, done));
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
