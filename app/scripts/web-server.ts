/**
 * A local stand-in for the CDN in front of the app: serves the built front end (app/web/dist) the way the distribution
 * does, `/` and `/index.html` (no-cache) and `/static/*` (immutable), and proxies every other path to the API, so the
 * page and the API share one origin (CSP `connect-src 'self'`). Every answer carries the CDN's security headers,
 * CONTENT_SECURITY_POLICY included, so a CSP violation shows here before it shows in production. Used by
 * `npm run web:local` and the end-to-end test; not part of the image.
 */
import { createReadStream, statSync } from "node:fs";
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, resolve, sep } from "node:path";

/**
 * The Content-Security-Policy the CDN sends (components/cdn/documents.ts CONTENT_SECURITY_POLICY; a platform test,
 * test/infra/web.test.ts, keeps the two equal).
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'";

/** The CDN's response headers policy, as headers (it overrides what the origin sends). */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "strict-origin-when-cross-origin",
};

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".json": "application/json",
};

/** A running local edge. */
export interface WebServer {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  close(): Promise<void>;
}

function withSecurityHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined && !(k.toLowerCase() in SECURITY_HEADERS)) out[k] = v;
  return { ...out, ...SECURITY_HEADERS };
}

function sendFile(res: ServerResponse, file: string, cacheControl: string, head: boolean): void {
  const size = statSync(file).size;
  res.writeHead(200, withSecurityHeaders({ "content-type": TYPES[extname(file)] ?? "application/octet-stream", "content-length": String(size), "cache-control": cacheControl }));
  if (head) res.end();
  else createReadStream(file).pipe(res);
}

/** The file under `dir` a URL path names, or undefined (missing, a folder, or outside `dir`). */
function fileFor(dir: string, urlPath: string): string | undefined {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const file = resolve(dir, `.${decoded}`);
  if (!file.startsWith(dir + sep)) return undefined;
  try {
    return statSync(file).isFile() ? file : undefined;
  } catch {
    return undefined;
  }
}

function proxy(api: URL, req: IncomingMessage, res: ServerResponse): void {
  const upstream = request(
    { host: api.hostname, port: api.port, method: req.method, path: req.url, headers: { ...req.headers, host: api.host } },
    (up) => {
      res.writeHead(up.statusCode ?? 502, withSecurityHeaders(up.headers));
      up.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (!res.headersSent) res.writeHead(502, withSecurityHeaders({ "content-type": "application/json" }));
    res.end(JSON.stringify({ error: "bad_gateway", message: "the API did not answer" }));
  });
  req.pipe(upstream);
}

/**
 * Starts the local edge on loopback.
 * @param opts.dir The built front end (app/web/dist).
 * @param opts.apiUrl Where the API listens, e.g. `http://127.0.0.1:3000`.
 * @param opts.port 0 (the default) for a free port.
 */
export async function startWebServer(opts: { dir: string; apiUrl: string; port?: number; host?: string }): Promise<WebServer> {
  const dir = resolve(opts.dir);
  const api = new URL(opts.apiUrl);
  statSync(join(dir, "index.html")); // fail at start, not on the first request, when the front end is not built
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    const head = req.method === "HEAD";
    const read = req.method === "GET" || head;
    if (read && (path === "/" || path === "/index.html")) return sendFile(res, join(dir, "index.html"), "no-cache", head);
    if (path.startsWith("/static/")) {
      const file = read ? fileFor(dir, path) : undefined;
      if (file) return sendFile(res, file, "public, max-age=31536000, immutable", head);
      res.writeHead(read ? 404 : 405, withSecurityHeaders({ "content-type": "text/plain; charset=utf-8" }));
      return res.end(read ? "not found" : "method not allowed");
    }
    proxy(api, req, res);
  });
  await new Promise<void>((ok) => server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${opts.host ?? "127.0.0.1"}:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
