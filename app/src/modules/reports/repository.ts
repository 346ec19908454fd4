import { randomUUID } from "node:crypto";
import { MicroBatcher } from "../../platform/batch";
import type { Queryable } from "../../platform/db";
import { insertOutbox, type OutboxRecord } from "../../platform/outbox";
import type { Job, JobResult, ReportParams } from "./schemas";

interface Row {
  id: string;
  kind: string;
  status: Job["status"];
  params: ReportParams;
  attempts: number;
  correlation_id: string | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
}

const toJob = (r: Row): Job => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  params: r.params,
  attempts: r.attempts,
  correlationId: r.correlation_id,
  error: r.error,
  createdAt: r.created_at.toISOString(),
  startedAt: r.started_at?.toISOString() ?? null,
  finishedAt: r.finished_at?.toISOString() ?? null,
});

export const OUTBOX_TABLE = "reports_outbox";

interface NewJob {
  id: string;
  kind: string;
  params: ReportParams;
  correlationId: string;
  createdBy: string;
  /** The job's SQS message, committed with it. */
  message: (jobId: string) => OutboxRecord;
  /** More writes in the job's transaction (its webhook callback). */
  inTx?: (q: Queryable, jobId: string) => Promise<void>;
}

export class JobRepository {
  /**
   * Group commit: submissions arriving within 2 ms (or while `maxInFlight` transactions are already committing) are
   * stored by one transaction with two multi-row INSERTs (jobs and their outbox records): one commit for many 202s.
   */
  private readonly inserts: MicroBatcher<NewJob, Job>;

  constructor(
    private readonly db: Queryable & { tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> },
    batching: { maxSize: number; maxInFlight: number } = { maxSize: 500, maxInFlight: 4 },
  ) {
    this.inserts = new MicroBatcher<NewJob, Job>((jobs) => this.insertMany(jobs), batching.maxSize, 2, batching.maxInFlight);
  }

  /** Stores a 'queued' job and its outbox message in one transaction; resolves once committed. */
  insertQueued(kind: string, params: ReportParams, correlationId: string, createdBy: string, message: NewJob["message"], inTx?: NewJob["inTx"]): Promise<Job> {
    return this.inserts.add({ id: randomUUID(), kind, params, correlationId, createdBy, message, inTx });
  }

  private insertMany(jobs: NewJob[]): Promise<Job[]> {
    return this.db.tx(async (q) => {
      const out = await this.insertJobs(q, jobs);
      for (const j of jobs) await j.inTx?.(q, j.id);
      await insertOutbox(q, OUTBOX_TABLE, jobs.map((j) => j.message(j.id)));
      return out;
    });
  }

  private async insertJobs(q: Queryable, jobs: NewJob[]): Promise<Job[]> {
    const { rows } = await q.query<Row>(
      `INSERT INTO reports_jobs (id, kind, status, params, correlation_id, created_by)
       SELECT id, kind, 'queued', params, correlation_id, created_by
       FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[], $5::text[]) AS t(id, kind, params, correlation_id, created_by)
       RETURNING *`,
      [jobs.map((j) => j.id), jobs.map((j) => j.kind), jobs.map((j) => JSON.stringify(j.params)), jobs.map((j) => j.correlationId), jobs.map((j) => j.createdBy)],
    );
    const byId = new Map(rows.map((r) => [r.id, toJob(r)]));
    return jobs.map((j) => {
      const job = byId.get(j.id);
      if (!job) throw new Error(`job ${j.id} was not inserted`);
      return job;
    });
  }

  /** Any job by id (the worker's view). */
  async get(id: string): Promise<Job | null> {
    const { rows } = await this.db.query<Row>("SELECT * FROM reports_jobs WHERE id = $1", [id]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** The job only if the key `owner` created it (the API's view), else null. */
  async getOwned(id: string, owner: string): Promise<Job | null> {
    const { rows } = await this.db.query<Row>("SELECT * FROM reports_jobs WHERE id = $1 AND created_by = $2", [id, owner]);
    return rows[0] ? toJob(rows[0]) : null;
  }

  /** The result of `owner`'s job `id`, or null. */
  async getResult(id: string, owner: string): Promise<JobResult | null> {
    const { rows } = await this.db.query<{ content_type: string; body: string; row_count: number }>(
      "SELECT r.content_type, r.body, r.row_count FROM reports_results r JOIN reports_jobs j ON j.id = r.job_id WHERE r.job_id = $1 AND j.created_by = $2",
      [id, owner],
    );
    return rows[0] ? { contentType: rows[0].content_type, body: rows[0].body, rowCount: rows[0].row_count } : null;
  }

  /** Claims a job for this delivery unless it is already finished. Returns null if there is nothing to do. */
  async markRunning(id: string): Promise<Job | null> {
    const { rows } = await this.db.query<Row>(
      "UPDATE reports_jobs SET status = 'running', attempts = attempts + 1, started_at = now() WHERE id = $1 AND status IN ('queued', 'running') RETURNING *",
      [id],
    );
    return rows[0] ? toJob(rows[0]) : null;
  }

  /**
   * Stores the result and marks the job done in one transaction. The result's primary key is the job id, so a
   * concurrent or redelivered run can never add a second result: it returns false and writes nothing.
   */
  async complete(id: string, result: JobResult): Promise<boolean> {
    return this.db.tx(async (q) => {
      const ins = await q.query(
        "INSERT INTO reports_results (job_id, content_type, body, row_count) VALUES ($1, $2, $3, $4) ON CONFLICT (job_id) DO NOTHING",
        [id, result.contentType, result.body, result.rowCount],
      );
      if ((ins.rowCount ?? 0) === 0) return false;
      await q.query("UPDATE reports_jobs SET status = 'done', finished_at = now(), error = NULL WHERE id = $1 AND status <> 'done'", [id]);
      return true;
    });
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.db.query("UPDATE reports_jobs SET status = 'failed', error = $2, finished_at = now() WHERE id = $1 AND status <> 'done'", [id, error]);
  }
}
