import type { FastifyPluginAsync } from "fastify";
import { callerOf } from "../../platform/access";
import { requireScope } from "../accounts";
import type { ReportService } from "./service";
import { jobIdParams, submitReportBody } from "./schemas";

/** Every report route needs `reports`; a job is visible only to the key that submitted it (else 404). */
const reports = { config: requireScope("reports") };

export function reportRoutes(service: ReportService): FastifyPluginAsync {
  return async (app) => {
    app.post("/reports", reports, async (req, reply) => {
      const params = submitReportBody.parse(req.body ?? {});
      const job = await service.submit(params, { correlationId: req.id, otelContext: req.otelContext, owner: callerOf(req).keyId });
      const location = `/jobs/${job.id}`;
      return reply.status(202).header("location", location).header("cache-control", "no-store").send({ jobId: job.id, status: job.status, location });
    });

    app.get("/jobs/:id", reports, async (req, reply) => {
      const { id } = jobIdParams.parse(req.params);
      const { job, result } = await service.get(id, callerOf(req).keyId);
      reply.header("cache-control", "no-store");
      if (job.status === "queued" || job.status === "running") reply.header("retry-after", "1");
      return { ...job, result: result && { ...result, href: `/jobs/${id}/result` } };
    });

    app.get("/jobs/:id/result", reports, async (req, reply) => {
      const { id } = jobIdParams.parse(req.params);
      const result = await service.getResult(id, callerOf(req).keyId);
      return reply.type(result.contentType).header("cache-control", "private, max-age=3600").send(result.body);
    });
  };
}
