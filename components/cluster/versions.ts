/**
 * Kubernetes versions and pinned add-on versions. One place to bump on each EKS release; the policy pack
 * keeps its own copy of the version list (`policies/security/rules/eks/cluster/versions.ts`) and a test
 * keeps the two equal.
 *
 * Source: the Amazon EKS Kubernetes release calendar
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html), checked 2026-11-25:
 * 1.35 standard support until 2027-03-27; 1.34 until 2026-12-02; 1.33 and 1.32 are in extended support
 * (extra cost per cluster hour) until 2027-07-29 and 2027-03-23. 1.31 leaves extended support on 2026-11-26
 * and is not accepted.
 */

/** One Kubernetes minor version EKS supports, with its support dates (ISO dates). */
export interface KubernetesVersionSupport {
    /** Minor version, e.g. `1.35`. */
    version: string;
    /** Last day of standard support. */
    standardSupportUntil: string;
    /** Last day of extended support (paid). */
    extendedSupportUntil: string;
}

/** Kubernetes versions a Groundwork cluster may run, newest first. */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly KubernetesVersionSupport[] = [
    { version: "1.35", standardSupportUntil: "2027-03-27", extendedSupportUntil: "2028-03-27" },
    { version: "1.34", standardSupportUntil: "2026-12-02", extendedSupportUntil: "2027-12-02" },
    { version: "1.33", standardSupportUntil: "2026-07-29", extendedSupportUntil: "2027-07-29" },
    { version: "1.32", standardSupportUntil: "2026-03-23", extendedSupportUntil: "2027-03-23" },
];

/** Default Kubernetes version: the newest in standard support. */
export const DEFAULT_KUBERNETES_VERSION = "1.35";

/** Managed EKS add-ons the cluster installs. */
export type ManagedAddonName = "vpc-cni" | "coredns" | "kube-proxy" | "eks-pod-identity-agent" | "aws-ebs-csi-driver";

/**
 * Pinned add-on versions per Kubernetes version (`aws eks describe-addon-versions --kubernetes-version <v>
 * --addon-name <a>`). kube-proxy and coredns follow the Kubernetes minor; the others span several.
 * Override per cluster with `ClusterArgs.addonVersions` when AWS publishes a fix.
 */
export const ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<ManagedAddonName, string>>>> = {
    "1.35": {
        "vpc-cni": "v1.21.1-eksbuild.1",
        coredns: "v1.13.1-eksbuild.1",
        "kube-proxy": "v1.35.0-eksbuild.2",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
        "aws-ebs-csi-driver": "v1.53.0-eksbuild.1",
    },
    "1.34": {
        "vpc-cni": "v1.21.1-eksbuild.1",
        coredns: "v1.12.4-eksbuild.1",
        "kube-proxy": "v1.34.1-eksbuild.2",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
        "aws-ebs-csi-driver": "v1.53.0-eksbuild.1",
    },
    "1.33": {
        "vpc-cni": "v1.21.1-eksbuild.1",
        coredns: "v1.12.1-eksbuild.2",
        "kube-proxy": "v1.33.5-eksbuild.2",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
        "aws-ebs-csi-driver": "v1.53.0-eksbuild.1",
    },
    "1.32": {
        "vpc-cni": "v1.21.1-eksbuild.1",
        coredns: "v1.11.4-eksbuild.24",
        "kube-proxy": "v1.32.9-eksbuild.2",
        "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
        "aws-ebs-csi-driver": "v1.53.0-eksbuild.1",
    },
};
