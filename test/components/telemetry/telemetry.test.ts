import { Cluster } from "../../../components/cluster";
import {
    CLOUDWATCH_OBSERVABILITY_ADDON,
    ClusterTelemetry,
    ClusterTelemetryArgs,
    containerInsightsLogGroupNames,
    correlationQuery,
    CORRELATION_ID_PLACEHOLDER,
    logsKeyPolicy,
    OTLP_HTTP_PORT,
    TELEMETRY_CHARTS,
} from "../../../components/telemetry";
import { evaluateGraph, mandatory } from "../../support/policy";
import { Graph, runPulumi } from "../../support/pulumi";

const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
const CLUSTER = "groundwork-test-platform";
const DASHBOARD = JSON.stringify({ uid: "d", title: "D", panels: [] });

function build(over: Partial<ClusterTelemetryArgs> = {}): Promise<Graph> {
    return runPulumi(() => {
        const cluster = new Cluster("platform", { vpcId: "vpc-0123456789abcdef0", vpcCidrBlock: "10.0.0.0/16", privateSubnetIds: ["subnet-a", "subnet-b"], adminRoleArns: ["arn:aws:iam::123456789012:role/admin"] });
        new ClusterTelemetry("tel", {
            clusterName: CLUSTER,
            kubernetesProvider: cluster.provider,
            oidcProviderArn: cluster.oidcProviderArn,
            oidcIssuer: cluster.oidcIssuer,
            logRetentionDays: 30,
            monitoredParts: ["groundwork-app"],
            dashboards: { "app-red.json": DASHBOARD },
            remoteWrite: true,
            correlationIdField: "correlationId",
            appNamespace: "app",
            ...over,
        });
    });
}

/** Fields of PSS restricted every container security context sets. */
const RESTRICTED = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } };

describe("ClusterTelemetry", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await build();
    });
    const release = (part: string) => g.one("kubernetes:helm.sh/v3:Release", `tel-${part}`);
    const role = (part: string) => g.one("aws:iam/role:Role", `tel-${part}-role`);
    const issuer = () => String(g.one("aws:eks/cluster:Cluster").outputs.identities[0].oidcs[0].issuer).replace("https://", "");
    const policy = (name: string) => parse(g.one("aws:iam/rolePolicy:RolePolicy", name).inputs.policy);
    const containerLogGroups = () => g.byType("aws:cloudwatch/logGroup:LogGroup").filter((l) => String(l.inputs.name).startsWith("/aws/containerinsights/"));

    it("installs kube-prometheus-stack and the collector chart at pinned versions, through the cluster's provider", () => {
        const provider = g.one("pulumi:providers:kubernetes");
        expect([release("metrics").inputs.chart, release("metrics").inputs.version]).toEqual(["kube-prometheus-stack", TELEMETRY_CHARTS.kubePrometheusStack.version]);
        expect([release("traces").inputs.chart, release("traces").inputs.version]).toEqual(["opentelemetry-collector", TELEMETRY_CHARTS.openTelemetryCollector.version]);
        for (const r of [release("metrics"), release("traces")]) {
            expect(r.inputs.version).toMatch(/^\d+\.\d+\.\d+$/);
            expect(r.provider).toContain(provider.urn);
            expect(r.inputs.atomic).toBe(true);
        }
        const addon = g.one("aws:eks/addon:Addon", "tel-cloudwatch-observability");
        expect([addon.inputs.addonName, addon.inputs.addonVersion]).toEqual([CLOUDWATCH_OBSERVABILITY_ADDON.name, CLOUDWATCH_OBSERVABILITY_ADDON.version]);
        expect(addon.inputs.addonVersion).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    });

    it("runs the ADOT collector image, pinned, exporting OTLP traces to X-Ray only", () => {
        const v = release("traces").inputs.values;
        expect(v.image).toEqual({ repository: "public.ecr.aws/aws-observability/aws-otel-collector", tag: expect.stringMatching(/^v\d+\.\d+\.\d+$/) });
        expect(v.command.name).toBe("awscollector");
        expect(v.config.service.pipelines.traces).toEqual({ receivers: ["otlp"], processors: ["memory_limiter", "batch"], exporters: ["awsxray"] });
        expect(Object.keys(v.config.exporters)).toEqual(["awsxray"]);
    });

    it.each([
        ["collector", "telemetry", "otel-collector"],
        ["logs", CLOUDWATCH_OBSERVABILITY_ADDON.namespace, CLOUDWATCH_OBSERVABILITY_ADDON.serviceAccount],
        ["prometheus", "monitoring", "prometheus"],
    ])("trusts the %s role to exactly %s/%s, the service account the chart or add-on runs as", (part, ns, sa) => {
        const trust = parse(role(part).inputs.assumeRolePolicy);
        expect(trust.Statement).toHaveLength(1);
        expect(trust.Statement[0].Condition.StringEquals).toEqual({ [`${issuer()}:sub`]: `system:serviceaccount:${ns}:${sa}`, [`${issuer()}:aud`]: "sts.amazonaws.com" });
        const roleArn = role(part).outputs.arn;
        if (part === "logs") expect(g.one("aws:eks/addon:Addon", "tel-cloudwatch-observability").inputs.serviceAccountRoleArn).toBe(roleArn);
        if (part === "collector") expect(release("traces").inputs.values.serviceAccount).toEqual({ create: true, name: sa, annotations: { "eks.amazonaws.com/role-arn": roleArn } });
        if (part === "prometheus") expect(release("metrics").inputs.values.prometheus.serviceAccount).toEqual({ create: true, name: sa, annotations: { "eks.amazonaws.com/role-arn": roleArn } });
    });

    it("lets the collector only write to X-Ray (the two unscopable actions)", () => {
        expect(policy("tel-collector-xray-write").Statement).toEqual([{ Sid: "WriteTraces", Effect: "Allow", Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], Resource: ["*"] }]);
    });

    it("lets the log shippers write only to the four container log groups' streams", () => {
        const groupArns = containerLogGroups().map((l) => l.outputs.arn as string);
        expect(groupArns).toHaveLength(4);
        const [write, ...rest] = policy("tel-logs-container-logs").Statement;
        expect(write.Action).toEqual(["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"]);
        expect([...write.Resource].sort()).toEqual(groupArns.map((a) => `${a}:*`).sort());
        for (const s of rest) expect(s.Action.every((a: string) => ["logs:DescribeLogGroups", "ec2:DescribeTags", "ec2:DescribeInstances"].includes(a))).toBe(true);
        expect(JSON.stringify(policy("tel-logs-container-logs"))).not.toMatch(/CreateLogGroup|PutRetentionPolicy/);
    });

    it("lets Prometheus only remote-write to its own workspace", () => {
        expect(policy("tel-prometheus-remote-write").Statement).toEqual([{ Sid: "RemoteWrite", Effect: "Allow", Action: ["aps:RemoteWrite"], Resource: [g.one("aws:amp/workspace:Workspace").outputs.arn] }]);
        const rw = release("metrics").inputs.values.prometheus.prometheusSpec.remoteWrite;
        const id = g.one("aws:amp/workspace:Workspace").outputs.id;
        expect(id).toEqual(expect.any(String));
        expect(rw[0].url).toBe(`https://aps-workspaces.us-east-1.amazonaws.com/workspaces/${id}/api/v1/remote_write`);
        expect(rw[0].sigv4).toBeDefined();
    });

    it("creates the add-on's log groups with their fixed names, the tier's retention and a rotating key of their own", () => {
        const key = g.one("aws:kms/key:Key", "tel-logs-key");
        expect(key.inputs.enableKeyRotation).toBe(true);
        const groups = containerLogGroups();
        expect(groups.map((l) => l.inputs.name).sort()).toEqual(Object.values(containerInsightsLogGroupNames(CLUSTER)).sort());
        for (const l of groups) {
            expect(l.inputs.kmsKeyId).toBe(key.outputs.arn);
            expect(l.inputs.retentionInDays).toBe(30);
        }
        const stmt = parse(key.inputs.policy).Statement.find((s: any) => s.Principal.Service);
        expect(stmt.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toMatch(new RegExp(`:log-group:/aws/containerinsights/${CLUSTER}/\\*$`));
    });

    it("saves a Logs Insights query on the application logs that follows the correlation id field", () => {
        const q = g.one("aws:cloudwatch/queryDefinition:QueryDefinition").inputs;
        expect(q.logGroupNames).toEqual([containerInsightsLogGroupNames(CLUSTER).application]);
        expect(q.queryString).toContain(`log_processed.correlationId = "${CORRELATION_ID_PLACEHOLDER}"`);
        expect(q.queryString).toContain('kubernetes.namespace_name = "app"');
        expect(q.queryString).toMatch(/sort @timestamp asc/);
    });

    it("selects the rules and monitors of the chart and of monitoredParts, from every namespace", () => {
        const spec = release("metrics").inputs.values.prometheus.prometheusSpec;
        const selector = { matchExpressions: [{ key: "app.kubernetes.io/part-of", operator: "In", values: ["kube-prometheus-stack", "groundwork-app"] }] };
        for (const k of ["ruleSelector", "podMonitorSelector", "serviceMonitorSelector"]) expect(spec[k]).toEqual(selector);
        for (const k of ["ruleNamespaceSelector", "podMonitorNamespaceSelector", "serviceMonitorNamespaceSelector"]) expect(spec[k]).toEqual({});
    });

    it("sets a PSS-restricted security context and resources on every chart workload it runs", () => {
        const m = release("metrics").inputs.values;
        const t = release("traces").inputs.values;
        for (const c of [m["kube-state-metrics"].containerSecurityContext, m.prometheusOperator.containerSecurityContext, m.grafana.containerSecurityContext, m.grafana.sidecar.securityContext, t.securityContext]) expect(c).toEqual(RESTRICTED);
        for (const p of [m["kube-state-metrics"].securityContext, m.prometheusOperator.securityContext, m.prometheus.prometheusSpec.securityContext, m.alertmanager.alertmanagerSpec.securityContext, m.grafana.securityContext, t.podSecurityContext]) {
            expect(p).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
            expect(p.runAsUser).toBeGreaterThan(0);
        }
        for (const r of [m["kube-state-metrics"].resources, m.prometheusOperator.resources, m.prometheus.prometheusSpec.resources, m.alertmanager.alertmanagerSpec.resources, m.grafana.resources, t.resources]) {
            expect(r.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
            expect(r.limits.memory).toEqual(expect.any(String));
        }
        expect(m.nodeExporter.enabled).toBe(false);
    });

    it("ships dashboards as ConfigMaps Grafana's sidecar imports", () => {
        const cm = g.one("kubernetes:core/v1:ConfigMap", "tel-dashboard-app-red");
        expect(cm.inputs.metadata).toMatchObject({ namespace: "monitoring", labels: { grafana_dashboard: "1" } });
        expect(cm.inputs.data).toEqual({ "app-red.json": DASHBOARD });
        expect(release("metrics").inputs.values.grafana.sidecar.dashboards).toMatchObject({ enabled: true, label: "grafana_dashboard", labelValue: "1" });
    });

    it("exposes the collector's in-cluster OTLP/HTTP endpoint and its pods as a network peer", async () => {
        let t: ClusterTelemetry | undefined;
        await runPulumi(() => {
            const cluster = new Cluster("platform", { vpcId: "vpc-1", vpcCidrBlock: "10.0.0.0/16", privateSubnetIds: ["subnet-a", "subnet-b"], adminRoleArns: ["arn:aws:iam::123456789012:role/admin"] });
            t = new ClusterTelemetry("tel", { clusterName: CLUSTER, kubernetesProvider: cluster.provider, oidcProviderArn: cluster.oidcProviderArn, oidcIssuer: cluster.oidcIssuer, metrics: false, logs: false });
        });
        expect(t!.otlpEndpoint).toBe(`http://otel-collector.telemetry.svc.cluster.local:${OTLP_HTTP_PORT}`);
        expect(t!.collectorPeer).toEqual({ namespace: "telemetry", podLabels: { "groundwork.dev/telemetry": "otel-collector" }, ports: [4318, 4317], serviceAccountName: "otel-collector" });
        expect(t!.metricsRelease).toBeUndefined();
    });

    it("raises no mandatory violation of the security pack", async () => {
        expect(mandatory(await evaluateGraph(g))).toEqual([]);
    });
});

describe("ClusterTelemetry argument validation", () => {
    it.each<[string, Partial<ClusterTelemetryArgs>, RegExp]>([
        ["everything off", { metrics: false, traces: false, logs: false, monitoredParts: [], dashboards: {}, remoteWrite: false, correlationIdField: undefined, appNamespace: undefined }, /invalid 'metrics'.*all off/],
        ["a retention CloudWatch refuses", { logRetentionDays: 10 }, /invalid 'logRetentionDays': 10 is not a CloudWatch Logs retention\. Fix: use one of 1, 3/],
        ["no retention with logs", { logRetentionDays: undefined }, /invalid 'logRetentionDays'/],
        ["replicas out of range", { replicas: 9 }, /invalid 'replicas': 9 is out of range/],
        ["a bad Prometheus retention", { prometheusRetention: "a week" }, /invalid 'prometheusRetention'/],
        ["a part-of value with a space", { monitoredParts: ["my app"] }, /invalid 'monitoredParts'/],
        ["a dashboard that is not JSON", { dashboards: { "x.json": "{" } }, /invalid 'dashboards\['x\.json'\]': the value is not JSON/],
        ["a query without logs", { logs: false }, /invalid 'correlationIdField'.*logs are off/],
        ["a query field with spaces", { correlationIdField: "correlation id" }, /invalid 'correlationIdField'/],
        ["a query without a namespace", { appNamespace: undefined }, /invalid 'appNamespace'/],
        ["metrics settings with metrics off", { metrics: false }, /invalid 'metrics'.*metrics off/],
        ["an alert topic without its key", { alertTopicArn: "arn:aws:sns:us-east-1:123456789012:alerts" }, /invalid 'alertTopicKeyArn': alertTopicArn and alertTopicKeyArn go together/],
    ])("refuses %s, naming the field and the fix", async (_, over, message) => {
        await expect(build(over)).rejects.toThrow(message);
    });
});

describe("telemetry documents (pure)", () => {
    it("the key policy lets CloudWatch Logs of the region use the key only for the cluster's Container Insights groups", () => {
        const doc = logsKeyPolicy({ partition: "aws", accountId: "123456789012", region: "eu-west-1" }, "c1");
        expect(doc.Statement.map((s) => JSON.stringify(s.Principal))).toEqual(['{"AWS":"arn:aws:iam::123456789012:root"}', '{"Service":"logs.eu-west-1.amazonaws.com"}']);
        expect(doc.Statement[1].Condition).toEqual({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/containerinsights/c1/*" } });
    });
    it("the correlation query refuses a field that would change the query", () => {
        expect(() => correlationQuery('x" or 1=1', "app")).toThrow(/not a plain JSON field name/);
    });
});
