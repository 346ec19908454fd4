import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { ArgumentError, BaseArgs, Transform } from "../base";

/** Longest visibility timeout SQS accepts (12 hours). */
export const MAX_VISIBILITY_TIMEOUT_SECONDS = 43200;
/** Shortest and longest message retention SQS accepts (1 minute, 14 days). */
export const MIN_RETENTION_SECONDS = 60;
/** Longest message retention SQS accepts (14 days); the dead-letter queue always keeps messages this long. */
export const MAX_RETENTION_SECONDS = 1209600;
/** Long-polling wait, a constant: fewer empty receives, lower cost. */
export const RECEIVE_WAIT_TIME_SECONDS = 20;

/** Arguments of the {@link Queue} component. */
export interface QueueArgs extends BaseArgs {
    /**
     * Longest time a consumer takes to process one message, in seconds. The visibility timeout must exceed it, or a
     * message still being processed becomes visible again and is processed twice.
     * @default 30
     */
    readonly maxProcessingSeconds?: number;
    /**
     * Visibility timeout in seconds, greater than `maxProcessingSeconds`, at most 43200.
     * @default - 6 x maxProcessingSeconds, at least 30 and at most 43200
     */
    readonly visibilityTimeoutSeconds?: number;
    /**
     * Message retention in seconds, greater than the visibility timeout, 60 to 1209600 (14 days). The dead-letter
     * queue keeps messages 14 days.
     * @default 345600 (4 days)
     */
    readonly messageRetentionSeconds?: number;
    /**
     * Receives before a message moves to the dead-letter queue, 1 to 1000.
     * @default 5
     */
    readonly maxReceiveCount?: number;
    /**
     * ARN of a KMS key for SSE-KMS (then `grantSend`/`grantConsume` also grant use of this key).
     * @default - SQS-managed encryption (SSE-SQS)
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * FIFO queue (and FIFO dead-letter queue); names end with `.fifo`.
     * @default false
     */
    readonly fifo?: boolean;
    /**
     * FIFO only: deduplicate by a SHA-256 of the body instead of a producer-given deduplication id.
     * @default false
     */
    readonly contentBasedDeduplication?: boolean;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: QueueTransforms;
}

/** Per-child {@link Transform}s of a {@link Queue}. */
export interface QueueTransforms {
    /** The queue. */
    readonly queue?: Transform<aws.sqs.QueueArgs>;
    /** The dead-letter queue. */
    readonly deadLetterQueue?: Transform<aws.sqs.QueueArgs>;
    /** Both TLS-only queue policies (`name` tells them apart). */
    readonly queuePolicy?: Transform<aws.sqs.QueuePolicyArgs>;
}

/** {@link QueueArgs} with every default applied and validated. */
export interface ResolvedQueueArgs {
    /** Consumer's processing time. */
    maxProcessingSeconds: number;
    /** Visibility timeout. */
    visibilityTimeoutSeconds: number;
    /** Retention of the main queue. */
    messageRetentionSeconds: number;
    /** Retention of the dead-letter queue (always 14 days). */
    dlqRetentionSeconds: number;
    /** Receives before dead-lettering. */
    maxReceiveCount: number;
    /** FIFO. */
    fifo: boolean;
    /** Content-based deduplication. */
    contentBasedDeduplication: boolean;
}

/** Default visibility timeout for a processing time: six times it, clamped to 30..43200 seconds. Pure. */
export function defaultVisibilityTimeout(maxProcessingSeconds: number): number {
    return Math.min(Math.max(30, maxProcessingSeconds * 6), MAX_VISIBILITY_TIMEOUT_SECONDS);
}

/** Applies the defaults of {@link QueueArgs} and validates them against each other; throws an {@link ArgumentError} naming the field. */
export function resolveQueueArgs(name: string, args: QueueArgs): ResolvedQueueArgs {
    const who = `Queue '${name}'`;
    const fail = (field: string, problem: string, fix: string): never => {
        throw new ArgumentError(who, field, problem, fix);
    };
    const maxProcessingSeconds = args.maxProcessingSeconds ?? 30;
    if (!Number.isInteger(maxProcessingSeconds) || maxProcessingSeconds < 1 || maxProcessingSeconds >= MAX_VISIBILITY_TIMEOUT_SECONDS) {
        fail("maxProcessingSeconds", `${maxProcessingSeconds} is outside 1..43199`, "pass the consumer's longest processing time in whole seconds, below 12 hours");
    }
    const r: ResolvedQueueArgs = {
        maxProcessingSeconds,
        visibilityTimeoutSeconds: args.visibilityTimeoutSeconds ?? defaultVisibilityTimeout(maxProcessingSeconds),
        messageRetentionSeconds: args.messageRetentionSeconds ?? 345600,
        dlqRetentionSeconds: MAX_RETENTION_SECONDS,
        maxReceiveCount: args.maxReceiveCount ?? 5,
        fifo: args.fifo ?? false,
        contentBasedDeduplication: args.contentBasedDeduplication ?? false,
    };
    if (!Number.isInteger(r.visibilityTimeoutSeconds) || r.visibilityTimeoutSeconds > MAX_VISIBILITY_TIMEOUT_SECONDS) {
        fail("visibilityTimeoutSeconds", `${r.visibilityTimeoutSeconds} is not a whole number of seconds up to 43200`, "pass at most 43200 seconds");
    }
    if (r.visibilityTimeoutSeconds <= r.maxProcessingSeconds) {
        fail(
            "visibilityTimeoutSeconds",
            `${r.visibilityTimeoutSeconds}s does not exceed maxProcessingSeconds (${r.maxProcessingSeconds}s), so messages in flight would be delivered twice`,
            `raise visibilityTimeoutSeconds above ${r.maxProcessingSeconds} (for example ${defaultVisibilityTimeout(r.maxProcessingSeconds)}) or lower maxProcessingSeconds`,
        );
    }
    if (!Number.isInteger(r.messageRetentionSeconds) || r.messageRetentionSeconds < MIN_RETENTION_SECONDS || r.messageRetentionSeconds > MAX_RETENTION_SECONDS) {
        fail("messageRetentionSeconds", `${r.messageRetentionSeconds} is outside 60..1209600`, "pass 60 seconds to 14 days (1209600)");
    }
    if (r.messageRetentionSeconds <= r.visibilityTimeoutSeconds) {
        fail(
            "messageRetentionSeconds",
            `${r.messageRetentionSeconds}s does not exceed visibilityTimeoutSeconds (${r.visibilityTimeoutSeconds}s), so messages would expire before a retry`,
            "raise messageRetentionSeconds well above the visibility timeout",
        );
    }
    if (!Number.isInteger(r.maxReceiveCount) || r.maxReceiveCount < 1 || r.maxReceiveCount > 1000) {
        fail("maxReceiveCount", `${r.maxReceiveCount} is outside 1..1000`, "pass 1 to 1000 receives");
    }
    if (r.contentBasedDeduplication && !r.fifo) {
        fail("contentBasedDeduplication", "it applies to FIFO queues only", "set fifo: true or drop contentBasedDeduplication");
    }
    return r;
}
