import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { Cache } from "../components/cache";
import type { Cluster, ClusterAddons } from "../components/cluster";
import { connectionBudget, RESERVED_DB_CONNECTIONS, type PostgresDatabase } from "../components/database";
import type { LoadBalancer } from "../components/loadbalancer";
import { meshPrincipal, type Mesh } from "../components/mesh";
import type { WorkloadIdentity } from "../components/identity";
import type { Network } from "../components/network";
import type { Queue } from "../components/queue";
import type { ClusterTelemetry } from "../components/telemetry";
import { containerSecurityContext, DNS_EGRESS, NamespaceIsolation, podSecurityContext, Service } from "../components/service";
import type { AppSpec, Tier } from "../stacks";
import { EXTRACTABLE_MODULES } from "../stacks/schema";
import { appAlertRuleGroups } from "./alertRules";
import APP_CONTRACT from "../app/src/contract.json";

/** Connections PostgreSQL keeps for superusers, RDS's own agents and migrations (components/database/budget.ts). */
export { RESERVED_DB_CONNECTIONS };

/** API HTTP port inside the pod. */
export const API_PORT = 8080;

/** Port of the API's /metrics: a container port no Service, Ingress or CDN behaviour exposes (a scraper reaches the pod). */
export const API_METRICS_PORT = 9464;

/** The API's readiness endpoint: the pod's readiness probe and the load balancer's health check both ask it. */
export const API_READINESS_PATH = "/readyz";

/**
 * Share of requests whose spans are recorded and exported, per tier: every request in dev, a tenth in prod, where
 * recording every span costs about a sixth of the API's read throughput (the app's bench ladder) and X-Ray bills
 * per trace. Parent-based: a request that arrives with a sampled `traceparent` is recorded whatever the ratio.
 */
export const TRACE_SAMPLE_RATIO: Readonly<Record<Tier, number>> = { dev: 1, prod: 0.1 };

/**
 * TCP ports a webhook callback may use (the app's contract `webhookPorts`): the app refuses other ports (WEBHOOK_PORTS)
 * and the worker's internet egress opens exactly these.
 */
export const WEBHOOK_PORTS: readonly number[] = APP_CONTRACT.webhookPorts;

/** Worker health and metrics port inside the pod. */
export const WORKER_HEALTH_PORT = 9091;

/**
 * Size of each pod's PostgreSQL pool so that every pod at its maximum scale fits in the instance's
 * `max_connections` (less a reserve): floor((maxConnections - reserve) / maxPods), at least 1. Pure.
 * Without it, scaling out would exhaust the database long before the CPU (the article's pool budget).
 * With RDS Proxy, {@link connectionBudget} budgets against the proxy's pinned maximum instead.
 */
export function poolSizePerPod(maxConnections: number, maxPods: number, reserve = RESERVED_DB_CONNECTIONS): number {
    return connectionBudget({ maxConnections, instanceClass: `an instance with max_connections ${maxConnections}` }, maxPods, reserve).poolSize;
}

/** The cache's IAM-authenticated user: the app never uses an AUTH token on the platform. */
function requireIamUser(cache: Cache): pulumi.Output<string> {
    if (cache.userName === undefined) throw new Error("deployApp: the Cache must use auth 'iam' (the app authenticates with its IRSA role)");
    return cache.userName;
}

/** What the app's workloads need from the rest of the platform. */
export interface AppDeps {
    /** The network (VPC CIDR for egress to the data tier and AWS endpoints). */
    readonly network: Network;
    /** The cluster (its Kubernetes provider). */
    readonly cluster: Cluster;
    /** The add-ons (the load balancer controller and KEDA must exist before the workloads). */
    readonly clusterAddons: ClusterAddons;
    /**
     * The mesh: the app's namespace is enrolled with STRICT mTLS, each workload admits only its callers' principals,
     * and the API is reached from the load balancer through the mesh's ingress gateway.
     */
    readonly mesh: Mesh;
    /** PostgreSQL (IAM authentication as `dbUser`): one instance, or Aurora behind RDS Proxy. */
    readonly database: PostgresDatabase;
    /** PostgreSQL role the app connects as. */
    readonly dbUser: string;
    /** Valkey (IAM-authenticated user). */
    readonly cache: Cache;
    /** The jobs queue. */
    readonly jobs: Queue;
    /**
     * The API's load balancer (CloudFront's origin): its target group receives the mesh's ingress gateway (the
     * `Mesh`'s `ingressGateway`), which routes to the API. Without one, the API is reached inside the cluster only.
     */
    readonly apiLoadBalancer?: LoadBalancer;
    /**
     * IRSA roles of the workloads: the migrations job reads the master secret, api and worker use IAM auth; one per
     * module of `spec.extractModules` (by module name), for its own Service.
     */
    readonly identities: { readonly api: WorkloadIdentity; readonly worker: WorkloadIdentity; readonly migrate: WorkloadIdentity; readonly extracted?: Readonly<Record<string, WorkloadIdentity>> };
    /** Secrets Manager secret whose value keys the encryption of the webhook signing secrets (api and worker read it). */
    readonly webhookKeySecretArn?: pulumi.Input<string>;
    /**
     * The cluster's telemetry: with traces, api and worker export OTLP to its collector (env and egress); with metrics,
     * its Prometheus scrapes their metrics ports (PodMonitors, ingress) and loads the app's PrometheusRule.
     */
    readonly telemetry?: ClusterTelemetry;
}

/**
 * Labels of the app's PrometheusRule and PodMonitors: the `app.kubernetes.io/part-of` that the cluster's Prometheus
 * selects (`ClusterTelemetry` `monitoredParts`). Pure.
 */
export function appMonitorLabels(name: string): Record<string, string> {
    return { "app.kubernetes.io/part-of": name };
}

/** The deployed workloads. */
export interface AppWorkloads {
    /** Namespace default-deny and Pod Security labels. */
    readonly namespace: NamespaceIsolation;
    /** The HTTP API. */
    readonly api: Service;
    /** The queue worker. */
    readonly worker: Service;
    /** The modules deployed apart from the API (`spec.extractModules`), by module name: `<module>-api` Services. */
    readonly extracted: Readonly<Record<string, Service>>;
    /** The migrations job of this image (runs before the workloads roll out). */
    readonly migrations: kubernetes.batch.v1.Job;
    /** The app's SLO alerts (infra/alertRules.ts) as a Prometheus Operator PrometheusRule in the app's namespace. */
    readonly alertRules: kubernetes.apiextensions.CustomResource;
    /** PodMonitors of the api's and worker's metrics ports, with the cluster's metrics (`deps.telemetry`). */
    readonly podMonitors: kubernetes.apiextensions.CustomResource[];
    /** The VirtualService routing the mesh's ingress gateway to the API; undefined without an ingress gateway. */
    readonly ingressRoute?: kubernetes.apiextensions.CustomResource;
}

/**
 * Deploys the reference app's API and worker into `namespace`, one image, two commands, configured for the
 * platform: IAM authentication to PostgreSQL and Valkey (no passwords), the jobs queue, pool sizes that fit the
 * database, the API registered in the program's load balancer (`deps.apiLoadBalancer`), which only CloudFront can
 * reach (origin security group and the origin-verify header), the worker on the Spot queue-worker nodes scaled by KEDA on queue depth, and the app's SLO
 * alert rules for `spec.tier` (prod's, the stricter, when no tier is given).
 */
export function deployApp(name: string, namespace: string, spec: AppSpec & { readonly image: string; readonly tier?: Tier }, region: string, jobsMaxReceiveCount: number, deps: AppDeps, common: { tags: Record<string, string> }): AppWorkloads {
    const { cluster, database, cache, jobs, identities } = deps;
    // ztunnel and istio-cni run before the app's pods start, so none of them starts outside the mesh.
    const dependsOn = [deps.clusterAddons, deps.mesh];
    const ns = new NamespaceIsolation(`${name}-namespace`, { ...common, provider: cluster.provider, namespace, mesh: true }, { dependsOn });
    const extractModules = [...(spec.extractModules ?? [])];
    for (const m of extractModules) {
        if (!EXTRACTABLE_MODULES.includes(m)) throw new Error(`deployApp: module '${m}' cannot be extracted (app/src/contract.json has no routePrefixes and '${m}-api' awsCalls for it); extractable: ${EXTRACTABLE_MODULES.join(", ")}`);
        if (!deps.identities.extracted?.[m]) throw new Error(`deployApp: module '${m}' is extracted but deps.identities.extracted has no identity for it. Fix: pass a WorkloadIdentity granted the '${m}-api' calls`);
    }
    // Each extracted module scales like the API, so its pods count against the database's connections too.
    const maxPods = spec.apiMaxReplicas * (1 + extractModules.length) + spec.workerMaxReplicas;
    // Checked while the program runs, so a scale the database (or its proxy) cannot serve fails the plan with the numbers.
    const budget = connectionBudget(database.connectionLimits, maxPods);
    const env: Record<string, pulumi.Input<string>> = {
        NODE_ENV: "production",
        AWS_REGION: region,
        SERVICE_NAME: name,
        DATABASE_IAM_AUTH: "true",
        DATABASE_HOST: database.address,
        // Reads that tolerate replica lag (app/src/modules/catalog) get a second pool of the same size on the proxy's
        // read-only endpoint: the readers have the writer's class, so the same budget holds there. One instance: no second pool.
        ...(database.hasReaders ? { DATABASE_READ_HOST: database.readAddress } : {}),
        DATABASE_PORT: pulumi.output(database.port).apply(String),
        DATABASE_NAME: database.dbName,
        DATABASE_USER: deps.dbUser,
        DB_POOL_MAX: String(budget.poolSize),
        REDIS_IAM_AUTH: "true",
        REDIS_URL: pulumi.interpolate`rediss://${cache.primaryEndpoint}:${cache.port}`,
        REDIS_USER: requireIamUser(cache),
        // Cluster mode: REDIS_URL is the configuration endpoint and the app's client speaks the cluster protocol.
        ...(cache.clusterMode ? { REDIS_CLUSTER: "true" } : {}),
        ELASTICACHE_REPLICATION_GROUP_ID: cache.replicationGroupId,
        // Every request of dev is traced; prod records a tenth (an unsampled request keeps its trace id in the logs).
        OTEL_TRACES_SAMPLER: "parentbased_traceidratio",
        OTEL_TRACES_SAMPLER_ARG: String(TRACE_SAMPLE_RATIO[spec.tier ?? "prod"]),
        SQS_QUEUE_URL: jobs.url,
        SQS_DLQ_URL: jobs.dlqUrl,
        JOB_MAX_RECEIVES: String(jobsMaxReceiveCount),
    };
    // Webhooks: the key of the stored signing secrets (api seals, worker signs), and the ports callback URLs may use,
    // which are the ports the worker's internet egress opens (api refuses other ports at submission).
    const webhookEnv: Record<string, pulumi.Input<string>> = {
        ...(deps.webhookKeySecretArn !== undefined ? { WEBHOOK_SECRET_KEY_SECRET_ARN: deps.webhookKeySecretArn } : {}),
        WEBHOOK_PORTS: WEBHOOK_PORTS.join(","),
    };
    const common2 = {
        ...common,
        provider: cluster.provider,
        namespace,
        image: spec.image,
        // Data tier and AWS APIs (interface endpoints / NAT) are reached inside the VPC on these ports only.
        egressTo: [{ cidr: deps.network.cidrBlock, ports: [5432, 6379, 443] }],
    };
    const migrations = migrationsJob(name, namespace, spec.image, deps, env, common2.egressTo, [ns, ...dependsOn]);
    // Telemetry: traces to the collector (its OTLP ports, nothing else of its namespace); Prometheus scrapes the metrics ports.
    const t = telemetryWiring(deps.telemetry);
    // The API's callers from outside its namespace: the mesh's ingress gateway (the load balancer's target) on the API port.
    const gateway = deps.mesh.ingressGatewayPeer;
    const fromGateway = gateway ? [{ namespace: gateway.namespace, podLabels: { ...gateway.podLabels }, ports: [API_PORT], principal: gateway.principal }] : [];
    // The provider waits for the Job to succeed, so pods of a new image only start on a migrated schema.
    const rollout = { dependsOn: [ns, migrations, ...dependsOn] };
    const api = new Service(
        "api",
        {
            ...common2,
            command: ["node", "dist/server.js"],
            port: API_PORT,
            env: {
                ...env,
                ...webhookEnv,
                ...t.env,
                PORT: String(API_PORT),
                METRICS_PORT: String(API_METRICS_PORT),
                SHUTDOWN_DRAIN_DELAY_MS: "5000",
                ...(extractModules.length ? { MODULES: APP_CONTRACT.modules.filter((m) => !extractModules.includes(m)).join(",") } : {}),
            },
            egressTo: [...common2.egressTo, ...t.egressTo],
            roleArn: identities.api.roleArn,
            scaling: { kind: "hpa", min: spec.apiMinReplicas, max: spec.apiMaxReplicas, cpuUtilization: 70 },
            readinessPath: API_READINESS_PATH,
            // In the mesh: only the gateway (API port) and Prometheus (metrics port), each by its certificate.
            mesh: true,
            ingressFrom: [...fromGateway, ...t.scrapedOn(API_METRICS_PORT)],
        },
        rollout,
    );
    const worker = new Service(
        "worker",
        {
            ...common2,
            command: ["node", "dist/worker.js"],
            healthPort: WORKER_HEALTH_PORT,
            env: { ...env, ...webhookEnv, ...t.env, WORKER_METRICS_PORT: String(WORKER_HEALTH_PORT) },
            egressTo: [...common2.egressTo, ...t.egressTo],
            // Webhook receivers are customers' servers on the internet; the app refuses non-public addresses itself.
            internetEgress: { ports: [...WEBHOOK_PORTS], reason: "delivers signed job webhooks to the receivers customers register (public HTTPS only)" },
            mesh: true,
            ingressFrom: t.scrapedOn(WORKER_HEALTH_PORT),
            roleArn: identities.worker.roleArn,
            scaling: { kind: "queue", queueUrl: jobs.url, min: spec.workerMinReplicas, max: spec.workerMaxReplicas, messagesPerReplica: 5 },
            nodeSelector: { "groundwork.dev/workload": "queue-worker" },
            tolerations: [{ key: "groundwork.dev/queue-worker", value: "true", effect: "NoSchedule" }],
            // A job may run up to the queue's processing time; SIGTERM lets the current one finish.
            terminationGracePeriodSeconds: 90,
        },
        rollout,
    );
    // Extracted modules: the API process of one module (MODULES=<module>), its own Service, role and scale. It needs no
    // queue, no webhook key and no internet: its env and egress are the data tier's and the collector's only.
    const { SQS_QUEUE_URL: _q, SQS_DLQ_URL: _dlq, JOB_MAX_RECEIVES: _r, ...dataEnv } = env;
    const extracted = Object.fromEntries(
        extractModules.map((m) => [
            m,
            new Service(
                `${m}-api`,
                {
                    ...common2,
                    command: ["node", "dist/server.js"],
                    port: API_PORT,
                    env: { ...dataEnv, ...t.env, MODULES: m, PORT: String(API_PORT), METRICS_PORT: String(API_METRICS_PORT), SHUTDOWN_DRAIN_DELAY_MS: "5000" },
                    egressTo: [...common2.egressTo, ...t.egressTo],
                    roleArn: deps.identities.extracted![m].roleArn,
                    scaling: { kind: "hpa", min: spec.apiMinReplicas, max: spec.apiMaxReplicas, cpuUtilization: 70 },
                    readinessPath: API_READINESS_PATH,
                    mesh: true,
                    ingressFrom: [...fromGateway, ...t.scrapedOn(API_METRICS_PORT)],
                },
                rollout,
            ),
        ]),
    );
    // Needs the Prometheus Operator's CRDs in the cluster (monitoring.coreos.com/v1); the metrics stack installs them.
    const crds = { provider: cluster.provider, dependsOn: [ns, ...t.metricsRelease] };
    const alertRules = new kubernetes.apiextensions.CustomResource(
        `${name}-alert-rules`,
        {
            apiVersion: "monitoring.coreos.com/v1",
            kind: "PrometheusRule",
            metadata: { name: `${name}-slo`, namespace, labels: { "app.kubernetes.io/name": "alert-rules", ...appMonitorLabels(name) } },
            spec: { groups: appAlertRuleGroups(spec.tier ?? "prod") },
        },
        crds,
    );
    const podMonitors =
        t.metricsRelease.length === 0
            ? []
            : [
                  { workload: api, port: API_METRICS_PORT },
                  { workload: worker, port: WORKER_HEALTH_PORT },
                  ...Object.values(extracted).map((workload) => ({ workload, port: API_METRICS_PORT })),
              ].map(
                  ({ workload, port }) =>
                      new kubernetes.apiextensions.CustomResource(
                          `${name}-${workload.baseName}-metrics`,
                          {
                              apiVersion: "monitoring.coreos.com/v1",
                              kind: "PodMonitor",
                              metadata: { name: `${workload.baseName}-metrics`, namespace, labels: { "app.kubernetes.io/name": `${workload.baseName}-metrics`, ...appMonitorLabels(name) } },
                              spec: { selector: { matchLabels: workload.selectorLabels }, podMetricsEndpoints: [{ portNumber: port, path: "/metrics", interval: "30s", scheme: "http" }] },
                          },
                          { ...crds, dependsOn: [...crds.dependsOn, workload] },
                      ),
              );
    // The gateway's HTTPS requests (any Host: the load balancer's rule has checked it) go to the API over mTLS.
    const ingressRoute =
        deps.mesh.ingressGatewayRef === undefined
            ? undefined
            : new kubernetes.apiextensions.CustomResource(
                  `${name}-ingress-route`,
                  {
                      apiVersion: "networking.istio.io/v1",
                      kind: "VirtualService",
                      metadata: { name: "api", namespace, labels: { "app.kubernetes.io/name": "api", "app.kubernetes.io/part-of": name } },
                      spec: {
                          hosts: ["*"],
                          gateways: [deps.mesh.ingressGatewayRef],
                          // An extracted module's paths go to its own Service; everything else to the API.
                          http: [
                              ...extractModules.map((m) => ({
                                  name: `${m}-api`,
                                  match: (APP_CONTRACT.routePrefixes as Record<string, string[]>)[m].map((prefix) => ({ uri: { prefix } })),
                                  route: [{ destination: { host: `${m}-api.${namespace}.svc.cluster.local`, port: { number: API_PORT } } }],
                              })),
                              { name: "api", route: [{ destination: { host: `api.${namespace}.svc.cluster.local`, port: { number: API_PORT } } }] },
                          ],
                      },
                  },
                  { provider: cluster.provider, dependsOn: [ns, api, ...Object.values(extracted)] },
              );
    return { namespace: ns, api, worker, extracted, migrations, alertRules, podMonitors, ...(ingressRoute ? { ingressRoute } : {}) };
}

/**
 * What the cluster's telemetry adds to api and worker: the OTLP endpoint env and egress to the collector's pods on its
 * OTLP ports (with traces), ingress from Prometheus on a metrics port (with its mesh principal, from the service
 * account the chart runs it as) and the release whose CRDs the app's
 * PrometheusRule and PodMonitors need (with metrics). Empty without telemetry. Pure.
 */
export function telemetryWiring(telemetry: Pick<ClusterTelemetry, "otlpEndpoint" | "collectorPeer" | "prometheusPeer" | "metricsRelease"> | undefined): {
    env: Record<string, string>;
    egressTo: { namespace: string; podLabels: Record<string, string>; ports: number[] }[];
    scrapedOn: (port: number) => { namespace: string; podLabels: Record<string, string>; ports: number[]; principal: string }[];
    metricsRelease: pulumi.Resource[];
} {
    const collector = telemetry?.collectorPeer;
    const prometheus = telemetry?.prometheusPeer;
    return {
        env: telemetry?.otlpEndpoint !== undefined ? { OTEL_EXPORTER_OTLP_ENDPOINT: telemetry.otlpEndpoint } : {},
        egressTo: collector ? [{ namespace: collector.namespace, podLabels: { ...collector.podLabels }, ports: [...collector.ports] }] : [],
        scrapedOn: (port) => (prometheus ? [{ namespace: prometheus.namespace, podLabels: { ...prometheus.podLabels }, ports: [port], principal: meshPrincipal(prometheus.namespace, prometheus.serviceAccountName) }] : []),
        metricsRelease: telemetry?.metricsRelease ? [telemetry.metricsRelease] : [],
    };
}

/** UID/GID the image runs as (app/Dockerfile `USER 10001:10001`). */
const APP_UID = 10001;
/** Service account of the migrations Job (IRSA: its role reads the RDS-managed master secret). */
const MIGRATE_SERVICE_ACCOUNT = "migrate";

/**
 * One Job per image: `node dist/migrate.js` with the RDS-managed master credentials (read through its own IRSA role)
 * applies the schema and makes sure the `app` role exists with `rds_iam`, so api and worker can log in with IAM
 * tokens. Restricted pod security, its own NetworkPolicy (DNS, and the VPC on the data and AWS ports).
 */
function migrationsJob(
    name: string,
    namespace: string,
    image: string,
    deps: AppDeps,
    appEnv: Record<string, pulumi.Input<string>>,
    egressTo: { cidr: pulumi.Input<string>; ports: number[] }[],
    dependsOn: pulumi.Resource[],
): kubernetes.batch.v1.Job {
    const { cluster, database } = deps;
    const opts = { provider: cluster.provider, dependsOn };
    const labels = { "app.kubernetes.io/name": "migrate", "app.kubernetes.io/part-of": name };
    const sa = new kubernetes.core.v1.ServiceAccount(
        "migrate-sa",
        { metadata: { name: MIGRATE_SERVICE_ACCOUNT, namespace, labels, annotations: { "eks.amazonaws.com/role-arn": deps.identities.migrate.roleArn } }, automountServiceAccountToken: false },
        opts,
    );
    new kubernetes.networking.v1.NetworkPolicy(
        "migrate-allow",
        {
            metadata: { name: "migrate-allow", namespace, labels },
            spec: {
                podSelector: { matchLabels: labels },
                policyTypes: ["Ingress", "Egress"],
                ingress: [],
                egress: [DNS_EGRESS, ...egressTo.map((e) => ({ to: [{ ipBlock: { cidr: e.cidr } }], ports: e.ports.map((port) => ({ protocol: "TCP", port })) }))],
            },
        },
        opts,
    );
    const { DATABASE_IAM_AUTH: _iam, DATABASE_USER: _user, DB_POOL_MAX: _pool, ...shared } = appEnv;
    const env: Record<string, pulumi.Input<string>> = {
        ...shared,
        // The master secret's password logs in to the database itself (the proxy requires IAM tokens).
        DATABASE_HOST: database.directAddress,
        DATABASE_SECRET_ARN: database.masterSecretArn,
        DATABASE_TLS: "true",
        DATABASE_IAM_BOOTSTRAP_ROLE: deps.dbUser,
        DB_POOL_MAX: "2",
    };
    return new kubernetes.batch.v1.Job(
        "migrate",
        {
            // Named by image digest: a new image is a new Job (a Job's pod template cannot change in place).
            metadata: { namespace, labels, annotations: { "groundwork.dev/image": image } },
            spec: {
                backoffLimit: 3,
                activeDeadlineSeconds: 900,
                template: {
                    metadata: { labels },
                    spec: {
                        // The literal name, so policies can judge it in a preview (the object's output is
                        // unknown until the cluster exists); dependsOn orders the Job after the account.
                        serviceAccountName: MIGRATE_SERVICE_ACCOUNT,
                        automountServiceAccountToken: false,
                        restartPolicy: "Never",
                        enableServiceLinks: false,
                        securityContext: podSecurityContext(APP_UID, APP_UID),
                        containers: [
                            {
                                name: "migrate",
                                image,
                                command: ["node", "dist/migrate.js"],
                                env: Object.keys(env)
                                    .sort()
                                    .map((k) => ({ name: k, value: env[k] })),
                                resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
                                securityContext: containerSecurityContext(APP_UID, APP_UID),
                                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                            },
                        ],
                        volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
                    },
                },
            },
        },
        { ...opts, dependsOn: [...dependsOn, sa], deleteBeforeReplace: true },
    );
}
