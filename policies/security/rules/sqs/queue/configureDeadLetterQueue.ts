import { readKnown, setOrUnknown } from "@groundwork/policy-kit";
import type { GraphResource, StackFinding, StackRule } from "@groundwork/policy-kit";
import { arnDesignates, parseRedrive, SQS_TYPES, targetsQueue } from "../shared";

/** A redrive policy whose document is unknown during preview: computed from the ARN of a queue created with it. */
const COMPUTED = { computed: true } as const;

/** A redrive policy's document, {@link COMPUTED} when unknown during preview, undefined when absent. */
function redriveDocument(r: GraphResource): { deadLetterTargetArn?: unknown } | typeof COMPUTED | undefined {
    const raw = readKnown(() => r.props.redrivePolicy);
    if (raw === undefined) return setOrUnknown(r.props, "redrivePolicy") ? COMPUTED : undefined;
    return parseRedrive(raw);
}

/** The redrive policy of a queue: inline `redrivePolicy`, or an `aws.sqs.RedrivePolicy` resource targeting it. */
function redriveOf(queue: GraphResource, resources: GraphResource[]): ReturnType<typeof redriveDocument> {
    const inline = redriveDocument(queue);
    if (inline) return inline;
    const side = resources.find((r) => r.type === SQS_TYPES.redrivePolicy && targetsQueue(r, queue));
    return side ? redriveDocument(side) : undefined;
}

/**
 * True when `queue` is itself a dead-letter queue: it has a redrive-allow policy (inline or an
 * `aws.sqs.RedriveAllowPolicy` targeting it), or another queue's redrive policy (inline or an `aws.sqs.RedrivePolicy`)
 * designates it by ARN or name, or, where ARNs are not known, a queue with an inline redrive policy depends on it.
 */
export function isDeadLetterQueue(queue: GraphResource, resources: GraphResource[]): boolean {
    if (setOrUnknown(queue.props, "redriveAllowPolicy")) return true;
    if (resources.some((r) => r.type === SQS_TYPES.redriveAllowPolicy && targetsQueue(r, queue))) return true;
    return resources.some((r) => {
        if (r.urn === queue.urn) return false;
        const redrive = r.type === SQS_TYPES.queue || r.type === SQS_TYPES.redrivePolicy ? redriveDocument(r) : undefined;
        if (!redrive) return false;
        if (!("computed" in redrive) && arnDesignates(redrive.deadLetterTargetArn, queue)) return true;
        return r.type === SQS_TYPES.queue && r.dependencyUrns.includes(queue.urn);
    });
}

/**
 * SQS queues have a dead-letter queue: a redrive policy with `deadLetterTargetArn` (inline `redrivePolicy` or an
 * `aws.sqs.RedrivePolicy`). Queues that are themselves dead-letter queues ({@link isDeadLetterQueue}) are exempt.
 * Mandatory in prod.
 *
 * Severity: medium. Level: mandatory-prod.
 * Controls: AwsSolutions-SQS3.
 */
export const sqsQueueConfigureDeadLetterQueue: StackRule = {
    kind: "stack",
    name: "aws-sqs-queue-configure-dead-letter-queue",
    description: "SQS queues that are not dead-letter queues themselves redrive failed messages to a dead-letter queue.",
    controls: ["AwsSolutions-SQS3"],
    severity: "medium",
    level: "mandatory-prod",
    remediation: "Set `redrivePolicy` to `{ deadLetterTargetArn, maxReceiveCount }` (the Queue component creates the dead-letter queue).",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const q of resources.filter((r) => r.type === SQS_TYPES.queue)) {
            const redrive = redriveOf(q, resources);
            // A redrive policy computed during preview names the ARN of a dead-letter queue created with it.
            if (redrive && "computed" in redrive) continue;
            if (redrive && typeof redrive.deadLetterTargetArn === "string" && redrive.deadLetterTargetArn !== "") continue;
            if (isDeadLetterQueue(q, resources)) continue;
            findings.push({
                urn: q.urn,
                message: redrive
                    ? `queue '${q.name}' has a redrive policy without deadLetterTargetArn: failed messages are retried until they expire`
                    : `queue '${q.name}' has no dead-letter queue: failed messages are retried until they expire`,
            });
        }
        return findings;
    },
};
