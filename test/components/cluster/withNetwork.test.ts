import { Cluster, ClusterAddons } from "../../../components/cluster";
import { Network } from "../../../components/network";
import { WorkloadIdentity } from "../../../components/identity";
import { evaluateGraph, mandatory } from "../../support/policy";
import { runPulumi } from "../../support/pulumi";

// The wiring infra/platform.ts is expected to use: the cluster in the network's private subnets, add-ons on
// its provider, one workload identity granted on a declared queue.
describe("Cluster on a Network (the infra wiring)", () => {
    it("puts the control plane and every node group in the network's private subnets, and the prod plan has no mandatory violation", async () => {
        // GIVEN the network, the cluster and its add-ons, wired from outputs
        const g = await runPulumi(
            () => {
                const network = new Network("network", { cidrBlock: "10.20.0.0/16", availabilityZoneCount: 3 });
                const cluster = new Cluster("cluster", {
                    vpcId: network.vpcId,
                    vpcCidrBlock: network.cidrBlock,
                    privateSubnetIds: network.privateSubnetIds,
                    adminRoleArns: ["arn:aws:iam::123456789012:role/groundwork-deployer"],
                    nodeGroups: {
                        system: { minSize: 2, maxSize: 4 },
                        workers: { capacityType: "SPOT", instanceTypes: ["m7i.large", "m6i.large", "m5.large"], minSize: 0, maxSize: 10, taints: [{ key: "groundwork.dev/queue-worker", value: "true", effect: "NO_SCHEDULE" }] },
                    },
                });
                new ClusterAddons("cluster-addons", {
                    clusterName: cluster.knownClusterName,
                    kubernetesVersion: cluster.knownKubernetesVersion,
                    kubernetesProvider: cluster.provider,
                    oidcProviderArn: cluster.oidcProviderArn,
                    oidcIssuer: cluster.oidcIssuer,
                    vpcId: network.vpcId,
                    nodeSecurityGroupArn: cluster.nodeSecurityGroupArn,
                    nodeGroupArns: Object.values(cluster.nodeGroups).map((n) => n.nodeGroupArn),
                });
                new WorkloadIdentity("worker", { namespace: "jobs", serviceAccountName: "worker", oidcProviderArn: cluster.oidcProviderArn, oidcIssuer: cluster.oidcIssuer, kubernetesProvider: cluster.provider });
            },
            { config: { "groundwork:tier": "prod" } },
        );
        // THEN the control plane and the node groups use exactly the private subnets
        const privateSubnets = g.byType("aws:ec2/subnet:Subnet").filter((s) => /private/.test(s.name)).map((s) => s.outputs.id).sort();
        expect(privateSubnets.length).toBe(3);
        expect([...g.one("aws:eks/cluster:Cluster").inputs.vpcConfig.subnetIds].sort()).toEqual(privateSubnets);
        for (const ng of g.byType("aws:eks/nodeGroup:NodeGroup")) expect([...ng.inputs.subnetIds].sort()).toEqual(privateSubnets);
        // AND the security groups are in the network's VPC
        const vpcId = g.one("aws:ec2/vpc:Vpc").outputs.id;
        for (const sg of g.byType("aws:ec2/securityGroup:SecurityGroup").filter((s) => s.name.startsWith("cluster-"))) expect(sg.inputs.vpcId).toBe(vpcId);
        // AND the real pack finds no mandatory violation in the prod tier
        const v = await evaluateGraph(g, { tier: "prod" });
        expect(mandatory(v).map((x) => `${x.policy} ${x.urn}: ${x.message}`)).toEqual([]);
    });
});
