import type * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec } from "../observe/alarms";

/** What the load balancer's alarms are derived from. */
export interface LoadBalancerAlarmInput {
    /** The load balancer's ARN suffix (`app/<name>/<id>`): the `LoadBalancer` dimension. */
    readonly loadBalancer: pulumi.Input<string>;
    /** The target group's ARN suffix (`targetgroup/<name>/<id>`): the `TargetGroup` dimension. */
    readonly targetGroup: pulumi.Input<string>;
    /** Target 5xx responses per minute that count as a breaching minute. */
    readonly target5xxPerMinute: number;
    /** p99 target response time, seconds, above which a minute breaches. */
    readonly p99ResponseSeconds: number;
}

/**
 * The load balancer's alarms: 5xx answered by the targets, p99 response time, unhealthy targets, and no healthy
 * target at all (every request then fails with 503 at the load balancer). Pure.
 */
export function loadBalancerAlarmSpecs(a: LoadBalancerAlarmInput): AlarmSpec[] {
    const both = { LoadBalancer: a.loadBalancer, TargetGroup: a.targetGroup };
    return [
        {
            part: "target-5xx",
            title: "Target 5xx per minute",
            namespace: "AWS/ApplicationELB",
            metricName: "HTTPCode_Target_5XX_Count",
            dimensions: { LoadBalancer: a.loadBalancer },
            statistic: "Sum",
            period: 60,
            evaluationPeriods: 5,
            datapointsToAlarm: 3,
            threshold: a.target5xxPerMinute,
            comparisonOperator: "GreaterThanThreshold",
            // No request, no 5xx: the metric is only published when a target answered 5xx.
            treatMissingData: "notBreaching",
            description: `The API's pods answered more than ${a.target5xxPerMinute} 5xx responses a minute in 3 of the last 5 minutes. Check first: the API's error logs (by correlationId) and its dependencies' alarms (database, cache), then the latest rollout.`,
        },
        {
            part: "p99-latency",
            title: "Target response time p99 (s)",
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensions: { LoadBalancer: a.loadBalancer },
            extendedStatistic: "p99",
            period: 60,
            evaluationPeriods: 5,
            threshold: a.p99ResponseSeconds,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            description: `The p99 of the API's response time has been above ${a.p99ResponseSeconds}s for 5 minutes. Check first: the database's CPU and connections, the cache hit ratio on the app dashboard, then the API's CPU throttling and HPA.`,
        },
        {
            part: "unhealthy-targets",
            title: "Unhealthy targets",
            namespace: "AWS/ApplicationELB",
            metricName: "UnHealthyHostCount",
            dimensions: both,
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 5,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            description: "At least one API pod has failed the load balancer's readiness check for 5 minutes. Check first: `kubectl describe` of the API's pods (readiness probe, restarts), then the TargetGroupBinding's events and the NetworkPolicy admitting the VPC.",
        },
        {
            part: "no-healthy-targets",
            title: "Healthy targets",
            namespace: "AWS/ApplicationELB",
            metricName: "HealthyHostCount",
            dimensions: both,
            statistic: "Minimum",
            period: 60,
            evaluationPeriods: 2,
            threshold: 1,
            comparisonOperator: "LessThanThreshold",
            // No datapoint means no registered target: the API is down for every viewer.
            treatMissingData: "breaching",
            description: "No API pod is healthy behind the load balancer: every request gets a 503. Check first: the API Deployment's pods and events, then the AWS Load Balancer Controller's logs (TargetGroupBinding registration).",
        },
    ];
}
