import { planSubnets, vpcCidrProblem } from "../components/network/cidr";
import { isAuroraPostgresClass } from "../components/database/auroraArgs";
import { ConfigError, ConfigIssue } from "./errors";
import { configSchema, KNOWN_KEYS, NAMESPACE, ParsedConfig } from "./schema";
import { PlatformSpec, StackConfig } from "./spec";
import { deepFreeze, PRESETS } from "./tiers";

/** Raw config as Pulumi holds it: full keys (`groundwork:tier`, `aws:region`) to string values. */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** What the parser needs besides the raw config. */
export interface ParseContext {
    /** Stack name (for messages and the spec). */
    readonly stack: string;
    /** Project name. @default "groundwork" */
    readonly project?: string;
    /** Keys whose values are secret: their values never appear in messages. @default [] */
    readonly secretKeys?: readonly string[];
    /** Region to use when `aws:region` is not set (the loader passes `AWS_REGION`). @default undefined */
    readonly defaultRegion?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Phase 1: parses and validates the `groundwork:*` keys and `aws:region`, applies the tier preset and the
 * overrides. Pure. Throws a {@link ConfigError} listing every problem (key, value, what is allowed).
 */
export function parseStackConfig(raw: RawConfig, ctx: ParseContext): StackConfig {
    const shown = (key: string): string | undefined => (raw[key] === undefined ? undefined : ctx.secretKeys?.includes(key) ? "[secret]" : raw[key]);
    const issues: ConfigIssue[] = [];

    // Unknown keys in our namespace are typos until proven otherwise.
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw)) {
        if (!key.startsWith(`${NAMESPACE}:`) || value === undefined) continue;
        const short = key.slice(NAMESPACE.length + 1);
        if (KNOWN_KEYS.includes(short)) {
            values[short] = value;
        } else {
            issues.push({ key, value: shown(key), problem: "is not a known key", allowed: KNOWN_KEYS.map((k) => `${NAMESPACE}:${k}`).join(", ") });
        }
    }

    const region = raw["aws:region"] ?? ctx.defaultRegion;
    if (region === undefined || !REGION.test(region)) {
        issues.push({ key: "aws:region", value: shown("aws:region"), problem: region === undefined ? "is not set" : "is not an AWS region name", allowed: "a region name such as us-east-1 or eu-west-1" });
    }

    const result = configSchema.safeParse(values);
    if (!result.success) {
        for (const zi of result.error.issues) {
            const key = `${NAMESPACE}:${String(zi.path[0])}`;
            issues.push({ key, value: shown(key), problem: raw[key] === undefined ? "is not set" : "is not allowed", allowed: zi.message });
        }
        throw new ConfigError(ctx.stack, sortIssues(issues));
    }
    const config: ParsedConfig = result.data;
    const preset = PRESETS[config.tier];

    // Presets first, then the stack's overrides. Remember which values the preset decided, for messages.
    const fromPreset = KNOWN_KEYS.filter((k) => k !== "tier" && values[k] === undefined).map((k) => `${NAMESPACE}:${k}`);
    const settings = { ...preset.settings, ...(config.protect !== undefined ? { protect: config.protect } : {}) };
    const network = {
        vpcCidr: config.vpcCidr ?? preset.network.vpcCidr,
        azCount: config.azCount ?? preset.network.azCount,
        natMode: config.natMode ?? preset.network.natMode,
        interfaceEndpoints: config.interfaceEndpoints ?? preset.network.interfaceEndpoints,
        flowLogRetentionDays: config.flowLogRetentionDays ?? preset.network.flowLogRetentionDays,
    };

    const cdn = {
        ...(config.domain !== undefined ? { domain: config.domain } : {}),
        ...(config.hostedZoneId !== undefined ? { hostedZoneId: config.hostedZoneId } : {}),
        apiOriginDomain: config.apiOriginDomain,
        priceClass: config.cdnPriceClass ?? preset.cdn.priceClass,
        logRetentionDays: preset.cdn.logRetentionDays,
        wafRateLimit: config.wafRateLimit ?? preset.cdn.wafRateLimit,
    };

    const cluster = {
        kubernetesVersion: config.kubernetesVersion ?? preset.cluster.kubernetesVersion,
        adminRoleArns: config.clusterAdminRoleArns,
        publicAccessCidrs: config.clusterPublicAccessCidrs ?? [],
        ...(config.deployRunnerRepository !== undefined && config.deployRunnerConnectionArn !== undefined
            ? { deployRunner: { repositoryUrl: config.deployRunnerRepository, connectionArn: config.deployRunnerConnectionArn } }
            : {}),
        nodeInstanceTypes: config.nodeInstanceTypes ?? preset.cluster.nodeInstanceTypes,
        nodeMinSize: config.nodeMinSize ?? preset.cluster.nodeMinSize,
        nodeMaxSize: config.nodeMaxSize ?? preset.cluster.nodeMaxSize,
        workerInstanceTypes: preset.cluster.workerInstanceTypes,
        workerMaxSize: config.workerMaxSize ?? preset.cluster.workerMaxSize,
        logRetentionDays: preset.cluster.logRetentionDays,
        addonReplicas: preset.cluster.addonReplicas,
    };
    if ((config.deployRunnerRepository === undefined) !== (config.deployRunnerConnectionArn === undefined)) {
        const missing = config.deployRunnerRepository === undefined ? "deployRunnerRepository" : "deployRunnerConnectionArn";
        const given = missing === "deployRunnerRepository" ? "deployRunnerConnectionArn" : "deployRunnerRepository";
        issues.push({ key: `${NAMESPACE}:${missing}`, value: "(not set)", problem: `is needed with ${NAMESPACE}:${given}: the deploy runner takes both`, allowed: "set both keys, or neither (no deploy runner)" });
    }
    if (cluster.nodeMinSize > cluster.nodeMaxSize) {
        const key = `${NAMESPACE}:${values.nodeMaxSize === undefined ? "nodeMinSize" : "nodeMaxSize"}`;
        issues.push({ key, value: shown(key) ?? String(cluster.nodeMaxSize), problem: `makes the system node group's minimum (${cluster.nodeMinSize}) larger than its maximum (${cluster.nodeMaxSize})`, allowed: "nodeMinSize <= nodeMaxSize" });
    }

    const data = {
        ...preset.data,
        dbEngine: config.dbEngine ?? preset.data.dbEngine,
        dbInstanceClass: config.dbInstanceClass ?? preset.data.dbInstanceClass,
        dbAllocatedStorage: config.dbAllocatedStorage ?? preset.data.dbAllocatedStorage,
        dbMaxAllocatedStorage: config.dbMaxAllocatedStorage ?? preset.data.dbMaxAllocatedStorage,
        dbBackupRetentionDays: config.dbBackupRetentionDays ?? preset.data.dbBackupRetentionDays,
        cacheNodeType: config.cacheNodeType ?? preset.data.cacheNodeType,
        jobsMaxProcessingSeconds: config.jobsMaxProcessingSeconds ?? preset.data.jobsMaxProcessingSeconds,
        jobsMaxReceiveCount: config.jobsMaxReceiveCount ?? preset.data.jobsMaxReceiveCount,
    };
    if (data.dbEngine === "aurora-postgresql" && !isAuroraPostgresClass(data.dbInstanceClass)) {
        const key = `${NAMESPACE}:dbInstanceClass`;
        const origin = values.dbInstanceClass === undefined ? ` (from the ${config.tier} preset)` : "";
        issues.push({
            key,
            value: shown(key) ?? data.dbInstanceClass,
            problem: `is not an Aurora PostgreSQL class${origin}, and groundwork:dbEngine is aurora-postgresql`,
            allowed: "db.t4g.medium, db.t4g.large or an r-family class such as db.r7g.large; or groundwork:dbEngine postgres",
        });
    }
    if (data.dbMaxAllocatedStorage <= data.dbAllocatedStorage) {
        const key = `${NAMESPACE}:${values.dbMaxAllocatedStorage === undefined ? "dbAllocatedStorage" : "dbMaxAllocatedStorage"}`;
        issues.push({ key, value: shown(key) ?? String(data.dbMaxAllocatedStorage), problem: `leaves no room for storage autoscaling (${data.dbAllocatedStorage} GiB allocated, limit ${data.dbMaxAllocatedStorage} GiB)`, allowed: "dbMaxAllocatedStorage larger than dbAllocatedStorage" });
    }

    const app = {
        ...(config.appImage !== undefined ? { image: config.appImage } : {}),
        ...(config.apiOriginCertificateArn !== undefined ? { originCertificateArn: config.apiOriginCertificateArn } : {}),
        apiMinReplicas: preset.app.apiMinReplicas,
        apiMaxReplicas: config.apiMaxReplicas ?? preset.app.apiMaxReplicas,
        workerMinReplicas: preset.app.workerMinReplicas,
        workerMaxReplicas: config.workerMaxReplicas ?? preset.app.workerMaxReplicas,
        extractModules: [...new Set(config.appExtractModules ?? [])],
    };
    if (app.apiMaxReplicas < app.apiMinReplicas) {
        issues.push({ key: `${NAMESPACE}:apiMaxReplicas`, value: shown(`${NAMESPACE}:apiMaxReplicas`), problem: `is below the ${config.tier} minimum of ${app.apiMinReplicas} API pods`, allowed: `${app.apiMinReplicas} or more` });
    }
    if (app.workerMaxReplicas < app.workerMinReplicas) {
        issues.push({ key: `${NAMESPACE}:workerMaxReplicas`, value: shown(`${NAMESPACE}:workerMaxReplicas`), problem: `is below the ${config.tier} minimum of ${app.workerMinReplicas} worker pods`, allowed: `${app.workerMinReplicas} or more` });
    }
    if (config.tier === "prod" && config.appImage !== undefined && !config.appImage.includes("@sha256:")) {
        issues.push({ key: `${NAMESPACE}:appImage`, value: shown(`${NAMESPACE}:appImage`), problem: "is not pinned by digest on tier prod (a tag can be moved)", allowed: "repo@sha256:<64 hex digits>" });
    }

    // Rules across keys.
    if (config.tier === "prod" && config.domain === undefined) {
        issues.push({ key: `${NAMESPACE}:domain`, value: undefined, problem: "is required on tier prod (viewers get TLS 1.2+ on your own certificate)", allowed: "a DNS name such as app.example.com, with groundwork:hostedZoneId" });
    }
    if (config.domain !== undefined && config.hostedZoneId === undefined) {
        issues.push({ key: `${NAMESPACE}:hostedZoneId`, value: undefined, problem: "is required with groundwork:domain (the certificate is validated by DNS in it)", allowed: "the Route 53 hosted zone id of the domain" });
    }
    if (config.hostedZoneId !== undefined && config.domain === undefined) {
        issues.push({ key: `${NAMESPACE}:domain`, value: undefined, problem: "is required with groundwork:hostedZoneId", allowed: "a DNS name in that hosted zone" });
    }

    // Rules across keys.
    const cidrProblem = vpcCidrProblem(network.vpcCidr, network.azCount);
    if (cidrProblem !== undefined) {
        issues.push({
            key: `${NAMESPACE}:vpcCidr`,
            value: network.vpcCidr,
            problem: cidrProblem.startsWith("is too small") && values.azCount === undefined ? `${cidrProblem} (${network.azCount} AZs from the ${config.tier} preset)` : cidrProblem,
            allowed: "a private, network-aligned IPv4 block from /16 to /24, for example 10.0.0.0/16",
        });
    }
    if (config.tier === "prod" && !settings.protect) {
        issues.push({ key: `${NAMESPACE}:protect`, value: shown(`${NAMESPACE}:protect`), problem: "cannot be false on tier prod", allowed: "true, or tier dev for a disposable stack" });
    }
    if (issues.length > 0) {
        throw new ConfigError(ctx.stack, sortIssues(issues));
    }

    return {
        project: ctx.project ?? NAMESPACE,
        stack: ctx.stack,
        tier: config.tier,
        region: region as string,
        settings,
        tags: config.tags ?? {},
        network: { ...network, subnets: planSubnets(network.vpcCidr, network.azCount) },
        cdn,
        cluster,
        data,
        observe: { alertSubscriptions: config.alertSubscriptions ?? [] },
        app,
        fromPreset,
    };
}

/**
 * Phase 2: binds the region's available AZs (from `getAvailabilityZones`, in the order AWS returns them) to
 * a parsed config. Pure. Throws a {@link ConfigError} on `groundwork:azCount` when the region has fewer.
 */
export function bindAvailabilityZones(config: StackConfig, availableZones: readonly string[]): PlatformSpec {
    const { azCount } = config.network;
    if (availableZones.length < azCount) {
        const key = `${NAMESPACE}:azCount`;
        const origin = config.fromPreset.includes(key) ? ` (from the ${config.tier} preset)` : "";
        throw new ConfigError(config.stack, [
            {
                key,
                value: String(azCount),
                problem: `asks for ${azCount} AZs${origin} but ${config.region} has ${availableZones.length} available (${availableZones.join(", ") || "none"})`,
                allowed: availableZones.length >= 2 ? `2 to ${availableZones.length} in ${config.region}` : `another region: ${config.region} has too few AZs`,
            },
        ]);
    }
    const { fromPreset: _fromPreset, ...rest } = config;
    return deepFreeze({
        ...rest,
        settings: { ...rest.settings },
        tags: { ...rest.tags },
        network: { ...rest.network, availabilityZones: availableZones.slice(0, azCount) },
        cdn: { ...rest.cdn },
        cluster: { ...rest.cluster },
        data: { ...rest.data },
        observe: { alertSubscriptions: rest.observe.alertSubscriptions.map((s) => ({ ...s })) },
        app: { ...rest.app },
    });
}

/**
 * Parses raw config into a frozen {@link PlatformSpec}: both phases, for callers that already know the
 * region's AZs (tests, tools). Throws a {@link ConfigError} naming each bad key, its value and what is allowed.
 */
export function parsePlatformSpec(raw: RawConfig, ctx: ParseContext & { readonly availabilityZones: readonly string[] }): PlatformSpec {
    return bindAvailabilityZones(parseStackConfig(raw, ctx), ctx.availabilityZones);
}

function sortIssues(issues: ConfigIssue[]): ConfigIssue[] {
    return [...issues].sort((a, b) => a.key.localeCompare(b.key));
}
