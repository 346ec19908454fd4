import { createServer, type Server } from "node:http";
import { ConfigError, loadConfig, parseEnv } from "../src/platform/config";

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
