import type { Migration } from "../../../platform/db";

/** The accounts module owns `accounts_api_keys` only. */
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
];
