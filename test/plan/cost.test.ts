import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { componentOf, CostEstimate, costLines, CostResource, diffCost, estimateCost, loadPrices, PriceTable, rdsClassVcpus, renderCost, renderCostDelta, STACK_GROUP, usageNotEstimated } from "../../tools/plan/cost";
import { REPO_ROOT } from "../../tools/plan/plan";

// Round prices so every expected figure below is exact arithmetic a reader can redo.
const PRICES: PriceTable = {
    date: "2026-01-01",
    region: "us-east-1",
    currency: "USD",
    hoursPerMonth: 730,
    assumptions: {
        natGbPerGatewayMonth: { value: 100, unit: "GB", note: "test" },
        albLcuPerHour: { value: 2, unit: "LCU", note: "test" },
    },
    prices: Object.fromEntries(
        (
            [
                ["eks.cluster.hour", 0.1, "hour"],
                ["ec2.m5.large.hour", 0.1, "hour"],
                ["ec2.m5.xlarge.hour", 0.2, "hour"],
                ["ebs.gp3.gb-month", 0.1, "GB-month"],
                ["nat.hour", 0.05, "hour"],
                ["nat.gb", 0.05, "GB"],
                ["ipv4.public.hour", 0.01, "hour"],
                ["rds.postgres.db.t4g.micro.hour", 0.02, "hour"],
                ["rds.storage.gp3.gb-month", 0.1, "GB-month"],
                ["elasticache.valkey.cache.t4g.micro.hour", 0.01, "hour"],
                ["vpce.interface.hour", 0.01, "hour"],
                ["kms.key.month", 1, "month"],
                ["secretsmanager.secret.month", 0.5, "month"],
                ["waf.webacl.month", 5, "month"],
                ["waf.rule.month", 1, "month"],
                ["elb.alb.hour", 0.02, "hour"],
                ["elb.alb.lcu-hour", 0.01, "LCU-hour"],
                ["cloudwatch.alarm.standard.month", 0.1, "alarm metric-month"],
                ["cloudwatch.alarm.highres.month", 0.3, "alarm metric-month"],
                ["cloudwatch.alarm.composite.month", 0.5, "month"],
                ["cloudwatch.dashboard.month", 3, "month"],
            ] as const
        ).map(([k, usd, unit]) => [k, { usd, unit, source: "https://aws.amazon.com/test/pricing/", verified: true }]),
    ),
};

const res = (type: string, name: string, inputs: Record<string, unknown> = {}, extra: Partial<CostResource> = {}): CostResource => ({ type, name, inputs, urn: `urn:${name}`, ...extra });
/** A resource declared inside a component (the parent's URN is `urn:<component name>`). */
const inside = (component: string, r: CostResource): CostResource => ({ ...r, parent: `urn:${component}` });
const line = (e: CostEstimate, item: string | RegExp, component?: string) => {
    const found = costLines(e).filter((l) => (typeof item === "string" ? l.item === item : item.test(l.item)) && (component === undefined || l.component === component));
    expect(found).toHaveLength(1);
    return found[0];
};
const nodeGroup = (name: string, maxSize: number, extra: Record<string, unknown> = {}) =>
    res("aws:eks/nodeGroup:NodeGroup", name, { instanceTypes: ["m5.large"], scalingConfig: { minSize: 2, maxSize, desiredSize: 2 }, capacityType: "ON_DEMAND", ...extra }, { dependencies: ["urn:lt"] });

/**
 * The small program the unit tests price: one of each kind, names as a program would give them, in four Groundwork
 * components (the system node group one level deeper, in the cluster's NodeGroup component) and a few resources
 * outside any.
 */
function program(nodeMax = 4): CostResource[] {
    return [
        res("groundwork:network:Network", "network"),
        inside("network", res("aws:ec2/natGateway:NatGateway", "nat-a")),
        inside("network", res("aws:ec2/eip:Eip", "nat-eip-a")),
        inside("network", res("aws:ec2/vpcEndpoint:VpcEndpoint", "sts-endpoint", { vpcEndpointType: "Interface", subnetIds: ["subnet-a", "subnet-b", "subnet-c"] })),
        inside("network", res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3-endpoint", { vpcEndpointType: "Gateway", routeTableIds: ["rtb-a"] })),
        res("groundwork:cluster:Cluster", "cluster"),
        inside("cluster", res("aws:eks/cluster:Cluster", "eks")),
        inside("cluster", res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { blockDeviceMappings: [{ ebs: { volumeSize: 50, volumeType: "gp3" } }] })),
        inside("cluster", res("groundwork:cluster:NodeGroup", "cluster-system")),
        inside("cluster-system", nodeGroup("system-ng", nodeMax)),
        inside("cluster", res("aws:eks/nodeGroup:NodeGroup", "workers-ng", { instanceTypes: ["m5.large", "m5.xlarge"], scalingConfig: { minSize: 0, maxSize: 3 }, capacityType: "SPOT" })),
        inside("cluster", res("aws:iam/role:Role", "node-role")),
        inside("cluster", res("aws:cloudwatch/logGroup:LogGroup", "cluster-logs")),
        res("groundwork:database:Database", "db"),
        inside("db", res("aws:rds/instance:Instance", "db-instance", { engine: "postgres", instanceClass: "db.t4g.micro", multiAz: true, allocatedStorage: 20, maxAllocatedStorage: 100, storageType: "gp3", manageMasterUserPassword: true })),
        inside("db", res("aws:kms/key:Key", "db-key")),
        res("groundwork:cache:Cache", "cache"),
        inside("cache", res("aws:elasticache/replicationGroup:ReplicationGroup", "cache-group", { engine: "valkey", nodeType: "cache.t4g.micro", numNodeGroups: 2, replicasPerNodeGroup: 2 })),
        inside("cache", res("aws:kms/key:Key", "cache-key")),
        res("aws:kms/key:Key", "logs-key"),
        res("aws:sfn/stateMachine:StateMachine", "flow-a"),
        res("aws:sfn/stateMachine:StateMachine", "flow-b"),
    ];
}

describe("estimateCost (pure): exact monthly figures from a price table", () => {
    const e = estimateCost(program(), PRICES);

    it.each([
        // component, item, resources, min, max: 730 h/month × count × unit price
        ["network", "NAT gateway hours", ["nat-a"], 36.5, 36.5],
        ["network", "NAT gateway data processed (assumed)", ["nat-a"], 5, 5], // 100 GB assumed × $0.05
        ["network", "Public IPv4 addresses (Elastic IPs)", ["nat-eip-a"], 7.3, 7.3],
        ["network", "VPC interface endpoints × AZs", ["sts-endpoint"], 21.9, 21.9], // 3 AZs
        ["cluster", "EKS control plane", ["eks"], 73, 73],
        ["cluster", "EKS nodes m5.large", ["system-ng"], 146, 292], // 2..4 nodes
        ["cluster", "EKS nodes m5.xlarge (Spot)", ["workers-ng"], 0, 438], // 0..3 nodes at the dearer type, on-demand
        ["db", "RDS postgres db.t4g.micro Multi-AZ", ["db-instance"], 29.2, 29.2], // 2 instances: the standby doubles it
        ["db", "RDS storage gp3", ["db-instance"], 4, 20], // 20..100 GB × 2 copies × $0.10
        ["db", "Secrets Manager secrets", ["db-instance"], 0.5, 0.5], // the RDS-managed master password
        ["db", "KMS keys", ["db-key"], 1, 1],
        ["cache", "ElastiCache valkey cache.t4g.micro", ["cache-group"], 43.8, 43.8], // 2 shards × (2 replicas + 1) = 6 nodes
        ["cache", "KMS keys", ["cache-key"], 1, 1],
        [STACK_GROUP, "KMS keys", ["logs-key"], 1, 1],
    ])("%s: %s %j costs %d to %d a month", (component, item, resources, min, max) => {
        const l = line(e, item, component);
        expect(l.resources).toEqual(resources);
        expect(l.monthly.min).toBeCloseTo(min, 6);
        expect(l.monthly.max).toBeCloseTo(max, 6);
        expect(l.source).toBe("https://aws.amazon.com/test/pricing/");
    });

    it.each([
        // GIVEN the lines above, THEN each component's total, split fixed vs usage-based (hand-computed)
        ["cluster", { min: 73 + 146 + 0 + 10, max: 73 + 292 + 438 + 20 }, { min: 0, max: 0 }], // + root volumes 10..20
        ["network", { min: 36.5 + 7.3 + 21.9, max: 36.5 + 7.3 + 21.9 }, { min: 5, max: 5 }], // the assumed NAT GB is usage
        ["db", { min: 29.2 + 4 + 0.5 + 1, max: 29.2 + 20 + 0.5 + 1 }, { min: 0, max: 0 }],
        ["cache", { min: 43.8 + 1, max: 43.8 + 1 }, { min: 0, max: 0 }],
        [STACK_GROUP, { min: 1, max: 1 }, { min: 0, max: 0 }],
    ])("%s costs fixed %j and usage-based %j a month", (component, fixed, usage) => {
        const g = e.byComponent[component];
        expect(g.fixed.min).toBeCloseTo(fixed.min, 6);
        expect(g.fixed.max).toBeCloseTo(fixed.max, 6);
        expect(g.usage.min).toBeCloseTo(usage.min, 6);
        expect(g.usage.max).toBeCloseTo(usage.max, 6);
        expect(g.min).toBeCloseTo(fixed.min + usage.min, 6);
        expect(g.max).toBeCloseTo(fixed.max + usage.max, 6);
        expect(g.lines.every((l) => l.component === component)).toBe(true);
    });

    it("orders components dearest first, the program's own resources last, and names each component's type", () => {
        expect(Object.keys(e.byComponent)).toEqual(["cluster", "network", "db", "cache", STACK_GROUP]);
        expect(e.byComponent.db.type).toBe("groundwork:database:Database");
        expect(e.byComponent[STACK_GROUP].type).toBeUndefined();
    });

    it("gives the quantities behind Multi-AZ, replicas × shards and endpoint × AZ", () => {
        expect(line(e, /^RDS postgres/).count).toEqual({ min: 2, max: 2 });
        expect(line(e, /^RDS postgres/).note).toMatch(/Multi-AZ/);
        expect(line(e, "RDS storage gp3")).toMatchObject({ count: { min: 20, max: 100 }, per: 2, perUnit: "copies" });
        expect(line(e, /^ElastiCache/)).toMatchObject({ count: { min: 6, max: 6 }, note: "2 shard(s) × (2 replica(s) + 1)" });
        expect(line(e, /^VPC interface/)).toMatchObject({ count: { min: 3, max: 3 }, countUnit: "endpoint-AZ" });
        expect(line(e, /Spot/).note).toMatch(/on-demand: an upper bound/);
    });

    it("prices node root volumes from the launch template the node group depends on", () => {
        // 2..4 nodes × 50 GB × $0.10; the Spot group has no launch template in its dependencies
        expect(line(e, /root volumes/)).toMatchObject({ component: "cluster", resources: ["system-ng"], count: { min: 100, max: 200 }, monthly: { min: 10, max: 20 } });
    });

    it("totals the components, fixed and usage-based", () => {
        const min = 36.5 + 5 + 7.3 + 73 + 146 + 0 + 10 + 29.2 + 4 + 0.5 + 43.8 + 21.9 + 3;
        const max = 36.5 + 5 + 7.3 + 73 + 292 + 438 + 20 + 29.2 + 20 + 0.5 + 43.8 + 21.9 + 3;
        expect(e.monthly.min).toBeCloseTo(min, 6);
        expect(e.monthly.max).toBeCloseTo(max, 6);
        expect(e.usage).toEqual({ min: 5, max: 5 });
        expect(e.fixed.min).toBeCloseTo(min - 5, 6);
        expect(e.fixed.max).toBeCloseTo(max - 5, 6);
        expect(Object.values(e.byComponent).reduce((s, g) => s + g.max, 0)).toBeCloseTo(max, 6);
    });

    it("has the JSON contract's keys: currency, monthly, byComponent (min, max, fixed, usage, lines), assumptions, notPriced", () => {
        const doc = JSON.parse(JSON.stringify(e));
        expect(doc).toMatchObject({ currency: "USD", monthly: { min: expect.any(Number), max: expect.any(Number) }, assumptions: expect.any(Array), notPriced: expect.any(Array) });
        for (const g of Object.values<any>(doc.byComponent)) {
            expect(Object.keys(g)).toEqual(expect.arrayContaining(["min", "max", "fixed", "usage", "lines"]));
            expect(Object.keys(g.fixed).sort()).toEqual(["max", "min"]);
        }
        expect(doc.byComponent.network.lines[0]).toMatchObject({ priceKey: "nat.hour", count: { min: 1, max: 1 }, per: 730, unitPrice: 0.05, basis: "fixed" });
    });

    it("lists an unpriced type as not priced with its count, names and component, never dropping it", () => {
        expect(e.notPriced).toEqual([{ type: "aws:sfn/stateMachine:StateMachine", count: 2, resources: ["flow-a", "flow-b"], reason: "no price for this resource type", components: [STACK_GROUP] }]);
        expect(renderCost(e)).toMatch(/Not priced \(2 resources, not in the total\):\n\s+aws:sfn\/stateMachine:StateMachine × 2: no price for this resource type\s+\[flow-a, flow-b\] in \(stack\)/);
    });

    it("lists a priced type whose instance class has no price as not priced, naming the missing key", () => {
        const r = estimateCost([res("aws:rds/instance:Instance", "big-db", { engine: "postgres", instanceClass: "db.x2g.16xlarge" })], PRICES);
        expect(costLines(r)).toEqual([]);
        expect(r.notPriced).toEqual([{ type: "aws:rds/instance:Instance", count: 1, resources: ["big-db"], reason: "no price 'rds.postgres.db.x2g.16xlarge.hour' in the table", components: [STACK_GROUP] }]);
    });

    it("separates usage-billed resources it does not estimate, and no-charge ones, from the total", () => {
        expect(usageNotEstimated(e)).toEqual([{ component: "cluster", type: "aws:cloudwatch/logGroup:LogGroup", resources: ["cluster-logs"], note: expect.stringContaining("per GB") }]);
        expect(e.noCharge).toEqual(
            expect.arrayContaining([
                { type: "aws:ec2/vpcEndpoint:VpcEndpoint (Gateway)", count: 1 },
                { type: "aws:iam/role:Role", count: 1 },
                { type: "groundwork:cluster:Cluster", count: 1 },
                { type: "aws:ec2/launchTemplate:LaunchTemplate", count: 1 },
            ]),
        );
        expect(e.assumptions).toEqual(expect.arrayContaining(["NAT gateways process 100 GB each per month.", "Spot node groups are priced at on-demand rates (upper bound)."]));
    });

    it("prints the total, the components with their split, each line's quantity × unit price and price key, and the assumptions once", () => {
        const text = renderCost(e);
        expect(text).toMatch(/^Cost \(us-east-1 on-demand, USD, price table of 2026-01-01, 730 h\/month\): 380\.20–990\.20 a month \(fixed 375\.20–985\.20, usage-based 5\.00\)/);
        expect(text).toMatch(/\n\s+cluster\s+229\.00–823\.00\s+0\.00\s+229\.00\s+823\.00\n/);
        expect(text).toMatch(/\n\s+network\s+65\.70\s+5\.00\s+70\.70\s+70\.70\n/);
        expect(text).toMatch(/\n  network \(groundwork:network:Network\): 70\.70 a month\n/);
        expect(text).toMatch(/NAT gateway data processed \(assumed\) \[usage\]\s+1 gateway × 100 GB\s+\$0\.05\/GB\s+nat\.gb\s+5\.00\s+5\.00\n\s+nat-a\n/);
        expect(text.match(/NAT gateways process 100 GB each per month\./g)).toHaveLength(1);
    });

    it.each([
        // GIVEN a resource of each remaining priced kind, THEN its lines and monthly figures
        ["WAF: a web ACL and one rule per rule", res("aws:wafv2/webAcl:WebAcl", "waf", { rules: [{ name: "a" }, { name: "b" }, { name: "c" }] }), { "WAF web ACLs": 5, "WAF rules": 3 }],
        [
            "ALB: hours, the assumed LCUs, a public IPv4 address per subnet when internet-facing",
            res("aws:lb/loadBalancer:LoadBalancer", "api-alb", { loadBalancerType: "application", internal: false, subnets: ["s-a", "s-b"] }),
            { "Application load balancer hours": 14.6, "ALB LCUs (assumed)": 14.6, "Public IPv4 addresses (internet-facing load balancers)": 14.6 },
        ],
        ["an internal ALB holds no public address", res("aws:lb/loadBalancer:LoadBalancer", "int-alb", { internal: true, subnets: ["s-a", "s-b"] }), { "Application load balancer hours": 14.6, "ALB LCUs (assumed)": 14.6 }],
        ["a standard alarm", res("aws:cloudwatch/metricAlarm:MetricAlarm", "cpu", { period: 300, metricName: "CPUUtilization" }), { "CloudWatch alarms (standard)": 0.1 }],
        ["a 10-second alarm is high resolution", res("aws:cloudwatch/metricAlarm:MetricAlarm", "fast", { period: 10 }), { "CloudWatch alarms (high resolution)": 0.3 }],
        [
            "a metric-math alarm pays per metric",
            res("aws:cloudwatch/metricAlarm:MetricAlarm", "ratio", { metricQueries: [{ id: "a", metric: { period: 60 } }, { id: "b", metric: { period: 60 } }, { id: "e", expression: "a/b" }] }),
            { "CloudWatch alarms (standard)": 0.2 },
        ],
        ["a composite alarm", res("aws:cloudwatch/compositeAlarm:CompositeAlarm", "health"), { "CloudWatch composite alarms": 0.5 }],
        ["a dashboard, free tier not deducted", res("aws:cloudwatch/dashboard:Dashboard", "dash"), { "CloudWatch dashboards": 3 }],
    ])("%s", (_label, r, expected) => {
        const got = estimateCost([r], PRICES);
        expect(Object.fromEntries(costLines(got).map((l) => [l.item, Math.round(l.monthly.max * 1e6) / 1e6]))).toEqual(expected);
        expect(got.notPriced).toEqual([]);
    });

    it("counts an ALB's assumed LCUs as usage-based, its hours and addresses as fixed", () => {
        const got = estimateCost([inside("api-lb", res("aws:lb/loadBalancer:LoadBalancer", "api-alb", { internal: false, subnets: ["s-a", "s-b"] })), res("groundwork:lb:LoadBalancer", "api-lb")], PRICES);
        // 730 h × $0.02 + 2 addresses × 730 h × $0.01 fixed; 2 LCUs assumed × 730 h × $0.01 usage-based
        expect(got.byComponent["api-lb"]).toMatchObject({ fixed: { min: 29.2, max: 29.2 }, usage: { min: 14.6, max: 14.6 } });
    });
});

describe("estimateCost: Aurora behind RDS Proxy", () => {
    const prices: PriceTable = {
        ...PRICES,
        prices: {
            ...PRICES.prices,
            "rds.aurora-postgresql.db.r7g.large.hour": { usd: 0.2, unit: "hour", source: "https://aws.amazon.com/test/pricing/", verified: true },
            "rds.proxy.vcpu.hour": { usd: 0.01, unit: "vCPU-hour", source: "https://aws.amazon.com/test/pricing/", verified: true },
        },
    };
    const instance = (name: string) => inside("db", res("aws:rds/clusterInstance:ClusterInstance", name, { engine: "aurora-postgresql", instanceClass: "db.r7g.large" }));
    const aurora = [
        res("groundwork:database:AuroraDatabase", "db"),
        instance("db-writer"),
        instance("db-reader-1"),
        inside("db", res("aws:appautoscaling/target:Target", "db-readers", { scalableDimension: "rds:cluster:ReadReplicaCount", minCapacity: 1, maxCapacity: 4 })),
        inside("db", res("aws:appautoscaling/policy:Policy", "db-readers-cpu")),
        inside("db", res("aws:rds/proxy:Proxy", "db-proxy")),
        inside("db", res("aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup", "db-proxy-pool")),
        inside("db", res("aws:rds/proxyTarget:ProxyTarget", "db-proxy-target")),
        inside("db", res("aws:rds/proxyEndpoint:ProxyEndpoint", "db-proxy-read")),
        inside("db", res("aws:rds/clusterParameterGroup:ClusterParameterGroup", "db-params")),
    ];
    const e = estimateCost(aurora, prices);

    it("prices the declared instances, the readers auto scaling may add (0 to maxCapacity - declared), and the proxy by vCPU", () => {
        expect(line(e, "Aurora aurora-postgresql db.r7g.large").monthly).toEqual({ min: 2 * 730 * 0.2, max: 2 * 730 * 0.2 });
        // maxCapacity 4 readers, 1 declared: up to 3 more
        const added = line(e, /readers added by auto scaling/);
        expect(added.monthly.min).toBe(0);
        expect(added.monthly.max).toBeCloseTo(3 * 730 * 0.2, 6);
        // 2 instances × 2 vCPUs, up to 5 instances × 2 vCPUs
        const proxy = line(e, /RDS Proxy/);
        expect(proxy.count).toEqual({ min: 4, max: 10 });
        expect(proxy.monthly.max).toBeCloseTo(10 * 730 * 0.01, 6);
    });

    it("leaves nothing unpriced: the proxy's pool, target and endpoint, the parameter group and the scaling policy have no charge of their own", () => {
        expect(e.notPriced).toEqual([]);
    });

    it.each<[string, number | undefined]>([
        ["db.r7g.large", 2],
        ["db.r7g.xlarge", 4],
        ["db.r7g.4xlarge", 16],
        ["db.t4g.medium", 2],
        ["db.serverless", undefined],
    ])("rdsClassVcpus(%s) = %s", (cls, vcpus) => expect(rdsClassVcpus(cls)).toBe(vcpus));
});

describe("componentOf: which Groundwork component a resource counts toward", () => {
    it.each([
        // GIVEN resources at several depths, THEN the outermost groundwork: ancestor names the group
        ["a resource directly in a component", "eks", "cluster"],
        ["a resource in a component nested in another", "system-ng", "cluster"],
        ["a nested component itself", "cluster-system", "cluster"],
        ["a resource outside any component", "logs-key", STACK_GROUP],
    ])("%s (%s) counts toward %s", (_label, name, key) => {
        const rs = program();
        expect(componentOf(rs)(rs.find((r) => r.name === name)!).key).toBe(key);
    });

    it("tells two top-level components of one name apart by their type", () => {
        const rs = [
            res("groundwork:service:Service", "api"),
            res("groundwork:identity:WorkloadIdentity", "api", {}, { urn: "urn:api-identity" }),
            inside("api", res("aws:kms/key:Key", "api-key")),
            { ...res("aws:iam/role:Role", "api-role"), parent: "urn:api-identity" },
        ];
        const of = componentOf(rs);
        expect(rs.map((r) => of(r).key)).toEqual(["api (Service)", "api (WorkloadIdentity)", "api (Service)", "api (WorkloadIdentity)"]);
    });
});

describe("diffCost: the cost of a change", () => {
    it("shows the delta, by component and line, when a change raises a node group's max", () => {
        // GIVEN the base plan and a change raising system-ng's maxSize from 4 to 6
        const d = diffCost(estimateCost(program(4), PRICES), estimateCost(program(6), PRICES));
        // THEN the max grows by 2 nodes × 730 h × $0.10 plus their 2 × 50 GB root volumes, all in the cluster; the min does not move
        expect(d.delta.min).toBeCloseTo(0, 9);
        expect(d.delta.max).toBeCloseTo(146 + 10, 6);
        expect(Object.keys(d.byComponent)).toEqual(["cluster"]);
        expect(d.byComponent.cluster.delta.max).toBeCloseTo(156, 6);
        expect(d.lines.map((l) => [l.component, l.item, l.resources, Math.round(l.delta.max * 100) / 100])).toEqual([
            ["cluster", "EKS nodes m5.large", ["system-ng"], 146],
            ["cluster", "EKS node root volumes (gp3, 50 GB each)", ["system-ng"], 10],
        ]);
        expect(renderCostDelta(d)).toMatch(/max \+156\.00 \(.+ → .+\)\n  cluster:\s+0\.00 \/ \+156\.00 .*\n\s+0\.00 \/ \+146\.00\s+EKS nodes m5\.large\s+\[system-ng\]/);
    });

    it("counts a new resource's lines in full and names new unpriced resources", () => {
        const base = estimateCost([res("aws:eks/cluster:Cluster", "eks")], PRICES);
        const now = estimateCost([res("aws:eks/cluster:Cluster", "eks"), res("aws:ec2/natGateway:NatGateway", "nat-b"), res("aws:sfn/stateMachine:StateMachine", "flow")], PRICES);
        const d = diffCost(base, now);
        expect(d.delta).toEqual({ min: 41.5, max: 41.5 });
        expect(d.notPricedAdded).toEqual(["aws:sfn/stateMachine:StateMachine flow"]);
    });
});

describe("the shipped price table (tools/plan/prices/us-east-1.json)", () => {
    const table = loadPrices();

    it("has its date, region and currency", () => {
        expect(table.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(table.region).toBe("us-east-1");
        expect(table.currency).toBe("USD");
        expect(table.hoursPerMonth).toBe(730);
    });

    it.each(Object.keys(loadPrices().prices))("%s has a price, a unit, the service's AWS pricing page and says whether it was verified", (key) => {
        const p = table.prices[key];
        expect(typeof p.usd).toBe("number");
        expect(p.usd).toBeGreaterThan(0);
        expect(p.unit).toMatch(/\S/);
        expect(p.source).toMatch(/^https:\/\/aws\.amazon\.com\/[a-z0-9/-]*pricing\/([a-z-]+\/)?$/);
        expect(typeof p.verified).toBe("boolean");
        // A verified price says where it was found; an unverified one says nothing it cannot back.
        if (p.verified) expect(p.checked).toMatch(/\S/);
        else expect(p.checked).toBeUndefined();
    });

    it("prices every instance type, class and node type the tier presets use", () => {
        // The presets (stacks/tiers.ts) as of this table: a missing key would list the stack's nodes as not priced.
        for (const key of [
            "ec2.m7i.large.hour",
            "ec2.m7i.xlarge.hour",
            "ec2.m6i.large.hour",
            "ec2.m5.large.hour",
            "rds.postgres.db.t4g.micro.hour",
            "rds.postgres.db.m7g.large.hour",
            "elasticache.valkey.cache.t4g.micro.hour",
            "elasticache.valkey.cache.m7g.large.hour",
        ]) {
            expect(table.prices[key]).toBeDefined();
        }
    });
});

/** Runs `npm run plan -- ...` as a user would. */
function planCli(args: string[]): { code: number | null; out: string } {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", "tools/plan/cli.ts", ...args], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 120_000,
    });
    return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("npm run plan -- --cost / --cost-base (the CLI)", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cost-"));
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("prints the cost by component, writes it into --json, and prints the cost of a change against a base plan", () => {
        // GIVEN the base fixture (test/fixtures/programs/cost) planned with --cost --json
        const base = path.join(tmp, "base.json");
        const first = planCli(["--stack", "dev", "--program", "test/fixtures/programs/cost/base.ts", "--cost", "--json", base]);
        expect([0, 1]).toContain(first.code);
        // THEN, with the shipped table at 730 h: fx-cluster = EKS 0.10/h + 2–3 m7i.large at 0.1008/h;
        // fx-db = 2 × db.t4g.micro at 0.016/h + 20 GB × 2 copies × 0.115 + a key 1.00 + the master secret 0.40;
        // fx-network = 3 endpoint-AZs × 0.01/h
        expect(first.out).toMatch(/^Cost \(us-east-1 on-demand, USD, price table of [\d-]+, 730 h\/month\): 271\.43–345\.01 a month \(fixed 271\.43–345\.01, usage-based 0\.00\)$/m);
        expect(first.out).toMatch(/^\s+fx-cluster\s+220\.17–293\.75\s+0\.00\s+220\.17\s+293\.75$/m); // 73 + 147.168..220.752
        expect(first.out).toMatch(/^\s+fx-db\s+29\.36\s+0\.00\s+29\.36\s+29\.36$/m); // 23.36 + 4.60 + 1.00 + 0.40
        expect(first.out).toMatch(/^\s+fx-network\s+21\.90\s+0\.00\s+21\.90\s+21\.90$/m);
        expect(first.out).toMatch(/EKS nodes m7i\.large\s+2–3 nodes × 730 h\s+\$0\.1008\/hour \(unverified\)\s+ec2\.m7i\.large\.hour\s+147\.17\s+220\.75\n\s+fx-nodes/);
        expect(first.out).toMatch(/RDS postgres db\.t4g\.micro Multi-AZ\s+2 instances × 730 h\s+\$0\.016\/hour\s+rds\.postgres\.db\.t4g\.micro\.hour\s+23\.36\s+23\.36/);
        expect(first.out).toMatch(/aws:sfn\/stateMachine:StateMachine × 1: no price for this resource type\s+\[fx-flow\] in \(stack\)/);
        const doc = JSON.parse(fs.readFileSync(base, "utf8"));
        expect(doc.cost).toMatchObject({ region: "us-east-1", currency: "USD", notPriced: [{ type: "aws:sfn/stateMachine:StateMachine", count: 1 }] });
        expect(Object.keys(doc.cost.byComponent)).toEqual(["fx-cluster", "fx-db", "fx-network"]);
        expect(doc.cost.byComponent["fx-db"].lines.map((l: { priceKey: string }) => l.priceKey)).toEqual([
            "rds.postgres.db.t4g.micro.hour",
            "rds.storage.gp3.gb-month",
            "kms.key.month",
            "secretsmanager.secret.month",
        ]);
        // WHEN the grown fixture (node group max 3 → 6) is planned against it
        const second = planCli(["--stack", "dev", "--program", "test/fixtures/programs/cost/grown.ts", "--cost-base", base]);
        // THEN the change costs 3 more nodes at most, in fx-cluster: 3 × 730 h × $0.1008
        expect(second.out).toMatch(/Cost of the change \(per month\): min\s+0\.00 \(.+\), max \+220\.75 \(/);
        expect(second.out).toMatch(/\n  fx-cluster:\s+0\.00 \/ \+220\.75 .*\n\s+0\.00 \/ \+220\.75\s+EKS nodes m7i\.large\s+\[fx-nodes\]/);
        expect(second.out).not.toMatch(/^Cost \(us-east-1/m); // no table without --cost
    });
});
