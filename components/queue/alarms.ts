import * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec } from "../observe/alarms";

/** What the queue alarms are derived from. */
export interface QueueAlarmInput {
    /** Name of the queue (the `QueueName` dimension). */
    readonly queueName: pulumi.Input<string>;
    /** Name of the dead-letter queue. */
    readonly dlqName: pulumi.Input<string>;
    /** The consumer's longest processing time, seconds. */
    readonly maxProcessingSeconds: number;
    /** The queue's visibility timeout, seconds. */
    readonly visibilityTimeoutSeconds: number;
    /** Receives before a message is dead-lettered. */
    readonly maxReceiveCount: number;
}

/**
 * Age of the oldest message that raises the queue-age alarm: one visibility timeout plus one processing time. A message
 * that old has waited out a failed attempt and still is not done, or nobody is consuming; a healthy consumer deletes
 * every message within `maxProcessingSeconds` of receiving it. Pure.
 */
export function oldestMessageAlarmSeconds(maxProcessingSeconds: number, visibilityTimeoutSeconds: number): number {
    return visibilityTimeoutSeconds + maxProcessingSeconds;
}

/**
 * The Queue's alarms: the age of the oldest message against the consumer's processing time
 * ({@link oldestMessageAlarmSeconds}), and any message visible in the dead-letter queue. Pure.
 */
export function queueAlarmSpecs(q: QueueAlarmInput): AlarmSpec[] {
    const age = oldestMessageAlarmSeconds(q.maxProcessingSeconds, q.visibilityTimeoutSeconds);
    return [
        {
            part: "oldest-message",
            title: "Oldest message age (s)",
            namespace: "AWS/SQS",
            metricName: "ApproximateAgeOfOldestMessage",
            dimensions: { QueueName: q.queueName },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 5,
            threshold: age,
            comparisonOperator: "GreaterThanThreshold",
            // An idle queue publishes nothing: no message is waiting.
            treatMissingData: "notBreaching",
            description: `The oldest message has waited more than ${age}s (visibility timeout ${q.visibilityTimeoutSeconds}s + processing time ${q.maxProcessingSeconds}s) for 5 minutes: jobs are failing and retried, or not consumed. Check first: the worker's pods and logs (crash loop, failing handler), then KEDA's scaling of the worker.`,
        },
        {
            part: "dead-letters",
            title: "Dead-letter queue: visible messages",
            namespace: "AWS/SQS",
            metricName: "ApproximateNumberOfMessagesVisible",
            dimensions: { QueueName: q.dlqName },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 1,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            description: `A message is in the dead-letter queue: a job failed ${q.maxReceiveCount} times and will not be retried. Check first: the worker's logs for the job's id and error; fix the cause, then redrive the message (StartMessageMoveTask).`,
        },
    ];
}
