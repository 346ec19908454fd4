import { setOrUnknown } from "@groundwork/policy-kit";
import { asArray, type ResourceRule } from "@groundwork/policy-kit";
import { EKS_TYPES } from "../shared";

/**
 * Kubernetes secrets are envelope-encrypted with a KMS key: `encryptionConfig.resources` includes `secrets`
 * and `encryptionConfig.provider.keyArn` is set. Not set means secrets are stored in etcd with EKS's default
 * encryption only.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EKS.3, CKV_AWS_58, AWS-0039.
 */
export const eksClusterEnableSecretsEncryption: ResourceRule = {
    kind: "resource",
    name: "aws-eks-cluster-enable-secrets-encryption",
    description: "EKS clusters envelope-encrypt Kubernetes secrets with a KMS key.",
    controls: ["FSBP EKS.3", "CKV_AWS_58", "AWS-0039"],
    severity: "high",
    level: "mandatory",
    remediation: 'Set `encryptionConfig: { resources: ["secrets"], provider: { keyArn: <customer-managed KMS key ARN> } }`.',
    resourceTypes: [EKS_TYPES.cluster],
    check(props) {
        const configs = asArray<any>(props.encryptionConfig);
        if (configs.length === 0) return ["encryptionConfig is not set: Kubernetes secrets are not envelope-encrypted with KMS"];
        const forSecrets = configs.find((c) => asArray<unknown>(c?.resources).includes("secrets"));
        if (!forSecrets) return ['encryptionConfig.resources does not include "secrets": Kubernetes secrets are not envelope-encrypted with KMS'];
        // A key ARN unknown during preview is the ARN of a key created in the same update: set, and judged
        // again on its value before the cluster is created.
        if (!setOrUnknown(forSecrets.provider, "keyArn")) return ["encryptionConfig.provider.keyArn is not set: no KMS key encrypts the secrets"];
        return [];
    },
};
