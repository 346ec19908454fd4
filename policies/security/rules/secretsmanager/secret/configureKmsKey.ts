import { isSet, type ResourceRule } from "@groundwork/policy-kit";

/**
 * Secrets Manager secrets are encrypted with a customer-managed KMS key: `kmsKeyId` set and not the AWS-managed
 * `alias/aws/secretsmanager`.
 *
 * Severity: low. Level: advisory.
 * Controls: CKV_AWS_149, AWS-0098.
 */
export const secretConfigureKmsKey: ResourceRule = {
    kind: "resource",
    name: "aws-secretsmanager-secret-configure-kms-key",
    description: "Secrets Manager secrets are encrypted with a customer-managed KMS key.",
    controls: ["CKV_AWS_149", "AWS-0098"],
    severity: "low",
    level: "advisory",
    remediation: "Set `kmsKeyId` to the ARN of a customer-managed key (the Secret component requires `kmsKeyArn`).",
    resourceTypes: ["aws:secretsmanager/secret:Secret"],
    check(props) {
        if (!isSet(props.kmsKeyId)) return ["kmsKeyId is not set: the secret is encrypted with the AWS-managed key aws/secretsmanager"];
        return /(^|:)alias\/aws\/secretsmanager$/.test(props.kmsKeyId) ? ["kmsKeyId is the AWS-managed key aws/secretsmanager, not a customer-managed key"] : [];
    },
};
