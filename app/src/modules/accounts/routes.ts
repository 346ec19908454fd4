import type { FastifyPluginAsync } from "fastify";
import { callerOf, type RouteAccess } from "../../platform/access";
import { HttpError, notFound } from "../../platform/errors";
import type { ApiKeyService } from "./service";
import { createKeyBody, keyIdParams, type Scope } from "./schemas";

/** Route config for a route that only keys holding `scope` may call. */
export const requireScope = (scope: Scope): { access: RouteAccess } => ({ access: { scope } });

export function accountsRoutes(service: ApiKeyService): FastifyPluginAsync {
  return async (app) => {
    app.post("/accounts/keys", { config: requireScope("keys:admin") }, async (req, reply) => {
      const body = createKeyBody.parse(req.body ?? {});
      const caller = callerOf(req);
      // Holding keys:admin must not be a way to obtain scopes the caller's own key lacks.
      const missing = body.scopes.filter((s) => !caller.scopes.includes(s));
      if (missing.length) {
        throw new HttpError(403, "scope_not_held", `scopes: a key can only grant scopes it holds; this key lacks ${missing.join(", ")} (remove them from scopes)`, { field: "scopes", missing });
      }
      const created = await service.create(body);
      req.log.info({ keyId: created.id, scopes: created.scopes, by: caller.keyId }, "api key created");
      return reply.status(201).header("cache-control", "no-store").send(created);
    });
    app.get("/accounts/keys", { config: requireScope("keys:admin") }, async (_req, reply) => reply.header("cache-control", "no-store").send({ items: await service.list() }));
    app.delete("/accounts/keys/:id", { config: requireScope("keys:admin") }, async (req, reply) => {
      const { id } = keyIdParams.parse(req.params);
      if (!(await service.revoke(id))) throw notFound("api key");
      req.log.info({ keyId: id, by: callerOf(req).keyId }, "api key revoked");
      return reply.status(204).send();
    });
  };
}
