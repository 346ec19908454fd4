import { knownString, readKnown } from "@groundwork/policy-kit";
import type { GraphResource, StackFinding, StackRule } from "@groundwork/policy-kit";

const ALARM_TYPE = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC_TYPE = "aws:sns/topic:Topic";

/** How a watched resource is named in CloudWatch: its kind (for messages) and the dimensions that name it. */
interface Watched {
    /** What the resource is, in messages. */
    readonly kind: string;
    /**
     * The identifiers a metric dimension may carry to name the resource, by dimension name; a value ending in `*` is
     * a prefix (the nodes of a replication group). Empty when the resource's identifiers are unknown (preview).
     */
    identifiers(r: GraphResource): Record<string, string[]>;
    /** True for a resource this rule leaves to another (a cache node judged on its replication group). */
    skip?(r: GraphResource): boolean;
}

const str = (r: GraphResource, ...keys: string[]): string[] => keys.map((k) => knownString(() => r.props[k])).filter((v): v is string => v !== undefined);

/** The resource types the rule judges, with the dimensions their CloudWatch metrics name them by. */
export const WATCHED_TYPES: Readonly<Record<string, Watched>> = {
    "aws:rds/instance:Instance": { kind: "database", identifiers: (r) => ({ DBInstanceIdentifier: str(r, "identifier", "id") }) },
    "aws:rds/cluster:Cluster": { kind: "database cluster", identifiers: (r) => ({ DBClusterIdentifier: str(r, "clusterIdentifier", "id") }) },
    "aws:elasticache/replicationGroup:ReplicationGroup": {
        kind: "cache",
        // Most ElastiCache metrics exist per node only: `<group id>-001`, `-002`, ... name the group's nodes.
        identifiers: (r) => {
            const ids = str(r, "replicationGroupId", "id");
            return { ReplicationGroupId: ids, CacheClusterId: ids.map((id) => `${id}-*`) };
        },
    },
    "aws:elasticache/cluster:Cluster": {
        kind: "cache",
        identifiers: (r) => ({ CacheClusterId: str(r, "clusterId", "id") }),
        // A member of a replication group is covered by the group's alarms.
        skip: (r) => readKnown(() => r.props.replicationGroupId) !== undefined && readKnown(() => r.props.replicationGroupId) !== "",
    },
    "aws:sqs/queue:Queue": { kind: "queue", identifiers: (r) => ({ QueueName: str(r, "name") }) },
    "aws:lb/loadBalancer:LoadBalancer": { kind: "load balancer", identifiers: (r) => ({ LoadBalancer: str(r, "arnSuffix") }) },
    "aws:alb/loadBalancer:LoadBalancer": { kind: "load balancer", identifiers: (r) => ({ LoadBalancer: str(r, "arnSuffix") }) },
    "aws:cloudfront/distribution:Distribution": {
        kind: "distribution",
        // The id, and the id the ARN ends with (`arn:aws:cloudfront::<account>:distribution/<id>`): both name it.
        identifiers: (r) => ({ DistributionId: [...new Set([...str(r, "id"), ...str(r, "arn").map((a) => a.split("/").pop() as string)])] }),
    },
};

/** The Pulumi engine's sentinel for an unknown value, in case a caller passes it through undeserialised. */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Marks a value unknown during preview. */
const UNKNOWN = Symbol("unknown");

/** Reads `get()`, returning {@link UNKNOWN} for a value unknown during preview (the proxy throws, or the raw sentinel). */
function read(get: () => unknown): unknown {
    let threw = true;
    const v = readKnown(() => {
        const x = get();
        // Touch array elements too: the preview proxy throws on an unknown element only when it is read.
        if (Array.isArray(x)) x.forEach((e) => e);
        threw = false;
        return x;
    });
    if (threw) return UNKNOWN;
    return v === UNKNOWN_SENTINEL ? UNKNOWN : v;
}

/** The dimension maps of an alarm: its own metric's and its metric queries'; {@link UNKNOWN} where unknown. */
function dimensionSets(alarm: GraphResource): unknown[] {
    const sets: unknown[] = [];
    const own = read(() => alarm.props.dimensions);
    if (own !== undefined && own !== null) sets.push(own);
    const queries = read(() => alarm.props.metricQueries);
    if (queries === UNKNOWN) sets.push(UNKNOWN);
    else if (Array.isArray(queries)) {
        queries.forEach((_, i) => {
            const d = read(() => alarm.props.metricQueries[i]?.metric?.dimensions);
            if (d !== undefined && d !== null) sets.push(d);
        });
    }
    return sets;
}

/** Metrics Insights expressions of an alarm's queries (a `WHERE Dimension = 'value'` names the resource). */
function expressions(alarm: GraphResource): string[] {
    const queries = read(() => alarm.props.metricQueries);
    if (!Array.isArray(queries)) return [];
    return queries.map((_, i) => read(() => alarm.props.metricQueries[i]?.expression)).filter((e): e is string => typeof e === "string");
}

const matches = (value: unknown, identifier: string) =>
    typeof value === "string" && (identifier.endsWith("*") ? value.startsWith(identifier.slice(0, -1)) : value === identifier);

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * True when the alarm's dimensions (or a Metrics Insights filter `Dimension = 'value'`) name the resource. Where
 * either side is unknown during preview (an auto-named queue, computed dimensions), an alarm that depends on the
 * resource counts.
 */
export function alarmNames(alarm: GraphResource, resource: GraphResource, watched: Watched): boolean {
    const ids = watched.identifiers(resource);
    const known = Object.values(ids).some((v) => v.length > 0);
    let unknown = !known;
    for (const set of dimensionSets(alarm)) {
        if (set === UNKNOWN || typeof set !== "object") {
            unknown = true;
            continue;
        }
        for (const [dim, values] of Object.entries(ids)) {
            const v = read(() => (set as Record<string, unknown>)[dim]);
            if (v === UNKNOWN) unknown = true;
            else if (values.some((id) => matches(v, id))) return true;
        }
    }
    for (const e of expressions(alarm)) {
        for (const [dim, values] of Object.entries(ids)) {
            if (values.some((id) => !id.endsWith("*") && new RegExp(`\\b${dim}\\s*=\\s*'${escape(id)}'`).test(e))) return true;
        }
    }
    return unknown && alarm.dependencyUrns.includes(resource.urn);
}

/**
 * True when one of the alarm's `alarmActions` is an SNS topic declared in the stack, by ARN. Where an action or a
 * topic's ARN is unknown during preview, an alarm that depends on an in-stack topic counts.
 */
export function notifiesStackTopic(alarm: GraphResource, topics: GraphResource[]): boolean {
    const arns = topics.map((t) => read(() => t.props.arn));
    const known = arns.filter((a): a is string => typeof a === "string" && a !== "");
    const actions = read(() => alarm.props.alarmActions);
    let unknown = actions === UNKNOWN || arns.some((a) => a === UNKNOWN);
    if (Array.isArray(actions)) {
        if (actions.some((a) => typeof a === "string" && known.includes(a))) return true;
        if (actions.some((a) => a === UNKNOWN || a === UNKNOWN_SENTINEL)) unknown = true;
    }
    return unknown && topics.some((t) => alarm.dependencyUrns.includes(t.urn));
}

/**
 * In prod, every database (RDS instance or cluster), cache (ElastiCache replication group or standalone cluster),
 * SQS queue (dead-letter queues included), load balancer and CloudFront distribution in the stack has at least one
 * `aws.cloudwatch.MetricAlarm` whose dimensions name it and whose `alarmActions` include an SNS topic declared in the
 * stack: a failure someone would have to notice on a dashboard is a failure nobody notices. An alarm that notifies a
 * topic outside the stack does not count (nothing in the stack says anyone reads it); an intended exception is an
 * exemption with a reason (tag `exempt.groundwork.dev/aws-cloudwatch-metricalarm-enforce-coverage` on the resource, or
 * the policy config's `exemptions`).
 *
 * Severity: medium. Level: mandatory-prod.
 * Controls: Groundwork OPS.1 (no public benchmark asks for it; SECURITY-RULES' "Operations" table).
 */
export const cloudwatchMetricAlarmEnforceCoverage: StackRule = {
    kind: "stack",
    name: "aws-cloudwatch-metricalarm-enforce-coverage",
    description:
        "Every database, cache, SQS queue (dead-letter queues included), load balancer and CloudFront distribution has a CloudWatch alarm whose dimensions name it and whose alarmActions include an SNS topic of the stack.",
    controls: ["Groundwork OPS.1"],
    severity: "medium",
    level: "mandatory-prod",
    remediation:
        "Declare the component's alarms with `component.alarms(alertTopic)` (components/observe: an AlertTopic, and ServiceHealth for the whole stack), or an `aws.cloudwatch.MetricAlarm` whose dimensions name the resource and whose alarmActions include an `aws.sns.Topic` of this stack; exempt a resource nobody needs paged for with a reason.",
    check(resources) {
        const alarms = resources.filter((r) => r.type === ALARM_TYPE);
        const topics = resources.filter((r) => r.type === TOPIC_TYPE);
        const findings: StackFinding[] = [];
        for (const r of resources) {
            const watched = WATCHED_TYPES[r.type];
            if (!watched || watched.skip?.(r)) continue;
            const naming = alarms.filter((a) => alarmNames(a, r, watched));
            if (naming.some((a) => notifiesStackTopic(a, topics))) continue;
            findings.push({
                urn: r.urn,
                message:
                    naming.length === 0
                        ? `${watched.kind} '${r.name}' (${r.type}) has no CloudWatch alarm whose dimensions name it`
                        : `${watched.kind} '${r.name}' (${r.type}) has alarms (${naming.map((a) => a.name).join(", ")}) but none notifies an SNS topic declared in this stack`,
            });
        }
        return findings;
    },
};
