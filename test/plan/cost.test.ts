import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CostEstimate, CostResource, diffCost, estimateCost, loadPrices, PriceTable, renderCost, renderCostDelta } from "../../tools/plan/cost";
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
const line = (e: CostEstimate, item: string | RegExp) => {
    const found = e.lines.filter((l) => (typeof item === "string" ? l.item === item : item.test(l.item)));
    expect(found).toHaveLength(1);
    return found[0];
};
const nodeGroup = (name: string, maxSize: number, extra: Record<string, unknown> = {}) =>
    res("aws:eks/nodeGroup:NodeGroup", name, { instanceTypes: ["m5.large"], scalingConfig: { minSize: 2, maxSize, desiredSize: 2 }, capacityType: "ON_DEMAND", ...extra }, { dependencies: ["urn:lt"] });

/** The small program the unit tests price: one of each kind, names as a program would give them. */
function program(nodeMax = 4): CostResource[] {
    return [
        res("aws:ec2/natGateway:NatGateway", "nat-a"),
        res("aws:ec2/eip:Eip", "nat-eip-a"),
        res("aws:eks/cluster:Cluster", "eks"),
        res("aws:ec2/launchTemplate:LaunchTemplate", "lt", { blockDeviceMappings: [{ ebs: { volumeSize: 50, volumeType: "gp3" } }] }),
        nodeGroup("system-ng", nodeMax),
        res("aws:eks/nodeGroup:NodeGroup", "workers-ng", { instanceTypes: ["m5.large", "m5.xlarge"], scalingConfig: { minSize: 0, maxSize: 3 }, capacityType: "SPOT" }),
        res("aws:rds/instance:Instance", "db", { engine: "postgres", instanceClass: "db.t4g.micro", multiAz: true, allocatedStorage: 20, maxAllocatedStorage: 100, storageType: "gp3", manageMasterUserPassword: true }),
        res("aws:elasticache/replicationGroup:ReplicationGroup", "cache", { engine: "valkey", nodeType: "cache.t4g.micro", numNodeGroups: 2, replicasPerNodeGroup: 2 }),
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "sts-endpoint", { vpcEndpointType: "Interface", subnetIds: ["subnet-a", "subnet-b", "subnet-c"] }),
        res("aws:ec2/vpcEndpoint:VpcEndpoint", "s3-endpoint", { vpcEndpointType: "Gateway", routeTableIds: ["rtb-a"] }),
        res("aws:kms/key:Key", "db-key"),
        res("aws:kms/key:Key", "cache-key"),
        res("aws:kms/key:Key", "logs-key"),
        res("aws:sfn/stateMachine:StateMachine", "flow-a"),
        res("aws:sfn/stateMachine:StateMachine", "flow-b"),
        res("aws:iam/role:Role", "node-role"),
        res("groundwork:cluster:Cluster", "cluster"),
        res("aws:cloudwatch/logGroup:LogGroup", "cluster-logs"),
    ];
}

describe("estimateCost (pure): exact monthly figures from a price table", () => {
    const e = estimateCost(program(), PRICES);

    it.each([
        // item, resources, min, max: 730 h/month × count × unit price
        ["NAT gateway hours", ["nat-a"], 36.5, 36.5],
        ["NAT gateway data processed (assumed)", ["nat-a"], 5, 5], // 100 GB assumed × $0.05
        ["Public IPv4 addresses (Elastic IPs)", ["nat-eip-a"], 7.3, 7.3],
        ["EKS control plane", ["eks"], 73, 73],
        ["EKS nodes m5.large", ["system-ng"], 146, 292], // 2..4 nodes
        ["EKS nodes m5.xlarge (Spot)", ["workers-ng"], 0, 438], // 0..3 nodes at the dearer type, on-demand
        ["RDS postgres db.t4g.micro Multi-AZ", ["db"], 29.2, 29.2], // 2 instances: the standby doubles it
        ["RDS storage gp3", ["db"], 4, 20], // 20..100 GB × 2 copies × $0.10
        ["Secrets Manager secrets", ["db"], 0.5, 0.5], // the RDS-managed master password
        ["ElastiCache valkey cache.t4g.micro", ["cache"], 43.8, 43.8], // 2 shards × (2 replicas + 1) = 6 nodes
        ["VPC interface endpoints × AZs", ["sts-endpoint"], 21.9, 21.9], // 3 AZs
        ["KMS keys", ["db-key", "cache-key", "logs-key"], 3, 3],
    ])("%s: %j costs %d to %d a month", (item, resources, min, max) => {
        const l = line(e, item);
        expect(l.resources).toEqual(resources);
        expect(l.monthly.min).toBeCloseTo(min, 6);
        expect(l.monthly.max).toBeCloseTo(max, 6);
        expect(l.source).toBe("https://aws.amazon.com/test/pricing/");
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
        expect(line(e, /root volumes/)).toMatchObject({ resources: ["system-ng"], count: { min: 100, max: 200 }, monthly: { min: 10, max: 20 } });
    });

    it("totals the lines", () => {
        expect(e.total.min).toBeCloseTo(e.lines.reduce((s, l) => s + l.monthly.min, 0), 9);
        expect(e.total.min).toBeCloseTo(36.5 + 5 + 7.3 + 73 + 146 + 0 + 10 + 29.2 + 4 + 0.5 + 43.8 + 21.9 + 3, 6);
        expect(e.total.max).toBeCloseTo(36.5 + 5 + 7.3 + 73 + 292 + 438 + 20 + 29.2 + 20 + 0.5 + 43.8 + 21.9 + 3, 6);
    });

    it("lists an unpriced type as not priced with its count and names, never dropping it", () => {
        expect(e.notPriced).toEqual([{ type: "aws:sfn/stateMachine:StateMachine", count: 2, resources: ["flow-a", "flow-b"], reason: "no price for this resource type" }]);
        expect(renderCost(e)).toMatch(/Not priced \(2 resources, not in the total\):\n\s+aws:sfn\/stateMachine:StateMachine × 2: no price for this resource type\s+\[flow-a, flow-b\]/);
    });

    it("lists a priced type whose instance class has no price as not priced, naming the missing key", () => {
        const r = estimateCost([res("aws:rds/instance:Instance", "big-db", { engine: "postgres", instanceClass: "db.x2g.16xlarge" })], PRICES);
        expect(r.lines).toEqual([]);
        expect(r.notPriced).toEqual([{ type: "aws:rds/instance:Instance", count: 1, resources: ["big-db"], reason: "no price 'rds.postgres.db.x2g.16xlarge.hour' in the table" }]);
    });

    it("separates usage-priced and no-charge resources from the total", () => {
        expect(e.usage).toEqual([{ type: "aws:cloudwatch/logGroup:LogGroup", resources: ["cluster-logs"], note: expect.stringContaining("per GB") }]);
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
        expect(Object.fromEntries(got.lines.map((l) => [l.item, Math.round(l.monthly.max * 1e6) / 1e6]))).toEqual(expected);
        expect(got.notPriced).toEqual([]);
    });
});

describe("diffCost: the cost of a change", () => {
    it("shows the delta when a change raises a node group's max", () => {
        // GIVEN the base plan and a change raising system-ng's maxSize from 4 to 6
        const d = diffCost(estimateCost(program(4), PRICES), estimateCost(program(6), PRICES));
        // THEN the max grows by 2 nodes × 730 h × $0.10 plus their 2 × 50 GB root volumes; the min does not move
        expect(d.delta.min).toBeCloseTo(0, 9);
        expect(d.delta.max).toBeCloseTo(146 + 10, 6);
        expect(d.lines.map((l) => [l.item, l.resources, Math.round(l.delta.max * 100) / 100])).toEqual([
            ["EKS nodes m5.large", ["system-ng"], 146],
            ["EKS node root volumes (gp3, 50 GB each)", ["system-ng"], 10],
        ]);
        expect(renderCostDelta(d)).toMatch(/max \+156\.00 \(.+ → .+\)\n\s+0\.00 \/ \+146\.00\s+EKS nodes m5\.large\s+\[system-ng\]/);
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

    it("prints the cost table, writes it into --json, and prints the cost of a change against a base plan", () => {
        // GIVEN the base fixture planned with --cost --json
        const base = path.join(tmp, "base.json");
        const first = planCli(["--stack", "dev", "--program", "test/fixtures/programs/cost/base.ts", "--cost", "--json", base]);
        expect([0, 1]).toContain(first.code);
        expect(first.out).toMatch(/EKS nodes m7i\.large\s+2–3 nodes × 730 h\s+\$0\.1008\/hour \(unverified\)\s+147\.17\s+220\.75\n\s+fx-nodes/);
        expect(first.out).toMatch(/RDS postgres db\.t4g\.micro Multi-AZ\s+2 instances × 730 h/);
        expect(first.out).toMatch(/aws:sfn\/stateMachine:StateMachine × 1: no price for this resource type\s+\[fx-flow\]/);
        const doc = JSON.parse(fs.readFileSync(base, "utf8"));
        expect(doc.cost).toMatchObject({ region: "us-east-1", currency: "USD", notPriced: [{ type: "aws:sfn/stateMachine:StateMachine", count: 1 }] });
        // WHEN the grown fixture (node group max 3 → 6) is planned against it
        const second = planCli(["--stack", "dev", "--program", "test/fixtures/programs/cost/grown.ts", "--cost-base", base]);
        // THEN the change costs 3 more nodes at most: 3 × 730 h × $0.1008
        expect(second.out).toMatch(/Cost of the change \(per month\): min\s+0\.00 \(.+\), max \+220\.75 \(/);
        expect(second.out).toMatch(/0\.00 \/ \+220\.75\s+EKS nodes m7i\.large\s+\[fx-nodes\]/);
        expect(second.out).not.toMatch(/^Cost \(us-east-1/m); // no table without --cost
    });
});
