import type { Config } from "../../platform/config";
import type { Queryable } from "../../platform/db";
import type { AppModule } from "../../platform/http";
import type { Logger } from "../../platform/log";
import type { Platform } from "../../platform/platform";
import { migrations } from "./migrations";
import { WebhookRepository } from "./repository";
import { webhookRoutes } from "./routes";
import type { CompletedJob } from "./schemas";
import { WebhookService } from "./service";

export type { CompletedJob, DeliveryView } from "./schemas";

/**
 * What reports (through the composition root) and the worker use from webhooks. Reports calls, in this order:
 * `checkCallback` before inserting the job, `register` after the insert and before the job's message is sent (so a
 * 202 means the callback is stored too), and `jobCompleted` when the job ends, done or failed.
 */
export interface WebhooksApi {
  /** Rejects an invalid callback URL, or a caller without a signing secret, with a ZodError naming `callbackUrl`. */
  checkCallback(callbackUrl: unknown, owner: string): Promise<void>;
  /** Stores job `jobId`'s callback URL; pass `q` to write it in the caller's transaction. */
  register(jobId: string, callbackUrl: string, owner: string, q?: Queryable): Promise<void>;
  /** Queues the signed delivery of a finished job that has a callback; idempotent, a no-op without a callback. */
  jobCompleted(job: CompletedJob): Promise<void>;
  /** The worker's delivery loop; `stop` waits for the attempts in progress. */
  startDelivery(log: Logger): { stop(): Promise<void> };
}

export type WebhooksModule = AppModule & { api: WebhooksApi };

/**
 * The start-up warning of a production process running webhooks without an encryption key for signing secrets at
 * rest (neither WEBHOOK_SECRET_KEY nor WEBHOOK_SECRET_KEY_SECRET_ARN set), else undefined. A warning, not an error:
 * a development stack may run with NODE_ENV=production and no key, and secrets then still work (stored as they are).
 */
export function secretsAtRestWarning(config: Pick<Config, "NODE_ENV" | "WEBHOOK_SECRET_KEY">): string | undefined {
  if (config.NODE_ENV !== "production" || config.WEBHOOK_SECRET_KEY) return undefined;
  return "webhook signing secrets are stored UNENCRYPTED in webhooks_secrets: neither WEBHOOK_SECRET_KEY_SECRET_ARN (set by the platform) nor WEBHOOK_SECRET_KEY is set; set one of them to seal them with AES-256-GCM (secrets created before stay unencrypted until rotated)";
}

export function webhooksModule(platform: Pick<Platform, "db" | "config" | "metrics" | "log">): WebhooksModule {
  const service = new WebhookService(new WebhookRepository(platform.db), platform.config, platform.metrics);
  return {
    name: "webhooks",
    migrations,
    routes: webhookRoutes(service),
    api: {
      checkCallback: (url, owner) => service.checkCallback(url, owner),
      register: (jobId, url, owner, q) => service.register(jobId, url, owner, q),
      jobCompleted: (job) => service.jobCompleted(job),
      startDelivery: (log) => {
        const warning = secretsAtRestWarning(platform.config);
        if (warning) log.warn(warning);
        return service.startDelivery(log);
      },
    },
  };
}
