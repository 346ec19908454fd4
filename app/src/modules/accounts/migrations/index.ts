import type { Migration } from "../../../platform/db";

/** The accounts module owns `accounts_api_keys` only. Applied migrations never change; add a new one instead. */
export const migrations: Migration[] = [
  {
    id: "001_api_keys",
    sql: `CREATE TABLE accounts_api_keys (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      name text NOT NULL,
      prefix text NOT NULL UNIQUE,
      key_hash bytea NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      revoked_at timestamptz
    )`,
  },
  {
    // Keys made before scopes existed could do everything. They keep what their clients use (catalog writes and
    // reports), so no client breaks on deploy, but lose keys:admin: that "every key is an admin" hole is what this
    // closes. The operator mints an admin key with `create-api-key --scopes keys:admin` (README: first API key).
    // New rows must name their scopes: the default exists only to fill the existing rows.
    id: "002_api_key_scopes",
    sql: `ALTER TABLE accounts_api_keys ADD COLUMN scopes text[] NOT NULL DEFAULT '{}';
      UPDATE accounts_api_keys SET scopes = ARRAY['catalog:write', 'reports'];
      ALTER TABLE accounts_api_keys ALTER COLUMN scopes DROP DEFAULT`,
  },
];
