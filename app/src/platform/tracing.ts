import { context, propagation, trace, SpanKind, SpanStatusCode, type Context, type Span } from "@opentelemetry/api";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";

export { SpanKind, SpanStatusCode, context, propagation, trace };
export type { Context, Span };

let provider: NodeTracerProvider | undefined;

/**
 * Registers the global tracer provider once per process. Spans are always created (so trace ids exist for log
 * correlation and propagation); they are exported over OTLP/HTTP only when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function initTracing(serviceName: string, otlpEndpoint?: string): { shutdown(): Promise<void> } {
  if (!provider) {
    provider = new NodeTracerProvider({
      resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: serviceName }),
      spanProcessors: otlpEndpoint
        ? [new BatchSpanProcessor(new OTLPTraceExporter({ url: `${otlpEndpoint.replace(/\/$/, "")}/v1/traces` }))]
        : [],
    });
    provider.register({ propagator: new W3CTraceContextPropagator() });
  }
  const p = provider;
  return { shutdown: () => p.shutdown().catch(() => undefined) };
}

export const tracer = () => trace.getTracer("groundwork-app");

/** W3C trace context as a flat carrier (`traceparent`, `tracestate`) from the given or active context. */
export function injectCarrier(ctx: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(ctx, carrier);
  return carrier;
}

/** Context extracted from a carrier such as HTTP headers or SQS message attributes. */
export function extractContext(carrier: Record<string, string | undefined>): Context {
  return propagation.extract(context.active(), carrier);
}

/** Trace id of a `traceparent` header, if well-formed. */
export function traceIdFromTraceparent(traceparent: string | undefined): string | undefined {
  const m = traceparent?.match(/^[\da-f]{2}-([\da-f]{32})-[\da-f]{16}-[\da-f]{2}$/);
  return m && !/^0+$/.test(m[1]) ? m[1] : undefined;
}
