import { hkdfSync } from "node:crypto";
import { constants } from "node:fs";
import { access } from "node:fs/promises";
import { z } from "zod";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import contract from "../contract.json";

const bool = z
  .enum(["true", "false", "1", "0"])
  .transform((v) => v === "true" || v === "1");
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);
const arn = z.string().regex(/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/, "must be a Secrets Manager secret ARN");
/**
 * WEBHOOK_PORTS: "any", or a comma list of TCP ports. The default is the contract's webhookPorts, the ports the
 * platform's NetworkPolicy opens to public addresses for the worker: a callback on any other port would be accepted
 * and then time out at every attempt, so the app refuses it up front instead.
 */
const webhookPorts = z
  .string()
  .optional()
  .transform((value, ctx): readonly number[] | "any" => {
    const text = (value ?? contract.webhookPorts.join(",")).trim();
    if (text === "any") return "any";
    const parts = text.split(",").map((p) => p.trim());
    const ports = parts.map((p) => (/^\d{1,5}$/.test(p) ? Number(p) : NaN));
    if (!parts.length || ports.some((p) => !(p >= 1 && p <= 65535))) {
      ctx.addIssue({ code: "custom", message: 'must be "any" or a comma list of TCP ports from 1 to 65535, e.g. 443 or 443,8443' });
      return z.NEVER;
    }
    return [...new Set(ports)];
  });
/** A plain (unquoted) PostgreSQL role name. */
const pgRole = z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "must be a lower-case PostgreSQL role name ([a-z_][a-z0-9_]*, at most 63 characters)");

/**
 * Environment schema. Everything non-secret has a safe default; secrets (DATABASE_URL, REDIS_URL's password)
 * never do: they come either from the environment or from Secrets Manager when the `*_SECRET_ARN` is given.
 */
export const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("production"),
    HOST: z.string().default("0.0.0.0"),
    PORT: int(0, 65535).default(3000),
    /** Port of the API's Prometheus endpoint (/metrics), apart from PORT so no Service, Ingress or CDN exposes it; 0 = off. */
    METRICS_PORT: int(0, 65535).default(9464),
    LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
    SERVICE_NAME: z.string().min(1).default("groundwork-app"),

    DATABASE_URL: z.string().url().optional(),
    DATABASE_SECRET_ARN: arn.optional(),
    /** RDS IAM database authentication: a fresh token (signed with the pod's role) is the password of each connection. */
    DATABASE_IAM_AUTH: bool.default(false),
    DATABASE_HOST: z.string().min(1).optional(),
    DATABASE_PORT: int(1, 65535).default(5432),
    DATABASE_NAME: z.string().min(1).optional(),
    DATABASE_USER: z.string().min(1).optional(),
    /** Reads that tolerate replica lag (catalog lists, gets on a cache miss): a reader or RDS Proxy read-only endpoint (IAM auth), or a URL. */
    DATABASE_READ_HOST: z.string().min(1).optional(),
    DATABASE_READ_URL: z.string().url().optional(),
    /** Verified TLS to PostgreSQL (always on with DATABASE_IAM_AUTH). Needed against RDS with rds.force_ssl=1. */
    DATABASE_TLS: bool.optional(),
    /** PEM bundle that verifies the database's TLS certificate (the RDS global bundle). Unset: Node's default CAs. */
    DATABASE_CA_FILE: z.string().min(1).optional(),
    /** `migrate` only, connected as an admin: create this role for IAM authentication and grant it the app's privileges. */
    DATABASE_IAM_BOOTSTRAP_ROLE: pgRole.optional(),
    DB_POOL_MAX: int(1, 200).default(10),
    DB_POOL_ACQUIRE_TIMEOUT_MS: int(10, 60000).default(1000),
    DB_STATEMENT_TIMEOUT_MS: int(100, 600000).default(5000),

    REDIS_URL: z.string().regex(/^rediss?:\/\//, "must start with redis:// or rediss://"),
    REDIS_PASSWORD_SECRET_ARN: arn.optional(),
    /** ElastiCache IAM authentication: the password is a short-lived token signed with the pod's role, refreshed on a timer. */
    REDIS_IAM_AUTH: bool.default(false),
    REDIS_USER: z.string().min(1).optional(),
    /** ElastiCache cluster mode: REDIS_URL is the configuration endpoint; the cache client speaks the cluster protocol. */
    REDIS_CLUSTER: bool.default(false),
    ELASTICACHE_REPLICATION_GROUP_ID: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, "must be a replication group id (lower-case letters, digits and hyphens)").optional(),
    REDIS_COMMAND_TIMEOUT_MS: int(10, 10000).default(250),
    CACHE_ENABLED: bool.default(true),
    CACHE_TTL_SECONDS: int(1, 86400).default(60),
    CACHE_LOCAL_TTL_MS: int(0, 60000).default(2000),
    HTTP_CACHE_MAX_AGE_SECONDS: int(0, 86400).default(30),

    AWS_REGION: z.string().min(1),
    SQS_ENDPOINT: z.string().url().optional(),
    /** The job queue. Only processes running the reports module use SQS; createPlatform requires it for them (see {@link requireQueueUrl}). */
    SQS_QUEUE_URL: z.string().url().optional(),
    SQS_DLQ_URL: z.string().url().optional(),
    QUEUE_DEPTH_POLL_MS: int(0, 3600000).default(15000),
    /** How long a readiness result is reused: probes and clients hitting /readyz share one check per window. */
    READINESS_CACHE_MS: int(0, 60000).default(2000),

    RATE_LIMIT_MAX: int(1, 10_000_000).default(600),
    RATE_LIMIT_WINDOW_MS: int(100, 3600000).default(60000),
    /**
     * Proxies in front of the API whose X-Forwarded-For entries are believed: the client address is the one the
     * outermost of them saw. 2 on the platform (CloudFront, then the ALB); 0 when clients connect directly.
     */
    TRUSTED_PROXY_HOPS: int(0, 10).default(2),
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
    /** Outbox relay (worker): records claimed per transaction (sent as SendMessageBatch calls of 10), idle poll, retention of sent records. */
    OUTBOX_CLAIM: int(1, 1000).default(50),
    OUTBOX_POLL_MS: int(10, 60000).default(100),
    OUTBOX_RETENTION_S: int(0, 30 * 86400).default(86400),

    OTEL_EXPORTER_OTLP_ENDPOINT: z.string().url().optional(),
    /**
     * Which requests are traced: the OpenTelemetry SDK reads these two itself (the specification's names); they are
     * validated here so a typo fails the start instead of silently tracing everything. Unsampled requests still get a
     * trace id (logs and propagation keep it), they just record no spans.
     */
    OTEL_TRACES_SAMPLER: z
      .enum(["always_on", "always_off", "traceidratio", "parentbased_always_on", "parentbased_always_off", "parentbased_traceidratio"], {
        error: "must be one of always_on, always_off, traceidratio, parentbased_always_on, parentbased_always_off, parentbased_traceidratio",
      })
      .optional(),
    OTEL_TRACES_SAMPLER_ARG: z.coerce.number().min(0).max(1).optional(),
    /** Comma list of the modules this process runs (routes, migrations, consumers); unset = all. Checked by the composition root (app.ts). */
    MODULES: z.string().optional(),

    /** Webhooks (worker): per-attempt deadline, retries with exponential backoff and full jitter, then 'dead'. */
    WEBHOOK_TIMEOUT_MS: int(100, 60000).default(5000),
    WEBHOOK_MAX_ATTEMPTS: int(1, 100).default(8),
    WEBHOOK_BACKOFF_BASE_MS: int(1, 3600000).default(5000),
    WEBHOOK_BACKOFF_CAP_MS: int(1, 86400000).default(3600000),
    WEBHOOK_POLL_MS: int(10, 60000).default(1000),
    WEBHOOK_CONCURRENCY: int(1, 100).default(4),
    /** Loopback, private, link-local and other non-public targets allowed: tests and local runs only (receivers on loopback). */
    WEBHOOK_ALLOW_PRIVATE_TARGETS: bool.default(false),
    /** http:// callback URLs allowed (tests and local runs); refused with NODE_ENV=production. */
    WEBHOOK_ALLOW_HTTP: bool.default(false),
    /** Encrypts webhook signing secrets at rest (AES-256-GCM): base64 of 32 random bytes. Unset: stored unencrypted. */
    WEBHOOK_SECRET_KEY: z
      .string()
      .refine((v) => Buffer.from(v, "base64").length === 32, "must be base64 of 32 random bytes (openssl rand -base64 32)")
      .optional(),
    /**
     * The same key from Secrets Manager (what the platform sets): the secret's string is random key material (at least
     * 32 characters); loadConfig derives the AES-256 key from it (see {@link deriveWebhookSecretKey}) into WEBHOOK_SECRET_KEY.
     */
    WEBHOOK_SECRET_KEY_SECRET_ARN: arn.optional(),
    /** The TCP ports a callback URL may use (443 for https and 80 for http when the URL names none): a comma list, or "any". */
    WEBHOOK_PORTS: webhookPorts,
    /** After a rotation the previous signing secret also signs for this long, so receivers can switch over. */
    WEBHOOK_SECRET_ROTATION_GRACE_S: int(0, 30 * 86400).default(86400),
  });

/**
 * Validated configuration after secrets have been resolved. `DATABASE_URL` is set unless `DATABASE_IAM_AUTH`
 * is true; then `DATABASE_HOST`, `DATABASE_NAME` and `DATABASE_USER` are set instead.
 */
export type Config = z.infer<typeof envSchema>;

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
  issues.push(...crossFieldIssues(env));
  if (!result.success || issues.length) throw new ConfigError(issues);
  return result.data;
}

const isTrue = (v: string | undefined) => v === "true" || v === "1";

/** Rules between variables: one way to reach the database and one way to authenticate to Redis. */
function crossFieldIssues(env: NodeJS.ProcessEnv): string[] {
  const issues: string[] = [];
  const unset = (name: string, why: string) => `${name}: ${why} (it is not set)`;
  const conflict = (name: string, why: string) => `${name}: ${why} (unset it)`;
  if (isTrue(env.DATABASE_IAM_AUTH)) {
    for (const name of ["DATABASE_HOST", "DATABASE_NAME", "DATABASE_USER"]) {
      if (!env[name]) issues.push(unset(name, "required when DATABASE_IAM_AUTH=true (the RDS endpoint, database name and the IAM-enabled role)"));
    }
    for (const name of ["DATABASE_URL", "DATABASE_SECRET_ARN"]) {
      if (env[name]) issues.push(conflict(name, "cannot be combined with DATABASE_IAM_AUTH=true: choose IAM authentication or a password"));
    }
    if (env.DATABASE_IAM_BOOTSTRAP_ROLE) {
      issues.push(conflict("DATABASE_IAM_BOOTSTRAP_ROLE", "creating the IAM role needs an admin connection (DATABASE_SECRET_ARN with the master secret), not DATABASE_IAM_AUTH=true"));
    }
    if (env.DATABASE_TLS === "false" || env.DATABASE_TLS === "0") issues.push(conflict("DATABASE_TLS", "RDS IAM authentication requires TLS; DATABASE_IAM_AUTH=true always uses it"));
  } else {
    if (!env.DATABASE_URL && !env.DATABASE_SECRET_ARN) {
      issues.push(
        "DATABASE_URL: set DATABASE_URL (postgres://user:pass@host:5432/db) or DATABASE_SECRET_ARN (an RDS-style JSON secret), or DATABASE_IAM_AUTH=true with DATABASE_HOST, DATABASE_NAME and DATABASE_USER (it is not set)",
      );
    } else if (env.DATABASE_URL && env.DATABASE_SECRET_ARN) {
      issues.push(conflict("DATABASE_SECRET_ARN", "cannot be combined with DATABASE_URL: set only one of them"));
    } else if (env.DATABASE_URL) {
      for (const name of ["DATABASE_HOST", "DATABASE_PORT", "DATABASE_NAME", "DATABASE_USER"]) {
        if (env[name]) issues.push(conflict(name, "is not used with DATABASE_URL (put it in the URL, or use DATABASE_IAM_AUTH=true)"));
      }
    } else if (env.DATABASE_USER) {
      issues.push(conflict("DATABASE_USER", "is not used with DATABASE_SECRET_ARN: the user comes from the secret (DATABASE_HOST, DATABASE_PORT and DATABASE_NAME may override the secret's)"));
    }
    if (env.DATABASE_CA_FILE && !isTrue(env.DATABASE_TLS)) issues.push(conflict("DATABASE_CA_FILE", "is only used with TLS: set DATABASE_TLS=true (or DATABASE_IAM_AUTH=true)"));
  }
  if ((env.NODE_ENV ?? "production") === "production" && isTrue(env.WEBHOOK_ALLOW_HTTP)) {
    issues.push(conflict("WEBHOOK_ALLOW_HTTP", "http:// callbacks are refused in production: webhooks are sent over https only"));
  }
  if (env.WEBHOOK_SECRET_KEY && env.WEBHOOK_SECRET_KEY_SECRET_ARN) {
    issues.push(conflict("WEBHOOK_SECRET_KEY_SECRET_ARN", "cannot be combined with WEBHOOK_SECRET_KEY: choose one source of the webhook encryption key (the platform sets the ARN)"));
  }
  if (isTrue(env.REDIS_IAM_AUTH)) {
    if (!env.REDIS_USER) issues.push(unset("REDIS_USER", "required when REDIS_IAM_AUTH=true (the IAM-enabled ElastiCache user id, e.g. app)"));
    if (!env.ELASTICACHE_REPLICATION_GROUP_ID) issues.push(unset("ELASTICACHE_REPLICATION_GROUP_ID", "required when REDIS_IAM_AUTH=true (the token is signed for this replication group)"));
    if (env.REDIS_PASSWORD_SECRET_ARN) issues.push(conflict("REDIS_PASSWORD_SECRET_ARN", "cannot be combined with REDIS_IAM_AUTH=true: choose IAM authentication or a password"));
    if (env.REDIS_URL) {
      if (!/^rediss:\/\//.test(env.REDIS_URL)) issues.push("REDIS_URL: must start with rediss:// when REDIS_IAM_AUTH=true (ElastiCache IAM authentication requires TLS) (fix its value)");
      else if (/^rediss:\/\/[^/]*@/.test(env.REDIS_URL)) issues.push("REDIS_URL: must not contain a user or password when REDIS_IAM_AUTH=true (they come from REDIS_USER and the IAM token) (fix its value)");
    }
  } else {
    for (const name of ["REDIS_USER", "ELASTICACHE_REPLICATION_GROUP_ID"]) {
      if (env[name]) issues.push(conflict(name, "is only used with REDIS_IAM_AUTH=true (set REDIS_IAM_AUTH=true, or put the user in REDIS_URL)"));
    }
  }
  return issues;
}

/** The problem reported when a process that needs the job queue has no SQS_QUEUE_URL. */
export const SQS_QUEUE_URL_MISSING = "SQS_QUEUE_URL: required by the reports module (the job queue's URL) (it is not set)";

/**
 * The job queue's URL for a process that uses SQS (one running the reports module). SQS_QUEUE_URL is optional in
 * the schema because the other processes (e.g. MODULES=catalog) make no SQS call and their role has no SQS grant;
 * throws {@link ConfigError} naming the variable when it is needed and missing.
 */
export function requireQueueUrl(config: Pick<Config, "SQS_QUEUE_URL">): string {
  if (!config.SQS_QUEUE_URL) throw new ConfigError([SQS_QUEUE_URL_MISSING]);
  return config.SQS_QUEUE_URL;
}

/** HKDF `info` of the webhook secret box's key: binds the derived key to this one use (and version) of the material. */
export const WEBHOOK_KEY_INFO = "groundwork/webhooks/secret-box/v1";
/** Shortest key material accepted from WEBHOOK_SECRET_KEY_SECRET_ARN (the platform generates 64 letters and digits). */
export const WEBHOOK_KEY_MATERIAL_MIN = 32;

/**
 * The 32-byte AES-256-GCM key of the webhook secret box, from the key material in WEBHOOK_SECRET_KEY_SECRET_ARN.
 * The material is a random password (letters and digits, about 5.95 bits each), not 32 raw bytes, so it is not
 * used as the key directly: HKDF-SHA256 (RFC 5869; empty salt, since the material is already uniformly random)
 * turns it into a full-entropy key. Deterministic: every API and worker replica derives the same key.
 */
export function deriveWebhookSecretKey(material: string): Buffer {
  return Buffer.from(hkdfSync("sha256", material, Buffer.alloc(0), WEBHOOK_KEY_INFO, 32));
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

/** An RDS-style secret. The RDS-managed master secret has only username and password: DATABASE_HOST etc. supply the rest. */
const rdsSecret = z.object({
  username: z.string(),
  password: z.string(),
  host: z.string().optional(),
  port: z.coerce.number().int().optional(),
  dbname: z.string().optional(),
});

/** Parses and validates the environment, then resolves secrets given by ARN. */
export async function loadConfig(env: NodeJS.ProcessEnv = process.env, readSecret?: SecretReader): Promise<Config> {
  const parsed = parseEnv(env);
  if (parsed.DATABASE_CA_FILE) {
    try {
      await access(parsed.DATABASE_CA_FILE, constants.R_OK);
    } catch (err) {
      throw new ConfigError([`DATABASE_CA_FILE: cannot read ${parsed.DATABASE_CA_FILE} (${(err as NodeJS.ErrnoException).code ?? String(err)}) (fix its value or add the file to the image)`]);
    }
  }
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
    // Explicit variables win over the secret's fields (the RDS-managed master secret has no host at all).
    const host = env.DATABASE_HOST || secret.host;
    if (!host) throw new ConfigError(["DATABASE_HOST: the secret in DATABASE_SECRET_ARN has no host; set DATABASE_HOST to the database endpoint (it is not set)"]);
    const port = env.DATABASE_PORT ? parsed.DATABASE_PORT : (secret.port ?? 5432);
    const dbname = parsed.DATABASE_NAME ?? secret.dbname ?? "postgres";
    const u = new URL("postgres://localhost");
    u.username = encodeURIComponent(secret.username);
    u.password = encodeURIComponent(secret.password);
    u.hostname = host;
    u.port = String(port);
    u.pathname = `/${dbname}`;
    databaseUrl = u.toString();
  }
  let redisUrl = parsed.REDIS_URL;
  if (parsed.REDIS_PASSWORD_SECRET_ARN) {
    const u = new URL(redisUrl);
    u.password = encodeURIComponent((await reader(parsed.REDIS_PASSWORD_SECRET_ARN)).trim());
    redisUrl = u.toString();
  }
  let webhookSecretKey = parsed.WEBHOOK_SECRET_KEY;
  if (parsed.WEBHOOK_SECRET_KEY_SECRET_ARN) {
    // Trimmed like the Redis password: a trailing newline from a hand-made secret is not key material.
    const material = (await reader(parsed.WEBHOOK_SECRET_KEY_SECRET_ARN)).trim();
    if (material.length < WEBHOOK_KEY_MATERIAL_MIN) {
      throw new ConfigError([
        `WEBHOOK_SECRET_KEY_SECRET_ARN: the secret holds ${material.length} characters; it must hold at least ${WEBHOOK_KEY_MATERIAL_MIN} characters of random key material (store a random password of 64 letters and digits in it) (fix the secret value)`,
      ]);
    }
    // The rest of the app (SecretBox) takes base64 of the key in WEBHOOK_SECRET_KEY, whichever source it came from.
    webhookSecretKey = deriveWebhookSecretKey(material).toString("base64");
  }
  return { ...parsed, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl, WEBHOOK_SECRET_KEY: webhookSecretKey };
}
