import type { FastifyPluginAsync, preHandlerHookHandler } from "fastify";
import type { ReportService } from "./service";
import { jobIdParams, submitReportBody } from "./schemas";

export function reportRoutes(service: ReportService, authenticate: preHandlerHookHandler): FastifyPluginAsync {
  return async (app) => {
    app.post("/reports", { preHandler: authenticate }, async (req, reply) => {
      const params = submitReportBody.parse(req.body ?? {});
      const job = await service.submit(params, { correlationId: req.id, otelContext: req.otelContext, principal: req.principal?.keyId });
      const location = `/jobs/${job.id}`;
      return reply.status(202).header("location", location).header("cache-control", "no-store").send({ jobId: job.id, status: job.status, location });
    });

    app.get("/jobs/:id", { preHandler: authenticate }, async (req, reply) => {
      const { id } = jobIdParams.parse(req.params);
      const { job, result } = await service.get(id);
      reply.header("cache-control", "no-store");
      if (job.status === "queued" || job.status === "running") reply.header("retry-after", "1");
      return { ...job, result: result && { ...result, href: `/jobs/${id}/result` } };
    });

    app.get("/jobs/:id/result", { preHandler: authenticate }, async (req, reply) => {
      const { id } = jobIdParams.parse(req.params);
      const result = await service.getResult(id);
      return reply.type(result.contentType).header("cache-control", "private, max-age=3600").send(result.body);
    });
  };
}
