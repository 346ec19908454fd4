import type { ResourceRule } from "@groundwork/policy-kit";

/** Key specs AWS can rotate automatically (symmetric encryption keys only). */
const ROTATABLE_SPEC = "SYMMETRIC_DEFAULT";

/**
 * Customer-managed KMS keys rotate automatically: `enableKeyRotation: true` (unset means off). Keys AWS cannot
 * rotate are not applicable and pass: asymmetric or HMAC keys (`customerMasterKeySpec` other than
 * `SYMMETRIC_DEFAULT`, `keyUsage` other than `ENCRYPT_DECRYPT`) and keys in a custom key store.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP KMS.4, CIS 3.6, CKV_AWS_7, AWS-0065, AwsSolutions-KMS5.
 */
export const kmsKeyEnableRotation: ResourceRule = {
    kind: "resource",
    name: "aws-kms-key-enable-rotation",
    description: "Symmetric customer-managed KMS keys have automatic rotation enabled.",
    controls: ["FSBP KMS.4", "CIS 3.6", "CKV_AWS_7", "AWS-0065", "AwsSolutions-KMS5"],
    severity: "medium",
    level: "mandatory",
    remediation: "Set `enableKeyRotation: true` on the key (optionally `rotationPeriodInDays`, 90-2560).",
    resourceTypes: ["aws:kms/key:Key"],
    check(props) {
        const spec = props.customerMasterKeySpec;
        const usage = props.keyUsage;
        if (spec !== undefined && spec !== null && spec !== ROTATABLE_SPEC) return [];
        if (usage !== undefined && usage !== null && usage !== "ENCRYPT_DECRYPT") return [];
        if (props.customKeyStoreId) return [];
        if (props.enableKeyRotation === true || props.enableKeyRotation === "true") return [];
        if (props.enableKeyRotation === undefined || props.enableKeyRotation === null) return ["enableKeyRotation is not set: the key is never rotated"];
        return [`enableKeyRotation is ${JSON.stringify(props.enableKeyRotation)}: the key is never rotated`];
    },
};
