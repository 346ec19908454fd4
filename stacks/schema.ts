import { z } from "zod";
import { LOG_RETENTION_DAYS, NAT_MODES, NatMode } from "../components/network/args";
import { MAX_AZ_COUNT, MIN_AZ_COUNT } from "../components/network/cidr";
import { MIN_RATE_LIMIT, PRICE_CLASSES, PriceClass } from "../components/cdn/args";
import { checkAdminRoleArn, checkKubernetesVersion, checkPublicAccessCidrs } from "../components/cluster/validate";
import { instanceClassMemoryGib } from "../components/database/maxConnections";
import { imagePinProblem } from "../components/service/image";
import { alertSubscriptionProblem, type AlertSubscription } from "../components/observe/alertTopic";
import { DB_ENGINES, TIERS } from "./tiers";
import APP_CONTRACT from "../app/src/contract.json";

/**
 * Modules of the reference app that can run as their own Service: those with an `<module>-api` entry in the app's
 * contract (the AWS calls of that process, which its own role is granted) and route prefixes (the mesh routes them).
 */
export const EXTRACTABLE_MODULES: readonly string[] = Object.keys(APP_CONTRACT.awsCalls)
    .filter((k) => k.endsWith("-api") && k.slice(0, -4) in APP_CONTRACT.routePrefixes)
    .map((k) => k.slice(0, -4));

/**
 * Zod schemas of the `groundwork:*` config keys. Pulumi hands every config value to the program as a
 * string (YAML numbers and booleans arrive as `"3"`, `"true"`, objects as JSON), so each schema parses a
 * string. Each schema's error message says what is allowed; `parse.ts` adds the key and the value.
 */

/** The project's config namespace. */
export const NAMESPACE = "groundwork";

/** `true` or `false`. */
const bool = z.enum(["true", "false"], { error: "true or false" }).transform((v) => v === "true");

/** A whole number from `min` to `max`. */
function wholeNumber(min: number, max: number) {
    const allowed = `a whole number from ${min} to ${max}`;
    return z
        .string()
        .regex(/^[0-9]+$/, { error: allowed })
        .transform(Number)
        .pipe(z.number().int().min(min, { error: allowed }).max(max, { error: allowed }));
}

/** One of a fixed set of whole numbers. */
function oneOfNumbers(values: readonly number[]) {
    const allowed = `one of ${values.join(", ")}`;
    return z
        .string()
        .regex(/^[0-9]+$/, { error: allowed })
        .transform(Number)
        .refine((n) => values.includes(n), { error: allowed });
}

/** A lower-case DNS name with at least two labels, such as `app.example.com` (no scheme, no path). */
const dnsName = z
    .string({ error: "a DNS name such as app.example.com" })
    .regex(/^(?=.{4,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, { error: "a lower-case DNS name such as app.example.com (no scheme, no path)" });

/** A string that a component's pure check accepts; the check's problem and fix become the message. */
function checked(check: (v: string) => { problem: string; fix: string } | undefined) {
    return z.string().superRefine((v, ctx) => {
        const p = check(v);
        if (p) ctx.addIssue({ code: "custom", message: `${p.fix} (${p.problem})` });
    });
}

/** A list (YAML sequence, JSON-encoded by Pulumi) of at least `min` strings, each accepted by `check`. */
function jsonList(allowed: string, min: number, check: (v: string) => { problem: string; fix: string } | undefined) {
    return z.string().transform((text, ctx) => {
        let value: unknown;
        try {
            value = JSON.parse(text);
        } catch {
            value = undefined;
        }
        if (!Array.isArray(value) || value.length < min || !value.every((v) => typeof v === "string")) {
            ctx.addIssue({ code: "custom", message: allowed });
            return z.NEVER;
        }
        for (const v of value as string[]) {
            const p = check(v);
            if (p) {
                ctx.addIssue({ code: "custom", message: `${allowed}; ${p.problem}` });
                return z.NEVER;
            }
        }
        return value as string[];
    });
}

/** An EC2 instance type name such as `m7i.large`. */
function instanceType(v: string): { problem: string; fix: string } | undefined {
    return /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(v) ? undefined : { problem: `'${v}' is not an EC2 instance type`, fix: "use a name such as m7i.large" };
}

const TAG_KEY = /^[\p{L}\p{N}\s_.:/=+\-@]{1,128}$/u;

/** Extra tags: a JSON object (a YAML map in Pulumi.<stack>.yaml) of string values; keys may not start with `aws:`. */
const tags = z.string().transform((text, ctx) => {
    const allowed = "a map of tag names (1-128 characters, not starting with aws:) to string values (at most 256 characters)";
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        value = undefined;
    }
    const ok =
        value !== null &&
        typeof value === "object" &&
        !Array.isArray(value) &&
        Object.entries(value as object).every(([k, v]) => TAG_KEY.test(k) && !k.toLowerCase().startsWith("aws:") && typeof v === "string" && v.length <= 256);
    if (!ok) {
        ctx.addIssue({ code: "custom", message: allowed });
        return z.NEVER;
    }
    return value as Record<string, string>;
});

/**
 * Alert subscriptions: a list (YAML sequence, JSON-encoded by Pulumi) of `{ protocol: email|https, endpoint }`, each
 * checked by the AlertTopic's own rule; the message names the entry, its problem and the fix.
 */
const alertSubscriptions = z.string().transform((text, ctx) => {
    const allowed = "a list of { protocol: email|https, endpoint: <address or https:// URL> }";
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        value = undefined;
    }
    if (!Array.isArray(value)) {
        ctx.addIssue({ code: "custom", message: allowed });
        return z.NEVER;
    }
    for (const [i, entry] of (value as unknown[]).entries()) {
        const e = (entry ?? {}) as Record<string, unknown>;
        const extra = typeof entry === "object" && entry !== null ? Object.keys(e).filter((k) => k !== "protocol" && k !== "endpoint") : [];
        const p =
            typeof entry !== "object" || entry === null
                ? { problem: "not a { protocol, endpoint } map", fix: "write the entry as protocol: email, endpoint: ops@example.com" }
                : extra.length > 0
                  ? { problem: `unknown field(s) ${extra.join(", ")}`, fix: "give only protocol and endpoint" }
                  : alertSubscriptionProblem(e);
        if (p) {
            ctx.addIssue({ code: "custom", message: `${allowed}; entry ${i}: ${p.problem}. Fix: ${p.fix}` });
            return z.NEVER;
        }
    }
    return value as AlertSubscription[];
});

/**
 * Every `groundwork:*` key (without the namespace), grouped by section. A new section adds its keys in a
 * new group here; keys not listed are rejected as unknown (typos fail loudly).
 */
export const KEYS = {
    /** Platform-wide keys. */
    platform: {
        /** `dev` or `prod`: selects the preset. Required. */
        tier: z.enum(TIERS, { error: TIERS.join(", ") }),
        /** Overrides the tier's `protect` (only `true` is allowed on prod). */
        protect: bool.optional(),
        /** Extra tags on every taggable resource. */
        tags: tags.optional(),
    },
    /** Network keys: override `PRESETS[tier].network`. */
    network: {
        /** VPC block; validated against the subnet layout in parse.ts. */
        vpcCidr: z.string().optional(),
        /** Number of AZs. */
        azCount: wholeNumber(MIN_AZ_COUNT, MAX_AZ_COUNT).optional(),
        /** NAT mode. */
        natMode: z.enum(NAT_MODES as [NatMode, ...NatMode[]], { error: NAT_MODES.join(", ") }).optional(),
        /** Interface endpoints on or off. */
        interfaceEndpoints: bool.optional(),
        /** Flow-log retention in days. */
        flowLogRetentionDays: oneOfNumbers(LOG_RETENTION_DAYS).optional(),
    },
    /** Edge keys: override `PRESETS[tier].cdn`; the domain keys have no preset. */
    cdn: {
        /** Custom domain of the distribution; required on prod. */
        domain: dnsName.optional(),
        /** Route 53 hosted zone id of `domain`. */
        hostedZoneId: z.string().regex(/^Z[A-Z0-9]{1,31}$/, { error: "a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ" }).optional(),
        /** DNS name of the API origin (the load balancer's name, with a certificate for it). */
        apiOriginDomain: dnsName,
        /** CloudFront price class. */
        cdnPriceClass: z.enum(PRICE_CLASSES as [PriceClass, ...PriceClass[]], { error: PRICE_CLASSES.join(", ") }).optional(),
        /** WAF rate limit per client IP per 5 minutes. */
        wafRateLimit: wholeNumber(MIN_RATE_LIMIT, 2_000_000_000).optional(),
    },
    /** Cluster keys: override `PRESETS[tier].cluster`; the admin roles have no preset. */
    cluster: {
        /** Kubernetes minor version EKS supports. */
        kubernetesVersion: checked((v) => checkKubernetesVersion(v)).optional(),
        /** IAM role ARNs that administer the cluster (access entries); at least one. */
        clusterAdminRoleArns: jsonList("a list of IAM role ARNs such as [arn:aws:iam::123456789012:role/platform-admin]", 1, checkAdminRoleArn),
        /** CIDRs allowed to reach a public API endpoint; omit for a private endpoint. */
        clusterPublicAccessCidrs: jsonList("a list of CIDRs such as [203.0.113.0/24], never 0.0.0.0/0", 1, (c) => checkPublicAccessCidrs([c])).optional(),
        /** System node group instance types. */
        nodeInstanceTypes: jsonList("a list of EC2 instance types such as [m7i.large]", 1, instanceType).optional(),
        /** System node group minimum size. */
        nodeMinSize: wholeNumber(2, 100).optional(),
        /** System node group maximum size. */
        nodeMaxSize: wholeNumber(2, 1000).optional(),
        /** Queue-worker node group maximum size. */
        workerMaxSize: wholeNumber(1, 1000).optional(),
        /** GitHub repository whose deploy workflow runs on the in-VPC deploy runner (https://github.com/<owner>/<repo>). */
        deployRunnerRepository: z.string().regex(/^https:\/\/github\.com\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, { error: "https://github.com/<owner>/<repo>, without .git or a trailing /" }).optional(),
        /** CodeConnections (GitHub App) connection ARN the deploy runner authenticates to GitHub with. */
        deployRunnerConnectionArn: z
            .string()
            .regex(/^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:[0-9]{12}:connection\/[A-Za-z0-9-]+$/, { error: "a connection ARN such as arn:aws:codeconnections:us-east-1:123456789012:connection/<id>" })
            .optional(),
    },
    /** Data tier keys: override `PRESETS[tier].data`. */
    data: {
        /** `postgres` (one RDS instance) or `aurora-postgresql` (a cluster with readers behind RDS Proxy). */
        dbEngine: z
            .enum(DB_ENGINES, { error: "postgres (one RDS instance) or aurora-postgresql (a writer and readers across AZs behind RDS Proxy). Fix: set groundwork:dbEngine to one of them, or remove it to take the tier's default" })
            .optional(),
        /** RDS instance class with a known memory size (for the connection budget). */
        dbInstanceClass: checked((v) =>
            instanceClassMemoryGib(v) === undefined ? { problem: `'${v}' is not an RDS instance class Groundwork knows the memory of`, fix: "use a class such as db.t4g.medium or db.m7g.large" } : undefined,
        ).optional(),
        /** Initial storage in GiB. */
        dbAllocatedStorage: wholeNumber(20, 65536).optional(),
        /** Storage autoscaling limit in GiB. */
        dbMaxAllocatedStorage: wholeNumber(21, 65536).optional(),
        /** Backup retention in days (7 to 35: the backup rule's floor and AWS's ceiling). */
        dbBackupRetentionDays: wholeNumber(7, 35).optional(),
        /** ElastiCache node type. */
        cacheNodeType: z.string().regex(/^cache\.[a-z0-9]+\.[a-z0-9]+$/, { error: "an ElastiCache node type such as cache.t4g.small" }).optional(),
        /** Longest job processing time in seconds (the queue's visibility timeout is derived from it). */
        jobsMaxProcessingSeconds: wholeNumber(1, 7200).optional(),
        /** Deliveries before a job goes to the dead-letter queue. */
        jobsMaxReceiveCount: wholeNumber(1, 1000).optional(),
    },
    /** Observability keys. */
    observe: {
        /** Who the alert topic notifies: email addresses and https webhooks. */
        alertSubscriptions: alertSubscriptions.optional(),
    },
    /** Reference app keys. */
    app: {
        /** Container image of the app, pinned by digest (or at least a version tag on dev). */
        appImage: checked((v) => {
            const problem = imagePinProblem(v);
            return problem ? { problem, fix: "use repo@sha256:<digest> (CI sets it after pushing the image)" } : undefined;
        }).optional(),
        /** Regional ACM certificate ARN for the API origin name (the ALB's HTTPS listener). */
        apiOriginCertificateArn: z.string().regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]{36}$/, { error: "an ACM certificate ARN in the stack's region" }).optional(),
        /** Most API pods. */
        apiMaxReplicas: wholeNumber(2, 500).optional(),
        /** Most worker pods. */
        workerMaxReplicas: wholeNumber(1, 1000).optional(),
        /** Modules of the app deployed as their own Service, identity and grants, apart from the API (the first principle). */
        appExtractModules: jsonList(`a list of modules to run apart from the API, from: ${EXTRACTABLE_MODULES.join(", ")}`, 0, (m) =>
            EXTRACTABLE_MODULES.includes(m) ? undefined : { problem: `'${m}' cannot be extracted`, fix: `use ${EXTRACTABLE_MODULES.join(", ")}` },
        ).optional(),
    },
} as const;

/** The schema of all `groundwork:*` keys, sections merged. */
export const configSchema = z.object({ ...KEYS.platform, ...KEYS.network, ...KEYS.cdn, ...KEYS.cluster, ...KEYS.data, ...KEYS.observe, ...KEYS.app });

/** The parsed `groundwork:*` values (before presets are applied). */
export type ParsedConfig = z.output<typeof configSchema>;

/** Every known key, without the namespace. */
export const KNOWN_KEYS: readonly string[] = Object.keys(configSchema.shape);
