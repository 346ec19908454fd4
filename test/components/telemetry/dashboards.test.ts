import * as fs from "node:fs";
import * as path from "node:path";
import { dashboardExpressions, loadDashboards } from "../../../components/telemetry";

const ROOT = path.join(__dirname, "..", "..", "..");
const DIR = path.join(ROOT, "observability", "dashboards");

/** What the test reads of a prom-client metric (the app's registry). */
interface RegisteredMetric {
    name: string;
    type: string;
    labelNames: string[];
}

/** The app's metrics, from its own `Metrics` class (app/src/platform/metrics.ts), loaded as test/observability does. */
function appRegistry(): Map<string, RegisteredMetric> {
    let mod: { Metrics: new (opts?: { defaultMetrics?: boolean }) => Record<string, unknown> };
    try {
        mod = require(path.join(ROOT, "app/src/platform/metrics"));
    } catch (err) {
        throw new Error(`cannot load app/src/platform/metrics.ts (${(err as Error).message}). Fix: install the app's dependencies: npm --prefix app ci`);
    }
    const metrics = new mod.Metrics({ defaultMetrics: false });
    const all = Object.values(metrics).filter((m): m is RegisteredMetric => typeof (m as RegisteredMetric)?.name === "string" && Array.isArray((m as RegisteredMetric).labelNames));
    return new Map(all.map((m) => [m.name, m]));
}

const KEYWORDS = new Set(["and", "or", "unless", "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan"]);

/** The metric names a PromQL expression selects, with the label names its matchers and groupings use. */
function selectorsIn(expr: string): { metric: string; labels: string[] }[] {
    const grouped = [...expr.matchAll(/\b(?:by|without)\s*\(([^)]*)\)/g)].flatMap((m) => m[1].split(",").map((l) => l.trim()).filter(Boolean));
    const stripped = expr
        .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
        .replace(/\[[^\]]*\]/g, " ")
        .replace(/\b\d+(\.\d+)?(e-?\d+)?\b/g, " ");
    const found: { metric: string; labels: string[] }[] = [];
    for (const m of stripped.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{[^}]*\})?/g)) {
        const [whole, name, matchers] = m;
        if (!whole.trim() || name === undefined) continue;
        const after = stripped.slice((m.index ?? 0) + whole.length);
        if (!matchers && /^\s*\(/.test(after)) continue; // a function or aggregation
        if (KEYWORDS.has(name.toLowerCase())) continue;
        const labels = matchers ? [...matchers.replace(/"(?:[^"\\]|\\.)*"/g, '""').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map((x) => x[1]) : [];
        found.push({ metric: name, labels: [...labels, ...grouped] });
    }
    return found;
}

/** The registered metric a series name belongs to (a histogram's `_bucket`, `_sum`, `_count` series included). */
function metricOf(series: string, registry: Map<string, RegisteredMetric>): RegisteredMetric | undefined {
    if (registry.has(series)) return registry.get(series);
    const base = series.replace(/_(bucket|sum|count)$/, "");
    const m = registry.get(base);
    return m?.type === "histogram" ? m : undefined;
}

describe("dashboards as code (observability/dashboards)", () => {
    const dashboards = loadDashboards(DIR);
    const registry = appRegistry();

    it("are the RED, cache/database and queue/jobs dashboards, each with a stable uid", () => {
        expect(Object.keys(dashboards).sort()).toEqual(["app-data.json", "app-jobs.json", "app-red.json"]);
        const uids = Object.values(dashboards).map((d) => JSON.parse(d).uid);
        expect(new Set(uids).size).toBe(uids.length);
    });

    it.each(Object.keys(loadDashboards(DIR)))("%s queries only metrics and labels the app's registry has", (file) => {
        const exprs = dashboardExpressions(dashboards[file]);
        expect(exprs.length).toBeGreaterThan(0);
        const problems: string[] = [];
        for (const expr of exprs) {
            const selectors = selectorsIn(expr);
            if (selectors.length === 0) problems.push(`${expr}: selects no metric`);
            for (const { metric, labels } of selectors) {
                const m = metricOf(metric, registry);
                if (!m) {
                    problems.push(`${expr}: ${metric} is not a metric of app/src/platform/metrics.ts`);
                    continue;
                }
                const known = new Set([...m.labelNames, ...(m.type === "histogram" && metric.endsWith("_bucket") ? ["le"] : [])]);
                for (const l of labels) if (!known.has(l)) problems.push(`${expr}: ${metric} has no label '${l}'`);
            }
        }
        expect(problems).toEqual([]);
    });

    it("cover what issue 12 asks for: RED, cache hit ratio, queue depth and drain time, DB pool usage, job outcomes", () => {
        const all = Object.values(dashboards).flatMap(dashboardExpressions).join("\n");
        for (const metric of ["http_requests_total", "http_request_duration_seconds_bucket", "http_request_errors_total", "cache_events_total", "queue_messages", "db_pool_connections", "jobs_processed_total"]) {
            expect(all).toContain(metric);
        }
    });

    it("the checker catches a renamed metric and a label the metric lacks", () => {
        const fake = JSON.stringify({ uid: "x", title: "x", panels: [{ targets: [{ expr: 'sum by (tenant) (rate(http_requests_totals{route="/"}[5m]))' }] }] });
        const [expr] = dashboardExpressions(fake);
        const [sel] = selectorsIn(expr);
        expect(metricOf(sel.metric, registry)).toBeUndefined();
        expect(selectorsIn('sum by (tenant) (rate(http_requests_total[5m]))')[0].labels).toContain("tenant");
    });

    it("refuses a dashboard without a uid, naming the file", () => {
        const tmp = fs.mkdtempSync(path.join(require("node:os").tmpdir(), "dash-"));
        fs.writeFileSync(path.join(tmp, "broken.json"), JSON.stringify({ title: "no uid" }));
        expect(() => loadDashboards(tmp)).toThrow(/dashboard broken\.json: no 'uid' or 'title'/);
    });
});
