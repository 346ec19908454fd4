/**
 * AWS-managed policies a workload role may carry. Each is attached only to the one add-on that needs it,
 * never to a node role or an application workload. The policy pack keeps the same list
 * (`policies/security/rules/eks/allowLists.ts`); a test keeps the two in step.
 */
export const AWS_MANAGED_WORKLOAD_POLICIES = {
    /** VPC CNI (`aws-node`): assigns ENIs and secondary IPs; AWS scopes it to `*` by design. */
    AmazonEKS_CNI_Policy: "AmazonEKS_CNI_Policy",
    /** EBS CSI controller: creates, attaches and deletes EBS volumes, tag-scoped by AWS. */
    AmazonEBSCSIDriverPolicy: "service-role/AmazonEBSCSIDriverPolicy",
} as const;

/** Name of an AWS-managed policy on the {@link AWS_MANAGED_WORKLOAD_POLICIES} allow-list. */
export type AwsManagedWorkloadPolicy = keyof typeof AWS_MANAGED_WORKLOAD_POLICIES;

/** ARN of an allow-listed AWS-managed policy in a partition (`aws`, `aws-cn`, `aws-us-gov`). Pure. */
export function awsManagedPolicyArn(partition: string, policy: AwsManagedWorkloadPolicy): string {
    return `arn:${partition}:iam::aws:policy/${AWS_MANAGED_WORKLOAD_POLICIES[policy]}`;
}
