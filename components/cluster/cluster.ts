import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, LOG_RETENTION_DAYS, statefulOptions, Transform } from "../base";
import { declareAlarms, type AlarmOptions, type AlarmSpec, type AlarmTarget, type Observable } from "../observe/alarms";
import { clusterAlarmSpecs } from "./alarms";
import { WorkloadIdentity } from "../identity/workloadIdentity";
import { KmsKey, KmsKeyTransforms } from "../secrets/kmsKey";
import { IRSA_AUDIENCE, stripIssuerScheme } from "../identity/trust";
import { ADDONS_AFTER_NODES, ADDONS_BEFORE_NODES, createManagedAddon, VPC_CNI_CONFIGURATION } from "./addons";
import { clusterKeyPolicy } from "./keyPolicy";
import { renderKubeconfig } from "./kubeconfig";
import { NodeGroup, NodeGroupOptions, NodeGroupTransforms, resolveNodeGroupOptions } from "./nodes";
import { createClusterSecurityGroups } from "./securityGroups";
import { checkAdminRoleArn, checkClusterName, checkKubernetesVersion, checkPublicAccessCidrs } from "./validate";
import { ADDON_VERSIONS, DEFAULT_KUBERNETES_VERSION, ManagedAddonName } from "./versions";

/** The five EKS control-plane log types; all are always enabled. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

/**
 * Retention values the control-plane log group accepts: {@link LOG_RETENTION_DAYS}.
 * @deprecated Use `LOG_RETENTION_DAYS` (components/base.ts), the one list.
 */
export const EKS_LOG_RETENTION_DAYS: readonly number[] = LOG_RETENTION_DAYS;

/** EKS access policy granted to each admin role (cluster scope). */
export const CLUSTER_ADMIN_ACCESS_POLICY = "AmazonEKSClusterAdminPolicy";

/** Arguments of {@link Cluster}. */
export interface ClusterArgs extends BaseArgs {
    /**
     * Physical EKS cluster name; stable because the control-plane log group `/aws/eks/<name>/cluster` is
     * created ahead of the cluster.
     * @default `${project}-${stack}-${name}`
     */
    readonly clusterName?: string;
    /**
     * Kubernetes minor version, one of `SUPPORTED_KUBERNETES_VERSIONS`.
     * @default DEFAULT_KUBERNETES_VERSION ("1.35")
     */
    readonly kubernetesVersion?: string;
    /**
     * VPC id.
     * @default - required
     */
    readonly vpcId: pulumi.Input<string>;
    /**
     * IPv4 CIDR of the VPC: nodes and pods may reach anything inside it (data tier, DNS resolver).
     * @default - required
     */
    readonly vpcCidrBlock: pulumi.Input<string>;
    /**
     * Private subnet ids, in at least two Availability Zones: control-plane ENIs and every node group
     * (`Network.privateSubnetIds`). The count is checked when an array is given.
     * @default - required
     */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * Opt-in public API endpoint: the exact CIDRs allowed to reach it. `0.0.0.0/0`, `::/0` and any `/0` are
     * refused. The private endpoint stays on either way.
     * @default - none: the public endpoint is off
     */
    readonly publicAccessCidrs?: string[];
    /**
     * IAM role ARNs granted `AmazonEKSClusterAdminPolicy` through access entries. Include the role that runs
     * `pulumi up`: the cluster creator gets no implicit admin rights.
     * @default - required, at least one
     */
    readonly adminRoleArns: string[];
    /**
     * Retention of the control-plane log group, in days (a CloudWatch Logs value; 365 or more in prod).
     * @default 365
     */
    readonly logRetentionDays?: number;
    /**
     * Managed node groups by name. All run in `privateSubnetIds`.
     * @default { system: {} } (2-4 on-demand m7i.large nodes)
     */
    readonly nodeGroups?: Record<string, NodeGroupOptions>;
    /**
     * Overrides of the pinned managed add-on versions (`ADDON_VERSIONS[kubernetesVersion]`).
     * @default {}
     */
    readonly addonVersions?: Partial<Record<ManagedAddonName, string>>;
    /**
     * Protect the stateful parts (KMS key, log group) from deletion and turn on EKS deletion protection.
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: ClusterTransforms;
}

/** Per-child {@link Transform}s of a {@link Cluster}. */
export interface ClusterTransforms {
    /** The EKS cluster (`aws.eks.Cluster`). */
    readonly cluster?: Transform<aws.eks.ClusterArgs>;
    /** The control-plane log group. */
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The cluster (control plane) IAM role. */
    readonly clusterRole?: Transform<aws.iam.RoleArgs>;
    /** The node IAM role. */
    readonly nodeRole?: Transform<aws.iam.RoleArgs>;
    /** The IAM OIDC provider (IRSA). */
    readonly oidcProvider?: Transform<aws.iam.OpenIdConnectProviderArgs>;
    /** Both security groups, cluster and node (`name` tells them apart). */
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** Every managed add-on (`name` tells them apart). */
    readonly addon?: Transform<aws.eks.AddonArgs>;
    /** The cluster's {@link KmsKey}, a child component: its own per-child transforms. */
    readonly key?: KmsKeyTransforms;
    /** Every {@link NodeGroup}, a child component: its own per-child transforms. */
    readonly nodeGroup?: NodeGroupTransforms;
}

/**
 * An EKS cluster built from `@pulumi/aws` resources: private API endpoint (public only for an explicit
 * allow-list), Kubernetes secrets envelope-encrypted with its own KMS key, all five control-plane log
 * types into a KMS-encrypted log group with retention, API authentication mode with access entries for the
 * given admin roles only, its own cluster and node security groups, an IAM OIDC provider for IRSA, the Pod
 * Identity agent, pinned managed add-ons (VPC CNI and EBS CSI with their own IRSA roles) and managed node
 * groups in private subnets.
 */
export class Cluster extends GroundworkComponent implements Observable {
    /** EKS cluster name. */
    public readonly clusterName: pulumi.Output<string>;
    /** EKS cluster ARN. */
    public readonly clusterArn: pulumi.Output<string>;
    /** Kubernetes version of the control plane. */
    public readonly kubernetesVersion: pulumi.Output<string>;
    /** Kubernetes API endpoint (`https://...`). */
    public readonly endpoint: pulumi.Output<string>;
    /** Base64 certificate authority data. */
    public readonly certificateAuthority: pulumi.Output<string>;
    /** ARN of the IAM OIDC provider (IRSA). */
    public readonly oidcProviderArn: pulumi.Output<string>;
    /** OIDC issuer without `https://` (the prefix of IRSA condition keys). */
    public readonly oidcIssuer: pulumi.Output<string>;
    /** Id of the cluster (control-plane) security group. */
    public readonly clusterSecurityGroupId: pulumi.Output<string>;
    /** Id of the node security group (also the pods' group: admit it in data-tier security groups). */
    public readonly nodeSecurityGroupId: pulumi.Output<string>;
    /** ARN of the node security group. */
    public readonly nodeSecurityGroupArn: pulumi.Output<string>;
    /** ARN of the cluster's KMS key (secrets, control-plane logs, node volumes). */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** ARN of the node IAM role. */
    public readonly nodeRoleArn: pulumi.Output<string>;
    /** Name of the control-plane log group. */
    public readonly logGroupName: pulumi.Output<string>;
    /** Kubeconfig (JSON) that authenticates with `aws eks get-token`; a secret output. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** ARNs of the managed node groups, by group name. */
    public readonly nodeGroupArns: pulumi.Output<Record<string, string>>;
    /** The managed node groups, by group name. */
    public readonly nodeGroups: Record<string, NodeGroup>;
    /** Kubernetes provider for this cluster (a child of the component); waits for the admin access entries. */
    public readonly provider: kubernetes.Provider;
    /** The EKS cluster name as a plain string, known at construction (for IAM conditions and chart values). */
    public readonly knownClusterName: string;
    /** The Kubernetes minor version as a plain string, known at construction. */
    public readonly knownKubernetesVersion: string;

    constructor(name: string, args: ClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster", "Cluster", name, args, opts);
        const who = `Cluster '${name}'`;

        // Defaults.
        const clusterName = args.clusterName ?? `${pulumi.getProject()}-${pulumi.getStack()}-${name}`;
        const version = args.kubernetesVersion ?? DEFAULT_KUBERNETES_VERSION;
        const publicCidrs = args.publicAccessCidrs ?? [];
        const publicEndpoint = publicCidrs.length > 0;
        const retention = args.logRetentionDays ?? 365;
        const nodeGroupOptions = args.nodeGroups ?? { system: {} };
        const protect = args.protect ?? true;
        const adminRoleArns = args.adminRoleArns ?? [];

        // Validation.
        const nameProblem = checkClusterName(clusterName);
        if (nameProblem) throw new ArgumentError(who, "clusterName", nameProblem.problem, nameProblem.fix);
        const versionProblem = checkKubernetesVersion(version);
        if (versionProblem) throw new ArgumentError(who, "kubernetesVersion", versionProblem.problem, versionProblem.fix);
        const cidrProblem = checkPublicAccessCidrs(publicCidrs);
        if (cidrProblem) throw new ArgumentError(who, "publicAccessCidrs", cidrProblem.problem, cidrProblem.fix);
        if (args.privateSubnetIds === undefined || (Array.isArray(args.privateSubnetIds) && args.privateSubnetIds.length < 2)) {
            throw new ArgumentError(who, "privateSubnetIds", "EKS needs subnets in at least two Availability Zones", "pass the network's private subnet ids (two or more)");
        }
        if (adminRoleArns.length === 0) {
            throw new ArgumentError(who, "adminRoleArns", "no admin role: with API authentication and no creator bootstrap nobody could administer the cluster", "pass the deployment role and the operators' admin role");
        }
        for (const arn of adminRoleArns) {
            const p = checkAdminRoleArn(arn);
            if (p) throw new ArgumentError(who, "adminRoleArns", p.problem, p.fix);
        }
        if (!LOG_RETENTION_DAYS.includes(retention)) {
            throw new ArgumentError(who, "logRetentionDays", `${retention} is not a CloudWatch Logs retention value`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
        }
        if (Object.keys(nodeGroupOptions).length === 0) {
            throw new ArgumentError(who, "nodeGroups", "no node group", "declare at least one group, e.g. { system: {} }");
        }
        for (const group of Object.keys(nodeGroupOptions)) {
            if (!/^[a-z0-9]([-a-z0-9]{0,30}[a-z0-9])?$/.test(group)) {
                throw new ArgumentError(who, "nodeGroups", `group name '${group}' is not lower-case letters, digits and '-' (max 32)`, "rename the group, e.g. 'system' or 'workers-spot'");
            }
        }
        // Every node group is checked here, before any resource is declared.
        for (const [group, options] of Object.entries(nodeGroupOptions)) resolveNodeGroupOptions(`NodeGroup '${name}-${group}'`, options, group);
        const pinned = ADDON_VERSIONS[version];
        const addonVersions: Record<ManagedAddonName, string> = { ...pinned, ...(args.addonVersions ?? {}) };

        // Account facts.
        const partition = aws.getPartitionOutput({}, { parent: this }).partition;
        const region = aws.getRegionOutput({}, { parent: this }).region;
        const logGroupName = `/aws/eks/${clusterName}/cluster`;
        const stateful = statefulOptions(protect);
        const t = args.transform ?? {};

        // KMS key for secrets, logs and node volumes: a KmsKey with the cluster's own policy. The key and its alias
        // were once raw children of the Cluster (`<name>-key`, `<name>-key-alias`); the aliases adopt those, so a
        // stack created before keeps its key (a replacement would destroy the secrets it encrypts).
        const key = new KmsKey(
            this.childName("key"),
            {
                description: `EKS ${clusterName}: Kubernetes secrets, control-plane logs, node volumes`,
                aliasName: `eks/${clusterName}`,
                deletionWindowInDays: 30,
                policy: (ctx) => clusterKeyPolicy({ ...ctx, logGroupName }),
                protect,
                childAliases: { key: [{ name: this.childName("key"), parent: this }], alias: [{ name: this.childName("key-alias"), parent: this }] },
                tags: args.tags,
                transform: t.key,
            },
            { parent: this },
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            ...applyTransform(
                t.logGroup,
                this.childName("logs"),
                { name: logGroupName, retentionInDays: retention, kmsKeyId: key.keyArn, tags: this.childTags("logs") },
                this.childOpts(stateful),
            ),
        );

        // Cluster IAM role.
        const clusterRole = new aws.iam.Role(
            ...applyTransform(
                t.clusterRole,
                this.childName("cluster-role"),
                {
                    description: `EKS control plane of ${clusterName}`,
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] }],
                    }),
                    tags: this.childTags("cluster-role"),
                },
                this.childOpts(),
            ),
        );
        const clusterPolicy = new aws.iam.RolePolicyAttachment(
            this.childName("cluster-policy"),
            { role: clusterRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/AmazonEKSClusterPolicy` },
            this.childOpts(),
        );
        const clusterKeyAccess = new aws.iam.RolePolicy(
            this.childName("cluster-key"),
            {
                role: clusterRole.name,
                policy: key.keyArn.apply((arn) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Sid: "SecretsEnvelopeEncryption", Effect: "Allow", Action: ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"], Resource: [arn] }],
                    }),
                ),
            },
            this.childOpts(),
        );

        // Security groups.
        const sgs = createClusterSecurityGroups((p) => this.childName(p), (p) => this.childTags(p), this.childOpts(), {
            vpcId: args.vpcId,
            vpcCidrBlock: args.vpcCidrBlock,
            clusterName,
        }, t.securityGroup);

        // The cluster.
        const cluster = new aws.eks.Cluster(
            ...applyTransform(
                t.cluster,
                this.childName("eks"),
                {
                    name: clusterName,
                    version,
                    roleArn: clusterRole.arn,
                    vpcConfig: {
                        subnetIds: args.privateSubnetIds,
                        securityGroupIds: [sgs.cluster.id],
                        endpointPrivateAccess: true,
                        endpointPublicAccess: publicEndpoint,
                        ...(publicEndpoint ? { publicAccessCidrs: publicCidrs } : {}),
                    },
                    encryptionConfig: { resources: ["secrets"], provider: { keyArn: key.keyArn } },
                    enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
                    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
                    // Managed add-ons below replace the self-managed defaults.
                    bootstrapSelfManagedAddons: false,
                    deletionProtection: protect,
                    tags: this.childTags("eks"),
                },
                this.childOpts({ dependsOn: [logGroup, clusterPolicy, clusterKeyAccess] }),
            ),
        );

        // Admin access entries.
        const adminAccess: pulumi.Resource[] = [];
        adminRoleArns.forEach((principalArn, i) => {
            const entry = new aws.eks.AccessEntry(
                this.childName(`admin-${i}`),
                { clusterName: cluster.name, principalArn, type: "STANDARD", tags: this.childTags(`admin-${i}`) },
                this.childOpts(),
            );
            adminAccess.push(
                new aws.eks.AccessPolicyAssociation(
                    this.childName(`admin-${i}-policy`),
                    {
                        clusterName: cluster.name,
                        principalArn,
                        policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/${CLUSTER_ADMIN_ACCESS_POLICY}`,
                        accessScope: { type: "cluster" },
                    },
                    this.childOpts({ dependsOn: [entry] }),
                ),
            );
        });

        // OIDC provider for IRSA. No thumbprint: IAM trusts its own CA library for EKS issuers
        // (and fetches the top intermediate CA itself otherwise), so no `tls` provider is needed.
        const issuerUrl = cluster.identities.apply((ids) => ids?.[0]?.oidcs?.[0]?.issuer ?? "");
        const oidc = new aws.iam.OpenIdConnectProvider(
            ...applyTransform(
                t.oidcProvider,
                this.childName("oidc"),
                { url: issuerUrl, clientIdLists: [IRSA_AUDIENCE], tags: this.childTags("oidc") },
                this.childOpts(),
            ),
        );
        const oidcIssuer = issuerUrl.apply(stripIssuerScheme);

        // Node IAM role: worker and ECR pull only (the CNI gets its own IRSA role).
        const nodeRole = new aws.iam.Role(
            ...applyTransform(
                t.nodeRole,
                this.childName("node-role"),
                {
                    description: `EKS nodes of ${clusterName}`,
                    assumeRolePolicy: JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
                    }),
                    tags: this.childTags("node-role"),
                },
                this.childOpts(),
            ),
        );
        const nodePolicies = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"].map(
            (policy) =>
                new aws.iam.RolePolicyAttachment(
                    this.childName(`node-${policy.replace(/^Amazon/, "").toLowerCase()}`),
                    { role: nodeRole.name, policyArn: pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}` },
                    this.childOpts(),
                ),
        );

        // Add-on identities.
        const cni = new WorkloadIdentity(
            this.childName("vpc-cni-irsa"),
            { namespace: "kube-system", serviceAccountName: "aws-node", oidcProviderArn: oidc.arn, oidcIssuer, tags: args.tags },
            { parent: this },
        );
        cni.attachAwsManagedPolicy("AmazonEKS_CNI_Policy", partition);
        const ebs = new WorkloadIdentity(
            this.childName("ebs-csi-irsa"),
            { namespace: "kube-system", serviceAccountName: "ebs-csi-controller-sa", oidcProviderArn: oidc.arn, oidcIssuer, tags: args.tags },
            { parent: this },
        );
        ebs.attachAwsManagedPolicy("AmazonEBSCSIDriverPolicy", partition);
        const addonRoles: Partial<Record<ManagedAddonName, pulumi.Output<string>>> = { "vpc-cni": cni.roleArn, "aws-ebs-csi-driver": ebs.roleArn };
        const addonConfig: Partial<Record<ManagedAddonName, string>> = { "vpc-cni": JSON.stringify(VPC_CNI_CONFIGURATION) };
        const addon = (addonName: ManagedAddonName, dependsOn: pulumi.Resource[]) =>
            createManagedAddon(
                this.childName(addonName),
                {
                    clusterName: cluster.name,
                    addonName,
                    addonVersion: addonVersions[addonName],
                    serviceAccountRoleArn: addonRoles[addonName],
                    configurationValues: addonConfig[addonName],
                    tags: this.childTags(addonName),
                },
                this.childOpts({ dependsOn }),
                t.addon,
            );

        const beforeNodes = ADDONS_BEFORE_NODES.map((a) => addon(a, []));

        // Node groups.
        this.nodeGroups = {};
        for (const [group, options] of Object.entries(nodeGroupOptions)) {
            this.nodeGroups[group] = new NodeGroup(
                this.childName(group),
                {
                    ...options,
                    labels: { "groundwork.dev/node-group": group, ...(options.labels ?? {}) },
                    clusterName: cluster.name,
                    kubernetesVersion: cluster.version,
                    privateSubnetIds: args.privateSubnetIds,
                    nodeRoleArn: nodeRole.arn,
                    nodeSecurityGroupId: sgs.node.id,
                    kmsKeyArn: key.keyArn,
                    tags: args.tags,
                    transform: t.nodeGroup,
                },
                { parent: this, dependsOn: [...beforeNodes, ...nodePolicies] },
            );
        }
        const nodeGroupResources = Object.values(this.nodeGroups).map((g) => g.nodeGroup);
        ADDONS_AFTER_NODES.forEach((a) => addon(a, nodeGroupResources));

        // Kubeconfig and provider.
        this.kubeconfig = pulumi.secret(
            pulumi
                .all([cluster.name, cluster.endpoint, cluster.certificateAuthority, region])
                .apply(([n, endpoint, ca, r]) => renderKubeconfig({ clusterName: n, endpoint, certificateAuthority: ca?.data ?? "", region: r })),
        );
        this.provider = new kubernetes.Provider(
            this.childName("k8s"),
            { kubeconfig: this.kubeconfig, enableServerSideApply: true, deleteUnreachable: false },
            { parent: this, dependsOn: adminAccess },
        );

        this.knownClusterName = clusterName;
        this.knownKubernetesVersion = version;
        this.clusterName = cluster.name;
        this.clusterArn = cluster.arn;
        this.kubernetesVersion = cluster.version;
        this.endpoint = cluster.endpoint;
        this.certificateAuthority = cluster.certificateAuthority.apply((ca) => ca?.data ?? "");
        this.oidcProviderArn = oidc.arn;
        this.oidcIssuer = oidcIssuer;
        this.clusterSecurityGroupId = sgs.cluster.id;
        this.nodeSecurityGroupId = sgs.node.id;
        this.nodeSecurityGroupArn = sgs.node.arn;
        this.kmsKeyArn = key.keyArn;
        this.nodeRoleArn = nodeRole.arn;
        this.logGroupName = logGroup.name;
        this.nodeGroupArns = pulumi.all(Object.fromEntries(Object.entries(this.nodeGroups).map(([g, ng]) => [g, ng.nodeGroupArn])));
        this.registerOutputs({
            clusterName: this.clusterName,
            clusterArn: this.clusterArn,
            endpoint: this.endpoint,
            certificateAuthority: this.certificateAuthority,
            oidcProviderArn: this.oidcProviderArn,
            oidcIssuer: this.oidcIssuer,
            clusterSecurityGroupId: this.clusterSecurityGroupId,
            nodeSecurityGroupId: this.nodeSecurityGroupId,
            kmsKeyArn: this.kmsKeyArn,
            nodeRoleArn: this.nodeRoleArn,
            kubeconfig: this.kubeconfig,
        });
    }

    /**
     * The alarms this cluster derives from its configuration ({@link clusterAlarmSpecs}), on Container Insights
     * metrics: node CPU and memory, and a crash-looping pod. Pure data; {@link alarms} declares them.
     */
    public alarmSpecs(): AlarmSpec[] {
        return clusterAlarmSpecs(this.knownClusterName);
    }

    /** Declares the {@link alarmSpecs} as `aws.cloudwatch.MetricAlarm` children notifying `target` on ALARM and OK. */
    public alarms(target: AlarmTarget, opts?: AlarmOptions): aws.cloudwatch.MetricAlarm[] {
        return declareAlarms(this.childScope(), this.alarmSpecs(), target, opts);
    }
}
