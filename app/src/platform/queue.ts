import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
  type Message,
  type MessageAttributeValue,
} from "@aws-sdk/client-sqs";
import type { Logger } from "./log";
import type { Metrics } from "./metrics";

/** Builds the SQS client; `endpoint` points at a local emulator (fauxqs) in tests and local runs. */
export function createSqsClient(region: string, endpoint?: string): SQSClient {
  return new SQSClient({
    region,
    endpoint,
    // Local emulators accept any credentials; in AWS the default provider chain (task role) is used.
    ...(endpoint && !process.env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: "local", secretAccessKey: "local" } } : {}),
  });
}

/** Metadata carried next to a job message: correlation id and W3C trace context. */
export type MessageMeta = Record<string, string>;

interface PendingSend {
  body: string;
  attributes: Record<string, MessageAttributeValue>;
  resolve(messageId: string | undefined): void;
  reject(err: Error): void;
}

/**
 * Sends JSON messages with string message attributes (correlation id, traceparent).
 * Sends issued within `lingerMs` of each other go out as one SendMessageBatch (up to 10 entries): each caller
 * still gets its own result, and a failed entry rejects only its caller. This is what lets a burst of
 * submissions be accepted at several thousand per second.
 */
export class QueueProducer {
  private pending: PendingSend[] = [];
  private timer?: NodeJS.Timeout;

  constructor(
    readonly sqs: SQSClient,
    readonly queueUrl: string,
    private readonly metrics: Metrics,
    private readonly lingerMs = 2,
  ) {}

  send(body: unknown, meta: MessageMeta): Promise<string | undefined> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [k, v] of Object.entries(meta)) if (v) attributes[k] = { DataType: "String", StringValue: v };
    return new Promise((resolve, reject) => {
      this.pending.push({ body: JSON.stringify(body), attributes, resolve, reject });
      if (this.pending.length >= 10) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.lingerMs);
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length) void this.sendBatch(this.pending.splice(0, 10));
  }

  private async sendBatch(batch: PendingSend[]): Promise<void> {
    try {
      const out = await this.sqs.send(
        new SendMessageBatchCommand({
          QueueUrl: this.queueUrl,
          Entries: batch.map((p, i) => ({ Id: String(i), MessageBody: p.body, MessageAttributes: p.attributes })),
        }),
      );
      const ok = new Map((out.Successful ?? []).map((e) => [e.Id, e.MessageId]));
      const failed = new Map((out.Failed ?? []).map((e) => [e.Id, `${e.Code}: ${e.Message ?? ""}`]));
      batch.forEach((p, i) => {
        if (ok.has(String(i))) {
          this.metrics.queueSent.inc({ result: "ok" });
          p.resolve(ok.get(String(i)));
        } else {
          this.metrics.queueSent.inc({ result: "error" });
          p.reject(new Error(`SQS rejected the message: ${failed.get(String(i)) ?? "no result"}`));
        }
      });
    } catch (err) {
      this.metrics.queueSent.inc({ result: "error" }, batch.length);
      for (const p of batch) p.reject(err as Error);
    }
  }

  async ping(): Promise<void> {
    await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: this.queueUrl, AttributeNames: ["QueueArn"] }));
  }
}

/**
 * Polls ApproximateNumberOfMessages* of the given queues into the `queue_messages` gauge.
 * Returns a stop function.
 */
export function startQueueDepthPoller(sqs: SQSClient, queues: Record<string, string | undefined>, intervalMs: number, metrics: Metrics, log: Logger): () => void {
  if (intervalMs <= 0) return () => undefined;
  const poll = async () => {
    for (const [name, url] of Object.entries(queues)) {
      if (!url) continue;
      try {
        const out = await sqs.send(
          new GetQueueAttributesCommand({
            QueueUrl: url,
            AttributeNames: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"],
          }),
        );
        const a = out.Attributes ?? {};
        metrics.queueDepth.set({ queue: name, state: "visible" }, Number(a.ApproximateNumberOfMessages ?? 0));
        metrics.queueDepth.set({ queue: name, state: "in_flight" }, Number(a.ApproximateNumberOfMessagesNotVisible ?? 0));
        metrics.queueDepth.set({ queue: name, state: "delayed" }, Number(a.ApproximateNumberOfMessagesDelayed ?? 0));
      } catch (err) {
        log.warn({ err, queue: name }, "queue depth poll failed");
      }
    }
  };
  void poll();
  const timer = setInterval(() => void poll(), intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** A received message as handed to a handler. */
export interface Delivery {
  messageId: string;
  body: string;
  attributes: MessageMeta;
  receiveCount: number;
}

/**
 * Thrown by a handler for a message that can never succeed (fails validation). The message is not deleted:
 * it is made visible again at once so it reaches the dead-letter queue after maxReceiveCount receives.
 */
export class PoisonMessageError extends Error {
  constructor(message: string, readonly details?: unknown) {
    super(message);
    this.name = "PoisonMessageError";
  }
}

export interface ConsumerOptions {
  concurrency: number;
  visibilityTimeoutS: number;
  waitTimeS: number;
  maxBackoffS: number;
}

/**
 * Long-polling SQS consumer.
 * - keeps at most `concurrency` messages in progress;
 * - extends the visibility timeout every third of it while a handler runs (heartbeat);
 * - deletes the message only after the handler succeeded;
 * - on failure leaves the message in the queue with an exponential visibility backoff, so SQS redelivers it and,
 *   after the queue's redrive maxReceiveCount, moves it to the dead-letter queue;
 * - `stop()` stops receiving and waits for the messages in progress.
 */
export class QueueConsumer {
  private running = false;
  private readonly active = new Set<Promise<void>>();
  private abort = new AbortController();
  private loop?: Promise<void>;

  constructor(
    private readonly sqs: SQSClient,
    private readonly queueUrl: string,
    private readonly opts: ConsumerOptions,
    private readonly handler: (d: Delivery) => Promise<void>,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.abort = new AbortController();
    this.loop = this.poll();
  }

  get inProgress(): number {
    return this.active.size;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      const free = this.opts.concurrency - this.active.size;
      if (free <= 0) {
        await Promise.race(this.active);
        continue;
      }
      let messages: Message[] = [];
      try {
        const out = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.queueUrl,
            MaxNumberOfMessages: Math.min(10, free),
            WaitTimeSeconds: this.opts.waitTimeS,
            VisibilityTimeout: this.opts.visibilityTimeoutS,
            MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["ApproximateReceiveCount"],
          }),
          { abortSignal: this.abort.signal },
        );
        messages = out.Messages ?? [];
      } catch (err) {
        if (!this.running) break;
        this.log.warn({ err }, "receive failed; retrying");
        await new Promise((r) => setTimeout(r, 1000));
        continue;
      }
      for (const m of messages) {
        const p = this.process(m).finally(() => this.active.delete(p));
        this.active.add(p);
      }
    }
  }

  private async process(m: Message): Promise<void> {
    const receipt = m.ReceiptHandle as string;
    const attributes: MessageMeta = {};
    for (const [k, v] of Object.entries(m.MessageAttributes ?? {})) if (v.StringValue !== undefined) attributes[k] = v.StringValue;
    const receiveCount = Number(m.Attributes?.ApproximateReceiveCount ?? 1);
    const setVisibility = (seconds: number) =>
      this.sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt, VisibilityTimeout: seconds }));
    const heartbeat = setInterval(() => {
      setVisibility(this.opts.visibilityTimeoutS).catch((err) => this.log.warn({ err, messageId: m.MessageId }, "visibility heartbeat failed"));
    }, Math.max(500, (this.opts.visibilityTimeoutS * 1000) / 3));
    try {
      await this.handler({ messageId: m.MessageId ?? "", body: m.Body ?? "", attributes, receiveCount });
      clearInterval(heartbeat);
      await this.sqs.send(new DeleteMessageCommand({ QueueUrl: this.queueUrl, ReceiptHandle: receipt }));
    } catch (err) {
      clearInterval(heartbeat);
      const poison = err instanceof PoisonMessageError;
      const backoff = poison ? 0 : Math.min(this.opts.maxBackoffS, 2 ** Math.min(receiveCount, 16));
      this.log.warn({ err, messageId: m.MessageId, receiveCount, retryInSeconds: backoff, poison, correlationId: attributes.correlation_id }, poison ? "poison message; left for the dead-letter queue" : "message failed; will be redelivered");
      await setVisibility(backoff).catch((e) => this.log.warn({ err: e }, "could not set retry backoff"));
    }
  }

  /** Stops receiving and waits for the messages in progress to finish. */
  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop?.catch(() => undefined);
    await Promise.allSettled([...this.active]);
  }
}
