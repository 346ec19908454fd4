import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { runPulumi } from "../support/pulumi";

describe("mock engine", () => {
    it("records parents, dependencies and inputs, hiding secrets", async () => {
        // GIVEN a program with a dependency edge and a secret input
        const g = await runPulumi(() => {
            const vpc = new aws.ec2.Vpc("v", { cidrBlock: "10.0.0.0/16" });
            new aws.ec2.SecurityGroup("sg", { vpcId: vpc.id, tags: { token: pulumi.secret("s3cr3t-value") } });
            return { vpcId: vpc.id, token: pulumi.secret("s3cr3t-value") };
        });
        // THEN the security group depends on the VPC through vpcId
        const vpc = g.one("aws:ec2/vpc:Vpc");
        const sg = g.one("aws:ec2/securityGroup:SecurityGroup");
        expect(vpc.outputs.id).toMatch(/^vpc-[0-9a-f]{17}$/);
        expect(sg.inputs.vpcId).toBe(vpc.outputs.id);
        expect(sg.propertyDependencies.vpcId).toEqual([vpc.urn]);
        expect(sg.parent).toBe(g.one("pulumi:pulumi:Stack").urn);
        // AND no secret value is recorded anywhere
        expect(JSON.stringify({ r: g.resources.map(({ raw: _raw, ...r }) => r), o: g.outputs })).not.toContain("s3cr3t-value");
        expect(g.outputs).toEqual({ vpcId: vpc.outputs.id, token: "[secret]" });
    });

    it("fails the run on a data source it does not know", async () => {
        await expect(runPulumi(() => aws.ec2.getAmiOutput({ owners: ["amazon"], mostRecent: true }).id)).rejects.toThrow(/aws:ec2\/getAmi:getAmi/);
    });

    it("runs programs one after another with separate stacks", async () => {
        const a = await runPulumi(() => void new aws.sqs.Queue("a"), { stack: "one" });
        const b = await runPulumi(() => void new aws.sqs.Queue("b"), { stack: "two" });
        expect(a.resources.map((r) => r.urn)).toContain("urn:pulumi:one::groundwork::aws:sqs/queue:Queue::a");
        expect(b.resources.map((r) => r.name)).toEqual(["groundwork-two", "b"]);
    });
});

describe("mock engine: URNs as the real engine makes them", () => {
    it("qualifies a child's type by its parent's whole qualified type, never by the root stack", async () => {
        // GIVEN a component inside a component, with a queue inside the inner one
        const g = await runPulumi(() => {
            const outer = new pulumi.ComponentResource("test:index:Outer", "outer");
            const inner = new pulumi.ComponentResource("test:index:Inner", "inner", {}, { parent: outer });
            new aws.sqs.Queue("q", {}, { parent: inner });
        });
        // THEN the URNs are those `pulumi stack export` shows (pulumi/pulumi resource.NewURN)
        expect(g.resources.map((r) => r.urn)).toEqual([
            "urn:pulumi:test::groundwork::pulumi:pulumi:Stack::groundwork-test",
            "urn:pulumi:test::groundwork::test:index:Outer::outer",
            "urn:pulumi:test::groundwork::test:index:Outer$test:index:Inner::inner",
            "urn:pulumi:test::groundwork::test:index:Outer$test:index:Inner$aws:sqs/queue:Queue::q",
        ]);
    });
});

describe("mock engine: additionalSecretOutputs", () => {
    it("marks the outputs a resource declares secret, as the provider would return them", async () => {
        const random = await import("@pulumi/random");
        const g = await runPulumi(() => void new random.RandomPassword("pw", { length: 24 }));
        const pw = g.one("random:index/randomPassword:RandomPassword");
        expect(pw.outputs.result).toBe("[secret]");
        expect(JSON.stringify(pw.outputs)).not.toContain("x".repeat(24));
    });
});
