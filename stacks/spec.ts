import type { PriceClass } from "../components/cdn/args";
import type { NatMode } from "../components/network/args";
import type { AlertSubscription } from "../components/observe/alertTopic";
import type { SubnetPlan } from "../components/network/cidr";
import type { Tier, TierSettings } from "./tiers";

/** The network section of the platform: what `infra/` passes to the Network component. */
export interface NetworkSpec {
    /** VPC block, normalised. */
    readonly vpcCidr: string;
    /** Number of AZs spanned. */
    readonly azCount: number;
    /** The AZ names, the region's first `azCount` available zones. */
    readonly availabilityZones: readonly string[];
    /** NAT mode. */
    readonly natMode: NatMode;
    /** Interface endpoints on or off. */
    readonly interfaceEndpoints: boolean;
    /** Flow-log retention in days. */
    readonly flowLogRetentionDays: number;
    /** The computed subnet layout (public/private/isolated block per AZ). */
    readonly subnets: SubnetPlan;
}

/** The edge section: what `infra/` passes to the Cdn component. */
export interface CdnSpec {
    /** Custom domain of the distribution (`groundwork:domain`); required in prod. */
    readonly domain?: string;
    /** Route 53 hosted zone of the domain (`groundwork:hostedZoneId`); required with `domain`. */
    readonly hostedZoneId?: string;
    /** DNS name of the API origin, served by the load balancer with a certificate for it (`groundwork:apiOriginDomain`). */
    readonly apiOriginDomain: string;
    /** CloudFront price class. */
    readonly priceClass: PriceClass;
    /** Days CDN and WAF logs are kept. */
    readonly logRetentionDays: number;
    /** WAF rate limit per client IP per 5 minutes. */
    readonly wafRateLimit: number;
}

/** The cluster section: what `infra/` passes to the Cluster and its add-ons. */
export interface ClusterSpec {
    /** Kubernetes minor version. */
    readonly kubernetesVersion: string;
    /** IAM roles granted cluster admin through access entries (`groundwork:clusterAdminRoleArns`). */
    readonly adminRoleArns: readonly string[];
    /** CIDRs allowed to reach the public API endpoint; empty = private endpoint only. */
    readonly publicAccessCidrs: readonly string[];
    /**
     * The in-VPC GitHub Actions runner that deploys what talks to the private API endpoint
     * (`groundwork:deployRunnerRepository` and `groundwork:deployRunnerConnectionArn`); absent when neither is set.
     */
    readonly deployRunner?: { readonly repositoryUrl: string; readonly connectionArn: string };
    /** System node group instance types. */
    readonly nodeInstanceTypes: readonly string[];
    /** System node group minimum size. */
    readonly nodeMinSize: number;
    /** System node group maximum size. */
    readonly nodeMaxSize: number;
    /** Queue-worker (Spot) node group instance types. */
    readonly workerInstanceTypes: readonly string[];
    /** Queue-worker node group maximum size. */
    readonly workerMaxSize: number;
    /** Control-plane log retention in days. */
    readonly logRetentionDays: number;
    /** Replicas of each add-on controller. */
    readonly addonReplicas: number;
}

/** The data tier section: the preset's values after the stack's overrides (see `DataPreset`). */
export type DataSpec = import("./tiers").DataPreset;

/** The observability section: what `infra/` passes to the AlertTopic and ServiceHealth. */
export interface ObserveSpec {
    /** Who the alert topic notifies (`groundwork:alertSubscriptions`); empty when the key is not set. */
    readonly alertSubscriptions: readonly AlertSubscription[];
}

/** The reference app section: deployed when `groundwork:appImage` is set. */
export interface AppSpec {
    /** Container image, pinned (`repo@sha256:...`; a digest is required on prod). */
    readonly image?: string;
    /** Regional ACM certificate for `groundwork:apiOriginDomain`; with it the API gets an HTTPS load balancer (`LoadBalancer`). */
    readonly originCertificateArn?: string;
    /** Fewest API pods. */
    readonly apiMinReplicas: number;
    /** Most API pods. */
    readonly apiMaxReplicas: number;
    /** Fewest worker pods. */
    readonly workerMinReplicas: number;
    /** Most worker pods. */
    readonly workerMaxReplicas: number;
    /**
     * Modules deployed as their own Service (`groundwork:appExtractModules`), each with its own identity, grants and
     * the API's replica bounds; the API runs the rest. Empty: one API runs every module.
     */
    readonly extractModules: readonly string[];
}

/**
 * The typed, validated, frozen model of one stack: the tier preset with the stack's overrides applied.
 * One section per component; later components add theirs (`database`, `cache`, `queue`, `cluster`, `cdn`).
 */
export interface PlatformSpec {
    /** Pulumi project name. */
    readonly project: string;
    /** Pulumi stack name. */
    readonly stack: string;
    /** The tier (`groundwork:tier`). */
    readonly tier: Tier;
    /** AWS region (`aws:region`). */
    readonly region: string;
    /** Tier-level toggles after overrides (`protect`, `multiAz`). */
    readonly settings: TierSettings;
    /** Extra tags from `groundwork:tags` (the components add `project`, `stack`, `component`). */
    readonly tags: Readonly<Record<string, string>>;
    /** Network section. */
    readonly network: NetworkSpec;
    /** Edge section. */
    readonly cdn: CdnSpec;
    /** Cluster section. */
    readonly cluster: ClusterSpec;
    /** Data tier section. */
    readonly data: DataSpec;
    /** Observability section. */
    readonly observe: ObserveSpec;
    /** Reference app section. */
    readonly app: AppSpec;
}

/** A {@link PlatformSpec} before the region's AZ names are known (everything validated except the AZ count). */
export type StackConfig = Omit<PlatformSpec, "network"> & {
    /** Network section without the AZ names. */
    readonly network: Omit<NetworkSpec, "availabilityZones">;
    /** Config keys whose values came from the tier preset rather than the stack file (for messages). */
    readonly fromPreset: readonly string[];
};
