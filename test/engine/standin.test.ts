import { changedKeys, checkInputs, K8S_AUTONAMED, parseUrn, resourceOutputs, sameValue } from "../../tools/engine/standin/provider";
import { compareViolations, ParityContext, ParityKey } from "../../tools/engine/parity";
import { autoName, UNKNOWN } from "../../tools/plan/mocks";

// The stand-in provider is a test double of the real aws/random/kubernetes providers (tools/engine/standin): these
// tests pin what it promises the engine, since the real-engine run relies on it.
describe("stand-in provider: Check", () => {
    it("names an AWS resource as the provider would, and keeps the name an earlier Check chose", () => {
        const type = "aws:sqs/queue:Queue";
        expect(checkInputs("aws", type, "jobs", {}, {})).toEqual({ name: autoName(type, "jobs") });
        expect(checkInputs("aws", type, "jobs", {}, { name: "jobs-kept01" })).toEqual({ name: "jobs-kept01" });
        expect(checkInputs("aws", type, "jobs", { name: "explicit" }, {})).toEqual({ name: "explicit" });
        expect(checkInputs("aws", type, "jobs", { namePrefix: "jobs-" }, {})).toEqual({ namePrefix: "jobs-" });
        // a type without a name property gets none
        expect(checkInputs("aws", "aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" }, {})).toEqual({ cidrBlock: "10.0.0.0/16" });
    });

    it("autonames a Kubernetes object with the annotation pulumi-kubernetes uses, and adopts an old autoname", () => {
        const type = "kubernetes:batch/v1:Job";
        const first = checkInputs("kubernetes", type, "migrate", { metadata: { namespace: "app" } }, {});
        expect(first.metadata).toEqual({ namespace: "app", name: expect.stringMatching(/^migrate-[0-9a-f]{8}$/), annotations: { [K8S_AUTONAMED]: "true" } });
        const again = checkInputs("kubernetes", type, "migrate", { metadata: { namespace: "app" } }, { metadata: { name: "migrate-0badc0de", annotations: { [K8S_AUTONAMED]: "true" } } });
        expect(again.metadata.name).toBe("migrate-0badc0de");
        expect(checkInputs("kubernetes", type, "migrate", { metadata: { name: "fixed" } }, {}).metadata).toEqual({ name: "fixed" });
        expect(checkInputs("kubernetes", "kubernetes:helm.sh/v3:Release", "keda", { chart: "keda" }, {})).toEqual({ chart: "keda" });
    });
});

describe("stand-in provider: Diff", () => {
    it.each<[string, Record<string, any>, Record<string, any>, string[], string[]]>([
        ["equal inputs", { a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 2] } }, [], []],
        ["a changed nested value", { a: 1, b: { c: [1, 2] } }, { a: 1, b: { c: [1, 3] } }, [], ["b"]],
        ["an added key", { a: 1 }, { a: 1, b: 2 }, [], ["b"]],
        ["a removed key", { a: 1, b: 2 }, { a: 1 }, [], ["b"]],
        ["null and absent are the same", { a: 1, b: null }, { a: 1 }, [], []],
        ["an ignored nested path", { s: { desiredSize: 2, max: 3 } }, { s: { desiredSize: 5, max: 3 } }, ["s.desiredSize"], []],
        ["an ignored path does not hide other changes", { s: { desiredSize: 2, max: 3 } }, { s: { desiredSize: 5, max: 4 } }, ["s.desiredSize"], ["s"]],
        ["an ignored array element path", { rules: [{ a: 1 }, { a: 2 }] }, { rules: [{ a: 1 }, { a: 9 }] }, ["rules[1].a"], []],
    ])("%s", (_label, olds, news, ignore, expected) => {
        expect(changedKeys(olds, news, ignore)).toEqual(expected);
    });

    it("compares arrays by position and length", () => {
        expect(sameValue([1, 2], [1, 2])).toBe(true);
        expect(sameValue([1, 2], [2, 1])).toBe(false);
        expect(sameValue([1], [1, undefined])).toBe(false);
    });
});

describe("stand-in provider: Create", () => {
    it("in a preview, reports every computed output unknown and keeps the known inputs", () => {
        const { id, outs } = resourceOutputs("aws", "aws:sqs/queue:Queue", "jobs", { name: "jobs-1", kmsMasterKeyId: UNKNOWN }, "us-east-1", true);
        expect(id).toBe("");
        expect(outs).toMatchObject({ name: "jobs-1", arn: UNKNOWN, url: UNKNOWN, kmsMasterKeyId: UNKNOWN });
    });

    it("outside a preview, returns the mock engine's ids and ARNs (one table for both)", () => {
        const { id, outs } = resourceOutputs("aws", "aws:sqs/queue:Queue", "jobs", { name: "jobs-1" }, "eu-west-1", false);
        expect(id).toBe("https://sqs.eu-west-1.amazonaws.com/123456789012/jobs-1");
        expect(outs.arn).toBe("arn:aws:sqs:eu-west-1:123456789012:jobs-1");
    });

    it("reads type and name from URNs, nested parents included", () => {
        expect(parseUrn("urn:pulumi:dev::groundwork::groundwork:cluster:Cluster$aws:eks/cluster:Cluster::cluster-eks")).toEqual({ type: "aws:eks/cluster:Cluster", name: "cluster-eks" });
        expect(parseUrn("urn:pulumi:dev::groundwork::aws:sqs/queue:Queue::jobs")).toEqual({ type: "aws:sqs/queue:Queue", name: "jobs" });
    });
});

const PREVIEW: ParityContext = { phase: "preview", engineFailed: false };

describe("parity of offline and engine findings", () => {
    const urn = "urn:pulumi:dev::groundwork::aws:iam/rolePolicy:RolePolicy::p";
    const finding = (policy: string, level = "mandatory", message = "bad"): ParityKey => ({ policy, urn, enforcementLevel: level, message });
    const cantRun = (policy: string) => finding(policy, "advisory", `can't run policy '${policy}' from policy pack 'groundwork-security@v0.1.0' during preview: string value at .policy can't be known during preview`);

    it("matches findings by policy, resource and level, whatever their messages say", () => {
        expect(compareViolations([finding("a", "mandatory", "one wording")], [finding("a", "mandatory", "another wording")], PREVIEW, [])).toEqual({ explained: [], unexplained: [] });
    });

    it("tells a 'can't run during preview' advisory from an advisory finding of the same policy", () => {
        const { unexplained } = compareViolations([finding("a", "advisory")], [cantRun("a")], PREVIEW, []);
        expect(unexplained.map((d) => [d.side, d.policy])).toEqual([
            ["offline", "a"],
            ["engine", "a"],
        ]);
    });

    it("explains only the stack rules' findings that a failed up never reached", () => {
        // GIVEN the offline plan's stack-rule finding and resource-rule finding, and an up that stopped at the latter
        const stackFinding = { ...finding("aws-vpc-vpc-enable-flow-logs"), urn: "urn:pulumi:dev::groundwork::aws:ec2/vpc:Vpc::v" };
        const offline = [stackFinding, finding("aws-ec2-securitygroup-disallow-world-ssh-rdp")];
        const engine = [finding("aws-ec2-securitygroup-disallow-world-ssh-rdp")];
        // THEN the missing stack finding is explained when up failed, and not otherwise
        expect(compareViolations(offline, engine, { phase: "up", engineFailed: true }).unexplained).toEqual([]);
        expect(compareViolations(offline, engine, { phase: "up", engineFailed: false }).unexplained.map((d) => d.policy)).toEqual(["aws-vpc-vpc-enable-flow-logs"]);
        expect(compareViolations(offline, engine, { phase: "preview", engineFailed: true }).unexplained.map((d) => d.policy)).toEqual(["aws-vpc-vpc-enable-flow-logs"]);
        // ... and never a resource rule's finding missing from the engine
        expect(compareViolations([finding("aws-ec2-securitygroup-disallow-world-ssh-rdp")], [], { phase: "up", engineFailed: true }).unexplained).toHaveLength(1);
    });
});
