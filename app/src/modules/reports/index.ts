import type { AppModule } from "../../platform/http";
import type { Logger } from "../../platform/log";
import type { Platform } from "../../platform/platform";
import type { Delivery } from "../../platform/queue";
import type { CatalogApi } from "../catalog";
import type { WebhooksApi } from "../webhooks";
import { migrations } from "./migrations";
import { JobRepository } from "./repository";
import { reportRoutes } from "./routes";
import { ReportService } from "./service";

export type { Job, JobStatus } from "./schemas";

/** What the worker entry point uses from reports. */
export interface ReportsApi {
  /** Handles one SQS delivery of a report job (idempotent). */
  handle(d: Delivery, log: Logger): Promise<void>;
  /** Re-sends jobs stuck in 'queued' for longer than `olderThanSeconds`. */
  requeueStale(olderThanSeconds: number): Promise<number>;
}

export type ReportsModule = AppModule & { api: ReportsApi };

export function reportsModule(
  platform: Pick<Platform, "db" | "producer" | "config" | "metrics">,
  deps: { catalog: CatalogApi; webhooks?: WebhooksApi },
): ReportsModule {
  const service = new ReportService(new JobRepository(platform.db), platform.producer, deps.catalog, platform.config, platform.metrics, deps.webhooks);
  return {
    name: "reports",
    migrations,
    routes: reportRoutes(service),
    api: { handle: (d, log) => service.handle(d, log), requeueStale: (s) => service.requeueStale(s) },
  };
}
