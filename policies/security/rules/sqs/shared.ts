/**
 * Helpers shared by the sqs rules: which queue a policy, redrive or redrive-allow resource belongs to, and redrive
 * documents. Pure functions, no rules here.
 */
import { parsePolicy, type GraphResource } from "../../../lib/rule";

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
 * equals the queue's `url` or ends with `/<name>`, or, when the URL is not comparable, it depends on the queue.
 */
export function targetsQueue(side: GraphResource, queue: GraphResource): boolean {
    const url = side.props.queueUrl;
    if (typeof url === "string" && url !== "") {
        if (url === queue.props.url || (typeof queue.props.name === "string" && url.endsWith(`/${queue.props.name}`))) return true;
    }
    return side.dependencyUrns.includes(queue.urn) && (typeof url !== "string" || url === "" || queue.props.url === undefined);
}

/** True when `target` (a DLQ ARN) designates `queue`, by ARN or by name. */
export function arnDesignates(target: unknown, queue: GraphResource): boolean {
    if (typeof target !== "string" || target === "") return false;
    if (target === queue.props.arn) return true;
    return typeof queue.props.name === "string" && target.endsWith(`:${queue.props.name}`);
}
