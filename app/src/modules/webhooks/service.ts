import { randomInt } from "node:crypto";
import { ZodError } from "zod";
import type { Config } from "../../platform/config";
import type { Queryable } from "../../platform/db";
import { HttpError, notFound } from "../../platform/errors";
import type { Logger } from "../../platform/log";
import type { Metrics } from "../../platform/metrics";
import { PortRefusedError, TargetRefusedError, guardedPost, type OutboundOptions } from "../../platform/outbound-http";
import { toView, webhookIdOf, type DeliveryRow, type WebhookRepository } from "./repository";
import { REPORT_COMPLETED, callbackUrlSchema, type CompletedJob, type DeliveryView } from "./schemas";
import { SecretBox, newSecret, sign } from "./secrets";

export type WebhooksConfig = Pick<
  Config,
  | "NODE_ENV"
  | "WEBHOOK_ALLOW_HTTP"
  | "WEBHOOK_ALLOW_PRIVATE_TARGETS"
  | "WEBHOOK_PORTS"
  | "WEBHOOK_SECRET_KEY"
  | "WEBHOOK_SECRET_ROTATION_GRACE_S"
  | "WEBHOOK_TIMEOUT_MS"
  | "WEBHOOK_MAX_ATTEMPTS"
  | "WEBHOOK_BACKOFF_BASE_MS"
  | "WEBHOOK_BACKOFF_CAP_MS"
  | "WEBHOOK_POLL_MS"
  | "WEBHOOK_CONCURRENCY"
>;

/** Bytes of a receiver's answer kept for the delivery's last error; the rest is never read. */
const MAX_RESPONSE_BYTES = 1024;

/** Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in [0, min(cap, base * 2^(attempt-1))]. */
export function backoffMs(attempt: number, baseMs: number, capMs: number, random: (max: number) => number = (max) => randomInt(0, max + 1)): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt - 1, 30));
  return random(Math.floor(ceiling));
}

/**
 * Webhooks on job completion, per the Standard Webhooks specification. Reports hands over the callback URL when a
 * job is submitted (stored before the job's message is sent) and the job when it finishes; this module turns that
 * into one signed delivery, which the worker's delivery loop sends with retries and which the owner can inspect and
 * redeliver.
 */
export class WebhookService {
  private readonly box: SecretBox;
  private readonly callbackUrl;
  private readonly outbound: OutboundOptions;

  constructor(
    private readonly repo: WebhookRepository,
    private readonly config: WebhooksConfig,
    private readonly metrics: Metrics,
  ) {
    this.box = new SecretBox(config.WEBHOOK_SECRET_KEY);
    this.callbackUrl = callbackUrlSchema({ allowHttp: config.WEBHOOK_ALLOW_HTTP, allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS, ports: config.WEBHOOK_PORTS });
    // The port is checked again at send time: a URL stored before WEBHOOK_PORTS changed (or by an API configured
    // differently from this worker) is refused as a recorded failed attempt rather than left to time out.
    this.outbound = { allowPrivate: config.WEBHOOK_ALLOW_PRIVATE_TARGETS, ports: config.WEBHOOK_PORTS, timeoutMs: config.WEBHOOK_TIMEOUT_MS, maxResponseBytes: MAX_RESPONSE_BYTES };
  }

  get secretsEncrypted(): boolean {
    return this.box.encryption !== "none";
  }

  /** Creates `owner`'s signing secret; its text is returned once (409 if the owner has one: rotate it instead). */
  async createSecret(owner: string): Promise<{ secret: string }> {
    const { key, text } = newSecret();
    if (!(await this.repo.insertSecret(owner, this.box.seal(owner, key), this.box.encryption))) {
      throw new HttpError(409, "secret_exists", "this API key already has a webhook signing secret; rotate it with POST /webhooks/secret/rotate");
    }
    return { secret: text };
  }

  /** Replaces `owner`'s secret; the previous one keeps signing alongside until the grace period ends. */
  async rotateSecret(owner: string): Promise<{ secret: string; previousValidUntil: string }> {
    const { key, text } = newSecret();
    const until = await this.repo.rotateSecret(owner, this.box.seal(owner, key), this.box.encryption, this.config.WEBHOOK_SECRET_ROTATION_GRACE_S);
    if (!until) throw new HttpError(404, "not_found", "this API key has no webhook signing secret yet; create one with POST /webhooks/secret");
    return { secret: text, previousValidUntil: until.toISOString() };
  }

  /**
   * Checks a job's callback URL before the job exists: a ZodError naming `callbackUrl` (400) when it is invalid or
   * when the caller has no signing secret yet, since every delivery is signed.
   */
  async checkCallback(callbackUrl: unknown, owner: string): Promise<void> {
    const parsed = this.callbackUrl.safeParse(callbackUrl);
    if (!parsed.success) throw new ZodError(parsed.error.issues.map((i) => ({ ...i, path: ["callbackUrl", ...i.path] })));
    if (!(await this.repo.hasSecret(owner))) {
      throw new ZodError([
        { code: "custom", path: ["callbackUrl"], input: callbackUrl, message: "this API key has no webhook signing secret: create one with POST /webhooks/secret first (it is shown once)" },
      ]);
    }
  }

  register(jobId: string, callbackUrl: string, owner: string, q?: Queryable): Promise<void> {
    return this.repo.insertCallback(jobId, owner, callbackUrl, q);
  }

  /** Queues the job's delivery if it was submitted with a callback; idempotent by job id. */
  async jobCompleted(job: CompletedJob): Promise<void> {
    const payload = JSON.stringify({
      type: REPORT_COMPLETED,
      timestamp: new Date().toISOString(),
      data: { jobId: job.id, status: job.status, error: job.error, location: `/jobs/${job.id}`, ...(job.status === "done" ? { resultLocation: `/jobs/${job.id}/result` } : {}) },
    });
    await this.repo.createDelivery(job.id, REPORT_COMPLETED, payload, job.correlationId);
  }

  async list(owner: string, jobId: string | undefined, limit: number): Promise<DeliveryView[]> {
    return (await this.repo.listOwned(owner, jobId, limit)).map(toView);
  }

  async get(id: string, owner: string): Promise<DeliveryView> {
    const row = await this.repo.getOwned(id, owner);
    if (!row) throw notFound("webhook delivery");
    return toView(row);
  }

  /** Sends a delivered or dead delivery again (same webhook-id, fresh attempts); 409 while it is still pending. */
  async redeliver(id: string, owner: string): Promise<DeliveryView> {
    const row = await this.repo.redeliver(id, owner);
    if (row) return toView(row);
    await this.get(id, owner); // 404 unless it exists for this owner
    throw new HttpError(409, "delivery_pending", "this delivery is still pending; it is retried automatically (see nextAttemptAt)");
  }

  /** The keys that sign now: the current secret, and the previous one while its rotation grace lasts. */
  private async signingKeys(owner: string): Promise<Buffer[]> {
    const row = await this.repo.getSecret(owner);
    if (!row) throw new Error("the job's API key has no webhook signing secret");
    const keys = [this.box.open(owner, row.secret, row.encryption)];
    if (row.previous_secret && row.previous_encryption && row.previous_valid_until && row.previous_valid_until > new Date()) {
      keys.push(this.box.open(owner, row.previous_secret, row.previous_encryption));
    }
    return keys;
  }

  /** One attempt at one claimed delivery; records the outcome. Never throws (every failure is a recorded attempt). */
  async attempt(d: DeliveryRow, baseLog: Logger): Promise<void> {
    const log = baseLog.child({ correlationId: d.correlation_id, jobId: d.job_id, deliveryId: d.id, attempt: d.attempts });
    const started = process.hrtime.bigint();
    let status: number | null = null;
    let error: string;
    let result: string;
    try {
      const webhookId = webhookIdOf(d.id);
      const now = new Date();
      const headers = {
        "content-type": "application/json",
        "user-agent": "groundwork-webhooks/1",
        "webhook-id": webhookId,
        "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
        "webhook-signature": sign(await this.signingKeys(d.owner), webhookId, now, d.payload),
      };
      const res = await guardedPost(new URL(d.url), headers, d.payload, this.outbound);
      status = res.status;
      if (status >= 200 && status < 300) {
        await this.repo.markDelivered(d.id, d.attempts, status);
        this.metrics.webhookAttempts.inc({ result: "success" });
        this.metrics.webhookDeliveries.inc({ outcome: "delivered" });
        this.metrics.webhookAttemptDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
        log.info({ status, address: res.address }, "webhook delivered");
        return;
      }
      // Redirects count as failures: following one would leave the checked address.
      result = "http_error";
      error = `HTTP ${status}${res.body ? `: ${res.body.slice(0, 200)}` : ""}`;
    } catch (err) {
      result = err instanceof TargetRefusedError || err instanceof PortRefusedError ? "refused" : "network_error";
      error = err instanceof Error ? err.message : String(err);
    }
    this.metrics.webhookAttempts.inc({ result });
    this.metrics.webhookAttemptDuration.observe(Number(process.hrtime.bigint() - started) / 1e9);
    const dead = d.attempts >= this.config.WEBHOOK_MAX_ATTEMPTS;
    const retryIn = dead ? 0 : backoffMs(d.attempts, this.config.WEBHOOK_BACKOFF_BASE_MS, this.config.WEBHOOK_BACKOFF_CAP_MS);
    try {
      await this.repo.markFailed(d.id, d.attempts, status, error, dead, retryIn);
    } catch (err) {
      // The lease already moved next_attempt_at ahead, so the delivery is retried after it expires: nothing is lost.
      log.error({ err }, "could not record a failed webhook attempt; it is retried when its lease expires");
      return;
    }
    if (dead) {
      this.metrics.webhookDeliveries.inc({ outcome: "dead" });
      log.error({ status, error, result, attempts: d.attempts }, "webhook delivery dead after its last attempt; redeliver with POST /webhooks/deliveries/:id/redeliver");
    } else {
      log.warn({ status, error, result, retryInMs: retryIn }, "webhook attempt failed; retrying");
    }
  }

  /**
   * The worker's delivery loop: claims due deliveries (WEBHOOK_CONCURRENCY at a time), sends them, and polls again
   * at once while there is a backlog, else after WEBHOOK_POLL_MS. `stop` waits for the attempts in progress.
   */
  startDelivery(log: Logger): { stop(): Promise<void> } {
    let stopping = false;
    let timer: NodeJS.Timeout | undefined;
    let running: Promise<void> = Promise.resolve();
    // A lease outlives the attempt's own deadline, so a live attempt is never claimed twice.
    const leaseSeconds = Math.ceil(this.config.WEBHOOK_TIMEOUT_MS / 1000) * 2 + 30;
    const tick = async () => {
      let claimed = 0;
      try {
        const due = await this.repo.claimDue(this.config.WEBHOOK_CONCURRENCY, leaseSeconds);
        claimed = due.length;
        await Promise.all(due.map((d) => this.attempt(d, log)));
      } catch (err) {
        log.warn({ err }, "webhook delivery poll failed");
      }
      if (!stopping) timer = setTimeout(loop, claimed === this.config.WEBHOOK_CONCURRENCY ? 0 : this.config.WEBHOOK_POLL_MS);
    };
    const loop = () => {
      running = tick();
    };
    loop();
    return {
      stop: async () => {
        stopping = true;
        clearTimeout(timer);
        await running;
      },
    };
  }
}
