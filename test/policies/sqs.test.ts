import { unknownCheckingProxy } from "@pulumi/policy";
import { UNKNOWN } from "../../tools/plan/mocks";
import { sqsQueueConfigureDeadLetterQueue } from "../../policies/security/rules/sqs/queue/configureDeadLetterQueue";
import { sqsQueueEnableEncryption } from "../../policies/security/rules/sqs/queue/enableEncryption";
import { sqsQueueEnforceTls } from "../../policies/security/rules/sqs/queue/enforceTls";
import { sqsQueuePolicyDisallowWildcardAccess } from "../../policies/security/rules/sqs/queuePolicy/disallowWildcardAccess";
import { SQS_TYPES, targetsQueue } from "../../policies/security/rules/sqs/shared";
import type { GraphResource, StackFinding } from "@groundwork/policy-kit";
import { checkResource, checkStack, graphResource } from "../support/policy";
import { ruleTable, type Props } from "../support/ruleTable";

const ARN = "arn:aws:sqs:eu-west-1:111122223333:jobs";
const DLQ_ARN = "arn:aws:sqs:eu-west-1:111122223333:jobs-dlq";
const ROLE = "arn:aws:iam::111122223333:role/api";
const tlsDeny = { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "sqs:*", Resource: ARN, Condition: { Bool: { "aws:SecureTransport": "false" } } };

describe("aws-sqs-queue-enable-encryption", () => {
    ruleTable(sqsQueueEnableEncryption, { sqsManagedSseEnabled: true, visibilityTimeoutSeconds: 180 }, [
        ["not set", (p) => delete p.sqsManagedSseEnabled, ["neither kmsMasterKeyId nor sqsManagedSseEnabled is set: encryption is not set explicitly"]],
        ["SSE-SQS off, no key", (p) => (p.sqsManagedSseEnabled = false), ["sqsManagedSseEnabled is false and kmsMasterKeyId is not set: messages are not encrypted at rest"]],
        ["passes: SSE-KMS", (p) => (delete p.sqsManagedSseEnabled, (p.kmsMasterKeyId = "arn:aws:kms:eu-west-1:111122223333:key/1")), []],
        ["passes: SSE-KMS with the AWS-managed alias", (p) => (delete p.sqsManagedSseEnabled, (p.kmsMasterKeyId = "alias/aws/sqs")), []],
    ]);
});

describe("aws-sqs-queuepolicy-disallow-wildcard-access", () => {
    /** The Queue component's TLS deny plus a named-role allow. */
    const good: Props = {
        queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs",
        policy: { Version: "2012-10-17", Statement: [tlsDeny, { Sid: "ApiSends", Effect: "Allow", Principal: { AWS: ROLE }, Action: ["sqs:SendMessage"], Resource: ARN }] },
    };
    ruleTable(sqsQueuePolicyDisallowWildcardAccess, good, [
        ["Principal \"*\" allowed", (p) => (p.policy.Statement[1].Principal = "*"), ['Statement[1] (ApiSends) allows Principal "*": anyone can use the queue']],
        ["{AWS: \"*\"} allowed", (p) => (p.policy.Statement[1].Principal = { AWS: "*" }), ['Statement[1] (ApiSends) allows Principal "*": anyone can use the queue']],
        ["NotPrincipal allow", (p) => (delete p.policy.Statement[1].Principal, (p.policy.Statement[1].NotPrincipal = { AWS: ROLE })), ["Statement[1] (ApiSends) allows NotPrincipal: everyone else is granted"]],
        ["sqs:* allowed", (p) => (p.policy.Statement[1].Action = "sqs:*"), ['Statement[1] (ApiSends) allows action "sqs:*": every queue action']],
        ["* allowed", (p) => (p.policy.Statement[1].Action = ["sqs:SendMessage", "*"]), ['Statement[1] (ApiSends) allows action "*": every queue action']],
        [
            "both at once",
            (p) => ((p.policy.Statement[1].Principal = "*"), (p.policy.Statement[1].Action = "SQS:*")),
            ['Statement[1] (ApiSends) allows Principal "*": anyone can use the queue', 'Statement[1] (ApiSends) allows action "SQS:*": every queue action'],
        ],
        ["not JSON", (p) => (p.policy = "{oops"), ["policy is not valid JSON, so its statements cannot be checked"]],
        ["passes: JSON string", (p) => (p.policy = JSON.stringify(p.policy)), []],
        ["passes: Deny for Principal \"*\" of sqs:* (TLS only)", (p) => (p.policy.Statement = [tlsDeny]), []],
        ["passes: service principal", (p) => (p.policy.Statement[1].Principal = { Service: "sns.amazonaws.com" }), []],
    ]);
    it("checks a Queue's inline policy too", () => {
        const props = { policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: ARN }] }) };
        expect(checkResource(sqsQueuePolicyDisallowWildcardAccess, props, { type: SQS_TYPES.queue })).toEqual(['Statement[0] allows Principal "*": anyone can use the queue']);
    });
    it("passes a Queue without inline policy", () => {
        expect(checkResource(sqsQueuePolicyDisallowWildcardAccess, { sqsManagedSseEnabled: true }, { type: SQS_TYPES.queue })).toEqual([]);
    });
});

/** The Queue component's graph: DLQ, main queue redriving to it, redrive-allow on the DLQ, two TLS policies. */
function componentGraph(): Record<string, GraphResource> {
    const dlq = graphResource(SQS_TYPES.queue, "jobs-dlq", { sqsManagedSseEnabled: true, messageRetentionSeconds: 1209600 });
    const main = graphResource(
        SQS_TYPES.queue,
        "jobs-queue",
        { sqsManagedSseEnabled: true, redrivePolicy: JSON.stringify({ deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 5 }) },
        { dependencyUrns: [dlq.urn] },
    );
    const allow = graphResource(
        SQS_TYPES.redriveAllowPolicy,
        "jobs-dlq-redrive-allow",
        { queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs-dlq", redriveAllowPolicy: JSON.stringify({ redrivePermission: "byQueue", sourceQueueArns: [ARN] }) },
        { dependencyUrns: [dlq.urn, main.urn] },
    );
    const mainPolicy = graphResource(SQS_TYPES.queuePolicy, "jobs-queue-policy", { queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs", policy: JSON.stringify({ Statement: [tlsDeny] }) }, { dependencyUrns: [main.urn] });
    const dlqPolicy = graphResource(SQS_TYPES.queuePolicy, "jobs-dlq-policy", { queueUrl: "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs-dlq", policy: JSON.stringify({ Statement: [{ ...tlsDeny, Resource: DLQ_ARN }] }) }, { dependencyUrns: [dlq.urn] });
    return { dlq, main, allow, mainPolicy, dlqPolicy };
}

describe("aws-sqs-queue-configure-dead-letter-queue", () => {
    const g = componentGraph();
    const lone = graphResource(SQS_TYPES.queue, "lone", { sqsManagedSseEnabled: true });
    it.each<[string, GraphResource[], StackFinding[]]>([
        ["passes: main queue redrives, the DLQ is referenced by it", [g.dlq, g.main, g.allow], []],
        ["passes: DLQ found through the redrive-allow policy alone", [g.dlq, { ...g.main, dependencyUrns: [] }, g.allow], []],
        ["passes: DLQ found through the main queue's dependency alone", [g.dlq, g.main], []],
        ["passes: DLQ found by ARN (outputs known)", [{ ...g.dlq, props: { ...g.dlq.props, arn: DLQ_ARN } }, { ...g.main, dependencyUrns: [] }], []],
        ["passes: inline redriveAllowPolicy marks a DLQ", [{ ...lone, props: { ...lone.props, redriveAllowPolicy: '{"redrivePermission":"allowAll"}' } }], []],
        [
            "passes: separate aws.sqs.RedrivePolicy resource",
            [
                { ...lone, props: { ...lone.props, url: "https://sqs/lone" } },
                graphResource(SQS_TYPES.redrivePolicy, "lone-redrive", { queueUrl: "https://sqs/lone", redrivePolicy: { deadLetterTargetArn: DLQ_ARN, maxReceiveCount: 3 } }),
                { ...g.dlq, props: { ...g.dlq.props, arn: DLQ_ARN } },
            ],
            [],
        ],
        ["a queue without DLQ", [lone], [{ urn: lone.urn, message: "queue 'lone' has no dead-letter queue: failed messages are retried until they expire" }]],
        [
            "a redrive policy without target",
            [{ ...lone, props: { ...lone.props, redrivePolicy: '{"maxReceiveCount":5}' } }],
            [{ urn: lone.urn, message: "queue 'lone' has a redrive policy without deadLetterTargetArn: failed messages are retried until they expire" }],
        ],
        [
            "main queue's redrive removed: the main queue is reported, the DLQ is still a DLQ through redrive-allow",
            [g.dlq, { ...g.main, props: { sqsManagedSseEnabled: true }, dependencyUrns: [] }, { ...g.allow, dependencyUrns: [g.dlq.urn] }],
            [{ urn: g.main.urn, message: "queue 'jobs-queue' has no dead-letter queue: failed messages are retried until they expire" }],
        ],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(sqsQueueConfigureDeadLetterQueue, resources)).toEqual(expected);
    });
    it("is mandatory in prod only", () => expect(sqsQueueConfigureDeadLetterQueue.level).toBe("mandatory-prod"));

    describe("in the preview of a new stack (values computed from resources not created yet are unknown)", () => {
        // GIVEN the component's graph as a preview shows it: ARNs, URLs and the redrive document unknown
        const unknown = (r: GraphResource, keys: string[]): GraphResource => ({
            ...r,
            props: unknownCheckingProxy({ ...r.props, ...Object.fromEntries(keys.map((k) => [k, UNKNOWN])) }),
        });
        const dlq = unknown(g.dlq, ["arn", "url"]);
        const main = unknown(g.main, ["arn", "url", "redrivePolicy"]);
        const allow = unknown(g.allow, ["queueUrl"]);
        it.each<[string, GraphResource[], StackFinding[]]>([
            ["passes: the main queue's computed redrive policy, the DLQ found through dependencies", [dlq, main, allow], []],
            ["passes: the DLQ found through the redrive-allow policy's dependency alone", [dlq, { ...main, dependencyUrns: [] }, allow], []],
            ["still reports a queue with no redrive policy at all", [unknown(lone, ["arn", "url"])], [{ urn: lone.urn, message: "queue 'lone' has no dead-letter queue: failed messages are retried until they expire" }]],
        ])("%s", (_label, resources, expected) => {
            expect(checkStack(sqsQueueConfigureDeadLetterQueue, resources)).toEqual(expected);
        });
        it("reads a known queue URL by value, and falls back to the dependency only when it is unknown", () => {
            expect(targetsQueue(allow, dlq)).toBe(true);
            expect(targetsQueue({ ...allow, dependencyUrns: [] }, dlq)).toBe(false);
            const known = { ...g.dlq, props: { ...g.dlq.props, url: "https://sqs.eu-west-1.amazonaws.com/111122223333/jobs-dlq" } };
            expect(targetsQueue({ ...g.allow, dependencyUrns: [] }, known)).toBe(true);
            expect(targetsQueue({ ...g.allow, props: { ...g.allow.props, queueUrl: "https://sqs/other" } }, known)).toBe(false);
        });
    });
});

describe("aws-sqs-queue-enforce-tls", () => {
    const g = componentGraph();
    const noTls = (q: GraphResource) => ({ urn: q.urn, message: `queue '${q.name}' has no policy statement denying requests without TLS (aws:SecureTransport false)` });
    const withStatement = (s: Record<string, unknown>) => ({ ...g.mainPolicy, props: { ...g.mainPolicy.props, policy: { Statement: [s] } } });
    it.each<[string, GraphResource[], StackFinding[]]>([
        ["passes: both queues have TLS-only queue policies", [g.dlq, g.main, g.mainPolicy, g.dlqPolicy], []],
        ["passes: inline policy", [{ ...g.main, props: { ...g.main.props, policy: JSON.stringify({ Statement: [tlsDeny] }) } }], []],
        ["passes: BoolIfExists with a boolean false", [g.main, withStatement({ ...tlsDeny, Condition: { BoolIfExists: { "aws:SecureTransport": false } } })], []],
        ["DLQ without policy", [g.dlq, g.main, g.mainPolicy], [noTls(g.dlq)]],
        ["a Deny that is not about TLS", [g.main, withStatement({ ...tlsDeny, Condition: { Bool: { "aws:ViaAWSService": "false" } } })], [noTls(g.main)]],
        ["a TLS Deny of one action only", [g.main, withStatement({ ...tlsDeny, Action: "sqs:SendMessage" })], [noTls(g.main)]],
        ["a TLS Deny for one role only", [g.main, withStatement({ ...tlsDeny, Principal: { AWS: ROLE } })], [noTls(g.main)]],
        ["an Allow with the TLS condition", [g.main, withStatement({ ...tlsDeny, Effect: "Allow" })], [noTls(g.main)]],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(sqsQueueEnforceTls, resources)).toEqual(expected);
    });
});
