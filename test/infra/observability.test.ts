import * as library from "../../components";
import { isObservable } from "../../components/observe";
import { buildPlatform, observedComponents, Platform } from "../../infra/platform";
import { REPO_ROOT } from "../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { parsePlatformSpec } from "../../stacks";
import { evaluateGraph, mandatory } from "../support/policy";
import { Graph, RecordedResource, runPulumi } from "../support/pulumi";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";

/** The stack file's config, as the CLI passes it. */
function stackConfig(stack: string): Record<string, string> {
    return readStackConfig(resolveProject(REPO_ROOT), stack).config;
}

/** The component (a `groundwork:` resource other than the health registry) an alarm belongs to. */
function ownerOf(g: Graph, r: RecordedResource): RecordedResource {
    let p = r.parent;
    while (p) {
        const parent = g.byUrn(p);
        if (parent.type.startsWith("groundwork:")) return parent;
        p = parent.parent;
    }
    throw new Error(`${r.name} has no component`);
}

describe.each([
    // stack, alarms by component: NATs, edge, the API's load balancer (prod has an origin certificate), cluster,
    // database, cache nodes x (4 + lag), queue
    ["prod", { network: 3, edge: 2, "api-lb": 4, cluster: 3, db: 6, cache: 30, jobs: 2 }], // prod cache: 3 shards x 2 nodes, 5 alarms each
    ["dev", { network: 1, edge: 2, cluster: 3, db: 6, cache: 4, jobs: 2 }],
] as const)("observability of stack %s", (stack, counts) => {
    let g: Graph;
    let platform: Platform | undefined;
    beforeAll(async () => {
        const config = stackConfig(stack);
        const spec = parsePlatformSpec({ ...config, "aws:region": "us-east-1" }, { stack, availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] });
        g = await runPulumi(() => {
            platform = buildPlatform(spec);
        }, { stack, config });
    });

    test("an encrypted alert topic with the stack file's subscribers", () => {
        const topic = g.one("aws:sns/topic:Topic");
        expect(topic.inputs.kmsMasterKeyId).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
        expect(g.byType("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.inputs.protocol, s.inputs.endpoint, s.inputs.topic])).toEqual([["email", "platform-alerts@example.com", topic.outputs.arn]]);
    });

    test(`alarms per component: ${JSON.stringify(counts)}`, () => {
        const byComponent: Record<string, number> = {};
        for (const a of g.byType(ALARM)) {
            const owner = ownerOf(g, a).name;
            byComponent[owner] = (byComponent[owner] ?? 0) + 1;
        }
        expect(byComponent).toEqual(counts);
    });

    test("every alarm notifies the alert topic on ALARM and OK, and says what to check first", () => {
        const arn = g.one("aws:sns/topic:Topic").outputs.arn;
        for (const a of g.byType(ALARM)) {
            expect([a.name, a.inputs.alarmActions, a.inputs.okActions, a.inputs.actionsEnabled]).toEqual([a.name, [arn], [arn], true]);
            expect(a.inputs.alarmDescription).toMatch(/Check first: /);
        }
    });

    test("the composite service-health alarm is in ALARM when any component alarm is", () => {
        const composite = g.one("aws:cloudwatch/compositeAlarm:CompositeAlarm");
        const rule = composite.inputs.alarmRule as string;
        const names = g.byType(ALARM).map((a) => a.outputs.name as string);
        expect(rule.split(" OR ").sort()).toEqual(names.map((n) => `ALARM("${n}")`).sort());
        expect(composite.inputs.alarmActions).toEqual([g.one("aws:sns/topic:Topic").outputs.arn]);
    });

    test("the dashboard draws every alarm's metric, and a row per observable component", () => {
        const dashboard = g.one("aws:cloudwatch/dashboard:Dashboard");
        expect(dashboard.inputs.dashboardName).toBe(`groundwork-${stack}`);
        const widgets = JSON.parse(dashboard.inputs.dashboardBody as string).widgets as { type: string; properties: Record<string, any> }[];
        // A graph's metric as `namespace metricName {dimensions}` (dimension order does not matter), or its query.
        const key = (m: unknown[]): string => {
            if (typeof m[0] === "object") return (m[0] as { expression: string }).expression;
            const dims = Object.fromEntries(Array.from({ length: (m.length - 2) / 2 }, (_, i) => [m[2 + 2 * i], m[3 + 2 * i]]).sort());
            return `${String(m[0])} ${String(m[1])} ${JSON.stringify(dims)}`;
        };
        const drawn = new Set(widgets.filter((w) => w.type === "metric").map((w) => key(w.properties.metrics[0])));
        for (const a of g.byType(ALARM)) {
            const metric = a.inputs.metricQueries
                ? a.inputs.metricQueries[0].expression
                : `${a.inputs.namespace} ${a.inputs.metricName} ${JSON.stringify(Object.fromEntries(Object.entries(a.inputs.dimensions as Record<string, string>).sort()))}`;
            expect([a.name, drawn.has(metric)]).toEqual([a.name, true]);
        }
        expect(widgets.filter((w) => w.type === "text").map((w) => w.properties.markdown)).toEqual(Object.keys(counts).map((c) => `## ${c}`));
    });

    test("one registry: every observable component of the platform, and every instance in the graph of an observable class, is alarmed", () => {
        const p = platform as Platform;
        // The registry is computed from the platform's components: none is left out.
        const observable = Object.values(p).filter(isObservable).map((c) => c.baseName);
        expect(Object.keys(p.health.alarmsByComponent)).toEqual(observable);
        expect(observedComponents({ a: p.database, b: p.identities, c: 42 })).toEqual([p.database]);
        // Every library class with the Observable API (by its prototype), wherever it is used in the program, has alarms:
        // a second Queue declared but not registered would fail here (and in the alarm-coverage policy).
        const classes = (Object.values(library) as unknown[]).filter(
            (v): v is { name: string; prototype: { alarmSpecs?: unknown } } => typeof v === "function" && typeof (v.prototype as { alarmSpecs?: unknown } | undefined)?.alarmSpecs === "function",
        );
        expect(classes.map((c) => c.name).sort()).toEqual(["AuroraDatabase", "Cache", "Cdn", "Cluster", "Database", "LoadBalancer", "Network", "Queue"]);
        for (const cls of classes) {
            for (const r of g.resources.filter((x) => x.type.startsWith("groundwork:") && x.type.endsWith(`:${cls.name}`))) {
                const alarms = g.byType(ALARM).filter((a) => ownerOf(g, a).urn === r.urn);
                expect([r.name, alarms.length > 0]).toEqual([r.name, true]);
            }
        }
    });

    test("both packs' security rules raise no mandatory violation, the alarm-coverage policy included", async () => {
        expect(mandatory(await evaluateGraph(g, { tier: stack }))).toEqual([]);
    });
});
