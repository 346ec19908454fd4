import { X509Certificate } from "node:crypto";
import * as tlsRoots from "node:tls";
/**
 * IAM authentication tokens, without AWS: a fake RDS signer, fixed credentials and a fixed clock.
 */
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseEnv } from "../src/platform/config";
import { cachedToken, elasticacheAuthToken, elasticacheTokenProvider, rdsTokenProvider } from "../src/platform/iam-auth";
import { cacheIamAuth, databaseConnection, defaultDatabaseCas } from "../src/platform/platform";

const MIN = 60_000;

/** A fake `@aws-sdk/rds-signer` Signer: counts calls and returns token-1, token-2, ... */
function fakeSigner(opts: { fail?: () => boolean } = {}) {
  const s = {
    calls: 0,
    async getAuthToken() {
      s.calls++;
      await new Promise((r) => setImmediate(r));
      if (opts.fail?.()) throw new Error("no credentials");
      return `token-${s.calls}`;
    },
  };
  return s;
}

describe("RDS IAM token provider", () => {
  test("signs once, then reuses the token for 10 minutes; concurrent connections share one signing call", async () => {
    let now = 1_000_000;
    const signer = fakeSigner();
    const password = rdsTokenProvider({ hostname: "db", port: 5432, username: "app", region: "eu-west-1", now: () => now }, signer);
    expect(await Promise.all([password(), password(), password()])).toEqual(["token-1", "token-1", "token-1"]);
    expect(signer.calls).toBe(1);
    now += 9 * MIN;
    expect(await password()).toBe("token-1");
    expect(signer.calls).toBe(1);
    now += 2 * MIN; // 11 minutes old: still valid, handed out while a new one is signed in the background
    expect(await password()).toBe("token-1");
    await new Promise((r) => setImmediate(r));
    expect(signer.calls).toBe(2);
    expect(await password()).toBe("token-2");
    now += 15 * MIN; // far too old (e.g. an idle process): callers wait for a fresh token
    expect(await password()).toBe("token-3");
    expect(signer.calls).toBe(3);
  });

  test("a failed signing call is not cached: the next connection tries again", async () => {
    let failing = true;
    const signer = fakeSigner({ fail: () => failing });
    const password = rdsTokenProvider({ hostname: "db", port: 5432, username: "app", region: "eu-west-1" }, signer);
    await expect(password()).rejects.toThrow("no credentials");
    failing = false;
    expect(await password()).toBe("token-2");
    expect(signer.calls).toBe(2);
  });

  test("a failed background refresh keeps serving the valid token and retries", async () => {
    let now = 0;
    let failing = false;
    const signs: string[] = [];
    const token = cachedToken(
      async () => {
        if (failing) throw new Error("sts down");
        signs.push(`t${signs.length + 1}`);
        return signs.at(-1)!;
      },
      { now: () => now },
    );
    expect(await token()).toBe("t1");
    failing = true;
    now = 12 * MIN;
    expect(await token()).toBe("t1");
    await new Promise((r) => setImmediate(r));
    failing = false;
    expect(await token()).toBe("t1");
    await new Promise((r) => setImmediate(r));
    expect(await token()).toBe("t2");
  });

  test("the pg connection: no URL, a password function, TLS that verifies the server against DATABASE_CA_FILE", async () => {
    const dir = mkdtempSync(join(tmpdir(), "gw-ca-"));
    const ca = join(dir, "global-bundle.pem");
    writeFileSync(ca, "-----BEGIN CERTIFICATE-----\nfake\n-----END CERTIFICATE-----\n");
    const env = {
      REDIS_URL: "redis://127.0.0.1:6379",
      AWS_REGION: "eu-west-1",
      SQS_QUEUE_URL: "http://127.0.0.1:4566/000000000000/jobs",
      DATABASE_IAM_AUTH: "true",
      DATABASE_HOST: "app.abc.eu-west-1.rds.amazonaws.com",
      DATABASE_NAME: "appdb",
      DATABASE_USER: "app",
    };
    const signer = fakeSigner();
    const conn = databaseConnection(parseEnv({ ...env, DATABASE_CA_FILE: ca }), signer);
    expect(conn).toMatchObject({ host: "app.abc.eu-west-1.rds.amazonaws.com", port: 5432, database: "appdb", user: "app", ssl: { rejectUnauthorized: true } });
    if (!("password" in conn)) throw new Error("expected an IAM connection");
    expect(conn.ssl.ca).toContain("BEGIN CERTIFICATE");
    expect(await conn.password()).toBe("token-1");
    expect(await conn.password()).toBe("token-1");
    expect(signer.calls).toBe(1);
    // Without DATABASE_CA_FILE: Node's default CAs plus the Amazon RDS CAs (not in Node's store), still verified.
    const noCa = databaseConnection(parseEnv(env), fakeSigner());
    expect("password" in noCa && noCa.ssl).toEqual({ rejectUnauthorized: true, ca: defaultDatabaseCas() });
    const subjects = defaultDatabaseCas().map((pem) => new X509Certificate(pem).subject);
    expect(subjects.some((s) => /Amazon RDS/.test(s))).toBe(true);
    expect(defaultDatabaseCas()).toEqual(expect.arrayContaining([...tlsRoots.rootCertificates]));
    // Password mode with DATABASE_TLS=true: the same verified TLS.
    const base = { ...env, DATABASE_IAM_AUTH: undefined, DATABASE_HOST: undefined, DATABASE_NAME: undefined, DATABASE_USER: undefined, DATABASE_URL: "postgres://u:p@h:5432/db" };
    expect(databaseConnection(parseEnv({ ...base, DATABASE_TLS: "true" }))).toEqual({ url: "postgres://u:p@h:5432/db", ssl: { rejectUnauthorized: true, ca: defaultDatabaseCas() } });
    // Password mode is unchanged.
    expect(databaseConnection(parseEnv({ ...env, DATABASE_IAM_AUTH: undefined, DATABASE_HOST: undefined, DATABASE_NAME: undefined, DATABASE_USER: undefined, DATABASE_URL: "postgres://u:p@h:5432/db" }))).toEqual({
      url: "postgres://u:p@h:5432/db",
    });
  });
});

describe("ElastiCache IAM token", () => {
  const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session/token+from=irsa" };
  const signingDate = new Date("2026-01-02T03:04:05Z");
  const sign = () => elasticacheAuthToken({ replicationGroupId: "app-cache", user: "app", region: "eu-west-1", credentials, signingDate });

  test("is the presigned connect URL for the replication group, without http://", async () => {
    const token = await sign();
    expect(token.startsWith("app-cache/?")).toBe(true);
    expect(token).not.toContain("http://");
    const q = new URLSearchParams(token.slice("app-cache/?".length));
    expect(q.get("Action")).toBe("connect");
    expect(q.get("User")).toBe("app");
    expect(q.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
    expect(q.get("X-Amz-Expires")).toBe("900");
    expect(q.get("X-Amz-Date")).toBe("20260102T030405Z");
    expect(q.get("X-Amz-Credential")).toBe("AKIDEXAMPLE/20260102/eu-west-1/elasticache/aws4_request");
    expect(q.get("X-Amz-SignedHeaders")).toBe("host");
    expect(q.get("X-Amz-Security-Token")).toBe(credentials.sessionToken);
    expect(q.get("X-Amz-Signature")).toMatch(/^[0-9a-f]{64}$/);
    expect(token).toContain("X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Feu-west-1%2Felasticache%2Faws4_request");
    // Deterministic for fixed credentials and clock.
    expect(await sign()).toBe(token);
  });

  test("the signature is SigV4 over GET / with the host header (checked by an independent implementation)", async () => {
    const token = await sign();
    const q = new URLSearchParams(token.slice("app-cache/?".length));
    const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const canonicalQuery = [...q.entries()]
      .filter(([k]) => k !== "X-Amz-Signature")
      .map(([k, v]) => [enc(k), enc(v)])
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${v}`)
      .join("&");
    const sha = (s: string) => createHash("sha256").update(s).digest("hex");
    const canonicalRequest = ["GET", "/", canonicalQuery, "host:app-cache", "", "host", sha("")].join("\n");
    const scope = "20260102/eu-west-1/elasticache/aws4_request";
    const stringToSign = ["AWS4-HMAC-SHA256", "20260102T030405Z", scope, sha(canonicalRequest)].join("\n");
    const hmac = (key: Buffer | string, data: string) => createHmac("sha256", key).update(data).digest();
    let key = hmac(`AWS4${credentials.secretAccessKey}`, "20260102");
    for (const part of ["eu-west-1", "elasticache", "aws4_request"]) key = hmac(key, part);
    expect(q.get("X-Amz-Signature")).toBe(createHmac("sha256", key).update(stringToSign).digest("hex"));
  });

  test("the cache's provider signs a new token (full 15 minutes) with the current credentials on every call", async () => {
    // No reuse here: the cache asks only on its 10-minute timer, and the token it gets stays its password until the next tick.
    let now = Date.parse("2026-01-02T03:04:05Z");
    let resolved = 0;
    const token = elasticacheTokenProvider({
      replicationGroupId: "app-cache",
      user: "app",
      region: "eu-west-1",
      credentials: async () => (resolved++, { ...credentials, accessKeyId: `AKID${resolved}` }),
      now: () => now,
    });
    const first = new URLSearchParams((await token()).split("?")[1]);
    expect(first.get("X-Amz-Credential")).toMatch(/^AKID1\//);
    expect(first.get("X-Amz-Date")).toBe("20260102T030405Z");
    now += 10 * MIN;
    const second = new URLSearchParams((await token()).split("?")[1]);
    expect(second.get("X-Amz-Credential")).toMatch(/^AKID2\//);
    expect(second.get("X-Amz-Date")).toBe("20260102T031405Z");
    expect(second.get("X-Amz-Expires")).toBe("900");
  });

  test("REDIS_IAM_AUTH wires REDIS_USER and a token provider into the cache; off by default", () => {
    const env = {
      DATABASE_URL: "postgres://u:p@h:5432/db",
      AWS_REGION: "eu-west-1",
      SQS_QUEUE_URL: "http://127.0.0.1:4566/000000000000/jobs",
    };
    expect(cacheIamAuth(parseEnv({ ...env, REDIS_URL: "redis://127.0.0.1:6379" }))).toBeUndefined();
    const auth = cacheIamAuth(parseEnv({ ...env, REDIS_URL: "rediss://primary:6379", REDIS_IAM_AUTH: "true", REDIS_USER: "app", ELASTICACHE_REPLICATION_GROUP_ID: "app-cache" }));
    expect(auth?.user).toBe("app");
    expect(typeof auth?.token).toBe("function");
  });
});
