import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * All Prometheus metrics of one process, on their own registry (so several app instances can live in one
 * test process). Exposed on `/metrics` by the API and by the worker's metrics port.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpRequests = new Counter({
    name: "http_requests_total",
    help: "HTTP requests by method, route and status code",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  readonly httpErrors = new Counter({
    name: "http_request_errors_total",
    help: "HTTP responses with status >= 500",
    labelNames: ["method", "route", "status"] as const,
    registers: [this.registry],
  });
  readonly httpDuration = new Histogram({
    name: "http_request_duration_seconds",
    help: "HTTP request latency",
    labelNames: ["method", "route", "status"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly cacheEvents = new Counter({
    name: "cache_events_total",
    help: "Cache lookups by cache name and result (hit_local, hit, miss, coalesced, error)",
    labelNames: ["cache", "result"] as const,
    registers: [this.registry],
  });
  readonly cacheInvalidations = new Counter({
    name: "cache_invalidations_total",
    help: "Cache invalidations by cache name and source (local change or pub/sub message)",
    labelNames: ["cache", "source"] as const,
    registers: [this.registry],
  });
  readonly dbQueries = new Counter({
    name: "db_queries_total",
    help: "SQL statements sent to PostgreSQL",
    registers: [this.registry],
  });
  readonly dbPoolExhausted = new Counter({
    name: "db_pool_acquire_timeouts_total",
    help: "Times a request could not get a pooled connection in time (answered 503)",
    registers: [this.registry],
  });
  readonly dbPool = new Gauge({
    name: "db_pool_connections",
    help: "PostgreSQL pool connections by state (total, idle, waiting, max)",
    labelNames: ["state"] as const,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: "queue_messages",
    help: "Approximate SQS messages by queue and state (visible, in_flight, delayed)",
    labelNames: ["queue", "state"] as const,
    registers: [this.registry],
  });
  readonly queueSent = new Counter({
    name: "queue_messages_sent_total",
    help: "Messages sent to SQS, by result",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  readonly jobs = new Counter({
    name: "jobs_processed_total",
    help: "Job deliveries processed by the worker, by kind and outcome (done, duplicate, retry, invalid)",
    labelNames: ["kind", "outcome"] as const,
    registers: [this.registry],
  });
  readonly jobDuration = new Histogram({
    name: "job_duration_seconds",
    help: "Worker processing time per job delivery",
    labelNames: ["kind", "outcome"] as const,
    buckets: [0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [this.registry],
  });

  readonly outboxBacklog = new Gauge({
    name: "outbox_backlog",
    help: "Outbox records committed but not yet published to SQS, by outbox (sampled by the relay)",
    labelNames: ["outbox"] as const,
    registers: [this.registry],
  });
  readonly outboxOldestAge = new Gauge({
    name: "outbox_oldest_unsent_seconds",
    help: "Age of the oldest unpublished outbox record, by outbox (0 when empty)",
    labelNames: ["outbox"] as const,
    registers: [this.registry],
  });
  readonly outboxBatchSize = new Histogram({
    name: "outbox_relay_batch_size",
    help: "Records per SendMessageBatch sent by the outbox relay",
    labelNames: ["outbox"] as const,
    buckets: [1, 2, 5, 8, 10],
    registers: [this.registry],
  });
  readonly outboxBatchDuration = new Histogram({
    name: "outbox_relay_batch_duration_seconds",
    help: "Time of one SendMessageBatch call of the outbox relay",
    labelNames: ["outbox"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly outboxPublishFailures = new Counter({
    name: "outbox_publish_failures_total",
    help: "Outbox records SQS did not accept (retried by the next relay round), by outbox and reason (rejected, error)",
    labelNames: ["outbox", "reason"] as const,
    registers: [this.registry],
  });

  readonly webhookAttempts = new Counter({
    name: "webhook_delivery_attempts_total",
    help: "Webhook delivery attempts by result (success, http_error, network_error, refused by the SSRF guard)",
    labelNames: ["result"] as const,
    registers: [this.registry],
  });
  readonly webhookDeliveries = new Counter({
    name: "webhook_deliveries_total",
    help: "Webhook deliveries that ended, by outcome (delivered, dead after the last attempt)",
    labelNames: ["outcome"] as const,
    registers: [this.registry],
  });
  readonly webhookAttemptDuration = new Histogram({
    name: "webhook_delivery_attempt_duration_seconds",
    help: "Time of one webhook delivery attempt (DNS, connect, request, response)",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(opts: { defaultMetrics?: boolean } = {}) {
    if (opts.defaultMetrics !== false) collectDefaultMetrics({ register: this.registry });
  }
}
