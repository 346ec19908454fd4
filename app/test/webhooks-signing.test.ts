/** Signing, secrets at rest, backoff and callback URL rules of the webhooks module (no servers needed). */
import { createHmac } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { callbackUrlSchema } from "../src/modules/webhooks/schemas";
import contract from "../src/contract.json";
import { secretsAtRestWarning } from "../src/modules/webhooks";
import { parseEnv } from "../src/platform/config";
import { SecretBox, newSecret, sign } from "../src/modules/webhooks/secrets";
import { backoffMs } from "../src/modules/webhooks/service";

describe("signatures", () => {
  // The Standard Webhooks specification's published test vector.
  const vector = {
    secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
    id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
    timestamp: 1614265330,
    body: '{"test": 2432232314}',
    signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
  };
  const keyOf = (secret: string) => Buffer.from(secret.slice("whsec_".length), "base64");

  test("reproduce the specification's test vector", () => {
    expect(sign([keyOf(vector.secret)], vector.id, new Date(vector.timestamp * 1000), vector.body)).toBe(vector.signature);
  });

  test("two keys (a rotation) give two space-separated signatures, each verifiable on its own", () => {
    const a = newSecret();
    const b = newSecret();
    const now = new Date();
    const header = sign([a.key, b.key], "msg_1", now, "{}");
    expect(header.split(" ")).toHaveLength(2);
    const headers = { "webhook-id": "msg_1", "webhook-timestamp": String(Math.floor(now.getTime() / 1000)), "webhook-signature": header };
    expect(new Webhook(a.text).verify("{}", headers)).toEqual({});
    expect(new Webhook(b.text).verify("{}", headers)).toEqual({});
    expect(() => new Webhook(newSecret().text).verify("{}", headers)).toThrow(/No matching signature/);
  });

  test("new secrets are whsec_ + base64 of 32 random bytes, and sign as the spec's HMAC-SHA256", () => {
    const s = newSecret();
    expect(s.text).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(keyOf(s.text)).toEqual(s.key);
    const expected = createHmac("sha256", s.key).update("msg_x.1700000000.body").digest("base64");
    expect(sign([s.key], "msg_x", new Date(1700000000 * 1000), "body")).toBe(`v1,${expected}`);
  });
});

describe("secrets at rest", () => {
  const key = Buffer.alloc(32, 7).toString("base64");

  test("sealed with AES-256-GCM bound to the owner: opens for that owner only; tampering is detected", () => {
    const box = new SecretBox(key);
    const secret = newSecret().key;
    const sealed = box.seal("owner-a", secret);
    expect(box.encryption).toBe("aes-256-gcm");
    expect(sealed.includes(secret)).toBe(false);
    expect(box.open("owner-a", sealed, "aes-256-gcm")).toEqual(secret);
    expect(() => box.open("owner-b", sealed, "aes-256-gcm")).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1] ^= 1;
    expect(() => box.open("owner-a", tampered, "aes-256-gcm")).toThrow();
  });

  test("a production process without a key warns, naming both ways to set one; with a key, or outside production, it does not", () => {
    const key32 = Buffer.alloc(32, 1).toString("base64");
    expect(secretsAtRestWarning({ NODE_ENV: "production", WEBHOOK_SECRET_KEY: undefined })).toMatch(/UNENCRYPTED.*WEBHOOK_SECRET_KEY_SECRET_ARN \(set by the platform\) nor WEBHOOK_SECRET_KEY is set/);
    expect(secretsAtRestWarning({ NODE_ENV: "production", WEBHOOK_SECRET_KEY: key32 })).toBeUndefined();
    expect(secretsAtRestWarning({ NODE_ENV: "test", WEBHOOK_SECRET_KEY: undefined })).toBeUndefined();
  });

  test("without a key secrets are stored as they are, and a sealed one cannot be opened", () => {
    const plain = new SecretBox(undefined);
    const secret = newSecret().key;
    expect(plain.encryption).toBe("none");
    expect(plain.seal("o", secret)).toEqual(secret);
    expect(() => plain.open("o", new SecretBox(key).seal("o", secret), "aes-256-gcm")).toThrow(/WEBHOOK_SECRET_KEY is not set/);
  });
});

describe("backoff", () => {
  test("full jitter: uniform below base * 2^(attempt-1), capped", () => {
    const ceiling = (attempt: number) => backoffMs(attempt, 1000, 60000, (max) => max);
    expect([1, 2, 3, 4, 7, 8, 30].map(ceiling)).toEqual([1000, 2000, 4000, 8000, 60000, 60000, 60000]);
    expect(backoffMs(5, 1000, 60000, () => 0)).toBe(0);
    for (let i = 0; i < 200; i++) {
      const d = backoffMs(3, 1000, 60000);
      expect(d).toBeGreaterThanOrEqual(0);
      expect(d).toBeLessThanOrEqual(4000);
    }
  });
});

describe("callback URL rules", () => {
  const strict = callbackUrlSchema({ allowHttp: false, allowPrivate: false, ports: [443] });
  const messages = (schema: typeof strict, v: unknown) => {
    const r = schema.safeParse(v);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };

  test.each([
    ["http://example.com/hook", /must use https \(got http\)/],
    ["ftp://example.com/hook", /must use https/],
    ["https://user:pw@example.com/hook", /must not contain a user or password/],
    ["https://example.com/hook#frag", /#fragment/],
    ["example.com/hook", /absolute URL/],
    [`https://example.com/${"a".repeat(2100)}`, /at most 2048 characters/],
    ["https://127.0.0.1/hook", /127\.0\.0\.1 is loopback/],
    ["https://169.254.169.254/latest/meta-data", /linkLocal/],
    ["https://[::ffff:10.0.0.1]/hook", /private/],
    [42, /must be a URL string/],
  ])("%s is refused", (value, message) => {
    expect(messages(strict, value).join("; ")).toMatch(message);
  });

  test("https to a public host passes; http and loopback pass only with their allowances", () => {
    expect(messages(strict, "https://hooks.example.com/reports?token=abc")).toEqual([]);
    const lax = callbackUrlSchema({ allowHttp: true, allowPrivate: true, ports: "any" });
    expect(messages(lax, "http://127.0.0.1:8080/hook")).toEqual([]);
  });

  describe("ports (WEBHOOK_PORTS)", () => {
    const env = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", REDIS_URL: "redis://127.0.0.1:6379", AWS_REGION: "us-east-1" };
    const schemaFor = (ports: string | undefined) => {
      const cfg = parseEnv({ ...env, NODE_ENV: "test", ...(ports === undefined ? {} : { WEBHOOK_PORTS: ports }) });
      return callbackUrlSchema({ allowHttp: true, allowPrivate: false, ports: cfg.WEBHOOK_PORTS });
    };

    test("the default is the contract's webhookPorts: https on the default port passes, another port is refused naming the rule", () => {
      expect(parseEnv(env).WEBHOOK_PORTS).toEqual(contract.webhookPorts);
      const byDefault = schemaFor(undefined);
      expect(messages(byDefault, "https://example.com/hook")).toEqual([]);
      expect(messages(byDefault, "https://example.com:443/hook")).toEqual([]);
      expect(messages(byDefault, "https://example.com:8443/hook")).toEqual(["must use port 443 (WEBHOOK_PORTS); the platform's network policy allows only these (got 8443)"]);
      // http without a port goes to 80, which is not in the default list.
      expect(messages(byDefault, "http://example.com/hook")).toEqual(["must use port 443 (WEBHOOK_PORTS); the platform's network policy allows only these (got 80)"]);
    });

    test("a list allows exactly its ports; any allows every port", () => {
      const list = schemaFor("443, 8443");
      expect(messages(list, "https://example.com:8443/hook")).toEqual([]);
      expect(messages(list, "https://example.com:9443/hook")).toEqual(["must use one of the ports 443, 8443 (WEBHOOK_PORTS); the platform's network policy allows only these (got 9443)"]);
      expect(messages(schemaFor("80"), "http://example.com/hook")).toEqual([]);
      expect(messages(schemaFor("80"), "https://example.com/hook")).toEqual(["must use port 80 (WEBHOOK_PORTS); the platform's network policy allows only these (got 443)"]);
      const any = schemaFor("any");
      for (const url of ["https://example.com:8443/hook", "http://example.com:1/hook", "https://example.com/hook"]) expect(messages(any, url)).toEqual([]);
    });

    test.each(["", "0", "65536", "https", "443;8443", "443,,80", "-1", "44.3"])("WEBHOOK_PORTS=%j fails the config, naming the variable", (value) => {
      expect(() => parseEnv({ ...env, WEBHOOK_PORTS: value })).toThrow(/WEBHOOK_PORTS: must be "any" or a comma list of TCP ports from 1 to 65535, e\.g\. 443 or 443,8443 \(fix its value\)/);
    });
  });
});

describe("webhook configuration", () => {
  const env = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", REDIS_URL: "redis://127.0.0.1:6379", AWS_REGION: "us-east-1", SQS_QUEUE_URL: "http://127.0.0.1:1/000000000000/jobs" };

  test("http callbacks cannot be allowed in production (the default NODE_ENV); tests and development may", () => {
    expect(() => parseEnv({ ...env, WEBHOOK_ALLOW_HTTP: "true" })).toThrow(/WEBHOOK_ALLOW_HTTP: http:\/\/ callbacks are refused in production/);
    expect(parseEnv({ ...env, NODE_ENV: "test", WEBHOOK_ALLOW_HTTP: "true" }).WEBHOOK_ALLOW_HTTP).toBe(true);
    expect(parseEnv(env)).toMatchObject({ WEBHOOK_ALLOW_HTTP: false, WEBHOOK_ALLOW_PRIVATE_TARGETS: false, WEBHOOK_MAX_ATTEMPTS: 8 });
    expect(parseEnv(env).WEBHOOK_SECRET_KEY).toBeUndefined();
  });

  test("WEBHOOK_SECRET_KEY must be base64 of 32 bytes", () => {
    expect(() => parseEnv({ ...env, WEBHOOK_SECRET_KEY: Buffer.alloc(16).toString("base64") })).toThrow(/WEBHOOK_SECRET_KEY: must be base64 of 32 random bytes \(openssl rand -base64 32\)/);
    expect(parseEnv({ ...env, WEBHOOK_SECRET_KEY: Buffer.alloc(32, 1).toString("base64") }).WEBHOOK_SECRET_KEY).toBeDefined();
  });
});
