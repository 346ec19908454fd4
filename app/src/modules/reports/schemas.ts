import { z } from "zod";

export const REPORT_KIND = "catalog-price-summary";

export const submitReportBody = z
  .object({
    kind: z.literal(REPORT_KIND).default(REPORT_KIND),
    minPriceCents: z.number().int().min(0).default(0),
    /** Artificial work time, capped by REPORTS_MAX_DELAY_MS (0 = ignored); lets tests and demos make jobs slow. */
    delayMs: z.number().int().min(0).max(600000).default(0),
    /** Where the job's outcome is POSTed, signed (webhooks module); checked there, and never stored in params. */
    callbackUrl: z.string().optional(),
  })
  .strict();

export const jobIdParams = z.object({ id: z.uuid() });

/** The SQS message body. Anything else is a poison message. */
export const jobMessage = z.object({ jobId: z.uuid(), kind: z.literal(REPORT_KIND) }).strict();

export type ReportParams = z.infer<typeof submitReportBody>;
export type JobStatus = "queued" | "running" | "done" | "failed";

export interface Job {
  id: string;
  kind: string;
  status: JobStatus;
  params: ReportParams;
  attempts: number;
  correlationId: string | null;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface JobResult {
  contentType: string;
  body: string;
  rowCount: number;
}
