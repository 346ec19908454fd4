import type { Authenticator } from "../../platform/access";
import type { AppModule } from "../../platform/http";
import type { Platform } from "../../platform/platform";
import { migrations } from "./migrations";
import { ApiKeyRepository } from "./repository";
import { accountsRoutes } from "./routes";
import { SCOPES, type ApiKeyRecord, type CreateKeyInput } from "./schemas";
import { ApiKeyService } from "./service";

export { SCOPES, scopeSet, type Scope } from "./schemas";
export { requireScope } from "./routes";

/** What other modules and the entry points may use from accounts. */
export interface AccountsApi {
  /** Verifies `x-api-key` credentials and names the scopes routes may require; the HTTP layer enforces them. */
  authenticator: Authenticator;
  /** Creates an API key with the given scopes (the bootstrap CLI; no caller to check); the plaintext is returned once. */
  createKey(input: CreateKeyInput): Promise<ApiKeyRecord & { key: string }>;
}

export type AccountsModule = AppModule & { api: AccountsApi };

export function accountsModule(platform: Pick<Platform, "db">): AccountsModule {
  const service = new ApiKeyService(new ApiKeyRepository(platform.db));
  return {
    name: "accounts",
    migrations,
    routes: accountsRoutes(service),
    api: { authenticator: { scopes: SCOPES, verify: (key) => service.verify(key) }, createKey: (input) => service.create(input) },
  };
}

export { migrations as accountsMigrations };
