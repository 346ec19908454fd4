import type { Migration } from "../../../platform/db";

/** The reports module owns `reports_jobs` and `reports_results`. One result per job, enforced by the key. */
export const migrations: Migration[] = [
  {
    id: "001_jobs",
    sql: `CREATE TABLE reports_jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL,
      status text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
      params jsonb NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      correlation_id text,
      created_by text,
      error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    );
    CREATE TABLE reports_results (
      job_id uuid PRIMARY KEY REFERENCES reports_jobs (id) ON DELETE CASCADE,
      content_type text NOT NULL,
      body text NOT NULL,
      row_count integer NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE INDEX reports_jobs_status_created ON reports_jobs (status, created_at) WHERE status IN ('queued', 'running')`,
  },
  {
    // Transactional outbox: the job's SQS message is committed with the job and published by the worker's relay.
    id: "002_outbox",
    sql: `CREATE TABLE reports_outbox (
      id bigserial PRIMARY KEY,
      body text NOT NULL,
      attributes jsonb NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      sent_at timestamptz
    );
    CREATE INDEX reports_outbox_unsent ON reports_outbox (id) WHERE sent_at IS NULL`,
  },
];
