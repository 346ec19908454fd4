import { KMS_SERVICE_ACTIONS, type KmsKeyPolicyDocument } from "../secrets/kmsKey";

/**
 * The key policy of the cluster's customer-managed KMS key. Pure, so the exact document is tested.
 *
 * The account root is the only administrative principal (IAM policies in the account then decide who may use
 * the key: the cluster role gets an inline policy naming this key). Two AWS services that cannot use IAM
 * policies of this account get narrowly conditioned statements, never a wildcard principal:
 * - CloudWatch Logs (`logs.<region>.amazonaws.com`) may encrypt only the cluster's control-plane log group
 *   (`kms:EncryptionContext:aws:logs:arn`).
 * - The EC2 Auto Scaling service-linked role launches the managed node groups' instances, whose root volumes
 *   are encrypted with this key; it may use the key and create grants only for AWS resources. KMS rejects a key
 *   policy whose principal does not exist, and that role only exists after the account's first Auto Scaling group
 *   (which EKS creates after this key), so the role is named in a condition (`aws:PrincipalArn`) on the account
 *   principal, which KMS does not resolve when the policy is set.
 */

/** What {@link clusterKeyPolicy} needs, resolved. */
export interface ClusterKeyPolicyInput {
    /** AWS partition (`aws`). */
    partition: string;
    /** Account id. */
    accountId: string;
    /** Region of the cluster. */
    region: string;
    /** The control-plane log group name, `/aws/eks/<cluster>/cluster`. */
    logGroupName: string;
}

/** ARN of the EC2 Auto Scaling service-linked role (created on the account's first Auto Scaling group). */
export function autoscalingServiceRoleArn(partition: string, accountId: string): string {
    return `arn:${partition}:iam::${accountId}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
}

/** Builds the key policy document. */
export function clusterKeyPolicy(i: ClusterKeyPolicyInput): KmsKeyPolicyDocument {
    const root = `arn:${i.partition}:iam::${i.accountId}:root`;
    const slr = autoscalingServiceRoleArn(i.partition, i.accountId);
    const useKey = [...KMS_SERVICE_ACTIONS];
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountRootAdministers",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchLogsControlPlaneLogGroup",
                Effect: "Allow",
                Principal: { Service: `logs.${i.region}.amazonaws.com` },
                Action: useKey,
                Resource: "*",
                Condition: {
                    ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:${i.partition}:logs:${i.region}:${i.accountId}:log-group:${i.logGroupName}` },
                },
            },
            {
                Sid: "AutoScalingEncryptsNodeVolumes",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: useKey,
                Resource: "*",
                Condition: { ArnEquals: { "aws:PrincipalArn": slr } },
            },
            {
                Sid: "AutoScalingGrantsForAwsResources",
                Effect: "Allow",
                Principal: { AWS: root },
                Action: "kms:CreateGrant",
                Resource: "*",
                Condition: { ArnEquals: { "aws:PrincipalArn": slr }, Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
        ],
    };
}
