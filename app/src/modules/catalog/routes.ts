import type { FastifyPluginAsync } from "fastify";
import { requireScope } from "../accounts";
import type { CatalogService } from "./service";
import { createItemBody, itemIdParams, listQuery, updateItemBody, type Item } from "./schemas";

const etagOf = (item: Item) => `W/"item-${item.id}-v${item.version}"`;

/** True if an If-None-Match header matches the ETag (weak comparison, `*` and lists supported). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === "*") return true;
  const strip = (t: string) => t.trim().replace(/^W\//, "");
  return ifNoneMatch.split(",").some((t) => strip(t) === strip(etag));
}

/** Catalog reads are public (CloudFront caches them for everyone); writes need `catalog:write`. */
const publicRead = { config: { access: "public" as const } };
const write = { config: requireScope("catalog:write") };

export function catalogRoutes(service: CatalogService, maxAgeSeconds: number): FastifyPluginAsync {
  const cacheControl = `public, max-age=${maxAgeSeconds}, stale-while-revalidate=${maxAgeSeconds}`;
  return async (app) => {
    app.get("/catalog/items", publicRead, async (req, reply) => {
      const q = listQuery.parse(req.query);
      const items = await service.list(q.limit, q.after);
      const next = items.length === q.limit ? items[items.length - 1].id : null;
      return reply.header("cache-control", `public, max-age=${Math.min(5, maxAgeSeconds)}`).send({ items, next });
    });

    app.get("/catalog/items/:id", publicRead, async (req, reply) => {
      const { id } = itemIdParams.parse(req.params);
      const item = await service.get(id);
      const etag = etagOf(item);
      reply.header("etag", etag).header("cache-control", cacheControl).header("last-modified", new Date(item.updatedAt).toUTCString());
      if (matches(req.headers["if-none-match"], etag)) return reply.status(304).send();
      return item;
    });

    app.post("/catalog/items", write, async (req, reply) => {
      const item = await service.create(createItemBody.parse(req.body ?? {}));
      return reply.status(201).header("location", `/catalog/items/${item.id}`).header("etag", etagOf(item)).send(item);
    });

    app.patch("/catalog/items/:id", write, async (req, reply) => {
      const { id } = itemIdParams.parse(req.params);
      const item = await service.update(id, updateItemBody.parse(req.body ?? {}));
      return reply.header("etag", etagOf(item)).send(item);
    });

    app.delete("/catalog/items/:id", write, async (req, reply) => {
      const { id } = itemIdParams.parse(req.params);
      await service.delete(id);
      return reply.status(204).send();
    });
  };
}
