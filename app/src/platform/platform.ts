import type { SQSClient } from "@aws-sdk/client-sqs";
import type { Config } from "./config";
import { Cache } from "./cache";
import { Db } from "./db";
import { createLogger, type Logger } from "./log";
import { Metrics } from "./metrics";
import { QueueProducer, createSqsClient, startQueueDepthPoller } from "./queue";
import { initTracing } from "./tracing";
import type { DestinationStream } from "pino";

/** The shared adapters every module receives. Modules never construct their own pools or clients. */
export interface Platform {
  config: Config;
  log: Logger;
  metrics: Metrics;
  db: Db;
  cache: Cache;
  sqs: SQSClient;
  producer: QueueProducer;
  /** Set when shutdown began: readiness fails so load balancers stop routing here, requests are still served. */
  lifecycle: { draining: boolean };
  /** Checks PostgreSQL, Redis and SQS; resolves to a per-dependency status. */
  readiness(): Promise<Record<string, "ok" | string>>;
  /** Closes pools and clients; call after the HTTP server and consumers have drained. */
  close(): Promise<void>;
}

export async function createPlatform(
  config: Config,
  opts: { role: "api" | "worker"; logDestination?: DestinationStream; logger?: Logger },
): Promise<Platform> {
  const log = opts.logger ?? createLogger({ level: config.LOG_LEVEL, service: `${config.SERVICE_NAME}-${opts.role}`, destination: opts.logDestination });
  const tracing = initTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const metrics = new Metrics();
  const db = new Db(
    {
      url: config.DATABASE_URL,
      max: config.DB_POOL_MAX,
      acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      applicationName: `${config.SERVICE_NAME}-${opts.role}`,
    },
    metrics,
    log,
  );
  const cache = new Cache(
    { url: config.REDIS_URL, enabled: config.CACHE_ENABLED, commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS, localTtlMs: config.CACHE_LOCAL_TTL_MS },
    metrics,
    log,
  );
  await cache.connect();
  const sqs = createSqsClient(config.AWS_REGION, config.SQS_ENDPOINT);
  const producer = new QueueProducer(sqs, config.SQS_QUEUE_URL, metrics);
  const stopDepth = startQueueDepthPoller(sqs, { jobs: config.SQS_QUEUE_URL, "jobs-dlq": config.SQS_DLQ_URL }, config.QUEUE_DEPTH_POLL_MS, metrics, log);

  const check = async (fn: () => Promise<void>) => {
    try {
      await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error("timeout")), 2000).unref())]);
      return "ok";
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  };
  let closed = false;
  return {
    config,
    log,
    metrics,
    db,
    cache,
    sqs,
    producer,
    lifecycle: { draining: false },
    async readiness() {
      const [postgres, redis, sqsStatus] = await Promise.all([check(() => db.ping()), check(() => cache.ping()), check(() => producer.ping())]);
      return { postgres, redis, sqs: sqsStatus };
    },
    async close() {
      if (closed) return;
      closed = true;
      stopDepth();
      await Promise.allSettled([db.close(), cache.close()]);
      sqs.destroy();
      await tracing.shutdown();
    },
  };
}
