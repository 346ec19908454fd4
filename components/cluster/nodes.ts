import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, Transform } from "../base";
import { checkScaling, checkTaints, TaintInput } from "./validate";

/** CPU architecture of a node group; selects the Amazon Linux 2023 AMI type. */
export type NodeArchitecture = "x86_64" | "arm64";

/** Settings of one managed node group that the caller chooses (the cluster supplies the rest). */
export interface NodeGroupOptions {
    /**
     * EC2 instance types. Spot groups need at least two (capacity diversification).
     * @default ["m7i.large"] (x86_64) or ["m7g.large"] (arm64)
     */
    readonly instanceTypes?: string[];
    /**
     * CPU architecture: `x86_64` uses `AL2023_x86_64_STANDARD`, `arm64` uses `AL2023_ARM_64_STANDARD`.
     * @default "x86_64"
     */
    readonly architecture?: NodeArchitecture;
    /**
     * `ON_DEMAND`, or `SPOT` for interruptible work such as queue workers (give it a taint).
     * @default "ON_DEMAND"
     */
    readonly capacityType?: "ON_DEMAND" | "SPOT";
    /**
     * Minimum node count.
     * @default 2
     */
    readonly minSize?: number;
    /**
     * Node count at creation; afterwards the cluster autoscaler owns it (changes are ignored).
     * @default minSize
     */
    readonly desiredSize?: number;
    /**
     * Maximum node count (at least 1, at most 450).
     * @default 4
     */
    readonly maxSize?: number;
    /**
     * Root volume size in GiB (gp3, encrypted with the cluster key).
     * @default 50
     */
    readonly diskSizeGiB?: number;
    /**
     * Kubernetes labels of the nodes (a `groundwork.dev/node-group` label is added unless given).
     * @default { "groundwork.dev/node-group": <group name> }
     */
    readonly labels?: Record<string, string>;
    /**
     * Kubernetes taints of the nodes.
     * @default []
     */
    readonly taints?: TaintInput[];
    /**
     * Nodes replaced at once during updates.
     * @default 1
     */
    readonly maxUnavailable?: number;
}

/** Arguments of {@link NodeGroup}: the group's options plus what the cluster provides. */
export interface NodeGroupArgs extends NodeGroupOptions, BaseArgs {
    /**
     * Name of the EKS cluster.
     * @default - required
     */
    readonly clusterName: pulumi.Input<string>;
    /**
     * Kubernetes version of the nodes (the cluster's).
     * @default - required
     */
    readonly kubernetesVersion: pulumi.Input<string>;
    /**
     * Private subnet ids (no route to an internet gateway). Nodes are never placed in public subnets: there is
     * no argument for them. The count is checked when an array is given.
     * @default - required, at least one
     */
    readonly privateSubnetIds: pulumi.Input<pulumi.Input<string>[]>;
    /**
     * ARN of the node IAM role (worker node and ECR pull policies only).
     * @default - required
     */
    readonly nodeRoleArn: pulumi.Input<string>;
    /**
     * Node security group id.
     * @default - required
     */
    readonly nodeSecurityGroupId: pulumi.Input<string>;
    /**
     * ARN of the KMS key that encrypts the root volumes.
     * @default - required
     */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: NodeGroupTransforms;
}

/** Per-child {@link Transform}s of a {@link NodeGroup}. */
export interface NodeGroupTransforms {
    /** The launch template (IMDSv2, encrypted root volume). */
    readonly launchTemplate?: Transform<aws.ec2.LaunchTemplateArgs>;
    /** The managed node group. */
    readonly nodeGroup?: Transform<aws.eks.NodeGroupArgs>;
}

/** AMI type for an architecture (Amazon Linux 2023). Pure. */
export function amiTypeFor(arch: NodeArchitecture): string {
    return arch === "arm64" ? "AL2023_ARM_64_STANDARD" : "AL2023_x86_64_STANDARD";
}

/**
 * Instance metadata options of every node: IMDSv2 only (`httpTokens: required`), hop limit 2 so pods behind
 * the node's network namespace can still reach IMDS for IRSA/Pod Identity region discovery, instance tags off.
 */
export const NODE_METADATA_OPTIONS = {
    httpEndpoint: "enabled",
    httpTokens: "required",
    httpPutResponseHopLimit: 2,
    instanceMetadataTags: "disabled",
} as const;

/** Node group options with every default applied. */
export type ResolvedNodeGroupOptions = Required<NodeGroupOptions>;

/**
 * Applies the defaults of {@link NodeGroupOptions} and validates them, throwing an ArgumentError that names
 * `who`. Shared by {@link NodeGroup} and the Cluster, which checks every group before declaring anything.
 */
export function resolveNodeGroupOptions(who: string, args: NodeGroupOptions, nodeGroupName: string): ResolvedNodeGroupOptions {
    // Defaults.
    const architecture = args.architecture ?? "x86_64";
    const instanceTypes = args.instanceTypes ?? [architecture === "arm64" ? "m7g.large" : "m7i.large"];
    const capacityType = args.capacityType ?? "ON_DEMAND";
    const minSize = args.minSize ?? 2;
    const maxSize = args.maxSize ?? 4;
    const desiredSize = args.desiredSize ?? minSize;
    const diskSizeGiB = args.diskSizeGiB ?? 50;
    const labels = { "groundwork.dev/node-group": nodeGroupName, ...(args.labels ?? {}) };
    const taints = args.taints ?? [];
    const maxUnavailable = args.maxUnavailable ?? 1;

    // Validation.
    if (architecture !== "x86_64" && architecture !== "arm64") {
        throw new ArgumentError(who, "architecture", `'${architecture as string}' is not supported`, "use 'x86_64' or 'arm64'");
    }
    if (capacityType !== "ON_DEMAND" && capacityType !== "SPOT") {
        throw new ArgumentError(who, "capacityType", `'${capacityType as string}' is not a capacity type`, "use 'ON_DEMAND' or 'SPOT'");
    }
    if (instanceTypes.length === 0) {
        throw new ArgumentError(who, "instanceTypes", "no instance types", "list at least one instance type");
    }
    if (capacityType === "SPOT" && instanceTypes.length < 2) {
        throw new ArgumentError(who, "instanceTypes", "a Spot group with one instance type is often left without capacity", "list at least two instance types of the same size, e.g. ['m7i.large', 'm6i.large']");
    }
    const scaling = checkScaling({ minSize, desiredSize, maxSize });
    if (scaling) throw new ArgumentError(who, "minSize/desiredSize/maxSize", scaling.problem, scaling.fix);
    const taintProblem = checkTaints(taints);
    if (taintProblem) throw new ArgumentError(who, "taints", taintProblem.problem, taintProblem.fix);
    if (!Number.isInteger(diskSizeGiB) || diskSizeGiB < 20 || diskSizeGiB > 16384) {
        throw new ArgumentError(who, "diskSizeGiB", `${diskSizeGiB} GiB is out of range`, "use 20 to 16384 GiB");
    }
    if (!Number.isInteger(maxUnavailable) || maxUnavailable < 1 || maxUnavailable > 100) {
        throw new ArgumentError(who, "maxUnavailable", `${maxUnavailable} is out of range`, "use 1 to 100");
    }

    return { architecture, instanceTypes, capacityType, minSize, maxSize, desiredSize, diskSizeGiB, labels, taints, maxUnavailable };
}

/**
 * One EKS managed node group in private subnets, from its own launch template: IMDSv2 required, encrypted
 * gp3 root volume with the cluster's KMS key, the node security group, no SSH key and no remote access,
 * Amazon Linux 2023.
 */
export class NodeGroup extends GroundworkComponent {
    /** ARN of the managed node group. */
    public readonly nodeGroupArn: pulumi.Output<string>;
    /** EKS name of the managed node group. */
    public readonly nodeGroupName: pulumi.Output<string>;
    /** Id of the launch template. */
    public readonly launchTemplateId: pulumi.Output<string>;
    /** The managed node group resource (for `dependsOn`). */
    public readonly nodeGroup: aws.eks.NodeGroup;

    constructor(name: string, args: NodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cluster", "NodeGroup", name, args, opts);
        const who = `NodeGroup '${name}'`;

        const o = resolveNodeGroupOptions(who, args, name);
        if (args.privateSubnetIds === undefined || (Array.isArray(args.privateSubnetIds) && args.privateSubnetIds.length === 0)) {
            throw new ArgumentError(who, "privateSubnetIds", "no private subnets given", "pass the network's private subnet ids");
        }
        const { architecture, instanceTypes, capacityType, minSize, maxSize, desiredSize, diskSizeGiB, labels, taints, maxUnavailable } = o;

        // Resources.
        const t = args.transform ?? {};
        const instanceTags = this.childTags("node");
        const launchTemplate = new aws.ec2.LaunchTemplate(
            ...applyTransform(
                t.launchTemplate,
                this.childName("lt"),
                {
                    description: `Nodes of ${name}: IMDSv2, encrypted gp3 root, no SSH`,
                    updateDefaultVersion: true,
                    metadataOptions: { ...NODE_METADATA_OPTIONS },
                    blockDeviceMappings: [
                        {
                            deviceName: "/dev/xvda",
                            ebs: { volumeSize: diskSizeGiB, volumeType: "gp3", encrypted: "true", kmsKeyId: args.kmsKeyArn, deleteOnTermination: "true" },
                        },
                    ],
                    vpcSecurityGroupIds: [args.nodeSecurityGroupId],
                    tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({ resourceType, tags: instanceTags })),
                    tags: this.childTags("lt"),
                },
                this.childOpts(),
            ),
        );

        this.nodeGroup = new aws.eks.NodeGroup(
            ...applyTransform(
                t.nodeGroup,
                this.childName("ng"),
                {
                    clusterName: args.clusterName,
                    version: args.kubernetesVersion,
                    nodeRoleArn: args.nodeRoleArn,
                    subnetIds: args.privateSubnetIds,
                    amiType: amiTypeFor(architecture),
                    capacityType,
                    instanceTypes,
                    scalingConfig: { minSize, desiredSize, maxSize },
                    updateConfig: { maxUnavailable },
                    launchTemplate: { id: launchTemplate.id, version: launchTemplate.latestVersion.apply((v) => String(v)) },
                    labels,
                    taints: taints.map((t) => ({ key: t.key, value: t.value, effect: t.effect })),
                    tags: this.childTags("ng"),
                },
                // The cluster autoscaler owns the desired size after creation.
                this.childOpts({ ignoreChanges: ["scalingConfig.desiredSize"] }),
            ),
        );

        this.nodeGroupArn = this.nodeGroup.arn;
        this.nodeGroupName = this.nodeGroup.nodeGroupName;
        this.launchTemplateId = launchTemplate.id;
        this.registerOutputs({ nodeGroupArn: this.nodeGroupArn, nodeGroupName: this.nodeGroupName, launchTemplateId: this.launchTemplateId });
    }
}
