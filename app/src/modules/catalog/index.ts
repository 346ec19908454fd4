import type { AppModule } from "../../platform/http";
import { databaseConnection, type Platform } from "../../platform/platform";
import { migrations } from "./migrations";
import { ItemRepository } from "./repository";
import { catalogRoutes } from "./routes";
import type { PriceSummary } from "./schemas";
import { CatalogService } from "./service";

export type { Item, PriceSummary } from "./schemas";

/** What other modules may use from catalog. */
export interface CatalogApi {
  /** Aggregate price statistics of items priced at or above `minPriceCents`. */
  priceSummary(minPriceCents: number): Promise<PriceSummary>;
}

export type CatalogModule = AppModule & { api: CatalogApi };

/**
 * Attaches the read pool of DATABASE_READ_HOST (IAM auth: a reader or RDS Proxy read-only endpoint) or DATABASE_READ_URL
 * to the platform's Db, the same size as the writer's pool (infra budgets both alike), unless one is attached already.
 */
function attachReader(platform: Pick<Platform, "db" | "config">): void {
  const c = platform.config;
  const readHost = c.DATABASE_IAM_AUTH ? c.DATABASE_READ_HOST : c.DATABASE_READ_URL;
  if (readHost === undefined || platform.db.hasReader) return;
  platform.db.attachReader(databaseConnection({ ...c, DATABASE_HOST: c.DATABASE_READ_HOST, DATABASE_URL: c.DATABASE_READ_URL }), {
    max: c.DB_POOL_MAX,
    acquireTimeoutMs: c.DB_POOL_ACQUIRE_TIMEOUT_MS,
    statementTimeoutMs: c.DB_STATEMENT_TIMEOUT_MS,
    applicationName: c.SERVICE_NAME,
  });
}

export function catalogModule(platform: Pick<Platform, "db" | "cache" | "config">): CatalogModule {
  // Lists and gets on a cache miss tolerate replica lag: they read from the reader when one is configured.
  attachReader(platform);
  const service = new CatalogService(new ItemRepository(platform.db, platform.db.reads), platform.cache, platform.config.CACHE_TTL_SECONDS);
  return {
    name: "catalog",
    migrations,
    routes: catalogRoutes(service, platform.config.HTTP_CACHE_MAX_AGE_SECONDS),
    api: { priceSummary: (min) => service.priceSummary(min) },
  };
}
