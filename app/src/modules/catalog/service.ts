import type { Cache } from "../../platform/cache";
import { HttpError, notFound } from "../../platform/errors";
import { DuplicateSkuError, type ItemRepository } from "./repository";
import type { CreateItem, Item, UpdateItem } from "./schemas";

const NS = "catalog-item";

/**
 * Catalog items. Single-item reads go through the cache (cache-aside); every write invalidates the item after
 * the database change so all instances drop it.
 */
export class CatalogService {
  constructor(
    private readonly repo: ItemRepository,
    private readonly cache: Cache,
    private readonly ttlSeconds: number,
  ) {}

  async get(id: number): Promise<Item> {
    const item = await this.cache.getOrLoad(NS, String(id), this.ttlSeconds, () => this.repo.get(id));
    if (!item) throw notFound("item");
    return item;
  }

  list(limit: number, after: number) {
    return this.repo.list(limit, after);
  }

  async create(input: CreateItem): Promise<Item> {
    try {
      return await this.repo.insert(input);
    } catch (err) {
      if (err instanceof DuplicateSkuError) throw new HttpError(409, "conflict", `sku ${input.sku} already exists`);
      throw err;
    }
  }

  async update(id: number, patch: UpdateItem): Promise<Item> {
    const item = await this.repo.update(id, patch);
    await this.cache.invalidate(NS, String(id));
    if (!item) throw notFound("item");
    return item;
  }

  async delete(id: number): Promise<void> {
    const ok = await this.repo.delete(id);
    await this.cache.invalidate(NS, String(id));
    if (!ok) throw notFound("item");
  }

  priceSummary(minPriceCents: number) {
    return this.repo.priceSummary(minPriceCents);
  }
}
