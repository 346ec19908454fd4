import type { Config } from "../../platform/config";
import type { Queryable } from "../../platform/db";
import { notFound } from "../../platform/errors";
import type { Logger } from "../../platform/log";
import type { Metrics } from "../../platform/metrics";
import { PoisonMessageError, type Delivery } from "../../platform/queue";
import { SpanKind, SpanStatusCode, context, extractContext, injectCarrier, trace, tracer, type Context } from "../../platform/tracing";
import type { CatalogApi } from "../catalog";
import type { WebhooksApi } from "../webhooks";
import type { JobRepository } from "./repository";
import { REPORT_KIND, jobMessage, type Job, type JobResult, type ReportParams } from "./schemas";

export interface SubmitContext {
  correlationId: string;
  otelContext: Context;
  /** The API key id that submits the job: only that key can read the job and its result. */
  owner: string;
}

/**
 * Report jobs.
 *
 * Submission: the job row ('queued') and its SQS message (an outbox record) are committed in one transaction,
 * then the caller gets 202: a 202 means the job is durable. The worker's outbox relay publishes the message
 * afterwards (at least once), so a crash anywhere loses no job; processing is idempotent by job id, so a message
 * published twice runs the job once.
 */
export class ReportService {
  constructor(
    private readonly repo: JobRepository,
    private readonly catalog: CatalogApi,
    private readonly config: Pick<Config, "REPORTS_MAX_DELAY_MS" | "JOB_MAX_RECEIVES">,
    private readonly metrics: Metrics,
    /** Signed callbacks on completion: checks and stores a job's callbackUrl, and hears when the job ends. */
    private readonly webhooks?: WebhooksApi,
  ) {}

  async submit({ callbackUrl, ...params }: ReportParams, ctx: SubmitContext): Promise<Job> {
    if (callbackUrl !== undefined) await this.webhooks?.checkCallback(callbackUrl, ctx.owner);
    const capped = { ...params, delayMs: Math.min(params.delayMs, this.config.REPORTS_MAX_DELAY_MS) };
    const webhooks = this.webhooks;
    // The callback is stored in the job's own transaction, so a 202 covers it too (and a failure stores neither).
    const inTx = callbackUrl !== undefined && webhooks ? (q: Queryable, jobId: string) => webhooks.register(jobId, callbackUrl, ctx.owner, q) : undefined;
    // The producer span covers the commit of the message; its context travels in the message attributes.
    const span = tracer().startSpan("reports.enqueue", { kind: SpanKind.PRODUCER, attributes: { "messaging.system": "aws_sqs" } }, ctx.otelContext);
    const carrier = injectCarrier(trace.setSpan(ctx.otelContext, span));
    try {
      const job = await this.repo.insertQueued(REPORT_KIND, capped, ctx.correlationId, ctx.owner, (jobId) => ({
        body: JSON.stringify({ jobId, kind: REPORT_KIND }),
        attributes: { correlation_id: ctx.correlationId || jobId, job_id: jobId, ...carrier },
      }), inTx);
      span.setAttribute("job.id", job.id);
      return job;
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw err;
    } finally {
      span.end();
    }
  }

  /**
   * The job `id` as its `owner` sees it. Another key's job answers the same 404 as a missing one, so job ids
   * reveal nothing to other callers.
   */
  async get(id: string, owner: string): Promise<{ job: Job; result: Omit<JobResult, "body"> | null }> {
    const job = await this.repo.getOwned(id, owner);
    if (!job) throw notFound("job");
    const result = job.status === "done" ? await this.repo.getResult(id, owner) : null;
    return { job, result: result && { contentType: result.contentType, rowCount: result.rowCount } };
  }

  /** The result of `owner`'s job `id`; 404 if the job is not finished, does not exist or is someone else's. */
  async getResult(id: string, owner: string): Promise<JobResult> {
    const result = await this.repo.getResult(id, owner);
    if (!result) throw notFound("job result");
    return result;
  }

  /** Produces the report. Pure function of the catalog; the expensive part in a real app. */
  private async build(params: ReportParams): Promise<JobResult> {
    if (params.delayMs > 0) await new Promise((r) => setTimeout(r, params.delayMs));
    const s = await this.catalog.priceSummary(params.minPriceCents);
    const lines = [
      "metric,value",
      `item_count,${s.itemCount}`,
      `total_cents,${s.totalCents}`,
      `min_cents,${s.minCents ?? ""}`,
      `max_cents,${s.maxCents ?? ""}`,
      `avg_cents,${s.avgCents ?? ""}`,
      ...s.bands.map((b) => `band_${b.band},${b.count}`),
    ];
    return { contentType: "text/csv", body: `${lines.join("\n")}\n`, rowCount: lines.length - 1 };
  }

  /**
   * Worker handler for one SQS delivery. Idempotent by job id: a finished job is acknowledged without work,
   * and the result insert is guarded by the result table's primary key. Throws to have SQS redeliver (with the
   * consumer's backoff); throws {@link PoisonMessageError} for messages that can never succeed.
   */
  async handle(d: Delivery, baseLog: Logger): Promise<void> {
    const started = process.hrtime.bigint();
    const parent = extractContext(d.attributes);
    const span = tracer().startSpan("reports.process", { kind: SpanKind.CONSUMER, attributes: { "messaging.system": "aws_sqs", "messaging.message.id": d.messageId } }, parent);
    const log = baseLog.child({ correlationId: d.attributes.correlation_id, messageId: d.messageId, receiveCount: d.receiveCount, traceId: span.spanContext().traceId });
    let outcome = "done";
    try {
      await context.with(trace.setSpan(parent, span), async () => {
        let msg;
        try {
          msg = jobMessage.parse(JSON.parse(d.body));
        } catch (err) {
          outcome = "invalid";
          throw new PoisonMessageError("invalid job message", err instanceof Error ? err.message : err);
        }
        span.setAttribute("job.id", msg.jobId);
        const jlog = log.child({ jobId: msg.jobId });
        const job = await this.repo.get(msg.jobId);
        if (!job) {
          outcome = "invalid";
          throw new PoisonMessageError(`job ${msg.jobId} does not exist`);
        }
        if (job.status === "done" || job.status === "failed") {
          outcome = "duplicate";
          jlog.info({ status: job.status }, "job already finished; acknowledging duplicate delivery");
          await this.webhooks?.jobCompleted(job); // idempotent: covers a crash between finishing and this call
          return;
        }
        const claimed = await this.repo.markRunning(job.id);
        if (!claimed) {
          outcome = "duplicate";
          return;
        }
        jlog.info({ attempt: claimed.attempts }, "job started");
        try {
          const result = await this.build(claimed.params);
          const stored = await this.repo.complete(job.id, result);
          outcome = stored ? "done" : "duplicate";
          jlog.info({ stored, seconds: Number(process.hrtime.bigint() - started) / 1e9 }, stored ? "job done" : "job already had a result; duplicate run discarded");
        } catch (err) {
          outcome = "retry";
          if (d.receiveCount >= this.config.JOB_MAX_RECEIVES) {
            const error = err instanceof Error ? err.message : String(err);
            await this.repo.markFailed(job.id, error).then(() => this.webhooks?.jobCompleted({ ...claimed, status: "failed", error })).catch(() => undefined);
            jlog.error({ err }, "job failed on its last delivery; message goes to the dead-letter queue");
          }
          throw err;
        }
        // A failure here is retried: the redelivery finds the job finished and calls it again (above).
        if (outcome === "done") await this.webhooks?.jobCompleted({ ...claimed, status: "done", error: null });
      });
    } catch (err) {
      span.setStatus({ code: SpanStatusCode.ERROR });
      if (outcome === "done") outcome = "retry";
      if (err instanceof PoisonMessageError) log.error({ err, details: err.details, body: d.body.slice(0, 500) }, "poison message");
      throw err;
    } finally {
      this.metrics.jobs.inc({ kind: REPORT_KIND, outcome });
      this.metrics.jobDuration.observe({ kind: REPORT_KIND, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
      span.end();
    }
  }
}
