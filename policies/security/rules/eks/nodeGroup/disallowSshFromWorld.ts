import { asArray, isSet, type ResourceRule } from "@groundwork/policy-kit";
import { EKS_TYPES } from "../shared";

/**
 * Managed node groups do not open SSH to the world: `remoteAccess.ec2SshKey` without
 * `remoteAccess.sourceSecurityGroupIds` makes EKS open port 22 to 0.0.0.0/0 on every node.
 *
 * Severity: high. Level: mandatory.
 * Controls: CKV_AWS_100.
 */
export const eksNodeGroupDisallowSshFromWorld: ResourceRule = {
    kind: "resource",
    name: "aws-eks-nodegroup-disallow-ssh-from-world",
    description: "EKS managed node groups do not allow SSH from 0.0.0.0/0.",
    controls: ["CKV_AWS_100"],
    severity: "high",
    level: "mandatory",
    remediation: "Remove `remoteAccess` (use SSM Session Manager), or restrict it with `remoteAccess.sourceSecurityGroupIds`.",
    resourceTypes: [EKS_TYPES.nodeGroup],
    check(props) {
        const ra = props.remoteAccess;
        if (!ra || !isSet(ra.ec2SshKey)) return [];
        if (asArray<unknown>(ra.sourceSecurityGroupIds).length > 0) return [];
        return ["remoteAccess.ec2SshKey is set without sourceSecurityGroupIds: SSH (22) is open to 0.0.0.0/0 on every node"];
    },
};
