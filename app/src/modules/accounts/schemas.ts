import { z } from "zod";

export const createKeyBody = z.object({ name: z.string().trim().min(1).max(100) }).strict();
export const keyIdParams = z.object({ id: z.uuid() });

/** API keys look like `gw_<12 hex prefix>_<43 base64url chars>`: 256 bits of entropy after the prefix. */
export const apiKeyFormat = /^gw_([0-9a-f]{12})_([A-Za-z0-9_-]{43})$/;

export interface ApiKeyRecord {
  id: string;
  name: string;
  prefix: string;
  createdAt: string;
  revokedAt: string | null;
}
