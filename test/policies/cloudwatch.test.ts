import { unknownCheckingProxy } from "@pulumi/policy";
import type { GraphResource, StackFinding } from "@groundwork/policy-kit";
import { tierConfig } from "@groundwork/policy-kit";
import { Database } from "../../components/database";
import { AlertTopic } from "../../components/observe";
import { Queue } from "../../components/queue";
import { allRules } from "../../policies/security/rules";
import { cloudwatchMetricAlarmEnforceCoverage as rule } from "../../policies/security/rules/cloudwatch/metricAlarm/enforceCoverage";
import { checkStack, evaluateGraph, graphResource, mandatory } from "../support/policy";
import { runPulumi } from "../support/pulumi";

const POLICY = "aws-cloudwatch-metricalarm-enforce-coverage";
const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const RDS = "aws:rds/instance:Instance";
/** What @pulumi/policy puts in props for a value unknown during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const REASON = "batch database restored nightly from a snapshot; nobody is paged for it";

const topicArn = "arn:aws:sns:us-east-1:123456789012:alerts";
const topic = graphResource(TOPIC, "alerts", { arn: topicArn });
const db = graphResource(RDS, "db", { identifier: "app-db", id: "app-db" });
/** A compliant alarm on `dims`, notifying the in-stack topic (and depending on it, as a Pulumi program's would). */
const alarm = (name: string, dims: Record<string, unknown>, extra: Record<string, unknown> = {}, deps: string[] = [topic.urn]) =>
    graphResource(ALARM, name, { namespace: "AWS/X", metricName: "M", dimensions: dims, alarmActions: [topicArn], okActions: [topicArn], ...extra }, { dependencyUrns: deps });
const noAlarm = (r: GraphResource, kind: string): StackFinding => ({ urn: r.urn, message: `${kind} '${r.name}' (${r.type}) has no CloudWatch alarm whose dimensions name it` });

describe(POLICY, () => {
    const rg = graphResource("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { replicationGroupId: "gw-cache" });
    const queue = graphResource("aws:sqs/queue:Queue", "jobs-queue", { name: "jobs-queue-1a2b" });
    const dlq = graphResource("aws:sqs/queue:Queue", "jobs-dlq", { name: "jobs-dlq-3c4d" });
    const lb = graphResource("aws:lb/loadBalancer:LoadBalancer", "api-lb", { arnSuffix: "app/api/50dc6c495c0c9188" });
    const cf = graphResource("aws:cloudfront/distribution:Distribution", "edge", { id: "E2QWRUHAPOMQZL" });

    it.each<[string, GraphResource[], StackFinding[]]>([
        ["passes: the database's alarm names it and notifies the stack's topic", [db, topic, alarm("db-cpu", { DBInstanceIdentifier: "app-db" })], []],
        ["a stack with a database but no alarm", [db, topic], [noAlarm(db, "database")]],
        ["an alarm on another database does not count", [db, topic, alarm("other-cpu", { DBInstanceIdentifier: "other-db" })], [noAlarm(db, "database")]],
        [
            "an alarm whose action is not a topic of the stack",
            [db, topic, alarm("db-cpu", { DBInstanceIdentifier: "app-db" }, { alarmActions: ["arn:aws:sns:us-east-1:999999999999:elsewhere"] }, [])],
            [{ urn: db.urn, message: `database 'db' (${RDS}) has alarms (db-cpu) but none notifies an SNS topic declared in this stack` }],
        ],
        [
            "an alarm with only okActions does not page anyone",
            [db, topic, alarm("db-cpu", { DBInstanceIdentifier: "app-db" }, { alarmActions: [] })],
            [{ urn: db.urn, message: `database 'db' (${RDS}) has alarms (db-cpu) but none notifies an SNS topic declared in this stack` }],
        ],
        ["an alarm without any topic in the stack", [db, alarm("db-cpu", { DBInstanceIdentifier: "app-db" }, {}, [])], [{ urn: db.urn, message: `database 'db' (${RDS}) has alarms (db-cpu) but none notifies an SNS topic declared in this stack` }]],
        ["passes: an Aurora cluster by DBClusterIdentifier", [graphResource("aws:rds/cluster:Cluster", "aurora", { clusterIdentifier: "aurora-1" }), topic, alarm("a", { DBClusterIdentifier: "aurora-1" })], []],
        ["passes: a cache watched through its nodes (<group>-001)", [rg, topic, alarm("node1-cpu", { CacheClusterId: "gw-cache-001" })], []],
        ["a node alarm of another group does not count", [rg, topic, alarm("node1-cpu", { CacheClusterId: "other-001" })], [noAlarm(rg, "cache")]],
        [
            "passes: a replication group's member cluster is judged on its group",
            [rg, graphResource("aws:elasticache/cluster:Cluster", "member", { clusterId: "gw-cache-001", replicationGroupId: "gw-cache" }), topic, alarm("node1-cpu", { CacheClusterId: "gw-cache-001" })],
            [],
        ],
        ["a standalone cache cluster without alarm", [graphResource("aws:elasticache/cluster:Cluster", "memcached", { clusterId: "mc" }), topic], [noAlarm(graphResource("aws:elasticache/cluster:Cluster", "memcached"), "cache")]],
        ["the dead-letter queue needs an alarm of its own", [queue, dlq, topic, alarm("age", { QueueName: "jobs-queue-1a2b" })], [noAlarm(dlq, "queue")]],
        ["passes: queue and dead-letter queue alarmed", [queue, dlq, topic, alarm("age", { QueueName: "jobs-queue-1a2b" }), alarm("dead", { QueueName: "jobs-dlq-3c4d" })], []],
        ["passes: a load balancer by its ARN suffix", [lb, topic, alarm("5xx", { LoadBalancer: "app/api/50dc6c495c0c9188" })], []],
        ["a load balancer without alarm", [lb, topic], [noAlarm(lb, "load balancer")]],
        ["passes: a distribution by its id", [cf, topic, alarm("5xx", { DistributionId: "E2QWRUHAPOMQZL", Region: "Global" })], []],
        [
            "passes: a distribution by the id its ARN ends with",
            [graphResource("aws:cloudfront/distribution:Distribution", "edge", { arn: "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL" }), topic, alarm("5xx", { DistributionId: "E2QWRUHAPOMQZL", Region: "Global" })],
            [],
        ],
        ["a distribution without alarm", [cf, topic], [noAlarm(cf, "distribution")]],
        [
            "passes: a metric-math alarm whose query metric names the database",
            [db, topic, graphResource(ALARM, "math", { metricQueries: [{ id: "m", metric: { metricName: "CPUUtilization", namespace: "AWS/RDS", dimensions: { DBInstanceIdentifier: "app-db" } } }], alarmActions: [topicArn] }, { dependencyUrns: [topic.urn] })],
            [],
        ],
        [
            "passes: a Metrics Insights alarm filtering on the queue's name",
            [queue, dlq, topic, alarm("dead", { QueueName: "jobs-dlq-3c4d" }), graphResource(ALARM, "insights", { metricQueries: [{ id: "q", expression: "SELECT MAX(ApproximateAgeOfOldestMessage) FROM \"AWS/SQS\" WHERE QueueName = 'jobs-queue-1a2b'" }], alarmActions: [topicArn] })],
            [],
        ],
        ["passes: no watched resource, nothing to alarm", [topic], []],
        [
            "passes (preview): dimensions unknown, the alarm depends on the queue and the topic",
            [queue, dlq, topic, alarm("age", unknownCheckingProxy({ QueueName: UNKNOWN }), {}, [queue.urn, topic.urn]), alarm("dead", { QueueName: "jobs-dlq-3c4d" })],
            [],
        ],
        [
            "preview: dimensions unknown and no dependency on the queue",
            [queue, topic, alarm("age", unknownCheckingProxy({ QueueName: UNKNOWN }), {}, [topic.urn])],
            [noAlarm(queue, "queue")],
        ],
        [
            "passes (preview): the topic's ARN and the actions unknown, the alarm depends on the topic",
            [db, graphResource(TOPIC, "alerts", unknownCheckingProxy({ arn: UNKNOWN })), graphResource(ALARM, "cpu", unknownCheckingProxy({ dimensions: { DBInstanceIdentifier: "app-db" }, alarmActions: [UNKNOWN] }), { dependencyUrns: [topic.urn] })],
            [],
        ],
        [
            "preview: actions unknown but the alarm depends on no topic of the stack",
            [db, topic, graphResource(ALARM, "cpu", unknownCheckingProxy({ dimensions: { DBInstanceIdentifier: "app-db" }, alarmActions: [UNKNOWN] }))],
            [{ urn: db.urn, message: `database 'db' (${RDS}) has alarms (cpu) but none notifies an SNS topic declared in this stack` }],
        ],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(rule, resources)).toEqual(expected);
        // The check is the same in dev; the dev config makes the policy advisory there (mandatory-prod).
        expect(checkStack(rule, resources, "dev")).toEqual(expected);
    });

    it("is mandatory in prod and advisory in dev", () => {
        expect(rule.level).toBe("mandatory-prod");
        expect(tierConfig(allRules, "dev")[POLICY]).toEqual({ tier: "dev", enforcementLevel: "advisory" });
        expect(tierConfig(allRules, "prod")[POLICY]).toEqual({ tier: "prod" });
    });
});

describe(`${POLICY} through the pack, on programs`, () => {
    const dbArgs = { vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b"], allowedSecurityGroupIds: ["sg-0nodes"] };
    const prodDb = { ...dbArgs, multiAz: true, deletionProtection: true };

    it("rejects a prod stack with a database but no alarm, naming the instance", async () => {
        // GIVEN a compliant prod database and nothing watching it
        const g = await runPulumi(() => new Database("app-db", prodDb), { stack: "prod" });
        // THEN the pack's only mandatory violation is the missing alarm, on the instance
        const v = mandatory(await evaluateGraph(g, { tier: "prod" }));
        expect(v.map((x) => [x.policy, x.urn])).toEqual([[POLICY, g.one(RDS).urn]]);
        expect(v[0].message).toContain("database 'app-db-instance' (aws:rds/instance:Instance) has no CloudWatch alarm whose dimensions name it. Fix: Declare the component's alarms");
        // AND in dev it is only advisory
        expect(mandatory(await evaluateGraph(g, { tier: "dev" })).filter((x) => x.policy === POLICY)).toEqual([]);
    });

    it("passes once the database declares its alarms on an AlertTopic", async () => {
        const g = await runPulumi(() => {
            const topic = new AlertTopic("alerts", { protect: false });
            new Database("app-db", prodDb).alarms(topic);
        }, { stack: "prod" });
        expect(await evaluateGraph(g, { tier: "prod" })).toEqual([]);
    });

    it("rejects alarms that notify a topic outside the stack", async () => {
        const g = await runPulumi(() => {
            const elsewhere = { topicArnFor: () => (require("@pulumi/pulumi") as typeof import("@pulumi/pulumi")).output("arn:aws:sns:us-east-1:999999999999:other-team") };
            new Database("app-db", prodDb).alarms(elsewhere);
        }, { stack: "prod" });
        const v = mandatory(await evaluateGraph(g, { tier: "prod" }));
        expect(v.map((x) => x.policy)).toEqual([POLICY]);
        expect(v[0].message).toMatch(/has alarms \(app-db-alarm-cpu, .*\) but none notifies an SNS topic declared in this stack/);
    });

    it("honours an exemption with a reason (tag), and reports one without", async () => {
        const program = (reason: string) => () =>
            new Queue("jobs", {
                transform: {
                    queue: (a) => void (a.tags = { ...(a.tags as Record<string, string>), [`exempt.groundwork.dev/${POLICY}`]: reason }),
                    deadLetterQueue: (a) => void (a.tags = { ...(a.tags as Record<string, string>), [`exempt.groundwork.dev/${POLICY}`]: reason }),
                },
            });
        const ok = await runPulumi(program(REASON), { stack: "prod" });
        expect(mandatory(await evaluateGraph(ok, { tier: "prod" }))).toEqual([]);
        const blank = await runPulumi(program(""), { stack: "prod" });
        const messages = mandatory(await evaluateGraph(blank, { tier: "prod" })).filter((v) => v.policy === POLICY).map((v) => v.message);
        expect(messages).toEqual(expect.arrayContaining([expect.stringContaining(`exemption from ${POLICY} via tag 'exempt.groundwork.dev/${POLICY}' has no reason`), expect.stringContaining("has no CloudWatch alarm")]));
    });

    it("honours an exemption with a reason in the policy config", async () => {
        const g = await runPulumi(() => new Database("app-db", prodDb), { stack: "prod" });
        const config = tierConfig(allRules, "prod");
        config[POLICY] = { ...config[POLICY], exemptions: [{ resource: "app-db-instance", reason: REASON }] };
        expect(mandatory(await evaluateGraph(g, { config }))).toEqual([]);
    });
});
