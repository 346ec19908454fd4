import { Sha256 } from "@aws-crypto/sha256-js";
import { fromNodeProviderChain } from "@aws-sdk/credential-providers";
import { Signer } from "@aws-sdk/rds-signer";
import { SignatureV4 } from "@smithy/signature-v4";

/**
 * IAM authentication tokens for RDS (PostgreSQL) and ElastiCache (Valkey/Redis OSS).
 *
 * Both tokens are SigV4-presigned URLs, valid for 15 minutes, signed with the credentials of the default
 * provider chain (on EKS: the pod's IRSA role through the web identity token). They are checked only when a
 * connection authenticates, so an open connection outlives its token; every new connection needs a fresh one.
 */

/** AWS credentials (structurally the SDK's AwsCredentialIdentity). */
export interface AwsCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}
export type AwsCredentialsProvider = () => Promise<AwsCredentials>;

/** RDS: a token is valid for 15 minutes. One is reused for 10; after that a new one is signed. */
export const TOKEN_REUSE_MS = 10 * 60 * 1000;
/** Between 10 and 14 minutes the old token is still handed out while the new one is being signed. */
export const TOKEN_MAX_AGE_MS = 14 * 60 * 1000;

/** Returns a token; from {@link cachedToken}, one that is still valid for at least a minute. */
export type TokenProvider = () => Promise<string>;

/**
 * Caches the result of `sign`. A token younger than `reuseMs` is returned as is. Up to `maxAgeMs` it is still
 * returned, while a new one is signed in the background; older than that, callers wait for the new one.
 * Concurrent callers share one signing call, and a failed call is not cached (the next caller tries again).
 */
export function cachedToken(sign: () => Promise<string>, opts: { reuseMs?: number; maxAgeMs?: number; now?: () => number } = {}): TokenProvider {
  const reuseMs = opts.reuseMs ?? TOKEN_REUSE_MS;
  const maxAgeMs = Math.max(opts.maxAgeMs ?? TOKEN_MAX_AGE_MS, reuseMs);
  const now = opts.now ?? Date.now;
  let cached: { token: string; at: number } | undefined;
  let inflight: Promise<string> | undefined;
  const refresh = () =>
    (inflight ??= (async () => {
      const at = now();
      try {
        const token = await sign();
        cached = { token, at };
        return token;
      } finally {
        inflight = undefined;
      }
    })());
  return () => {
    const age = cached ? now() - cached.at : Infinity;
    if (cached && age < reuseMs) return Promise.resolve(cached.token);
    if (cached && age < maxAgeMs) {
      refresh().catch(() => undefined);
      return Promise.resolve(cached.token);
    }
    return refresh();
  };
}

/** What we need from `@aws-sdk/rds-signer`'s Signer (a fake in tests). */
export interface RdsTokenSigner {
  getAuthToken(): Promise<string>;
}

/**
 * Password provider for node-postgres (`password: () => Promise<string>`): pg calls it for every new
 * connection, and it returns an RDS IAM token that is at most `reuseMs` old.
 */
export function rdsTokenProvider(
  opts: { hostname: string; port: number; username: string; region: string; reuseMs?: number; maxAgeMs?: number; now?: () => number },
  signer: RdsTokenSigner = new Signer({ hostname: opts.hostname, port: opts.port, username: opts.username, region: opts.region }),
): TokenProvider {
  return cachedToken(() => signer.getAuthToken(), opts);
}

/**
 * Credentials from the default provider chain, re-resolved when they would expire before a token signed with them:
 * a presigned URL is only valid while its credentials are.
 */
export function defaultCredentials(): AwsCredentialsProvider {
  const chain = fromNodeProviderChain();
  const lifetimeMs = 15 * 60 * 1000;
  return async () => {
    const creds = await chain();
    if (creds.expiration && creds.expiration.getTime() - Date.now() < lifetimeMs) {
      const fresh = await chain({ forceRefresh: true }).catch(() => creds);
      return fresh;
    }
    return creds;
  };
}

const rfc3986 = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * The ElastiCache IAM authentication token for `user` on `replicationGroupId`: the SigV4-presigned
 * `GET http://<replicationGroupId>/?Action=connect&User=<user>` (service `elasticache`, 900 s), without `http://`.
 * It is used as the password of `AUTH <user> <token>` (see "Authenticating with IAM" in the ElastiCache guide).
 */
export async function elasticacheAuthToken(opts: {
  replicationGroupId: string;
  user: string;
  region: string;
  credentials: AwsCredentials | AwsCredentialsProvider;
  /** Signing time (tests); default now. */
  signingDate?: Date;
}): Promise<string> {
  const signer = new SignatureV4({ service: "elasticache", region: opts.region, credentials: opts.credentials, sha256: Sha256, applyChecksum: false });
  const host = opts.replicationGroupId;
  const presigned = await signer.presign(
    { method: "GET", protocol: "http:", hostname: host, path: "/", query: { Action: "connect", User: opts.user }, headers: { host } },
    { expiresIn: 900, signingDate: opts.signingDate },
  );
  const query = Object.entries(presigned.query ?? {})
    .flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x]) : v == null ? [] : [[k, v]]))
    .map(([k, v]) => `${rfc3986(k)}=${rfc3986(String(v))}`)
    .join("&");
  return `${host}/?${query}`;
}

/**
 * Token provider for the cache: signs a new ElastiCache token on every call (a local HMAC; the credentials are
 * cached by the provider chain). The cache calls it only on its refresh timer, and each call must return a token
 * valid for the full 15 minutes, because it stays the clients' password until the next refresh.
 */
export function elasticacheTokenProvider(opts: {
  replicationGroupId: string;
  user: string;
  region: string;
  credentials?: AwsCredentials | AwsCredentialsProvider;
  now?: () => number;
}): TokenProvider {
  const credentials = opts.credentials ?? defaultCredentials();
  const now = opts.now ?? Date.now;
  return () => elasticacheAuthToken({ ...opts, credentials, signingDate: new Date(now()) });
}
