import type { FastifyPluginAsync, preHandlerHookHandler } from "fastify";
import { CREDENTIAL_HEADER } from "../../platform/contract";
import { HttpError, notFound } from "../../platform/errors";
import type { ApiKeyService } from "./service";
import { createKeyBody, keyIdParams } from "./schemas";

/** preHandler that requires a valid API key in the credential header (`x-api-key`) and sets `req.principal`. */
export function authenticateWith(service: ApiKeyService): preHandlerHookHandler {
  return async (req) => {
    const key = req.headers[CREDENTIAL_HEADER];
    const principal = typeof key === "string" ? await service.verify(key) : null;
    if (!principal) throw new HttpError(401, "unauthorized", `a valid ${CREDENTIAL_HEADER} header is required`);
    req.principal = principal;
  };
}

export function accountsRoutes(service: ApiKeyService, authenticate: preHandlerHookHandler): FastifyPluginAsync {
  return async (app) => {
    app.post("/accounts/keys", { preHandler: authenticate }, async (req, reply) => {
      const body = createKeyBody.parse(req.body ?? {});
      const created = await service.create(body.name);
      req.log.info({ keyId: created.id, by: req.principal?.keyId }, "api key created");
      return reply.status(201).header("cache-control", "no-store").send(created);
    });
    app.get("/accounts/keys", { preHandler: authenticate }, async (_req, reply) => reply.header("cache-control", "no-store").send({ items: await service.list() }));
    app.delete("/accounts/keys/:id", { preHandler: authenticate }, async (req, reply) => {
      const { id } = keyIdParams.parse(req.params);
      if (!(await service.revoke(id))) throw notFound("api key");
      return reply.status(204).send();
    });
  };
}
