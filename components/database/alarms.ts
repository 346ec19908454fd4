import type { AlarmSpec } from "../observe/alarms";
import { instanceClassMemoryGib, postgresMaxConnections } from "./maxConnections";

/** Share of `max_connections` in use that raises the connections alarm: room left for a deploy's second pool set. */
export const CONNECTIONS_ALARM_RATIO = 0.8;
/** Free storage below this share of the allocated storage raises the storage alarm. */
export const FREE_STORAGE_ALARM_RATIO = 0.1;
/** Freeable memory below this share of the class's memory raises the memory alarm. */
export const FREEABLE_MEMORY_ALARM_RATIO = 0.1;
/** CPU above this percentage for 15 minutes raises the CPU alarm. */
export const DB_CPU_ALARM_PERCENT = 80;
/** Average read or write latency above this (seconds) for 15 minutes raises the latency alarms: gp3 serves in single-digit ms. */
export const DB_LATENCY_ALARM_SECONDS = 0.02;

const GIB = 1024 ** 3;

/** What the database alarms are derived from: the resolved instance configuration. */
export interface DatabaseAlarmInput {
    /** Instance identifier (the `DBInstanceIdentifier` dimension). */
    readonly identifier: string;
    /** Instance class: sets `max_connections` and the memory the alarms compare with. */
    readonly instanceClass: string;
    /** Allocated storage in GiB. */
    readonly allocatedStorage: number;
    /** Storage autoscaling limit in GiB. */
    readonly maxAllocatedStorage: number;
}

/**
 * The Database's alarms, every threshold derived from its configuration: CPU, free storage under 10% of the allocated
 * storage, connections at 80% of the class's `max_connections`, freeable memory under 10% of the class's memory, read
 * and write latency. Pure.
 */
export function databaseAlarmSpecs(d: DatabaseAlarmInput): AlarmSpec[] {
    const dimensions = { DBInstanceIdentifier: d.identifier };
    const maxConnections = postgresMaxConnections(d.instanceClass);
    const memoryGib = instanceClassMemoryGib(d.instanceClass) as number;
    const rds = { namespace: "AWS/RDS", dimensions, period: 300, evaluationPeriods: 3, treatMissingData: "missing" as const };
    return [
        {
            ...rds,
            part: "cpu",
            title: "CPU %",
            metricName: "CPUUtilization",
            statistic: "Average",
            threshold: DB_CPU_ALARM_PERCENT,
            comparisonOperator: "GreaterThanThreshold",
            description: `Database ${d.identifier}: CPU above ${DB_CPU_ALARM_PERCENT}% for 15 minutes. Check first: Performance Insights' top SQL (a missing index or a new query), then whether ${d.instanceClass} is too small.`,
        },
        {
            ...rds,
            part: "free-storage",
            title: "Free storage (bytes)",
            metricName: "FreeStorageSpace",
            statistic: "Minimum",
            evaluationPeriods: 1,
            threshold: Math.round(d.allocatedStorage * GIB * FREE_STORAGE_ALARM_RATIO),
            comparisonOperator: "LessThanThreshold",
            description: `Database ${d.identifier}: free storage below ${FREE_STORAGE_ALARM_RATIO * 100}% of the ${d.allocatedStorage} GiB allocated, though storage autoscaling should have grown the volume. Check first: whether it reached maxAllocatedStorage (${d.maxAllocatedStorage} GiB), then table and WAL growth (replication slots, long transactions).`,
        },
        {
            ...rds,
            part: "connections",
            title: "Connections",
            metricName: "DatabaseConnections",
            statistic: "Maximum",
            evaluationPeriods: 2,
            threshold: Math.floor(maxConnections * CONNECTIONS_ALARM_RATIO),
            comparisonOperator: "GreaterThanThreshold",
            description: `Database ${d.identifier}: more than ${CONNECTIONS_ALARM_RATIO * 100}% of max_connections (${maxConnections} on ${d.instanceClass}) in use for 10 minutes. Check first: the pools' sizes times the pods' count (the HPA may have scaled out), then idle-in-transaction sessions in pg_stat_activity.`,
        },
        {
            ...rds,
            part: "freeable-memory",
            title: "Freeable memory (bytes)",
            metricName: "FreeableMemory",
            statistic: "Minimum",
            threshold: Math.round(memoryGib * GIB * FREEABLE_MEMORY_ALARM_RATIO),
            comparisonOperator: "LessThanThreshold",
            description: `Database ${d.identifier}: freeable memory below ${FREEABLE_MEMORY_ALARM_RATIO * 100}% of the ${memoryGib} GiB of ${d.instanceClass} for 15 minutes. Check first: the connection count (each backend holds memory) and work_mem-heavy queries; then a larger class.`,
        },
        {
            ...rds,
            part: "read-latency",
            title: "Read latency (s)",
            metricName: "ReadLatency",
            statistic: "Average",
            threshold: DB_LATENCY_ALARM_SECONDS,
            comparisonOperator: "GreaterThanThreshold",
            description: `Database ${d.identifier}: average read latency above ${DB_LATENCY_ALARM_SECONDS * 1000} ms for 15 minutes. Check first: ReadIOPS and EBS throughput against the gp3 baseline (storage too busy), then sequential scans in Performance Insights.`,
        },
        {
            ...rds,
            part: "write-latency",
            title: "Write latency (s)",
            metricName: "WriteLatency",
            statistic: "Average",
            threshold: DB_LATENCY_ALARM_SECONDS,
            comparisonOperator: "GreaterThanThreshold",
            description: `Database ${d.identifier}: average write latency above ${DB_LATENCY_ALARM_SECONDS * 1000} ms for 15 minutes. Check first: WriteIOPS against the gp3 baseline, checkpoints and autovacuum activity, then bulk writes of a job.`,
        },
    ];
}
