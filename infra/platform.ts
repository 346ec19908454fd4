import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as path from "node:path";
import { Cdn } from "../components/cdn";
import { Cache } from "../components/cache";
import { Cluster, ClusterAddons } from "../components/cluster";
import { AuroraDatabase, Database, type PostgresDatabase } from "../components/database";
import { DeployRunner } from "../components/deploy";
import { WorkloadIdentity } from "../components/identity";
import { Queue } from "../components/queue";
import { KmsKey, Secret } from "../components/secrets";
import { ContainerRegistry } from "../components/registry";
import { ClusterTelemetry, loadDashboards } from "../components/telemetry";
import { API_READINESS_PATH, AppWorkloads, appMonitorLabels, deployApp } from "./app";
import { Network } from "../components/network";
import { LoadBalancer } from "../components/loadbalancer";
import { INGRESS_GATEWAY_HTTPS_PORT, Mesh } from "../components/mesh";
import { AlertTopic, isObservable, Observable, ServiceHealth } from "../components/observe";
import { CLOUDFRONT_REGION } from "../components/cdn/args";
import type { PlatformSpec } from "../stacks";
import APP_CONTRACT from "../app/src/contract.json";
import { workloadEndpointServices } from "./awsPaths";
import { publishFrontEnd } from "./web";

/** Kubernetes namespace of the reference app's workloads. */
export const APP_NAMESPACE = "app";

/** PostgreSQL role the app connects as, with IAM database authentication. */
export const APP_DB_USER = "app";

/** Name of the reference app (its `app.kubernetes.io/part-of`). */
export const APP_NAME = "groundwork-app";

/** The app's log field holding the correlation id (app/src/platform/http.ts `requestIdLogLabel`, the worker's job logs). */
export const APP_CORRELATION_ID_FIELD = "correlationId";

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
    /** Istio in ambient mode (mTLS between enrolled pods) and, with the API's load balancer, its ingress gateway. */
    readonly mesh: Mesh;
    /** Metrics (kube-prometheus-stack), traces (ADOT collector to X-Ray) and logs (CloudWatch) of the cluster. */
    readonly telemetry: ClusterTelemetry;
    /** PostgreSQL in the isolated subnets: one RDS instance, or Aurora behind RDS Proxy (`groundwork:dbEngine`). */
    readonly database: PostgresDatabase;
    /** ElastiCache (Valkey) in the isolated subnets. */
    readonly cache: Cache;
    /** The jobs queue and its dead-letter queue. */
    readonly jobs: Queue;
    /** IAM identities of the app's workloads (IRSA), holding exactly the grants each uses. */
    readonly identities: {
        readonly api: WorkloadIdentity;
        readonly worker: WorkloadIdentity;
        readonly migrate: WorkloadIdentity;
        /** One per module of `groundwork:appExtractModules`, by module name. */
        readonly extracted: Readonly<Record<string, WorkloadIdentity>>;
    };
    /** The key material that encrypts the app's webhook signing secrets (Secrets Manager), read by api and worker. */
    readonly webhookKey: Secret;
    /** ECR repository of the app's image (CI pushes, nodes pull). */
    readonly registry: ContainerRegistry;
    /** The API's load balancer (CloudFront's origin), with the app and `groundwork:apiOriginCertificateArn`. */
    readonly apiLoadBalancer?: LoadBalancer;
    /** The reference app's API and worker, when `groundwork:appImage` is set. */
    readonly app?: AppWorkloads;
    /** The SNS topic(s) every alarm notifies, encrypted, with the stack's `groundwork:alertSubscriptions`. */
    readonly alerts: AlertTopic;
    /** Every observable component's alarms, the composite service-health alarm and the stack's dashboard. */
    readonly health: ServiceHealth;
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
    /** DNS name of the API's load balancer (the origin domain's alias target); with the app and its certificate. */
    readonly apiLoadBalancerDnsName?: pulumi.Output<string>;
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
    /** PostgreSQL endpoint (host:port): the instance, or the RDS Proxy's read/write endpoint. */
    readonly databaseEndpoint: pulumi.Output<string>;
    /** Host of read-only connections: the instance itself, or the RDS Proxy's read-only endpoint on the Aurora readers. */
    readonly databaseReadHost: pulumi.Output<string>;
    /** Secrets Manager ARN of the RDS-managed master credentials. */
    readonly databaseMasterSecretArn: pulumi.Output<string>;
    /** PostgreSQL's max_connections for the instance class: the budget the app's pools share. */
    readonly databaseMaxConnections: pulumi.Output<number>;
    /** Cache primary endpoint, or the configuration endpoint in cluster mode (TLS, IAM-authenticated user). */
    readonly cachePrimaryEndpoint: pulumi.Output<string>;
    /** Cache reader endpoint. */
    readonly cacheReaderEndpoint: pulumi.Output<string>;
    /** Jobs queue URL. */
    readonly jobsQueueUrl: pulumi.Output<string>;
    /** Jobs dead-letter queue URL. */
    readonly jobsDlqUrl: pulumi.Output<string>;
    /** IAM role of the API workload. */
    readonly apiRoleArn: pulumi.Output<string>;
    /** IAM role of the worker workload. */
    readonly workerRoleArn: pulumi.Output<string>;
    /** ECR repository URL for the app image (the deploy workflow pushes there and records the digest in groundwork:appImage). */
    readonly appRepositoryUrl: pulumi.Output<string>;
    /** ARN of the alert topic (stack region) every alarm notifies. */
    readonly alertTopicArn: pulumi.Output<string>;
    /** Name of the stack's CloudWatch dashboard. */
    readonly dashboardName: pulumi.Output<string>;
    /** ARN of the composite service-health alarm (stack region). */
    readonly healthAlarmArn: pulumi.Output<string>;
    /** `runs-on` prefix of the in-VPC deploy runner's jobs (`<label>-${{ github.run_id }}-${{ github.run_attempt }}`); only with a deploy runner. */
    readonly deployRunnerLabel?: pulumi.Output<string>;
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
        // All endpoints where the tier asks for them; otherwise those the app's workloads call (infra/awsPaths.ts):
        // pods reach AWS APIs only inside the VPC, in every tier.
        ...(spec.network.interfaceEndpoints ? {} : { interfaceEndpointServices: workloadEndpointServices() }),
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
        // The header the app authenticates with, declared once by the app: keyed in the API cache, redacted in WAF logs.
        credentialHeaders: [APP_CONTRACT.credentialHeader],
    });
    // The reference app's front end (app/web, built by `npm run build:web`) in the edge's bucket: `/` and `/static/*`.
    publishFrontEnd(cdn);

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
    // The deploy path to the private API endpoint (README "Deploying"): a CodeBuild-hosted GitHub Actions runner in
    // the private subnets, the only thing outside the cluster admitted to its API on 443.
    const privateSubnetIds = spec.network.availabilityZones.map((_, i) => network.privateSubnetIds.apply((ids) => ids[i]));
    const deployRunner =
        c.deployRunner === undefined
            ? undefined
            : new DeployRunner("deploy", { ...common, vpcId: network.vpcId, subnetIds: privateSubnetIds, repositoryUrl: c.deployRunner.repositoryUrl, connectionArn: c.deployRunner.connectionArn, protect: spec.settings.protect });
    if (deployRunner) {
        new aws.vpc.SecurityGroupIngressRule(
            "deploy-runner-to-cluster-api",
            {
                securityGroupId: cluster.clusterSecurityGroupId,
                referencedSecurityGroupId: deployRunner.securityGroupId,
                ipProtocol: "tcp",
                fromPort: 443,
                toPort: 443,
                description: "Deploy runner to the private Kubernetes API endpoint",
                tags: common.tags,
            },
            { parent: deployRunner },
        );
    }

    // Data tier in the isolated subnets, reachable only from the nodes' security group (pods share it under the
    // VPC CNI). Subnet lists are built per AZ so their length is known when the components validate them.
    const isolatedSubnetIds = spec.network.availabilityZones.map((_, i) => network.isolatedSubnetIds.apply((ids) => ids[i]));
    const dataPlacement = { vpcId: network.vpcId, subnetIds: isolatedSubnetIds, allowedSecurityGroupIds: [cluster.nodeSecurityGroupId] };
    const d = spec.data;
    // groundwork:dbEngine: one RDS instance, or Aurora (writer, readers across the AZs, reader auto scaling) behind RDS Proxy.
    const database: PostgresDatabase =
        d.dbEngine === "aurora-postgresql"
            ? new AuroraDatabase("db", {
                  ...common,
                  ...dataPlacement,
                  vpcCidrBlock: network.cidrBlock,
                  availabilityZones: [...spec.network.availabilityZones],
                  instanceClass: d.dbInstanceClass,
                  backupRetentionDays: d.dbBackupRetentionDays,
                  deletionProtection: spec.settings.protect,
                  performanceInsights: d.dbPerformanceInsights,
                  monitoringIntervalSeconds: d.dbMonitoringIntervalSeconds,
                  readerMinCount: d.dbReaderMinCount,
                  readerMaxCount: d.dbReaderMaxCount,
                  readerTargetCpuPercent: d.dbReaderTargetCpuPercent,
                  proxyMaxConnectionsPercent: d.dbProxyMaxConnectionsPercent,
                  proxyBorrowTimeoutSeconds: d.dbProxyBorrowTimeoutSeconds,
                  logRetentionDays: d.logRetentionDays,
                  protect: spec.settings.protect,
              })
            : new Database("db", {
                  ...common,
                  ...dataPlacement,
                  instanceClass: d.dbInstanceClass,
                  allocatedStorage: d.dbAllocatedStorage,
                  maxAllocatedStorage: d.dbMaxAllocatedStorage,
                  backupRetentionDays: d.dbBackupRetentionDays,
                  multiAz: spec.settings.multiAz,
                  deletionProtection: spec.settings.protect,
                  performanceInsights: d.dbPerformanceInsights,
                  monitoringIntervalSeconds: d.dbMonitoringIntervalSeconds,
                  logRetentionDays: d.logRetentionDays,
                  protect: spec.settings.protect,
              });
    const cache = new Cache("cache", {
        ...common,
        ...dataPlacement,
        nodeType: d.cacheNodeType,
        highAvailability: spec.settings.multiAz,
        shards: d.cacheShards,
        replicasPerShard: d.cacheReplicasPerShard,
        snapshotRetentionDays: d.cacheSnapshotRetentionDays,
        logRetentionDays: d.logRetentionDays,
        protect: spec.settings.protect,
    });
    const jobs = new Queue("jobs", { ...common, maxProcessingSeconds: d.jobsMaxProcessingSeconds, maxReceiveCount: d.jobsMaxReceiveCount });

    // Workload identities (IRSA): each holds exactly the grants its code uses, on exact ARNs.
    const identity = (name: string) =>
        new WorkloadIdentity(name, { ...common, namespace: APP_NAMESPACE, serviceAccountName: name, oidcProviderArn: cluster.oidcProviderArn, oidcIssuer: cluster.oidcIssuer });
    const api = identity("api");
    const worker = identity("worker");
    const migrate = identity("migrate");
    // The key that encrypts the webhook signing secrets in PostgreSQL: the API seals a new secret, the worker opens it
    // to sign. Generated here, read by the app at start (WEBHOOK_SECRET_KEY_SECRET_ARN) with its own role.
    const appSecretsKey = new KmsKey("app-secrets", { ...common, description: "Groundwork app secrets", protect: spec.settings.protect });
    const webhookKey = new Secret("webhook-key", {
        ...common,
        kmsKeyArn: appSecretsKey.keyArn,
        description: "Key material of the app's webhook signing-secret encryption (AES-256-GCM, derived with HKDF)",
        length: 64,
        specialCharacters: "",
        noRotationReason: "A new value needs the stored signing secrets re-encrypted - the app cannot do that yet",
    });
    // Every role is granted exactly the calls its entry point lists in the app's contract: the API only reads the
    // queue's attributes (the worker's outbox relay publishes the jobs), the worker consumes and publishes, the
    // migrations Job reads the master secret. Modules deployed as their own Service (groundwork:appExtractModules)
    // get an identity each, granted their `<module>-api` entry.
    const contractResources: ContractResources = { database, dbUser: APP_DB_USER, cache, jobs, webhookKey };
    grantContractCalls(api, "api", contractResources);
    grantContractCalls(worker, "worker", contractResources);
    grantContractCalls(migrate, "migrate", contractResources);
    const extracted = Object.fromEntries(
        spec.app.extractModules.map((m) => {
            const id = identity(`${m}-api`);
            grantContractCalls(id, `${m}-api`, contractResources);
            return [m, id];
        }),
    );

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
        queueArns: [jobs.arn],
    });

    // The API's load balancer, owned by the program so its alarms and the packs see it (the controller only registers
    // the pods, through a TargetGroupBinding): HTTPS for the origin domain, reached only from CloudFront (origin
    // security group) with the origin-verify header, forwarding over HTTPS to the mesh's ingress gateway (its pods
    // share the nodes' group), which forwards to the API over mTLS. The health check goes the same way to the API's
    // readiness endpoint, so a target is healthy when the gateway and an API pod behind it are.
    const publicSubnetIds = spec.network.availabilityZones.map((_, i) => network.publicSubnetIds.apply((ids) => ids[i]));
    const apiLoadBalancer =
        spec.app.image === undefined || spec.app.originCertificateArn === undefined
            ? undefined
            : new LoadBalancer("api-lb", {
                  ...common,
                  vpcId: network.vpcId,
                  subnetIds: publicSubnetIds,
                  scheme: "internet-facing",
                  clientSecurityGroupIds: [cdn.originSecurityGroupId],
                  certificateArn: spec.app.originCertificateArn,
                  host: spec.cdn.apiOriginDomain,
                  requiredHeader: { name: cdn.originVerifyHeaderName, value: cdn.originVerifyHeaderValue },
                  targetPort: INGRESS_GATEWAY_HTTPS_PORT,
                  targetProtocol: "HTTPS",
                  healthCheckPath: API_READINESS_PATH,
                  targetSecurityGroupId: cluster.nodeSecurityGroupId,
                  bindingClusterName: cluster.knownClusterName,
                  deletionProtection: spec.settings.protect,
              });

    // The mesh: Istio ambient (istio-cni and ztunnel on every node, istiod), in every tier: the same traffic path in dev
    // and prod. With the API's load balancer, the ingress gateway it targets over HTTPS (certificate from cert-manager).
    const mesh = new Mesh("mesh", {
        ...common,
        kubernetesProvider: cluster.provider,
        kubernetesDependsOn: [clusterAddons],
        replicas: c.addonReplicas,
        ...(apiLoadBalancer ? { ingressGateway: { targetGroupArn: apiLoadBalancer.targetGroupArn, host: spec.cdn.apiOriginDomain } } : {}),
    });

    // The alert topic (plus one in us-east-1, where the edge's alarms live, when the stack is elsewhere): the alarms and
    // the cluster's Alertmanager notify it.
    const alerts = new AlertTopic("alerts", {
        ...common,
        subscriptions: [...spec.observe.alertSubscriptions],
        additionalRegions: [CLOUDFRONT_REGION],
        protect: spec.settings.protect,
    });

    // Metrics, traces and logs of the cluster: Prometheus loads the app's rules and monitors, Grafana the dashboards of
    // observability/dashboards, the collector sends the app's traces to X-Ray, the add-on ships container logs.
    const telemetry = new ClusterTelemetry(
        "telemetry",
        {
            ...common,
            clusterName: cluster.knownClusterName,
            kubernetesProvider: cluster.provider,
            oidcProviderArn: cluster.oidcProviderArn,
            oidcIssuer: cluster.oidcIssuer,
            logRetentionDays: c.logRetentionDays,
            monitoredParts: Object.values(appMonitorLabels(APP_NAME)),
            dashboards: loadDashboards(path.join(__dirname, "..", "observability", "dashboards")),
            replicas: c.addonReplicas,
            remoteWrite: spec.tier === "prod",
            alertTopicArn: alerts.topicArn,
            alertTopicKeyArn: alerts.kmsKeyArn,
            correlationIdField: APP_CORRELATION_ID_FIELD,
            appNamespace: APP_NAMESPACE,
            protect: spec.settings.protect,
            // Enrolled in the mesh: Prometheus scrapes and the app's OTLP exports are mTLS.
            mesh: true,
            kubernetesDependsOn: [clusterAddons, mesh],
            nodeGroups: Object.values(cluster.nodeGroups).map((g) => g.nodeGroup),
        },
    );

    // The app's image repository: immutable tags, scanned on push, KMS-encrypted.
    const registry = new ContainerRegistry("app-images", { ...common, protect: spec.settings.protect });

    // The origin's name resolves to the load balancer when it lies in the stack's own hosted zone; otherwise the
    // owner of that zone points it at the `apiLoadBalancerDnsName` output.
    const zoneId = spec.cdn.hostedZoneId;
    if (apiLoadBalancer && zoneId !== undefined && spec.cdn.domain !== undefined && spec.cdn.apiOriginDomain.endsWith(`.${spec.cdn.domain}`)) {
        new aws.route53.Record(
            "api-origin-record",
            { zoneId, name: spec.cdn.apiOriginDomain, type: "A", aliases: [{ name: apiLoadBalancer.dnsName, zoneId: apiLoadBalancer.zoneId, evaluateTargetHealth: true }] },
            { parent: apiLoadBalancer },
        );
    }

    // The reference app: API and worker from one pinned image, once CI has pushed one (groundwork:appImage).
    const app =
        spec.app.image === undefined
            ? undefined
            : deployApp(
                  APP_NAME,
                  APP_NAMESPACE,
                  { ...spec.app, image: spec.app.image, tier: spec.tier },
                  spec.region,
                  d.jobsMaxReceiveCount,
                  { network, cluster, clusterAddons, mesh, database, dbUser: APP_DB_USER, cache, jobs, webhookKeySecretArn: webhookKey.arn, apiLoadBalancer, identities: { api, worker, migrate, extracted }, telemetry },
                  common,
              );

    // Observability, from one registry: every observable component's alarms, the composite health alarm and the dashboard.
    // The platform's components are the registry: whichever of them is Observable is alarmed and drawn.
    const components = { network, cdn, ...(apiLoadBalancer ? { apiLoadBalancer } : {}), cluster, clusterAddons, database, cache, jobs, registry };
    const health = new ServiceHealth("health", { ...common, target: alerts, components: observedComponents(components) });

    return {
        ...components,
        mesh,
        telemetry,
        identities: { api, worker, migrate, extracted },
        webhookKey,
        ...(app ? { app } : {}),
        alerts,
        health,
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
            ...(apiLoadBalancer ? { apiLoadBalancerDnsName: apiLoadBalancer.dnsName } : {}),
            clusterName: cluster.clusterName,
            clusterEndpoint: cluster.endpoint,
            clusterOidcIssuer: cluster.oidcIssuer,
            nodeSecurityGroupId: cluster.nodeSecurityGroupId,
            kubeconfig: cluster.kubeconfig,
            databaseEndpoint: database.endpoint,
            databaseReadHost: database.readAddress,
            databaseMasterSecretArn: database.masterSecretArn,
            databaseMaxConnections: database.maxConnections,
            cachePrimaryEndpoint: cache.primaryEndpoint,
            cacheReaderEndpoint: cache.readerEndpoint,
            jobsQueueUrl: jobs.url,
            jobsDlqUrl: jobs.dlqUrl,
            apiRoleArn: api.roleArn,
            workerRoleArn: worker.roleArn,
            appRepositoryUrl: registry.repositoryUrl,
            alertTopicArn: alerts.topicArn,
            dashboardName: health.dashboardName,
            healthAlarmArn: health.healthAlarmArn,
            ...(deployRunner ? { deployRunnerLabel: deployRunner.runnerLabel } : {}),
        },
    };
}

/** What {@link grantContractCalls} can grant on: the resources the app's contract names. */
export interface ContractResources {
    readonly database: PostgresDatabase;
    readonly dbUser: string;
    readonly cache: Cache;
    readonly jobs: Queue;
    readonly webhookKey: Secret;
}

/** One grant {@link grantContractCalls} can make: exactly `actions` on the contract's `resource`. */
interface ContractGrant {
    readonly resource: string;
    readonly actions: readonly string[];
    readonly grant: (id: WorkloadIdentity, r: ContractResources) => void;
    /** The KMS resource this grant's statements also cover (decrypt through Secrets Manager): the contract lists both. */
    readonly covers?: string;
    /** For such a KMS resource: the grant that covers it (this entry grants nothing itself). */
    readonly coveredBy?: string;
}

/**
 * The grant of each (resource, actions) pair an entry of the app's contract may list. A pair not in the table fails
 * the program, naming it: a process that starts calling something new needs its grant written here first.
 */
const CONTRACT_GRANTS: readonly ContractGrant[] = [
    { resource: "database-user", actions: ["rds-db:connect"], grant: (id, r) => r.database.grantConnect(id, r.dbUser) },
    { resource: "cache-user", actions: ["elasticache:Connect"], grant: (id, r) => r.cache.grantConnect(id) },
    { resource: "jobs-dlq", actions: ["sqs:GetQueueAttributes"], grant: (id, r) => r.jobs.grantMonitorDeadLetters(id) },
    // Readiness and the depth gauge only (the API).
    {
        resource: "jobs-queue",
        actions: ["sqs:GetQueueAttributes"],
        grant: (id, r) => id.addStatements("jobs-attributes", [{ sid: "JobsQueueAttributes", actions: ["sqs:GetQueueAttributes"], resources: [r.jobs.arn] }]),
    },
    // The worker: its consumer, and its outbox relay publishing the jobs the API committed.
    {
        resource: "jobs-queue",
        actions: ["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage", "sqs:SendMessage"],
        grant: (id, r) => (r.jobs.grantConsume(id), r.jobs.grantSend(id)),
    },
    { resource: "webhook-key", actions: ["secretsmanager:GetSecretValue"], grant: (id, r) => r.webhookKey.grantGetValue(id), covers: "webhook-kms-key" },
    { resource: "webhook-kms-key", actions: ["kms:Decrypt"], grant: () => undefined, coveredBy: "webhook-key" },
    { resource: "database-master-secret", actions: ["secretsmanager:GetSecretValue"], grant: (id, r) => r.database.grantReadMasterSecret(id), covers: "database-key" },
    { resource: "database-key", actions: ["kms:Decrypt"], grant: () => undefined, coveredBy: "database-master-secret" },
];

/** Grants `id` the calls of `entry` in the app's contract (app/src/contract.json), through {@link CONTRACT_GRANTS}. */
export function grantContractCalls(id: WorkloadIdentity, entry: string, resources: ContractResources, contract: { awsCalls: Record<string, Record<string, string[]>> } = APP_CONTRACT): void {
    const calls = contract.awsCalls[entry];
    if (!calls) throw new Error(`app/src/contract.json has no awsCalls entry '${entry}'. Fix: add the calls of that process to the contract`);
    const same = (a: readonly string[], b: readonly string[]) => [...a].sort().join() === [...b].sort().join();
    for (const [resource, actions] of Object.entries(calls)) {
        const g = CONTRACT_GRANTS.find((c) => c.resource === resource && same(c.actions, actions));
        if (!g) throw new Error(`app/src/contract.json: '${entry}' calls ${actions.join(", ")} on '${resource}', which infra/platform.ts cannot grant. Fix: add that grant to CONTRACT_GRANTS`);
        const partner = g.covers ?? g.coveredBy;
        if (partner && !calls[partner]) throw new Error(`app/src/contract.json: '${entry}' lists '${resource}' without '${partner}', which its grant also covers. Fix: list both`);
        g.grant(id, resources);
    }
}

/**
 * The observability registry: every component of the platform that derives alarms from its configuration
 * ({@link Observable}), in dashboard order. It is computed from the components, not listed by hand, so a new
 * observable component passed here is alarmed and drawn on the dashboard without a second edit.
 *
 * The API's load balancer is among them because the program owns it (`LoadBalancer`); an ALB the controller created
 * from an Ingress could not be, since its metric dimension (`app/<name>/<id>`) holds an id AWS assigns at creation.
 */
export function observedComponents(components: Readonly<Record<string, unknown>>): Observable[] {
    return Object.values(components).filter(isObservable);
}
