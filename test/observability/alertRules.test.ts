import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { ALERT_THRESHOLDS, APP_METRICS, appAlertRuleGroups, LABEL_VALUES, PROBE_ROUTES, RULE_GROUP_NAME } from "../../infra/alertRules";
import { TIERS } from "../../stacks/tiers";
import { REPO_ROOT, renderRuleFile, ruleFilePath } from "../../tools/alerts/render";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { Graph, runPulumi } from "../support/pulumi";

/** What the tests read of a prom-client metric (the app's registry). */
interface RegisteredMetric {
    name: string;
    help: string;
    type: "counter" | "gauge" | "histogram" | "summary";
    labelNames: string[];
    buckets?: number[];
}

/**
 * The app's metrics, from an instance of its own `Metrics` class (app/src/platform/metrics.ts). Loaded with require so
 * the platform's type-check does not follow the app's code; prom-client comes from app/node_modules.
 */
function appRegistry(): Map<string, RegisteredMetric> {
    let mod: { Metrics: new (opts?: { defaultMetrics?: boolean }) => Record<string, unknown> };
    try {
        mod = require(path.join(REPO_ROOT, "app/src/platform/metrics"));
    } catch (err) {
        throw new Error(`cannot load app/src/platform/metrics.ts (${(err as Error).message}). Fix: install the app's dependencies: npm --prefix app ci`);
    }
    const metrics = new mod.Metrics({ defaultMetrics: false });
    const all = Object.values(metrics).filter((m): m is RegisteredMetric => typeof (m as RegisteredMetric)?.name === "string" && Array.isArray((m as RegisteredMetric).labelNames));
    return new Map(all.map((m) => [m.name, m]));
}

const FUNCTION_OR_KEYWORD = new Set(["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"]);

/**
 * The metric names a PromQL expression selects, with the label names its matchers use. Strings, ranges and grouping
 * clauses are dropped first; an identifier followed by `(` is a function or aggregation, not a metric.
 */
function selectorsIn(expr: string): { metric: string; labels: string[] }[] {
    const found: { metric: string; labels: string[] }[] = [];
    const withoutGrouping = expr.replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ");
    const selector = /([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{[^}]*\})?/g;
    const stripped = withoutGrouping.replace(/\[[^\]]*\]/g, " ");
    for (const m of stripped.matchAll(selector)) {
        const [whole, name, matchers] = m;
        if (!whole.trim() || name === undefined) continue;
        const after = stripped.slice((m.index ?? 0) + whole.length);
        if (!matchers && /^\s*\(/.test(after)) continue; // a function or aggregation
        if (FUNCTION_OR_KEYWORD.has(name.toLowerCase()) || /^\d/.test(name)) continue;
        const labels = matchers ? [...matchers.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((x) => x[1]) : [];
        found.push({ metric: name, labels });
    }
    return found;
}

/** Problems of one expression against the registry: unknown metrics, matcher labels the metric does not have. */
function problemsOf(expr: string, registry: Map<string, RegisteredMetric>): string[] {
    const problems: string[] = [];
    for (const { metric, labels } of selectorsIn(expr)) {
        const base = registry.has(metric) ? metric : metric.replace(/_(bucket|sum|count)$/, "");
        const m = registry.get(base);
        if (!m || (base !== metric && m.type !== "histogram")) {
            problems.push(`${metric} is not a metric of the app's registry (app/src/platform/metrics.ts)`);
            continue;
        }
        const known = new Set([...m.labelNames, ...(metric.endsWith("_bucket") ? ["le"] : [])]);
        for (const l of labels.filter((x) => !known.has(x))) problems.push(`${metric} has no label '${l}' (labels: ${[...known].join(", ")})`);
    }
    return problems;
}

const registry = appRegistry();
const ruleCases = TIERS.flatMap((tier) => appAlertRuleGroups(tier).flatMap((g) => g.rules.map((r) => [tier, r.alert, r] as const)));

describe("the rule files promtool reads are the rules the stack deploys", () => {
    test.each(TIERS)("observability/rules/app.%s.rules.yml is what `npm run alerts:render` writes", (tier) => {
        const file = path.join(REPO_ROOT, ruleFilePath(tier));
        const checkedIn = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        // A failure here means infra/alertRules.ts changed without `npm run alerts:render` (or the file was edited by hand).
        expect(checkedIn).toBe(renderRuleFile(tier));
        expect(yaml.load(checkedIn)).toEqual({ groups: JSON.parse(JSON.stringify(appAlertRuleGroups(tier))) });
    });

    test("every tier's rules have a promtool test file that loads its rule file", () => {
        for (const tier of TIERS) {
            const testFile = path.join(REPO_ROOT, `observability/tests/app.${tier}.test.yml`);
            const doc = yaml.load(fs.readFileSync(testFile, "utf8")) as { rule_files: string[]; tests: { alert_rule_test?: { alertname: string; exp_alerts: unknown[] }[] }[] };
            expect(doc.rule_files.map((f) => path.resolve(path.dirname(testFile), f))).toEqual([path.join(REPO_ROOT, ruleFilePath(tier))]);
            // THEN every alert has at least one case that fires it and one that must stay quiet.
            const cases = doc.tests.flatMap((t) => t.alert_rule_test ?? []);
            for (const rule of appAlertRuleGroups(tier)[0].rules) {
                const mine = cases.filter((c) => c.alertname === rule.alert);
                expect({ alert: rule.alert, fires: mine.some((c) => c.exp_alerts.length > 0) }).toEqual({ alert: rule.alert, fires: true });
                expect({ alert: rule.alert, quiet: mine.some((c) => c.exp_alerts.length === 0) }).toEqual({ alert: rule.alert, quiet: true });
            }
        }
    });
});

describe("the rules and the app's metrics agree (app/src/platform/metrics.ts)", () => {
    test.each(ruleCases)("%s %s reads only metrics and labels the app exports", (_tier, _alert, rule) => {
        expect(selectorsIn(rule.expr).length).toBeGreaterThan(0);
        expect(problemsOf(rule.expr, registry)).toEqual([]);
    });

    test.each(Object.entries(APP_METRICS))("APP_METRICS.%s is registered by the app with its type and labels", (_key, declared) => {
        const m = registry.get(declared.name);
        expect(m).toBeDefined();
        expect(m!.type).toBe(declared.type);
        for (const l of declared.labels.filter((x) => x !== "le")) expect(m!.labelNames).toContain(l);
    });

    test("the rules read exactly the metrics APP_METRICS declares", () => {
        const read = new Set(ruleCases.flatMap(([, , rule]) => selectorsIn(rule.expr).map((s) => s.metric.replace(/_bucket$/, ""))));
        expect([...read].sort()).toEqual(Object.values(APP_METRICS).map((m) => m.name).sort());
    });

    test("a renamed metric or label is reported", () => {
        expect(problemsOf('sum(rate(http_requests_count{status=~"5.."}[5m]))', registry)).toEqual([expect.stringMatching(/^http_requests_count is not a metric/)]);
        expect(problemsOf('rate(jobs_processed_total{result="retry"}[5m])', registry)).toEqual([expect.stringMatching(/^jobs_processed_total has no label 'result'/)]);
        expect(problemsOf("rate(queue_messages_bucket[5m])", registry)).toEqual([expect.stringMatching(/^queue_messages_bucket is not a metric/)]);
    });

    test("the label values the rules match are the ones the app documents in its help texts", () => {
        const help = (name: string) => registry.get(name)!.help;
        for (const outcome of [...LABEL_VALUES.failedOutcomes, ...LABEL_VALUES.drainingOutcomes]) expect(help(APP_METRICS.jobs.name)).toMatch(new RegExp(`\\b${outcome}\\b`));
        expect(help(APP_METRICS.queueMessages.name)).toMatch(new RegExp(`\\b${LABEL_VALUES.visibleState}\\b`));
        // The poller names the jobs queue in app/src/platform/platform.ts; the DLQ is "jobs-dlq".
        const platform = fs.readFileSync(path.join(REPO_ROOT, "app/src/platform/platform.ts"), "utf8");
        // (the queue URL is config.SQS_QUEUE_URL, checked present by requireQueueUrl when the process uses the queue)
        expect(platform).toMatch(new RegExp(`startQueueDepthPoller\\([^)]*\\{\\s*${LABEL_VALUES.jobsQueue}: queueUrl`));
        expect(platform).toMatch(/const queueUrl = [^;]*requireQueueUrl\(config\)/);
        const http = fs.readFileSync(path.join(REPO_ROOT, "app/src/platform/http.ts"), "utf8");
        for (const route of PROBE_ROUTES) expect(http).toContain(`app.get("${route}"`);
    });

    test.each(TIERS)("the %s p99 threshold is a bucket bound of http_request_duration_seconds", (tier) => {
        // Then histogram_quantile exceeds it exactly when more than 1% of requests took longer.
        expect(registry.get(APP_METRICS.httpDuration.name)!.buckets).toContain(ALERT_THRESHOLDS[tier].latencyP99Seconds.threshold);
    });
});

describe("appAlertRuleGroups", () => {
    test.each(ruleCases)("%s %s has for, severity, tier and the three annotations", (tier, _alert, rule) => {
        expect(rule.for).toMatch(/^\d+[smh]$/);
        expect(rule.labels).toEqual({ severity: expect.stringMatching(/^(critical|warning)$/), tier });
        for (const k of ["summary", "description", "runbook"] as const) expect(rule.annotations[k].length).toBeGreaterThan(20);
        expect(rule.annotations.runbook).toMatch(/^First: /);
    });

    test("prod is stricter than dev on every SLO, and only prod pages", () => {
        const keys = ["errorRatio", "latencyP99Seconds", "jobFailureRatio", "queueLagSeconds"] as const;
        for (const k of keys) expect(ALERT_THRESHOLDS.prod[k].threshold).toBeLessThan(ALERT_THRESHOLDS.dev[k].threshold);
        expect(keys.filter((k) => ALERT_THRESHOLDS.dev[k].severity === "critical")).toEqual([]);
        expect(ALERT_THRESHOLDS.prod.errorRatio.severity).toBe("critical");
    });

    test("one group, four SLO alerts, and an unknown tier is refused with the fix", () => {
        expect(appAlertRuleGroups("prod").map((g) => [g.name, g.rules.map((r) => r.alert)])).toEqual([
            [RULE_GROUP_NAME, ["GroundworkApiErrorRatioHigh", "GroundworkApiLatencyP99High", "GroundworkJobFailureRatioHigh", "GroundworkJobQueueLagHigh"]],
        ]);
        expect(() => appAlertRuleGroups("staging" as never)).toThrow("appAlertRuleGroups: unknown tier 'staging'. Fix: use one of dev, prod.");
    });
});

describe.each(["dev", "prod"] as const)("the PrometheusRule on the %s stack", (stack) => {
    let g: Graph;
    beforeAll(async () => {
        const program: () => Promise<Record<string, unknown>> = require("../../infra");
        g = await runPulumi(program, { stack, config: readStackConfig(resolveProject(REPO_ROOT), stack).config });
    }, 120_000); // the whole program under mocks: about 10 s alone, more on a busy machine

    test("sits in the app's namespace, on the cluster's provider, with the rules of the stack's tier", () => {
        const rule = g.one("kubernetes:monitoring.coreos.com/v1:PrometheusRule");
        const deployment = g.one("kubernetes:apps/v1:Deployment", "api-deployment");
        expect(rule.inputs).toMatchObject({ apiVersion: "monitoring.coreos.com/v1", kind: "PrometheusRule", metadata: { name: "groundwork-app-slo", namespace: deployment.inputs.metadata.namespace } });
        expect(rule.inputs.spec).toEqual(JSON.parse(JSON.stringify({ groups: appAlertRuleGroups(stack) })));
        expect(rule.provider).toBe(deployment.provider);
    });
});
