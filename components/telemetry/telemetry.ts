import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, LOG_RETENTION_DAYS, statefulOptions, Transform } from "../base";
import { CONTAINER_SECURITY_CONTEXT, PinnedChart, POD_SECURITY_CONTEXT } from "../cluster/charts";
import { WorkloadIdentity, WorkloadIdentityTransforms } from "../identity/workloadIdentity";
import { AMBIENT_DATAPLANE_LABEL, OUT_OF_MESH_POD_LABEL, strictPeerAuthentication } from "../mesh/constants";
import { alertmanagerConfig, alertPublisherStatements, ampRemoteWriteUrl, containerInsightsLogGroupNames, correlationQuery, logsKeyPolicy, logWriterStatements, remoteWriteStatements, xrayWriterStatements } from "./documents";
import { ADOT_COLLECTOR_IMAGE, CLOUDWATCH_OBSERVABILITY_ADDON, OTLP_GRPC_PORT, OTLP_HTTP_PORT, TELEMETRY_CHARTS } from "./versions";

/** `app.kubernetes.io/part-of` of the kube-prometheus-stack chart's own rules and monitors (always selected). */
export const CHART_PART_OF = "kube-prometheus-stack";
/** Label the telemetry pods carry so NetworkPolicies of other namespaces can name them. */
export const TELEMETRY_POD_LABEL = "groundwork.dev/telemetry";
/** Label (and value) Grafana's sidecar imports dashboards from. */
export const GRAFANA_DASHBOARD_LABEL = { grafana_dashboard: "1" } as const;

/** A peer of a NetworkPolicy: the namespace and pod labels of a telemetry workload, and its ports. */
export interface TelemetryPeer {
    /** Namespace the pods run in. */
    readonly namespace: string;
    /** Labels that select the pods. */
    readonly podLabels: Record<string, string>;
    /** Ports (the collector's OTLP ports; none for Prometheus, which only connects out). */
    readonly ports: number[];
    /** Service account of the pods: with the namespace, their mesh principal (`meshPrincipal`). */
    readonly serviceAccountName: string;
}

/** Arguments of {@link ClusterTelemetry}. */
export interface ClusterTelemetryArgs extends BaseArgs {
    /**
     * EKS cluster name (a plain string: it is part of the Container Insights log group names).
     * @default - required
     */
    readonly clusterName: string;
    /**
     * Kubernetes provider of the cluster (`Cluster.provider`).
     * @default - required
     */
    readonly kubernetesProvider: kubernetes.Provider;
    /**
     * ARN of the cluster's IAM OIDC provider (IRSA of the collector, Prometheus and the CloudWatch agent).
     * @default - required
     */
    readonly oidcProviderArn: pulumi.Input<string>;
    /**
     * OIDC issuer of the cluster (with or without `https://`).
     * @default - required
     */
    readonly oidcIssuer: pulumi.Input<string>;
    /**
     * What the Kubernetes objects (releases, namespaces, dashboards) are created after: the cluster's add-ons, whose
     * webhooks admit pods (`ClusterAddons`). The AWS resources do not wait for them (they need no cluster API).
     * @default []
     */
    readonly kubernetesDependsOn?: pulumi.Resource[];
    /**
     * The cluster's managed node groups: the logs add-on (DaemonSets) is installed once they exist.
     * @default []
     */
    readonly nodeGroups?: pulumi.Resource[];
    /**
     * Enroll the metrics and traces namespaces in the ambient mesh (`istio.io/dataplane-mode: ambient`) with a STRICT
     * PeerAuthentication each, so Prometheus scrapes and the app's OTLP exports are mutual TLS. The Prometheus
     * Operator's pod stays out of the mesh: its admission webhook is called by the API server, which has no mesh
     * identity. Needs the mesh installed first (in `kubernetesDependsOn`).
     * @default false
     */
    readonly mesh?: boolean;
    /**
     * Metrics: kube-prometheus-stack (Prometheus Operator and its CRDs, Prometheus, Alertmanager, Grafana with the
     * `dashboards`, kube-state-metrics).
     * @default true
     */
    readonly metrics?: boolean;
    /**
     * Traces: an OpenTelemetry collector (ADOT image) receiving OTLP and exporting to AWS X-Ray.
     * @default true
     */
    readonly traces?: boolean;
    /**
     * Logs and Container Insights: the `amazon-cloudwatch-observability` add-on shipping container logs to
     * KMS-encrypted log groups with `logRetentionDays`, and the Container Insights metrics the cluster alarms read.
     * @default true
     */
    readonly logs?: boolean;
    /**
     * Days the container log groups keep events (one of CloudWatch's values); required with `logs`.
     * @default - required when `logs` is on
     */
    readonly logRetentionDays?: number;
    /**
     * `app.kubernetes.io/part-of` values whose PrometheusRules, PodMonitors and ServiceMonitors Prometheus loads (from
     * any namespace), besides the chart's own (`kube-prometheus-stack`).
     * @default []
     */
    readonly monitoredParts?: string[];
    /**
     * Grafana dashboards as code, file name (`<words>.json`) to JSON, shipped as ConfigMaps Grafana's sidecar imports.
     * @default {}
     */
    readonly dashboards?: Record<string, string>;
    /**
     * Replicas of Prometheus, Alertmanager and the collector (2 keeps them through a node drain).
     * @default 2
     */
    readonly replicas?: number;
    /**
     * How long Prometheus keeps samples on its pod (an emptyDir: lost with the pod; `remoteWrite` keeps them longer).
     * @default "7d"
     */
    readonly prometheusRetention?: string;
    /**
     * Also remote-write every sample to an Amazon Managed Service for Prometheus workspace (created here), with an
     * IRSA role allowed only `aps:RemoteWrite` on it.
     * @default false
     */
    readonly remoteWrite?: boolean;
    /**
     * SNS topic Alertmanager sends the firing and resolved alerts to (the stack's alert topic), with `alertTopicKeyArn`;
     * its role may only publish to it and use its key.
     * @default - Alertmanager has no receiver: alerts show in Alertmanager and Grafana and notify no one
     */
    readonly alertTopicArn?: pulumi.Input<string>;
    /**
     * KMS key of `alertTopicArn` (an encrypted topic's publisher needs `kms:GenerateDataKey` and `kms:Decrypt` on it).
     * @default - required with `alertTopicArn`
     */
    readonly alertTopicKeyArn?: pulumi.Input<string>;
    /**
     * Log field holding the correlation id in the app's JSON logs: saves a Logs Insights query that follows one id
     * from the API to the worker. Needs `logs` and `appNamespace`.
     * @default - no saved query
     */
    readonly correlationIdField?: string;
    /**
     * Namespace of the app whose logs the saved query reads.
     * @default - no saved query
     */
    readonly appNamespace?: string;
    /**
     * Log groups and their key are retained on delete and protected (production).
     * @default false
     */
    readonly protect?: boolean;
    /**
     * Changes to the args and options of child resources just before they are declared ({@link Transform}).
     * @default - none
     */
    readonly transform?: ClusterTelemetryTransforms;
}

/** Per-child {@link Transform}s of {@link ClusterTelemetry}. */
export interface ClusterTelemetryTransforms {
    /** Every Helm release (`<name>-metrics`, `<name>-traces`). */
    readonly release?: Transform<kubernetes.helm.v3.ReleaseArgs>;
    /** Every container log group. */
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The managed add-on. */
    readonly addon?: Transform<aws.eks.AddonArgs>;
    /** Every {@link WorkloadIdentity}. */
    readonly identity?: WorkloadIdentityTransforms;
}

const PART_OF = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const DURATION = /^\d+[dhw]$/;
const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Metrics, traces and logs of an EKS cluster, each optional, each with its own scoped identity:
 *
 * - **metrics**: kube-prometheus-stack, pinned; it installs the Prometheus Operator CRDs (PrometheusRule, PodMonitor),
 *   Prometheus selecting the rules and monitors of `monitoredParts`, Alertmanager, Grafana with dashboards as code and
 *   kube-state-metrics, every pod PSS restricted (node-exporter, which needs host namespaces, is off: Container
 *   Insights measures the nodes). Optionally remote-writes to Amazon Managed Service for Prometheus.
 * - **traces**: the opentelemetry-collector chart, pinned, running the ADOT collector image: OTLP in, AWS X-Ray out,
 *   its role allowed only the two X-Ray write actions.
 * - **logs**: the `amazon-cloudwatch-observability` managed add-on (Fluent Bit and the CloudWatch agent), writing into
 *   log groups created here, KMS-encrypted with their own key and kept `logRetentionDays`; its role may only write
 *   to those groups. It also produces the Container Insights metrics the cluster's alarms read.
 */
export class ClusterTelemetry extends GroundworkComponent {
    /** The collector's OTLP/HTTP endpoint for `OTEL_EXPORTER_OTLP_ENDPOINT` (with `traces`). */
    public readonly otlpEndpoint?: string;
    /** The collector's pods and OTLP ports, for the egress rules of the workloads that send traces (with `traces`). */
    public readonly collectorPeer?: TelemetryPeer;
    /** Prometheus's pods, for the ingress rules of the workloads it scrapes (with `metrics`). */
    public readonly prometheusPeer?: TelemetryPeer;
    /** The kube-prometheus-stack release: PrometheusRules and PodMonitors depend on it (its CRDs) (with `metrics`). */
    public readonly metricsRelease?: kubernetes.helm.v3.Release;
    /** The collector release (with `traces`). */
    public readonly tracesRelease?: kubernetes.helm.v3.Release;
    /** The managed add-on shipping logs and Container Insights (with `logs`). */
    public readonly logsAddon?: aws.eks.Addon;
    /** Identity of the collector (X-Ray writes). */
    public readonly collectorIdentity?: WorkloadIdentity;
    /** Identity of the CloudWatch agent and Fluent Bit (writes to the container log groups). */
    public readonly logsIdentity?: WorkloadIdentity;
    /** Identity of Alertmanager (publishes to the alert topic), with `alertTopicArn`. */
    public readonly alertmanagerIdentity?: WorkloadIdentity;
    /** Identity of Prometheus (remote write), with `remoteWrite`. */
    public readonly prometheusIdentity?: WorkloadIdentity;
    /** ARN of the Amazon Managed Service for Prometheus workspace, with `remoteWrite`. */
    public readonly remoteWriteWorkspaceArn?: pulumi.Output<string>;
    /** Names of the container log groups by purpose (application, dataplane, host, performance); empty without `logs`. */
    public readonly logGroupNames: Record<string, string>;
    /** ARNs of the container log groups (with `logs`). */
    public readonly logGroupArns: pulumi.Output<string[]>;
    /** Id of the saved Logs Insights query that follows a correlation id (with `correlationIdField`). */
    public readonly correlationQueryId?: pulumi.Output<string>;

    constructor(name: string, args: ClusterTelemetryArgs, opts?: pulumi.ComponentResourceOptions) {
        super("telemetry", "ClusterTelemetry", name, args, opts);
        const who = `ClusterTelemetry '${name}'`;

        // Defaults.
        const metrics = args.metrics ?? true;
        const traces = args.traces ?? true;
        const logs = args.logs ?? true;
        const monitoredParts = args.monitoredParts ?? [];
        const dashboards = args.dashboards ?? {};
        const replicas = args.replicas ?? 2;
        const retention = args.prometheusRetention ?? "7d";
        const remoteWrite = args.remoteWrite ?? false;
        const protect = args.protect ?? false;

        // Validation.
        if (!metrics && !traces && !logs) throw new ArgumentError(who, "metrics", "metrics, traces and logs are all off", "enable at least one, or do not declare the component");
        if (typeof args.clusterName !== "string" || !/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(args.clusterName)) {
            throw new ArgumentError(who, "clusterName", `'${String(args.clusterName)}' is not an EKS cluster name`, "pass the cluster's name as a plain string (Cluster.knownClusterName)");
        }
        if (logs && (args.logRetentionDays === undefined || !LOG_RETENTION_DAYS.includes(args.logRetentionDays))) {
            throw new ArgumentError(who, "logRetentionDays", `${String(args.logRetentionDays)} is not a CloudWatch Logs retention`, `use one of ${LOG_RETENTION_DAYS.join(", ")} (the tier's log retention)`);
        }
        if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) throw new ArgumentError(who, "replicas", `${replicas} is out of range`, "use 1 to 5 (2 in production)");
        if (!DURATION.test(retention)) throw new ArgumentError(who, "prometheusRetention", `'${retention}' is not a Prometheus duration`, "use a number of days, hours or weeks like '7d'");
        for (const p of monitoredParts) {
            if (!PART_OF.test(p) || p.length > 63) throw new ArgumentError(who, "monitoredParts", `'${p}' is not a label value`, "use the app.kubernetes.io/part-of value of the rules and monitors to load");
        }
        if (!metrics && (monitoredParts.length > 0 || Object.keys(dashboards).length > 0 || remoteWrite || args.alertTopicArn !== undefined)) {
            throw new ArgumentError(who, "metrics", "monitoredParts, dashboards, remoteWrite or alertTopicArn are given with metrics off", "enable metrics or drop them");
        }
        if ((args.alertTopicArn === undefined) !== (args.alertTopicKeyArn === undefined)) {
            throw new ArgumentError(who, "alertTopicKeyArn", "alertTopicArn and alertTopicKeyArn go together", "pass both (AlertTopic.topicArn and AlertTopic.kmsKeyArn) or neither");
        }
        for (const [file, json] of Object.entries(dashboards)) {
            if (!/^[a-z0-9][a-z0-9-]{0,50}\.json$/.test(file)) throw new ArgumentError(who, `dashboards['${file}']`, "the key is not '<words>.json'", "name it like 'app-red.json'");
            try {
                JSON.parse(json);
            } catch {
                throw new ArgumentError(who, `dashboards['${file}']`, "the value is not JSON", "pass the dashboard's JSON as exported by Grafana");
            }
        }
        const wantsQuery = args.correlationIdField !== undefined || args.appNamespace !== undefined;
        if (wantsQuery) {
            if (!logs) throw new ArgumentError(who, "correlationIdField", "the saved query reads the container logs, and logs are off", "enable logs or drop correlationIdField and appNamespace");
            if (args.correlationIdField === undefined || !FIELD.test(args.correlationIdField)) {
                throw new ArgumentError(who, "correlationIdField", `'${String(args.correlationIdField)}' is not a JSON field name`, "pass the app's log field, e.g. 'correlationId', with appNamespace");
            }
            if (args.appNamespace === undefined || !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(args.appNamespace)) {
                throw new ArgumentError(who, "appNamespace", `'${String(args.appNamespace)}' is not a Kubernetes namespace`, "pass the app's namespace, with correlationIdField");
            }
        }

        // Facts and helpers.
        const facts = {
            partition: aws.getPartitionOutput({}, { parent: this }).partition,
            region: aws.getRegionOutput({}, { parent: this }).region,
            accountId: aws.getCallerIdentityOutput({}, { parent: this }).accountId,
        };
        const k8s = { provider: args.kubernetesProvider };
        const k8sAfter = args.kubernetesDependsOn ?? [];
        const t = args.transform ?? {};
        const identity = (part: string, namespace: string, serviceAccountName: string) =>
            new WorkloadIdentity(
                this.childName(part),
                { namespace, serviceAccountName, oidcProviderArn: args.oidcProviderArn, oidcIssuer: args.oidcIssuer, tags: args.tags, transform: t.identity },
                { parent: this },
            );
        const mesh = args.mesh ?? false;
        const namespace = (chart: PinnedChart) => {
            const ns = new kubernetes.core.v1.Namespace(
                this.childName(`${chart.namespace}-namespace`),
                {
                    metadata: {
                        name: chart.namespace,
                        // Every pod of these charts is PSS restricted; enforced at baseline so a chart upgrade that regresses is reported, not blocked mid-rollout.
                        labels: {
                            "pod-security.kubernetes.io/enforce": "baseline",
                            "pod-security.kubernetes.io/warn": "restricted",
                            "pod-security.kubernetes.io/audit": "restricted",
                            "app.kubernetes.io/managed-by": "pulumi",
                            ...(mesh ? AMBIENT_DATAPLANE_LABEL : {}),
                        },
                    },
                },
                this.childOpts({ ...k8s, dependsOn: k8sAfter }),
            );
            if (mesh) {
                new kubernetes.apiextensions.CustomResource(
                    this.childName(`${chart.namespace}-mtls-strict`),
                    strictPeerAuthentication(chart.namespace, { "app.kubernetes.io/managed-by": "pulumi" }) as kubernetes.apiextensions.CustomResourceArgs,
                    this.childOpts({ ...k8s, dependsOn: [...k8sAfter, ns] }),
                );
            }
            return ns;
        };
        const release = (part: string, chart: PinnedChart, values: pulumi.Input<Record<string, unknown>>, dependsOn: pulumi.Resource[]) =>
            new kubernetes.helm.v3.Release(
                ...applyTransform(
                    t.release,
                    this.childName(part),
                    {
                        name: part,
                        chart: chart.chart,
                        version: chart.version,
                        repositoryOpts: { repo: chart.repo },
                        namespace: chart.namespace,
                        createNamespace: false,
                        atomic: true,
                        cleanupOnFail: true,
                        maxHistory: 5,
                        timeout: 900,
                        values,
                    },
                    this.childOpts({ ...k8s, dependsOn: [...k8sAfter, ...dependsOn] }),
                ),
            );
        const resources = (cpu: string, memory: string, memoryLimit = memory) => ({ requests: { cpu, memory }, limits: { memory: memoryLimit } });
        const podSecurity = (uid: number) => ({ ...POD_SECURITY_CONTEXT, runAsUser: uid, runAsGroup: uid, fsGroup: uid });

        // Metrics: kube-prometheus-stack.
        if (metrics) {
            const chart = TELEMETRY_CHARTS.kubePrometheusStack;
            const ns = namespace(chart);
            const podLabels = { [TELEMETRY_POD_LABEL]: "prometheus" };
            const selector = { matchExpressions: [{ key: "app.kubernetes.io/part-of", operator: "In", values: [CHART_PART_OF, ...monitoredParts] }] };
            let remote: pulumi.Input<unknown[]> = [];
            const serviceAccount: Record<string, unknown> = { create: true, name: "prometheus" };
            if (remoteWrite) {
                const workspace = new aws.amp.Workspace(this.childName("amp"), { alias: `${args.clusterName}-metrics`, tags: this.childTags("amp") }, this.childOpts(statefulOptions(protect)));
                this.remoteWriteWorkspaceArn = workspace.arn;
                this.prometheusIdentity = identity("prometheus", chart.namespace, "prometheus");
                this.prometheusIdentity.addStatements("remote-write", remoteWriteStatements(workspace.arn));
                serviceAccount.annotations = { "eks.amazonaws.com/role-arn": this.prometheusIdentity.roleArn };
                remote = [{ url: ampRemoteWriteUrl(facts.region, workspace.id), sigv4: { region: facts.region }, queueConfig: { maxSamplesPerSend: 1000, maxShards: 200, capacity: 2500 } }];
            }
            const alertmanager: Record<string, unknown> = {
                alertmanagerSpec: { replicas, securityContext: podSecurity(1000), resources: resources("20m", "64Mi", "128Mi"), podAntiAffinity: "soft" },
            };
            if (args.alertTopicArn !== undefined) {
                this.alertmanagerIdentity = identity("alertmanager", chart.namespace, "alertmanager");
                this.alertmanagerIdentity.addStatements("alert-topic", alertPublisherStatements(args.alertTopicArn, args.alertTopicKeyArn!));
                alertmanager.serviceAccount = { create: true, name: "alertmanager", annotations: { "eks.amazonaws.com/role-arn": this.alertmanagerIdentity.roleArn } };
                alertmanager.config = alertmanagerConfig(args.alertTopicArn, facts.region);
            }
            this.metricsRelease = release(
                "metrics",
                chart,
                {
                    fullnameOverride: "kps",
                    crds: { enabled: true },
                    // The control plane is managed by EKS: its components are not reachable to scrape.
                    kubeControllerManager: { enabled: false },
                    kubeScheduler: { enabled: false },
                    kubeEtcd: { enabled: false },
                    kubeProxy: { enabled: false },
                    defaultRules: { rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false, node: false, nodeExporterAlerting: false, nodeExporterRecording: false } },
                    // node-exporter needs the host's network, PID namespace and filesystem (not PSS restricted); Container Insights measures the nodes.
                    nodeExporter: { enabled: false },
                    "kube-state-metrics": {
                        replicas: 1,
                        securityContext: { enabled: true, ...podSecurity(65534) },
                        containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
                        resources: resources("50m", "128Mi", "256Mi"),
                    },
                    prometheusOperator: {
                        ...(mesh ? { podLabels: { ...OUT_OF_MESH_POD_LABEL } } : {}),
                        securityContext: podSecurity(65534),
                        containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
                        resources: resources("100m", "128Mi", "256Mi"),
                        admissionWebhooks: { patch: { securityContext: podSecurity(2000), resources: resources("20m", "32Mi", "64Mi") } },
                        prometheusConfigReloader: { resources: resources("10m", "32Mi", "64Mi") },
                    },
                    prometheus: {
                        serviceAccount,
                        prometheusSpec: {
                            replicas,
                            retention,
                            podMetadata: { labels: podLabels },
                            // Rules and monitors of the listed parts, from every namespace (the app's PrometheusRule and PodMonitors).
                            ruleSelectorNilUsesHelmValues: false,
                            ruleSelector: selector,
                            ruleNamespaceSelector: {},
                            podMonitorSelectorNilUsesHelmValues: false,
                            podMonitorSelector: selector,
                            podMonitorNamespaceSelector: {},
                            serviceMonitorSelectorNilUsesHelmValues: false,
                            serviceMonitorSelector: selector,
                            serviceMonitorNamespaceSelector: {},
                            securityContext: podSecurity(1000),
                            resources: resources("200m", "1Gi", "2Gi"),
                            remoteWrite: remote,
                            podAntiAffinity: "soft",
                        },
                    },
                    alertmanager,
                    grafana: {
                        defaultDashboardsEnabled: true,
                        testFramework: { enabled: false },
                        initChownData: { enabled: false },
                        persistence: { enabled: false },
                        securityContext: podSecurity(472),
                        containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
                        resources: resources("100m", "256Mi", "512Mi"),
                        sidecar: {
                            securityContext: CONTAINER_SECURITY_CONTEXT,
                            resources: resources("20m", "64Mi", "128Mi"),
                            dashboards: { enabled: true, label: Object.keys(GRAFANA_DASHBOARD_LABEL)[0], labelValue: GRAFANA_DASHBOARD_LABEL.grafana_dashboard, searchNamespace: chart.namespace },
                        },
                    },
                },
                [ns],
            );
            this.prometheusPeer = { namespace: chart.namespace, podLabels, ports: [], serviceAccountName: serviceAccount.name as string };
            for (const [file, json] of Object.entries(dashboards)) {
                const base = file.replace(/\.json$/, "");
                new kubernetes.core.v1.ConfigMap(
                    this.childName(`dashboard-${base}`),
                    { metadata: { name: `dashboard-${base}`, namespace: chart.namespace, labels: { ...GRAFANA_DASHBOARD_LABEL, "app.kubernetes.io/managed-by": "pulumi" } }, data: { [file]: json } },
                    this.childOpts({ ...k8s, dependsOn: [ns] }),
                );
            }
        }

        // Traces: the ADOT collector through the opentelemetry-collector chart.
        if (traces) {
            const chart = TELEMETRY_CHARTS.openTelemetryCollector;
            const ns = namespace(chart);
            const serviceAccountName = "otel-collector";
            this.collectorIdentity = identity("collector", chart.namespace, serviceAccountName);
            this.collectorIdentity.addStatements("xray-write", xrayWriterStatements());
            const podLabels = { [TELEMETRY_POD_LABEL]: "otel-collector" };
            const off = { enabled: false };
            this.tracesRelease = release(
                "traces",
                chart,
                {
                    mode: "deployment",
                    fullnameOverride: "otel-collector",
                    image: { repository: ADOT_COLLECTOR_IMAGE.repository, tag: ADOT_COLLECTOR_IMAGE.tag },
                    command: { name: "awscollector" },
                    replicaCount: replicas,
                    podLabels,
                    serviceAccount: { create: true, name: serviceAccountName, annotations: { "eks.amazonaws.com/role-arn": this.collectorIdentity.roleArn } },
                    podSecurityContext: podSecurity(10001),
                    securityContext: CONTAINER_SECURITY_CONTEXT,
                    resources: resources("100m", "256Mi", "512Mi"),
                    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
                    ports: { "jaeger-compact": off, "jaeger-thrift": off, "jaeger-grpc": off, zipkin: off, otlp: { enabled: true }, "otlp-http": { enabled: true } },
                    config: {
                        receivers: { jaeger: null, zipkin: null, prometheus: null },
                        processors: { batch: { timeout: "5s" } },
                        exporters: { awsxray: { region: facts.region } },
                        service: {
                            pipelines: {
                                traces: { receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["awsxray"] },
                                metrics: null,
                                logs: null,
                            },
                        },
                    },
                },
                [ns],
            );
            this.otlpEndpoint = `http://otel-collector.${chart.namespace}.svc.cluster.local:${OTLP_HTTP_PORT}`;
            this.collectorPeer = { namespace: chart.namespace, podLabels, ports: [OTLP_HTTP_PORT, OTLP_GRPC_PORT], serviceAccountName };
        }

        // Logs: container logs and Container Insights through the managed add-on, into groups created here.
        this.logGroupNames = logs ? containerInsightsLogGroupNames(args.clusterName) : {};
        if (logs) {
            const stateful = statefulOptions(protect);
            const key = new aws.kms.Key(
                this.childName("logs-key"),
                {
                    description: `Encrypts the container logs of cluster ${args.clusterName}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: protect ? 30 : 7,
                    policy: pulumi.all([facts.partition, facts.accountId, facts.region]).apply(([partition, accountId, region]) => JSON.stringify(logsKeyPolicy({ partition, accountId, region }, args.clusterName))),
                    tags: this.childTags("logs-key"),
                },
                this.childOpts(stateful),
            );
            const groups = Object.entries(this.logGroupNames).map(
                ([purpose, groupName]) =>
                    new aws.cloudwatch.LogGroup(
                        ...applyTransform(
                            t.logGroup,
                            this.childName(`logs-${purpose}`),
                            { name: groupName, retentionInDays: args.logRetentionDays, kmsKeyId: key.arn, tags: this.childTags(`logs-${purpose}`) },
                            this.childOpts(stateful),
                        ),
                    ),
            );
            this.logGroupArns = pulumi.all(groups.map((g) => g.arn));
            this.logsIdentity = identity("logs", CLOUDWATCH_OBSERVABILITY_ADDON.namespace, CLOUDWATCH_OBSERVABILITY_ADDON.serviceAccount);
            this.logsIdentity.addStatements("container-logs", logWriterStatements(groups.map((g) => pulumi.interpolate`${g.arn}:*`)));
            this.logsAddon = new aws.eks.Addon(
                ...applyTransform(
                    t.addon,
                    this.childName("cloudwatch-observability"),
                    {
                        clusterName: args.clusterName,
                        addonName: CLOUDWATCH_OBSERVABILITY_ADDON.name,
                        addonVersion: CLOUDWATCH_OBSERVABILITY_ADDON.version,
                        serviceAccountRoleArn: this.logsIdentity.roleArn,
                        configurationValues: JSON.stringify({
                            containerLogs: { enabled: true },
                            agent: { config: { logs: { metrics_collected: { kubernetes: { enhanced_container_insights: true } } } } },
                        }),
                        resolveConflictsOnCreate: "OVERWRITE",
                        resolveConflictsOnUpdate: "OVERWRITE",
                        tags: this.childTags("cloudwatch-observability"),
                    },
                    this.childOpts({ dependsOn: [...groups, ...(args.nodeGroups ?? [])] }),
                ),
            );
            if (wantsQuery) {
                const query = new aws.cloudwatch.QueryDefinition(
                    this.childName("correlation-query"),
                    {
                        name: `${pulumi.getProject()}/${pulumi.getStack()}/follow-correlation-id`,
                        logGroupNames: [this.logGroupNames.application],
                        queryString: correlationQuery(args.correlationIdField!, args.appNamespace!),
                    },
                    this.childOpts({ dependsOn: groups }),
                );
                this.correlationQueryId = query.queryDefinitionId;
            }
        } else {
            this.logGroupArns = pulumi.output([]);
        }

        this.registerOutputs({ logGroupArns: this.logGroupArns, otlpEndpoint: this.otlpEndpoint, remoteWriteWorkspaceArn: this.remoteWriteWorkspaceArn });
    }
}
