/**
 * The front end's client of the app's API: same origin (the CDN serves both, so CSP `connect-src 'self'` holds), the
 * API key in the app's credential header, and the app's error shape `{error, message}` turned into {@link ApiError}.
 */
import { credentialHeader } from "../../src/contract.json";

/** An API answer that was not 2xx, with the app's error code and message. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A catalog item as `GET /catalog/items` lists it. */
export interface Item {
  id: number;
  sku: string;
  name: string;
  priceCents: number;
}

/** A report job as `GET /jobs/:id` returns it. */
export interface Job {
  id: string;
  status: "queued" | "running" | "done" | "failed";
  error: string | null;
  result: { rowCount: number; href: string } | null;
}

/** An API key's record (never the key itself, except once at creation). */
export interface KeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: string[];
  createdAt: string;
  revokedAt: string | null;
}

/** The client: `key()` is read on every call, so a key change applies at once. */
export class Api {
  constructor(private readonly key: () => string | undefined) {}

  private async call(path: string, init: RequestInit & { json?: unknown } = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const key = this.key();
    if (key) headers.set(credentialHeader, key);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(init.json);
    }
    const res = await fetch(path, { ...init, headers, body, credentials: "omit" });
    if (!res.ok) {
      let code = `http_${res.status}`;
      let message = res.statusText || "request failed";
      try {
        const e = (await res.json()) as { error?: string; message?: string };
        code = e.error ?? code;
        message = e.message ?? message;
      } catch {
        // Not the app's JSON error (a proxy's page, for example): keep the status line.
      }
      throw new ApiError(res.status, code, message);
    }
    return res;
  }

  /** One page of the catalog (public; keyset pagination). */
  async items(after = 0, limit = 20): Promise<{ items: Item[]; next: number | null }> {
    return (await this.call(`/catalog/items?limit=${limit}&after=${after}`)).json();
  }

  /** Submits a report job (`reports` scope); answers its id. */
  async submitReport(minPriceCents: number): Promise<string> {
    const r = (await (await this.call("/reports", { method: "POST", json: { minPriceCents } })).json()) as { jobId: string };
    return r.jobId;
  }

  /** A job's state (own jobs only). */
  async job(id: string): Promise<Job> {
    return (await this.call(`/jobs/${encodeURIComponent(id)}`)).json();
  }

  /** A finished job's CSV. */
  async result(id: string): Promise<Blob> {
    return (await this.call(`/jobs/${encodeURIComponent(id)}/result`)).blob();
  }

  /** Every key (`keys:admin`). */
  async keys(): Promise<KeyRecord[]> {
    return ((await (await this.call("/accounts/keys")).json()) as { items: KeyRecord[] }).items;
  }

  /** Creates a key; the answer holds the key itself, shown once. */
  async createKey(name: string, scopes: string[]): Promise<KeyRecord & { key: string }> {
    return (await this.call("/accounts/keys", { method: "POST", json: { name, scopes } })).json();
  }

  /** Revokes a key. */
  async revokeKey(id: string): Promise<void> {
    await this.call(`/accounts/keys/${encodeURIComponent(id)}`, { method: "DELETE" });
  }
}
