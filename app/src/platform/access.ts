import type { FastifyInstance, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import { CREDENTIAL_HEADER } from "./contract";
import { HttpError } from "./errors";

/** The authenticated caller: the verified API key and the scopes it holds. */
export interface Principal {
  keyId: string;
  name: string;
  scopes: readonly string[];
}

/**
 * Who may call a route, declared in every route's `config.access` (the API refuses to start when a route has
 * none, so a new route is never open by omission). `"public"`: anyone; no credential is read. `{ scope }`: only
 * a valid, unrevoked key that holds `scope`; otherwise 401 (no or bad key) or 403 (key without the scope).
 */
export type RouteAccess = "public" | { scope: string };

/** One route the API registered, and who may call it. */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

/** Verifies credentials for the HTTP layer; the accounts module supplies it through the composition root. */
export interface Authenticator {
  /** Every scope a route may require: a route naming another one is a start-up error (it would be unreachable). */
  readonly scopes: readonly string[];
  /** The caller a presented credential belongs to, or null unless it is a valid, unrevoked key. */
  verify(credential: string): Promise<Principal | null>;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Who may call this route; required on every route. */
    access?: RouteAccess;
  }
  interface FastifyRequest {
    /** Set before the handler on routes that require a scope (see {@link RouteAccess}). */
    principal?: Principal;
  }
  interface FastifyInstance {
    /** Every route registered, in order, with its access rule: what the route table test walks. */
    routeTable: readonly RouteEntry[];
  }
}

/** The access rule of the route a request matched. Unmatched requests reach the 404 handler, which is public. */
function accessOf(req: FastifyRequest): RouteAccess {
  const access = req.routeOptions.config.access;
  if (access) return access;
  if (req.is404) return "public";
  // Unreachable while recordRoutes guards registration; failing closed beats serving an undeclared route.
  throw new Error(`route ${req.method} ${req.routeOptions.url} has no declared access`);
}

/**
 * Records every route into `app.routeTable` and refuses, at registration, any route without a valid
 * `config.access`. Call before registering routes.
 */
export function recordRoutes(app: FastifyInstance, scopes: readonly string[]): void {
  const table: RouteEntry[] = [];
  app.decorate("routeTable", table);
  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const where = `${methods.join(",")} ${route.url}`;
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(`${where}: the route declares no access; add config.access ("public", or { scope } with one of ${scopes.join(", ")})`);
    }
    if (access !== "public" && !scopes.includes(access.scope)) {
      throw new Error(`${where}: config.access.scope "${access.scope}" is not a known scope; use one of ${scopes.join(", ")}`);
    }
    for (const method of methods) table.push({ method, url: route.url, access });
  });
}

/**
 * onRequest hook: on routes that require a scope, resolves the presented key to `req.principal`. It never
 * rejects, so that the rate limiter (next) counts failed attempts against the client's address before
 * {@link authorize} answers 401.
 */
export function authenticate(authenticator: Authenticator): onRequestAsyncHookHandler {
  return async (req) => {
    if (accessOf(req) === "public") return;
    const credential = req.headers[CREDENTIAL_HEADER];
    if (typeof credential === "string") req.principal = (await authenticator.verify(credential)) ?? undefined;
  };
}

/** onRequest hook after the rate limiter: 401 without a valid key, 403 when the key lacks the route's scope. */
export const authorize: onRequestAsyncHookHandler = async (req) => {
  const access = accessOf(req);
  if (access === "public") return;
  if (!req.principal) throw new HttpError(401, "unauthorized", `a valid ${CREDENTIAL_HEADER} header is required`);
  if (!req.principal.scopes.includes(access.scope)) {
    throw new HttpError(403, "forbidden", `this API key lacks the scope "${access.scope}"; use a key that holds it (a keys:admin key can create one)`);
  }
};

/** The caller of a route that requires a scope; throws if called from a public route (a programming error). */
export function callerOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error(`${req.method} ${req.routeOptions.url}: no principal (is the route public?)`);
  return req.principal;
}
