import type { AlarmSpec } from "../observe/alarms";

/** Engine CPU (the single Valkey/Redis thread) above this percentage for 15 minutes raises the CPU alarm. */
export const CACHE_ENGINE_CPU_ALARM_PERCENT = 80;
/** Memory used above this percentage of `maxmemory` raises the memory alarm: evictions start at 100%. */
export const CACHE_MEMORY_ALARM_PERCENT = 80;
/** ElastiCache's `maxclients` for Valkey and Redis OSS (not configurable): the connection budget of a node. */
export const CACHE_MAX_CLIENTS = 65000;
/** Share of {@link CACHE_MAX_CLIENTS} that raises the connections alarm. */
export const CACHE_CONNECTIONS_ALARM_RATIO = 0.8;
/** Replication lag above this (seconds) raises a replica's alarm: reads from it are this stale. */
export const CACHE_REPLICATION_LAG_ALARM_SECONDS = 1;

/** What the cache alarms are derived from: the resolved replication group configuration. */
export interface CacheAlarmInput {
    /** Replication group id; its nodes are `<id>-001`, `<id>-002`, ... (the `CacheClusterId` dimension). */
    readonly replicationGroupId: string;
    /** Nodes in the group (primary plus replicas). */
    readonly numCacheClusters: number;
    /** Node type, named in the descriptions. */
    readonly nodeType: string;
    /** Cluster mode: shards (node groups); their nodes are `<id>-0001-001`, ... Undefined or 0 without cluster mode. */
    readonly shards?: number;
    /** Cluster mode: replicas per shard. */
    readonly replicasPerShard?: number;
}

/** The member cluster ids of a cluster-mode replication group: `<id>-<shard 0001..>-<node 001..>`. Pure. */
export function clusterNodeIds(replicationGroupId: string, shards: number, replicasPerShard: number): string[] {
    return Array.from({ length: shards }, (_, s) => Array.from({ length: 1 + replicasPerShard }, (_, n) => `${replicationGroupId}-${String(s + 1).padStart(4, "0")}-${String(n + 1).padStart(3, "0")}`)).flat();
}

/** The member cluster ids ElastiCache gives the nodes of a replication group without cluster mode. Pure. */
export function cacheNodeIds(replicationGroupId: string, count: number): string[] {
    return Array.from({ length: count }, (_, i) => `${replicationGroupId}-${String(i + 1).padStart(3, "0")}`);
}

/**
 * The Cache's alarms, per node (the primary can move on failover, so every node is watched): engine CPU, memory used
 * of `maxmemory`, evictions, current connections against `maxclients`, and, on groups with replicas, replication lag on
 * every node (any node can be a replica after a failover; the primary publishes no lag, which counts as fine). Pure.
 */
export function cacheAlarmSpecs(c: CacheAlarmInput): AlarmSpec[] {
    // In cluster mode every shard's nodes are watched, named shard<s>-node<n> (any node may be its shard's primary).
    const clustered = (c.shards ?? 0) > 0;
    const perShard = 1 + (c.replicasPerShard ?? 0);
    const nodes = clustered ? clusterNodeIds(c.replicationGroupId, c.shards as number, c.replicasPerShard ?? 0) : cacheNodeIds(c.replicationGroupId, c.numCacheClusters);
    const connections = Math.floor(CACHE_MAX_CLIENTS * CACHE_CONNECTIONS_ALARM_RATIO);
    const hasReplicas = clustered ? perShard > 1 : c.numCacheClusters > 1;
    return nodes.flatMap((node, i) => {
        const base = { namespace: "AWS/ElastiCache", dimensions: { CacheClusterId: node }, period: 300, evaluationPeriods: 3, treatMissingData: "missing" as const };
        const n = clustered ? `${Math.floor(i / perShard) + 1}-${(i % perShard) + 1}` : String(i + 1);
        const specs: AlarmSpec[] = [
            {
                ...base,
                part: `node${n}-engine-cpu`,
                title: `Node ${n}: engine CPU %`,
                metricName: "EngineCPUUtilization",
                statistic: "Average",
                threshold: CACHE_ENGINE_CPU_ALARM_PERCENT,
                comparisonOperator: "GreaterThanThreshold",
                description: `Cache node ${node}: engine CPU above ${CACHE_ENGINE_CPU_ALARM_PERCENT}% for 15 minutes (the engine runs commands on one thread). Check first: the slow log (/aws/elasticache/${c.replicationGroupId}/slow-log) for O(N) commands such as KEYS, then a larger ${c.nodeType}.`,
            },
            {
                ...base,
                part: `node${n}-memory`,
                title: `Node ${n}: memory % of maxmemory`,
                metricName: "DatabaseMemoryUsagePercentage",
                statistic: "Maximum",
                threshold: CACHE_MEMORY_ALARM_PERCENT,
                comparisonOperator: "GreaterThanThreshold",
                description: `Cache node ${node}: more than ${CACHE_MEMORY_ALARM_PERCENT}% of maxmemory used for 15 minutes; evictions start at 100%. Check first: keys without a TTL (cache-aside entries must expire), then a larger ${c.nodeType}.`,
            },
            {
                ...base,
                part: `node${n}-evictions`,
                title: `Node ${n}: evictions`,
                metricName: "Evictions",
                statistic: "Sum",
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                description: `Cache node ${node}: keys evicted in each of the last three 5-minute periods: the working set no longer fits in ${c.nodeType}. Check first: the memory alarm and keys without a TTL; then scale the node type.`,
            },
            {
                ...base,
                part: `node${n}-connections`,
                title: `Node ${n}: connections`,
                metricName: "CurrConnections",
                statistic: "Maximum",
                evaluationPeriods: 2,
                threshold: connections,
                comparisonOperator: "GreaterThanThreshold",
                description: `Cache node ${node}: more than ${CACHE_CONNECTIONS_ALARM_RATIO * 100}% of maxclients (${CACHE_MAX_CLIENTS}) connected for 10 minutes. Check first: a client that opens a connection per request instead of sharing one, then the pod count.`,
            },
        ];
        if (hasReplicas) {
            specs.push({
                ...base,
                part: `node${n}-replication-lag`,
                title: `Node ${n}: replication lag (s)`,
                metricName: "ReplicationLag",
                statistic: "Maximum",
                threshold: CACHE_REPLICATION_LAG_ALARM_SECONDS,
                comparisonOperator: "GreaterThanThreshold",
                // The primary publishes no ReplicationLag: missing data there is expected.
                treatMissingData: "notBreaching",
                description: `Cache node ${node}: as a replica, more than ${CACHE_REPLICATION_LAG_ALARM_SECONDS}s behind the primary for 15 minutes (reads from the reader endpoint are stale). Check first: the primary's write rate and network bandwidth, then engine CPU on both nodes.`,
            });
        }
        return specs;
    });
}
