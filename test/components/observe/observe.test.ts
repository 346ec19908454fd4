import * as pulumi from "@pulumi/pulumi";
import { Cache, CacheArgs, cacheAlarmSpecs, cacheNodeIds } from "../../../components/cache";
import { Cdn, CdnArgs } from "../../../components/cdn";
import { clusterAlarmSpecs, podRestartsQuery } from "../../../components/cluster";
import { Database, DatabaseArgs, databaseAlarmSpecs, postgresMaxConnections } from "../../../components/database";
import { Network } from "../../../components/network";
import { alertKeyPolicy, alertSubscriptionProblem, AlertTopic, anyAlarmRule, dashboardBody, metricAlarmArgs, ServiceHealth, type AlarmSpec } from "../../../components/observe";
import { oldestMessageAlarmSeconds, Queue } from "../../../components/queue";
import { evaluateGraph, mandatory } from "../../support/policy";
import { Graph, RecordedResource, runPulumi } from "../../support/pulumi";

const ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm";
const TOPIC = "aws:sns/topic:Topic";
const GIB = 1024 ** 3;

const dbArgs: DatabaseArgs = { vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b", "subnet-c"], allowedSecurityGroupIds: ["sg-app"], multiAz: true, deletionProtection: true };
const cacheArgs: CacheArgs = { vpcId: "vpc-0abc", subnetIds: ["subnet-a", "subnet-b", "subnet-c"], allowedSecurityGroupIds: ["sg-app"] };
const cdnArgs: CdnArgs = { apiOriginDomain: "api-origin.example.com", vpcId: "vpc-0abc", domainName: "www.example.com", hostedZoneId: "Z0123456789ABCDEFGHIJ", rateLimit: 1500 };

/** The alarms of a graph by logical name. */
const alarmsOf = (g: Graph): Record<string, RecordedResource> => Object.fromEntries(g.byType(ALARM).map((a) => [a.name, a]));
const policyOf = (r: RecordedResource) => JSON.parse(r.inputs.policy as string);

describe("AlertTopic", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(() => new AlertTopic("alerts", { subscriptions: [{ protocol: "email", endpoint: "ops@example.com" }, { protocol: "https", endpoint: "https://hooks.example.com/alerts" }], additionalRegions: ["eu-west-1"] }), { stack: "prod" });
    });

    it("encrypts each region's topic with its own rotating key, which CloudWatch alarms of this account and region may use", () => {
        const [home, eu] = [g.one(TOPIC, "alerts-topic"), g.one(TOPIC, "alerts-topic-eu-west-1")];
        const homeKey = g.one("aws:kms/key:Key", "alerts-key-key");
        const euKey = g.one("aws:kms/key:Key", "alerts-key-eu-west-1-key");
        expect(home.inputs.kmsMasterKeyId).toBe(homeKey.outputs.arn);
        expect(eu.inputs).toMatchObject({ region: "eu-west-1", kmsMasterKeyId: euKey.outputs.arn });
        expect(homeKey.inputs.enableKeyRotation).toBe(true);
        const cw = policyOf(homeKey).Statement.find((s: { Sid: string }) => s.Sid === "CloudWatchAlarmsPublish");
        expect(cw).toEqual({
            Sid: "CloudWatchAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: "*",
            Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*" } },
        });
        // The eu-west-1 key names its own region's alarms.
        expect(policyOf(euKey).Statement[1].Condition.ArnLike["aws:SourceArn"]).toBe("arn:aws:cloudwatch:eu-west-1:123456789012:alarm:*");
    });

    it("the topic policy denies non-TLS requests and lets only this account's CloudWatch alarms publish", () => {
        const home = g.one(TOPIC, "alerts-topic");
        const p = g.one("aws:sns/topicPolicy:TopicPolicy", "alerts-topic-policy");
        expect(p.inputs.arn).toBe(home.outputs.arn);
        const doc = policyOf(p);
        expect(doc.Statement).toEqual([
            expect.objectContaining({ Effect: "Deny", Principal: "*", Resource: home.outputs.arn, Condition: { Bool: { "aws:SecureTransport": "false" } } }),
            { Sid: "CloudWatchAlarmsPublish", Effect: "Allow", Principal: { Service: "cloudwatch.amazonaws.com" }, Action: "sns:Publish", Resource: home.outputs.arn, Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } } },
        ]);
        expect(doc.Statement[0].Action).toContain("sns:Publish");
    });

    it("subscribes every endpoint to every region's topic", () => {
        const subs = g.byType("aws:sns/topicSubscription:TopicSubscription").map((s) => [s.name, s.inputs.protocol, s.inputs.endpoint, s.inputs.region ?? "home"]);
        expect(subs.sort()).toEqual(
            [
                ["alerts-subscription-0", "email", "ops@example.com", "home"],
                ["alerts-subscription-1", "https", "https://hooks.example.com/alerts", "home"],
                ["alerts-subscription-0-eu-west-1", "email", "ops@example.com", "eu-west-1"],
                ["alerts-subscription-1-eu-west-1", "https", "https://hooks.example.com/alerts", "eu-west-1"],
            ].sort(),
        );
    });

    it("passes the prod security pack", async () => {
        expect(await evaluateGraph(g, { tier: "prod" })).toEqual([]);
    });

    it("an additional region equal to the stack's adds no second topic; an alarm in a region without topic fails with the fix", async () => {
        let err: unknown;
        const g2 = await runPulumi(() => {
            const t = new AlertTopic("alerts", { additionalRegions: ["us-east-1"] });
            expect(t.topicArnFor("us-east-1")).toBe(t.topicArn);
            try {
                t.topicArnFor("ap-south-1");
            } catch (e) {
                err = e;
            }
        });
        expect(g2.byType(TOPIC)).toHaveLength(1);
        expect(String(err)).toContain("AlertTopic 'alerts': invalid 'additionalRegions': an alarm in ap-south-1 has no topic to notify (alarms only notify topics of their region). Fix: add 'ap-south-1' to additionalRegions");
    });

    it.each([
        [{ protocol: "http", endpoint: "http://hooks.example.com" }, "subscriptions[0]': protocol 'http' is not one of email, https"],
        [{ protocol: "https", endpoint: "http://hooks.example.com" }, "endpoint 'http://hooks.example.com' is not an https:// URL. Fix: give the webhook's https:// URL"],
        [{ protocol: "email", endpoint: "ops-at-example.com" }, "endpoint 'ops-at-example.com' is not a mail address. Fix: give an address such as ops@example.com"],
    ])("refuses %j before declaring anything", async (sub, message) => {
        const g2 = await runPulumi(() => {
            expect(() => new AlertTopic("alerts", { subscriptions: [sub as never] })).toThrow(message);
        });
        expect(g2.resources.filter((r) => r.type !== "pulumi:pulumi:Stack")).toEqual([]);
    });

    it("alertSubscriptionProblem accepts mail addresses and https URLs", () => {
        expect(alertSubscriptionProblem({ protocol: "email", endpoint: "a@b.io" })).toBeUndefined();
        expect(alertSubscriptionProblem({ protocol: "https", endpoint: "https://x.example.com/h?k=1" })).toBeUndefined();
        expect(alertKeyPolicy({ accountId: "1", partition: "aws", region: "r" }).Statement.every((s) => JSON.stringify(s.Principal) !== '"*"')).toBe(true);
    });
});

describe("Database alarms follow the configuration", () => {
    it.each(["db.t4g.medium", "db.m7g.large", "db.r7g.2xlarge"])("connections alarm at 80%% of max_connections on %s", async (instanceClass) => {
        // GIVEN a database of this class and its alarms on a topic
        const g = await runPulumi(() => new Database("db", { ...dbArgs, instanceClass, allocatedStorage: 100, maxAllocatedStorage: 400 }).alarms(new AlertTopic("alerts")), { stack: "prod" });
        const a = alarmsOf(g);
        const max = postgresMaxConnections(instanceClass);
        // THEN the threshold is 80% of the class's max_connections, on this instance
        expect(a["db-alarm-connections"].inputs).toMatchObject({
            namespace: "AWS/RDS",
            metricName: "DatabaseConnections",
            dimensions: { DBInstanceIdentifier: "groundwork-prod-db" },
            comparisonOperator: "GreaterThanThreshold",
            threshold: Math.floor(max * 0.8),
        });
        expect(a["db-alarm-connections"].inputs.alarmDescription).toContain(`max_connections (${max} on ${instanceClass})`);
        // AND the storage alarm is 10% of the allocated storage
        expect(a["db-alarm-free-storage"].inputs).toMatchObject({ metricName: "FreeStorageSpace", comparisonOperator: "LessThanThreshold", threshold: 10 * GIB });
    });

    it("max_connections for the alarm differs by class (the threshold really moves)", () => {
        const t = (c: string) => databaseAlarmSpecs({ identifier: "x", instanceClass: c, allocatedStorage: 20, maxAllocatedStorage: 100 }).find((s) => s.part === "connections")?.threshold;
        expect([t("db.t4g.medium"), t("db.m7g.large"), t("db.r7g.2xlarge")]).toEqual([360, 720, 4000]); // 64 GiB would allow 7209: RDS caps max_connections at 5000
        const mem = databaseAlarmSpecs({ identifier: "x", instanceClass: "db.m7g.large", allocatedStorage: 20, maxAllocatedStorage: 100 }).find((s) => s.part === "freeable-memory");
        expect(mem?.threshold).toBe(Math.round(8 * GIB * 0.1));
    });

    it("declares six alarms, each notifying the topic on ALARM and OK with a description of what to check first", async () => {
        let topicArn: pulumi.Output<string> | undefined;
        const g = await runPulumi(() => {
            const t = new AlertTopic("alerts");
            topicArn = t.topicArn;
            new Database("db", dbArgs).alarms(t);
        });
        const arn = g.one(TOPIC).outputs.arn;
        expect(topicArn).toBeDefined();
        const alarms = g.byType(ALARM);
        expect(alarms.map((a) => a.name).sort()).toEqual(["db-alarm-connections", "db-alarm-cpu", "db-alarm-free-storage", "db-alarm-freeable-memory", "db-alarm-read-latency", "db-alarm-write-latency"]);
        for (const a of alarms) {
            expect([a.name, a.inputs.alarmActions, a.inputs.okActions]).toEqual([a.name, [arn], [arn]]);
            expect(a.inputs.alarmDescription).toMatch(/Check first: /);
            expect(a.parent).toBe(g.one("groundwork:database:Database").urn);
        }
    });

    it("skip leaves out named alarms, and an unknown part fails with the parts there are", async () => {
        const g = await runPulumi(() => new Database("db", dbArgs).alarms(new AlertTopic("alerts"), { skip: ["read-latency", "write-latency"] }));
        expect(g.byType(ALARM)).toHaveLength(4);
        await expect(runPulumi(() => new Database("db", dbArgs).alarms(new AlertTopic("alerts"), { skip: ["latency"] }))).rejects.toThrow(
            "db: invalid 'skip': latency name no alarm of this component. Fix: use parts of alarmSpecs() (cpu, free-storage, connections, freeable-memory, read-latency, write-latency)",
        );
    });
});

describe("Queue alarms follow maxProcessingSeconds", () => {
    it.each([
        [30, 180 + 30],
        [120, 720 + 120],
        [900, 5400 + 900],
    ])("maxProcessingSeconds %i: oldest-message alarm above %i s", async (maxProcessingSeconds, expected) => {
        const g = await runPulumi(() => new Queue("jobs", { maxProcessingSeconds }).alarms(new AlertTopic("alerts")));
        const a = alarmsOf(g);
        const queue = g.one("aws:sqs/queue:Queue", "jobs-queue");
        const dlq = g.one("aws:sqs/queue:Queue", "jobs-dlq");
        // The visibility timeout is derived from the processing time (6x), so the threshold follows it too.
        expect(queue.inputs.visibilityTimeoutSeconds).toBe(maxProcessingSeconds * 6);
        expect(a["jobs-alarm-oldest-message"].inputs).toMatchObject({
            namespace: "AWS/SQS",
            metricName: "ApproximateAgeOfOldestMessage",
            dimensions: { QueueName: queue.outputs.name },
            statistic: "Maximum",
            threshold: expected,
        });
        expect(expected).toBe(oldestMessageAlarmSeconds(maxProcessingSeconds, maxProcessingSeconds * 6));
        // AND any visible dead letter alarms, on the dead-letter queue
        expect(a["jobs-alarm-dead-letters"].inputs).toMatchObject({ metricName: "ApproximateNumberOfMessagesVisible", dimensions: { QueueName: dlq.outputs.name }, threshold: 0, comparisonOperator: "GreaterThanThreshold" });
        expect(await evaluateGraph(g, { tier: "prod" })).toEqual([]);
    });
});

describe("Cache alarms, per node", () => {
    it("high availability over three subnets: five alarms per node, lag on each, nodes named <group>-00n", async () => {
        const g = await runPulumi(() => new Cache("cache", { ...cacheArgs, highAvailability: true }).alarms(new AlertTopic("alerts")), { stack: "prod" });
        const rg = g.one("aws:elasticache/replicationGroup:ReplicationGroup").inputs.replicationGroupId as string;
        const a = alarmsOf(g);
        expect(Object.keys(a)).toHaveLength(15);
        expect(cacheNodeIds(rg, 3)).toEqual([`${rg}-001`, `${rg}-002`, `${rg}-003`]);
        expect(a["cache-alarm-node2-memory"].inputs).toMatchObject({ namespace: "AWS/ElastiCache", metricName: "DatabaseMemoryUsagePercentage", dimensions: { CacheClusterId: `${rg}-002` }, threshold: 80 });
        expect(a["cache-alarm-node3-replication-lag"].inputs).toMatchObject({ metricName: "ReplicationLag", dimensions: { CacheClusterId: `${rg}-003` }, threshold: 1, treatMissingData: "notBreaching" });
        expect(a["cache-alarm-node1-connections"].inputs).toMatchObject({ metricName: "CurrConnections", threshold: 52000 });
        expect(a["cache-alarm-node1-evictions"].inputs).toMatchObject({ metricName: "Evictions", statistic: "Sum", threshold: 0 });
        expect(a["cache-alarm-node1-engine-cpu"].inputs).toMatchObject({ metricName: "EngineCPUUtilization", threshold: 80 });
        expect(mandatory(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
    });

    it("a single node has no replication-lag alarm", () => {
        const specs = cacheAlarmSpecs({ replicationGroupId: "gw", numCacheClusters: 1, nodeType: "cache.t4g.small" });
        expect(specs.map((s) => s.part)).toEqual(["node1-engine-cpu", "node1-memory", "node1-evictions", "node1-connections"]);
    });
});

describe("Cdn alarms, in us-east-1", () => {
    it("5xx error rate on the distribution and blocked-request spike against the rate limit on the web ACL", async () => {
        const g = await runPulumi(() => new Cdn("edge", cdnArgs).alarms(new AlertTopic("alerts", { additionalRegions: ["us-east-1"] })), { stack: "prod" });
        const a = alarmsOf(g);
        const dist = g.one("aws:cloudfront/distribution:Distribution");
        const acl = g.one("aws:wafv2/webAcl:WebAcl");
        expect(a["edge-alarm-5xx-rate"].inputs).toMatchObject({ region: "us-east-1", namespace: "AWS/CloudFront", metricName: "5xxErrorRate", dimensions: { DistributionId: dist.outputs.id, Region: "Global" }, threshold: 5 });
        expect(a["edge-alarm-waf-blocked"].inputs).toMatchObject({ region: "us-east-1", namespace: "AWS/WAFV2", metricName: "BlockedRequests", dimensions: { WebACL: acl.outputs.name, Rule: "ALL" }, threshold: 1500, statistic: "Sum" });
        expect(mandatory(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
    });
});

describe("Network and Cluster alarms", () => {
    it("one port-allocation alarm per NAT gateway, on its id", async () => {
        const g = await runPulumi(() => new Network("net", { cidrBlock: "10.20.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"], natMode: "perAz" }).alarms(new AlertTopic("alerts")));
        const nats = g.byType("aws:ec2/natGateway:NatGateway");
        const alarms = g.byType(ALARM);
        expect(alarms.map((a) => [a.inputs.metricName, a.inputs.dimensions]).sort()).toEqual(nats.map((n) => ["ErrorPortAllocation", { NatGatewayId: n.outputs.id }]).sort());
    });

    it("Container Insights: node CPU and memory by cluster, pod restarts through a Metrics Insights query", () => {
        const specs = clusterAlarmSpecs("groundwork-prod");
        expect(specs.map((s) => [s.part, s.namespace, s.metricName, s.dimensions, s.threshold])).toEqual([
            ["node-cpu", "ContainerInsights", "node_cpu_utilization", { ClusterName: "groundwork-prod" }, 80],
            ["node-memory", "ContainerInsights", "node_memory_utilization", { ClusterName: "groundwork-prod" }, 80],
            ["pod-restarts", "ContainerInsights", "pod_number_of_container_restarts", { ClusterName: "groundwork-prod" }, 3],
        ]);
        expect(podRestartsQuery("groundwork-prod")).toBe("SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = 'groundwork-prod'");
        // A query alarm carries the query, not a metric name.
        const args = metricAlarmArgs(specs[2], "arn:topic", {});
        expect(args).toMatchObject({ metricQueries: [{ id: "q", expression: podRestartsQuery("groundwork-prod"), period: 300, returnData: true }], alarmActions: ["arn:topic"], okActions: ["arn:topic"] });
        expect(args.metricName).toBeUndefined();
    });
});

describe("ServiceHealth: alarms, composite and dashboard from one registry", () => {
    it("declares each component's alarms, a composite over all of them and a graph per alarm", async () => {
        // GIVEN two components in the registry
        const g = await runPulumi(() => {
            const t = new AlertTopic("alerts");
            new ServiceHealth("health", { target: t, components: [new Database("db", dbArgs), new Queue("jobs")] });
        }, { stack: "prod" });
        const alarms = g.byType(ALARM);
        expect(alarms).toHaveLength(8);
        // THEN the composite names every alarm and notifies the topic
        const composite = g.one("aws:cloudwatch/compositeAlarm:CompositeAlarm");
        expect(composite.inputs.alarmRule).toBe(anyAlarmRule(alarms.map((a) => a.outputs.name as string)));
        expect(composite.inputs).toMatchObject({ alarmName: "groundwork-prod-service-health", alarmActions: [g.one(TOPIC).outputs.arn], okActions: [g.one(TOPIC).outputs.arn] });
        // AND the dashboard has one graph per alarm, on the same metric, dimensions and threshold
        const body = JSON.parse(g.one("aws:cloudwatch/dashboard:Dashboard").inputs.dashboardBody as string);
        const graphs = body.widgets.filter((w: { type: string }) => w.type === "metric");
        expect(graphs).toHaveLength(alarms.length);
        for (const a of alarms) {
            const metric = [a.inputs.namespace, a.inputs.metricName, ...Object.entries(a.inputs.dimensions as Record<string, string>).flat()];
            const match = graphs.filter((w: { properties: { metrics: unknown[] } }) => JSON.stringify(w.properties.metrics[0]) === JSON.stringify(metric));
            expect([a.name, match.length]).toEqual([a.name, 1]);
            expect(match[0].properties.annotations.horizontal[0].value).toBe(a.inputs.threshold);
        }
        expect(body.widgets.filter((w: { type: string }) => w.type === "text").map((w: { properties: { markdown: string } }) => w.properties.markdown)).toEqual(["## db", "## jobs"]);
        expect(mandatory(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
    });

    it("refuses a component listed twice, and an empty registry", async () => {
        await expect(
            runPulumi(() => {
                const q = new Queue("jobs");
                new ServiceHealth("health", { target: new AlertTopic("alerts"), components: [q, q] });
            }),
        ).rejects.toThrow("ServiceHealth 'health': invalid 'components': 'jobs' is listed twice");
        await expect(runPulumi(() => new ServiceHealth("health", { target: new AlertTopic("alerts"), components: [] }))).rejects.toThrow("invalid 'components': no component is listed");
        await expect(
            runPulumi(() => new ServiceHealth("health", { target: new AlertTopic("alerts"), components: [new Queue("jobs")], alarmOptions: { jobs: { skip: ["oldest-message", "dead-letters"] } } })),
        ).rejects.toThrow("invalid 'components': none of the listed components declares an alarm");
    });

    it("dashboardBody lays out three graphs a row under each component's title, in the spec's region", () => {
        const spec = (part: string, region?: string): AlarmSpec => ({ part, title: part, description: "d", namespace: "N", metricName: "M", dimensions: { D: part }, statistic: "Sum", period: 60, evaluationPeriods: 1, threshold: 1, comparisonOperator: "GreaterThanThreshold", treatMissingData: "missing", ...(region ? { region } : {}) });
        const body = dashboardBody([{ title: "a", specs: [spec("1"), spec("2"), spec("3"), spec("4", "us-east-1")] }], "eu-west-1");
        expect(body.widgets.map((w) => [(w as { x: number }).x, (w as { y: number }).y, (w as { properties: { region?: string } }).properties.region])).toEqual([
            [0, 0, undefined],
            [0, 1, "eu-west-1"],
            [8, 1, "eu-west-1"],
            [16, 1, "eu-west-1"],
            [0, 7, "us-east-1"],
        ]);
    });
});
