/**
 * Kubeconfig of a cluster that authenticates with `aws eks get-token` (the AWS CLI must be on PATH where
 * the kubeconfig is used; no long-lived token is ever written). Pure, so the document is tested.
 */

/** What {@link renderKubeconfig} needs, resolved. */
export interface KubeconfigInput {
    /** EKS cluster name. */
    clusterName: string;
    /** API server endpoint (`https://...`). */
    endpoint: string;
    /** Base64 certificate authority data of the cluster. */
    certificateAuthority: string;
    /** Region of the cluster (passed to `aws eks get-token`). */
    region: string;
    /** Role to assume for the token (`--role-arn`); the ambient credentials when omitted. */
    roleArn?: string;
}

/** Renders the kubeconfig as a JSON string (valid YAML, accepted by kubectl and the Kubernetes provider). */
export function renderKubeconfig(i: KubeconfigInput): string {
    const args = ["eks", "get-token", "--cluster-name", i.clusterName, "--region", i.region, "--output", "json"];
    if (i.roleArn) args.push("--role-arn", i.roleArn);
    return JSON.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: i.clusterName, cluster: { server: i.endpoint, "certificate-authority-data": i.certificateAuthority } }],
        contexts: [{ name: i.clusterName, context: { cluster: i.clusterName, user: i.clusterName } }],
        "current-context": i.clusterName,
        preferences: {},
        users: [
            {
                name: i.clusterName,
                user: {
                    exec: {
                        apiVersion: "client.authentication.k8s.io/v1beta1",
                        command: "aws",
                        args,
                        interactiveMode: "Never",
                        provideClusterInfo: false,
                    },
                },
            },
        ],
    });
}
