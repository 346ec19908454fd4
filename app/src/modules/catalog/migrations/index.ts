import type { Migration } from "../../../platform/db";

/** The catalog module owns `catalog_items` only. */
export const migrations: Migration[] = [
  {
    id: "001_items",
    sql: `CREATE TABLE catalog_items (
      id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      sku text NOT NULL UNIQUE,
      name text NOT NULL,
      description text NOT NULL DEFAULT '',
      price_cents integer NOT NULL CHECK (price_cents >= 0),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL DEFAULT now(),
      updated_at timestamptz NOT NULL DEFAULT now()
    )`,
  },
];
