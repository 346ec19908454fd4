import { asArray, statementsOf, type GraphResource, type StackFinding, type StackRule } from "@groundwork/policy-kit";
import { isWildcardPrincipal } from "../../iam/shared";
import { SQS_TYPES, targetsQueue } from "../shared";

/** True when a statement denies every SQS action to everyone over plaintext (`aws:SecureTransport` false). */
export function isTlsDeny(s: Record<string, any>): boolean {
    if (!s || String(s.Effect ?? "").toLowerCase() !== "deny" || !isWildcardPrincipal(s.Principal)) return false;
    if (!asArray<string>(s.Action).some((a) => a === "*" || String(a).toLowerCase() === "sqs:*")) return false;
    for (const [op, block] of Object.entries((s.Condition ?? {}) as Record<string, any>)) {
        if (!/^bool(ifexists)?$/i.test(op) || !block || typeof block !== "object") continue;
        for (const [key, value] of Object.entries(block)) {
            if (key.toLowerCase() === "aws:securetransport" && asArray(value).some((v) => String(v).toLowerCase() === "false")) return true;
        }
    }
    return false;
}

/**
 * SQS queues have a policy that denies requests not made over TLS: a Deny for Principal `*` of `sqs:*` with
 * `Bool aws:SecureTransport false`, inline (`policy`) or in an `aws.sqs.QueuePolicy` targeting the queue.
 *
 * Severity: low. Level: advisory.
 * Controls: AwsSolutions-SQS4.
 */
export const sqsQueueEnforceTls: StackRule = {
    kind: "stack",
    name: "aws-sqs-queue-enforce-tls",
    description: "SQS queue policies deny requests that do not use TLS.",
    controls: ["AwsSolutions-SQS4"],
    severity: "low",
    level: "advisory",
    remediation: 'Add `{ Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: <queue ARN>, Condition: { Bool: { "aws:SecureTransport": "false" } } }` to the queue policy.',
    check(resources: GraphResource[]) {
        const findings: StackFinding[] = [];
        for (const q of resources.filter((r) => r.type === SQS_TYPES.queue)) {
            const docs = [q.props.policy, ...resources.filter((r) => r.type === SQS_TYPES.queuePolicy && targetsQueue(r, q)).map((r) => r.props.policy)];
            if (docs.some((d) => statementsOf(d).some(isTlsDeny))) continue;
            findings.push({ urn: q.urn, message: `queue '${q.name}' has no policy statement denying requests without TLS (aws:SecureTransport false)` });
        }
        return findings;
    },
};
