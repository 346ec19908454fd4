import type { FastifyPluginAsync } from "fastify";
import { callerOf } from "../../platform/access";
import { requireScope } from "../accounts";
import type { WebhookService } from "./service";
import { deliveryIdParams, listDeliveriesQuery } from "./schemas";

/**
 * Webhooks serve report jobs, so they need the `reports` scope. Secrets belong to the calling key, and a delivery is
 * visible only to the key that submitted its job (any other key gets the same 404 as for a missing one).
 */
const reports = { config: requireScope("reports") };

export function webhookRoutes(service: WebhookService): FastifyPluginAsync {
  return async (app) => {
    app.post("/webhooks/secret", reports, async (req, reply) => {
      const owner = callerOf(req).keyId;
      const { secret } = await service.createSecret(owner);
      req.log.info({ keyId: owner }, "webhook signing secret created");
      return reply.status(201).header("cache-control", "no-store").send({ secret, note: "shown once: store it now; it verifies the webhook-signature header of every delivery" });
    });

    app.post("/webhooks/secret/rotate", reports, async (req, reply) => {
      const owner = callerOf(req).keyId;
      const rotated = await service.rotateSecret(owner);
      req.log.info({ keyId: owner, previousValidUntil: rotated.previousValidUntil }, "webhook signing secret rotated");
      return reply.header("cache-control", "no-store").send({ ...rotated, note: "shown once; until previousValidUntil each delivery carries a signature by the old secret too" });
    });

    app.get("/webhooks/deliveries", reports, async (req, reply) => {
      const { jobId, limit } = listDeliveriesQuery.parse(req.query ?? {});
      return reply.header("cache-control", "no-store").send({ items: await service.list(callerOf(req).keyId, jobId, limit) });
    });

    app.get("/webhooks/deliveries/:id", reports, async (req, reply) => {
      const { id } = deliveryIdParams.parse(req.params);
      return reply.header("cache-control", "no-store").send(await service.get(id, callerOf(req).keyId));
    });

    app.post("/webhooks/deliveries/:id/redeliver", reports, async (req, reply) => {
      const { id } = deliveryIdParams.parse(req.params);
      const delivery = await service.redeliver(id, callerOf(req).keyId);
      req.log.info({ deliveryId: id, jobId: delivery.jobId }, "webhook redelivery requested");
      return reply.status(202).header("cache-control", "no-store").send(delivery);
    });
  };
}
