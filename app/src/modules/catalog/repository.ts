import type { Queryable } from "../../platform/db";
import type { CreateItem, Item, PriceSummary, UpdateItem } from "./schemas";

interface Row {
  id: string;
  sku: string;
  name: string;
  description: string;
  price_cents: number;
  version: number;
  created_at: Date;
  updated_at: Date;
}

const toItem = (r: Row): Item => ({
  id: Number(r.id),
  sku: r.sku,
  name: r.name,
  description: r.description,
  priceCents: r.price_cents,
  version: r.version,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** Thrown when a unique constraint (the SKU) is violated. */
export class DuplicateSkuError extends Error {}

/**
 * Catalog rows. Writes, and reads that must see them, use `db` (the writer); `get` and `list` use `reads`, which
 * may be a replica lagging the writer by up to its replica lag (the writer itself when there is no replica).
 */
export class ItemRepository {
  constructor(
    private readonly db: Queryable,
    private readonly reads: Queryable = db,
  ) {}

  async get(id: number): Promise<Item | null> {
    const { rows } = await this.reads.query<Row>("SELECT * FROM catalog_items WHERE id = $1", [id]);
    if (rows[0]) return toItem(rows[0]);
    // Not on the replica yet (created a moment ago?): the writer decides the 404, so a read after a create never misses.
    if (this.reads === this.db) return null;
    const writer = await this.db.query<Row>("SELECT * FROM catalog_items WHERE id = $1", [id]);
    return writer.rows[0] ? toItem(writer.rows[0]) : null;
  }

  async list(limit: number, after: number): Promise<Item[]> {
    const { rows } = await this.reads.query<Row>("SELECT * FROM catalog_items WHERE id > $1 ORDER BY id LIMIT $2", [after, limit]);
    return rows.map(toItem);
  }

  async insert(input: CreateItem): Promise<Item> {
    try {
      const { rows } = await this.db.query<Row>(
        "INSERT INTO catalog_items (sku, name, description, price_cents) VALUES ($1, $2, $3, $4) RETURNING *",
        [input.sku, input.name, input.description, input.priceCents],
      );
      return toItem(rows[0]);
    } catch (err) {
      if ((err as { code?: string }).code === "23505") throw new DuplicateSkuError(input.sku);
      throw err;
    }
  }

  async update(id: number, patch: UpdateItem): Promise<Item | null> {
    const { rows } = await this.db.query<Row>(
      `UPDATE catalog_items SET
         name = COALESCE($2, name), description = COALESCE($3, description), price_cents = COALESCE($4, price_cents),
         version = version + 1, updated_at = now()
       WHERE id = $1 RETURNING *`,
      [id, patch.name ?? null, patch.description ?? null, patch.priceCents ?? null],
    );
    return rows[0] ? toItem(rows[0]) : null;
  }

  async delete(id: number): Promise<boolean> {
    const { rowCount } = await this.db.query("DELETE FROM catalog_items WHERE id = $1", [id]);
    return (rowCount ?? 0) > 0;
  }

  async priceSummary(minPriceCents: number): Promise<PriceSummary> {
    const { rows } = await this.db.query<{ n: string; total: string | null; min: number | null; max: number | null; avg: string | null }>(
      "SELECT count(*) AS n, sum(price_cents) AS total, min(price_cents) AS min, max(price_cents) AS max, round(avg(price_cents)) AS avg FROM catalog_items WHERE price_cents >= $1",
      [minPriceCents],
    );
    const bands = await this.db.query<{ band: string; n: string }>(
      `SELECT CASE WHEN price_cents < 1000 THEN 'under_10' WHEN price_cents < 10000 THEN '10_to_100' ELSE 'over_100' END AS band, count(*) AS n
       FROM catalog_items WHERE price_cents >= $1 GROUP BY 1 ORDER BY 1`,
      [minPriceCents],
    );
    const r = rows[0];
    return {
      itemCount: Number(r.n),
      totalCents: Number(r.total ?? 0),
      minCents: r.min,
      maxCents: r.max,
      avgCents: r.avg === null ? null : Number(r.avg),
      bands: bands.rows.map((b) => ({ band: b.band, count: Number(b.n) })),
    };
  }
}
