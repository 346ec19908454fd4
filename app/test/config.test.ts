import { hkdfSync, randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import { ConfigError, SQS_QUEUE_URL_MISSING, WEBHOOK_KEY_INFO, deriveWebhookSecretKey, loadConfig, parseEnv, requireQueueUrl } from "../src/platform/config";

const base = {
  REDIS_URL: "redis://127.0.0.1:6379",
  AWS_REGION: "us-east-1",
  SQS_QUEUE_URL: "http://127.0.0.1:4566/000000000000/jobs",
};

test("a missing or invalid variable fails start-up with its name and a fix", () => {
  let err: unknown;
  try {
    parseEnv({ ...base, PORT: "http", REDIS_URL: undefined });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(ConfigError);
  const msg = (err as Error).message;
  expect(msg).toMatch(/PORT: .*\(fix its value\)/);
  expect(msg).toMatch(/REDIS_URL: .*\(it is not set\)/);
  expect(msg).toMatch(/DATABASE_URL: set DATABASE_URL .* or DATABASE_SECRET_ARN/);
});

test("secrets have no defaults; non-secrets do", () => {
  expect(() => parseEnv(base)).toThrow(/DATABASE_URL/);
  const cfg = parseEnv({ ...base, DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" });
  expect(cfg).toMatchObject({ PORT: 3000, DB_POOL_MAX: 10, CACHE_ENABLED: true, RATE_LIMIT_MAX: 600 });
});

describe("Secrets Manager", () => {
  let server: Server;
  let endpoint: string;
  const seen: string[] = [];
  const secrets: Record<string, string> = {
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf": JSON.stringify({ username: "app", password: "p@ss/word", host: "db.internal", port: 5432, dbname: "app" }),
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-AbCdEf": "redis-token\n",
  };
  beforeAll(async () => {
    // A loopback stand-in for the Secrets Manager JSON API (GetSecretValue only).
    server = createServer((req, res) => {
      let body = "";
      req.on("data", (d: Buffer) => (body += d.toString()));
      req.on("end", () => {
        const { SecretId } = JSON.parse(body) as { SecretId: string };
        seen.push(`${req.headers["x-amz-target"]} ${SecretId}`);
        const value = secrets[SecretId];
        res.writeHead(value ? 200 : 400, { "content-type": "application/x-amz-json-1.1" });
        res.end(JSON.stringify(value ? { ARN: SecretId, Name: "x", SecretString: value } : { __type: "ResourceNotFoundException", message: "not found" }));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
    endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  test("DATABASE_SECRET_ARN and REDIS_PASSWORD_SECRET_ARN are resolved at start", async () => {
    // The SDK's default credential chain reads process.env (in AWS: the task role).
    process.env.AWS_ACCESS_KEY_ID = "test";
    process.env.AWS_SECRET_ACCESS_KEY = "test";
    const cfg = await loadConfig({
      ...base,
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
      SECRETS_MANAGER_ENDPOINT: endpoint,
      DATABASE_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
      REDIS_PASSWORD_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-AbCdEf",
    });
    expect(cfg.DATABASE_URL).toBe("postgres://app:p%40ss%2Fword@db.internal:5432/app");
    expect(new URL(cfg.REDIS_URL).password).toBe("redis-token");
    expect(seen).toEqual([
      "secretsmanager.GetSecretValue arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf",
      "secretsmanager.GetSecretValue arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-AbCdEf",
    ]);
  });

  test("a malformed ARN is a config error, not a network call", () => {
    expect(() => parseEnv({ ...base, DATABASE_SECRET_ARN: "db-secret" })).toThrow(/DATABASE_SECRET_ARN: must be a Secrets Manager secret ARN/);
  });
});

describe("IAM authentication settings", () => {
  const iamDb = { DATABASE_IAM_AUTH: "true", DATABASE_HOST: "app.abc.eu-west-1.rds.amazonaws.com", DATABASE_NAME: "app", DATABASE_USER: "app" };
  const iamRedis = { REDIS_IAM_AUTH: "true", REDIS_URL: "rediss://primary.app.abc.euw1.cache.amazonaws.com:6379", REDIS_USER: "app", ELASTICACHE_REPLICATION_GROUP_ID: "app-cache" };
  const problems = (env: NodeJS.ProcessEnv): string => {
    try {
      parseEnv(env);
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      return (e as Error).message;
    }
    throw new Error("expected a ConfigError");
  };

  test("DATABASE_IAM_AUTH replaces DATABASE_URL; the port defaults to 5432 and IAM is off by default", () => {
    const cfg = parseEnv({ ...base, ...iamDb, ...iamRedis });
    expect(cfg).toMatchObject({ DATABASE_IAM_AUTH: true, DATABASE_PORT: 5432, DATABASE_USER: "app", REDIS_IAM_AUTH: true, REDIS_USER: "app" });
    expect(cfg.DATABASE_URL).toBeUndefined();
    expect(parseEnv({ ...base, DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" })).toMatchObject({ DATABASE_IAM_AUTH: false, REDIS_IAM_AUTH: false });
  });

  test("DATABASE_IAM_AUTH needs host, name and user, each reported by name", () => {
    const msg = problems({ ...base, DATABASE_IAM_AUTH: "true" });
    for (const name of ["DATABASE_HOST", "DATABASE_NAME", "DATABASE_USER"]) expect(msg).toMatch(new RegExp(`${name}: required when DATABASE_IAM_AUTH=true .*\\(it is not set\\)`));
    expect(msg).not.toMatch(/DATABASE_URL/);
  });

  test("IAM and password modes are mutually exclusive", () => {
    expect(problems({ ...base, ...iamDb, DATABASE_URL: "postgres://u:p@h:5432/db" })).toMatch(/DATABASE_URL: cannot be combined with DATABASE_IAM_AUTH=true.*\(unset it\)/);
    expect(problems({ ...base, ...iamDb, DATABASE_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" })).toMatch(/DATABASE_SECRET_ARN: cannot be combined with DATABASE_IAM_AUTH=true/);
    expect(problems({ ...base, DATABASE_URL: "postgres://u:p@h:5432/db", DATABASE_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" })).toMatch(/DATABASE_SECRET_ARN: cannot be combined with DATABASE_URL/);
    expect(problems({ ...base, DATABASE_URL: "postgres://u:p@h:5432/db", DATABASE_HOST: "h" })).toMatch(/DATABASE_HOST: is not used with DATABASE_URL/);
    expect(problems({ ...base, DATABASE_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", DATABASE_USER: "app" })).toMatch(
      /DATABASE_USER: is not used with DATABASE_SECRET_ARN: the user comes from the secret/,
    );
    expect(problems({ ...base, ...iamDb, DATABASE_TLS: "false" })).toMatch(/DATABASE_TLS: RDS IAM authentication requires TLS/);
    expect(problems({ ...base, DATABASE_URL: "postgres://u:p@h:5432/db", DATABASE_CA_FILE: "/ca.pem" })).toMatch(/DATABASE_CA_FILE: is only used with TLS: set DATABASE_TLS=true/);
    expect(problems({ ...base, ...iamDb, DATABASE_IAM_BOOTSTRAP_ROLE: "app" })).toMatch(/DATABASE_IAM_BOOTSTRAP_ROLE: creating the IAM role needs an admin connection/);
    expect(problems({ ...base, ...iamDb, ...iamRedis, REDIS_PASSWORD_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:redis-AbCdEf" })).toMatch(
      /REDIS_PASSWORD_SECRET_ARN: cannot be combined with REDIS_IAM_AUTH=true/,
    );
    expect(problems({ ...base, ...iamDb, REDIS_USER: "app" })).toMatch(/REDIS_USER: is only used with REDIS_IAM_AUTH=true/);
  });

  test("invalid values are rejected with the variable's name", () => {
    expect(problems({ ...base, ...iamDb, DATABASE_PORT: "99999" })).toMatch(/DATABASE_PORT: .*\(fix its value\)/);
    expect(problems({ ...base, ...iamDb, DATABASE_IAM_AUTH: "yes" })).toMatch(/DATABASE_IAM_AUTH: .*\(fix its value\)/);
    expect(problems({ ...base, DATABASE_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf", DATABASE_IAM_BOOTSTRAP_ROLE: "App; DROP" })).toMatch(
      /DATABASE_IAM_BOOTSTRAP_ROLE: must be a lower-case PostgreSQL role name/,
    );
    expect(problems({ ...base, ...iamDb, ...iamRedis, ELASTICACHE_REPLICATION_GROUP_ID: "Not_Valid" })).toMatch(/ELASTICACHE_REPLICATION_GROUP_ID: must be a replication group id/);
  });

  test("REDIS_IAM_AUTH needs REDIS_USER, ELASTICACHE_REPLICATION_GROUP_ID and a rediss:// URL without credentials", () => {
    const msg = problems({ ...base, ...iamDb, REDIS_IAM_AUTH: "true" });
    expect(msg).toMatch(/REDIS_USER: required when REDIS_IAM_AUTH=true .*\(it is not set\)/);
    expect(msg).toMatch(/ELASTICACHE_REPLICATION_GROUP_ID: required when REDIS_IAM_AUTH=true .*\(it is not set\)/);
    expect(msg).toMatch(/REDIS_URL: must start with rediss:\/\/ when REDIS_IAM_AUTH=true/);
    expect(problems({ ...base, ...iamDb, ...iamRedis, REDIS_URL: "rediss://app:secret@primary:6379" })).toMatch(/REDIS_URL: must not contain a user or password when REDIS_IAM_AUTH=true/);
  });

  test("migrate's admin connection: the RDS-managed master secret (username and password only) plus DATABASE_HOST/PORT/NAME", async () => {
    const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:rds!db-1234";
    const master = async () => JSON.stringify({ username: "postgres", password: "s3cr/t" });
    const env = { ...base, DATABASE_SECRET_ARN: arn, DATABASE_IAM_BOOTSTRAP_ROLE: "app", DATABASE_TLS: "true" };
    const cfg = await loadConfig({ ...env, DATABASE_HOST: "app.abc.eu-west-1.rds.amazonaws.com", DATABASE_PORT: "5433", DATABASE_NAME: "app" }, master);
    expect(cfg.DATABASE_URL).toBe("postgres://postgres:s3cr%2Ft@app.abc.eu-west-1.rds.amazonaws.com:5433/app");
    expect(cfg).toMatchObject({ DATABASE_TLS: true, DATABASE_IAM_BOOTSTRAP_ROLE: "app", DATABASE_IAM_AUTH: false });
    await expect(loadConfig(env, master)).rejects.toThrow(/DATABASE_HOST: the secret in DATABASE_SECRET_ARN has no host; set DATABASE_HOST/);
    // A full RDS-style secret still works alone; explicit variables win over its fields.
    const full = async () => JSON.stringify({ username: "u", password: "p", host: "old.internal", port: 5432, dbname: "db" });
    expect((await loadConfig({ ...base, DATABASE_SECRET_ARN: arn }, full)).DATABASE_URL).toBe("postgres://u:p@old.internal:5432/db");
    expect((await loadConfig({ ...base, DATABASE_SECRET_ARN: arn, DATABASE_HOST: "new.internal" }, full)).DATABASE_URL).toBe("postgres://u:p@new.internal:5432/db");
  });

  test("an unreadable DATABASE_CA_FILE fails at start with its name", async () => {
    await expect(loadConfig({ ...base, ...iamDb, DATABASE_CA_FILE: "/nonexistent/rds-global-bundle.pem" })).rejects.toThrow(/DATABASE_CA_FILE: cannot read \/nonexistent\/rds-global-bundle.pem \(ENOENT\)/);
  });
});

describe("trace sampling (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG)", () => {
  const db = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" };

  test("accepts the specification's samplers and a ratio from 0 to 1", () => {
    expect(parseEnv({ ...base, ...db, OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: "0.1" })).toMatchObject({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: 0.1 });
    expect(parseEnv({ ...base, ...db }).OTEL_TRACES_SAMPLER).toBeUndefined();
  });

  test.each([
    [{ OTEL_TRACES_SAMPLER: "parentbased_ratio" }, /OTEL_TRACES_SAMPLER: must be one of always_on, .*parentbased_traceidratio \(fix its value\)/],
    [{ OTEL_TRACES_SAMPLER_ARG: "10" }, /OTEL_TRACES_SAMPLER_ARG: .*\(fix its value\)/],
    [{ OTEL_TRACES_SAMPLER_ARG: "ten percent" }, /OTEL_TRACES_SAMPLER_ARG: .*\(fix its value\)/],
  ])("refuses %j, naming the variable (the SDK alone would log and trace everything)", (env, message) => {
    expect(() => parseEnv({ ...base, ...db, ...env })).toThrow(message);
  });
});

describe("SQS_QUEUE_URL", () => {
  const db = { DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db" };

  test("is optional in the schema (processes without the reports module make no SQS call) and required where the queue is used", () => {
    const { SQS_QUEUE_URL: _url, ...withoutQueue } = base;
    const cfg = parseEnv({ ...withoutQueue, ...db });
    expect(cfg.SQS_QUEUE_URL).toBeUndefined();
    expect(() => requireQueueUrl(cfg)).toThrow(new ConfigError([SQS_QUEUE_URL_MISSING]));
    expect(SQS_QUEUE_URL_MISSING).toBe("SQS_QUEUE_URL: required by the reports module (the job queue's URL) (it is not set)");
    expect(requireQueueUrl(parseEnv({ ...base, ...db }))).toBe(base.SQS_QUEUE_URL);
    expect(() => parseEnv({ ...base, ...db, SQS_QUEUE_URL: "jobs" })).toThrow(/SQS_QUEUE_URL: .*\(fix its value\)/);
  });
});

describe("WEBHOOK_SECRET_KEY_SECRET_ARN", () => {
  const arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:webhook-key-AbCdEf";
  const env = { ...base, DATABASE_URL: "postgres://u:p@127.0.0.1:5432/db", WEBHOOK_SECRET_KEY_SECRET_ARN: arn };
  /** A random password of 64 letters and digits, as the platform generates it. */
  const password = () => randomBytes(64).toString("base64").replace(/[^A-Za-z0-9]/g, "").padEnd(64, "x").slice(0, 64);
  const reader = (value: string, seen: string[] = []) => async (id: string) => {
    seen.push(id);
    return value;
  };

  test("the key is HKDF-SHA256 of the material (empty salt, the secret box's info): 32 bytes, deterministic, distinct per material", () => {
    const material = password();
    const key = deriveWebhookSecretKey(material);
    expect(key).toHaveLength(32);
    expect(key).toEqual(Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), "groundwork/webhooks/secret-box/v1", 32)));
    expect(WEBHOOK_KEY_INFO).toBe("groundwork/webhooks/secret-box/v1");
    expect(deriveWebhookSecretKey(material)).toEqual(key);
    expect(deriveWebhookSecretKey(password())).not.toEqual(key);
    // Not the material's own bytes: the material is a password, the key is full-entropy.
    expect(key.equals(Buffer.from(material).subarray(0, 32))).toBe(false);
  });

  test("loadConfig reads the secret and puts base64 of the derived key in WEBHOOK_SECRET_KEY, where the secret box takes it", async () => {
    const material = password();
    const seen: string[] = [];
    const cfg = await loadConfig(env, reader(`${material}\n`, seen));
    expect(seen).toEqual([arn]);
    expect(cfg.WEBHOOK_SECRET_KEY).toBe(deriveWebhookSecretKey(material).toString("base64"));
    expect(Buffer.from(cfg.WEBHOOK_SECRET_KEY!, "base64")).toHaveLength(32);
    // Without the ARN nothing is read and the key stays unset.
    const none: string[] = [];
    expect((await loadConfig({ ...base, DATABASE_URL: env.DATABASE_URL }, reader(material, none))).WEBHOOK_SECRET_KEY).toBeUndefined();
    expect(none).toEqual([]);
  });

  test("material shorter than 32 characters fails the start, naming the variable and the fix (and not the material)", async () => {
    const short = "abcdefghijklmnopqrstuvwxyz01234"; // 31 characters
    const failure = loadConfig(env, reader(short));
    await expect(failure).rejects.toBeInstanceOf(ConfigError);
    await expect(failure).rejects.toThrow(
      "WEBHOOK_SECRET_KEY_SECRET_ARN: the secret holds 31 characters; it must hold at least 32 characters of random key material (store a random password of 64 letters and digits in it) (fix the secret value)",
    );
    await expect(loadConfig(env, reader(short))).rejects.not.toThrow(short);
    // Whitespace does not count as material.
    await expect(loadConfig(env, reader(`${short}\n   `))).rejects.toThrow(/the secret holds 31 characters/);
    await expect(loadConfig(env, reader(`${short}9`))).resolves.toMatchObject({ WEBHOOK_SECRET_KEY: deriveWebhookSecretKey(`${short}9`).toString("base64") });
  });

  test("setting it together with WEBHOOK_SECRET_KEY is a config error: choose one", async () => {
    const both = { ...env, WEBHOOK_SECRET_KEY: Buffer.alloc(32, 1).toString("base64") };
    expect(() => parseEnv(both)).toThrow(/WEBHOOK_SECRET_KEY_SECRET_ARN: cannot be combined with WEBHOOK_SECRET_KEY: choose one source of the webhook encryption key .*\(unset it\)/);
    const seen: string[] = [];
    await expect(loadConfig(both, reader(password(), seen))).rejects.toBeInstanceOf(ConfigError);
    expect(seen).toEqual([]);
    expect(() => parseEnv({ ...env, WEBHOOK_SECRET_KEY_SECRET_ARN: "webhook-key" })).toThrow(/WEBHOOK_SECRET_KEY_SECRET_ARN: must be a Secrets Manager secret ARN/);
  });
});
