import { z } from "zod";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";

const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const arn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, "must be a Secrets Manager secret ARN");

/**
 * Environment schema. Everything non-secret has a safe default; secrets (DATABASE_URL, REDIS_URL's password)
 * never do: they come either from the environment or from Secrets Manager when the `*_SECRET_ARN` is given.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("production"),
    HOST: z.string().default("0.0.0.0"),
    PORT: int(0, 65535).default(3000),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SERVICE_NAME: z.string().min(1).default("groundwork-app"),

    DATABASE_URL: z.string().url().optional(),
    DATABASE_SECRET_ARN: arn.optional(),
    DB_POOL_MAX: int(1, 200).default(10),
    DB_POOL_ACQUIRE_TIMEOUT_MS: int(10, 60000).default(1000),
    DB_STATEMENT_TIMEOUT_MS: int(100, 600000).default(5000),

    REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://"),
    REDIS_PASSWORD_SECRET_ARN: arn.optional(),
    REDIS_COMMAND_TIMEOUT_MS: int(10, 10000).default(250),
    CACHE_ENABLED: bool.default(true),
    CACHE_TTL_SECONDS: int(1, 86400).default(60),
    CACHE_LOCAL_TTL_MS: int(0, 60000).default(2000),
    HTTP_CACHE_MAX_AGE_SECONDS: int(0, 86400).default(30),

    AWS_REGION: z.string().min(1),
    SQS_ENDPOINT: z.string().url().optional(),
    SQS_QUEUE_URL: z.string().url(),
    SQS_DLQ_URL: z.string().url().optional(),
    QUEUE_DEPTH_POLL_MS: int(0, 3600000).default(15000),

    RATE_LIMIT_MAX: int(1, 10_000_000).default(600),
    RATE_LIMIT_WINDOW_MS: int(100, 3600000).default(60000),
    /** Apply pending migrations when the API starts (local runs, tests). In production run `npm run migrate` as a one-off task. */
    RUN_MIGRATIONS: bool.default(false),
    /** On SIGTERM, report not-ready and keep serving this long before closing (load balancer deregistration). */
    SHUTDOWN_DRAIN_DELAY_MS: int(0, 120000).default(0),
    SHUTDOWN_GRACE_MS: int(100, 600000).default(25000),

    WORKER_CONCURRENCY: int(1, 10).default(2),
    WORKER_VISIBILITY_TIMEOUT_S: int(2, 43200).default(30),
    WORKER_WAIT_TIME_S: int(0, 20).default(20),
    WORKER_MAX_BACKOFF_S: int(1, 43200).default(300),
    WORKER_METRICS_PORT: int(0, 65535).default(9091),
    REPORTS_MAX_DELAY_MS: int(0, 600000).default(0),
    /** Must equal the queue's redrive maxReceiveCount: on the last receive a failing job is marked failed. */
    JOB_MAX_RECEIVES: int(1, 1000).default(5),
    /** A job still 'queued' after this long is re-sent by the worker (its message may have been lost). 0 = off. */
    JOB_REQUEUE_AFTER_S: int(0, 86400).default(900),

    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
  });

/** Validated configuration after secrets have been resolved. */
export type Config = Omit<z.infer<typeof envSchema>, "DATABASE_URL"> & { DATABASE_URL: string };

/** Raised at start when the environment is invalid; the message names every failing variable and the fix. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Parses `env` without touching the network. Throws {@link ConfigError}. */
export function parseEnv(env: NodeJS.ProcessEnv): z.infer<typeof envSchema> {
  const result = envSchema.safeParse(env);
  const issues = result.success
    ? []
    : result.error.issues.map((issue) => {
        const name = issue.path.join(".") || "(environment)";
        const got = issue.path.length ? env[String(issue.path[0])] : undefined;
        const hint = got === undefined ? "it is not set" : "fix its value";
        return `${name}: ${issue.message} (${hint})`;
      });
  if (!env.DATABASE_URL && !env.DATABASE_SECRET_ARN) {
    issues.push("DATABASE_URL: set DATABASE_URL (postgres://user:pass@host:5432/db) or DATABASE_SECRET_ARN (an RDS-style JSON secret) (it is not set)");
  }
  if (!result.success || issues.length) throw new ConfigError(issues);
  return result.data;
}

/** Anything that can return a secret's string value; Secrets Manager in production, a fake in tests. */
export type SecretReader = (arn: string) => Promise<string>;

/** Reads a secret from AWS Secrets Manager (SECRETS_MANAGER_ENDPOINT overrides the endpoint for local fakes). */
export function secretsManagerReader(region: string, endpoint?: string): SecretReader {
  const client = new SecretsManagerClient({ region, endpoint });
  return async (secretArn) => {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretArn }));
    if (!out.SecretString) throw new ConfigError([`secret ${secretArn} has no SecretString`]);
    return out.SecretString;
  };
}

const rdsSecret = z.object({
  username: z.string(),
  password: z.string(),
  host: z.string(),
  port: z.coerce.number().int().default(5432),
  dbname: z.string().default("postgres"),
});

/** Parses and validates the environment, then resolves secrets given by ARN. */
export async function loadConfig(env: NodeJS.ProcessEnv = process.env, readSecret?: SecretReader): Promise<Config> {
  const parsed = parseEnv(env);
  const reader = readSecret ?? secretsManagerReader(parsed.AWS_REGION, env.SECRETS_MANAGER_ENDPOINT);
  let databaseUrl = parsed.DATABASE_URL;
  if (parsed.DATABASE_SECRET_ARN) {
    const raw = await reader(parsed.DATABASE_SECRET_ARN);
    let secret;
    try {
      secret = rdsSecret.parse(JSON.parse(raw));
    } catch {
      throw new ConfigError([
        `DATABASE_SECRET_ARN: secret must be JSON {"username","password","host","port","dbname"} (fix the secret value)`,
      ]);
    }
    const u = new URL("postgres://localhost");
    u.username = encodeURIComponent(secret.username);
    u.password = encodeURIComponent(secret.password);
    u.hostname = secret.host;
    u.port = String(secret.port);
    u.pathname = `/${secret.dbname}`;
    databaseUrl = u.toString();
  }
  let redisUrl = parsed.REDIS_URL;
  if (parsed.REDIS_PASSWORD_SECRET_ARN) {
    const u = new URL(redisUrl);
    u.password = encodeURIComponent((await reader(parsed.REDIS_PASSWORD_SECRET_ARN)).trim());
    redisUrl = u.toString();
  }
  return { ...parsed, DATABASE_URL: databaseUrl as string, REDIS_URL: redisUrl };
}
