import { isSet, type ResourceRule } from "@groundwork/policy-kit";

/**
 * SQS queues set server-side encryption explicitly: `kmsMasterKeyId` (SSE-KMS) or `sqsManagedSseEnabled: true`
 * (SSE-SQS). Unset is reported: the encryption of a queue is stated, not left to a changing default.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP SQS.1, CKV_AWS_27, AWS-0096, AwsSolutions-SQS2.
 */
export const sqsQueueEnableEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-sqs-queue-enable-encryption",
    description: "SQS queues have server-side encryption set explicitly (SSE-KMS or SSE-SQS).",
    controls: ["FSBP SQS.1", "CKV_AWS_27", "AWS-0096", "AwsSolutions-SQS2"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `kmsMasterKeyId` to a KMS key, or `sqsManagedSseEnabled: true`.",
    resourceTypes: ["aws:sqs/queue:Queue"],
    check(props) {
        if (isSet(props.kmsMasterKeyId)) return [];
        const v = props.sqsManagedSseEnabled;
        if (v === true || v === "true") return [];
        if (v === false || v === "false") return ["sqsManagedSseEnabled is false and kmsMasterKeyId is not set: messages are not encrypted at rest"];
        return ["neither kmsMasterKeyId nor sqsManagedSseEnabled is set: encryption is not set explicitly"];
    },
};
