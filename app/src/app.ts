import type { FastifyInstance } from "fastify";
import { buildHttpServer } from "./platform/http";
import type { Migration } from "./platform/db";
import type { Platform } from "./platform/platform";
import { accountsModule, type AccountsModule } from "./modules/accounts";
import { catalogModule, type CatalogModule } from "./modules/catalog";
import { reportsModule, type ReportsModule } from "./modules/reports";
import { webhooksModule, type WebhooksModule } from "./modules/webhooks";

/** Composition root: the only place that wires modules together (each through the other's public interface). */
export function buildModules(platform: Platform): { accounts: AccountsModule; catalog: CatalogModule; reports: ReportsModule; webhooks: WebhooksModule } {
  const accounts = accountsModule(platform);
  const catalog = catalogModule(platform);
  const webhooks = webhooksModule(platform);
  const reports = reportsModule(platform, { catalog: catalog.api, webhooks: webhooks.api });
  return { accounts, catalog, reports, webhooks };
}

/** Every module's migrations, keyed by module name. */
export function allMigrations(platform: Platform): Record<string, Migration[]> {
  const m = buildModules(platform);
  return Object.fromEntries(Object.values(m).map((mod) => [mod.name, mod.migrations]));
}

/** The API: every module's routes, with API keys verified by the accounts module. */
export async function buildApi(platform: Platform): Promise<FastifyInstance> {
  const m = buildModules(platform);
  return buildHttpServer(platform, [m.accounts, m.catalog, m.reports, m.webhooks], m.accounts.api.authenticator);
}
