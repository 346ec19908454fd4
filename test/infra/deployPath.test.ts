import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { Graph, runPulumi } from "../support/pulumi";

// The deploy workflow and the platform must agree: the jobs that talk to the private cluster API run on the runner
// the stack declares, that runner sits in subnets with a route out and is admitted to the API endpoint, and the
// bootstrap run from outside the VPC excludes exactly what talks to the cluster API.
const program: () => Promise<Record<string, unknown>> = require("../../infra");
const workflow = yaml.load(fs.readFileSync(path.join(REPO_ROOT, ".github/workflows/deploy.yml"), "utf8")) as any;

/** A workflow expression with the stack substituted for the stack input (and its dev default). */
function forStack(text: string, stack: string): string {
    return text.replace(/\$\{\{\s*github\.event\.inputs\.stack \|\| 'dev'\s*\}\}/g, stack).replace(/\$\{STACK\}/g, stack);
}

/** Pulumi's URN glob as a regular expression: `**` any text, `*` any text within one `::` segment. */
function urnGlob(glob: string): RegExp {
    const parts = glob.split("**").map((p) => p.split("*").map((q) => q.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join("(?:(?!::).)*"));
    return new RegExp(`^${parts.join(".*")}$`);
}

describe.each(["dev", "prod"])("the deploy path of the %s stack", (stack) => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack, config: readStackConfig(resolveProject(REPO_ROOT), stack).config });
    });

    it("runs the deploy job on the stack's in-VPC runner", () => {
        const project = g.one("aws:codebuild/project:Project");
        const runsOn = forStack(workflow.jobs.deploy["runs-on"], stack);
        expect(runsOn.startsWith(`codebuild-${project.inputs.name}-`)).toBe(true);
        expect(g.one("aws:codebuild/webhook:Webhook").inputs.projectName).toBe(project.outputs.name ?? project.inputs.name);
    });

    it("places the runner in the private subnets, which route to the internet through NAT", () => {
        const project = g.one("aws:codebuild/project:Project");
        const privateSubnets = g.byType("aws:ec2/subnet:Subnet").filter((s) => /private/.test(s.name));
        expect(project.inputs.vpcConfig.subnets.sort()).toEqual(privateSubnets.map((s) => s.outputs.id).sort());
        const natRoutes = g.byType("aws:ec2/route:Route").filter((r) => r.inputs.natGatewayId && r.inputs.destinationCidrBlock === "0.0.0.0/0");
        expect(natRoutes.length).toBeGreaterThan(0);
    });

    it("admits the runner, and only on 443, to the cluster API's security group", () => {
        const project = g.one("aws:codebuild/project:Project");
        const runnerSg: string = project.inputs.vpcConfig.securityGroupIds[0];
        const clusterSgId = g.one("aws:eks/cluster:Cluster").inputs.vpcConfig.securityGroupIds[0];
        const rules = g.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.referencedSecurityGroupId === runnerSg);
        expect(rules.map((r) => [r.inputs.securityGroupId, r.inputs.fromPort, r.inputs.toPort, r.inputs.ipProtocol])).toEqual([[clusterSgId, 443, 443, "tcp"]]);
        expect(g.one("aws:eks/cluster:Cluster").inputs.vpcConfig.endpointPublicAccess).toBe(false);
    });

    it("bootstraps from outside the VPC without anything that talks to the cluster API", () => {
        const run: string = workflow.jobs.bootstrap.steps.map((s: any) => s.run ?? "").join("\n");
        const glob = forStack(/--exclude "([^"]+)"/.exec(run)![1], stack);
        expect(run).toContain("--exclude-dependents");
        // The AWS pack judges the bootstrap; the Kubernetes pack would see excluded objects with empty inputs.
        expect(run).toContain("--policy-pack policies/security");
        expect(run).not.toContain("policies/kubernetes");
        const re = urnGlob(glob);
        const providers = g.resources.filter((r) => r.type === "pulumi:providers:kubernetes");
        expect(providers.length).toBeGreaterThan(0);
        expect(providers.filter((p) => !re.test(p.urn)).map((p) => p.urn)).toEqual([]);
        // Nothing else matches directly: the rest of the Kubernetes objects go with --exclude-dependents.
        expect(g.resources.filter((r) => re.test(r.urn) && r.type !== "pulumi:providers:kubernetes").map((r) => r.urn)).toEqual([]);
    });
});

describe("the image a stack deploys", () => {
    it("is recorded in git by the image job and the deploy job checks out that commit", () => {
        const record = workflow.jobs.image.steps.find((s: any) => s.id === "record");
        expect(record.run).toContain("npm run -s image:record -- --stack dev");
        expect(record.run).toContain("git push origin HEAD:main");
        expect(workflow.jobs.deploy.steps[0].with.ref).toContain("needs.image.outputs.ref");
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        expect(pkg.scripts["image:record"]).toContain("tools/deploy/record-image.ts");
        // Nothing sets the image outside git any more.
        expect(JSON.stringify(workflow)).not.toMatch(/pulumi config set groundwork:appImage/);
    });
});
