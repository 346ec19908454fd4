import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, Transform } from "../base";
import { AMBIENT_DATAPLANE_LABEL, strictPeerAuthentication } from "../mesh/constants";
import { isK8sName } from "./args";
import { DEFAULT_DENY_SPEC } from "./manifests";
import { dependsOnList } from "./options";

/** Arguments of {@link NamespaceIsolation}. */
export interface NamespaceIsolationArgs extends BaseArgs {
    /**
     * The Kubernetes provider of the target cluster (`Cluster.provider`).
     * @default - required
     */
    readonly provider: kubernetes.Provider;
    /**
     * Name of the namespace (a plain string: workloads and IRSA trust policies pin it).
     * @default - required
     */
    readonly namespace: string;
    /**
     * Create the namespace (labelled for Pod Security Admission `restricted`: enforce, audit and warn). False for a
     * namespace that exists already; the default-deny policy is created either way.
     * @default true
     */
    readonly createNamespace?: boolean;
    /**
     * Enroll the namespace in the ambient mesh: the `istio.io/dataplane-mode: ambient` label on the Namespace (with
     * `createNamespace`) and a namespace-wide STRICT PeerAuthentication, so ztunnel refuses every plaintext
     * connection to its pods (the kubelet's probes excepted). Needs the mesh installed first (`Mesh.crds` in
     * `dependsOn`).
     * @default false
     */
    readonly mesh?: boolean;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: NamespaceIsolationTransforms;
}

/** Per-child {@link Transform}s of a {@link NamespaceIsolation}. */
export interface NamespaceIsolationTransforms {
    /** The Namespace (its Pod Security Admission labels are `metadata.labels`), with `createNamespace`. */
    readonly namespace?: Transform<kubernetes.core.v1.NamespaceArgs>;
    /** The default-deny NetworkPolicy. */
    readonly defaultDenyPolicy?: Transform<kubernetes.networking.v1.NetworkPolicyArgs>;
    /** The STRICT PeerAuthentication, with `mesh`. */
    readonly peerAuthentication?: Transform<kubernetes.apiextensions.CustomResourceArgs>;
}

/** Pod Security Admission labels: the `restricted` profile enforced, audited and warned. */
export const POD_SECURITY_LABELS: Record<string, string> = {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/warn": "restricted",
};

/**
 * A namespace that denies by default: (optionally) the Namespace with Pod Security Admission `restricted`, and a
 * NetworkPolicy selecting every pod with no rules (ingress and egress denied). Workloads add their own allow
 * policies ({@link Service} does). With `mesh`, the namespace is enrolled in the ambient mesh with STRICT mutual TLS.
 * Create one per namespace and pass it in the workloads' `dependsOn`.
 */
export class NamespaceIsolation extends GroundworkComponent {
    /** Name of the namespace. */
    public readonly namespace: pulumi.Output<string>;
    /** Name of the default-deny NetworkPolicy. */
    public readonly defaultDenyPolicyName: pulumi.Output<string>;

    constructor(name: string, args: NamespaceIsolationArgs, opts?: pulumi.ComponentResourceOptions) {
        super("service", "NamespaceIsolation", name, args, opts);
        const who = `NamespaceIsolation '${name}'`;
        const create = args.createNamespace ?? true;
        const mesh = args.mesh ?? false;
        if (!args.provider) throw new ArgumentError(who, "provider", "no Kubernetes provider is given", "pass the cluster's provider (Cluster.provider)");
        if (!isK8sName(args.namespace)) {
            throw new ArgumentError(who, "namespace", `'${String(args.namespace)}' is not a Kubernetes name`, "use lower-case letters, digits and '-', at most 63 characters");
        }
        if (["kube-system", "kube-public", "kube-node-lease"].includes(args.namespace)) {
            throw new ArgumentError(who, "namespace", `'${args.namespace}' is a system namespace, where a default deny breaks the cluster`, "isolate an application namespace");
        }

        // Children carry the component's dependsOn explicitly (it is not inherited in the engine's ordering).
        const inherited = dependsOnList(opts?.dependsOn);
        const k8s = (extra?: pulumi.CustomResourceOptions) => this.childOpts({ provider: args.provider, ...extra, dependsOn: [...inherited, ...dependsOnList(extra?.dependsOn)] });
        const labels = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": pulumi.getProject() };
        const t = args.transform ?? {};
        const ns = create
            ? new kubernetes.core.v1.Namespace(...applyTransform(t.namespace, this.childName("ns"), { metadata: { name: args.namespace, labels: { ...labels, ...POD_SECURITY_LABELS, ...(mesh ? AMBIENT_DATAPLANE_LABEL : {}) } } }, k8s()))
            : undefined;
        const deny = new kubernetes.networking.v1.NetworkPolicy(
            ...applyTransform(
                t.defaultDenyPolicy,
                this.childName("default-deny"),
                { metadata: { name: "default-deny", namespace: args.namespace, labels }, spec: DEFAULT_DENY_SPEC },
                k8s(ns ? { dependsOn: [ns] } : undefined),
            ),
        );

        if (mesh) {
            new kubernetes.apiextensions.CustomResource(
                ...applyTransform(
                    t.peerAuthentication,
                    this.childName("mtls-strict"),
                    strictPeerAuthentication(args.namespace, labels) as kubernetes.apiextensions.CustomResourceArgs,
                    k8s(ns ? { dependsOn: [ns] } : undefined),
                ),
            );
        }

        this.namespace = ns ? ns.metadata.name : pulumi.output(args.namespace);
        this.defaultDenyPolicyName = deny.metadata.name;
        this.registerOutputs({ namespace: this.namespace, defaultDenyPolicyName: this.defaultDenyPolicyName });
    }
}
