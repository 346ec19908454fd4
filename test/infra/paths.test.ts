import { endpointServicesOf } from "../../infra/awsPaths";
import { REPO_ROOT } from "../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { Graph, runPulumi } from "../support/pulumi";

// Every AWS call an entry point of the app makes (app/src/contract.json) needs a network path from its pods:
// a NetworkPolicy egress rule, then an interface endpoint (private DNS) in the VPC, or a NAT route if the policy
// allows the internet (only the worker's does, for webhook receivers). Data-plane connections need their port open
// to the VPC.
const program: () => Promise<Record<string, unknown>> = require("../../infra");

/** Pod labels of each entry point's workload. */
const WORKLOADS: Record<string, { type: string; name: string }> = {
    api: { type: "kubernetes:apps/v1:Deployment", name: "api-deployment" },
    worker: { type: "kubernetes:apps/v1:Deployment", name: "worker-deployment" },
    migrate: { type: "kubernetes:batch/v1:Job", name: "migrate" },
};

/** Data-plane ports the IAM actions authorise connections on. */
const DATA_PLANE_PORTS: Record<string, number> = { "rds-db:connect": 5432, "elasticache:Connect": 6379 };

/** What is missing for `entry`'s calls to reach their service, as readable lines; empty when every call has a path. */
function missingPaths(g: Graph, entry: string, calls: Record<string, string[]>): string[] {
    const w = WORKLOADS[entry];
    const workload = g.one(w.type, w.name);
    const labels: Record<string, string> = workload.inputs.spec.template.metadata.labels;
    const ns = workload.inputs.metadata.namespace;
    const vpcCidr: string = g.one("aws:ec2/vpc:Vpc").inputs.cidrBlock;
    const selects = (sel: any) => Object.entries(sel?.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const egress = g
        .byType("kubernetes:networking.k8s.io/v1:NetworkPolicy")
        .filter((p) => p.inputs.metadata.namespace === ns && selects(p.inputs.spec.podSelector))
        .flatMap((p) => p.inputs.spec.egress ?? []);
    const allows = (port: number, cidr: string) =>
        egress.some((r: any) => (r.ports ?? []).some((p: any) => p.port === port && (p.protocol ?? "TCP") === "TCP") && (r.to ?? []).some((t: any) => t.ipBlock?.cidr === cidr));
    const region = "us-east-1";
    const missing: string[] = [];
    for (const service of endpointServicesOf(entry, { awsCalls: { [entry]: calls } })) {
        const endpoint = g.byType("aws:ec2/vpcEndpoint:VpcEndpoint").find((e) => e.inputs.serviceName === `com.amazonaws.${region}.${service}` && e.inputs.vpcEndpointType === "Interface");
        const sgOpen = endpoint?.inputs.securityGroupIds?.some((id: string) =>
            g.byType("aws:ec2/securityGroup:SecurityGroup").some((sg) => sg.outputs.id === id && (sg.inputs.ingress ?? []).some((r: any) => r.fromPort <= 443 && r.toPort >= 443 && (r.cidrBlocks ?? []).includes(vpcCidr))),
        );
        const viaEndpoint = endpoint !== undefined && endpoint.inputs.privateDnsEnabled === true && sgOpen && allows(443, vpcCidr);
        const natRoute = g.byType("aws:ec2/route:Route").some((r) => r.inputs.destinationCidrBlock === "0.0.0.0/0" && r.inputs.natGatewayId !== undefined);
        const viaNat = allows(443, "0.0.0.0/0") && natRoute;
        if (!viaEndpoint && !viaNat) missing.push(`${entry} -> ${service}: ${endpoint ? (allows(443, vpcCidr) ? "the endpoint does not admit the VPC on 443 or has no private DNS" : "no NetworkPolicy allows 443 to the VPC") : "no interface endpoint and no internet egress"}`);
    }
    for (const [action, port] of Object.entries(DATA_PLANE_PORTS)) {
        if (Object.values(calls).flat().includes(action) && !allows(port, vpcCidr)) missing.push(`${entry} -> ${action}: no NetworkPolicy allows ${port} to the VPC`);
    }
    return missing;
}

const CONTRACT: { awsCalls: Record<string, Record<string, string[]>> } = require("../../app/src/contract.json");

describe.each(["dev", "prod"])("network paths of the %s stack", (stack) => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack, config: readStackConfig(resolveProject(REPO_ROOT), stack).config });
    });

    it.each(["api", "worker", "migrate"])("%s reaches every AWS API and data store it calls", (entry) => {
        expect(endpointServicesOf(entry)).toContain("sts");
        expect(missingPaths(g, entry, CONTRACT.awsCalls[entry])).toEqual([]);
    });

    it("the check fails when a path is removed: an endpoint, or the NetworkPolicy's port", () => {
        // WHEN the SQS endpoint is taken out of the graph
        const noSqs = { ...g, byType: (t: string) => g.byType(t).filter((r) => !String(r.inputs.serviceName ?? "").endsWith(".sqs")) } as Graph;
        expect(missingPaths(noSqs, "api", CONTRACT.awsCalls.api)).toEqual(["api -> sqs: no interface endpoint and no internet egress"]);
        // (the worker would still reach SQS's public addresses: its webhook egress opens 443 to them, through the NAT)
        expect(missingPaths(noSqs, "worker", CONTRACT.awsCalls.worker)).toEqual([]);
        // WHEN the api's NetworkPolicies lose port 443
        const no443 = {
            ...g,
            byType: (t: string) =>
                g.byType(t).map((r) =>
                    t.endsWith("NetworkPolicy")
                        ? { ...r, inputs: { ...r.inputs, spec: { ...r.inputs.spec, egress: (r.inputs.spec.egress ?? []).map((e: any) => ({ ...e, ports: (e.ports ?? []).filter((p: any) => p.port !== 443) })) } } }
                        : r,
                ),
        } as Graph;
        expect(missingPaths(no443, "api", CONTRACT.awsCalls.api)).toEqual(["api -> secretsmanager: no NetworkPolicy allows 443 to the VPC", "api -> sqs: no NetworkPolicy allows 443 to the VPC", "api -> sts: no NetworkPolicy allows 443 to the VPC"].filter((l) => endpointServicesOf("api").some((s) => l.includes(`-> ${s}:`))));
    });
});
