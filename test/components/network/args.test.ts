import { ArgumentError } from "../../../components/base";
import { natCount, natIndexFor, NetworkArgs, resolveNetworkArgs } from "../../../components/network/args";

describe("resolveNetworkArgs: defaults", () => {
    test("no args: 10.0.0.0/16 over 3 looked-up AZs, NAT per AZ, interface endpoints, 365-day logs, protected", () => {
        const r = resolveNetworkArgs("net");
        expect(r).toMatchObject({
            cidrBlock: "10.0.0.0/16",
            availabilityZones: undefined,
            azCount: 3,
            natMode: "perAz",
            interfaceEndpoints: true,
            flowLogRetentionDays: 365,
            protect: true,
        });
        expect(r.plan.public).toHaveLength(3);
    });

    test("interface endpoints: all by default, none when off, or exactly the listed ones", () => {
        expect(resolveNetworkArgs("net").interfaceEndpointServices).toEqual(["ecr.api", "ecr.dkr", "sts", "secretsmanager", "sqs", "logs"]);
        expect(resolveNetworkArgs("net", { interfaceEndpoints: false })).toMatchObject({ interfaceEndpoints: false, interfaceEndpointServices: [] });
        expect(resolveNetworkArgs("net", { interfaceEndpointServices: ["sts", "sqs", "sts"] })).toMatchObject({ interfaceEndpoints: true, interfaceEndpointServices: ["sts", "sqs"] });
    });

    test("the AZ count follows the explicit zones", () => {
        expect(resolveNetworkArgs("net", { availabilityZones: ["eu-west-1a", "eu-west-1b"] }).azCount).toBe(2);
    });
});

describe("resolveNetworkArgs: invalid args throw an ArgumentError naming the field and the fix", () => {
    test.each<[string, NetworkArgs, string, RegExp]>([
        ["CIDR not IPv4", { cidrBlock: "10.0.0/16" }, "cidrBlock", /is not an IPv4 CIDR block/],
        ["CIDR host bits", { cidrBlock: "10.0.3.0/16" }, "cidrBlock", /not aligned/],
        ["VPC too small", { cidrBlock: "10.0.0.0/28" }, "cidrBlock", /too small/],
        ["public range", { cidrBlock: "52.0.0.0/16" }, "cidrBlock", /private range/],
        ["AZ count 1", { availabilityZoneCount: 1 }, "availabilityZoneCount", /from 2 to 6/],
        ["AZ count 2.5", { availabilityZoneCount: 2.5 }, "availabilityZoneCount", /whole number/],
        ["count and zones disagree", { availabilityZoneCount: 3, availabilityZones: ["a", "b"] }, "availabilityZones", /2 zones given but availabilityZoneCount is 3/],
        ["duplicate zones", { availabilityZones: ["us-east-1a", "us-east-1a"] }, "availabilityZones", /distinct/],
        ["NAT mode", { natMode: "many" as any }, "natMode", /'many' is not a NAT mode.*perAz, single, none/],
        ["retention", { flowLogRetentionDays: 10 }, "flowLogRetentionDays", /10 is not a CloudWatch Logs retention value/],
        ["retention 0", { flowLogRetentionDays: 0 }, "flowLogRetentionDays", /use one of 1, 3, 5/],
        ["unknown endpoint", { interfaceEndpointServices: ["dynamodb"] }, "interfaceEndpointServices", /'dynamodb' is not an endpoint the Network creates.*sts, secretsmanager, sqs/],
        ["endpoints listed but switched off", { interfaceEndpoints: false, interfaceEndpointServices: ["sts"] }, "interfaceEndpointServices", /listed while interfaceEndpoints is false/],
    ])("%s", (_title, args, field, problem) => {
        let err: unknown;
        try {
            resolveNetworkArgs("net", args);
        } catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(ArgumentError);
        expect((err as Error).message).toContain(`Network 'net': invalid '${field}'`);
        expect((err as Error).message).toMatch(problem);
        expect((err as Error).message).toContain("Fix: ");
    });
});

describe("NAT placement", () => {
    test.each<["perAz" | "single" | "none", number, number, (number | undefined)[]]>([
        ["perAz", 3, 3, [0, 1, 2]],
        ["single", 3, 1, [0, 0, 0]],
        ["none", 2, 0, [undefined, undefined]],
    ])("%s over %d AZs: %d NAT gateways, AZ i routes via %j", (mode, azs, count, routes) => {
        expect(natCount(mode, azs)).toBe(count);
        expect([...Array(azs).keys()].map((i) => natIndexFor(mode, i))).toEqual(routes);
    });
});
