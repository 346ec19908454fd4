import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import type { Principal } from "../../platform/access";
import type { ApiKeyRepository } from "./repository";
import { apiKeyFormat, createKeyBody, type ApiKeyRecord, type CreateKeyInput } from "./schemas";

const sha256 = (s: string) => createHash("sha256").update(s).digest();

/**
 * API keys: only the SHA-256 of a key is stored (the key has 256 random bits, so a fast hash is enough; no
 * password-style KDF needed). Lookup is by the public prefix; the hash comparison is constant-time.
 * Verified keys are remembered in-process for `verifyCacheMs` (keyed by hash), so revocation takes effect
 * within that time on every instance.
 */
export class ApiKeyService {
  private readonly verified = new Map<string, { principal: Principal; expires: number }>();

  constructor(
    private readonly repo: ApiKeyRepository,
    private readonly verifyCacheMs = 30000,
  ) {}

  /** Creates a key with `scopes`; the plaintext is returned once and never stored. Throws ZodError on bad input. */
  async create(input: CreateKeyInput): Promise<ApiKeyRecord & { key: string }> {
    const { name, scopes } = createKeyBody.parse(input);
    const prefix = randomBytes(6).toString("hex");
    const key = `gw_${prefix}_${randomBytes(32).toString("base64url")}`;
    const rec = await this.repo.insert(name, prefix, sha256(key), scopes);
    return { ...rec, key };
  }

  /** Returns the caller for a presented key, or null. */
  async verify(presented: string): Promise<Principal | null> {
    const m = apiKeyFormat.exec(presented);
    if (!m) return null;
    const hash = sha256(presented);
    const cacheKey = hash.toString("base64");
    const hit = this.verified.get(cacheKey);
    if (hit && hit.expires > Date.now()) return hit.principal;
    const rec = await this.repo.findActiveByPrefix(m[1]);
    if (!rec || rec.hash.length !== hash.length || !timingSafeEqual(rec.hash, hash)) return null;
    const principal: Principal = { keyId: rec.id, name: rec.name, scopes: rec.scopes };
    if (this.verified.size > 10000) this.verified.clear();
    this.verified.set(cacheKey, { principal, expires: Date.now() + this.verifyCacheMs });
    return principal;
  }

  list() {
    return this.repo.list();
  }

  async revoke(id: string) {
    const ok = await this.repo.revoke(id);
    this.verified.clear();
    return ok;
  }
}
