import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";

/** Standard Webhooks secrets are `whsec_` + base64 of the key; 32 random bytes (the spec allows 24 to 64). */
export const SECRET_PREFIX = "whsec_";

export function newSecret(): { key: Buffer; text: string } {
  const key = randomBytes(32);
  return { key, text: `${SECRET_PREFIX}${key.toString("base64")}` };
}

/**
 * Signs like the Standard Webhooks spec (`v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">`) with the official
 * `standardwebhooks` package. Several keys (during a rotation) give several signatures separated by spaces; a
 * receiver accepts the message if any one verifies.
 */
export function sign(keys: readonly Buffer[], webhookId: string, timestamp: Date, body: string): string {
  return keys.map((k) => new Webhook(new Uint8Array(k), { format: "raw" }).sign(webhookId, timestamp, body)).join(" ");
}

/**
 * Signing secrets at rest. They cannot be stored as a hash like API keys: HMAC signing needs the key itself, not a
 * way to recognise it. So with WEBHOOK_SECRET_KEY set they are sealed with AES-256-GCM (random 12-byte IV, the
 * owner as associated data so a sealed secret copied onto another owner's row does not open); without it they are
 * stored as they are and the module warns at start.
 */
export class SecretBox {
  private readonly key: Buffer | null;

  constructor(base64Key: string | undefined) {
    this.key = base64Key ? Buffer.from(base64Key, "base64") : null;
  }

  get encryption(): "none" | "aes-256-gcm" {
    return this.key ? "aes-256-gcm" : "none";
  }

  seal(owner: string, secret: Buffer): Buffer {
    if (!this.key) return secret;
    const iv = randomBytes(12);
    const c = createCipheriv("aes-256-gcm", this.key, iv);
    c.setAAD(Buffer.from(owner));
    const body = Buffer.concat([c.update(secret), c.final()]);
    return Buffer.concat([iv, c.getAuthTag(), body]);
  }

  open(owner: string, stored: Buffer, encryption: string): Buffer {
    if (encryption === "none") return stored;
    if (!this.key) throw new Error("webhook secret is encrypted but WEBHOOK_SECRET_KEY is not set");
    const d = createDecipheriv("aes-256-gcm", this.key, stored.subarray(0, 12));
    d.setAAD(Buffer.from(owner));
    d.setAuthTag(stored.subarray(12, 28));
    return Buffer.concat([d.update(stored.subarray(28)), d.final()]);
  }
}
