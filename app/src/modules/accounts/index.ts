import type { preHandlerHookHandler } from "fastify";
import type { AppModule } from "../../platform/http";
import type { Platform } from "../../platform/platform";
import { migrations } from "./migrations";
import { ApiKeyRepository } from "./repository";
import { accountsRoutes, authenticateWith } from "./routes";
import { ApiKeyService } from "./service";

/** What other modules may use from accounts. */
export interface AccountsApi {
  /** Fastify preHandler: 401 unless the request carries a valid `x-api-key`. */
  authenticate: preHandlerHookHandler;
  /** Creates an API key (used by the bootstrap CLI); the plaintext is returned once. */
  createKey(name: string): Promise<{ id: string; name: string; key: string }>;
}

export type AccountsModule = AppModule & { api: AccountsApi };

export function accountsModule(platform: Pick<Platform, "db">): AccountsModule {
  const service = new ApiKeyService(new ApiKeyRepository(platform.db));
  const authenticate = authenticateWith(service);
  return {
    name: "accounts",
    migrations,
    routes: accountsRoutes(service, authenticate),
    api: { authenticate, createKey: (name) => service.create(name) },
  };
}

export { migrations as accountsMigrations };
