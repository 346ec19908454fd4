import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, Transform } from "../base";
import { WorkloadIdentity, WorkloadIdentityTransforms } from "../identity/workloadIdentity";
import { clusterAutoscalerStatements, kedaOperatorStatements, loadBalancerControllerStatements } from "./controllerPolicies";
import { SUPPORTED_KUBERNETES_VERSIONS } from "./versions";

/** A Helm chart pinned to a version. */
export interface PinnedChart {
    /** Chart repository URL. */
    repo: string;
    /** Chart name. */
    chart: string;
    /** Exact chart version. */
    version: string;
    /** Namespace the release goes to. */
    namespace: string;
}

/** The cluster add-on charts, pinned (bump deliberately, with the chart's changelog read). */
export const CLUSTER_CHARTS = {
    awsLoadBalancerController: { repo: "https://aws.github.io/eks-charts", chart: "aws-load-balancer-controller", version: "1.14.0", namespace: "kube-system" },
    metricsServer: { repo: "https://kubernetes-sigs.github.io/metrics-server/", chart: "metrics-server", version: "3.13.0", namespace: "kube-system" },
    clusterAutoscaler: { repo: "https://kubernetes.github.io/autoscaler", chart: "cluster-autoscaler", version: "9.52.1", namespace: "kube-system" },
    keda: { repo: "https://kedacore.github.io/charts", chart: "keda", version: "2.18.0", namespace: "keda" },
    // Secrets Store CSI driver and its AWS provider (ASCP): workloads mount Secrets Manager secrets as files with their
    // own IRSA role (`Service` `secretMounts`), never through a Kubernetes Secret. Confirmed 2026-12-02 by a public
    // project's `helm list` showing secrets-store-csi-driver-1.6.0 and secrets-store-csi-driver-provider-aws-3.1.1
    // deployed together (the repositories are out of reach here). The EKS add-on aws-secrets-store-csi-driver-provider
    // (v3.1.3-eksbuild.1 seen pinned) packages the same pair; Helm keeps it with the other add-ons the packs can read.
    secretsStoreCsiDriver: { repo: "https://kubernetes-sigs.github.io/secrets-store-csi-driver/charts", chart: "secrets-store-csi-driver", version: "1.6.0", namespace: "kube-system" },
    secretsStoreCsiProviderAws: { repo: "https://aws.github.io/secrets-store-csi-driver-provider-aws", chart: "secrets-store-csi-driver-provider-aws", version: "3.1.1", namespace: "kube-system" },
} as const satisfies Record<string, PinnedChart>;

/** Cluster Autoscaler image tag per Kubernetes minor (the autoscaler's minor must match the cluster's). */
export const CLUSTER_AUTOSCALER_IMAGE_TAGS: Readonly<Record<string, string>> = {
    "1.35": "v1.35.0",
    "1.34": "v1.34.1",
    "1.33": "v1.33.1",
    "1.32": "v1.32.2",
};

/** Pod-level security context of every add-on pod (PSS restricted). */
export const POD_SECURITY_CONTEXT = { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } } as const;

/** Container-level security context of every add-on container (PSS restricted, read-only root). */
export const CONTAINER_SECURITY_CONTEXT = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    runAsNonRoot: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
} as const;

/** Arguments of {@link ClusterAddons}. */
export interface ClusterAddonsArgs extends BaseArgs {
    /**
     * EKS cluster name (a plain string: it is the tag value in the controllers' IAM conditions).
     * @default - required
     */
    readonly clusterName: string;
    /**
     * Kubernetes minor version of the cluster (selects the Cluster Autoscaler image).
     * @default - required
     */
    readonly kubernetesVersion: string;
    /**
     * Kubernetes provider of the cluster (`Cluster.provider`).
     * @default - required
     */
    readonly kubernetesProvider: kubernetes.Provider;
    /**
     * ARN of the cluster's IAM OIDC provider.
     * @default - required
     */
    readonly oidcProviderArn: pulumi.Input<string>;
    /**
     * OIDC issuer of the cluster (without `https://`).
     * @default - required
     */
    readonly oidcIssuer: pulumi.Input<string>;
    /**
     * VPC id (the load balancer controller's `vpcId`).
     * @default - required
     */
    readonly vpcId: pulumi.Input<string>;
    /**
     * VPC ARN, the one resource the load balancer controller may create security groups in.
     * @default - `arn:<partition>:ec2:<region>:<account>:vpc/<vpcId>`
     */
    readonly vpcArn?: pulumi.Input<string>;
    /**
     * ARN of the node security group (`Cluster.nodeSecurityGroupArn`).
     * @default - required
     */
    readonly nodeSecurityGroupArn: pulumi.Input<string>;
    /**
     * ARNs of the managed node groups (Cluster Autoscaler may describe them).
     * @default - required, at least one
     */
    readonly nodeGroupArns: pulumi.Input<string>[];
    /**
     * SQS queue ARNs whose depth KEDA may read (`sqs:GetQueueAttributes` on these only).
     * @default []
     */
    readonly queueArns?: pulumi.Input<string>[];
    /**
     * Replicas of the load balancer controller, metrics-server and KEDA operator (2 keeps them available
     * through node drains; each chart gets a PodDisruptionBudget).
     * @default 2
     */
    readonly replicas?: number;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: ClusterAddonsTransforms;
}

/** Per-child {@link Transform}s of {@link ClusterAddons}. */
export interface ClusterAddonsTransforms {
    /** Every Helm release (`name` tells them apart: `<name>-lbc`, `<name>-autoscaler`, `<name>-keda`). */
    readonly release?: Transform<kubernetes.helm.v3.ReleaseArgs>;
    /** Every controller's {@link WorkloadIdentity}, a child component: its own per-child transforms. */
    readonly identity?: WorkloadIdentityTransforms;
}

/**
 * The add-ons that make the cluster scale and serve traffic, each a `kubernetes.helm.v3.Release` with a pinned
 * chart, hardened values and its own scoped identity: AWS Load Balancer Controller (IRSA), metrics-server (HPA),
 * Cluster Autoscaler (IRSA; scales the managed node groups), KEDA (IRSA; queue-depth scaling) and the Secrets Store
 * CSI driver with its AWS provider (no identity of its own: it fetches with each pod's IRSA role).
 *
 * Node autoscaling is Cluster Autoscaler, not Karpenter: it scales the managed node groups declared in the
 * program (every node's launch template, subnets and AMI type stay visible to the plan and the policy pack),
 * needs one IAM role and no CRDs, SQS interruption queue or EventBridge rules. Karpenter would provision
 * instances outside the declared node groups, from NodePool/EC2NodeClass objects the pack cannot see.
 */
export class ClusterAddons extends GroundworkComponent {
    /** The identity of the AWS Load Balancer Controller. */
    public readonly loadBalancerControllerIdentity: WorkloadIdentity;
    /** The identity of Cluster Autoscaler. */
    public readonly clusterAutoscalerIdentity: WorkloadIdentity;
    /** The identity of the KEDA operator. */
    public readonly kedaIdentity: WorkloadIdentity;
    /** Helm release names by add-on. */
    public readonly releaseNames: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: ClusterAddonsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster", "ClusterAddons", name, args, opts);
        const who = `ClusterAddons '${name}'`;

        // Defaults.
        const queueArns = args.queueArns ?? [];
        const replicas = args.replicas ?? 2;

        // Validation.
        if (!SUPPORTED_KUBERNETES_VERSIONS.some((v) => v.version === args.kubernetesVersion) || !CLUSTER_AUTOSCALER_IMAGE_TAGS[args.kubernetesVersion]) {
            throw new ArgumentError(who, "kubernetesVersion", `'${args.kubernetesVersion}' has no pinned Cluster Autoscaler image`, "pass the cluster's supported version");
        }
        if (!Array.isArray(args.nodeGroupArns) || args.nodeGroupArns.length === 0) {
            throw new ArgumentError(who, "nodeGroupArns", "no node group", "pass the ARNs of the cluster's managed node groups");
        }
        if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
            throw new ArgumentError(who, "replicas", `${replicas} is out of range`, "use 1 to 5 (2 in production)");
        }

        // Facts.
        const facts = {
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
            region: aws.getRegionOutput({}, { parent: this }).region,
            accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
        };
        const vpcArn = args.vpcArn ?? pulumi.interpolate`arn:${facts.partition}:ec2:${facts.region}:${facts.accountId}:vpc/${args.vpcId}`;
        const k8s = { provider: args.kubernetesProvider };
        const t = args.transform ?? {};
        const identity = (part: string, namespace: string, serviceAccountName: string) =>
            new WorkloadIdentity(
                this.childName(part),
                { namespace, serviceAccountName, oidcProviderArn: args.oidcProviderArn, oidcIssuer: args.oidcIssuer, tags: args.tags, transform: t.identity },
                { parent: this },
            );
        const release = (part: string, chart: PinnedChart, values: pulumi.Input<Record<string, unknown>>, dependsOn: pulumi.Resource[] = []) =>
            new kubernetes.helm.v3.Release(
                ...applyTransform(
                    t.release,
                    this.childName(part),
                    {
                        name: chart.chart,
                        chart: chart.chart,
                        version: chart.version,
                        repositoryOpts: { repo: chart.repo },
                        namespace: chart.namespace,
                        createNamespace: chart.namespace !== "kube-system",
                        atomic: true,
                        cleanupOnFail: true,
                        maxHistory: 5,
                        timeout: 600,
                        values,
                    },
                    this.childOpts({ ...k8s, dependsOn }),
                ),
            );
        const resources = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory } });

        // AWS Load Balancer Controller.
        this.loadBalancerControllerIdentity = identity("lbc", "kube-system", "aws-load-balancer-controller");
        this.loadBalancerControllerIdentity.addStatements(
            "elb",
            loadBalancerControllerStatements({ ...facts, clusterName: args.clusterName, vpcArn, nodeSecurityGroupArn: args.nodeSecurityGroupArn }),
        );
        const lbc = release("lbc", CLUSTER_CHARTS.awsLoadBalancerController, {
            clusterName: args.clusterName,
            region: facts.region,
            vpcId: args.vpcId,
            replicaCount: replicas,
            serviceAccount: {
                create: true,
                name: "aws-load-balancer-controller",
                annotations: { "eks.amazonaws.com/role-arn": this.loadBalancerControllerIdentity.roleArn },
            },
            enableShield: false,
            enableWaf: false,
            enableWafv2: false,
            defaultTargetType: "ip",
            podDisruptionBudget: { maxUnavailable: 1 },
            priorityClassName: "system-cluster-critical",
            podSecurityContext: POD_SECURITY_CONTEXT,
            securityContext: CONTAINER_SECURITY_CONTEXT,
            resources: resources("100m", "256Mi"),
        });

        // metrics-server (resource metrics for the HorizontalPodAutoscaler).
        const metrics = release("metrics-server", CLUSTER_CHARTS.metricsServer, {
            replicas,
            podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
            priorityClassName: "system-cluster-critical",
            podSecurityContext: POD_SECURITY_CONTEXT,
            securityContext: CONTAINER_SECURITY_CONTEXT,
            resources: resources("100m", "200Mi"),
        });

        // Cluster Autoscaler.
        this.clusterAutoscalerIdentity = identity("cluster-autoscaler", "kube-system", "cluster-autoscaler");
        this.clusterAutoscalerIdentity.addStatements("scaling", clusterAutoscalerStatements({ ...facts, clusterName: args.clusterName, nodeGroupArns: args.nodeGroupArns }));
        const autoscaler = release("cluster-autoscaler", CLUSTER_CHARTS.clusterAutoscaler, {
            cloudProvider: "aws",
            awsRegion: facts.region,
            autoDiscovery: { clusterName: args.clusterName },
            image: { tag: CLUSTER_AUTOSCALER_IMAGE_TAGS[args.kubernetesVersion] },
            rbac: {
                serviceAccount: {
                    create: true,
                    name: "cluster-autoscaler",
                    annotations: { "eks.amazonaws.com/role-arn": this.clusterAutoscalerIdentity.roleArn },
                },
            },
            extraArgs: { "balance-similar-node-groups": true, "skip-nodes-with-system-pods": false, expander: "least-waste" },
            replicaCount: 1,
            podDisruptionBudget: { maxUnavailable: 1 },
            priorityClassName: "system-cluster-critical",
            securityContext: POD_SECURITY_CONTEXT,
            containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
            resources: resources("100m", "300Mi"),
        });

        // KEDA (scales the queue workers on queue depth, reading it with the operator's own identity).
        this.kedaIdentity = identity("keda", CLUSTER_CHARTS.keda.namespace, "keda-operator");
        const kedaStatements = kedaOperatorStatements(queueArns);
        if (kedaStatements.length > 0) this.kedaIdentity.addStatements("queue-depth", kedaStatements);
        const keda = release(
            "keda",
            CLUSTER_CHARTS.keda,
            {
                podIdentity: { aws: { irsa: { enabled: true, roleArn: this.kedaIdentity.roleArn } } },
                serviceAccount: { operator: { create: true, name: "keda-operator" } },
                operator: { replicaCount: replicas },
                metricsServer: { replicaCount: replicas },
                webhooks: { replicaCount: replicas },
                podDisruptionBudget: { operator: { maxUnavailable: 1 }, metricServer: { maxUnavailable: 1 }, webhooks: { maxUnavailable: 1 } },
                podSecurityContext: { operator: POD_SECURITY_CONTEXT, metricServer: POD_SECURITY_CONTEXT, webhooks: POD_SECURITY_CONTEXT },
                securityContext: { operator: CONTAINER_SECURITY_CONTEXT, metricServer: CONTAINER_SECURITY_CONTEXT, webhooks: CONTAINER_SECURITY_CONTEXT },
                resources: {
                    operator: resources("100m", "256Mi"),
                    metricServer: resources("100m", "256Mi"),
                    webhooks: resources("50m", "128Mi"),
                },
            },
        );

        // Secrets Store CSI: the driver (no Secret syncing: secrets stay files in the pod) rotating mounted values every
        // two minutes, then the AWS provider, which fetches with the pod's own IRSA role (it has none of its own).
        const csiDriver = release("secrets-store-csi", CLUSTER_CHARTS.secretsStoreCsiDriver, {
            syncSecret: { enabled: false },
            enableSecretRotation: true,
            rotationPollInterval: "2m",
            linux: { priorityClassName: "system-node-critical" },
        });
        const csiProvider = release(
            "secrets-store-csi-aws",
            CLUSTER_CHARTS.secretsStoreCsiProviderAws,
            { "secrets-store-csi-driver": { install: false }, priorityClassName: "system-node-critical", resources: resources("50m", "100Mi") },
            [csiDriver],
        );

        this.releaseNames = pulumi.all({
            lbc: lbc.name,
            metricsServer: metrics.name,
            clusterAutoscaler: autoscaler.name,
            keda: keda.name,
            secretsStoreCsiDriver: csiDriver.name,
            secretsStoreCsiProviderAws: csiProvider.name,
        });
        this.registerOutputs({ releaseNames: this.releaseNames });
    }
}
