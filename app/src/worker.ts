import closeWithGrace from "close-with-grace";
import Fastify, { type FastifyInstance } from "fastify";
import type { DestinationStream } from "pino";
import { buildModules, selectModules } from "./app";
import { ConfigError, loadConfig, requireQueueUrl, type SecretReader } from "./platform/config";
import { createPlatform, type Platform } from "./platform/platform";
import { QueueConsumer } from "./platform/queue";
import { exitOnStartError } from "./server";

export interface RunningWorker {
  platform: Platform;
  /** The report job consumer; undefined when MODULES leaves out reports (such a worker makes no SQS call). */
  consumer: QueueConsumer | undefined;
  /** Health and metrics listener, when WORKER_METRICS_PORT is non-zero. */
  http?: FastifyInstance;
  /** Stops receiving, finishes the jobs in progress, then closes pools and clients. */
  close(): Promise<void>;
}

/**
 * Second entry point over the same modules: consumes report jobs from SQS, runs the outbox relay that publishes
 * committed jobs to SQS, and serves /healthz and /metrics on WORKER_METRICS_PORT.
 */
export async function startWorker(env: NodeJS.ProcessEnv = process.env, opts: { logDestination?: DestinationStream; readSecret?: SecretReader } = {}): Promise<RunningWorker> {
  const config = await loadConfig(env, opts.readSecret);
  // MODULES picks what runs here: reports (job consumer and outbox relay), webhooks (delivery loop).
  const only = selectModules(config.MODULES, "worker");
  if (!only.has("reports") && !only.has("webhooks")) throw new ConfigError([`MODULES: the worker runs reports and webhooks, and MODULES=${config.MODULES} names neither; include one (fix its value)`]);
  // Only the reports loops (job consumer, outbox relay) use SQS: a webhooks-only worker makes no SQS call at all,
  // so it is neither started nor checked for readiness, and the process needs no SQS_QUEUE_URL.
  const usesQueue = only.has("reports");
  const platform = await createPlatform(config, { role: "worker", usesQueue, logDestination: opts.logDestination });
  const { reports, webhooks } = buildModules(platform);
  const log = platform.log;
  const consumer = usesQueue
    ? new QueueConsumer(
        platform.sqs,
        requireQueueUrl(config),
        { concurrency: config.WORKER_CONCURRENCY, visibilityTimeoutS: config.WORKER_VISIBILITY_TIMEOUT_S, waitTimeS: config.WORKER_WAIT_TIME_S, maxBackoffS: config.WORKER_MAX_BACKOFF_S },
        (d) => reports.api.handle(d, log),
        log,
      )
    : undefined;
  consumer?.start();

  // The outbox relay runs here, not in the API: the API's request path then touches only PostgreSQL (and needs no
  // sqs:SendMessage), and there are fewer worker replicas than API replicas competing for the same records.
  const relay = usesQueue ? reports.api.outboxRelay() : undefined;
  relay?.start();

  // Signed webhooks for finished jobs, polled from PostgreSQL (modules/webhooks).
  const delivery = only.has("webhooks") ? webhooks.api.startDelivery(log) : { stop: async () => undefined };

  let http: FastifyInstance | undefined;
  if (config.WORKER_METRICS_PORT > 0) {
    http = Fastify({ logger: false });
    http.get("/healthz", async () => ({ status: "ok", inProgress: consumer?.inProgress ?? 0 }));
    http.get("/readyz", async (_req, reply) => {
      const checks = await platform.readiness();
      const ok = Object.values(checks).every((v) => v === "ok");
      return reply.status(ok ? 200 : 503).send({ status: ok ? "ready" : "not_ready", checks });
    });
    http.get("/metrics", async (_req, reply) => reply.type(platform.metrics.registry.contentType).send(await platform.metrics.registry.metrics()));
    await http.listen({ host: config.HOST, port: config.WORKER_METRICS_PORT });
  }
  log.info({ modules: [...only], queue: usesQueue ? config.SQS_QUEUE_URL : undefined, concurrency: config.WORKER_CONCURRENCY }, "worker started");

  let closing: Promise<void> | undefined;
  return {
    platform,
    consumer,
    http,
    close: () =>
      (closing ??= (async () => {
        await relay?.stop();
        await consumer?.stop();
        await delivery.stop();
        await http?.close();
        await platform.close();
        log.info("worker stopped");
      })()),
  };
}

if (require.main === module) {
  startWorker().then((w) => {
    closeWithGrace({ delay: w.platform.config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
      if (err) w.platform.log.error({ err }, "worker shutting down after an error");
      else w.platform.log.info({ signal, inProgress: w.consumer?.inProgress ?? 0 }, "worker shutting down; finishing jobs in progress");
      await w.close();
    });
  }, exitOnStartError);
}
