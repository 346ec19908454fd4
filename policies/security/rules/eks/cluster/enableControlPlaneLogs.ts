import { asArray, type ResourceRule } from "@groundwork/policy-kit";
import { CONTROL_PLANE_LOG_TYPES, EKS_TYPES } from "../shared";

/**
 * All five control-plane log types are recorded (audit is the minimum; all five are recommended).
 * The audit log itself is enforced by `aws-eks-cluster-enable-audit-logging`; this advisory rule names the
 * other missing types.
 *
 * Severity: low. Level: advisory.
 * Controls: FSBP EKS.8, CKV_AWS_37, AWS-0038, AwsSolutions-EKS2.
 */
export const eksClusterEnableControlPlaneLogs: ResourceRule = {
    kind: "resource",
    name: "aws-eks-cluster-enable-control-plane-logs",
    description: "EKS clusters record all five control-plane log types (api, audit, authenticator, controllerManager, scheduler).",
    controls: ["FSBP EKS.8", "CKV_AWS_37", "AWS-0038", "AwsSolutions-EKS2"],
    severity: "low",
    level: "advisory",
    remediation: 'Set `enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"]`.',
    resourceTypes: [EKS_TYPES.cluster],
    check(props) {
        const types = asArray<unknown>(props.enabledClusterLogTypes);
        const missing = CONTROL_PLANE_LOG_TYPES.filter((t) => t !== "audit" && !types.includes(t));
        return missing.length === 0 ? [] : [`enabledClusterLogTypes lacks ${missing.join(", ")}: those control-plane logs are not recorded`];
    },
};
