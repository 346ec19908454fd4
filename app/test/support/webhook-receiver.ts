import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface ReceivedWebhook {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

/** What the receiver answers on a path: a status, or `hang` (never answers). */
export type Answer = number | "hang";

/**
 * A real HTTP server on loopback that records every request and answers each path from a script: `script(path,
 * [500, 503, 200])` answers 500, then 503, then 200 for the rest of the run. Unscripted paths answer 204.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  private readonly scripts = new Map<string, Answer[]>();
  private server?: Server;
  url = "";

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const path = req.url ?? "/";
        this.received.push({ path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() });
        const script = this.scripts.get(path);
        const answer = script && script.length > 1 ? script.shift()! : (script?.[0] ?? 204);
        if (answer === "hang") return;
        // A redirect points at another path of this receiver: a client that followed it would show up there.
        if (answer >= 300 && answer < 400) res.writeHead(answer, { location: `${this.url}/redirected` }).end();
        else res.writeHead(answer, { "content-type": "text/plain" }).end(`answer ${answer}`);
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  script(path: string, answers: Answer[]): string {
    this.scripts.set(path, [...answers]);
    return `${this.url}${path}`;
  }

  on(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
