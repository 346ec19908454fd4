import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Cluster, ClusterArgs } from "../../../components/cluster";
import { autoscalingServiceRoleArn, clusterKeyPolicy } from "../../../components/cluster/keyPolicy";
import { checkedKeyPolicy, KmsKey, wildcardPrincipalStatements } from "../../../components/secrets/kmsKey";
import { MOCK_ACCOUNT_ID } from "../../../tools/plan/mocks";
import { Graph, runPulumi } from "../../support/pulumi";

// The registration requests carry the `aliases` option, which the recorded graph leaves out: note them by name.
const { MockMonitor } = require("@pulumi/pulumi/runtime/mocks");
interface AliasSpec {
    name: string;
    type: string;
    stack: string;
    project: string;
    parenturn: string;
}
const aliasesByName = new Map<string, AliasSpec[]>();
const original = MockMonitor.prototype.registerResource;
beforeAll(() => {
    MockMonitor.prototype.registerResource = function (req: any, callback: unknown) {
        aliasesByName.set(req.getName(), (req.toObject().aliasesList ?? []).map((a: { spec: AliasSpec }) => a.spec));
        return original.call(this, req, callback);
    };
});
afterAll(() => {
    MockMonitor.prototype.registerResource = original;
});

/** The URN an alias spec stands for, by the engine's rule: the parent's qualified type, `$`, the type, `::`, the name. */
function aliasUrn(spec: AliasSpec, child: { type: string }, stack: string, project = "groundwork"): string {
    const parentType = spec.parenturn.split("::")[2];
    const type = spec.type || child.type;
    return `urn:pulumi:${spec.stack || stack}::${spec.project || project}::${parentType && parentType !== "pulumi:pulumi:Stack" ? `${parentType}$` : ""}${type}::${spec.name}`;
}

let registered = new Map<string, AliasSpec[]>();
const base: ClusterArgs = { vpcId: "vpc-0123", vpcCidrBlock: "10.0.0.0/16", privateSubnetIds: ["subnet-a", "subnet-b"], adminRoleArns: ["arn:aws:iam::123456789012:role/platform-admin"] };

describe("Cluster key: a KmsKey that adopts the raw key of earlier versions", () => {
    let g: Graph;
    let before: Graph;
    beforeAll(async () => {
        g = await runPulumi(() => {
            new Cluster("platform", base);
        });
        registered = new Map(aliasesByName);
        // The shape earlier versions declared: the key and its alias straight under the Cluster component.
        before = await runPulumi(() => {
            class EarlierCluster extends pulumi.ComponentResource {
                constructor() {
                    super("groundwork:cluster:Cluster", "platform");
                    const key = new aws.kms.Key("platform-key", {}, { parent: this });
                    new aws.kms.Alias("platform-key-alias", { name: "alias/eks/groundwork-test-platform", targetKeyId: key.keyId }, { parent: this });
                }
            }
            new EarlierCluster();
        });
    });
    const key = () => g.one("aws:kms/key:Key");
    const alias = () => g.one("aws:kms/alias:Alias");
    const clusterUrn = () => g.one("groundwork:cluster:Cluster").urn;

    it("declares the key and its alias inside a KmsKey component, child of the Cluster", () => {
        const kms = g.byUrn(key().parent!);
        expect(kms.type).toBe("groundwork:secrets:KmsKey");
        expect(kms.name).toBe("platform-key");
        expect(kms.parent).toBe(clusterUrn());
        expect(alias().parent).toBe(kms.urn);
        expect(key().name).toBe("platform-key-key");
    });

    it("aliases the key and its alias to the URNs they had as raw children of the Cluster, so neither is replaced", () => {
        const keySpecs = registered.get(key().name)!;
        expect(keySpecs).toEqual([expect.objectContaining({ name: "platform-key", parenturn: clusterUrn(), type: "" })]);
        expect(keySpecs.map((s) => aliasUrn(s, key(), "test"))).toEqual([before.one("aws:kms/key:Key").urn]);
        const aliasSpecs = registered.get(alias().name)!;
        expect(aliasSpecs.map((s) => aliasUrn(s, alias(), "test"))).toEqual([before.one("aws:kms/alias:Alias").urn]);
        // The URNs changed, which is why the aliases are needed at all.
        expect(key().urn).not.toBe(before.one("aws:kms/key:Key").urn);
    });

    it("keeps the key's settings: the cluster key policy (with the Auto Scaling service-linked role), alias name, rotation, deletion window, protection", () => {
        const region = "us-east-1";
        const expected = clusterKeyPolicy({ partition: "aws", accountId: MOCK_ACCOUNT_ID, region, logGroupName: "/aws/eks/groundwork-test-platform/cluster" });
        expect(JSON.parse(key().inputs.policy)).toEqual(expected);
        const asg = expected.Statement.find((s) => s.Sid === "AutoScalingEncryptsNodeVolumes")!;
        expect(asg.Condition).toEqual({ ArnEquals: { "aws:PrincipalArn": autoscalingServiceRoleArn("aws", MOCK_ACCOUNT_ID) } });
        expect(key().inputs).toMatchObject({ description: "EKS groundwork-test-platform: Kubernetes secrets, control-plane logs, node volumes", enableKeyRotation: true, deletionWindowInDays: 30 });
        expect(alias().inputs).toMatchObject({ name: "alias/eks/groundwork-test-platform", targetKeyId: key().outputs.keyId });
        expect([key().protect, key().retainOnDelete]).toEqual([true, true]);
        expect(registered.get("platform-logs")).toEqual([]); // only the moved resources carry aliases
    });

    it("still encrypts the secrets, the log group and the node volumes with that key", () => {
        expect(g.one("aws:eks/cluster:Cluster").inputs.encryptionConfig.provider.keyArn).toBe(key().outputs.arn);
        expect(g.one("aws:cloudwatch/logGroup:LogGroup").inputs.kmsKeyId).toBe(key().outputs.arn);
        expect(g.one("aws:ec2/launchTemplate:LaunchTemplate").inputs.blockDeviceMappings[0].ebs.kmsKeyId).toBe(key().outputs.arn);
    });
});

describe("KmsKey with its own policy", () => {
    it("refuses a policy statement with a wildcard principal", () => {
        const doc = clusterKeyPolicy({ partition: "aws", accountId: MOCK_ACCOUNT_ID, region: "us-east-1", logGroupName: "/aws/eks/c/cluster" });
        expect(wildcardPrincipalStatements(doc)).toEqual([]);
        const open = { ...doc, Statement: [...doc.Statement, { Sid: "Open", Effect: "Allow" as const, Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" as const }] };
        expect(wildcardPrincipalStatements(open).map((s) => s.Sid)).toEqual(["Open"]);
        expect(wildcardPrincipalStatements({ ...doc, Statement: [{ ...doc.Statement[0], Principal: "*" as any }] })).toHaveLength(1);
    });

    it("rejects a custom policy combined with the options that only shape the generated one", async () => {
        await expect(
            runPulumi(() => {
                new KmsKey("k", { policy: () => ({ Version: "2012-10-17", Statement: [] }), allowCloudWatchLogs: true });
            }),
        ).rejects.toThrow(/KmsKey 'k': invalid 'policy'/);
    });

    it("checks the custom policy before it becomes the key's policy", () => {
        const open = { Version: "2012-10-17" as const, Statement: [{ Sid: "Open", Effect: "Allow" as const, Principal: { AWS: "*" }, Action: "kms:*", Resource: "*" as const }] };
        expect(() => checkedKeyPolicy("KmsKey 'k'", open)).toThrow("KmsKey 'k': invalid 'policy': statement(s) Open have a wildcard principal");
        const doc = clusterKeyPolicy({ partition: "aws", accountId: MOCK_ACCOUNT_ID, region: "us-east-1", logGroupName: "/aws/eks/c/cluster" });
        expect(checkedKeyPolicy("KmsKey 'k'", doc)).toBe(JSON.stringify(doc));
    });
});
