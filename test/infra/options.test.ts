import { REPO_ROOT } from "../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { Graph, runPulumi } from "../support/pulumi";

// Resource options are part of the contract with the engine: a removed ignoreChanges gives a perpetual diff, a
// missing protect loses a database, a missing dependsOn rolls out code before its migrations. They are checked here.
const program: () => Promise<Record<string, unknown>> = require("../../infra");

/** Stateful types: their loss is data loss, so prod protects them and keeps them when the stack is destroyed. */
const STATEFUL = [
    "aws:rds/instance:Instance",
    "aws:rds/cluster:Cluster",
    "aws:rds/clusterInstance:ClusterInstance",
    "aws:elasticache/replicationGroup:ReplicationGroup",
    "aws:kms/key:Key",
    "aws:s3/bucket:Bucket",
    "aws:s3/bucketV2:BucketV2",
    "aws:ecr/repository:Repository",
];

describe.each([
    ["dev", false],
    ["prod", true],
] as const)("resource options of the %s stack", (stack, protectedTier) => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack, config: readStackConfig(resolveProject(REPO_ROOT), stack).config });
    });

    it(`${protectedTier ? "protects and retains" : "neither protects nor retains"} every stateful resource`, () => {
        const stateful = g.resources.filter((r) => STATEFUL.includes(r.type));
        // dev runs one RDS instance, prod Aurora (a cluster and its instances)
        const database = protectedTier ? ["aws:rds/cluster:Cluster", "aws:rds/clusterInstance:ClusterInstance"] : ["aws:rds/instance:Instance"];
        expect(stateful.map((r) => r.type)).toEqual(expect.arrayContaining([...database, "aws:elasticache/replicationGroup:ReplicationGroup", "aws:kms/key:Key"]));
        for (const r of stateful) expect([r.name, r.protect, r.retainOnDelete]).toEqual([r.name, protectedTier, protectedTier]);
    });

    it("node groups ignore desiredSize, which the Cluster Autoscaler owns (else every `up` would reset it)", () => {
        const groups = g.byType("aws:eks/nodeGroup:NodeGroup");
        expect(groups.length).toBeGreaterThanOrEqual(2);
        for (const ng of groups) expect([ng.name, ng.raw.ignoreChanges]).toEqual([ng.name, ["scalingConfig.desiredSize"]]);
    });

    it("every Helm release's namespace exists: kube-system, declared by the program, or created by the release (never both)", () => {
        const releases = g.byType("kubernetes:helm.sh/v3:Release");
        expect(releases.map((r) => r.inputs.namespace)).toEqual(expect.arrayContaining(["kube-system", "keda", "monitoring", "telemetry"]));
        const declared = new Set(g.byType("kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name));
        for (const r of releases) {
            const ns = r.inputs.namespace;
            // A namespace the program declares carries its Pod Security labels; a release creating it too would race it.
            expect([r.name, r.inputs.createNamespace]).toEqual([r.name, ns !== "kube-system" && !declared.has(ns)]);
        }
    });

    it("every namespaced app object lives in the app namespace, which the program declares", () => {
        const ns = g.byType("kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata.name);
        const appObjects = g.resources.filter((r) => r.type.startsWith("kubernetes:") && !r.type.startsWith("kubernetes:helm.sh/") && r.type !== "kubernetes:core/v1:Namespace" && r.inputs.metadata?.namespace !== undefined);
        expect(appObjects.length).toBeGreaterThan(5);
        for (const o of appObjects) expect(ns).toContain(o.inputs.metadata.namespace);
    });

    it("the api and worker Deployments roll out only after the migrations Job of their image", () => {
        const job = g.one("kubernetes:batch/v1:Job", "migrate");
        const deployments = g.byType("kubernetes:apps/v1:Deployment");
        expect(deployments.map((d) => d.name).sort()).toEqual(["api-deployment", "worker-deployment"]);
        for (const d of deployments) expect([d.name, d.dependencies]).toEqual([d.name, expect.arrayContaining([job.urn])]);
        // and the Job runs with its own service account, after it exists
        expect(job.dependencies).toContain(g.one("kubernetes:core/v1:ServiceAccount", "migrate-sa").urn);
    });
});
