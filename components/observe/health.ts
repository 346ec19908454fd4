import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError, BaseArgs, GroundworkComponent } from "../base";
import { awsContext, stableName } from "../secrets/context";
import type { AlarmOptions, AlarmSpec, AlarmTarget, Observable } from "./alarms";

/** One row of the dashboard: a component and the alarm specs it derived. */
export interface DashboardSection {
    /** Row title (the component's name). */
    readonly title: string;
    /** The component's alarm specs: one graph each, with the alarm's threshold drawn on it. */
    readonly specs: readonly AlarmSpec[];
}

/** Width of a metric widget on CloudWatch's 24-column grid: three graphs per row. */
const WIDGET_WIDTH = 8;
/** Height of a metric widget. */
const WIDGET_HEIGHT = 6;

/** The `metrics` array of a spec's widget: one metric with its dimensions, or the spec's Metrics Insights query. */
function widgetMetrics(spec: AlarmSpec): unknown[] {
    if (spec.query !== undefined) return [[{ expression: spec.query, label: spec.title, id: "q" }]];
    return [[spec.namespace, spec.metricName, ...Object.entries(spec.dimensions).flat()]];
}

/**
 * The dashboard body for some sections: per section a title row, then one graph per alarm spec showing the alarmed
 * metric with its statistic, period and region, and the threshold as a horizontal line. Built from the very specs the
 * alarms are declared from, so a graph exists for every alarm. Values may be outputs (resolve the result with
 * `pulumi.output`). Pure.
 */
export function dashboardBody(sections: readonly DashboardSection[], homeRegion: pulumi.Input<string>): { widgets: object[] } {
    const widgets: object[] = [];
    let y = 0;
    for (const section of sections) {
        widgets.push({ type: "text", x: 0, y, width: 24, height: 1, properties: { markdown: `## ${section.title}` } });
        y += 1;
        section.specs.forEach((spec, i) => {
            const x = (i % 3) * WIDGET_WIDTH;
            if (i > 0 && i % 3 === 0) y += WIDGET_HEIGHT;
            widgets.push({
                type: "metric",
                x,
                y,
                width: WIDGET_WIDTH,
                height: WIDGET_HEIGHT,
                properties: {
                    title: spec.title,
                    region: spec.region ?? homeRegion,
                    view: "timeSeries",
                    stat: spec.statistic ?? spec.extendedStatistic ?? "Maximum",
                    period: spec.period,
                    metrics: widgetMetrics(spec),
                    annotations: { horizontal: [{ label: `alarm (${spec.comparisonOperator.replace("Threshold", "")})`, value: spec.threshold }] },
                },
            });
        });
        if (section.specs.length > 0) y += WIDGET_HEIGHT;
    }
    return { widgets };
}

/** `ALARM("a") OR ALARM("b") ...`: the rule of a composite alarm in ALARM when any of the named alarms is. Pure. */
export function anyAlarmRule(alarmNames: readonly string[]): string {
    return alarmNames.map((n) => `ALARM("${n}")`).join(" OR ");
}

/** Arguments of the {@link ServiceHealth} component. */
export interface ServiceHealthArgs extends BaseArgs {
    /** Where every alarm, and the composite health alarm, notify (an `AlertTopic`). */
    readonly target: AlarmTarget;
    /**
     * The stack's observable components, in dashboard order: the one registry both the alarms and the dashboard are
     * built from, so a component listed here is alarmed and drawn, and one left out is neither.
     */
    readonly components: readonly Observable[];
    /**
     * Per component (by `baseName`), options of its `alarms()` call.
     * @default {}
     */
    readonly alarmOptions?: Readonly<Record<string, AlarmOptions>>;
    /**
     * Name of the CloudWatch dashboard (unique in the account).
     * @default "<project>-<stack>"
     */
    readonly dashboardName?: string;
}

/**
 * The stack's service health: declares every listed component's alarms (through the component's own `alarms()`), a
 * composite "service health" alarm per region over them (in ALARM when any component alarm is; composite alarms
 * cannot span regions) and one CloudWatch dashboard with a row per component. Type token
 * `groundwork:observe:ServiceHealth`.
 *
 * Costs $0.10 per standard alarm a month, $0.50 per composite alarm and $3 for the dashboard.
 */
export class ServiceHealth extends GroundworkComponent {
    /** The alarms declared, by component name. */
    public readonly alarmsByComponent: Readonly<Record<string, aws.cloudwatch.MetricAlarm[]>>;
    /** The composite health alarms, by region (`""` for the stack's region). */
    public readonly compositeAlarms: Readonly<Record<string, aws.cloudwatch.CompositeAlarm>>;
    /** Name of the dashboard. */
    public readonly dashboardName: pulumi.Output<string>;
    /** ARN of the composite health alarm of the stack's region. */
    public readonly healthAlarmArn: pulumi.Output<string>;

    constructor(name: string, args: ServiceHealthArgs, opts?: pulumi.ComponentResourceOptions) {
        const who = `ServiceHealth '${name}'`;
        const names = args.components.map((c) => c.baseName);
        const dup = names.find((n, i) => names.indexOf(n) !== i);
        if (dup !== undefined) throw new ArgumentError(who, "components", `'${dup}' is listed twice, and its alarms can be declared once`, "list each component once");
        if (args.components.length === 0) throw new ArgumentError(who, "components", "no component is listed", "list the stack's observable components");
        const unknownOptions = Object.keys(args.alarmOptions ?? {}).filter((n) => !names.includes(n));
        if (unknownOptions.length > 0) throw new ArgumentError(who, "alarmOptions", `${unknownOptions.join(", ")} name no listed component`, `key the options by one of ${names.join(", ")}`);
        const declared = args.components.flatMap((c) => c.alarmSpecs().filter((s) => !(args.alarmOptions?.[c.baseName]?.skip ?? []).includes(s.part)));
        if (declared.length === 0) throw new ArgumentError(who, "components", "none of the listed components declares an alarm, so there is no health to watch", "list components with alarms (a Network without NAT has none), or skip fewer");
        super("observe", "ServiceHealth", name, args, opts);

        // One registry: each component's specs feed both its alarms and its dashboard row.
        const sections: DashboardSection[] = [];
        const byComponent: Record<string, aws.cloudwatch.MetricAlarm[]> = {};
        const home = aws.config.region;
        const byRegion = new Map<string, aws.cloudwatch.MetricAlarm[]>();
        for (const c of args.components) {
            const specs = c.alarmSpecs();
            const alarms = c.alarms(args.target, args.alarmOptions?.[c.baseName]);
            const skipped = new Set(args.alarmOptions?.[c.baseName]?.skip ?? []);
            const kept = specs.filter((s) => !skipped.has(s.part));
            sections.push({ title: c.baseName, specs: kept });
            byComponent[c.baseName] = alarms;
            kept.forEach((s, i) => {
                // Alarms in the stack's region, named or not, share its composite.
                const region = s.region === undefined || s.region === home ? "" : s.region;
                byRegion.set(region, [...(byRegion.get(region) ?? []), alarms[i]]);
            });
        }
        this.alarmsByComponent = byComponent;

        const composites: Record<string, aws.cloudwatch.CompositeAlarm> = {};
        for (const [key, all] of byRegion) {
            const suffix = key === "" ? "" : `-${key}`;
            composites[key] = new aws.cloudwatch.CompositeAlarm(
                this.childName(`health${suffix}`),
                {
                    ...(key === "" ? {} : { region: key }),
                    alarmName: stableName([pulumi.getProject(), pulumi.getStack(), "service-health", ...(key === "" ? [] : [key])], 255),
                    alarmDescription: `Service health of ${pulumi.getProject()}-${pulumi.getStack()}${suffix ? ` (${key})` : ""}: in ALARM while any component alarm is. Check first: the component alarms in ALARM on the dashboard, each description says what to look at.`,
                    alarmRule: pulumi.all(all.map((a) => a.name)).apply(anyAlarmRule),
                    actionsEnabled: true,
                    alarmActions: [args.target.topicArnFor(key === "" ? undefined : key)],
                    okActions: [args.target.topicArnFor(key === "" ? undefined : key)],
                    tags: this.childTags(`health${suffix}`),
                },
                this.childOpts(),
            );
        }
        this.compositeAlarms = composites;

        const region = awsContext(this).region;
        const dashboard = new aws.cloudwatch.Dashboard(
            this.childName("dashboard"),
            {
                dashboardName: args.dashboardName ?? stableName([pulumi.getProject(), pulumi.getStack()], 255),
                dashboardBody: pulumi.output(dashboardBody(sections, region)).apply((b) => JSON.stringify(b)),
            },
            this.childOpts(),
        );
        this.dashboardName = dashboard.dashboardName;
        this.healthAlarmArn = (composites[""] ?? Object.values(composites)[0]).arn;
        this.registerOutputs({ dashboardName: this.dashboardName, healthAlarmArn: this.healthAlarmArn });
    }
}
