import type { FastifyInstance } from "fastify";
import { buildHttpServer } from "./platform/http";
import { ConfigError } from "./platform/config";
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

export const MODULE_NAMES = ["accounts", "catalog", "reports", "webhooks"] as const;
export type ModuleName = (typeof MODULE_NAMES)[number];

/**
 * What each module needs from another module in each process role. A dependency that is not in MODULES fails the
 * start naming it (no module has an HTTP adapter to a remote peer yet). Key verification (accounts' authenticator)
 * is not listed: every API process needs it, so it always runs locally, over the accounts tables.
 */
const NEEDS: Record<ModuleName, Partial<Record<"api" | "worker", { module: ModuleName; why: string }[]>>> = {
  accounts: {},
  catalog: {},
  reports: {
    api: [{ module: "webhooks", why: "it stores a submission's callbackUrl in the job's transaction" }],
    worker: [
      { module: "catalog", why: "the worker builds reports from catalog's price summary" },
      { module: "webhooks", why: "a finished job queues its signed callback" },
    ],
  },
  webhooks: {},
};

/**
 * The modules this process runs (MODULES, a comma list; unset = all). Only their routes, migrations and
 * consumers are registered. Throws {@link ConfigError} for an unknown name or a dependency that is not local.
 */
export function selectModules(spec: string | undefined, role: "api" | "worker"): Set<ModuleName> {
  const names = (spec ?? "").split(",").map((n) => n.trim()).filter(Boolean);
  if (!names.length) return new Set(MODULE_NAMES);
  const unknown = names.filter((n) => !(MODULE_NAMES as readonly string[]).includes(n));
  if (unknown.length) throw new ConfigError([`MODULES: unknown module ${unknown.join(", ")}; valid modules are ${MODULE_NAMES.join(", ")} (fix its value)`]);
  const selected = new Set(names as ModuleName[]);
  const issues: string[] = [];
  for (const m of selected) {
    for (const dep of NEEDS[m][role] ?? []) {
      if (!selected.has(dep.module)) issues.push(`MODULES: ${m} needs the ${dep.module} module in the ${role} (${dep.why}); add ${dep.module} to MODULES, e.g. MODULES=${[...selected, dep.module].join(",")} (fix its value)`);
    }
  }
  if (issues.length) throw new ConfigError(issues);
  return selected;
}

/** Every module's migrations, keyed by module name (`only`: just those modules'). */
export function allMigrations(platform: Platform, only: ReadonlySet<ModuleName> = new Set(MODULE_NAMES)): Record<string, Migration[]> {
  const m = buildModules(platform);
  // accounts' tables back key verification, which every API process runs.
  return Object.fromEntries(Object.values(m).filter((mod) => only.has(mod.name as ModuleName) || mod.name === "accounts").map((mod) => [mod.name, mod.migrations]));
}

/** The API: the routes of the modules in MODULES, with API keys verified by the accounts module. */
export async function buildApi(platform: Platform): Promise<FastifyInstance> {
  const only = selectModules(platform.config.MODULES, "api");
  const m = buildModules(platform);
  return buildHttpServer(platform, [m.accounts, m.catalog, m.reports, m.webhooks].filter((mod) => only.has(mod.name as ModuleName)), m.accounts.api.authenticator);
}
