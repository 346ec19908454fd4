import * as pulumi from "@pulumi/pulumi";
import { Cdn } from "../components/cdn";
import { Cluster, ClusterAddons } from "../components/cluster";
import { Network } from "../components/network";
import type { PlatformSpec } from "../stacks";

/** The components of the platform, for tests and for wiring later components. */
export interface Platform {
    /** The VPC and everything in it. */
    readonly network: Network;
    /** CloudFront, the static assets bucket, the WAF web ACL and the origin's security group. */
    readonly cdn: Cdn;
    /** The EKS cluster, its node groups and its Kubernetes provider. */
    readonly cluster: Cluster;
    /** The cluster's Helm add-ons (load balancer controller, metrics-server, autoscaler, KEDA). */
    readonly clusterAddons: ClusterAddons;
    /** The stack outputs (flat, documented in infra/README.md). */
    readonly outputs: PlatformOutputs;
}

/** The stack outputs. */
export interface PlatformOutputs {
    /** `dev` or `prod`. */
    readonly tier: string;
    /** AWS region. */
    readonly region: string;
    /** VPC id. */
    readonly vpcId: pulumi.Output<string>;
    /** VPC CIDR block. */
    readonly vpcCidr: pulumi.Output<string>;
    /** AZ names, slot order. */
    readonly availabilityZones: pulumi.Output<string[]>;
    /** Public subnet ids, one per AZ. */
    readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private (app) subnet ids, one per AZ. */
    readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Isolated (data) subnet ids, one per AZ. */
    readonly isolatedSubnetIds: pulumi.Output<string[]>;
    /** NAT gateway ids. */
    readonly natGatewayIds: pulumi.Output<string[]>;
    /** NAT public IPs (egress addresses). */
    readonly natPublicIps: pulumi.Output<string[]>;
    /** Flow-log group name. */
    readonly flowLogGroupName: pulumi.Output<string>;
    /** KMS key of the network's flow logs. */
    readonly networkKmsKeyArn: pulumi.Output<string>;
    /** The site's URL: `https://<domain>` or the distribution's cloudfront.net name. */
    readonly cdnUrl: pulumi.Output<string>;
    /** CloudFront distribution id (for invalidations). */
    readonly cdnDistributionId: pulumi.Output<string>;
    /** Bucket of the fingerprinted static assets (served under /static/*). */
    readonly staticBucketName: pulumi.Output<string>;
    /** Security group to attach to the API load balancer: HTTPS only from CloudFront. */
    readonly originSecurityGroupId: pulumi.Output<string>;
    /** EKS cluster name. */
    readonly clusterName: pulumi.Output<string>;
    /** EKS API endpoint (private unless the stack allow-lists CIDRs). */
    readonly clusterEndpoint: pulumi.Output<string>;
    /** OIDC issuer of the cluster (IRSA), without https://. */
    readonly clusterOidcIssuer: pulumi.Output<string>;
    /** Security group of the nodes (and so the pods, under the VPC CNI). */
    readonly nodeSecurityGroupId: pulumi.Output<string>;
    /** kubeconfig that authenticates with `aws eks get-token` (secret). */
    readonly kubeconfig: pulumi.Output<string>;
}

/**
 * Declares the platform for a spec, in dependency order. Each component is one block that reads its section
 * of the spec and the outputs of the blocks above it; add a new component as a new block (and its outputs).
 * Call after `pulumi.runtime.setMocks` in tests.
 */
export function buildPlatform(spec: PlatformSpec): Platform {
    const common = { tags: { ...spec.tags } };

    // Network: VPC, subnets per tier and AZ, NAT, flow logs, endpoints.
    const network = new Network("network", {
        ...common,
        cidrBlock: spec.network.vpcCidr,
        availabilityZones: [...spec.network.availabilityZones],
        natMode: spec.network.natMode,
        interfaceEndpoints: spec.network.interfaceEndpoints,
        flowLogRetentionDays: spec.network.flowLogRetentionDays,
        protect: spec.settings.protect,
    });

    // Edge: CloudFront in front of the API origin and the static assets bucket, with WAF. Declared before the
    // cluster's ingress, which takes the origin security group and the origin-verify header from it.
    const cdn = new Cdn("edge", {
        ...common,
        apiOriginDomain: spec.cdn.apiOriginDomain,
        vpcId: network.vpcId,
        ...(spec.cdn.domain !== undefined
            ? { domainName: spec.cdn.domain, hostedZoneId: spec.cdn.hostedZoneId }
            : { defaultCertificateReason: `tier ${spec.tier} has no groundwork:domain: served on its cloudfront.net name with CloudFront's default certificate; prod requires a domain` }),
        priceClass: spec.cdn.priceClass,
        rateLimit: spec.cdn.wafRateLimit,
        logRetentionDays: spec.cdn.logRetentionDays,
        protect: spec.settings.protect,
    });

    // Cluster: private EKS across the private subnets, a system node group and a Spot group for queue workers
    // (tainted, so only workers that tolerate interruption land there), then the Helm add-ons.
    const c = spec.cluster;
    const cluster = new Cluster("cluster", {
        ...common,
        clusterName: `${spec.project}-${spec.stack}`,
        kubernetesVersion: c.kubernetesVersion,
        vpcId: network.vpcId,
        vpcCidrBlock: network.cidrBlock,
        privateSubnetIds: network.privateSubnetIds,
        adminRoleArns: [...c.adminRoleArns],
        ...(c.publicAccessCidrs.length > 0 ? { publicAccessCidrs: [...c.publicAccessCidrs] } : {}),
        logRetentionDays: c.logRetentionDays,
        protect: spec.settings.protect,
        nodeGroups: {
            system: { instanceTypes: [...c.nodeInstanceTypes], minSize: c.nodeMinSize, desiredSize: c.nodeMinSize, maxSize: c.nodeMaxSize },
            workers: {
                capacityType: "SPOT",
                instanceTypes: [...c.workerInstanceTypes],
                minSize: 0,
                desiredSize: 0,
                maxSize: c.workerMaxSize,
                labels: { "groundwork.dev/workload": "queue-worker" },
                taints: [{ key: "groundwork.dev/queue-worker", value: "true", effect: "NO_SCHEDULE" }],
            },
        },
    });
    const clusterAddons = new ClusterAddons("cluster-addons", {
        ...common,
        clusterName: cluster.knownClusterName,
        kubernetesVersion: cluster.knownKubernetesVersion,
        kubernetesProvider: cluster.provider,
        oidcProviderArn: cluster.oidcProviderArn,
        oidcIssuer: cluster.oidcIssuer,
        vpcId: network.vpcId,
        nodeSecurityGroupArn: cluster.nodeSecurityGroupArn,
        nodeGroupArns: Object.values(cluster.nodeGroups).map((g) => g.nodeGroupArn),
        replicas: c.addonReplicas,
    });

    return {
        network,
        cdn,
        cluster,
        clusterAddons,
        outputs: {
            tier: spec.tier,
            region: spec.region,
            vpcId: network.vpcId,
            vpcCidr: network.cidrBlock,
            availabilityZones: network.availabilityZones,
            publicSubnetIds: network.publicSubnetIds,
            privateSubnetIds: network.privateSubnetIds,
            isolatedSubnetIds: network.isolatedSubnetIds,
            natGatewayIds: network.natGatewayIds,
            natPublicIps: network.natPublicIps,
            flowLogGroupName: network.flowLogGroupName,
            networkKmsKeyArn: network.kmsKeyArn,
            cdnUrl: cdn.url,
            cdnDistributionId: cdn.distributionId,
            staticBucketName: cdn.staticBucketName,
            originSecurityGroupId: cdn.originSecurityGroupId,
            clusterName: cluster.clusterName,
            clusterEndpoint: cluster.endpoint,
            clusterOidcIssuer: cluster.oidcIssuer,
            nodeSecurityGroupId: cluster.nodeSecurityGroupId,
            kubeconfig: cluster.kubeconfig,
        },
    };
}
