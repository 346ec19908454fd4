import { z } from "zod";

/**
 * What an API key may do. Each route declares the scope it needs (`config.access`); catalog reads, health and
 * readiness are public.
 * - `catalog:write`: create, update and delete catalog items;
 * - `reports`: submit report jobs and read the caller's own jobs and results;
 * - `keys:admin`: create, list and revoke API keys (granting only scopes the caller's key holds).
 */
export const SCOPES = ["catalog:write", "reports", "keys:admin"] as const;
export type Scope = (typeof SCOPES)[number];

/** A non-empty set of known scopes; duplicates are dropped and the order is normalised. */
export const scopeSet = z
  .array(z.enum(SCOPES, { error: () => `must be one of ${SCOPES.join(", ")}` }), { error: () => `must be a list of scopes (${SCOPES.join(", ")})` })
  .min(1, `give at least one scope (${SCOPES.join(", ")})`)
  .transform((s) => SCOPES.filter((known) => s.includes(known)));

/** Body of `POST /accounts/keys`, and what the bootstrap CLI passes. */
export const createKeyBody = z.object({ name: z.string().trim().min(1).max(100), scopes: scopeSet }).strict();
export type CreateKeyInput = z.infer<typeof createKeyBody>;
export const keyIdParams = z.object({ id: z.uuid() });

/** API keys look like `gw_<12 hex prefix>_<43 base64url chars>`: 256 bits of entropy after the prefix. */
export const apiKeyFormat = /^gw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  scopes: Scope[];
  createdAt: string;
  revokedAt: string | null;
}
