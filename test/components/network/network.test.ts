import { ArgumentError } from "../../../components/base";
import { INTERFACE_ENDPOINT_SERVICES, Network, NetworkArgs } from "../../../components/network";
import { Graph, RecordedResource, runPulumi } from "../../support/pulumi";

const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    rt: "aws:ec2/routeTable:RouteTable",
    route: "aws:ec2/route:Route",
    rta: "aws:ec2/routeTableAssociation:RouteTableAssociation",
    igw: "aws:ec2/internetGateway:InternetGateway",
    nat: "aws:ec2/natGateway:NatGateway",
    eip: "aws:ec2/eip:Eip",
    defaultSg: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
    flowLog: "aws:ec2/flowLog:FlowLog",
    logGroup: "aws:cloudwatch/logGroup:LogGroup",
    key: "aws:kms/key:Key",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};

/** Builds a Network under the mock engine and returns the graph (outputs = the component's outputs). */
async function build(args: NetworkArgs, stack = "test"): Promise<Graph> {
    return runPulumi(
        () => {
            const n = new Network("net", args);
            return {
                vpcId: n.vpcId,
                cidrBlock: n.cidrBlock,
                availabilityZones: n.availabilityZones,
                publicSubnetIds: n.publicSubnetIds,
                privateSubnetIds: n.privateSubnetIds,
                isolatedSubnetIds: n.isolatedSubnetIds,
                publicRouteTableIds: n.publicRouteTableIds,
                privateRouteTableIds: n.privateRouteTableIds,
                isolatedRouteTableIds: n.isolatedRouteTableIds,
                natGatewayIds: n.natGatewayIds,
                flowLogGroupName: n.flowLogGroupName,
                flowLogGroupArn: n.flowLogGroupArn,
                kmsKeyArn: n.kmsKeyArn,
                kmsKeyId: n.kmsKeyId,
                endpointSecurityGroupId: n.endpointSecurityGroupId,
                interfaceEndpointIds: n.interfaceEndpointIds,
            };
        },
        { stack },
    );
}

/** The single URN an input property depends on (the resource it references). */
function ref(r: RecordedResource, prop: string): string {
    const deps = r.propertyDependencies[prop] ?? [];
    if (deps.length !== 1) throw new Error(`${r.name}.${prop} depends on ${deps.length} resources`);
    return deps[0];
}
const urnOf = (g: Graph, name: string) => g.named(name).urn;
const idOf = (g: Graph, name: string) => g.named(name).outputs.id;

const PROD: NetworkArgs = { cidrBlock: "10.20.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], natMode: "perAz" };
const DEV: NetworkArgs = { cidrBlock: "10.10.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"], natMode: "single", interfaceEndpoints: false, flowLogRetentionDays: 30, protect: false };

describe("Network, prod-like (3 AZs, NAT per AZ, interface endpoints)", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await build(PROD);
    });

    test("a VPC with DNS support and hostnames, and 9 subnets in 3 AZs with the planned blocks", () => {
        expect(g.one(T.vpc).inputs).toMatchObject({ cidrBlock: "10.20.0.0/16", enableDnsSupport: true, enableDnsHostnames: true });
        expect(g.byType(T.subnet)).toHaveLength(9);
        expect(g.named("net-private-b").inputs).toMatchObject({ cidrBlock: "10.20.32.0/19", availabilityZone: "us-east-1b" });
        expect(g.named("net-public-c").inputs).toMatchObject({ cidrBlock: "10.20.160.0/20", availabilityZone: "us-east-1c" });
        expect(g.named("net-isolated-a").inputs).toMatchObject({ cidrBlock: "10.20.192.0/20", availabilityZone: "us-east-1a" });
        for (const s of g.byType(T.subnet)) {
            expect(s.inputs.mapPublicIpOnLaunch).toBe(false);
            expect(ref(s, "vpcId")).toBe(urnOf(g, "net-vpc"));
        }
    });

    test("each subnet uses its tier's route table: public shared, private per AZ, isolated shared", () => {
        // GIVEN the associations, keyed by subnet
        const tableOf = (subnet: string) => {
            const assoc = g.byType(T.rta).filter((a) => ref(a, "subnetId") === urnOf(g, subnet));
            expect(assoc).toHaveLength(1);
            return g.byUrn(ref(assoc[0], "routeTableId")).name;
        };
        // THEN
        expect(["a", "b", "c"].map((s) => tableOf(`net-public-${s}`))).toEqual(["net-public-rt", "net-public-rt", "net-public-rt"]);
        expect(["a", "b", "c"].map((s) => tableOf(`net-private-${s}`))).toEqual(["net-private-rt-a", "net-private-rt-b", "net-private-rt-c"]);
        expect(["a", "b", "c"].map((s) => tableOf(`net-isolated-${s}`))).toEqual(["net-isolated-rt", "net-isolated-rt", "net-isolated-rt"]);
        expect(g.byType(T.rta)).toHaveLength(9);
    });

    test("the public table routes 0.0.0.0/0 to the internet gateway of this VPC", () => {
        const route = g.named("net-public-internet");
        expect(route.inputs).toMatchObject({ destinationCidrBlock: "0.0.0.0/0", gatewayId: idOf(g, "net-igw") });
        expect(ref(route, "routeTableId")).toBe(urnOf(g, "net-public-rt"));
        expect(ref(g.one(T.igw), "vpcId")).toBe(urnOf(g, "net-vpc"));
    });

    test("each private table routes 0.0.0.0/0 to the NAT gateway of its own AZ, which sits in that AZ's public subnet", () => {
        for (const s of ["a", "b", "c"]) {
            const route = g.named(`net-private-internet-${s}`);
            expect(ref(route, "routeTableId")).toBe(urnOf(g, `net-private-rt-${s}`));
            expect(ref(route, "natGatewayId")).toBe(urnOf(g, `net-nat-${s}`));
            expect(route.inputs.destinationCidrBlock).toBe("0.0.0.0/0");
            const nat = g.named(`net-nat-${s}`);
            expect(ref(nat, "subnetId")).toBe(urnOf(g, `net-public-${s}`));
            expect(ref(nat, "allocationId")).toBe(urnOf(g, `net-nat-eip-${s}`));
            expect(nat.inputs.connectivityType).toBe("public");
            expect(g.named(`net-nat-eip-${s}`).inputs.domain).toBe("vpc");
        }
        expect(g.byType(T.nat)).toHaveLength(3);
    });

    test("the isolated table has no route at all (only the implicit local route), so no 0.0.0.0/0", () => {
        const isolatedRt = urnOf(g, "net-isolated-rt");
        expect(g.byType(T.route).filter((r) => ref(r, "routeTableId") === isolatedRt)).toEqual([]);
        expect(g.named("net-s3-endpoint").propertyDependencies.routeTableIds).not.toContain(isolatedRt);
        expect(g.byType(T.route)).toHaveLength(4);
    });

    test("the default security group is taken over with no ingress and no egress", () => {
        const sg = g.one(T.defaultSg);
        expect(sg.inputs.ingress).toEqual([]);
        expect(sg.inputs.egress).toEqual([]);
        expect(ref(sg, "vpcId")).toBe(urnOf(g, "net-vpc"));
    });

    test("the flow log captures ALL traffic of the VPC into the log group, using the flow-log role", () => {
        const fl = g.one(T.flowLog);
        expect(fl.inputs).toMatchObject({ trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: g.one(T.logGroup).outputs.arn });
        expect(ref(fl, "vpcId")).toBe(urnOf(g, "net-vpc"));
        expect(ref(fl, "logDestination")).toBe(urnOf(g, "net-flow-logs"));
        expect(ref(fl, "iamRoleArn")).toBe(urnOf(g, "net-flow-logs-role"));
        expect(fl.dependencies).toContain(urnOf(g, "net-flow-logs-write"));
    });

    test("the log group keeps 365 days, is encrypted with the rotated customer-managed key, and both are protected", () => {
        const lg = g.one(T.logGroup);
        const key = g.one(T.key);
        expect(lg.inputs).toMatchObject({ name: "/groundwork/test/net/vpc-flow-logs", retentionInDays: 365, kmsKeyId: key.outputs.arn });
        expect(ref(lg, "kmsKeyId")).toBe(key.urn);
        expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
        for (const r of [lg, key]) expect([r.protect, r.retainOnDelete]).toEqual([true, true]);
    });

    test("the key policy admits the account root and CloudWatch Logs for this log group only", () => {
        const policy = JSON.parse(g.one(T.key).inputs.policy);
        expect(policy.Statement.map((s: any) => s.Principal)).toEqual([{ AWS: "arn:aws:iam::123456789012:root" }, { Service: "logs.us-east-1.amazonaws.com" }]);
        expect(policy.Statement[1].Condition.ArnEquals["kms:EncryptionContext:aws:logs:arn"]).toBe(g.one(T.logGroup).outputs.arn);
    });

    test("the flow-log role trusts only VPC Flow Logs of this account and may write only to this log group", () => {
        const trust = JSON.parse(g.one(T.role).inputs.assumeRolePolicy);
        expect(trust.Statement[0].Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
        expect(trust.Statement[0].Condition.StringEquals).toEqual({ "aws:SourceAccount": "123456789012" });
        const rp = g.one(T.rolePolicy);
        expect(ref(rp, "role")).toBe(urnOf(g, "net-flow-logs-role"));
        const doc = JSON.parse(rp.inputs.policy);
        const arn = g.one(T.logGroup).outputs.arn;
        expect(doc.Statement[0].Resource).toEqual([arn, `${arn}:log-stream:*`]);
    });

    test("interface endpoints sit in the private subnets behind their own security group (443 from the VPC only)", () => {
        const sg = g.named("net-endpoints-sg");
        expect(sg.inputs.ingress).toEqual([{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.20.0.0/16"] }]);
        expect(sg.inputs.egress).toEqual([]);
        const privateSubnetIds = ["a", "b", "c"].map((s) => idOf(g, `net-private-${s}`));
        const interfaces = g.byType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(interfaces.map((e) => e.inputs.serviceName).sort()).toEqual(INTERFACE_ENDPOINT_SERVICES.map((s) => `com.amazonaws.us-east-1.${s}`).sort());
        for (const e of interfaces) {
            expect(e.inputs).toMatchObject({ privateDnsEnabled: true, subnetIds: privateSubnetIds, securityGroupIds: [sg.outputs.id] });
            expect(ref(e, "vpcId")).toBe(urnOf(g, "net-vpc"));
        }
    });

    test("the S3 gateway endpoint is routed from the private tables", () => {
        const s3 = g.named("net-s3-endpoint");
        expect(s3.inputs).toMatchObject({ serviceName: "com.amazonaws.us-east-1.s3", vpcEndpointType: "Gateway" });
        expect(s3.inputs.routeTableIds).toEqual(["a", "b", "c"].map((s) => idOf(g, `net-private-rt-${s}`)));
    });

    test("every child is parented to the component and every taggable child carries project, stack, component and Name", () => {
        const component = g.one("groundwork:network:Network");
        const children = g.resources.filter((r) => r.custom);
        const untaggable = [T.route, T.rta, T.rolePolicy];
        for (const r of children) {
            expect(r.parent).toBe(component.urn);
            if (untaggable.includes(r.type)) continue;
            expect(r.inputs.tags).toMatchObject({ project: "groundwork", stack: "test", component: "network/Network", Name: r.name });
        }
    });

    test("outputs: ids per tier in AZ order, 3 NAT gateways, the key and log group, the endpoint security group", () => {
        const o = g.outputs;
        expect(o.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
        expect(o.cidrBlock).toBe("10.20.0.0/16");
        expect(o.privateSubnetIds).toEqual(["a", "b", "c"].map((s) => idOf(g, `net-private-${s}`)));
        expect(o.isolatedRouteTableIds).toEqual([idOf(g, "net-isolated-rt")]);
        expect(o.natGatewayIds).toHaveLength(3);
        expect(o.flowLogGroupName).toBe("/groundwork/test/net/vpc-flow-logs");
        expect(o.kmsKeyArn).toBe(g.one(T.key).outputs.arn);
        expect(o.endpointSecurityGroupId).toBe(idOf(g, "net-endpoints-sg"));
        expect(o.interfaceEndpointIds).toHaveLength(INTERFACE_ENDPOINT_SERVICES.length);
    });
});

describe("Network, dev-like (2 AZs, single NAT, no interface endpoints, unprotected)", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await build(DEV, "dev");
    });

    test("2 AZs, 6 subnets, 1 NAT gateway in the first public subnet, both private tables route through it", () => {
        expect(g.byType(T.subnet)).toHaveLength(6);
        expect(g.byType(T.nat)).toHaveLength(1);
        expect(g.byType(T.eip)).toHaveLength(1);
        expect(ref(g.named("net-nat-a"), "subnetId")).toBe(urnOf(g, "net-public-a"));
        for (const s of ["a", "b"]) {
            expect(ref(g.named(`net-private-internet-${s}`), "natGatewayId")).toBe(urnOf(g, "net-nat-a"));
        }
    });

    test("no interface endpoints and no endpoint security group; the S3 gateway endpoint stays", () => {
        expect(g.byType(T.sg)).toEqual([]);
        expect(g.byType(T.endpoint).map((e) => e.inputs.vpcEndpointType)).toEqual(["Gateway"]);
        expect(g.outputs.endpointSecurityGroupId).toBeUndefined();
        expect(g.outputs.interfaceEndpointIds).toEqual([]);
    });

    test("unprotected: no protect/retainOnDelete, 7-day key deletion window, 30-day retention", () => {
        const key = g.one(T.key);
        const lg = g.one(T.logGroup);
        expect([key.protect, key.retainOnDelete, lg.protect, lg.retainOnDelete]).toEqual([false, false, false, false]);
        expect(key.inputs.deletionWindowInDays).toBe(7);
        expect(lg.inputs.retentionInDays).toBe(30);
        expect(key.inputs.enableKeyRotation).toBe(true);
    });
});

describe("Network, other shapes", () => {
    test("natMode none: no NAT, no Elastic IP, no default route in the private tables", async () => {
        const g = await build({ ...DEV, natMode: "none" });
        expect(g.byType(T.nat)).toEqual([]);
        expect(g.byType(T.eip)).toEqual([]);
        expect(g.byType(T.route).map((r) => r.name)).toEqual(["net-public-internet"]);
    });

    test("without explicit zones, the region's first N available zones are looked up", async () => {
        const g = await build({ availabilityZoneCount: 4 });
        expect(["a", "b", "c", "d"].map((s) => g.named(`net-private-${s}`).inputs.availabilityZone)).toEqual(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]);
        expect(g.outputs.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"]);
    });

    test("invalid args throw an ArgumentError before anything is declared, not even the component", async () => {
        // GIVEN a VPC too small for the layout
        let caught: unknown;
        const g = await runPulumi(() => {
            try {
                new Network("net", { cidrBlock: "10.0.0.0/28" });
            } catch (e) {
                caught = e;
            }
        });
        // THEN the error names the field, and the graph holds only the stack
        expect(caught).toBeInstanceOf(ArgumentError);
        expect((caught as Error).message).toMatch(/^Network 'net': invalid 'cidrBlock': '10\.0\.0\.0\/28' is too small/);
        expect(g.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });
});

describe("Network with only the listed interface endpoints (interfaceEndpointServices)", () => {
    it("declares exactly those endpoints, with private DNS, behind the one HTTPS-from-the-VPC security group", async () => {
        const g = await runPulumi(() => new Network("net", { ...DEV, interfaceEndpoints: undefined, interfaceEndpointServices: ["sts", "sqs"] }));
        const interfaces = g.byType(T.endpoint).filter((e) => e.inputs.vpcEndpointType === "Interface");
        expect(interfaces.map((e) => e.inputs.serviceName).sort()).toEqual(["com.amazonaws.us-east-1.sqs", "com.amazonaws.us-east-1.sts"]);
        const sg = g.one(T.sg);
        for (const e of interfaces) {
            expect(e.inputs.privateDnsEnabled).toBe(true);
            expect(e.inputs.securityGroupIds).toEqual([sg.outputs.id]);
        }
        expect(sg.inputs.ingress).toEqual([expect.objectContaining({ fromPort: 443, toPort: 443, cidrBlocks: ["10.10.0.0/16"] })]);
    });
});
