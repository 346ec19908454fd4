import type { Queryable } from "../../platform/db";
import type { DeliveryState, DeliveryView } from "./schemas";

export interface SecretRow {
  owner: string;
  secret: Buffer;
  encryption: "none" | "aes-256-gcm";
  previous_secret: Buffer | null;
  previous_encryption: "none" | "aes-256-gcm" | null;
  previous_valid_until: Date | null;
}

export interface DeliveryRow {
  id: string;
  job_id: string;
  owner: string;
  url: string;
  event_type: string;
  payload: string;
  correlation_id: string | null;
  state: DeliveryState;
  attempts: number;
  redeliveries: number;
  next_attempt_at: Date;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_error: string | null;
  created_at: Date;
  delivered_at: Date | null;
}

/** The `webhook-id` of a delivery: stable across attempts and redeliveries. */
export const webhookIdOf = (deliveryId: string) => `msg_${deliveryId.replace(/-/g, "")}`;

export const toView = (r: DeliveryRow): DeliveryView => ({
  id: r.id,
  webhookId: webhookIdOf(r.id),
  jobId: r.job_id,
  url: r.url,
  eventType: r.event_type,
  state: r.state,
  attempts: r.attempts,
  redeliveries: r.redeliveries,
  nextAttemptAt: r.state === "pending" ? r.next_attempt_at.toISOString() : null,
  lastAttemptAt: r.last_attempt_at?.toISOString() ?? null,
  lastStatus: r.last_status,
  lastError: r.last_error,
  createdAt: r.created_at.toISOString(),
  deliveredAt: r.delivered_at?.toISOString() ?? null,
});

type Db = Queryable & { tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> };

export class WebhookRepository {
  constructor(private readonly db: Db) {}

  /** Inserts the owner's first secret; false if the owner already has one. */
  async insertSecret(owner: string, secret: Buffer, encryption: string): Promise<boolean> {
    const { rowCount } = await this.db.query("INSERT INTO webhooks_secrets (owner, secret, encryption) VALUES ($1, $2, $3) ON CONFLICT (owner) DO NOTHING", [owner, secret, encryption]);
    return (rowCount ?? 0) > 0;
  }

  /** Replaces the owner's secret; the old one keeps signing (as a second signature) until `graceSeconds` from now. */
  async rotateSecret(owner: string, secret: Buffer, encryption: string, graceSeconds: number): Promise<Date | null> {
    const { rows } = await this.db.query<{ previous_valid_until: Date }>(
      `UPDATE webhooks_secrets SET previous_secret = secret, previous_encryption = encryption,
         previous_valid_until = now() + make_interval(secs => $4), secret = $2, encryption = $3, rotated_at = now()
       WHERE owner = $1 RETURNING previous_valid_until`,
      [owner, secret, encryption, graceSeconds],
    );
    return rows[0]?.previous_valid_until ?? null;
  }

  async getSecret(owner: string): Promise<SecretRow | null> {
    const { rows } = await this.db.query<SecretRow>("SELECT * FROM webhooks_secrets WHERE owner = $1", [owner]);
    return rows[0] ?? null;
  }

  async hasSecret(owner: string): Promise<boolean> {
    return ((await this.db.query("SELECT 1 FROM webhooks_secrets WHERE owner = $1", [owner])).rowCount ?? 0) > 0;
  }

  /** Stores a job's callback URL; `q` lets a caller write it inside its own transaction. */
  async insertCallback(jobId: string, owner: string, url: string, q: Queryable = this.db): Promise<void> {
    await q.query("INSERT INTO webhooks_callbacks (job_id, owner, url) VALUES ($1, $2, $3) ON CONFLICT (job_id) DO NOTHING", [jobId, owner, url]);
  }

  /**
   * Creates the job's delivery if the job has a callback (otherwise nothing). Idempotent by job id: a job reported
   * finished twice (a redelivered SQS message) still gets one delivery.
   */
  async createDelivery(jobId: string, eventType: string, payload: string, correlationId: string | null): Promise<DeliveryRow | null> {
    const { rows } = await this.db.query<DeliveryRow>(
      `INSERT INTO webhooks_deliveries (job_id, owner, url, event_type, payload, correlation_id, state)
       SELECT c.job_id, c.owner, c.url, $2, $3, $4, 'pending' FROM webhooks_callbacks c WHERE c.job_id = $1
       ON CONFLICT (job_id) DO NOTHING RETURNING *`,
      [jobId, eventType, payload, correlationId],
    );
    return rows[0] ?? null;
  }

  /**
   * Claims up to `limit` due deliveries. SKIP LOCKED lets several workers claim without waiting on each other; the
   * claim itself is a lease (next_attempt_at moves `leaseSeconds` ahead, attempts counts this one), so no
   * transaction stays open during the HTTP call and a worker that dies mid-attempt only delays the next one.
   */
  async claimDue(limit: number, leaseSeconds: number): Promise<DeliveryRow[]> {
    const { rows } = await this.db.query<DeliveryRow>(
      `UPDATE webhooks_deliveries d SET attempts = d.attempts + 1, last_attempt_at = now(), next_attempt_at = now() + make_interval(secs => $2)
       WHERE d.id IN (
         SELECT id FROM webhooks_deliveries WHERE state = 'pending' AND next_attempt_at <= now()
         ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED
       ) RETURNING d.*`,
      [limit, leaseSeconds],
    );
    return rows;
  }

  /** Records a successful attempt, unless the row moved on meanwhile (a redelivery reset it). */
  async markDelivered(id: string, attempts: number, status: number): Promise<void> {
    await this.db.query(
      "UPDATE webhooks_deliveries SET state = 'delivered', delivered_at = now(), last_status = $3, last_error = NULL WHERE id = $1 AND attempts = $2 AND state = 'pending'",
      [id, attempts, status],
    );
  }

  /** Records a failed attempt: due again after `retryInMs`, or 'dead' when `dead`. */
  async markFailed(id: string, attempts: number, status: number | null, error: string, dead: boolean, retryInMs: number): Promise<void> {
    await this.db.query(
      `UPDATE webhooks_deliveries SET last_status = $3, last_error = $4,
         state = CASE WHEN $5 THEN 'dead' ELSE 'pending' END,
         next_attempt_at = now() + make_interval(secs => $6::double precision / 1000)
       WHERE id = $1 AND attempts = $2 AND state = 'pending'`,
      [id, attempts, status, error.slice(0, 500), dead, retryInMs],
    );
  }

  async getOwned(id: string, owner: string): Promise<DeliveryRow | null> {
    const { rows } = await this.db.query<DeliveryRow>("SELECT * FROM webhooks_deliveries WHERE id = $1 AND owner = $2", [id, owner]);
    return rows[0] ?? null;
  }

  async listOwned(owner: string, jobId: string | undefined, limit: number): Promise<DeliveryRow[]> {
    const { rows } = await this.db.query<DeliveryRow>(
      "SELECT * FROM webhooks_deliveries WHERE owner = $1 AND ($2::uuid IS NULL OR job_id = $2) ORDER BY created_at DESC LIMIT $3",
      [owner, jobId ?? null, limit],
    );
    return rows;
  }

  /** Puts a delivered or dead delivery back in line with a fresh attempt budget; null if it is pending (or not the owner's). */
  async redeliver(id: string, owner: string): Promise<DeliveryRow | null> {
    const { rows } = await this.db.query<DeliveryRow>(
      `UPDATE webhooks_deliveries SET state = 'pending', attempts = 0, redeliveries = redeliveries + 1, next_attempt_at = now(), delivered_at = NULL
       WHERE id = $1 AND owner = $2 AND state IN ('delivered', 'dead') RETURNING *`,
      [id, owner],
    );
    return rows[0] ?? null;
  }
}
