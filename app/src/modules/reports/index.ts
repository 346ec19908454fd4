import { requireQueueUrl } from "../../platform/config";
import type { AppModule } from "../../platform/http";
import type { Logger } from "../../platform/log";
import { OutboxRelay, type RelayFaults } from "../../platform/outbox";
import type { Platform } from "../../platform/platform";
import type { Delivery } from "../../platform/queue";
import type { CatalogApi } from "../catalog";
import type { WebhooksApi } from "../webhooks";
import { migrations } from "./migrations";
import { JobRepository, OUTBOX_TABLE } from "./repository";
import { reportRoutes } from "./routes";
import { ReportService } from "./service";

export type { Job, JobStatus } from "./schemas";

/** What the worker entry point uses from reports. */
export interface ReportsApi {
  /** Handles one SQS delivery of a report job (idempotent). */
  handle(d: Delivery, log: Logger): Promise<void>;
  /**
   * The relay that publishes committed job messages from the outbox to SQS (runs in the worker). `faults`,
   * `queueUrl` and `claim` let tests simulate a crash at each step, an unreachable queue and overlapping relays.
   */
  outboxRelay(opts?: { faults?: RelayFaults; queueUrl?: string; claim?: number }): OutboxRelay;
}

export type ReportsModule = AppModule & { api: ReportsApi };

export function reportsModule(
  platform: Pick<Platform, "db" | "sqs" | "config" | "metrics" | "log">,
  deps: { catalog: CatalogApi; webhooks?: WebhooksApi },
): ReportsModule {
  const { config } = platform;
  // Half the pool at most for submission transactions: reads, authentication and the relay keep the rest.
  const repo = new JobRepository(platform.db, { maxSize: 500, maxInFlight: Math.max(1, Math.floor(config.DB_POOL_MAX / 2)) });
  const service = new ReportService(repo, deps.catalog, config, platform.metrics, deps.webhooks);
  return {
    name: "reports",
    migrations,
    routes: reportRoutes(service),
    api: {
      handle: (d, log) => service.handle(d, log),
      outboxRelay: (opts = {}) =>
        new OutboxRelay(platform.db, platform.sqs, platform.metrics, platform.log, {
          name: "reports",
          table: OUTBOX_TABLE,
          queueUrl: opts.queueUrl ?? requireQueueUrl(config),
          claim: opts.claim ?? config.OUTBOX_CLAIM,
          pollMs: config.OUTBOX_POLL_MS,
          retentionS: config.OUTBOX_RETENTION_S,
          faults: opts.faults,
        }),
    },
  };
}
