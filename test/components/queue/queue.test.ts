import * as pulumi from "@pulumi/pulumi";
import { CONSUME_ACTIONS, defaultVisibilityTimeout, Queue, QueueArgs, resolveQueueArgs, SEND_ACTIONS, tlsOnlyQueuePolicy } from "../../../components/queue";
import { grantDocument, RecordingIdentity } from "../../support/grants";
import { evaluateGraph } from "../../support/policy";
import { runPulumi } from "../../support/pulumi";

/**
 * The pack's findings without the alarm-coverage policy, which judges a whole stack: a lone component has no alarm
 * topic, so its database, cache, queues or distribution are rightly reported. test/components/observe shows the
 * component with its `alarms(topic)` passing the prod pack, alarm coverage included.
 */
const componentOnly = <T extends { policy: string }>(violations: T[]): T[] => violations.filter((v) => v.policy !== "aws-cloudwatch-metricalarm-enforce-coverage");

const QUEUE = "aws:sqs/queue:Queue";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/given";

function resolve<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((r) => o.apply(r));
}

describe("defaultVisibilityTimeout", () => {
    it.each<[number, number]>([
        [1, 30],
        [5, 30],
        [30, 180],
        [600, 3600],
        [10000, 43200],
    ])("processing %is gives %is", (processing, expected) => expect(defaultVisibilityTimeout(processing)).toBe(expected));
});

describe("resolveQueueArgs", () => {
    it("applies the defaults", () => {
        expect(resolveQueueArgs("jobs", {})).toEqual({
            maxProcessingSeconds: 30,
            visibilityTimeoutSeconds: 180,
            messageRetentionSeconds: 345600,
            dlqRetentionSeconds: 1209600,
            maxReceiveCount: 5,
            fifo: false,
            contentBasedDeduplication: false,
        });
    });

    it.each<[string, QueueArgs, string]>([
        ["maxProcessingSeconds", { maxProcessingSeconds: 0 }, "invalid 'maxProcessingSeconds': 0 is outside 1..43199"],
        [
            "visibilityTimeoutSeconds",
            { maxProcessingSeconds: 120, visibilityTimeoutSeconds: 120 },
            "invalid 'visibilityTimeoutSeconds': 120s does not exceed maxProcessingSeconds (120s), so messages in flight would be delivered twice. Fix: raise visibilityTimeoutSeconds above 120 (for example 720) or lower maxProcessingSeconds",
        ],
        ["visibilityTimeoutSeconds", { visibilityTimeoutSeconds: 50000 }, "invalid 'visibilityTimeoutSeconds': 50000 is not a whole number of seconds up to 43200"],
        ["messageRetentionSeconds", { messageRetentionSeconds: 30 }, "invalid 'messageRetentionSeconds': 30 is outside 60..1209600"],
        ["messageRetentionSeconds", { messageRetentionSeconds: 1209601 }, "invalid 'messageRetentionSeconds': 1209601 is outside 60..1209600"],
        [
            "messageRetentionSeconds",
            { visibilityTimeoutSeconds: 600, messageRetentionSeconds: 600 },
            "invalid 'messageRetentionSeconds': 600s does not exceed visibilityTimeoutSeconds (600s), so messages would expire before a retry",
        ],
        ["maxReceiveCount", { maxReceiveCount: 0 }, "invalid 'maxReceiveCount': 0 is outside 1..1000"],
        ["maxReceiveCount", { maxReceiveCount: 1001 }, "invalid 'maxReceiveCount': 1001 is outside 1..1000"],
        ["contentBasedDeduplication", { contentBasedDeduplication: true }, "invalid 'contentBasedDeduplication': it applies to FIFO queues only"],
    ])("rejects a bad %s", (_field, args, message) => {
        expect(() => resolveQueueArgs("jobs", args)).toThrow(`Queue 'jobs': ${message}`);
    });
});

describe("Queue", () => {
    it("declares a queue with a dead-letter queue, SSE-SQS, TLS-only policies and long polling", async () => {
        // GIVEN a standard queue whose consumer takes up to 60 s WHEN the program runs
        let q!: Queue;
        const g = await runPulumi(() => {
            q = new Queue("jobs", { maxProcessingSeconds: 60, maxReceiveCount: 3 });
        }, { stack: "prod" });
        const main = g.one(QUEUE, "jobs-queue");
        const dlq = g.one(QUEUE, "jobs-dlq");
        // THEN both queues are encrypted explicitly and long-poll; the visibility timeout exceeds the processing time
        for (const r of [main, dlq]) {
            expect(r.inputs).toMatchObject({ sqsManagedSseEnabled: true, receiveWaitTimeSeconds: 20, visibilityTimeoutSeconds: 360 });
            expect(r.inputs.kmsMasterKeyId).toBeUndefined();
        }
        expect([main.inputs.messageRetentionSeconds, dlq.inputs.messageRetentionSeconds]).toEqual([345600, 1209600]);
        // AND the main queue redrives to the DLQ after 3 receives, and only the main queue may redrive into the DLQ
        expect(JSON.parse(main.inputs.redrivePolicy)).toEqual({ deadLetterTargetArn: dlq.outputs.arn, maxReceiveCount: 3 });
        const allow = g.one("aws:sqs/redriveAllowPolicy:RedriveAllowPolicy");
        expect(allow.inputs.queueUrl).toBe(dlq.outputs.url);
        expect(JSON.parse(allow.inputs.redriveAllowPolicy)).toEqual({ redrivePermission: "byQueue", sourceQueueArns: [main.outputs.arn] });
        // AND each queue has a policy that only denies non-TLS requests
        const policy = (name: string) => g.one("aws:sqs/queuePolicy:QueuePolicy", name).inputs;
        expect([policy("jobs-queue-policy").queueUrl, JSON.parse(policy("jobs-queue-policy").policy)]).toEqual([main.outputs.url, tlsOnlyQueuePolicy(main.outputs.arn)]);
        expect([policy("jobs-dlq-policy").queueUrl, JSON.parse(policy("jobs-dlq-policy").policy)]).toEqual([dlq.outputs.url, tlsOnlyQueuePolicy(dlq.outputs.arn)]);
        // AND the outputs are the queues'
        expect(await resolve(pulumi.all([q.url, q.arn, q.name, q.dlqUrl, q.dlqArn]))).toEqual([main.outputs.url, main.outputs.arn, main.outputs.name, dlq.outputs.url, dlq.outputs.arn]);
        // AND the prod pack raises nothing at all (DLQ, encryption, TLS-only, no wildcard)
        expect(componentOnly(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
    });

    it("grantSend and grantConsume name this queue's ARN only (SSE-SQS: no key statement)", async () => {
        const identity = new RecordingIdentity();
        const g = await runPulumi(() => {
            const q = new Queue("jobs");
            q.grantSend(identity);
            q.grantConsume(identity);
        });
        const arn = g.one(QUEUE, "jobs-queue").outputs.arn;
        expect(grantDocument(g, "jobs-send")).toEqual({ Version: "2012-10-17", Statement: [{ Sid: "JobsSend", Effect: "Allow", Action: [...SEND_ACTIONS], Resource: [arn] }] });
        expect(grantDocument(g, "jobs-consume")).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "JobsConsume",
                    Effect: "Allow",
                    Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"],
                    Resource: [arn],
                },
            ],
        });
        expect(SEND_ACTIONS).toEqual(["sqs:SendMessage", "sqs:GetQueueAttributes"]);
        expect(CONSUME_ACTIONS).toHaveLength(4);
    });

    it("grants reading the dead-letter queue's attributes on the DLQ's ARN only", async () => {
        const identity = new RecordingIdentity();
        const g = await runPulumi(() => new Queue("jobs", {}).grantMonitorDeadLetters(identity));
        const dlq = g.one(QUEUE, "jobs-dlq").outputs.arn;
        expect(grantDocument(g, "jobs-dlq-monitor")).toEqual({ Version: "2012-10-17", Statement: [{ Sid: "JobsDlqMonitor", Effect: "Allow", Action: ["sqs:GetQueueAttributes"], Resource: [dlq] }] });
    });

    it("with a KMS key encrypts both queues with it and grants the key to senders and consumers", async () => {
        const identity = new RecordingIdentity();
        const g = await runPulumi(() => {
            const q = new Queue("jobs", { kmsKeyArn: KEY_ARN });
            q.grantSend(identity);
            q.grantConsume(identity);
        });
        for (const r of g.byType(QUEUE)) {
            expect(r.inputs).toMatchObject({ kmsMasterKeyId: KEY_ARN, kmsDataKeyReusePeriodSeconds: 300 });
            expect(r.inputs.sqsManagedSseEnabled).toBeUndefined();
        }
        const arn = g.one(QUEUE, "jobs-queue").outputs.arn;
        expect(grantDocument(g, "jobs-send")).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Sid: "JobsSend", Effect: "Allow", Action: [...SEND_ACTIONS], Resource: [arn] },
                { Sid: "JobsSendKey", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [KEY_ARN] },
            ],
        });
        expect(grantDocument(g, "jobs-consume")).toMatchObject({ Statement: [{ Resource: [arn] }, { Sid: "JobsConsumeKey", Action: ["kms:Decrypt"], Resource: [KEY_ARN] }] });
    });

    it("FIFO: both queues are FIFO with .fifo names, content-based deduplication as asked", async () => {
        const g = await runPulumi(() => {
            new Queue("orders", { fifo: true, contentBasedDeduplication: true });
        }, { stack: "prod" });
        expect(g.one(QUEUE, "orders-queue").inputs).toMatchObject({ name: "groundwork-prod-orders.fifo", fifoQueue: true, contentBasedDeduplication: true });
        expect(g.one(QUEUE, "orders-dlq").inputs).toMatchObject({ name: "groundwork-prod-orders-dlq.fifo", fifoQueue: true });
        expect(componentOnly(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
    });

    it("rejects bad args before declaring anything", async () => {
        await expect(runPulumi(() => { new Queue("jobs", { maxProcessingSeconds: 300, visibilityTimeoutSeconds: 60 }); })).rejects.toThrow(
            "Queue 'jobs': invalid 'visibilityTimeoutSeconds': 60s does not exceed maxProcessingSeconds (300s)",
        );
    });
});
