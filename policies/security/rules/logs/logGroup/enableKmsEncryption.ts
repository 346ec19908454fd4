import { isSet, type ResourceRule } from "@groundwork/policy-kit";

/**
 * Log groups are encrypted with a customer-managed KMS key (`kmsKeyId`), so access to the logs can be
 * governed and audited through the key policy.
 *
 * Severity: low. Level: advisory.
 * Controls: CKV_AWS_158, AWS-0017.
 */
export const logGroupEnableKmsEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-logs-loggroup-enable-kms-encryption",
    description: "CloudWatch log groups are encrypted with a customer-managed KMS key.",
    controls: ["CKV_AWS_158", "AWS-0017"],
    severity: "low",
    level: "advisory",
    remediation: "Set `kmsKeyId` to the ARN of a customer-managed key whose policy allows `logs.<region>.amazonaws.com`.",
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    check(props) {
        return isSet(props.kmsKeyId) ? [] : ["kmsKeyId is not set: the log group is encrypted only with CloudWatch Logs' own key"];
    },
};
