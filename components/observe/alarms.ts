import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ChildScope } from "../base";

/**
 * What every observable component shares: alarm specs derived from the component's own configuration (pure data,
 * some values outputs), declared as `aws.cloudwatch.MetricAlarm` children that notify an {@link AlarmTarget} on both
 * ALARM and OK, and drawn on the stack's dashboard from the same specs.
 */

/** Where alarms notify: an SNS topic per region the alarms live in (alarms can only notify a topic of their region). */
export interface AlarmTarget {
    /**
     * ARN of the topic that alarms in `region` notify. Throws when the target has no topic there.
     * @param region Region of the alarm; undefined for the stack's region.
     */
    topicArnFor(region?: string): pulumi.Output<string>;
}

/** CloudWatch comparison operators the specs use. */
export type AlarmComparison = "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold" | "LessThanThreshold" | "LessThanOrEqualToThreshold";

/** One alarm a component derives from its configuration: pure data, declared by {@link declareAlarms}. */
export interface AlarmSpec {
    /** Part of the child's logical name, `${component}-alarm-${part}`; unique within the component. */
    readonly part: string;
    /** Short title, for the dashboard widget. */
    readonly title: string;
    /** The alarm's description: what it means and what to check first. */
    readonly description: string;
    /** Metric namespace, such as `AWS/RDS`. */
    readonly namespace: string;
    /** Metric name, such as `CPUUtilization`. */
    readonly metricName: string;
    /**
     * Dimensions naming the resource the metric belongs to. With `query`, the dimensions the query filters on (they
     * say which resource the alarm is about; the query is what CloudWatch evaluates).
     */
    readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
    /** Statistic (`Average`, `Maximum`, `Sum`, ...); exclusive with `extendedStatistic`. */
    readonly statistic?: "Average" | "Maximum" | "Minimum" | "Sum" | "SampleCount";
    /** Percentile statistic such as `p99`; exclusive with `statistic`. */
    readonly extendedStatistic?: string;
    /**
     * A CloudWatch Metrics Insights query evaluated instead of one metric: for a metric that only exists per pod or
     * node, aggregated here across them.
     */
    readonly query?: pulumi.Input<string>;
    /** Period in seconds. */
    readonly period: number;
    /** Periods evaluated. */
    readonly evaluationPeriods: number;
    /** Breaching periods among `evaluationPeriods` that raise the alarm. @default - all of them */
    readonly datapointsToAlarm?: number;
    /** Threshold, in the metric's unit. */
    readonly threshold: number;
    /** How the metric is compared with the threshold. */
    readonly comparisonOperator: AlarmComparison;
    /** What a missing datapoint counts as. */
    readonly treatMissingData: "missing" | "notBreaching" | "breaching" | "ignore";
    /** Region of the metric (CloudFront and its WAF publish in us-east-1); undefined for the stack's region. */
    readonly region?: string;
}

/** Options of a component's `alarms()`. */
export interface AlarmOptions {
    /**
     * Parts (see {@link AlarmSpec.part}) of alarms not to declare, for a metric the importer watches otherwise.
     * @default []
     */
    readonly skip?: readonly string[];
}

/** A component that derives alarms from its configuration: the one API every observable Groundwork component has. */
export interface Observable {
    /** The component's logical name: the dashboard's row title. */
    readonly baseName: string;
    /** The alarm specs the component derives from its configuration (pure data; no resource is declared). */
    alarmSpecs(): AlarmSpec[];
    /**
     * Declares the alarms of {@link alarmSpecs} as children of the component, each notifying `target` on ALARM and
     * OK. Call once per component.
     */
    alarms(target: AlarmTarget, opts?: AlarmOptions): aws.cloudwatch.MetricAlarm[];
}

/** True for a component with the {@link Observable} API (`alarmSpecs()` and `alarms()`). */
export function isObservable(x: unknown): x is Observable {
    return typeof x === "object" && x !== null && typeof (x as Observable).alarmSpecs === "function" && typeof (x as Observable).alarms === "function";
}

const SHORT = /^[a-z0-9][a-z0-9-]*$/;

/** Throws when two specs share a part or one is malformed (a programming error of the component, not of its args). */
export function checkAlarmSpecs(component: string, specs: readonly AlarmSpec[]): void {
    const seen = new Set<string>();
    for (const s of specs) {
        if (!SHORT.test(s.part)) throw new Error(`${component}: alarm part '${s.part}' is not lower-case letters, digits and '-'`);
        if (seen.has(s.part)) throw new Error(`${component}: two alarms named '${s.part}'`);
        seen.add(s.part);
        if ((s.statistic === undefined) === (s.extendedStatistic === undefined) && s.query === undefined) {
            throw new Error(`${component}: alarm '${s.part}' needs exactly one of statistic and extendedStatistic`);
        }
    }
}

/** The MetricAlarm args of one spec, notifying `topicArn` on ALARM and OK. Pure apart from the outputs it carries. */
export function metricAlarmArgs(spec: AlarmSpec, topicArn: pulumi.Input<string>, tags: Record<string, string>): aws.cloudwatch.MetricAlarmArgs {
    const common = {
        ...(spec.region !== undefined ? { region: spec.region } : {}),
        alarmDescription: spec.description,
        comparisonOperator: spec.comparisonOperator,
        threshold: spec.threshold,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.datapointsToAlarm ?? spec.evaluationPeriods,
        treatMissingData: spec.treatMissingData,
        // Both transitions notify: who was paged for ALARM learns when it is over.
        actionsEnabled: true,
        alarmActions: [topicArn],
        okActions: [topicArn],
        tags,
    };
    if (spec.query !== undefined) {
        return {
            ...common,
            metricQueries: [{ id: "q", expression: spec.query, period: spec.period, label: spec.title, returnData: true }],
        };
    }
    return {
        ...common,
        namespace: spec.namespace,
        metricName: spec.metricName,
        dimensions: { ...spec.dimensions },
        period: spec.period,
        ...(spec.statistic !== undefined ? { statistic: spec.statistic } : { extendedStatistic: spec.extendedStatistic }),
    };
}

/**
 * Declares one `aws.cloudwatch.MetricAlarm` per spec (minus `opts.skip`) as children of a component, named
 * `${component}-alarm-${part}`, each notifying the target's topic in the alarm's region on ALARM and OK.
 */
export function declareAlarms(scope: ChildScope, specs: readonly AlarmSpec[], target: AlarmTarget, opts: AlarmOptions = {}): aws.cloudwatch.MetricAlarm[] {
    checkAlarmSpecs(scope.baseName, specs);
    const skip = new Set(opts.skip ?? []);
    const unknown = [...skip].filter((p) => !specs.some((s) => s.part === p));
    if (unknown.length > 0) {
        throw new Error(`${scope.baseName}: invalid 'skip': ${unknown.join(", ")} name no alarm of this component. Fix: use parts of alarmSpecs() (${specs.map((s) => s.part).join(", ")})`);
    }
    return specs
        .filter((s) => !skip.has(s.part))
        .map((s) => new aws.cloudwatch.MetricAlarm(scope.name(`alarm-${s.part}`), metricAlarmArgs(s, target.topicArnFor(s.region), scope.tags(`alarm-${s.part}`)), scope.opts()));
}
