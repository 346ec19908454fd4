import { BlockList } from "node:net";
import { TRACE_SAMPLE_RATIO } from "../../infra/app";
import { grantContractCalls, type ContractResources } from "../../infra/platform";
import type { WorkloadIdentity } from "../../components/identity";
import { ConfigError } from "../../stacks";
import { REPO_ROOT } from "../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { evaluateKubernetesGraph } from "../support/kubernetesPolicy";
import { evaluateGraph, mandatory } from "../support/policy";
import { Graph, runExpectingError, runPulumi } from "../support/pulumi";

// Two agreements between the app and the platform that a first real deploy depends on:
// - a module extracted from the API (the first principle) runs as its own Service, with its own role granted exactly
//   the calls the app's contract lists for that process, and the mesh sends it the module's routes;
// - the worker delivers webhooks to the internet on the ports the app accepts in callback URLs, and nothing else does.
const program: () => Promise<Record<string, unknown>> = require("../../infra");
const CONTRACT: { modules: string[]; routePrefixes: Record<string, string[]>; webhookPorts: number[]; awsCalls: Record<string, Record<string, string[]>> } = require("../../app/src/contract.json");
const stackConfig = (stack: string) => readStackConfig(resolveProject(REPO_ROOT), stack).config;

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
const envOf = (g: Graph, name: string): Record<string, string> =>
    Object.fromEntries(g.one(DEPLOYMENT, `${name}-deployment`).inputs.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
/** Every `Action Resource` pair the inline policies of `<name>-role` grant. */
const granted = (g: Graph, name: string): string[] => {
    const role = g.one("aws:iam/role:Role", `${name}-role`);
    return [
        ...new Set(
            g
                .byType("aws:iam/rolePolicy:RolePolicy")
                .filter((p) => p.parent === role.parent)
                .flatMap((p) => JSON.parse(p.inputs.policy).Statement.flatMap((st: any) => [st.Action].flat().flatMap((a: string) => [st.Resource].flat().map((r: string) => `${a} ${r}`)))),
        ),
    ].sort();
};
/** Egress rules of the NetworkPolicies that select `name`'s pods. */
const egressOf = (g: Graph, name: string): any[] => {
    const labels = g.one(DEPLOYMENT, `${name}-deployment`).inputs.spec.template.metadata.labels;
    return g
        .byType(NETPOL)
        .filter((p) => Object.entries(p.inputs.spec.podSelector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v))
        .flatMap((p) => p.inputs.spec.egress ?? []);
};
/** Whether one of `rules` lets TCP `address:port` out through an ipBlock peer. */
const letsOut = (rules: any[], address: string, port: number): boolean =>
    rules.some(
        (r) =>
            (r.ports ?? []).some((p: any) => p.port === port) &&
            (r.to ?? []).some((peer: any) => {
                if (!peer.ipBlock) return false;
                const block = (cidrs: string[]) => {
                    const b = new BlockList();
                    for (const c of cidrs) b.addSubnet(c.split("/")[0], Number(c.split("/")[1]), "ipv4");
                    return b;
                };
                return block([peer.ipBlock.cidr]).check(address, "ipv4") && !block(peer.ipBlock.except ?? []).check(address, "ipv4");
            }),
    );

describe("an extracted module (groundwork:appExtractModules) on the prod stack", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack: "prod", config: { ...stackConfig("prod"), "groundwork:appExtractModules": '["catalog"]' } });
    });

    test("runs the module alone as its own Deployment, and the API runs every other module", () => {
        const catalog = envOf(g, "catalog-api");
        expect(catalog.MODULES).toBe("catalog");
        expect(envOf(g, "api").MODULES).toBe(CONTRACT.modules.filter((m) => m !== "catalog").join(","));
        // It needs no queue, no webhook key: its environment names neither.
        expect(Object.keys(catalog).filter((k) => /^(SQS_|JOB_|WEBHOOK_)/.test(k))).toEqual([]);
        expect(g.one(DEPLOYMENT, "catalog-api-deployment").inputs.spec.template.spec.containers[0].command).toEqual(["node", "dist/server.js"]);
    });

    test("its own role is granted exactly the calls of the contract's 'catalog-api' entry: the data tier, no queue", () => {
        // The actions are the contract's, no more.
        const actions = [...new Set(granted(g, "catalog-api").map((p) => p.split(" ")[0]))].sort();
        expect(actions).toEqual(Object.values(CONTRACT.awsCalls["catalog-api"]).flat().sort());
        // The same database user and cache user ARNs as the API's (the catalog reads the same tables).
        const dataTier = (p: string) => /^(rds-db:connect|elasticache:Connect) /.test(p);
        expect(granted(g, "catalog-api")).toEqual(granted(g, "api").filter(dataTier));
        expect(granted(g, "catalog-api").some((p) => p.startsWith("sqs:"))).toBe(false);
        // And its ServiceAccount is the one that role trusts.
        const sa = g.one("kubernetes:core/v1:ServiceAccount", "catalog-api-sa").inputs;
        expect(sa.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(g.one("aws:iam/role:Role", "catalog-api-role").outputs.arn);
        const trust = JSON.parse(g.one("aws:iam/role:Role", "catalog-api-role").inputs.assumeRolePolicy).Statement[0].Condition.StringEquals;
        expect(Object.entries(trust).filter(([k]) => k.endsWith(":sub"))).toEqual([[expect.any(String), `system:serviceaccount:${sa.metadata.namespace}:${sa.metadata.name}`]]);
    });

    test("the mesh's ingress route sends the module's path prefixes to its Service, and everything else to the API", () => {
        const http = g.one("kubernetes:networking.istio.io/v1:VirtualService").inputs.spec.http;
        const svcHost = (name: string) => {
            const svc = g.byType("kubernetes:core/v1:Service").find((s) => s.name === `${name}-svc`)!.inputs;
            return { host: `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local`, port: { number: svc.spec.ports[0].port } };
        };
        expect(http).toEqual([
            { name: "catalog-api", match: CONTRACT.routePrefixes.catalog.map((prefix) => ({ uri: { prefix } })), route: [{ destination: svcHost("catalog-api") }] },
            { name: "api", route: [{ destination: svcHost("api") }] },
        ]);
    });

    test("it admits the gateway and Prometheus only, and reaches the VPC's data ports but not the internet", () => {
        const gateway = g.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "api-netpol").inputs.spec.ingress;
        expect(g.one(NETPOL, "catalog-api-netpol").inputs.spec.ingress).toEqual(gateway);
        expect(letsOut(egressOf(g, "catalog-api"), "93.184.215.14", 443)).toBe(false);
        const authz = g.byType("kubernetes:security.istio.io/v1:AuthorizationPolicy");
        const rules = (name: string) => authz.find((a) => a.inputs.metadata.name === name)!.inputs.spec.rules;
        expect(rules("catalog-api")).toEqual(rules("api"));
    });

    test("the database's connection budget counts its pods: each pool shrinks so every pod at full scale fits", async () => {
        const plain = await runPulumi(program, { stack: "prod", config: stackConfig("prod") });
        const pool = (graph: Graph, name: string) => Number(envOf(graph, name).DB_POOL_MAX);
        expect(pool(g, "catalog-api")).toBe(pool(g, "api"));
        expect(pool(g, "api")).toBeLessThan(pool(plain, "api"));
    });

    test("both packs raise no mandatory violation", async () => {
        expect(mandatory(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
        expect(mandatory(await evaluateKubernetesGraph(g, { tier: "prod" }))).toEqual([]);
    });

    test("a module that cannot be extracted fails the program naming the key and the modules that can, before any resource", async () => {
        const { error: caught, graph: bad } = await runExpectingError(program, { stack: "prod", config: { ...stackConfig("prod"), "groundwork:appExtractModules": '["reports"]' } });
        expect(caught).toBeInstanceOf(ConfigError);
        expect((caught as Error).message).toContain("groundwork:appExtractModules");
        expect((caught as Error).message).toContain("'reports' cannot be extracted");
        expect((caught as Error).message).toContain("from: catalog");
        expect(bad.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });
});

describe("grantContractCalls: every role's grants come from the app's contract", () => {
    // A recording stand-in for the identity: the checks below fail before any grant is made.
    const granted: string[] = [];
    const id = { addStatements: (name: string) => granted.push(name) } as unknown as WorkloadIdentity;
    const none = {} as ContractResources;
    it.each<[string, Record<string, string[]>, RegExp]>([
        ["an action the table cannot grant", { "jobs-queue": ["sqs:PurgeQueue"] }, /'x' calls sqs:PurgeQueue on 'jobs-queue', which infra\/platform\.ts cannot grant\. Fix: add that grant to CONTRACT_GRANTS/],
        ["an unknown resource", { "billing-table": ["dynamodb:GetItem"] }, /on 'billing-table', which infra\/platform\.ts cannot grant/],
        ["a secret read without its key's decrypt", { "webhook-key": ["secretsmanager:GetSecretValue"] }, /'x' lists 'webhook-key' without 'webhook-kms-key', which its grant also covers\. Fix: list both/],
        ["a key's decrypt without the secret read that grants it", { "database-key": ["kms:Decrypt"] }, /'x' lists 'database-key' without 'database-master-secret'/],
    ])("refuses %s, naming it and the fix, before granting anything", (_label, calls, message) => {
        expect(() => grantContractCalls(id, "x", none, { awsCalls: { x: calls } })).toThrow(message);
        expect(granted).toEqual([]);
    });
    it("refuses an entry point the contract does not list", () => {
        expect(() => grantContractCalls(id, "billing-api", none)).toThrow(/no awsCalls entry 'billing-api'/);
    });
});

describe.each(["dev", "prod"])("webhooks and the network on the %s stack", (stack) => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack, config: stackConfig(stack) });
    });

    test("the worker reaches public receivers on exactly the ports the app accepts in callback URLs, and no other workload reaches the internet", () => {
        const ports = CONTRACT.webhookPorts;
        for (const name of ["api", "worker"]) expect([name, envOf(g, name).WEBHOOK_PORTS]).toEqual([name, ports.join(",")]);
        const worker = egressOf(g, "worker");
        for (const port of ports) expect(letsOut(worker, "93.184.215.14", port)).toBe(true);
        // Nothing else of the internet, and never the VPC or the metadata service through this opening.
        for (const port of [80, 8443, 22]) expect([port, letsOut(worker, "93.184.215.14", port)]).toEqual([port, false]);
        const internet = worker.filter((r) => (r.to ?? []).some((p: any) => p.ipBlock?.cidr === "0.0.0.0/0"));
        const vpc = g.one("aws:ec2/vpc:Vpc").inputs.cidrBlock as string;
        expect(letsOut(internet, vpc.split("/")[0].replace(/\.0$/, ".10"), 443)).toBe(false);
        expect(letsOut(internet, "169.254.169.254", 443)).toBe(false);
        // The reason is recorded where the packs and reviewers read it.
        expect(g.one(NETPOL, "worker-netpol").inputs.metadata.annotations["groundwork.dev/internet-egress-reason"]).toMatch(/webhooks/);
        expect(letsOut(egressOf(g, "api"), "93.184.215.14", 443)).toBe(false);
    });

    test("api and worker record the tier's share of traces, parent-based (the app validates both variables)", () => {
        for (const name of ["api", "worker"]) {
            expect(envOf(g, name)).toMatchObject({ OTEL_TRACES_SAMPLER: "parentbased_traceidratio", OTEL_TRACES_SAMPLER_ARG: String(TRACE_SAMPLE_RATIO[stack as "dev" | "prod"]) });
        }
        expect(TRACE_SAMPLE_RATIO).toEqual({ dev: 1, prod: 0.1 });
    });

    test("api and worker read the webhook key from Secrets Manager by ARN, each with its own grant on that secret alone", () => {
        const secret = g.one("aws:secretsmanager/secret:Secret", "webhook-key-secret");
        for (const name of ["api", "worker"]) {
            expect(envOf(g, name).WEBHOOK_SECRET_KEY_SECRET_ARN).toBe(secret.outputs.arn);
            expect(granted(g, name).filter((p) => p.startsWith("secretsmanager:"))).toEqual([`secretsmanager:GetSecretValue ${secret.outputs.arn}`]);
        }
        // Enough key material for the app's HKDF (it refuses fewer than 32 characters).
        expect(g.one("random:index/randomPassword:RandomPassword", "webhook-key-value").inputs.length).toBeGreaterThanOrEqual(32);
        expect(secret.inputs.tags["exempt.groundwork.dev/aws-secretsmanager-secret-enable-rotation"]).toMatch(/re-encrypted/);
    });
});
