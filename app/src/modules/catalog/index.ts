import type { AppModule } from "../../platform/http";
import type { Platform } from "../../platform/platform";
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

export function catalogModule(platform: Pick<Platform, "db" | "cache" | "config">): CatalogModule {
  const service = new CatalogService(new ItemRepository(platform.db), platform.cache, platform.config.CACHE_TTL_SECONDS);
  return {
    name: "catalog",
    migrations,
    routes: catalogRoutes(service, platform.config.HTTP_CACHE_MAX_AGE_SECONDS),
    api: { priceSummary: (min) => service.priceSummary(min) },
  };
}
