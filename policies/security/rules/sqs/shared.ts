/**
 * Helpers shared by the sqs rules: which queue a policy, redrive or redrive-allow resource belongs to, and redrive
 * documents. Pure functions, no rules here.
 */
import { knownString } from "@groundwork/policy-kit";
import { parsePolicy, type GraphResource } from "@groundwork/policy-kit";

/** Pulumi type tokens the sqs rules look at. */
export const SQS_TYPES = {
    queue: "aws:sqs/queue:Queue",
    queuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
    redrivePolicy: "aws:sqs/redrivePolicy:RedrivePolicy",
    redriveAllowPolicy: "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
} as const;

/** A redrive policy (string or object) parsed; undefined when absent or unparsable. */
export function parseRedrive(v: unknown): { deadLetterTargetArn?: unknown; maxReceiveCount?: unknown } | undefined {
    return parsePolicy(v) as { deadLetterTargetArn?: unknown } | undefined;
}

/**
 * True when a side resource (queue policy, redrive policy, redrive-allow policy) targets `queue`: its `queueUrl`
 * equals the queue's `url` or ends with `/<name>`, or, when the URLs are not comparable (unknown during preview,
 * or props that are inputs), it depends on the queue.
 */
export function targetsQueue(side: GraphResource, queue: GraphResource): boolean {
    const url = knownString(() => side.props.queueUrl);
    const queueUrl = knownString(() => queue.props.url);
    const queueName = knownString(() => queue.props.name);
    if (url !== undefined && (queueUrl !== undefined || queueName !== undefined)) {
        return url === queueUrl || (queueName !== undefined && url.endsWith(`/${queueName}`));
    }
    return side.dependencyUrns.includes(queue.urn);
}

/** True when `target` (a DLQ ARN) designates `queue`, by ARN or by name. */
export function arnDesignates(target: unknown, queue: GraphResource): boolean {
    if (typeof target !== "string" || target === "") return false;
    if (target === knownString(() => queue.props.arn)) return true;
    const name = knownString(() => queue.props.name);
    return name !== undefined && target.endsWith(`:${name}`);
}
