import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, GroundworkComponent } from "../base";
import { Grantable, StatementInput } from "../identity/statements";
import { sidOf, stableName } from "../secrets/context";
import { QueueArgs, RECEIVE_WAIT_TIME_SECONDS, resolveQueueArgs } from "./args";
import { declareAlarms, type AlarmOptions, type AlarmSpec, type AlarmTarget, type Observable } from "../observe/alarms";
import { queueAlarmSpecs, type QueueAlarmInput } from "./alarms";

/** Actions `grantSend` grants on the queue. */
export const SEND_ACTIONS: readonly string[] = ["sqs:SendMessage", "sqs:GetQueueAttributes"];
/** Actions `grantConsume` grants on the queue. */
export const CONSUME_ACTIONS: readonly string[] = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"];

/**
 * Queue policy that denies every request not made over TLS (`aws:SecureTransport` false). A Deny for Principal `*`
 * is the standard form; the policy has no Allow, access comes from identity policies (`grantSend`, `grantConsume`). Pure.
 */
export function tlsOnlyQueuePolicy(queueArn: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: "sqs:*",
                Resource: queueArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
        ],
    };
}

/** Redrive policy of the main queue: after `maxReceiveCount` receives a message moves to the dead-letter queue. Pure. */
export function redrivePolicy(deadLetterTargetArn: string, maxReceiveCount: number): string {
    return JSON.stringify({ deadLetterTargetArn, maxReceiveCount });
}

/** Redrive-allow policy of the dead-letter queue: only the given source queues may use it. Pure. */
export function redriveAllowPolicy(sourceQueueArns: string[]): string {
    return JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns });
}

/**
 * SQS queue with a dead-letter queue (redrive after `maxReceiveCount`, redrive-allow limited to this queue), server-side
 * encryption set explicitly (KMS key or SQS-managed), TLS-only queue policies, long polling, visibility timeout and
 * retention validated against the consumer's processing time; optionally FIFO. Type token `groundwork:queue:Queue`.
 */
export class Queue extends GroundworkComponent implements Observable {
    /** URL of the queue. */
    public readonly url: pulumi.Output<string>;
    /** ARN of the queue. */
    public readonly arn: pulumi.Output<string>;
    /** Name of the queue. */
    public readonly name: pulumi.Output<string>;
    /** URL of the dead-letter queue. */
    public readonly dlqUrl: pulumi.Output<string>;
    /** ARN of the dead-letter queue. */
    public readonly dlqArn: pulumi.Output<string>;
    /** Name of the dead-letter queue. */
    public readonly dlqName: pulumi.Output<string>;
    /** ARN of the SSE-KMS key; undefined with SQS-managed encryption. */
    public readonly kmsKeyArn: pulumi.Output<string> | undefined;
    private readonly alarmInput: QueueAlarmInput;

    constructor(name: string, args: QueueArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("queue", "Queue", name, args, opts);
        const r = resolveQueueArgs(name, args);

        const encryption =
            args.kmsKeyArn !== undefined
                ? { kmsMasterKeyId: args.kmsKeyArn, kmsDataKeyReusePeriodSeconds: 300 }
                : { sqsManagedSseEnabled: true };
        const fifoName = (part?: string) =>
            r.fifo ? `${stableName([pulumi.getProject(), pulumi.getStack(), name, ...(part ? [part] : [])], 75)}.fifo` : undefined;
        const fifo = r.fifo ? { fifoQueue: true, contentBasedDeduplication: r.contentBasedDeduplication } : {};

        const t = args.transform ?? {};
        const dlq = new aws.sqs.Queue(
            ...applyTransform(
                t.deadLetterQueue,
                this.childName("dlq"),
                {
                    name: fifoName("dlq"),
                    ...fifo,
                    ...encryption,
                    messageRetentionSeconds: r.dlqRetentionSeconds,
                    visibilityTimeoutSeconds: r.visibilityTimeoutSeconds,
                    receiveWaitTimeSeconds: RECEIVE_WAIT_TIME_SECONDS,
                    tags: this.childTags("dlq"),
                },
                this.childOpts(),
            ),
        );
        const queue = new aws.sqs.Queue(
            ...applyTransform(
                t.queue,
                this.childName("queue"),
                {
                    name: fifoName(),
                    ...fifo,
                    ...encryption,
                    messageRetentionSeconds: r.messageRetentionSeconds,
                    visibilityTimeoutSeconds: r.visibilityTimeoutSeconds,
                    receiveWaitTimeSeconds: RECEIVE_WAIT_TIME_SECONDS,
                    redrivePolicy: dlq.arn.apply((arn) => redrivePolicy(arn, r.maxReceiveCount)),
                    tags: this.childTags("queue"),
                },
                this.childOpts(),
            ),
        );
        new aws.sqs.RedriveAllowPolicy(
            this.childName("dlq-redrive-allow"),
            { queueUrl: dlq.url, redriveAllowPolicy: queue.arn.apply((arn) => redriveAllowPolicy([arn])) },
            this.childOpts(),
        );
        new aws.sqs.QueuePolicy(
            ...applyTransform(
                t.queuePolicy,
                this.childName("queue-policy"),
                { queueUrl: queue.url, policy: queue.arn.apply((arn) => JSON.stringify(tlsOnlyQueuePolicy(arn))) },
                this.childOpts(),
            ),
        );
        new aws.sqs.QueuePolicy(
            ...applyTransform(
                t.queuePolicy,
                this.childName("dlq-policy"),
                { queueUrl: dlq.url, policy: dlq.arn.apply((arn) => JSON.stringify(tlsOnlyQueuePolicy(arn))) },
                this.childOpts(),
            ),
        );

        this.url = queue.url;
        this.arn = queue.arn;
        this.name = queue.name;
        this.dlqUrl = dlq.url;
        this.dlqArn = dlq.arn;
        this.dlqName = dlq.name;
        this.kmsKeyArn = args.kmsKeyArn !== undefined ? pulumi.output(args.kmsKeyArn) : undefined;
        this.alarmInput = {
            queueName: queue.name,
            dlqName: dlq.name,
            maxProcessingSeconds: r.maxProcessingSeconds,
            visibilityTimeoutSeconds: r.visibilityTimeoutSeconds,
            maxReceiveCount: r.maxReceiveCount,
        };
        this.registerOutputs({ url: this.url, arn: this.arn, name: this.name, dlqUrl: this.dlqUrl, dlqArn: this.dlqArn });
    }

    /**
     * The alarms this queue derives from its configuration ({@link queueAlarmSpecs}): the oldest message's age against
     * `maxProcessingSeconds` and the visibility timeout, and any message in the dead-letter queue. Pure data;
     * {@link alarms} declares them.
     */
    public alarmSpecs(): AlarmSpec[] {
        return queueAlarmSpecs(this.alarmInput);
    }

    /** Declares the {@link alarmSpecs} as `aws.cloudwatch.MetricAlarm` children notifying `target` on ALARM and OK. */
    public alarms(target: AlarmTarget, opts?: AlarmOptions): aws.cloudwatch.MetricAlarm[] {
        return declareAlarms(this.childScope(), this.alarmSpecs(), target, opts);
    }

    /**
     * Lets `identity` send: `sqs:SendMessage` and `GetQueueAttributes` on this queue's ARN (clients are given the
     * queue's URL, so `GetQueueUrl` is not granted), and with SSE-KMS
     * `kms:GenerateDataKey` and `kms:Decrypt` on its key only.
     */
    public grantSend(identity: Grantable): void {
        const statements: StatementInput[] = [{ sid: sidOf(this.baseName, "send"), actions: [...SEND_ACTIONS], resources: [this.arn] }];
        if (this.kmsKeyArn !== undefined) {
            statements.push({ sid: sidOf(this.baseName, "send", "key"), actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [this.kmsKeyArn] });
        }
        identity.addStatements(`${this.baseName}-send`, statements);
    }

    /**
     * Lets `identity` consume: `sqs:ReceiveMessage`, `DeleteMessage`, `ChangeMessageVisibility` and `GetQueueAttributes`
     * on this queue's ARN, and with SSE-KMS `kms:Decrypt` on its key only.
     */
    public grantConsume(identity: Grantable): void {
        const statements: StatementInput[] = [{ sid: sidOf(this.baseName, "consume"), actions: [...CONSUME_ACTIONS], resources: [this.arn] }];
        if (this.kmsKeyArn !== undefined) {
            statements.push({ sid: sidOf(this.baseName, "consume", "key"), actions: ["kms:Decrypt"], resources: [this.kmsKeyArn] });
        }
        identity.addStatements(`${this.baseName}-consume`, statements);
    }

    /**
     * Lets `identity` read the dead-letter queue's attributes (`sqs:GetQueueAttributes` on its ARN only): what a
     * workload needs to report how many jobs failed for good, without being able to read or delete them.
     */
    public grantMonitorDeadLetters(identity: Grantable): void {
        identity.addStatements(`${this.baseName}-dlq-monitor`, [{ sid: sidOf(this.baseName, "dlq", "monitor"), actions: ["sqs:GetQueueAttributes"], resources: [this.dlqArn] }]);
    }
}
