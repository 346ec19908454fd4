import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, GroundworkComponent } from "../base";
import { natCount, natIndexFor, NetworkArgs, resolveNetworkArgs } from "./args";
import { SubnetPlan } from "./cidr";
import { declareEndpoints } from "./endpoints";
import { declareFlowLogs, Environment } from "./flowLogs";
import { declareAlarms, type AlarmOptions, type AlarmSpec, type AlarmTarget, type Observable } from "../observe/alarms";
import { networkAlarmSpecs, type NatAlarmInput } from "./alarms";

/** Letter of AZ slot `i` in child names (`public-a`, `nat-b`): the slot, not the AZ's own letter. */
function slot(i: number): string {
    return String.fromCharCode(97 + i);
}

/**
 * A VPC with public, private (app) and isolated (data) subnets in every AZ, secure by default:
 * no public IPs on launch, NAT egress per the chosen mode, isolated subnets without internet routes,
 * the default security group emptied, KMS-encrypted flow logs of all traffic, an S3 gateway endpoint
 * and (by default) interface endpoints for ECR, STS, Secrets Manager, SQS and CloudWatch Logs.
 *
 * @example
 * ```ts
 * const network = new Network("main", { cidrBlock: "10.20.0.0/16", availabilityZoneCount: 3, natMode: "perAz" });
 * export const privateSubnetIds = network.privateSubnetIds;
 * ```
 */
export class Network extends GroundworkComponent implements Observable {
    /** The computed CIDR layout (plain values, known at declaration time). */
    public readonly subnetPlan: SubnetPlan;
    private readonly nats: NatAlarmInput[];
    /** VPC id. */
    public readonly vpcId: pulumi.Output<string>;
    /** VPC IPv4 block. */
    public readonly cidrBlock: pulumi.Output<string>;
    /** AZ names, slot order (index `i` of every subnet list is in AZ `i`). */
    public readonly availabilityZones: pulumi.Output<string[]>;
    /** Public subnet ids, one per AZ (NAT gateways, internet-facing load balancers). */
    public readonly publicSubnetIds: pulumi.Output<string[]>;
    /** Private (app) subnet ids, one per AZ (workloads; egress via NAT). */
    public readonly privateSubnetIds: pulumi.Output<string[]>;
    /** Isolated (data) subnet ids, one per AZ (databases, caches; no internet route). */
    public readonly isolatedSubnetIds: pulumi.Output<string[]>;
    /** The public route table id (one, shared by the public subnets), as a one-element list. */
    public readonly publicRouteTableIds: pulumi.Output<string[]>;
    /** Private route table ids, one per AZ. */
    public readonly privateRouteTableIds: pulumi.Output<string[]>;
    /** The isolated route table id (one, local route only), as a one-element list. */
    public readonly isolatedRouteTableIds: pulumi.Output<string[]>;
    /** Internet gateway id. */
    public readonly internetGatewayId: pulumi.Output<string>;
    /** NAT gateway ids: one per AZ, one, or none, by `natMode`. */
    public readonly natGatewayIds: pulumi.Output<string[]>;
    /** Public IPs of the NAT gateways (for allow-lists of partners). */
    public readonly natPublicIps: pulumi.Output<string[]>;
    /** Id of the VPC's default security group, taken over with no rules. */
    public readonly defaultSecurityGroupId: pulumi.Output<string>;
    /** Flow log id. */
    public readonly flowLogId: pulumi.Output<string>;
    /** Name of the CloudWatch log group the flow log writes to. */
    public readonly flowLogGroupName: pulumi.Output<string>;
    /** ARN of that log group. */
    public readonly flowLogGroupArn: pulumi.Output<string>;
    /** ARN of the customer-managed KMS key encrypting the flow logs. */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** Id of that KMS key. */
    public readonly kmsKeyId: pulumi.Output<string>;
    /** S3 gateway endpoint id. */
    public readonly s3EndpointId: pulumi.Output<string>;
    /** Interface endpoint ids (empty when `interfaceEndpoints` is false). */
    public readonly interfaceEndpointIds: pulumi.Output<string[]>;
    /** Security group of the interface endpoints; undefined when `interfaceEndpoints` is false. */
    public readonly endpointSecurityGroupId: pulumi.Output<string | undefined>;

    constructor(name: string, args: NetworkArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        // Defaults and validation first: nothing is declared when the args are invalid.
        const cfg = resolveNetworkArgs(name, args);
        super("network", "Network", name, args, opts);
        this.subnetPlan = cfg.plan;
        const plan = cfg.plan;
        const scope = this.childScope();
        const t = args.transform ?? {};
        const env: Environment = {
            partition: aws.getPartitionOutput({}, scope.invokeOpts).partition,
            accountId: aws.getCallerIdentityOutput({}, scope.invokeOpts).accountId,
            region: aws.getRegionOutput({}, scope.invokeOpts).region,
        };
        const zones = this.zones(cfg.availabilityZones, cfg.azCount, scope.invokeOpts);
        const azs = [...Array(cfg.azCount).keys()];

        // VPC, default security group (no rules), internet gateway.
        const vpc = new aws.ec2.Vpc(
            ...applyTransform(
                t.vpc,
                this.childName("vpc"),
                { cidrBlock: plan.vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: this.childTags("vpc") },
                this.childOpts(),
            ),
        );
        const defaultSg = new aws.ec2.DefaultSecurityGroup(
            this.childName("default-sg"),
            { vpcId: vpc.id, ingress: [], egress: [], tags: this.childTags("default-sg") },
            this.childOpts(),
        );
        const igw = new aws.ec2.InternetGateway(this.childName("igw"), { vpcId: vpc.id, tags: this.childTags("igw") }, this.childOpts());

        // Subnets: AZ i takes slot i of each tier. No tier assigns public IPs on launch.
        const subnet = (tier: "public" | "private" | "isolated", i: number, extraTags: Record<string, string>) =>
            new aws.ec2.Subnet(
                ...applyTransform(
                    t.subnet,
                    this.childName(`${tier}-${slot(i)}`),
                    {
                        vpcId: vpc.id,
                        cidrBlock: plan[tier][i],
                        availabilityZone: zones[i],
                        mapPublicIpOnLaunch: false,
                        tags: { ...this.childTags(`${tier}-${slot(i)}`), tier, ...extraTags },
                    },
                    this.childOpts(),
                ),
            );
        const publicSubnets = azs.map((i) => subnet("public", i, { "kubernetes.io/role/elb": "1" }));
        const privateSubnets = azs.map((i) => subnet("private", i, { "kubernetes.io/role/internal-elb": "1" }));
        const isolatedSubnets = azs.map((i) => subnet("isolated", i, {}));

        // Public tier: one route table, default route to the internet gateway.
        const publicRt = new aws.ec2.RouteTable(
            ...applyTransform(
                t.routeTable,
                this.childName("public-rt"),
                { vpcId: vpc.id, tags: this.childTags("public-rt") },
                this.childOpts(),
            ),
        );
        new aws.ec2.Route(
            this.childName("public-internet"),
            { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
            this.childOpts(),
        );
        publicSubnets.forEach((s, i) => this.associate(`public-${slot(i)}`, s, publicRt));

        // NAT gateways (with their Elastic IPs) in the public subnets of the first `natCount` AZs.
        const eips: aws.ec2.Eip[] = [];
        const nats: aws.ec2.NatGateway[] = [];
        for (let i = 0; i < natCount(cfg.natMode, cfg.azCount); i++) {
            const eip = new aws.ec2.Eip(
                this.childName(`nat-eip-${slot(i)}`),
                { domain: "vpc", tags: this.childTags(`nat-eip-${slot(i)}`) },
                this.childOpts({ dependsOn: [igw] }),
            );
            eips.push(eip);
            nats.push(
                new aws.ec2.NatGateway(
                    ...applyTransform(
                        t.natGateway,
                        this.childName(`nat-${slot(i)}`),
                        { allocationId: eip.id, subnetId: publicSubnets[i].id, connectivityType: "public", tags: this.childTags(`nat-${slot(i)}`) },
                        this.childOpts({ dependsOn: [igw] }),
                    ),
                ),
            );
        }

        // Private tier: one route table per AZ; default route via that AZ's NAT (or the single NAT, or none).
        const privateRts = azs.map((i) => {
            const rt = new aws.ec2.RouteTable(
                ...applyTransform(
                    t.routeTable,
                    this.childName(`private-rt-${slot(i)}`),
                    { vpcId: vpc.id, tags: this.childTags(`private-rt-${slot(i)}`) },
                    this.childOpts(),
                ),
            );
            const natIndex = natIndexFor(cfg.natMode, i);
            if (natIndex !== undefined) {
                new aws.ec2.Route(
                    this.childName(`private-internet-${slot(i)}`),
                    { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[natIndex].id },
                    this.childOpts(),
                );
            }
            this.associate(`private-${slot(i)}`, privateSubnets[i], rt);
            return rt;
        });

        // Isolated tier: one route table with only the implicit local route.
        const isolatedRt = new aws.ec2.RouteTable(
            ...applyTransform(
                t.routeTable,
                this.childName("isolated-rt"),
                { vpcId: vpc.id, tags: this.childTags("isolated-rt") },
                this.childOpts(),
            ),
        );
        isolatedSubnets.forEach((s, i) => this.associate(`isolated-${slot(i)}`, s, isolatedRt));

        const flowLogs = declareFlowLogs(scope, env, vpc.id, { retentionDays: cfg.flowLogRetentionDays, protect: cfg.protect }, t);
        const endpoints = declareEndpoints(scope, env.region, {
            vpcId: vpc.id,
            cidrBlock: plan.vpcCidr,
            privateSubnetIds: privateSubnets.map((s) => s.id),
            privateRouteTableIds: privateRts.map((rt) => rt.id),
            interfaceEndpointServices: cfg.interfaceEndpointServices,
        }, t);

        const ids = (resources: { id: pulumi.Output<string> }[]) => pulumi.all(resources.map((r) => r.id));
        this.vpcId = vpc.id;
        this.cidrBlock = pulumi.output(plan.vpcCidr);
        this.availabilityZones = pulumi.all(zones);
        this.publicSubnetIds = ids(publicSubnets);
        this.privateSubnetIds = ids(privateSubnets);
        this.isolatedSubnetIds = ids(isolatedSubnets);
        this.publicRouteTableIds = ids([publicRt]);
        this.privateRouteTableIds = ids(privateRts);
        this.isolatedRouteTableIds = ids([isolatedRt]);
        this.internetGatewayId = igw.id;
        this.natGatewayIds = ids(nats);
        this.nats = nats.map((n, i) => ({ slot: slot(i), natGatewayId: n.id }));
        this.natPublicIps = pulumi.all(eips.map((e) => e.publicIp));
        this.defaultSecurityGroupId = defaultSg.id;
        this.flowLogId = flowLogs.flowLog.id;
        this.flowLogGroupName = flowLogs.logGroup.name;
        this.flowLogGroupArn = flowLogs.logGroup.arn;
        this.kmsKeyArn = flowLogs.key.arn;
        this.kmsKeyId = flowLogs.key.keyId;
        this.s3EndpointId = endpoints.s3.id;
        this.interfaceEndpointIds = ids(Object.values(endpoints.interfaceEndpoints));
        this.endpointSecurityGroupId = endpoints.securityGroup ? endpoints.securityGroup.id : pulumi.output(undefined);

        this.registerOutputs({
            vpcId: this.vpcId,
            cidrBlock: this.cidrBlock,
            availabilityZones: this.availabilityZones,
            publicSubnetIds: this.publicSubnetIds,
            privateSubnetIds: this.privateSubnetIds,
            isolatedSubnetIds: this.isolatedSubnetIds,
            publicRouteTableIds: this.publicRouteTableIds,
            privateRouteTableIds: this.privateRouteTableIds,
            isolatedRouteTableIds: this.isolatedRouteTableIds,
            internetGatewayId: this.internetGatewayId,
            natGatewayIds: this.natGatewayIds,
            natPublicIps: this.natPublicIps,
            defaultSecurityGroupId: this.defaultSecurityGroupId,
            flowLogId: this.flowLogId,
            flowLogGroupName: this.flowLogGroupName,
            flowLogGroupArn: this.flowLogGroupArn,
            kmsKeyArn: this.kmsKeyArn,
            kmsKeyId: this.kmsKeyId,
            s3EndpointId: this.s3EndpointId,
            interfaceEndpointIds: this.interfaceEndpointIds,
            endpointSecurityGroupId: this.endpointSecurityGroupId,
        });
    }

    /**
     * The alarms this network derives from its configuration ({@link networkAlarmSpecs}): port allocation errors per
     * NAT gateway. Pure data; {@link alarms} declares them.
     */
    public alarmSpecs(): AlarmSpec[] {
        return networkAlarmSpecs(this.nats);
    }

    /** Declares the {@link alarmSpecs} as `aws.cloudwatch.MetricAlarm` children notifying `target` on ALARM and OK. */
    public alarms(target: AlarmTarget, opts?: AlarmOptions): aws.cloudwatch.MetricAlarm[] {
        return declareAlarms(this.childScope(), this.alarmSpecs(), target, opts);
    }

    /** AZ names per slot: the given names, or the region's first `count` available (non-opt-in) zones. */
    private zones(given: readonly string[] | undefined, count: number, invokeOpts: pulumi.InvokeOutputOptions): pulumi.Input<string>[] {
        if (given !== undefined) {
            return [...given];
        }
        const names = aws
            .getAvailabilityZonesOutput({ state: "available", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, invokeOpts)
            .names.apply((all) => {
                if (all.length < count) {
                    throw new Error(
                        `Network '${this.baseName}': invalid 'availabilityZoneCount': the region has ${all.length} available AZs (${all.join(", ")}), ${count} asked. ` +
                            `Fix: use at most ${all.length}.`,
                    );
                }
                return all.slice(0, count);
            });
        return [...Array(count).keys()].map((i) => names.apply((n) => n[i]));
    }

    /** Associates a subnet with a route table. */
    private associate(part: string, subnet: aws.ec2.Subnet, routeTable: aws.ec2.RouteTable): aws.ec2.RouteTableAssociation {
        return new aws.ec2.RouteTableAssociation(
            this.childName(`${part}-rta`),
            { subnetId: subnet.id, routeTableId: routeTable.id },
            this.childOpts(),
        );
    }
}
