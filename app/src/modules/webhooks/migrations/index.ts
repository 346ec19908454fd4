import type { Migration } from "../../../platform/db";

/**
 * The webhooks module owns its three tables; the job itself stays in reports' tables (joined by job id only).
 * - `webhooks_secrets`: one signing secret per API key (owner), encrypted at rest when WEBHOOK_SECRET_KEY is set,
 *   plus the previous one during a rotation's grace period;
 * - `webhooks_callbacks`: the callback URL a job was submitted with, stored before the job's message is sent;
 * - `webhooks_deliveries`: one delivery per finished job with a callback: the exact payload signed on every
 *   attempt, its state (pending, delivered, dead) and when it is next due.
 */
export const migrations: Migration[] = [
  {
    id: "001_webhooks",
    sql: `CREATE TABLE webhooks_secrets (
      owner text PRIMARY KEY,
      secret bytea NOT NULL,
      encryption text NOT NULL CHECK (encryption IN ('none', 'aes-256-gcm')),
      previous_secret bytea,
      previous_encryption text CHECK (previous_encryption IN ('none', 'aes-256-gcm')),
      previous_valid_until timestamptz,
      created_at timestamptz NOT NULL DEFAULT now(),
      rotated_at timestamptz
    );
    CREATE TABLE webhooks_callbacks (
      job_id uuid PRIMARY KEY,
      owner text NOT NULL,
      url text NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE webhooks_deliveries (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      job_id uuid NOT NULL UNIQUE REFERENCES webhooks_callbacks (job_id) ON DELETE CASCADE,
      owner text NOT NULL,
      url text NOT NULL,
      event_type text NOT NULL,
      payload text NOT NULL,
      correlation_id text,
      state text NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
      attempts integer NOT NULL DEFAULT 0,
      redeliveries integer NOT NULL DEFAULT 0,
      next_attempt_at timestamptz NOT NULL DEFAULT now(),
      last_attempt_at timestamptz,
      last_status integer,
      last_error text,
      created_at timestamptz NOT NULL DEFAULT now(),
      delivered_at timestamptz
    );
    CREATE INDEX webhooks_deliveries_due ON webhooks_deliveries (next_attempt_at) WHERE state = 'pending';
    CREATE INDEX webhooks_deliveries_owner ON webhooks_deliveries (owner, created_at DESC)`,
  },
];
