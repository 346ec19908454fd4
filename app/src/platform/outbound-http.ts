import { lookup as dnsLookup } from "node:dns/promises";
import type { LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Outbound HTTP to addresses a client chose (webhook receivers), guarded against SSRF: every address the host
 * resolves to must be a public unicast one, and the connection goes to the address that was checked (the agent's
 * `lookup` is pinned to it), so a DNS answer that changes between the check and the connect (rebinding) cannot
 * reach an internal address. No redirects are followed, the whole exchange has a deadline, and at most
 * `maxResponseBytes` of the answer are read.
 */

/** Why an address is refused: ipaddr.js's range name (loopback, private, linkLocal, ...), or null when allowed. */
export function refusedRange(address: string): string | null {
  if (!ipaddr.isValid(address)) return "invalid";
  let ip = ipaddr.parse(address);
  // ::ffff:10.0.0.1 reaches 10.0.0.1: judge the IPv4 address it carries.
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  const range = ip.range();
  if (range !== "unicast") return range;
  if (ip.kind() === "ipv6") {
    // ipaddr.js calls the deprecated IPv4-compatible form (::7f00:1, i.e. ::127.0.0.1 in hex) unicast; it embeds
    // an IPv4 address, so refuse the whole ::/96.
    if (ip.match(ipaddr.parseCIDR("::/96"))) return "ipv4Compatible";
  }
  return null;
}

/** A target the guard refused; `address` and `range` say which and why (logged and stored with the attempt). */
export class TargetRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(`${host} resolves to ${address} (${range}); only public addresses are allowed`);
    this.name = "TargetRefusedError";
  }
}

/** The TCP port a request to `url` goes to: the URL's own, else the scheme's default (443 for https, 80 for http). */
export function effectivePort(url: URL): number {
  // WHATWG URL leaves `port` empty when it is the scheme's default (https://h:443/ has port ""), so this also covers that.
  if (url.port) return Number(url.port);
  return url.protocol === "http:" ? 80 : 443;
}

/** The allowed ports as a phrase for messages: "port 443", or "one of the ports 443, 8443". */
export function describePorts(ports: readonly number[]): string {
  return ports.length === 1 ? `port ${ports[0]}` : `one of the ports ${ports.join(", ")}`;
}

/** Whether `url`'s effective port is in `ports` ("any": every port). */
export function portAllowed(url: URL, ports: readonly number[] | "any"): boolean {
  return ports === "any" || ports.includes(effectivePort(url));
}

/**
 * A target on a port outside the allowed list (WEBHOOK_PORTS). Refused before DNS or any connection, like
 * {@link TargetRefusedError}: on the platform the worker's network policy would drop the packets anyway, and an
 * attempt that ends in a refusal with a reason beats one that hangs until its deadline.
 */
export class PortRefusedError extends Error {
  constructor(
    readonly host: string,
    readonly port: number,
    readonly allowed: readonly number[],
  ) {
    super(`${host} port ${port} is not allowed: callback URLs must use ${describePorts(allowed)} (WEBHOOK_PORTS); the platform's network policy allows only these`);
    this.name = "PortRefusedError";
  }
}

export interface OutboundOptions {
  /** Loopback, private, link-local and the other non-public ranges are allowed (tests, whose receivers run on loopback). */
  allowPrivate: boolean;
  /** The TCP ports a target may use (WEBHOOK_PORTS); unset or "any": every port. */
  ports?: readonly number[] | "any";
  /** Deadline for the whole exchange: DNS, connect, TLS, request and response. */
  timeoutMs: number;
  /** Bytes of the response body kept; the rest is not read. */
  maxResponseBytes: number;
  /** DNS resolver (tests replace it to simulate rebinding); defaults to dns.lookup with every address. */
  resolve?: (host: string) => Promise<LookupAddress[]>;
}

export interface OutboundResponse {
  status: number;
  /** The first `maxResponseBytes` bytes of the body, as text. */
  body: string;
  /** The address the request was sent to. */
  address: string;
}

const defaultResolve = (host: string) => dnsLookup(host, { all: true, verbatim: true });

/**
 * Resolves `host` and returns the address to connect to. Every address must be allowed, not just the first: a
 * host answering with one public and one internal address is refused, so which one the client would pick never
 * matters.
 */
export async function resolveAllowed(host: string, opts: Pick<OutboundOptions, "allowPrivate" | "resolve">): Promise<LookupAddress> {
  const bare = host.startsWith("[") ? host.slice(1, -1) : host;
  const family = isIP(bare);
  const addresses = family ? [{ address: bare, family }] : await (opts.resolve ?? defaultResolve)(bare);
  if (!addresses.length) throw new Error(`${host} has no addresses`);
  if (!opts.allowPrivate) {
    for (const a of addresses) {
      const range = refusedRange(a.address);
      if (range) throw new TargetRefusedError(bare, a.address, range);
    }
  }
  return addresses[0];
}

/** A lookup that answers only `pinned`, whatever name is asked: the connection goes where the check looked. */
function pinnedLookup(pinned: LookupAddress): LookupFunction {
  return ((_host: string, options: { all?: boolean }, cb: (...args: unknown[]) => void) => {
    if (options?.all) cb(null, [pinned]);
    else cb(null, pinned.address, pinned.family);
  }) as unknown as LookupFunction;
}

/**
 * POSTs `body` to `url` under the SSRF guard. Any answer is returned (the caller judges the status); a refused port
 * ({@link PortRefusedError}), a refused address ({@link TargetRefusedError}), a network error or the deadline rejects.
 */
export async function guardedPost(url: URL, headers: Record<string, string>, body: string, opts: OutboundOptions): Promise<OutboundResponse> {
  // The port first: it needs no DNS answer, and a refused port must not even cause a lookup.
  if (opts.ports && opts.ports !== "any" && !portAllowed(url, opts.ports)) throw new PortRefusedError(url.hostname, effectivePort(url), opts.ports);
  const signal = AbortSignal.timeout(opts.timeoutMs);
  const target = await Promise.race([
    resolveAllowed(url.hostname, opts),
    new Promise<never>((_, reject) => signal.addEventListener("abort", () => reject(new Error(`timed out after ${opts.timeoutMs} ms resolving ${url.hostname}`)), { once: true })),
  ]);
  const send = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise<OutboundResponse>((resolve, reject) => {
    const req = send(
      url,
      {
        method: "POST",
        headers: { ...headers, "content-length": String(Buffer.byteLength(body)) },
        // A fresh connection per attempt, through the pinned lookup; TLS still verifies the certificate for the host name.
        agent: false,
        lookup: pinnedLookup(target),
        signal,
        timeout: opts.timeoutMs,
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => {
          resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8"), address: target.address });
          res.destroy();
        };
        res.on("data", (c: Buffer) => {
          if (kept < opts.maxResponseBytes) chunks.push(c.subarray(0, opts.maxResponseBytes - kept));
          kept += c.length;
          // Enough read: stop downloading rather than drain a large or endless body.
          if (kept >= opts.maxResponseBytes) done();
        });
        res.on("end", done);
        res.on("error", (err) => (kept >= opts.maxResponseBytes ? undefined : reject(err)));
        // A connection cut mid-body (or by the deadline) must settle the attempt too; after done() this is a no-op.
        res.on("close", () => reject(new Error(signal.aborted ? `timed out after ${opts.timeoutMs} ms` : "connection closed before the answer ended")));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`timed out after ${opts.timeoutMs} ms`)));
    req.on("error", (err) => reject(signal.aborted ? new Error(`timed out after ${opts.timeoutMs} ms`) : err));
    req.end(body);
  });
}
