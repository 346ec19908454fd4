import { asArray, type ResourceRule } from "@groundwork/policy-kit";
import { EKS_TYPES } from "../shared";

/**
 * The control plane sends its audit log to CloudWatch Logs: `enabledClusterLogTypes` includes `audit`. Not set
 * means no control-plane log at all.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EKS.8, CKV_AWS_37, AWS-0038, AwsSolutions-EKS2.
 */
export const eksClusterEnableAuditLogging: ResourceRule = {
    kind: "resource",
    name: "aws-eks-cluster-enable-audit-logging",
    description: "EKS clusters record the Kubernetes audit log in CloudWatch Logs.",
    controls: ["FSBP EKS.8", "CKV_AWS_37", "AWS-0038", "AwsSolutions-EKS2"],
    severity: "high",
    level: "mandatory",
    remediation: 'Add "audit" (best: all of "api", "audit", "authenticator", "controllerManager", "scheduler") to `enabledClusterLogTypes`.',
    resourceTypes: [EKS_TYPES.cluster],
    check(props) {
        const types = asArray<unknown>(props.enabledClusterLogTypes);
        if (types.length === 0) return ["enabledClusterLogTypes is not set: no control-plane log is recorded, the audit log included"];
        if (!types.includes("audit")) return ['enabledClusterLogTypes does not include "audit": calls to the Kubernetes API are not recorded'];
        return [];
    },
};
