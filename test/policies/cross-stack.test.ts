import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { tierConfig } from "@groundwork/policy-kit";
import { WorkloadIdentity } from "../../components/identity";
import { allRules } from "../../policies/security/rules";
import { analyzeGraph, loadPack, type LoadedPack, type Violation } from "../../tools/plan/analyzer";
import { runProgram, type RecordedGraph, type RecordedResource } from "../../tools/plan/engine";
import { SECURITY_PACK } from "../support/policy";
import { runPulumi } from "../support/pulumi";

// The groundwork-security pack, through the plan tool's engine and analyzer, on grants naming another stack's
// resource and on replication groups' transit encryption.

const POLICY = "aws-iam-role-enforce-workload-declared-resources";
const SHARED_STACK = "organization/platform/shared";
const SHARED_QUEUE = "arn:aws:sqs:us-east-1:123456789012:shared-jobs";
const REASON = "jobs are queued by the platform-shared stack, which owns the queue";
const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789";
const irsa = { namespace: "jobs", serviceAccountName: "worker", oidcProviderArn: `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`, oidcIssuer: `https://${ISSUER}` };
/** Outputs of the shared stack, as `pulumi stack output --json` prints them: the queue's ARN is nested. */
const SHARED_OUTPUTS = { queues: { jobs: { arn: SHARED_QUEUE, url: "https://sqs.us-east-1.amazonaws.com/123456789012/shared-jobs" } } };

let pack: LoadedPack;
beforeAll(async () => {
    pack = await loadPack(SECURITY_PACK, (fn) => jest.isolateModules(fn));
});

/** A workload identity granted queue consumption on the shared stack's queue, its ARN read from a StackReference. */
function crossStackGrant(): Promise<RecordedGraph> {
    return runProgram(
        () => {
            const shared = new pulumi.StackReference(SHARED_STACK);
            const id = new WorkloadIdentity("worker", irsa);
            const arn = shared.requireOutput("queues").apply((q: any) => String(q.jobs.arn));
            id.addStatements("shared-jobs", [{ sid: "SharedJobsConsume", actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage"], resources: [arn] }]);
        },
        { config: { "aws:region": "us-east-1" }, stackReferences: { [SHARED_STACK]: SHARED_OUTPUTS } },
    );
}

/** The prod tier config with this rule's entry added. */
function configWith(entry: Record<string, unknown>): Record<string, any> {
    const config: Record<string, any> = tierConfig(allRules, "prod");
    config[POLICY] = { ...config[POLICY], ...entry };
    return config;
}

const ofPolicy = (v: Violation[]) => v.filter((x) => x.policy === POLICY).map((x) => ({ level: x.enforcementLevel, urn: x.urn, message: x.message.split("\n").slice(1).join("\n") }));

describe(`${POLICY}: a grant on another stack's resource`, () => {
    let graph: RecordedGraph;
    let policyUrn: string;
    beforeAll(async () => {
        graph = await crossStackGrant();
        policyUrn = graph.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "worker-shared-jobs")!.urn;
    });

    it("the program reads the ARN from the StackReference, and the graph holds no StackReference (as under `pulumi preview`/`up`)", () => {
        const doc = JSON.parse(graph.resources.find((r) => r.urn === policyUrn)!.inputs.policy);
        expect(doc.Statement).toEqual([{ Sid: "SharedJobsConsume", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource: [SHARED_QUEUE] }]);
        expect(graph.resources.filter((r) => r.type === "pulumi:pulumi:StackReference")).toEqual([]);
    });

    it("without a listing: a mandatory violation on the RolePolicy whose message names both ways out", async () => {
        expect(ofPolicy(await analyzeGraph(pack, graph, tierConfig(allRules, "prod")))).toEqual([
            {
                level: "mandatory",
                urn: policyUrn,
                message:
                    `worker-shared-jobs (on workload role worker-role) Statement[0] (SharedJobsConsume) names ${SHARED_QUEUE}, which is not a resource declared in this stack. ` +
                    `If another stack declares it, list it in the policy config as {"${POLICY}":{"externalResources":[{"arn":"${SHARED_QUEUE}","reason":"<why this workload uses it>"}]}}, ` +
                    "or read the ARN from an output of a StackReference (recognised only where the engine passes StackReferences to stack policies, as `pulumi policy analyze` does; " +
                    "`pulumi preview`/`up` and the offline plan do not). " +
                    "Fix: Grant with the owning component's verbs (`queue.grantConsume(identity)`), which name exact ARNs; list another stack's resource by its exact ARN with a reason " +
                    "under `externalResources` in this policy's config; attach AWS-managed policies only from the documented allow-list.",
            },
        ]);
    });

    it("listed in the policy config with a reason: accepted, in dev and prod", async () => {
        expect(ofPolicy(await analyzeGraph(pack, graph, configWith({ externalResources: [{ arn: SHARED_QUEUE, reason: REASON }] })))).toEqual([]);
        const dev: Record<string, any> = tierConfig(allRules, "dev");
        dev[POLICY] = { ...dev[POLICY], externalResources: [{ arn: SHARED_QUEUE, reason: REASON }] };
        expect(ofPolicy(await analyzeGraph(pack, graph, dev))).toEqual([]);
    });

    it("a listing with a short reason or a wildcard ARN is itself a mandatory violation, and does not accept the grant", async () => {
        const v = ofPolicy(
            await analyzeGraph(
                pack,
                graph,
                configWith({ externalResources: [{ arn: SHARED_QUEUE, reason: "shared" }, { arn: "arn:aws:sqs:us-east-1:123456789012:shared-*", reason: REASON }] }),
            ),
        );
        const at = `policy config of ${POLICY}: externalResources`;
        expect(v.filter((x) => x.urn !== policyUrn)).toEqual([
            {
                level: "mandatory",
                urn: null,
                message: `${at}[0] (${SHARED_QUEUE}) has no reason (at least 10 characters), so it is ignored. Fix: say why this stack's workloads may use that resource.`,
            },
            {
                level: "mandatory",
                urn: null,
                message:
                    `${at}[1] (arn:aws:sqs:us-east-1:123456789012:shared-*) contains a wildcard, so it is ignored: only exact ARNs can be listed, and a grant on a pattern stays a violation. ` +
                    "Fix: list the exact ARN of each resource.",
            },
        ]);
        expect(v.filter((x) => x.urn === policyUrn).map((x) => [x.level, x.message.split(". If another stack")[0]])).toEqual([
            ["mandatory", `worker-shared-jobs (on workload role worker-role) Statement[0] (SharedJobsConsume) names ${SHARED_QUEUE}, which is not a resource declared in this stack`],
        ]);
    });

    it("read from a StackReference: accepted where the engine hands stack policies the StackReference (as `pulumi policy analyze` does from state)", async () => {
        // `pulumi policy analyze` passes the stack's state, reads included: the StackReference with its outputs.
        const ref = graph.resources.find((r) => r.dependencies.some((d) => d.includes("pulumi:pulumi:StackReference")))!.dependencies.find((d) => d.includes("pulumi:pulumi:StackReference"))!;
        const stackReference: RecordedResource = {
            urn: ref,
            type: "pulumi:pulumi:StackReference",
            name: SHARED_STACK,
            parent: graph.resources.find((r) => r.type === "pulumi:pulumi:Stack")!.urn,
            inputs: { name: SHARED_STACK },
            dependencies: [],
            propertyDependencies: {},
            provider: null,
            protect: false,
            retainOnDelete: false,
            custom: true,
            remote: false,
            outputs: { name: SHARED_STACK, outputs: SHARED_OUTPUTS, secretOutputNames: [] },
            raw: { inputs: { name: SHARED_STACK }, outputs: { name: SHARED_STACK, outputs: SHARED_OUTPUTS, secretOutputNames: [] }, ignoreChanges: [] },
        };
        const fromState: RecordedGraph = { ...graph, resources: [...graph.resources, stackReference] };
        expect(ofPolicy(await analyzeGraph(pack, fromState, tierConfig(allRules, "prod")))).toEqual([]);
        // A StackReference whose outputs hold another ARN does not accept it.
        const other = { ...stackReference, raw: { ...stackReference.raw, outputs: { name: SHARED_STACK, outputs: { queues: { jobs: { arn: `${SHARED_QUEUE}-2` } } }, secretOutputNames: [] } } };
        expect(ofPolicy(await analyzeGraph(pack, { ...graph, resources: [...graph.resources, other] }, tierConfig(allRules, "prod"))).map((x) => x.urn)).toEqual([policyUrn]);
    });
});

describe(`${POLICY}: a wildcard grant stays a violation even when listed`, () => {
    it("a pattern on the shared queues, listed with a reason: the config entry and the grant are both mandatory violations", async () => {
        const pattern = "arn:aws:sqs:us-east-1:123456789012:shared-*";
        const graph = await runPulumi(() => {
            const id = new WorkloadIdentity("worker", irsa);
            new aws.iam.RolePolicy("raw-shared", {
                role: id.roleName,
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Shared", Effect: "Allow", Action: "sqs:ReceiveMessage", Resource: pattern }] }),
            });
        });
        const raw = graph.named("raw-shared");
        const v = ofPolicy(await analyzeGraph(pack, graph, configWith({ externalResources: [{ arn: pattern, reason: REASON }] })));
        expect(v.map((x) => [x.level, x.urn, x.message.split(". Fix:")[0]])).toEqual([
            ["mandatory", null, `policy config of ${POLICY}: externalResources[0] (${pattern}) contains a wildcard, so it is ignored: only exact ARNs can be listed, and a grant on a pattern stays a violation`],
            [
                "mandatory",
                raw.urn,
                `raw-shared (on workload role worker-role) Statement[0] (Shared) names the pattern ${pattern} without pinning the account and a StringEquals aws:ResourceTag/aws:RequestTag condition`,
            ],
        ]);
    });
});

describe("aws-elasticache-replicationgroup-enable-transit-encryption, through the pack", () => {
    const TRANSIT = "aws-elasticache-replicationgroup-enable-transit-encryption";
    const group = (name: string, transit: { transitEncryptionEnabled?: boolean; transitEncryptionMode?: string }) =>
        new aws.elasticache.ReplicationGroup(name, {
            description: "cache",
            engine: "valkey",
            nodeType: "cache.t4g.small",
            numCacheClusters: 2,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            subnetGroupName: "cache-subnets",
            atRestEncryptionEnabled: true,
            userGroupIds: ["users"],
            snapshotRetentionLimit: 7,
            ...transit,
        });

    it("enabled without a mode and enabled required pass; enabled preferred and disabled are mandatory violations", async () => {
        const graph = await runPulumi(() => {
            group("default-mode", { transitEncryptionEnabled: true });
            group("required", { transitEncryptionEnabled: true, transitEncryptionMode: "required" });
            group("preferred", { transitEncryptionEnabled: true, transitEncryptionMode: "preferred" });
            group("disabled", { transitEncryptionEnabled: false });
        });
        // Registration order is not the program's: sorted by resource.
        const v = (await analyzeGraph(pack, graph, tierConfig(allRules, "prod"))).filter((x) => x.policy === TRANSIT).sort((a, b) => String(a.urn).localeCompare(String(b.urn)));
        const remediation = "Set `transitEncryptionEnabled: true`, and leave `transitEncryptionMode` unset (AWS's default, `required`) or set it to `\"required\"`.";
        expect(v.map((x) => [x.enforcementLevel, x.urn, x.message.split("\n")[1]])).toEqual([
            ["mandatory", graph.named("disabled").urn, `transitEncryptionEnabled is false: clients connect in plaintext. Fix: ${remediation}`],
            ["mandatory", graph.named("preferred").urn, `transitEncryptionMode is "preferred": plaintext connections are not refused. Fix: ${remediation}`],
        ]);
    });
});
