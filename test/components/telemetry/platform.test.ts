import * as fs from "node:fs";
import * as path from "node:path";
import { APP_CORRELATION_ID_FIELD, APP_NAMESPACE } from "../../../infra/platform";
import { REPO_ROOT } from "../../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../../tools/plan/project";
import { Graph, RecordedResource, runPulumi } from "../../support/pulumi";

const program: () => Promise<Record<string, unknown>> = require("../../../infra");
const stackConfig = (stack: string) => readStackConfig(resolveProject(REPO_ROOT), stack).config;

type Selector = { matchLabels?: Record<string, string>; matchExpressions?: { key: string; operator: string; values?: string[] }[] } | undefined;

/** Whether a label selector selects `labels` (an empty selector selects everything; none selects nothing). */
function selects(selector: Selector, labels: Record<string, string>): boolean {
    if (!selector) return false;
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const e of selector.matchExpressions ?? []) {
        const has = Object.prototype.hasOwnProperty.call(labels, e.key);
        if (e.operator === "In" && !(has && e.values!.includes(labels[e.key]))) return false;
        if (e.operator === "NotIn" && has && e.values!.includes(labels[e.key])) return false;
        if (e.operator === "Exists" && !has) return false;
        if (e.operator === "DoesNotExist" && has) return false;
    }
    return true;
}

/** A pod somewhere in the cluster. */
interface Pod {
    namespace: string;
    labels: Record<string, string>;
}

/** Whether a NetworkPolicy peer (`namespaceSelector`/`podSelector`) names the pod, seen from a policy in `own`. */
function peerMatches(peer: any, own: string, pod: Pod): boolean {
    if (peer.ipBlock) return false;
    const nsOk = peer.namespaceSelector ? selects(peer.namespaceSelector, { "kubernetes.io/metadata.name": pod.namespace }) : pod.namespace === own;
    const podOk = peer.podSelector ? selects(peer.podSelector, pod.labels) : true;
    return nsOk && podOk;
}

/** Whether any NetworkPolicy selecting `from` admits its egress to `to` on TCP `port` (the pods are default-denied). */
function egressAdmits(policies: RecordedResource[], from: Pod, to: Pod, port: number): boolean {
    return policies
        .filter((p) => p.inputs.metadata.namespace === from.namespace && selects(p.inputs.spec.podSelector, from.labels))
        .some((p) => (p.inputs.spec.egress ?? []).some((r: any) => (r.to ?? []).some((peer: any) => peerMatches(peer, from.namespace, to)) && (r.ports ?? []).some((x: any) => x.port === port && (x.protocol ?? "TCP") === "TCP")));
}

/** Whether any NetworkPolicy selecting `to` admits ingress from `from` on TCP `port`. */
function ingressAdmits(policies: RecordedResource[], from: Pod, to: Pod, port: number): boolean {
    return policies
        .filter((p) => p.inputs.metadata.namespace === to.namespace && selects(p.inputs.spec.podSelector, to.labels))
        .some((p) => (p.inputs.spec.ingress ?? []).some((r: any) => (r.from ?? []).some((peer: any) => peerMatches(peer, to.namespace, from)) && (r.ports ?? []).some((x: any) => x.port === port)));
}

describe.each(["dev", "prod"])("telemetry wiring on the %s stack", (stack) => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack, config: stackConfig(stack) });
    });
    const release = (part: string) => g.one("kubernetes:helm.sh/v3:Release", `telemetry-${part}`);
    const deployment = (name: string) => g.one("kubernetes:apps/v1:Deployment", `${name}-deployment`);
    const podOf = (name: string): Pod => ({ namespace: deployment(name).inputs.metadata.namespace, labels: deployment(name).inputs.spec.template.metadata.labels });
    const env = (name: string) => Object.fromEntries(deployment(name).inputs.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
    const policies = () => g.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy");

    it.each(["api", "worker"])("%s exports traces to the collector's Service, and its egress policy admits the collector's pods on that port", (name) => {
        // GIVEN the endpoint the app reads (app/src/platform/config.ts OTEL_EXPORTER_OTLP_ENDPOINT)
        const url = new URL(env(name).OTEL_EXPORTER_OTLP_ENDPOINT);
        const [service, namespace] = url.hostname.split(".");
        const traces = release("traces");
        // THEN it names the collector chart's Service in the release's namespace
        expect(url.protocol).toBe("http:");
        expect(service).toBe(traces.inputs.values.fullnameOverride);
        expect(namespace).toBe(traces.inputs.namespace);
        // AND the app's NetworkPolicies let the pod reach the collector's pods (the chart's podLabels) on that port
        const collector: Pod = { namespace, labels: traces.inputs.values.podLabels };
        expect(egressAdmits(policies(), podOf(name), collector, Number(url.port))).toBe(true);
        // AND nothing else of the collector's namespace, nor another port
        expect(egressAdmits(policies(), podOf(name), { namespace, labels: { "app.kubernetes.io/name": "other" } }, Number(url.port))).toBe(false);
        expect(egressAdmits(policies(), podOf(name), collector, 8888)).toBe(false);
    });

    it("the migrations job does not get the collector (it sends no traces)", () => {
        const job = g.one("kubernetes:batch/v1:Job", "migrate");
        expect(job.inputs.spec.template.spec.containers[0].env.map((e: any) => e.name)).not.toContain("OTEL_EXPORTER_OTLP_ENDPOINT");
    });

    it.each([
        ["api", 9464],
        ["worker", 9091],
    ])("Prometheus scrapes %s on %i: a PodMonitor it selects names the pods and the port, and their ingress policy admits Prometheus there", (name, port) => {
        const metrics = release("metrics");
        const spec = metrics.inputs.values.prometheus.prometheusSpec;
        const monitor = g.byType("kubernetes:monitoring.coreos.com/v1:PodMonitor").find((m) => selects(m.inputs.spec.selector, podOf(name).labels))!;
        expect(monitor).toBeDefined();
        expect(monitor.inputs.metadata.namespace).toBe(podOf(name).namespace);
        expect(monitor.inputs.spec.podMetricsEndpoints).toEqual([expect.objectContaining({ portNumber: port, path: "/metrics" })]);
        expect(selects(spec.podMonitorSelector, monitor.inputs.metadata.labels)).toBe(true);
        expect(monitor.dependencies).toContain(metrics.urn);
        const prometheus: Pod = { namespace: metrics.inputs.namespace, labels: spec.podMetadata.labels };
        expect(ingressAdmits(policies(), prometheus, podOf(name), port)).toBe(true);
        // The API's metrics port stays closed to the VPC (the ALB reaches only the HTTP port).
        expect(ingressAdmits(policies(), { namespace: "default", labels: {} }, podOf(name), port)).toBe(false);
    });

    it("the app's PrometheusRule is loaded by Prometheus and created after the release that installs its CRD", () => {
        const rule = g.one("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        const metrics = release("metrics");
        expect(selects(metrics.inputs.values.prometheus.prometheusSpec.ruleSelector, rule.inputs.metadata.labels)).toBe(true);
        expect(metrics.inputs.values.prometheus.prometheusSpec.ruleNamespaceSelector).toEqual({});
        expect(rule.dependencies).toContain(metrics.urn);
        expect(metrics.inputs.values.crds).toEqual({ enabled: true });
    });

    it("Alertmanager sends the app's alerts to the stack's alert topic, its role allowed only to publish there", () => {
        const topic = g.byType("aws:sns/topic:Topic").find((t) => t.outputs.arn === g.outputs.alertTopicArn)!;
        const am = release("metrics").inputs.values.alertmanager;
        const role = g.one("aws:iam/role:Role", "telemetry-alertmanager-role");
        expect(am.serviceAccount).toEqual({ create: true, name: "alertmanager", annotations: { "eks.amazonaws.com/role-arn": role.outputs.arn } });
        expect(Object.values(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals)).toEqual(["system:serviceaccount:monitoring:alertmanager", "sts.amazonaws.com"]);
        const policy = JSON.parse(g.one("aws:iam/rolePolicy:RolePolicy", "telemetry-alertmanager-alert-topic").inputs.policy);
        expect(policy.Statement).toEqual([
            { Sid: "PublishAlerts", Effect: "Allow", Action: ["sns:Publish"], Resource: [topic.outputs.arn] },
            { Sid: "EncryptAlerts", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: [topic.inputs.kmsMasterKeyId] },
        ]);
        expect(am.config.route.receiver).toBe("alert-topic");
        expect(am.config.receivers.find((r: any) => r.name === "alert-topic").sns_configs).toEqual([expect.objectContaining({ topic_arn: topic.outputs.arn, send_resolved: true })]);
    });

    it("the saved Logs Insights query follows the field the API's request logs and the worker's job logs carry", () => {
        const q = g.one("aws:cloudwatch/queryDefinition:QueryDefinition").inputs;
        expect(q.queryString).toContain(`log_processed.${APP_CORRELATION_ID_FIELD} = `);
        expect(q.queryString).toContain(`kubernetes.namespace_name = "${APP_NAMESPACE}"`);
        const app = (file: string) => fs.readFileSync(path.join(REPO_ROOT, "app", "src", file), "utf8");
        expect(app("platform/http.ts")).toContain(`requestIdLogLabel: "${APP_CORRELATION_ID_FIELD}"`);
        expect(app("modules/reports/service.ts")).toMatch(new RegExp(`child\\(\\{ ${APP_CORRELATION_ID_FIELD}: `));
    });

    it("the container log groups keep the tier's cluster log retention, and only prod remote-writes to Amazon Managed Prometheus", () => {
        const retention = g.one("aws:eks/cluster:Cluster") && g.byType("aws:cloudwatch/logGroup:LogGroup").find((l) => String(l.inputs.name).startsWith("/aws/eks/"))!.inputs.retentionInDays;
        const groups = g.byType("aws:cloudwatch/logGroup:LogGroup").filter((l) => String(l.inputs.name).startsWith("/aws/containerinsights/"));
        expect(groups).toHaveLength(4);
        for (const l of groups) expect(l.inputs.retentionInDays).toBe(retention);
        expect(g.byType("aws:amp/workspace:Workspace")).toHaveLength(stack === "prod" ? 1 : 0);
    });
});
