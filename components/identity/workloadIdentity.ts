import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, Transform } from "../base";
import { AwsManagedWorkloadPolicy, AWS_MANAGED_WORKLOAD_POLICIES, awsManagedPolicyArn } from "./managedPolicies";
import { buildPolicyDocument, Grantable, policyJson, StatementInput } from "./statements";
import { irsaTrustPolicy, podIdentityTrustPolicy, stripIssuerScheme } from "./trust";

/** How the pod obtains the role. */
export type WorkloadIdentityMode = "irsa" | "podIdentity";

/** Arguments of {@link WorkloadIdentity}. */
export interface WorkloadIdentityArgs extends BaseArgs {
    /**
     * `irsa`: IAM Roles for Service Accounts (trust on the cluster's OIDC provider, pinned `:sub` and `:aud`).
     * `podIdentity`: EKS Pod Identity (trust on `pods.eks.amazonaws.com` plus a PodIdentityAssociation).
     * @default "irsa"
     */
    readonly mode?: WorkloadIdentityMode;
    /**
     * Kubernetes namespace of the service account (a plain string: it is pinned in the trust policy).
     * @default - required
     */
    readonly namespace: string;
    /**
     * Name of the Kubernetes service account (a plain string: it is pinned in the trust policy).
     * @default - required
     */
    readonly serviceAccountName: string;
    /**
     * ARN of the cluster's IAM OIDC provider (`Cluster.oidcProviderArn`). Required in `irsa` mode.
     * @default - none
     */
    readonly oidcProviderArn?: pulumi.Input<string>;
    /**
     * The cluster's OIDC issuer, with or without `https://` (`Cluster.oidcIssuer`). Required in `irsa` mode.
     * @default - none
     */
    readonly oidcIssuer?: pulumi.Input<string>;
    /**
     * Name of the EKS cluster. Required in `podIdentity` mode (the association is made on it).
     * @default - none
     */
    readonly clusterName?: pulumi.Input<string>;
    /**
     * When given, the Kubernetes ServiceAccount is created through this provider (annotated with the role
     * ARN in `irsa` mode). When omitted, the chart or app that owns the service account creates it.
     * @default - no ServiceAccount is created
     */
    readonly kubernetesProvider?: kubernetes.Provider;
    /**
     * `automountServiceAccountToken` of the created ServiceAccount. IRSA and Pod Identity mount their own
     * projected token, so the Kubernetes API token is only needed by pods that call the Kubernetes API.
     * @default false
     */
    readonly automountServiceAccountToken?: boolean;
    /**
     * Description of the IAM role.
     * @default - `Workload identity for <namespace>/<serviceAccountName>`
     */
    readonly description?: string;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: WorkloadIdentityTransforms;
}

/** Per-child {@link Transform}s of a {@link WorkloadIdentity}. */
export interface WorkloadIdentityTransforms {
    /** The IAM role (its trust policy is `assumeRolePolicy`). */
    readonly role?: Transform<aws.iam.RoleArgs>;
    /** The Pod Identity association, in `podIdentity` mode. */
    readonly podIdentityAssociation?: Transform<aws.eks.PodIdentityAssociationArgs>;
    /** The ServiceAccount, with `kubernetesProvider`. */
    readonly serviceAccount?: Transform<kubernetes.core.v1.ServiceAccountArgs>;
}

const GRANT_NAME = /^[a-z0-9][a-z0-9-]{0,63}$/;

/**
 * An IAM role for exactly one Kubernetes service account, with no permissions until resources grant them
 * (`queue.grantConsume(identity)` calls {@link WorkloadIdentity.addStatements}). Each grant becomes one
 * inline policy `${name}-${grantName}` whose statements name exact ARNs.
 */
export class WorkloadIdentity extends GroundworkComponent implements Grantable {
    /** ARN of the workload's IAM role. */
    public readonly roleArn: pulumi.Output<string>;
    /** Name of the workload's IAM role. */
    public readonly roleName: pulumi.Output<string>;
    /** Name of the Kubernetes service account the role is bound to. */
    public readonly serviceAccountName: pulumi.Output<string>;
    /** Namespace of the Kubernetes service account the role is bound to. */
    public readonly namespace: pulumi.Output<string>;
    /** How the role is obtained (`irsa` or `podIdentity`). */
    public readonly mode: WorkloadIdentityMode;
    /** The created ServiceAccount, when a Kubernetes provider was given. */
    public readonly serviceAccount?: kubernetes.core.v1.ServiceAccount;

    private readonly role: aws.iam.Role;
    private readonly grants = new Set<string>();
    private readonly who: string;

    constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
        super("identity", "WorkloadIdentity", name, args, opts);
        const who = `WorkloadIdentity '${name}'`;
        this.who = who;

        // Defaults.
        const mode = args.mode ?? "irsa";
        const automount = args.automountServiceAccountToken ?? false;
        const description = args.description ?? `Workload identity for ${args.namespace}/${args.serviceAccountName}`;

        // Validation (before any resource).
        if (mode !== "irsa" && mode !== "podIdentity") {
            throw new ArgumentError(who, "mode", `'${mode as string}' is not a mode`, "use 'irsa' or 'podIdentity'");
        }
        validateK8sName(who, "namespace", args.namespace);
        validateK8sName(who, "serviceAccountName", args.serviceAccountName);
        if (mode === "irsa" && (args.oidcProviderArn === undefined || args.oidcIssuer === undefined)) {
            throw new ArgumentError(who, "oidcProviderArn", "irsa mode needs the cluster's OIDC provider ARN and issuer", "pass cluster.oidcProviderArn and cluster.oidcIssuer, or use mode 'podIdentity'");
        }
        if (mode === "podIdentity" && args.clusterName === undefined) {
            throw new ArgumentError(who, "clusterName", "podIdentity mode needs the cluster to associate with", "pass cluster.clusterName");
        }

        // Resources.
        const trust =
            mode === "irsa"
                ? pulumi.all([args.oidcProviderArn!, args.oidcIssuer!]).apply(([arn, issuer]) =>
                      JSON.stringify(
                          irsaTrustPolicy({
                              oidcProviderArn: arn,
                              oidcIssuer: stripIssuerScheme(issuer),
                              namespace: args.namespace,
                              serviceAccount: args.serviceAccountName,
                          }),
                      ),
                  )
                : aws.getCallerIdentityOutput({}, { parent: this }).accountId.apply((account) => JSON.stringify(podIdentityTrustPolicy(account)));

        const t = args.transform ?? {};
        this.role = new aws.iam.Role(
            ...applyTransform(
                t.role,
                this.childName("role"),
                { description, assumeRolePolicy: trust, maxSessionDuration: 3600, tags: this.childTags("role") },
                this.childOpts(),
            ),
        );
        this.mode = mode;
        this.roleArn = this.role.arn;
        this.roleName = this.role.name;
        this.namespace = pulumi.output(args.namespace);
        this.serviceAccountName = pulumi.output(args.serviceAccountName);

        if (mode === "podIdentity") {
            new aws.eks.PodIdentityAssociation(
                ...applyTransform(
                    t.podIdentityAssociation,
                    this.childName("association"),
                    {
                        clusterName: args.clusterName!,
                        namespace: args.namespace,
                        serviceAccount: args.serviceAccountName,
                        roleArn: this.role.arn,
                        tags: this.childTags("association"),
                    },
                    this.childOpts(),
                ),
            );
        }

        if (args.kubernetesProvider) {
            this.serviceAccount = new kubernetes.core.v1.ServiceAccount(
                ...applyTransform(
                    t.serviceAccount,
                    this.childName("sa"),
                    {
                        metadata: {
                            name: args.serviceAccountName,
                            namespace: args.namespace,
                            labels: { "app.kubernetes.io/managed-by": "groundwork" },
                            annotations: mode === "irsa" ? { "eks.amazonaws.com/role-arn": this.role.arn } : {},
                        },
                        automountServiceAccountToken: automount,
                    },
                    this.childOpts({ provider: args.kubernetesProvider }),
                ),
            );
        }

        this.registerOutputs({
            roleArn: this.roleArn,
            roleName: this.roleName,
            namespace: this.namespace,
            serviceAccountName: this.serviceAccountName,
        });
    }

    /**
     * Adds one inline policy `${name}-${grantName}` holding the statements, scoped to exact ARNs.
     * Wildcard actions and `Resource: "*"` on scopable actions are refused here, synchronously, with the
     * builder's message (literal resources are checked now; output ARNs again when they resolve).
     */
    public addStatements(grantName: string, statements: StatementInput[]): void {
        if (!GRANT_NAME.test(grantName)) {
            throw new ArgumentError(this.who, "grantName", `'${grantName}' is not lower-case letters, digits and '-'`, "name the grant like 'jobs-consume'");
        }
        if (this.grants.has(grantName)) {
            throw new ArgumentError(this.who, "grantName", `grant '${grantName}' is added twice`, "give each grant a distinct name");
        }
        // Fail fast: check the statements with every not-yet-known ARN replaced by a placeholder ARN.
        buildPolicyDocument(
            statements.map((s) => ({
                ...s,
                resources: s.resources.map((r) => (typeof r === "string" ? r : "arn:aws:placeholder:::resolved-later")),
            })),
        );
        this.grants.add(grantName);
        new aws.iam.RolePolicy(this.childName(grantName), { role: this.role.name, policy: policyJson(statements) }, this.childOpts());
    }

    /**
     * Attaches an AWS-managed policy from the documented allow-list ({@link AWS_MANAGED_WORKLOAD_POLICIES}):
     * for AWS add-ons whose permissions AWS maintains (VPC CNI, EBS CSI driver).
     */
    public attachAwsManagedPolicy(policy: AwsManagedWorkloadPolicy, partition: pulumi.Input<string> = "aws"): void {
        if (!(policy in AWS_MANAGED_WORKLOAD_POLICIES)) {
            throw new ArgumentError(this.who, "policy", `'${policy as string}' is not on the allow-list`, `use one of ${Object.keys(AWS_MANAGED_WORKLOAD_POLICIES).join(", ")} or grant exact statements`);
        }
        new aws.iam.RolePolicyAttachment(
            this.childName(`managed-${policy.toLowerCase().replace(/_/g, "-")}`),
            { role: this.role.name, policyArn: pulumi.output(partition).apply((p) => awsManagedPolicyArn(p, policy)) },
            this.childOpts(),
        );
    }
}

function validateK8sName(who: string, field: string, value: string): void {
    if (typeof value !== "string" || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(value) || value.length > 63) {
        throw new ArgumentError(who, field, `'${String(value)}' is not a Kubernetes name`, "use lower-case letters, digits and '-', at most 63 characters, no wildcards");
    }
}
