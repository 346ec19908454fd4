import type * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec } from "../observe/alarms";
import { CONNECTIONS_ALARM_RATIO, DB_CPU_ALARM_PERCENT, FREEABLE_MEMORY_ALARM_RATIO } from "./alarms";
import { instanceClassMemoryGib, postgresMaxConnections } from "./maxConnections";

/** Readers' average CPU above this (%) for 15 minutes: the reader auto scaling is at its maximum or cannot keep up. */
export const READER_CPU_ALARM_PERCENT = 85;
/** Largest replica lag (ms) the routed reads tolerate before the alarm: reads on a cache miss may be this stale. */
export const REPLICA_LAG_ALARM_MS = 2000;

const GIB = 1024 ** 3;

/** What the Aurora alarms are derived from: the resolved cluster and proxy configuration. */
export interface AuroraAlarmInput {
    /** Cluster identifier (the `DBClusterIdentifier` dimension). */
    readonly clusterIdentifier: string;
    /** Class of every instance: sets `max_connections` and the memory the alarms compare with. */
    readonly instanceClass: string;
    /** Most readers the auto scaling adds. */
    readonly readerMaxCount: number;
    /** The proxy's name (the `ProxyName` dimension). */
    readonly proxyName: pulumi.Input<string>;
    /** The proxy's share of the writer's `max_connections`. */
    readonly proxyMaxConnectionsPercent: number;
}

/**
 * The AuroraDatabase's alarms, every threshold derived from its configuration: writer CPU, readers' CPU (the auto
 * scaling at its maximum), writer connections at 80% of `max_connections`, writer freeable memory, replica lag, and the
 * proxy's database connections at 80% of its pinned maximum. Cluster metrics carry `DBClusterIdentifier` and `Role`.
 * Pure.
 */
export function auroraAlarmSpecs(d: AuroraAlarmInput): AlarmSpec[] {
    const id = d.clusterIdentifier;
    const maxConnections = postgresMaxConnections(d.instanceClass);
    const proxyMax = Math.floor((maxConnections * d.proxyMaxConnectionsPercent) / 100);
    const memoryGib = instanceClassMemoryGib(d.instanceClass) as number;
    const writer = { DBClusterIdentifier: id, Role: "WRITER" };
    const rds = { namespace: "AWS/RDS", period: 300, evaluationPeriods: 3, treatMissingData: "missing" as const };
    return [
        {
            ...rds,
            dimensions: writer,
            part: "writer-cpu",
            title: "Writer CPU %",
            metricName: "CPUUtilization",
            statistic: "Average",
            threshold: DB_CPU_ALARM_PERCENT,
            comparisonOperator: "GreaterThanThreshold",
            description: `Aurora cluster ${id}: writer CPU above ${DB_CPU_ALARM_PERCENT}% for 15 minutes. Readers do not relieve writes. Check first: Performance Insights' top SQL on the writer, reads that should go to DATABASE_READ_HOST, then whether ${d.instanceClass} is too small.`,
        },
        {
            ...rds,
            dimensions: { DBClusterIdentifier: id, Role: "READER" },
            part: "reader-cpu",
            title: "Readers CPU %",
            metricName: "CPUUtilization",
            statistic: "Average",
            threshold: READER_CPU_ALARM_PERCENT,
            comparisonOperator: "GreaterThanThreshold",
            description: `Aurora cluster ${id}: readers' average CPU above ${READER_CPU_ALARM_PERCENT}% for 15 minutes although auto scaling adds readers up to ${d.readerMaxCount}. Check first: the reader count (at its maximum?), then the top SQL on the readers.`,
        },
        {
            ...rds,
            dimensions: writer,
            part: "connections",
            title: "Writer connections",
            metricName: "DatabaseConnections",
            statistic: "Maximum",
            evaluationPeriods: 2,
            threshold: Math.floor(maxConnections * CONNECTIONS_ALARM_RATIO),
            comparisonOperator: "GreaterThanThreshold",
            description: `Aurora cluster ${id}: more than ${CONNECTIONS_ALARM_RATIO * 100}% of the writer's max_connections (${maxConnections} on ${d.instanceClass}) in use for 10 minutes. Check first: the proxy's pinned sessions, then clients connecting around the proxy.`,
        },
        {
            ...rds,
            dimensions: writer,
            part: "freeable-memory",
            title: "Writer freeable memory (bytes)",
            metricName: "FreeableMemory",
            statistic: "Minimum",
            threshold: Math.round(memoryGib * GIB * FREEABLE_MEMORY_ALARM_RATIO),
            comparisonOperator: "LessThanThreshold",
            description: `Aurora cluster ${id}: the writer's freeable memory below ${FREEABLE_MEMORY_ALARM_RATIO * 100}% of the ${memoryGib} GiB of ${d.instanceClass} for 15 minutes. Check first: the connection count and work_mem-heavy queries; then a larger class.`,
        },
        {
            ...rds,
            dimensions: writer,
            part: "replica-lag",
            title: "Replica lag max (ms)",
            metricName: "AuroraReplicaLagMaximum",
            statistic: "Maximum",
            threshold: REPLICA_LAG_ALARM_MS,
            comparisonOperator: "GreaterThanThreshold",
            description: `Aurora cluster ${id}: a reader lags the writer by more than ${REPLICA_LAG_ALARM_MS} ms for 15 minutes; reads routed to readers are that stale. Check first: the writer's write volume, then a reader starved of CPU.`,
        },
        {
            ...rds,
            dimensions: { ProxyName: d.proxyName },
            part: "proxy-connections",
            title: "Proxy database connections",
            metricName: "DatabaseConnections",
            statistic: "Maximum",
            evaluationPeriods: 2,
            threshold: Math.floor(proxyMax * CONNECTIONS_ALARM_RATIO),
            comparisonOperator: "GreaterThanThreshold",
            description: `RDS Proxy of ${id}: more than ${CONNECTIONS_ALARM_RATIO * 100}% of the ${proxyMax} database connections it may open (${d.proxyMaxConnectionsPercent}% of ${maxConnections}) for 10 minutes; clients will wait for a connection. Check first: DatabaseConnectionsCurrentlySessionPinned (pinned sessions), then the pods' count.`,
        },
    ];
}
