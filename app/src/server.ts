import closeWithGrace from "close-with-grace";
import type { FastifyInstance } from "fastify";
import type { DestinationStream } from "pino";
import { allMigrations, buildApi, selectModules } from "./app";
import { buildMetricsServer } from "./platform/http";
import { ConfigError, loadConfig, type SecretReader } from "./platform/config";
import { createPlatform, type Platform } from "./platform/platform";
import { secretsAtRestWarning } from "./modules/webhooks";

export interface RunningApi {
  app: FastifyInstance;
  platform: Platform;
  url: string;
  /** Base URL of the metrics port (METRICS_PORT), when it is on. */
  metricsUrl?: string;
  /** Stops accepting connections, waits for in-flight requests, then closes pools and clients. */
  close(): Promise<void>;
}

/** Starts the API from an environment (process.env in production, a test harness's env in tests). */
export async function startApi(env: NodeJS.ProcessEnv = process.env, opts: { logDestination?: DestinationStream; readSecret?: SecretReader } = {}): Promise<RunningApi> {
  const config = await loadConfig(env, opts.readSecret);
  const modules = selectModules(config.MODULES, "api"); // fails fast, before connecting to anything
  // Only the reports module touches SQS in the API (its readiness check); without it the process needs no queue.
  const platform = await createPlatform(config, { role: "api", usesQueue: modules.has("reports"), logDestination: opts.logDestination });
  if (modules.has("webhooks")) {
    const warning = secretsAtRestWarning(config);
    if (warning) platform.log.warn(warning);
  }
  try {
    if (config.RUN_MIGRATIONS) {
      const applied = await platform.db.migrate(allMigrations(platform, modules));
      if (applied.length) platform.log.info({ applied }, "migrations applied");
    }
    const app = await buildApi(platform);
    const url = await app.listen({ host: config.HOST, port: config.PORT });
    const metricsServer = config.METRICS_PORT > 0 ? buildMetricsServer(platform.metrics) : undefined;
    let metricsUrl: string | undefined;
    try {
      metricsUrl = metricsServer ? await metricsServer.listen({ host: config.HOST, port: config.METRICS_PORT }) : undefined;
    } catch (err) {
      await app.close();
      throw err;
    }
    platform.log.info({ url, metricsUrl }, "api listening");
    let closing: Promise<void> | undefined;
    return {
      app,
      platform,
      url,
      metricsUrl,
      close: () =>
        (closing ??= (async () => {
          await app.close();
          await metricsServer?.close();
          await platform.close();
        })()),
    };
  } catch (err) {
    await platform.close();
    throw err;
  }
}

/** Fails start-up with a readable message for configuration errors and exits non-zero. */
export function exitOnStartError(err: unknown): never {
  if (err instanceof ConfigError) process.stderr.write(`${err.message}\n`);
  else process.stderr.write(`start-up failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
}

if (require.main === module) {
  startApi().then((api) => {
    closeWithGrace({ delay: api.platform.config.SHUTDOWN_GRACE_MS }, async ({ signal, err }) => {
      if (err) api.platform.log.error({ err }, "shutting down after an error");
      else api.platform.log.info({ signal }, "shutting down");
      // Readiness fails first so the load balancer stops routing here; then stop accepting and drain.
      api.platform.lifecycle.draining = true;
      const delay = api.platform.config.SHUTDOWN_DRAIN_DELAY_MS;
      if (delay > 0 && !err) await new Promise((r) => setTimeout(r, delay));
      await api.close();
      api.platform.log.info("api stopped");
    });
  }, exitOnStartError);
}
