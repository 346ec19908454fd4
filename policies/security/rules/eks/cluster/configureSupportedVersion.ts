import { isSet, type ResourceRule } from "@groundwork/policy-kit";
import { EKS_TYPES, SUPPORTED_EKS_VERSIONS } from "../shared";

/**
 * The cluster pins a Kubernetes version that EKS still supports (standard or extended support; list in
 * rules/eks/shared.ts, updated with each EKS release). Not set means AWS picks one at creation and upgrades
 * happen without review.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EKS.2, CKV_AWS_339.
 */
export const eksClusterConfigureSupportedVersion: ResourceRule = {
    kind: "resource",
    name: "aws-eks-cluster-configure-supported-version",
    description: "EKS clusters pin a Kubernetes version that EKS supports.",
    controls: ["FSBP EKS.2", "CKV_AWS_339"],
    severity: "high",
    level: "mandatory",
    remediation: `Set \`version\` to a supported minor version (${SUPPORTED_EKS_VERSIONS.join(", ")}), upgrading one minor at a time.`,
    resourceTypes: [EKS_TYPES.cluster],
    check(props) {
        if (!isSet(props.version)) return ["version is not set: the Kubernetes version is whatever AWS picks at creation"];
        if (!SUPPORTED_EKS_VERSIONS.includes(props.version)) {
            return [`version "${props.version}" is not a Kubernetes version EKS supports (supported: ${SUPPORTED_EKS_VERSIONS.join(", ")})`];
        }
        return [];
    },
};
