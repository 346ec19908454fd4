/**
 * The reference app's alert rules, declared once: `appAlertRuleGroups(tier)` is the `spec.groups` of the
 * PrometheusRule that infra/app.ts deploys next to the workloads, and `npm run alerts:render` writes the same
 * groups to observability/rules/app.<tier>.rules.yml, which `npm run test:alerts` checks and unit-tests with
 * promtool. Pure: no Pulumi, no I/O.
 *
 * The metrics are the app's (app/src/platform/metrics.ts); {@link APP_METRICS} names every metric and label the
 * expressions use, and test/observability checks them against the app's registry, so a renamed metric fails a test.
 */
import type { Tier } from "../stacks";

/** A metric of the app that the rules read: its exposed name, prom-client type and the labels the rules use. */
export interface AppMetric {
    /** Name as exposed (a histogram's series add `_bucket`, `_sum`, `_count`). */
    readonly name: string;
    /** prom-client metric type. */
    readonly type: "counter" | "gauge" | "histogram";
    /** Labels the expressions match or group on (each must be one of the metric's label names). */
    readonly labels: readonly string[];
}

/** The app's metrics the rules read (app/src/platform/metrics.ts). */
export const APP_METRICS = {
    /** Every API response by method, route and status. */
    httpRequests: { name: "http_requests_total", type: "counter", labels: ["route", "status"] },
    /** API latency histogram (buckets 1 ms .. 5 s). */
    httpDuration: { name: "http_request_duration_seconds", type: "histogram", labels: ["route", "le"] },
    /** Job deliveries by kind and outcome (done, duplicate, retry, invalid). */
    jobs: { name: "jobs_processed_total", type: "counter", labels: ["kind", "outcome"] },
    /** SQS ApproximateNumberOfMessages* by queue and state (visible, in_flight, delayed), polled by every pod. */
    queueMessages: { name: "queue_messages", type: "gauge", labels: ["queue", "state"] },
} as const satisfies Record<string, AppMetric>;

/** Label values the rules rely on (the app sets them; the test checks the app's help texts still name them). */
export const LABEL_VALUES = {
    /** Job outcomes that mean the delivery failed (SQS redelivers it; poison messages end in the dead-letter queue). */
    failedOutcomes: ["retry", "invalid"],
    /** Job outcomes that take the message off the queue (acknowledged). */
    drainingOutcomes: ["done", "duplicate"],
    /** The jobs queue's name in `queue_messages` (app/src/platform/platform.ts polls `jobs` and `jobs-dlq`). */
    jobsQueue: "jobs",
    /** Messages waiting to be received. */
    visibleState: "visible",
} as const;

/** Routes left out of the HTTP SLOs: the kubelet's probes (frequent, fast, and not what users call). */
export const PROBE_ROUTES = ["/healthz", "/readyz"] as const;

/** Alert severities: `critical` pages, `warning` goes to the team's channel. */
export type Severity = "critical" | "warning";

/** One SLO's alert settings on a tier. */
export interface SloThreshold {
    /** The value above which the condition holds (a ratio, or seconds). */
    readonly threshold: number;
    /** How long the condition must hold before the alert fires (a Prometheus duration). */
    readonly for: string;
    /** Severity label of the alert. */
    readonly severity: Severity;
}

/** The thresholds of one tier. */
export interface TierAlertThresholds {
    /** 5xx responses / all responses (probes excluded), over 5 minutes. */
    readonly errorRatio: SloThreshold;
    /** Fewest requests per second (probes excluded) for the error ratio to be judged: 2 failures of 3 calls is not an outage. */
    readonly minRequestRate: number;
    /**
     * p99 API latency in seconds (probes excluded), over 5 minutes. Must be one of the histogram's bucket bounds:
     * then the estimate exceeds it exactly when more than 1 % of requests took longer.
     */
    readonly latencyP99Seconds: SloThreshold;
    /** Failed job deliveries (retry, invalid) / all deliveries, per job kind, over 15 minutes. */
    readonly jobFailureRatio: SloThreshold;
    /** Estimated seconds to drain the jobs queue: visible messages / messages acknowledged per second (10 minutes). */
    readonly queueLagSeconds: SloThreshold;
}

/**
 * Thresholds by tier. Prod pages on errors (critical) and warns on the rest; dev only warns, with looser
 * thresholds and longer `for` (one small node group, Spot workers, little traffic: noise would teach people to
 * ignore alerts).
 */
export const ALERT_THRESHOLDS: Readonly<Record<Tier, TierAlertThresholds>> = {
    dev: {
        errorRatio: { threshold: 0.05, for: "15m", severity: "warning" },
        minRequestRate: 0.05,
        latencyP99Seconds: { threshold: 2.5, for: "15m", severity: "warning" },
        jobFailureRatio: { threshold: 0.2, for: "30m", severity: "warning" },
        queueLagSeconds: { threshold: 900, for: "15m", severity: "warning" },
    },
    prod: {
        errorRatio: { threshold: 0.01, for: "5m", severity: "critical" },
        minRequestRate: 0.05,
        latencyP99Seconds: { threshold: 1, for: "10m", severity: "warning" },
        jobFailureRatio: { threshold: 0.05, for: "15m", severity: "warning" },
        queueLagSeconds: { threshold: 300, for: "10m", severity: "warning" },
    },
};

/** One alerting rule, as Prometheus reads it (rule file and PrometheusRule `spec.groups[].rules[]` alike). */
export interface AlertRule {
    /** Alert name. */
    readonly alert: string;
    /** PromQL expression; every result is an active alert. */
    readonly expr: string;
    /** Pending time before firing. */
    readonly for: string;
    /** Labels added to the alert (`severity`, `tier`). */
    readonly labels: Readonly<Record<string, string>>;
    /** `summary`, `description` and `runbook` (what to check first), Go templates over `$labels` and `$value`. */
    readonly annotations: Readonly<Record<"summary" | "description" | "runbook", string>>;
}

/** A rule group. */
export interface RuleGroup {
    /** Group name (unique in a Prometheus). */
    readonly name: string;
    /** The group's rules. */
    readonly rules: readonly AlertRule[];
}

/** Name of the app's SLO rule group. */
export const RULE_GROUP_NAME = "groundwork-app-slo";

const M = APP_METRICS;
const L = LABEL_VALUES;
const notProbe = `route!~"${PROBE_ROUTES.join("|")}"`;
const percent = (ratio: number) => `${+(ratio * 100).toFixed(4)}%`;

/**
 * The app's SLO alerts on `tier`: API error ratio, API p99 latency, job failure ratio, jobs queue lag.
 * Every alert is aggregated by `namespace` (and job `kind`), so it names where the app runs.
 */
export function appAlertRuleGroups(tier: Tier): RuleGroup[] {
    const t = ALERT_THRESHOLDS[tier];
    if (t === undefined) throw new Error(`appAlertRuleGroups: unknown tier '${tier}'. Fix: use one of ${Object.keys(ALERT_THRESHOLDS).join(", ")}.`);
    const labels = (s: SloThreshold) => ({ severity: s.severity, tier });
    const requests = `sum by (namespace) (rate(${M.httpRequests.name}{${notProbe}}[5m]))`;
    const visible = `max by (namespace) (${M.queueMessages.name}{queue="${L.jobsQueue}", state="${L.visibleState}"})`;
    const rules: AlertRule[] = [
        {
            alert: "GroundworkApiErrorRatioHigh",
            expr: [
                `sum by (namespace) (rate(${M.httpRequests.name}{${notProbe}, status=~"5.."}[5m]))`,
                `  / ${requests}`,
                `  > ${t.errorRatio.threshold}`,
                `and ${requests} > ${t.minRequestRate}`,
            ].join("\n"),
            for: t.errorRatio.for,
            labels: labels(t.errorRatio),
            annotations: {
                summary: `API 5xx ratio above ${percent(t.errorRatio.threshold)} in {{ $labels.namespace }}`,
                description: `{{ $value | humanizePercentage }} of API responses in {{ $labels.namespace }} were 5xx over the last 5 minutes (SLO: at most ${percent(t.errorRatio.threshold)}, probes excluded), for ${t.errorRatio.for}.`,
                runbook:
                    "First: which routes and statuses fail: sum by (route, status) (rate(http_requests_total{status=~\"5..\"}[5m])). " +
                    "503s with db_pool_acquire_timeouts_total rising mean the PostgreSQL pool is exhausted; other 5xx: the api pods' logs " +
                    "(level error, 'unhandled error', with the correlation id) and the readiness of PostgreSQL, Valkey and SQS on /readyz. A rollout in the last hour is the usual cause: roll back first.",
            },
        },
        {
            alert: "GroundworkApiLatencyP99High",
            expr: [
                `histogram_quantile(0.99, sum by (namespace, le) (rate(${M.httpDuration.name}_bucket{${notProbe}}[5m])))`,
                `  > ${t.latencyP99Seconds.threshold}`,
            ].join("\n"),
            for: t.latencyP99Seconds.for,
            labels: labels(t.latencyP99Seconds),
            annotations: {
                summary: `API p99 latency above ${t.latencyP99Seconds.threshold}s in {{ $labels.namespace }}`,
                description: `The 99th percentile of API latency in {{ $labels.namespace }} is {{ $value | humanizeDuration }} over the last 5 minutes (SLO: at most ${t.latencyP99Seconds.threshold}s, probes excluded), for ${t.latencyP99Seconds.for}.`,
                runbook:
                    "First: which routes are slow: histogram_quantile(0.99, sum by (route, le) (rate(http_request_duration_seconds_bucket[5m]))). " +
                    "Then the pool (db_pool_connections{state=\"waiting\"} above 0 means requests queue for a connection), the cache hit ratio (cache_events_total by result), " +
                    "the api pods' CPU against their limits and whether the HPA is at apiMaxReplicas.",
            },
        },
        {
            alert: "GroundworkJobFailureRatioHigh",
            expr: [
                `sum by (namespace, kind) (rate(${M.jobs.name}{outcome=~"${L.failedOutcomes.join("|")}"}[15m]))`,
                `  / sum by (namespace, kind) (rate(${M.jobs.name}[15m]))`,
                `  > ${t.jobFailureRatio.threshold}`,
            ].join("\n"),
            for: t.jobFailureRatio.for,
            labels: labels(t.jobFailureRatio),
            annotations: {
                summary: `{{ $labels.kind }} jobs failing above ${percent(t.jobFailureRatio.threshold)} in {{ $labels.namespace }}`,
                description: `{{ $value | humanizePercentage }} of {{ $labels.kind }} job deliveries in {{ $labels.namespace }} failed (outcome ${L.failedOutcomes.join(" or ")}) over the last 15 minutes (SLO: at most ${percent(t.jobFailureRatio.threshold)}), for ${t.jobFailureRatio.for}.`,
                runbook:
                    "First: retry or invalid: sum by (outcome) (rate(jobs_processed_total[15m])). " +
                    "invalid means poison messages (worker logs 'poison message', with the body's start): find the producer that sent them. " +
                    "retry means the handler threw: the worker logs at level error and the readiness of PostgreSQL on the worker's /readyz. " +
                    "Failed deliveries end in the dead-letter queue: queue_messages{queue=\"jobs-dlq\"}.",
            },
        },
        {
            alert: "GroundworkJobQueueLagHigh",
            expr: [
                visible,
                `  / on (namespace) (`,
                `    sum by (namespace) (rate(${M.jobs.name}{outcome=~"${L.drainingOutcomes.join("|")}"}[10m]))`,
                `    or on (namespace) 0 * ${visible}`,
                `  )`,
                `  > ${t.queueLagSeconds.threshold}`,
            ].join("\n"),
            for: t.queueLagSeconds.for,
            labels: labels(t.queueLagSeconds),
            annotations: {
                summary: `Jobs queue lag above ${t.queueLagSeconds.threshold}s in {{ $labels.namespace }}`,
                description:
                    `At the current pace the worker in {{ $labels.namespace }} needs {{ $value | humanizeDuration }} to drain the jobs queue ` +
                    `(visible messages / messages acknowledged per second over 10 minutes; +Inf when none is acknowledged; SLO: at most ${t.queueLagSeconds.threshold}s), for ${t.queueLagSeconds.for}.`,
                runbook:
                    "First: is the worker running and consuming: its pods and KEDA's ScaledObject (at workerMaxReplicas? pods Pending for lack of Spot capacity?), " +
                    "then rate(jobs_processed_total[10m]) by outcome: nothing acknowledged while retries rise means every job fails (see GroundworkJobFailureRatioHigh); " +
                    "a slow job_duration_seconds means the handler or PostgreSQL is slow.",
            },
        },
    ];
    return [{ name: RULE_GROUP_NAME, rules }];
}
