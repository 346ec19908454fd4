import { asArray, type ResourceRule } from "@groundwork/policy-kit";

/** True for the ARN of AWS's AdministratorAccess managed policy, in any partition. */
export function isAdministratorAccess(arn: unknown): boolean {
    return typeof arn === "string" && /^arn:[a-z-]+:iam::aws:policy\/AdministratorAccess$/.test(arn);
}

/**
 * The AWS-managed AdministratorAccess policy is attached to no role, user or group: RolePolicyAttachment,
 * PolicyAttachment, UserPolicyAttachment and GroupPolicyAttachment `policyArn`, and Role `managedPolicyArns`.
 *
 * Severity: critical. Level: mandatory.
 * Controls: CIS 1.15, CKV_AWS_274, AwsSolutions-IAM5.
 */
export const iamAttachmentDisallowAdministratorAccess: ResourceRule = {
    kind: "resource",
    name: "aws-iam-attachment-disallow-administrator-access",
    description: "The AdministratorAccess managed policy is not attached to roles, users or groups.",
    controls: ["CIS 1.15", "CKV_AWS_274", "AwsSolutions-IAM5"],
    severity: "critical",
    level: "mandatory",
    remediation: "Attach a policy that grants the exact actions on the exact ARNs needed instead of AdministratorAccess.",
    resourceTypes: [
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws:iam/policyAttachment:PolicyAttachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        "aws:iam/role:Role",
    ],
    check(props, ctx) {
        if (ctx.type === "aws:iam/role:Role") {
            return asArray<unknown>(props.managedPolicyArns).some(isAdministratorAccess) ? ["managedPolicyArns includes AdministratorAccess: full administrator access"] : [];
        }
        return isAdministratorAccess(props.policyArn) ? ["policyArn is AdministratorAccess: full administrator access"] : [];
    },
};
