import { poolSizePerPod, RESERVED_DB_CONNECTIONS } from "../../infra/app";
import { REPO_ROOT } from "../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { Graph, runPulumi } from "../support/pulumi";

const program: () => Promise<Record<string, unknown>> = require("../../infra");
const stackConfig = (stack: string) => readStackConfig(resolveProject(REPO_ROOT), stack).config;

describe("poolSizePerPod: every pod at full scale fits in max_connections", () => {
    it.each([
        // max_connections, max pods, expected pool per pod
        [112, 7, Math.floor((112 - RESERVED_DB_CONNECTIONS) / 7)],
        [901, 30, 29],
        [5000, 30, 50], // capped: a bigger pool only queues inside PostgreSQL
        [20, 10, 1],
    ])("max_connections %i over %i pods -> %i each", (max, pods, expected) => {
        expect(poolSizePerPod(max, pods)).toBe(expected);
        expect(poolSizePerPod(max, pods) * pods).toBeLessThanOrEqual(max - RESERVED_DB_CONNECTIONS);
    });

    it("refuses a scale the database cannot serve, naming the keys to change", () => {
        expect(() => poolSizePerPod(40, 31)).toThrow(/groundwork:dbInstanceClass .* groundwork:apiMaxReplicas/);
    });
});

describe("the reference app on the prod stack", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack: "prod", config: stackConfig("prod") });
    });
    const container = (name: string) => g.one("kubernetes:apps/v1:Deployment", `${name}-deployment`).inputs.spec.template.spec.containers[0];
    const env = (name: string) => Object.fromEntries(container(name).env.map((e: any) => [e.name, e.value]));

    test("both workloads run the pinned image and authenticate to PostgreSQL and Valkey with IAM, not passwords", () => {
        const db = g.one("aws:rds/instance:Instance");
        for (const name of ["api", "worker"]) {
            expect(container(name).image).toBe(stackConfig("prod")["groundwork:appImage"]);
            expect(env(name)).toMatchObject({ DATABASE_IAM_AUTH: "true", DATABASE_HOST: db.outputs.address, DATABASE_USER: "app", REDIS_IAM_AUTH: "true", JOB_MAX_RECEIVES: "5" });
            expect(Object.keys(env(name)).filter((k) => /PASSWORD|SECRET/.test(k))).toEqual([]);
        }
    });

    test("each pod's pool is sized so all pods at maximum scale fit in the instance's max_connections", () => {
        const maxConnections = g.outputs.databaseMaxConnections as number;
        expect(Number(env("api").DB_POOL_MAX)).toBe(poolSizePerPod(maxConnections, 10 + 20));
    });

    test("the service accounts carry the IRSA roles that hold the grants", () => {
        const sa = (name: string) => g.one("kubernetes:core/v1:ServiceAccount", `${name}-sa`);
        expect(sa("api").inputs.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(g.one("aws:iam/role:Role", "api-role").outputs.arn);
        expect(sa("worker").inputs.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(g.one("aws:iam/role:Role", "worker-role").outputs.arn);
    });

    test("the API's ingress only admits CloudFront: origin security group and the origin-verify header", () => {
        const ing = g.one("kubernetes:networking.k8s.io/v1:Ingress");
        const ann = ing.inputs.metadata.annotations;
        expect(ann["alb.ingress.kubernetes.io/security-groups"]).toContain(g.one("aws:ec2/securityGroup:SecurityGroup", "edge-origin").outputs.id);
        expect(ann["alb.ingress.kubernetes.io/certificate-arn"]).toBe(stackConfig("prod")["groundwork:apiOriginCertificateArn"]);
        expect(ing.inputs.spec.rules[0].host).toBe(stackConfig("prod")["groundwork:apiOriginDomain"]);
        // The header condition carries the origin secret, so the plan records it only as a secret.
        expect(ann["alb.ingress.kubernetes.io/conditions.api"]).toBe("[secret]");
    });

    test("a migrations Job with the master secret (its own role) runs before the workloads roll out", () => {
        const job = g.one("kubernetes:batch/v1:Job");
        const env = Object.fromEntries(job.inputs.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
        const db = g.one("aws:rds/instance:Instance");
        expect(env).toMatchObject({ DATABASE_SECRET_ARN: db.outputs.masterUserSecrets[0].secretArn, DATABASE_TLS: "true", DATABASE_IAM_BOOTSTRAP_ROLE: "app" });
        expect(env.DATABASE_IAM_AUTH).toBeUndefined();
        expect(job.inputs.spec.template.spec.containers[0].command).toEqual(["node", "dist/migrate.js"]);
        expect(g.one("kubernetes:core/v1:ServiceAccount", "migrate-sa").inputs.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(g.one("aws:iam/role:Role", "migrate-role").outputs.arn);
        // Only the migrations role may read the master secret; api and worker hold no such grant.
        const secretGrants = g.byType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.policy.includes("secretsmanager:GetSecretValue"));
        expect(secretGrants.map((p) => p.name)).toEqual(["migrate-db-master-secret"]);
        for (const d of ["api-deployment", "worker-deployment"]) expect(g.one("kubernetes:apps/v1:Deployment", d).dependencies).toContain(job.urn);
    });

    test("the worker scales on the jobs queue with KEDA and runs on the Spot queue-worker nodes", () => {
        const so = g.one("kubernetes:keda.sh/v1alpha1:ScaledObject");
        expect(so.inputs.spec.triggers[0]).toMatchObject({ type: "aws-sqs-queue", metadata: expect.objectContaining({ queueURL: g.one("aws:sqs/queue:Queue", "jobs-queue").outputs.url }) });
        expect(so.inputs.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 20 });
        const pod = g.one("kubernetes:apps/v1:Deployment", "worker-deployment").inputs.spec.template.spec;
        expect(pod.nodeSelector).toEqual({ "groundwork.dev/workload": "queue-worker" });
        expect(g.one("kubernetes:apps/v1:Deployment", "worker-deployment").inputs.spec.replicas).toBeUndefined();
    });
});

describe("without groundwork:appImage", () => {
    it("declares the platform without app workloads", async () => {
        const { ["groundwork:appImage"]: _image, ...config } = stackConfig("dev");
        const g = await runPulumi(program, { stack: "dev", config });
        expect(g.byType("kubernetes:apps/v1:Deployment").filter((d) => ["api-deployment", "worker-deployment"].includes(d.name))).toEqual([]);
        expect(g.byType("aws:eks/cluster:Cluster")).toHaveLength(1);
    });
});
