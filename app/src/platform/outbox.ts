import { SendMessageBatchCommand, type MessageAttributeValue, type SQSClient } from "@aws-sdk/client-sqs";
import type { Db, Queryable } from "./db";
import type { Logger } from "./log";
import type { Metrics } from "./metrics";

/**
 * Transactional outbox: a module writes its message into an outbox table in the same transaction as its own rows,
 * and {@link OutboxRelay} publishes the committed records to SQS afterwards. A message therefore exists if and only
 * if the data it announces was committed, and no request waits for SQS.
 *
 * The outbox table (owned by the module, created by its migration) must have these columns:
 * `id bigserial PRIMARY KEY, body text NOT NULL, attributes jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT
 * now(), sent_at timestamptz`, and an index on `(id) WHERE sent_at IS NULL`.
 */
export interface OutboxRecord {
  /** The SQS message body (JSON text). */
  body: string;
  /** String message attributes (correlation id, W3C trace context). */
  attributes: Record<string, string>;
}

const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;
const SEND_TIMEOUT_MS = 10000;

/** Inserts outbox records inside the caller's transaction (one multi-row INSERT). */
export async function insertOutbox(q: Queryable, table: string, records: OutboxRecord[]): Promise<void> {
  if (!IDENT.test(table)) throw new Error(`invalid outbox table name ${table}`);
  if (!records.length) return;
  await q.query(`INSERT INTO ${table} (body, attributes) SELECT * FROM unnest($1::text[], $2::jsonb[])`, [
    records.map((r) => r.body),
    records.map((r) => JSON.stringify(r.attributes)),
  ]);
}

/**
 * Points where tests make the relay "crash" (a thrown error rolls the claim back, exactly like a dead process whose
 * connection PostgreSQL closes): after claiming records and before sending them, and after SQS accepted them and
 * before they are marked sent.
 */
export interface RelayFaults {
  afterClaim?(ids: string[]): void | Promise<void>;
  afterSend?(ids: string[]): void | Promise<void>;
}

export interface OutboxRelayOptions {
  /** Name used in metrics and logs, e.g. "reports". */
  name: string;
  /** The outbox table. */
  table: string;
  queueUrl: string;
  /** Records claimed per transaction; sent as consecutive SendMessageBatch calls of 10. */
  claim: number;
  /** Pause between rounds when the outbox is empty. */
  pollMs: number;
  /** Sent records older than this are deleted (the outbox is not an archive). */
  retentionS: number;
  faults?: RelayFaults;
}

interface Row {
  id: string;
  body: string;
  attributes: Record<string, string>;
}

/**
 * Publishes outbox records to SQS, at least once, oldest first, and marks them sent.
 *
 * One round is one transaction: `SELECT ... ORDER BY id LIMIT n FOR UPDATE SKIP LOCKED` claims the oldest unsent
 * records, they are sent in batches of 10 (SendMessageBatch) in id order, and the accepted ones are marked sent
 * before COMMIT. Several relays (one per worker replica) never send the same record concurrently: the row locks
 * make the others skip to the next records. A crash before COMMIT (anywhere) releases the locks with the records
 * still unsent, so the next round sends them again: a message may be sent twice, never lost. Consumers must be
 * idempotent by the message's own id.
 *
 * Order: one relay sends in creation (id) order. With several relays, rounds overlap and a retried record goes out
 * after newer ones, and an SQS standard queue does not keep order anyway (best effort), so consumers must not rely on
 * it. A FIFO queue would be needed for strict order.
 */
export class OutboxRelay {
  private running = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private lastStats = 0;
  private lastPrune = 0;

  constructor(
    private readonly db: Db,
    private readonly sqs: SQSClient,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly opts: OutboxRelayOptions,
  ) {
    if (!IDENT.test(opts.table)) throw new Error(`invalid outbox table name ${opts.table}`);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Stops after the current round (which commits or rolls back as a whole). */
  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      let sent = 0;
      let claimed = 0;
      try {
        ({ sent, claimed } = await this.runOnce());
        failures = sent < claimed ? failures + 1 : 0;
        await this.housekeeping();
      } catch (err) {
        failures++;
        this.log.warn({ err, outbox: this.opts.name }, "outbox relay round failed; records stay unsent and are retried");
      }
      // A full claim means more is probably waiting: go again at once. Otherwise wait, longer after failures.
      if (this.running && (claimed < this.opts.claim || failures > 0)) {
        const ms = failures > 0 ? Math.min(5000, this.opts.pollMs * 2 ** Math.min(failures, 6)) : this.opts.pollMs;
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, ms);
          this.wake = () => {
            clearTimeout(t);
            resolve();
          };
        });
        this.wake = undefined;
      }
    }
  }

  /** One round: claim, send, mark sent, commit. Returns how many records were claimed and sent. */
  async runOnce(): Promise<{ claimed: number; sent: number }> {
    const { table, name, faults } = this.opts;
    return this.db.tx(async (q) => {
      const { rows } = await q.query<Row>(`SELECT id, body, attributes FROM ${table} WHERE sent_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`, [this.opts.claim]);
      if (!rows.length) return { claimed: 0, sent: 0 };
      await faults?.afterClaim?.(rows.map((r) => r.id));
      const sent: string[] = [];
      for (let i = 0; i < rows.length; i += 10) sent.push(...(await this.sendBatch(rows.slice(i, i + 10))));
      await faults?.afterSend?.(sent);
      if (sent.length) await q.query(`UPDATE ${table} SET sent_at = now() WHERE id = ANY($1::bigint[])`, [sent]);
      if (sent.length < rows.length) this.log.warn({ outbox: name, claimed: rows.length, sent: sent.length }, "SQS did not accept every outbox record; the rest is retried");
      return { claimed: rows.length, sent: sent.length };
    });
  }

  /** Sends up to 10 records as one SendMessageBatch; returns the ids SQS accepted. */
  private async sendBatch(batch: Row[]): Promise<string[]> {
    const labels = { outbox: this.opts.name };
    const started = process.hrtime.bigint();
    this.metrics.outboxBatchSize.observe(labels, batch.length);
    try {
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.opts.queueUrl,
          Entries: batch.map((r, i) => ({ Id: String(i), MessageBody: r.body, MessageAttributes: toAttributes(r.attributes) })),
        }),
        // The claim's row locks and connection are held during the call: never wait on SQS indefinitely.
        { abortSignal: AbortSignal.timeout(SEND_TIMEOUT_MS) },
      );
      const ok = new Set((out.Successful ?? []).map((e) => e.Id));
      const accepted = batch.filter((_, i) => ok.has(String(i))).map((r) => r.id);
      this.metrics.queueSent.inc({ result: "ok" }, accepted.length);
      if (accepted.length < batch.length) {
        const n = batch.length - accepted.length;
        this.metrics.queueSent.inc({ result: "error" }, n);
        this.metrics.outboxPublishFailures.inc({ ...labels, reason: "rejected" }, n);
        this.log.warn({ outbox: this.opts.name, failed: out.Failed }, "SQS rejected outbox records");
      }
      return accepted;
    } catch (err) {
      this.metrics.queueSent.inc({ result: "error" }, batch.length);
      this.metrics.outboxPublishFailures.inc({ ...labels, reason: "error" }, batch.length);
      this.log.warn({ err, outbox: this.opts.name, records: batch.length }, "SendMessageBatch failed; records stay unsent");
      return [];
    } finally {
      this.metrics.outboxBatchDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  /** Backlog gauges (at most once a second) and pruning of old sent records (at most once a minute). */
  private async housekeeping(): Promise<void> {
    const now = Date.now();
    const { table, name } = this.opts;
    if (now - this.lastStats >= 1000) {
      this.lastStats = now;
      const { rows } = await this.db.query<{ n: number; age: number | null }>(
        `SELECT count(*)::int AS n, extract(epoch FROM now() - min(created_at))::float8 AS age FROM ${table} WHERE sent_at IS NULL`,
      );
      this.metrics.outboxBacklog.set({ outbox: name }, rows[0].n);
      this.metrics.outboxOldestAge.set({ outbox: name }, rows[0].age ?? 0);
    }
    if (now - this.lastPrune >= 60000) {
      this.lastPrune = now;
      await this.db.query(`DELETE FROM ${table} WHERE sent_at < now() - make_interval(secs => $1)`, [this.opts.retentionS]);
    }
  }
}

function toAttributes(a: Record<string, string>): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [k, v] of Object.entries(a)) if (v) out[k] = { DataType: "String", StringValue: v };
  return out;
}
