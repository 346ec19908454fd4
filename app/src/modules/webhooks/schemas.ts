import { isIP } from "node:net";
import { z } from "zod";
import { describePorts, effectivePort, portAllowed, refusedRange } from "../../platform/outbound-http";

export const CALLBACK_URL_MAX = 2048;

/**
 * A job's callback URL. https only, unless `allowHttp` (tests, local runs; refused in production by the config);
 * no user or password (they would be stored and logged in clear: put a token in the path or verify our signature
 * instead); no fragment; a port in `ports` (WEBHOOK_PORTS: the platform's network policy lets the worker reach
 * only those, so any other port would fail at every attempt). A literal address is judged at once; host names are
 * resolved and judged at every attempt, since their answers change.
 */
export function callbackUrlSchema(opts: { allowHttp: boolean; allowPrivate: boolean; ports: readonly number[] | "any" }) {
  return z
    .string({ error: "must be a URL string" })
    .max(CALLBACK_URL_MAX, `must be at most ${CALLBACK_URL_MAX} characters`)
    .superRefine((value, ctx) => {
      let url: URL;
      try {
        url = new URL(value);
      } catch {
        ctx.addIssue({ code: "custom", message: "must be an absolute URL such as https://example.com/hooks/reports" });
        return;
      }
      const schemes = opts.allowHttp ? ["https:", "http:"] : ["https:"];
      if (!schemes.includes(url.protocol)) ctx.addIssue({ code: "custom", message: `must use ${opts.allowHttp ? "https or http" : "https"} (got ${url.protocol.slice(0, -1)})` });
      if (url.username || url.password) ctx.addIssue({ code: "custom", message: "must not contain a user or password: authenticate the request by its webhook-signature instead" });
      if (url.hash) ctx.addIssue({ code: "custom", message: "must not contain a #fragment (it is never sent)" });
      const host = url.hostname.replace(/^\[|\]$/g, "");
      if (!opts.allowPrivate && isIP(host)) {
        const range = refusedRange(host);
        if (range) ctx.addIssue({ code: "custom", message: `must reach a public address: ${host} is ${range}` });
      }
      if (opts.ports !== "any" && !portAllowed(url, opts.ports)) {
        ctx.addIssue({ code: "custom", message: `must use ${describePorts(opts.ports)} (WEBHOOK_PORTS); the platform's network policy allows only these (got ${effectivePort(url)})` });
      }
    });
}

export const deliveryIdParams = z.object({ id: z.uuid() });
export const listDeliveriesQuery = z
  .object({
    jobId: z.uuid().optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export type DeliveryState = "pending" | "delivered" | "dead";

/** What the API shows of a delivery (never the secret; the payload is what was signed). */
export interface DeliveryView {
  id: string;
  /** The `webhook-id` header: the same on every attempt and redelivery, so receivers can drop duplicates. */
  webhookId: string;
  jobId: string;
  url: string;
  eventType: string;
  state: DeliveryState;
  attempts: number;
  redeliveries: number;
  nextAttemptAt: string | null;
  lastAttemptAt: string | null;
  lastStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** A finished job as reports hands it over: only what the payload carries. */
export interface CompletedJob {
  id: string;
  status: "done" | "failed" | string;
  error: string | null;
  correlationId: string | null;
}

/** Event type of the payload's `type` (Standard Webhooks: dot-delimited). */
export const REPORT_COMPLETED = "report.completed";
