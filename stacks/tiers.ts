import type { PriceClass } from "../components/cdn/args";
import type { NatMode } from "../components/network/args";

/** The tiers a stack can be: `dev` (cheap, disposable) or `prod` (highly available, protected). */
export const TIERS = ["dev", "prod"] as const;

/** A stack tier (`groundwork:tier`). */
export type Tier = (typeof TIERS)[number];

/**
 * Tier-level toggles every component reads (not one component's settings). Add a field here when a
 * decision applies across components (for example `multiAz` is read by the database and the cache).
 */
export interface TierSettings {
    /** Stateful resources (KMS keys, log groups, databases, caches, buckets) get `protect` and `retainOnDelete`. */
    readonly protect: boolean;
    /** Data stores run with a standby in a second AZ (RDS Multi-AZ, ElastiCache failover). */
    readonly multiAz: boolean;
}

/** The network section of a tier preset: the defaults `groundwork:*` network keys override. */
export interface NetworkPreset {
    /** VPC block (`groundwork:vpcCidr`). */
    readonly vpcCidr: string;
    /** Number of AZs (`groundwork:azCount`). */
    readonly azCount: number;
    /** NAT mode (`groundwork:natMode`). */
    readonly natMode: NatMode;
    /** Interface endpoints on or off (`groundwork:interfaceEndpoints`). */
    readonly interfaceEndpoints: boolean;
    /** Flow-log retention in days (`groundwork:flowLogRetentionDays`). */
    readonly flowLogRetentionDays: number;
}

/** The edge (CDN) section of a tier preset. */
export interface CdnPreset {
    /** CloudFront price class (`groundwork:cdnPriceClass`). */
    readonly priceClass: PriceClass;
    /** Days CDN access logs and WAF logs are kept. */
    readonly logRetentionDays: number;
    /** Requests per client IP per 5 minutes before the WAF rate rule blocks (`groundwork:wafRateLimit`). */
    readonly wafRateLimit: number;
}

/** The cluster section of a tier preset. */
export interface ClusterPreset {
    /** Kubernetes minor version (`groundwork:kubernetesVersion`). */
    readonly kubernetesVersion: string;
    /** Instance types of the on-demand system node group (`groundwork:nodeInstanceTypes`). */
    readonly nodeInstanceTypes: readonly string[];
    /** Smallest system node group (`groundwork:nodeMinSize`); at least 2 so disruption budgets can drain a node. */
    readonly nodeMinSize: number;
    /** Largest system node group (`groundwork:nodeMaxSize`). */
    readonly nodeMaxSize: number;
    /** Instance types of the Spot queue-worker node group (several, for Spot capacity). */
    readonly workerInstanceTypes: readonly string[];
    /** Largest queue-worker node group (`groundwork:workerMaxSize`); it scales from zero. */
    readonly workerMaxSize: number;
    /** Days control-plane logs are kept. */
    readonly logRetentionDays: number;
    /** Replicas of each cluster add-on controller. */
    readonly addonReplicas: number;
}

/** PostgreSQL engines a stack can run: one RDS instance, or an Aurora cluster with readers behind RDS Proxy. */
export const DB_ENGINES = ["postgres", "aurora-postgresql"] as const;

/** A database engine (`groundwork:dbEngine`). */
export type DbEngine = (typeof DB_ENGINES)[number];

/** The data tier section of a tier preset (Multi-AZ and protect come from `settings`). */
export interface DataPreset {
    /** `postgres` (one RDS instance) or `aurora-postgresql` (writer, readers, reader auto scaling, RDS Proxy) (`groundwork:dbEngine`). */
    readonly dbEngine: DbEngine;
    /** RDS instance class (`groundwork:dbInstanceClass`); with Aurora, the class of the writer and every reader. */
    readonly dbInstanceClass: string;
    /** Aurora: readers declared with the cluster and the reader auto scaling's minimum. */
    readonly dbReaderMinCount: number;
    /** Aurora: the reader auto scaling's maximum. */
    readonly dbReaderMaxCount: number;
    /** Aurora: readers' average CPU (%) the auto scaling tracks. */
    readonly dbReaderTargetCpuPercent: number;
    /** Aurora: the RDS Proxy's share of the writer's max_connections (the app's pools are budgeted against it). */
    readonly dbProxyMaxConnectionsPercent: number;
    /** Aurora: seconds a client waits for the proxy to lend it a connection. */
    readonly dbProxyBorrowTimeoutSeconds: number;
    /** Initial storage in GiB (`groundwork:dbAllocatedStorage`). */
    readonly dbAllocatedStorage: number;
    /** Storage autoscaling limit in GiB (`groundwork:dbMaxAllocatedStorage`). */
    readonly dbMaxAllocatedStorage: number;
    /** Automated backup retention in days (`groundwork:dbBackupRetentionDays`); 7 or more. */
    readonly dbBackupRetentionDays: number;
    /** Performance Insights on or off. */
    readonly dbPerformanceInsights: boolean;
    /** Enhanced monitoring interval in seconds (0 = off). */
    readonly dbMonitoringIntervalSeconds: number;
    /** ElastiCache node type (`groundwork:cacheNodeType`). */
    readonly cacheNodeType: string;
    /** Valkey cluster mode: shards (0 = one shard, no cluster mode). */
    readonly cacheShards: number;
    /** Valkey cluster mode: replicas per shard. */
    readonly cacheReplicasPerShard: number;
    /** Days of cache snapshots. */
    readonly cacheSnapshotRetentionDays: number;
    /** Days database and cache logs are kept. */
    readonly logRetentionDays: number;
    /** Longest time the worker takes for one job, in seconds (`groundwork:jobsMaxProcessingSeconds`). */
    readonly jobsMaxProcessingSeconds: number;
    /** Deliveries before a job moves to the dead-letter queue (`groundwork:jobsMaxReceiveCount`). */
    readonly jobsMaxReceiveCount: number;
}

/** The reference app's workloads in a tier preset. */
export interface AppPreset {
    /** Fewest API pods (HPA minimum). */
    readonly apiMinReplicas: number;
    /** Most API pods (HPA maximum). */
    readonly apiMaxReplicas: number;
    /** Fewest worker pods (KEDA minimum). */
    readonly workerMinReplicas: number;
    /** Most worker pods (KEDA maximum on queue depth). */
    readonly workerMaxReplicas: number;
}

/**
 * Everything a tier decides, one section per component plus the cross-cutting `settings`. A new component
 * adds its section here (for example `database: DatabasePreset`); the compiler then asks for its values in
 * both presets below.
 */
export interface TierPreset {
    /** Tier-level toggles. */
    readonly settings: TierSettings;
    /** Network defaults. */
    readonly network: NetworkPreset;
    /** Edge defaults. */
    readonly cdn: CdnPreset;
    /** Cluster defaults. */
    readonly cluster: ClusterPreset;
    /** Data tier defaults. */
    readonly data: DataPreset;
    /** Reference app defaults. */
    readonly app: AppPreset;
}

/** Freezes an object and everything reachable from it. */
export function deepFreeze<T>(value: T): T {
    if (value && typeof value === "object" && !Object.isFrozen(value)) {
        Object.freeze(value);
        for (const v of Object.values(value)) deepFreeze(v);
    }
    return value;
}

/**
 * The tier presets. `dev`: 2 AZs, one NAT gateway, no interface endpoints, 30-day flow logs, nothing
 * protected (cheap, disposable). `prod`: 3 AZs, a NAT gateway per AZ, interface endpoints, 365-day flow
 * logs, stateful resources protected and data stores Multi-AZ; PostgreSQL on Aurora with two readers (auto scaled to six)
 * behind RDS Proxy, where dev keeps one RDS instance.
 */
export const PRESETS: Readonly<Record<Tier, TierPreset>> = deepFreeze({
    dev: {
        settings: { protect: false, multiAz: false },
        network: { vpcCidr: "10.0.0.0/16", azCount: 2, natMode: "single", interfaceEndpoints: false, flowLogRetentionDays: 30 },
        cdn: { priceClass: "PriceClass_100", logRetentionDays: 30, wafRateLimit: 2000 },
        cluster: {
            kubernetesVersion: "1.35",
            nodeInstanceTypes: ["m7i.large"],
            nodeMinSize: 2,
            nodeMaxSize: 3,
            workerInstanceTypes: ["m7i.large", "m6i.large", "m5.large"],
            workerMaxSize: 4,
            logRetentionDays: 90,
            addonReplicas: 1,
        },
        data: {
            dbEngine: "postgres",
            dbInstanceClass: "db.t4g.micro",
            dbReaderMinCount: 1,
            dbReaderMaxCount: 2,
            dbReaderTargetCpuPercent: 70,
            dbProxyMaxConnectionsPercent: 90,
            dbProxyBorrowTimeoutSeconds: 30,
            dbAllocatedStorage: 20,
            dbMaxAllocatedStorage: 50,
            dbBackupRetentionDays: 7,
            dbPerformanceInsights: false,
            dbMonitoringIntervalSeconds: 0,
            cacheNodeType: "cache.t4g.micro",
            cacheShards: 0,
            cacheReplicasPerShard: 0,
            cacheSnapshotRetentionDays: 1,
            logRetentionDays: 30,
            jobsMaxProcessingSeconds: 60,
            jobsMaxReceiveCount: 5,
        },
        app: { apiMinReplicas: 2, apiMaxReplicas: 3, workerMinReplicas: 1, workerMaxReplicas: 4 },
    },
    prod: {
        settings: { protect: true, multiAz: true },
        network: { vpcCidr: "10.0.0.0/16", azCount: 3, natMode: "perAz", interfaceEndpoints: true, flowLogRetentionDays: 365 },
        cdn: { priceClass: "PriceClass_All", logRetentionDays: 365, wafRateLimit: 2000 },
        cluster: {
            kubernetesVersion: "1.35",
            nodeInstanceTypes: ["m7i.xlarge"],
            nodeMinSize: 3,
            nodeMaxSize: 6,
            workerInstanceTypes: ["m7i.large", "m6i.large", "m5.large"],
            workerMaxSize: 20,
            logRetentionDays: 365,
            addonReplicas: 2,
        },
        data: {
            // Aurora: the writer's IOPS and connections are no longer the ceiling of reads; r-family, as Aurora requires.
            dbEngine: "aurora-postgresql",
            dbInstanceClass: "db.r7g.large",
            dbReaderMinCount: 2,
            dbReaderMaxCount: 6,
            dbReaderTargetCpuPercent: 60,
            dbProxyMaxConnectionsPercent: 75,
            dbProxyBorrowTimeoutSeconds: 120,
            dbAllocatedStorage: 50,
            dbMaxAllocatedStorage: 500,
            dbBackupRetentionDays: 14,
            dbPerformanceInsights: true,
            dbMonitoringIntervalSeconds: 60,
            cacheNodeType: "cache.m7g.large",
            // Cluster mode: the keyspace over three shards, a replica each (the app speaks the cluster protocol).
            cacheShards: 3,
            cacheReplicasPerShard: 1,
            cacheSnapshotRetentionDays: 7,
            logRetentionDays: 365,
            jobsMaxProcessingSeconds: 60,
            jobsMaxReceiveCount: 5,
        },
        app: { apiMinReplicas: 3, apiMaxReplicas: 10, workerMinReplicas: 2, workerMaxReplicas: 20 },
    },
});
