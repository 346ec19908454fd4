import * as fs from "node:fs";
import * as path from "node:path";

/** One price of the table: what AWS charges for one unit, and where that figure comes from. */
export interface PriceEntry {
    /** Price of one unit in the table's currency. */
    usd: number;
    /** The unit billed: `hour`, `GB-month`, `month`, `GB`, `LCU-hour`... */
    unit: string;
    /** The AWS pricing page of the service. */
    source: string;
    /** True when the figure was found on the table's date (see `checked`); false when it was not. */
    verified?: boolean;
    /** Where the figure was found when it was verified. */
    checked?: string;
    /** What the price covers or leaves out. */
    note?: string;
}

/** A stated usage assumption (traffic, LCUs) that turns a usage price into a monthly figure. */
export interface CostAssumption {
    /** The assumed amount. */
    value: number;
    /** Its unit. */
    unit: string;
    /** What it assumes. */
    note: string;
}

/** The price table shipped in tools/plan/prices/ (README "Cost per stack and per change"). */
export interface PriceTable {
    /** Day the prices were last checked (YYYY-MM-DD). */
    date: string;
    /** AWS region the prices are for. */
    region: string;
    /** Currency of every price. */
    currency: string;
    /** Hours in a month. @default 730 */
    hoursPerMonth?: number;
    /** How the prices were gathered and what `verified` means. */
    basis?: string;
    /** Usage assumptions by name (`natGbPerGatewayMonth`, `albLcuPerHour`, `nlbLcuPerHour`). */
    assumptions?: Record<string, CostAssumption>;
    /** Prices by key (`eks.cluster.hour`, `ec2.<type>.hour`, `rds.<engine>.<class>.hour`...). */
    prices: Record<string, PriceEntry>;
}

/** What the estimate reads of a resource: the plan's recorded resource or a `--json` document's. */
export interface CostResource {
    /** Pulumi type token. */
    type: string;
    /** Logical name. */
    name: string;
    /** URN, to follow dependencies (a node group's launch template) and parents (its component). */
    urn?: string;
    /** URN of the parent: the estimate groups lines by the Groundwork component a resource belongs to. */
    parent?: string | null;
    /** The program's inputs. */
    inputs: Record<string, any>;
    /** URNs this resource depends on. */
    dependencies?: string[];
}

/** A monthly amount or a quantity as a range: fewest nodes and least storage, then most. */
export interface Range {
    /** Lower bound. */
    min: number;
    /** Upper bound. */
    max: number;
}

/**
 * How a line is billed: `fixed` for what is provisioned (hours of a gateway, node or instance, GB allocated, keys,
 * alarms), `usage` for what the estimate can only price from a stated traffic assumption (NAT GB, LCUs).
 */
export type CostBasis = "fixed" | "usage";

/** The group of resources outside any Groundwork component (declared by the program itself). */
export const STACK_GROUP = "(stack)";

/** One priced line: a price key applied to a quantity of one or more resources. */
export interface CostLine {
    /** The Groundwork component the resources belong to (see {@link componentOf}), or {@link STACK_GROUP}. */
    component: string;
    /** Fixed or usage-based (from an assumption). */
    basis: CostBasis;
    /** What is billed, for a reader. */
    item: string;
    /** Key in the price table. */
    priceKey: string;
    /** Logical names of the resources priced. */
    resources: string[];
    /** How many things are billed (gateways, instances, GB, endpoint-AZs, keys). */
    count: Range;
    /** What `count` counts. */
    countUnit: string;
    /** Units of the price per counted thing per month (730 hours, 100 GB, 2 copies, 1 month). */
    per: number;
    /** What `per` is, for a reader (`h`, `GB`, `copies`, `month`). */
    perUnit: string;
    /** Price of one unit. */
    unitPrice: number;
    /** The price's unit. */
    unit: string;
    /** The AWS pricing page. */
    source: string;
    /** Whether the price was verified on the table's date. */
    verified: boolean;
    /** count × per × unitPrice. */
    monthly: Range;
    /** Assumption or caveat of this line. */
    note?: string;
}

/** Resources whose charge depends on usage the estimate does not assume: listed with how they bill, not in the total. */
export interface UsageItem {
    /** The Groundwork component they belong to, or {@link STACK_GROUP}. */
    component: string;
    /** Pulumi type token. */
    type: string;
    /** Logical names. */
    resources: string[];
    /** How it is billed and what the estimate assumes. */
    note: string;
}

/** Resources the table cannot price, by type and reason. */
export interface NotPriced {
    /** Pulumi type token. */
    type: string;
    /** How many resources. */
    count: number;
    /** Logical names. */
    resources: string[];
    /** Why (no price for the type, or for its instance class). */
    reason: string;
    /** The Groundwork components the resources belong to. */
    components: string[];
}

/** The monthly cost of one Groundwork component: its total, split fixed vs usage-based, and its lines. */
export interface ComponentCost extends Range {
    /** The component's type token (`groundwork:database:Database`); absent for {@link STACK_GROUP}. */
    type?: string;
    /** Lines billed for what is provisioned. */
    fixed: Range;
    /** Lines priced from a usage assumption (the estimate's `assumptions`). */
    usage: Range;
    /** The priced lines, dearest first. */
    lines: CostLine[];
    /** Usage-billed resources the estimate does not price (not in any total). */
    usageNotEstimated: UsageItem[];
}

/** The cost of one plan. */
export interface CostEstimate {
    /** The table's currency. */
    currency: string;
    /** The table's region. */
    region: string;
    /** The table's date. */
    priceDate: string;
    /** Hours in a month. */
    hoursPerMonth: number;
    /** Sum of every line's monthly amount. */
    monthly: Range;
    /** Of which fixed. */
    fixed: Range;
    /** Of which usage-based (from the assumptions). */
    usage: Range;
    /** By Groundwork component (the outermost one a resource is declared in), dearest first; {@link STACK_GROUP} for the rest. */
    byComponent: Record<string, ComponentCost>;
    /** Resources with no price in the table (never dropped silently). */
    notPriced: NotPriced[];
    /** Types AWS bills nothing for by themselves, with counts. */
    noCharge: { type: string; count: number }[];
    /** The estimate's assumptions, in words. */
    assumptions: string[];
}

/** The shipped table's path. */
export const DEFAULT_PRICES = path.join(__dirname, "prices", "us-east-1.json");

/** Reads a price table. */
export function loadPrices(file = DEFAULT_PRICES): PriceTable {
    return JSON.parse(fs.readFileSync(file, "utf8")) as PriceTable;
}

// Configuration objects AWS bills nothing for by themselves (their traffic or usage is billed elsewhere).
const NO_CHARGE = new Set([
    "aws:acm/certificate:Certificate", // public certificates are free
    "aws:acm/certificateValidation:CertificateValidation",
    "aws:cloudfront/cachePolicy:CachePolicy",
    "aws:cloudfront/originAccessControl:OriginAccessControl",
    "aws:cloudfront/originRequestPolicy:OriginRequestPolicy",
    "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy",
    "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination",
    "aws:cloudwatch/logDeliverySource:LogDeliverySource",
    "aws:cloudwatch/queryDefinition:QueryDefinition",
    "aws:codebuild/webhook:Webhook",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    "aws:ec2/internetGateway:InternetGateway",
    "aws:ec2/launchTemplate:LaunchTemplate", // its volumes are priced with the node group that uses it
    "aws:ec2/route:Route",
    "aws:ec2/routeTable:RouteTable",
    "aws:ec2/routeTableAssociation:RouteTableAssociation",
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/subnet:Subnet",
    "aws:ec2/vpc:Vpc",
    "aws:ecr/lifecyclePolicy:LifecyclePolicy",
    "aws:eks/accessEntry:AccessEntry",
    "aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
    "aws:eks/addon:Addon",
    "aws:elasticache/subnetGroup:SubnetGroup",
    "aws:elasticache/user:User",
    "aws:elasticache/userGroup:UserGroup",
    "aws:iam/openIdConnectProvider:OpenIdConnectProvider",
    "aws:iam/policy:Policy",
    "aws:iam/role:Role",
    "aws:iam/rolePolicy:RolePolicy",
    "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    "aws:kms/alias:Alias",
    "aws:lb/listener:Listener", // listeners, rules and target groups: the load balancer's hours and LCUs bill them
    "aws:lb/listenerRule:ListenerRule",
    "aws:lb/targetGroup:TargetGroup",
    "aws:lb/targetGroupAttachment:TargetGroupAttachment",
    "aws:alb/listener:Listener",
    "aws:alb/listenerRule:ListenerRule",
    "aws:alb/targetGroup:TargetGroup",
    "aws:alb/targetGroupAttachment:TargetGroupAttachment",
    "aws:rds/parameterGroup:ParameterGroup",
    "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    "aws:appautoscaling/policy:Policy", // the capacity it adds is priced with its target
    // The proxy's pool, its target and extra endpoints: the proxy's vCPU-hours bill them.
    "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup",
    "aws:rds/proxyTarget:ProxyTarget",
    "aws:rds/proxyEndpoint:ProxyEndpoint",
    "aws:secretsmanager/secretPolicy:SecretPolicy", // the secret's monthly price covers its policy and versions
    "aws:secretsmanager/secretVersion:SecretVersion",
    "aws:rds/subnetGroup:SubnetGroup",
    "aws:route53/record:Record",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:sns/topicPolicy:TopicPolicy",
    "aws:sqs/queuePolicy:QueuePolicy",
    "aws:sqs/redriveAllowPolicy:RedriveAllowPolicy",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", // the log destination bills the logs
    "aws:wafv2/webAclAssociation:WebAclAssociation",
]);

/** Types with no charge of their own outside the AWS list: components, providers, Kubernetes objects, random values. */
function noChargeOfItsOwn(type: string): boolean {
    return (
        NO_CHARGE.has(type) ||
        type.startsWith("pulumi:") ||
        type.startsWith("random:") ||
        type.startsWith("kubernetes:") || // they run on the node groups, priced there
        !type.includes("/") // component types (`groundwork:cluster:Cluster`): their children are priced
    );
}

// Usage-billed types: listed with how they bill, never in the total.
const USAGE: Record<string, string> = {
    "aws:cloudwatch/logGroup:LogGroup": "ingestion per GB (cloudwatch.logs.ingest.gb) and storage per GB-month",
    "aws:cloudwatch/logDelivery:LogDelivery": "vended logs per GB delivered",
    "aws:ec2/flowLog:FlowLog": "vended logs per GB delivered to its log group",
    "aws:s3/bucket:Bucket": "storage per GB-month and requests",
    "aws:s3/bucketObjectv2:BucketObjectv2": "storage per GB-month in its bucket, and requests",
    "aws:sqs/queue:Queue": "requests (the first million a month are free)",
    "aws:sns/topic:Topic": "requests and deliveries (email: the first 1,000 a month are free)",
    "aws:sns/topicSubscription:TopicSubscription": "deliveries, billed with the topic",
    "aws:ecr/repository:Repository": "image storage per GB-month",
    "aws:codebuild/project:Project": "build minutes by compute type",
    "aws:amp/workspace:Workspace": "samples ingested (amp.ingest.10m-samples), stored and queried; the workspace itself has no monthly charge",
    "aws:cloudfront/distribution:Distribution": "requests (cloudfront.https.10k) and data out (cloudfront.out.gb); priced 0 here: no traffic is assumed",
    "aws:rds/cluster:Cluster": "Aurora storage per GB-month used and I/O (its instances are priced one by one)",
    "aws:dynamodb/table:Table": "on-demand requests and storage",
    "aws:lambda/function:Function": "requests and GB-seconds",
    "aws:route53/zone:Zone": "$0.50 per hosted zone-month and queries",
};

const num = (v: unknown): number | undefined => (typeof v === "number" && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === "string" && v !== "[unknown]" && v !== "[secret]" ? v : undefined);

/**
 * vCPUs of an RDS instance class, from its size (`large` 2, `xlarge` 4, `<n>xlarge` 4n; the burstable `micro` to
 * `medium` sizes have 2): what RDS Proxy bills by. Undefined for a size it does not know.
 */
export function rdsClassVcpus(instanceClass: string): number | undefined {
    const size = instanceClass.split(".").pop() ?? "";
    if (["micro", "small", "medium", "large"].includes(size)) return 2;
    const m = /^(\d*)xlarge$/.exec(size);
    return m ? 4 * Number(m[1] || 1) : undefined;
}

/** The RDS engine as the price table keys it (`postgres`, `mysql`, `aurora-postgresql`). */
function rdsEngine(engine: string | undefined): string {
    return engine ?? "postgres";
}

/**
 * Which Groundwork component each resource is declared in: the outermost ancestor whose type starts with
 * `groundwork:` (so the database's KMS key and alarms count toward `db`, a node group's toward `cluster`), named by
 * its logical name; {@link STACK_GROUP} when it has none. Two top-level components of one name (a `Service` and a
 * `WorkloadIdentity` both called `api`) are told apart by their type: `api (Service)`.
 */
export function componentOf(resources: readonly CostResource[]): (r: CostResource) => { key: string; type?: string } {
    const byUrn = new Map(resources.filter((r) => r.urn).map((r) => [r.urn!, r]));
    const outermost = (r: CostResource): CostResource | undefined => {
        let found: CostResource | undefined = r.type.startsWith("groundwork:") ? r : undefined;
        const seen = new Set<string>();
        for (let p = r.parent ? byUrn.get(r.parent) : undefined; p && !seen.has(p.urn!); p = p.parent ? byUrn.get(p.parent) : undefined) {
            seen.add(p.urn!);
            if (p.type.startsWith("groundwork:")) found = p;
        }
        return found;
    };
    const tops = new Map<string, Set<string>>();
    for (const r of resources) {
        const c = outermost(r);
        if (c) tops.set(c.name, (tops.get(c.name) ?? new Set()).add(c.type));
    }
    return (r) => {
        const c = outermost(r);
        if (!c) return { key: STACK_GROUP };
        return { key: tops.get(c.name)!.size > 1 ? `${c.name} (${c.type.split(":").pop()})` : c.name, type: c.type };
    };
}

/**
 * Prices a plan's resources with a price table: monthly min and max (fewest and most nodes, allocated and maximum
 * storage), one line per price key naming the resources, usage-priced resources with their assumption, and every
 * resource the table cannot price listed as not priced. Pure: the HTML report calls it with the plan's resources.
 */
export function estimateCost(resources: readonly CostResource[], prices: PriceTable): CostEstimate {
    const hours = prices.hoursPerMonth ?? 730;
    const lines: CostLine[] = [];
    const usage = new Map<string, UsageItem>();
    const notPriced = new Map<string, NotPriced>();
    const noCharge = new Map<string, number>();
    const assumptions = new Set<string>();
    const byUrn = new Map(resources.filter((r) => r.urn).map((r) => [r.urn!, r]));
    const assume = (key: string, fallback: number) => prices.assumptions?.[key]?.value ?? fallback;
    const groupOf = componentOf(resources);
    const componentTypes = new Map<string, string | undefined>();
    const group = (r: CostResource) => {
        const g = groupOf(r);
        componentTypes.set(g.key, g.type);
        return g.key;
    };

    const skip = (r: CostResource, reason: string) => {
        const k = `${r.type}\u0000${reason}`;
        const e = notPriced.get(k) ?? { type: r.type, count: 0, resources: [], reason, components: [] };
        e.count++;
        e.resources.push(r.name);
        const c = group(r);
        if (!e.components.includes(c)) e.components.push(c);
        notPriced.set(k, e);
    };
    const addUsage = (r: CostResource, note: string) => {
        const component = group(r);
        const k = `${component}\u0000${r.type}`;
        const e = usage.get(k) ?? { component, type: r.type, resources: [], note };
        e.resources.push(r.name);
        usage.set(k, e);
    };
    /** Adds a line, or returns false (and lists the resource as not priced) when the key has no price. */
    const add = (r: CostResource, key: string, item: string, count: Range, countUnit: string, per: number, perUnit: string, note?: string, basis: CostBasis = "fixed"): boolean => {
        const p = prices.prices[key];
        if (!p) {
            skip(r, `no price '${key}' in the table`);
            return false;
        }
        lines.push({
            component: group(r),
            basis,
            item,
            priceKey: key,
            resources: [r.name],
            count: { ...count },
            countUnit,
            per,
            perUnit,
            unitPrice: p.usd,
            unit: p.unit,
            source: p.source,
            verified: p.verified === true,
            monthly: { min: count.min * per * p.usd, max: count.max * per * p.usd },
            ...(note ? { note } : {}),
        });
        return true;
    };
    const one = { min: 1, max: 1 };
    const n = (k: number) => ({ min: k, max: k });

    for (const r of resources) {
        const i = r.inputs ?? {};
        switch (r.type) {
            case "aws:ec2/natGateway:NatGateway": {
                const gb = assume("natGbPerGatewayMonth", 100);
                add(r, "nat.hour", "NAT gateway hours", one, "gateway", hours, "h");
                // Usage-based: the assumption is listed once with the estimate's assumptions, not on each line.
                add(r, "nat.gb", "NAT gateway data processed (assumed)", one, "gateway", gb, "GB", undefined, "usage");
                assumptions.add(`NAT gateways process ${gb} GB each per month.`);
                break;
            }
            case "aws:ec2/eip:Eip":
                add(r, "ipv4.public.hour", "Public IPv4 addresses (Elastic IPs)", one, "address", hours, "h");
                break;
            case "aws:eks/cluster:Cluster":
                add(r, "eks.cluster.hour", "EKS control plane", one, "cluster", hours, "h");
                break;
            case "aws:eks/nodeGroup:NodeGroup": {
                const sc = i.scalingConfig ?? {};
                const count = { min: num(sc.minSize) ?? num(sc.desiredSize) ?? 1, max: num(sc.maxSize) ?? num(sc.desiredSize) ?? 1 };
                const types: string[] = Array.isArray(i.instanceTypes) && i.instanceTypes.length > 0 ? i.instanceTypes.filter((t: unknown) => typeof t === "string") : ["t3.medium"];
                const priced = types.filter((t) => prices.prices[`ec2.${t}.hour`]);
                if (priced.length < types.length) {
                    skip(r, `no price for instance type(s) ${types.filter((t) => !priced.includes(t)).join(", ")}`);
                    break;
                }
                // Several types: the most expensive one, so the estimate is an upper bound whichever the group launches.
                const type = priced.reduce((a, b) => (prices.prices[`ec2.${b}.hour`].usd > prices.prices[`ec2.${a}.hour`].usd ? b : a));
                const spot = i.capacityType === "SPOT";
                const notes = [
                    spot ? "Spot group priced on-demand: an upper bound (Spot is usually far cheaper)" : "",
                    types.length > 1 ? `the dearest of ${types.join(", ")}` : "",
                    i.instanceTypes ? "" : "no instanceTypes: the EKS default t3.medium",
                ].filter(Boolean);
                add(r, `ec2.${type}.hour`, `EKS nodes ${type}${spot ? " (Spot)" : ""}`, count, "node", hours, "h", notes.join("; ") || undefined);
                if (spot) assumptions.add("Spot node groups are priced at on-demand rates (upper bound).");
                // Root volumes come from the launch template the group uses (the plan records it as a dependency).
                const lt = (r.dependencies ?? []).map((u) => byUrn.get(u)).find((d) => d?.type === "aws:ec2/launchTemplate:LaunchTemplate");
                const ebs = lt?.inputs?.blockDeviceMappings?.[0]?.ebs;
                const size = num(Number(ebs?.volumeSize));
                if (ebs && size) {
                    const vt = str(ebs.volumeType) ?? "gp2";
                    add(r, `ebs.${vt}.gb-month`, `EKS node root volumes (${vt}, ${size} GB each)`, { min: count.min * size, max: count.max * size }, "GB", 1, "month");
                } else if (num(i.diskSize)) {
                    add(r, "ebs.gp2.gb-month", `EKS node root volumes (${i.diskSize} GB each)`, { min: count.min * i.diskSize, max: count.max * i.diskSize }, "GB", 1, "month");
                }
                break;
            }
            case "aws:rds/instance:Instance": {
                const engine = rdsEngine(str(i.engine));
                const cls = str(i.instanceClass);
                if (!cls) {
                    skip(r, "instance class unknown");
                    break;
                }
                const copies = i.multiAz === true ? 2 : 1;
                const maz = copies === 2 ? "Multi-AZ: the standby doubles it" : undefined;
                add(r, `rds.${engine}.${cls}.hour`, `RDS ${engine} ${cls}${copies === 2 ? " Multi-AZ" : ""}`, n(copies), "instance", hours, "h", maz);
                const gb = num(i.allocatedStorage);
                if (gb) {
                    const st = str(i.storageType) ?? (num(i.iops) ? "io1" : "gp2");
                    const maxGb = Math.max(gb, num(i.maxAllocatedStorage) ?? gb);
                    const note = [maz, maxGb > gb ? `max: storage autoscaling to ${maxGb} GB` : ""].filter(Boolean).join("; ");
                    add(r, `rds.storage.${st}.gb-month`, `RDS storage ${st}`, { min: gb, max: maxGb }, "GB", copies, copies === 2 ? "copies" : "month", note || undefined);
                    if (st.startsWith("io") && num(i.iops)) add(r, `rds.storage.${st}.iops-month`, `RDS provisioned IOPS ${st}`, n(i.iops), "IOPS", copies, copies === 2 ? "copies" : "month", maz);
                }
                // RDS keeps a managed master password in a Secrets Manager secret, billed like any other.
                if (i.manageMasterUserPassword === true) add(r, "secretsmanager.secret.month", "Secrets Manager secrets", one, "secret", 1, "month", "the RDS-managed master password");
                break;
            }
            case "aws:appautoscaling/target:Target": {
                // Aurora reader auto scaling adds readers of the cluster's class beyond those declared, up to maxCapacity.
                if (str(i.scalableDimension) !== "rds:cluster:ReadReplicaCount") {
                    skip(r, "no price for this resource type");
                    break;
                }
                const siblings = resources.filter((x) => x.type === "aws:rds/clusterInstance:ClusterInstance" && groupOf(x).key === groupOf(r).key);
                const declaredReaders = Math.max(0, siblings.length - 1);
                const cls = siblings.map((x) => str(x.inputs?.instanceClass)).find(Boolean);
                const extra = Math.max(0, (num(i.maxCapacity) ?? 0) - declaredReaders);
                if (!cls) skip(r, "instance class of the cluster unknown");
                else if (extra > 0) {
                    const engine = rdsEngine(str(siblings[0].inputs?.engine));
                    add(r, `rds.${engine}.${cls}.hour`, `Aurora readers added by auto scaling ${cls}`, { min: 0, max: extra }, "instance", hours, "h", `up to maxCapacity ${num(i.maxCapacity)} readers, ${declaredReaders} declared`);
                } else noCharge.set(r.type, (noCharge.get(r.type) ?? 0) + 1);
                break;
            }
            case "aws:rds/proxy:Proxy": {
                // Billed per vCPU-hour of the instances behind it: the Aurora cluster's (declared, plus the readers auto
                // scaling may add) or the RDS instance's, in the same component.
                const siblings = resources.filter((x) => groupOf(x).key === groupOf(r).key);
                const vcpus = (x: CostResource) => rdsClassVcpus(str(x.inputs?.instanceClass) ?? "") ?? 0;
                const instances = siblings.filter((x) => x.type === "aws:rds/clusterInstance:ClusterInstance" || x.type === "aws:rds/instance:Instance");
                if (instances.length === 0 || instances.some((x) => vcpus(x) === 0)) {
                    skip(r, "the vCPUs of the instances behind it are unknown");
                    break;
                }
                const base = instances.reduce((sum, x) => sum + vcpus(x), 0);
                const target = siblings.find((x) => x.type === "aws:appautoscaling/target:Target" && str(x.inputs?.scalableDimension) === "rds:cluster:ReadReplicaCount");
                const readers = instances.filter((x) => x.type === "aws:rds/clusterInstance:ClusterInstance").length - 1;
                const extra = target ? Math.max(0, (num(target.inputs?.maxCapacity) ?? 0) - Math.max(0, readers)) * vcpus(instances[0]) : 0;
                add(r, "rds.proxy.vcpu.hour", "RDS Proxy (per vCPU of the instances behind it)", { min: base, max: base + extra }, "vCPU", hours, "h", extra ? "max: with the readers auto scaling may add" : undefined);
                break;
            }
            case "aws:rds/clusterInstance:ClusterInstance": {
                const cls = str(i.instanceClass);
                if (!cls) skip(r, "instance class unknown");
                else add(r, `rds.${rdsEngine(str(i.engine))}.${cls}.hour`, `Aurora ${str(i.engine) ?? ""} ${cls}`.replace(/\s+/g, " "), one, "instance", hours, "h");
                break;
            }
            case "aws:elasticache/replicationGroup:ReplicationGroup": {
                const nodeType = str(i.nodeType);
                if (!nodeType) {
                    skip(r, "node type unknown");
                    break;
                }
                const engine = str(i.engine) ?? "redis";
                const shards = num(i.numNodeGroups);
                const nodes = num(i.numCacheClusters) ?? (shards !== undefined ? shards * ((num(i.replicasPerNodeGroup) ?? 0) + 1) : 1);
                const note = shards !== undefined && num(i.numCacheClusters) === undefined ? `${shards} shard(s) × (${num(i.replicasPerNodeGroup) ?? 0} replica(s) + 1)` : undefined;
                add(r, `elasticache.${engine}.${nodeType}.hour`, `ElastiCache ${engine} ${nodeType}`, n(nodes), "node", hours, "h", note);
                break;
            }
            case "aws:elasticache/cluster:Cluster": {
                const nodeType = str(i.nodeType);
                if (!nodeType) skip(r, "node type unknown");
                else add(r, `elasticache.${str(i.engine) ?? "redis"}.${nodeType}.hour`, `ElastiCache ${str(i.engine) ?? "redis"} ${nodeType}`, n(num(i.numCacheNodes) ?? 1), "node", hours, "h");
                break;
            }
            case "aws:ec2/vpcEndpoint:VpcEndpoint": {
                const kind = str(i.vpcEndpointType) ?? "Gateway";
                if (kind === "Gateway") {
                    noCharge.set(`${r.type} (Gateway)`, (noCharge.get(`${r.type} (Gateway)`) ?? 0) + 1);
                    break;
                }
                const azs = Array.isArray(i.subnetIds) ? i.subnetIds.length : 0;
                if (azs === 0) {
                    skip(r, "interface endpoint without subnets in the plan (its AZ count is unknown)");
                    break;
                }
                add(r, "vpce.interface.hour", "VPC interface endpoints × AZs", n(azs), "endpoint-AZ", hours, "h", "data processed (vpce.interface.gb) not included");
                break;
            }
            case "aws:kms/key:Key":
            case "aws:kms/replicaKey:ReplicaKey":
                add(r, "kms.key.month", "KMS keys", one, "key", 1, "month", i.enableKeyRotation === true ? "rotation adds $1/month per rotation for the first two, from the second year" : undefined);
                break;
            case "aws:secretsmanager/secret:Secret":
                add(r, "secretsmanager.secret.month", "Secrets Manager secrets", one, "secret", 1, "month");
                break;
            case "aws:wafv2/webAcl:WebAcl": {
                add(r, "waf.webacl.month", "WAF web ACLs", one, "web ACL", 1, "month", "requests (waf.requests.million) not included");
                const rules = Array.isArray(i.rules) ? i.rules.length : 0;
                if (rules > 0) add(r, "waf.rule.month", "WAF rules", n(rules), "rule", 1, "month");
                break;
            }
            case "aws:lb/loadBalancer:LoadBalancer":
            case "aws:alb/loadBalancer:LoadBalancer": {
                const kind = str(i.loadBalancerType) ?? "application";
                const lb = kind === "application" ? "alb" : kind === "network" ? "nlb" : undefined;
                if (!lb) {
                    skip(r, `no price for load balancer type '${kind}'`);
                    break;
                }
                const lcu = lb === "alb" ? assume("albLcuPerHour", 1) : assume("nlbLcuPerHour", 1);
                const lcuKey = lb === "alb" ? "elb.alb.lcu-hour" : "elb.nlb.nlcu-hour";
                add(r, `elb.${lb}.hour`, `${lb === "alb" ? "Application" : "Network"} load balancer hours`, one, "load balancer", hours, "h");
                add(r, lcuKey, `${lb === "alb" ? "ALB LCUs" : "NLB NLCUs"} (assumed)`, one, "load balancer", lcu * hours, `${lb === "alb" ? "LCU" : "NLCU"}-h`, undefined, "usage");
                assumptions.add(`${lb === "alb" ? "Application" : "Network"} load balancers use ${lcu} ${lb === "alb" ? "LCU" : "NLCU"} every hour.`);
                // An internet-facing load balancer holds a public IPv4 address in each of its subnets.
                const subnets = Array.isArray(i.subnets) ? i.subnets.length : Array.isArray(i.subnetMappings) ? i.subnetMappings.length : 0;
                if (i.internal !== true && subnets > 0) add(r, "ipv4.public.hour", "Public IPv4 addresses (internet-facing load balancers)", n(subnets), "address", hours, "h", "one per subnet");
                break;
            }
            case "aws:cloudwatch/metricAlarm:MetricAlarm": {
                const queries: any[] = Array.isArray(i.metricQueries) ? i.metricQueries : [];
                const insights = queries.some((q) => typeof q?.expression === "string" && /^\s*SELECT\b/i.test(q.expression));
                const metrics = queries.length > 0 ? Math.max(1, queries.filter((q) => q?.metric).length) : 1;
                const periods = [num(i.period), ...queries.map((q) => num(q?.period) ?? num(q?.metric?.period))].filter((p): p is number => p !== undefined);
                const highRes = periods.some((p) => p < 60);
                add(
                    r,
                    highRes ? "cloudwatch.alarm.highres.month" : "cloudwatch.alarm.standard.month",
                    `CloudWatch alarms (${highRes ? "high resolution" : "standard"}${insights ? ", Metrics Insights query" : ""})`,
                    n(metrics),
                    "alarm metric",
                    1,
                    "month",
                    insights ? "a Metrics Insights query alarm is billed per metric it analyzes: 1 here is a lower bound" : undefined,
                );
                break;
            }
            case "aws:cloudwatch/compositeAlarm:CompositeAlarm":
                add(r, "cloudwatch.alarm.composite.month", "CloudWatch composite alarms", one, "alarm", 1, "month");
                break;
            case "aws:cloudwatch/dashboard:Dashboard":
                add(r, "cloudwatch.dashboard.month", "CloudWatch dashboards", one, "dashboard", 1, "month", "the account's 3 free dashboards are not counted (shared by every stack)");
                assumptions.add("CloudWatch free tiers (3 dashboards, 10 alarm metrics per account) are not deducted: every stack in the account shares them.");
                break;
            default:
                if (USAGE[r.type]) addUsage(r, USAGE[r.type]);
                else if (noChargeOfItsOwn(r.type)) noCharge.set(r.type, (noCharge.get(r.type) ?? 0) + 1);
                else skip(r, "no price for this resource type");
        }
    }

    // One line per component, price key and item: the database's 2 KMS keys are one line naming both.
    const merged = new Map<string, CostLine>();
    for (const l of lines) {
        const k = `${l.component}\u0000${lineKey(l)}`;
        const m = merged.get(k);
        if (!m) {
            merged.set(k, { ...l, resources: [...l.resources], count: { ...l.count }, monthly: { ...l.monthly } });
            continue;
        }
        m.resources.push(...l.resources);
        m.count.min += l.count.min;
        m.count.max += l.count.max;
        m.monthly.min += l.monthly.min;
        m.monthly.max += l.monthly.max;
    }
    const zero = (): Range => ({ min: 0, max: 0 });
    const plus = (a: Range, b: Range) => {
        a.min += b.min;
        a.max += b.max;
    };
    const groups = new Map<string, ComponentCost>();
    const groupFor = (key: string) => {
        let g = groups.get(key);
        if (!g) {
            const type = componentTypes.get(key);
            g = { min: 0, max: 0, ...(type ? { type } : {}), fixed: zero(), usage: zero(), lines: [], usageNotEstimated: [] };
            groups.set(key, g);
        }
        return g;
    };
    const totals = { monthly: zero(), fixed: zero(), usage: zero() };
    for (const l of merged.values()) {
        const g = groupFor(l.component);
        g.lines.push(l);
        plus(g, l.monthly);
        plus(g[l.basis], l.monthly);
        plus(totals.monthly, l.monthly);
        plus(totals[l.basis], l.monthly);
    }
    for (const u of usage.values()) groupFor(u.component).usageNotEstimated.push(u);
    // Dearest first, so the tables read from what matters; the program's own resources last.
    const dearest = (a: Range, b: Range) => b.max - a.max || b.min - a.min;
    for (const g of groups.values()) g.lines.sort((a, b) => dearest(a.monthly, b.monthly) || a.item.localeCompare(b.item));
    const byComponent = Object.fromEntries(
        [...groups.entries()].sort(([ka, a], [kb, b]) => Number(ka === STACK_GROUP) - Number(kb === STACK_GROUP) || dearest(a, b) || ka.localeCompare(kb)),
    );
    return {
        currency: prices.currency,
        region: prices.region,
        priceDate: prices.date,
        hoursPerMonth: hours,
        monthly: totals.monthly,
        fixed: totals.fixed,
        usage: totals.usage,
        byComponent,
        notPriced: [...notPriced.values()],
        noCharge: [...noCharge.entries()].map(([type, count]) => ({ type, count })).sort((a, b) => b.count - a.count || a.type.localeCompare(b.type)),
        assumptions: [`${hours} hours per month, on-demand prices of ${prices.region} as of ${prices.date}.`, ...assumptions],
    };
}

/** Every priced line of an estimate, component by component. */
export function costLines(e: CostEstimate): CostLine[] {
    return Object.values(e.byComponent).flatMap((g) => g.lines);
}

/** Every usage-billed resource group the estimate does not price, component by component. */
export function usageNotEstimated(e: CostEstimate): UsageItem[] {
    return Object.values(e.byComponent).flatMap((g) => g.usageNotEstimated);
}

/** The key lines are merged and compared by (within a component): price key, item, quantity per counted thing, note. */
export function lineKey(l: Pick<CostLine, "priceKey" | "item" | "per" | "perUnit" | "note">): string {
    return [l.priceKey, l.item, l.per, l.perUnit, l.note ?? ""].join("\u0000");
}

/** How one line's monthly amount changed between two estimates. */
export interface CostLineDelta {
    /** The component of the line. */
    component: string;
    /** The line's item. */
    item: string;
    /** Its price key. */
    priceKey: string;
    /** Resources of the line in either estimate. */
    resources: string[];
    /** Monthly amount in the base (0 when the line is new). */
    base: Range;
    /** Monthly amount now (0 when the line is gone). */
    current: Range;
    /** current − base. */
    delta: Range;
}

/** How one component's monthly amount changed. */
export interface ComponentCostDelta {
    /** Monthly amount in the base (0 when the component is new). */
    base: Range;
    /** Monthly amount now (0 when the component is gone). */
    current: Range;
    /** current − base. */
    delta: Range;
}

/** The cost of a change: the difference between a base plan's estimate and the current one. */
export interface CostDelta {
    /** The estimates' currency. */
    currency: string;
    /** Base total. */
    base: Range;
    /** Current total. */
    current: Range;
    /** current − base. */
    delta: Range;
    /** Components whose monthly amount changed, by the largest change first. */
    byComponent: Record<string, ComponentCostDelta>;
    /** Lines whose monthly amount changed. */
    lines: CostLineDelta[];
    /** Not-priced resources added by the change (their cost is unknown). */
    notPricedAdded: string[];
}

const moved = (d: Range) => Math.abs(d.min) >= 1e-9 || Math.abs(d.max) >= 1e-9;

/** Compares two estimates line by line within each component (pure). */
export function diffCost(base: CostEstimate, current: CostEstimate): CostDelta {
    const zero = { min: 0, max: 0 };
    const keyed = (e: CostEstimate) => new Map(costLines(e).map((l) => [`${l.component}\u0000${lineKey(l)}`, l]));
    const b = keyed(base);
    const c = keyed(current);
    const lines: CostLineDelta[] = [];
    for (const k of new Set([...b.keys(), ...c.keys()])) {
        const x = b.get(k);
        const y = c.get(k);
        const bm = x?.monthly ?? zero;
        const cm = y?.monthly ?? zero;
        const delta = { min: cm.min - bm.min, max: cm.max - bm.max };
        if (!moved(delta)) continue;
        const l = (y ?? x)!;
        lines.push({ component: l.component, item: l.item, priceKey: l.priceKey, resources: [...new Set([...(x?.resources ?? []), ...(y?.resources ?? [])])], base: bm, current: cm, delta });
    }
    const byComponent: Record<string, ComponentCostDelta> = {};
    for (const k of new Set([...Object.keys(base.byComponent), ...Object.keys(current.byComponent)])) {
        const bm = base.byComponent[k] ? { min: base.byComponent[k].min, max: base.byComponent[k].max } : zero;
        const cm = current.byComponent[k] ? { min: current.byComponent[k].min, max: current.byComponent[k].max } : zero;
        const delta = { min: cm.min - bm.min, max: cm.max - bm.max };
        if (moved(delta)) byComponent[k] = { base: bm, current: cm, delta };
    }
    const names = (e: CostEstimate) => new Set(e.notPriced.flatMap((p) => p.resources.map((r) => `${p.type} ${r}`)));
    const before = names(base);
    return {
        currency: current.currency,
        base: base.monthly,
        current: current.monthly,
        delta: { min: current.monthly.min - base.monthly.min, max: current.monthly.max - base.monthly.max },
        byComponent: Object.fromEntries(Object.entries(byComponent).sort(([, x], [, y]) => Math.abs(y.delta.max) - Math.abs(x.delta.max) || Math.abs(y.delta.min) - Math.abs(x.delta.min))),
        lines,
        notPricedAdded: [...names(current)].filter((x) => !before.has(x)),
    };
}

/** A monthly amount as printed: two decimals. */
export const money = (v: number) => (Math.round(v * 100) / 100).toFixed(2);
const signed = (v: number) => (v > 0.004 ? "+" : v < -0.004 ? "-" : " ") + money(Math.abs(v));
const range = (r: Range) => (r.min === r.max ? String(r.min) : `${r.min}–${r.max}`);
/** A unit price as printed: at least two decimals, all the table gives. */
export const unitPrice = (v: number) => v.toFixed(Math.max(2, (String(v).split(".")[1] ?? "").length));
/** A monthly range as printed: `12.00` or `12.00–34.50`. */
export const moneyRange = (r: Range) => (money(r.min) === money(r.max) ? money(r.min) : `${money(r.min)}–${money(r.max)}`);
// "3 nodes", "2 endpoint-AZs", "3 addresses", but "50 GB" and "1000 IOPS".
const counted = (r: Range, unit: string) => `${range(r)} ${r.max === 1 || !/[a-z]$|AZ$/.test(unit) ? unit : unit.endsWith("s") ? `${unit}es` : `${unit}s`}`;

/** A line's quantity as printed: `2–3 nodes × 730 h` (the price key and unit price make the rest of the product). */
export function quantity(l: CostLine): string {
    return `${counted(l.count, l.countUnit)}${l.per !== 1 || l.perUnit !== "month" ? ` × ${l.per} ${l.perUnit}` : ""}`;
}

/** The price keys of the table an estimate used that are not verified on the table's date. */
export function unverifiedKeys(e: CostEstimate): string[] {
    return [...new Set(costLines(e).filter((l) => !l.verified).map((l) => l.priceKey))].sort();
}

/**
 * Renders an estimate as the CLI prints it: the total (fixed vs usage-based), a summary by component, then each
 * component's lines (quantity × unit price, the price table's key, the resources), what is not in the total, and
 * the assumptions once.
 */
export function renderCost(e: CostEstimate): string {
    const split = (g: Range & { fixed: Range; usage: Range }) => [moneyRange(g.fixed), moneyRange(g.usage), money(g.min), money(g.max)];
    const out = [
        `Cost (${e.region} on-demand, ${e.currency}, price table of ${e.priceDate}, ${e.hoursPerMonth} h/month): ${money(e.monthly.min)}–${money(e.monthly.max)} a month ` +
            `(fixed ${moneyRange(e.fixed)}, usage-based ${moneyRange(e.usage)})`,
        "",
    ];
    const summary = [["Component", "Fixed", "Usage-based", "Min/month", "Max/month"], ...Object.entries(e.byComponent).map(([k, g]) => [k, ...split(g)]), ["Total", ...split({ ...e.monthly, fixed: e.fixed, usage: e.usage })]];
    const sw = summary[0].map((_, k) => Math.max(...summary.map((r) => r[k].length)));
    for (const r of summary) out.push(`    ${r[0].padEnd(sw[0])}  ${r.slice(1).map((c, k) => c.padStart(sw[k + 1])).join("  ")}`);

    const head = ["Item", "Quantity", "Unit price", "Price key", "Min/month", "Max/month"];
    const all = costLines(e);
    const row = (l: CostLine) => [
        `${l.item}${l.basis === "usage" ? " [usage]" : ""}`,
        quantity(l),
        `$${unitPrice(l.unitPrice)}/${l.unit}${l.verified ? "" : " (unverified)"}`,
        l.priceKey,
        money(l.monthly.min),
        money(l.monthly.max),
    ];
    const w = head.map((h, k) => Math.max(h.length, ...all.map((l) => row(l)[k].length)));
    const fmt = (r: string[]) => `      ${r.slice(0, 4).map((c, k) => c.padEnd(w[k])).join("  ")}  ${r[4].padStart(w[4])}  ${r[5].padStart(w[5])}`;
    for (const [k, g] of Object.entries(e.byComponent)) {
        if (g.lines.length === 0) continue;
        out.push("", `  ${k}${g.type ? ` (${g.type})` : ""}: ${moneyRange(g)} a month`, fmt(head));
        for (const l of g.lines) {
            out.push(fmt(row(l)));
            out.push(`        ${l.resources.join(", ")}${l.note ? `  (${l.note})` : ""}`);
        }
    }
    const unestimated = usageNotEstimated(e);
    if (unestimated.length > 0) {
        out.push("", "  Usage-billed, not estimated (not in the total):");
        for (const u of unestimated) out.push(`    ${u.component}: ${u.type} × ${u.resources.length}: ${u.note}  [${u.resources.join(", ")}]`);
    }
    out.push("", e.notPriced.length === 0 ? "  Not priced: none" : `  Not priced (${counted({ min: e.notPriced.reduce((s, p) => s + p.count, 0), max: e.notPriced.reduce((s, p) => s + p.count, 0) }, "resource")}, not in the total):`);
    for (const p of e.notPriced) out.push(`    ${p.type} × ${p.count}: ${p.reason}  [${p.resources.join(", ")}] in ${p.components.join(", ")}`);
    const free = e.noCharge.reduce((s, x) => s + x.count, 0);
    out.push("", `  No charge of their own: ${free} resource(s) of ${e.noCharge.length} type(s) (configuration, IAM, components, Kubernetes objects on the priced nodes, gateway endpoints).`);
    out.push("", "  Assumptions:");
    for (const a of e.assumptions) out.push(`    - ${a}`);
    const unverified = unverifiedKeys(e);
    if (unverified.length > 0) out.push(`    - Not verified on ${e.priceDate} (check the source page): ${unverified.join(", ")}.`);
    out.push("", "  Sources (prices: tools/plan/prices/*.json, by price key):");
    for (const s of [...new Set(all.map((l) => l.source))].sort()) out.push(`    ${s}`);
    return out.join("\n");
}

/** Renders the cost of a change: totals, each component whose monthly amount moved, then each line that moved. */
export function renderCostDelta(d: CostDelta): string {
    const out = [
        `Cost of the change (per month): min ${signed(d.delta.min)} (${money(d.base.min)} → ${money(d.current.min)}), max ${signed(d.delta.max)} (${money(d.base.max)} → ${money(d.current.max)})`,
    ];
    for (const [k, c] of Object.entries(d.byComponent)) {
        out.push(`  ${k}: ${signed(c.delta.min)} / ${signed(c.delta.max)}  (${moneyRange(c.base)} → ${moneyRange(c.current)})`);
        for (const l of d.lines.filter((x) => x.component === k)) {
            out.push(`    ${signed(l.delta.min)} / ${signed(l.delta.max)}  ${l.item}  [${l.resources.join(", ")}]  (${money(l.base.min)}–${money(l.base.max)} → ${money(l.current.min)}–${money(l.current.max)})`);
        }
    }
    if (d.lines.length === 0) out.push("    no priced line changed");
    if (d.notPricedAdded.length > 0) out.push(`    not priced, added by the change (cost unknown): ${d.notPricedAdded.join(", ")}`);
    return out.join("\n");
}
