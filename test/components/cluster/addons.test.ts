import * as aws from "@pulumi/aws";
import { Cluster, ClusterAddons, ClusterAddonsArgs, CLUSTER_CHARTS, CONTAINER_SECURITY_CONTEXT } from "../../../components/cluster";
import { evaluateGraph, mandatory } from "../../support/policy";
import { Graph, runPulumi } from "../../support/pulumi";

const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

function build(over: Partial<ClusterAddonsArgs> = {}, withQueue = true): Promise<Graph> {
    return runPulumi(() => {
        const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" });
        const queue = new aws.sqs.Queue("jobs", { sqsManagedSseEnabled: true });
        const cluster = new Cluster("platform", {
            vpcId: vpc.id,
            vpcCidrBlock: "10.0.0.0/16",
            privateSubnetIds: ["subnet-a", "subnet-b"],
            adminRoleArns: ["arn:aws:iam::123456789012:role/admin"],
        });
        new ClusterAddons("addons", {
            clusterName: "groundwork-test-platform",
            kubernetesVersion: "1.35",
            kubernetesProvider: cluster.provider,
            oidcProviderArn: cluster.oidcProviderArn,
            oidcIssuer: cluster.oidcIssuer,
            vpcId: vpc.id,
            vpcArn: vpc.arn,
            nodeSecurityGroupArn: cluster.nodeSecurityGroupArn,
            nodeGroupArns: Object.values(cluster.nodeGroups).map((n) => n.nodeGroupArn),
            queueArns: withQueue ? [queue.arn] : [],
            ...over,
        });
    });
}

describe("ClusterAddons", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await build();
    });
    const release = (name: string) => g.one("kubernetes:helm.sh/v3:Release", name);
    const role = (part: string) => g.one("aws:iam/role:Role", `addons-${part}-role`);
    const issuer = () => String(g.one("aws:eks/cluster:Cluster").outputs.identities[0].oidcs[0].issuer).replace("https://", "");

    it("installs six pinned Helm releases through the cluster's provider", () => {
        const provider = g.one("pulumi:providers:kubernetes");
        const releases = g.byType("kubernetes:helm.sh/v3:Release");
        expect(releases.map((r) => [r.name, r.inputs.chart, r.inputs.version, r.inputs.namespace])).toEqual(
            expect.arrayContaining([
                ["addons-lbc", "aws-load-balancer-controller", CLUSTER_CHARTS.awsLoadBalancerController.version, "kube-system"],
                ["addons-metrics-server", "metrics-server", CLUSTER_CHARTS.metricsServer.version, "kube-system"],
                ["addons-cluster-autoscaler", "cluster-autoscaler", CLUSTER_CHARTS.clusterAutoscaler.version, "kube-system"],
                ["addons-keda", "keda", CLUSTER_CHARTS.keda.version, "keda"],
                ["addons-secrets-store-csi", "secrets-store-csi-driver", CLUSTER_CHARTS.secretsStoreCsiDriver.version, "kube-system"],
                ["addons-secrets-store-csi-aws", "secrets-store-csi-driver-provider-aws", CLUSTER_CHARTS.secretsStoreCsiProviderAws.version, "kube-system"],
            ]),
        );
        expect(releases).toHaveLength(6);
        for (const r of releases) {
            expect(r.inputs.version).toMatch(/^\d+\.\d+\.\d+$/);
            expect(r.provider).toContain(provider.urn);
            expect(r.inputs.atomic).toBe(true);
        }
    });

    it("hardens every chart's pods", () => {
        expect(release("addons-lbc").inputs.values.securityContext).toEqual(CONTAINER_SECURITY_CONTEXT);
        expect(release("addons-metrics-server").inputs.values.securityContext).toEqual(CONTAINER_SECURITY_CONTEXT);
        expect(release("addons-cluster-autoscaler").inputs.values.containerSecurityContext).toEqual(CONTAINER_SECURITY_CONTEXT);
        expect(release("addons-keda").inputs.values.securityContext.operator).toEqual(CONTAINER_SECURITY_CONTEXT);
        // The Secrets Store CSI node plugins mount volumes into pods (privileged, host paths, in kube-system): the chart's defaults.
        const csi = ["addons-secrets-store-csi", "addons-secrets-store-csi-aws"];
        for (const r of g.byType("kubernetes:helm.sh/v3:Release").filter((x) => !csi.includes(x.name))) expect(JSON.stringify(r.inputs.values)).toContain('"readOnlyRootFilesystem":true');
    });

    it("installs the Secrets Store CSI driver without Secret syncing, rotating mounts, and its AWS provider after it", () => {
        expect(release("addons-secrets-store-csi").inputs.values).toMatchObject({ syncSecret: { enabled: false }, enableSecretRotation: true });
        expect(release("addons-secrets-store-csi-aws").inputs.values["secrets-store-csi-driver"]).toEqual({ install: false });
        expect(release("addons-secrets-store-csi-aws").dependencies).toContain(release("addons-secrets-store-csi").urn);
    });

    it("gives each controller its own role trusted by exactly its service account", () => {
        const expectations: [string, string, string][] = [
            ["lbc", "kube-system", "aws-load-balancer-controller"],
            ["cluster-autoscaler", "kube-system", "cluster-autoscaler"],
            ["keda", "keda", "keda-operator"],
        ];
        for (const [part, ns, sa] of expectations) {
            const trust = parse(role(part).inputs.assumeRolePolicy);
            expect(trust.Statement[0].Condition.StringEquals).toEqual({ [`${issuer()}:sub`]: `system:serviceaccount:${ns}:${sa}`, [`${issuer()}:aud`]: "sts.amazonaws.com" });
        }
        expect(release("addons-lbc").inputs.values.serviceAccount).toMatchObject({ name: "aws-load-balancer-controller", annotations: { "eks.amazonaws.com/role-arn": role("lbc").outputs.arn } });
        expect(release("addons-cluster-autoscaler").inputs.values.rbac.serviceAccount).toMatchObject({
            name: "cluster-autoscaler",
            annotations: { "eks.amazonaws.com/role-arn": role("cluster-autoscaler").outputs.arn },
        });
        expect(release("addons-keda").inputs.values.podIdentity.aws.irsa).toEqual({ enabled: true, roleArn: role("keda").outputs.arn });
    });

    it("lets KEDA read the depth of the given queue only", () => {
        expect(parse(g.one("aws:iam/rolePolicy:RolePolicy", "addons-keda-queue-depth").inputs.policy)).toEqual({
            Version: "2012-10-17",
            Statement: [{ Sid: "ReadQueueDepth", Effect: "Allow", Action: ["sqs:GetQueueAttributes"], Resource: [g.one("aws:sqs/queue:Queue").outputs.arn] }],
        });
    });

    it("scopes the load balancer controller to the node security group, the VPC and its own tag", () => {
        const doc = parse(g.one("aws:iam/rolePolicy:RolePolicy", "addons-lbc-elb").inputs.policy);
        expect(doc.Statement.find((s: any) => s.Sid === "BackendRulesOnNodeGroup").Resource).toEqual([g.one("aws:ec2/securityGroup:SecurityGroup", "platform-node-sg").outputs.arn]);
        expect(doc.Statement.find((s: any) => s.Sid === "CreateSecurityGroupInVpc").Resource).toEqual([g.one("aws:ec2/vpc:Vpc").outputs.arn]);
        expect(release("addons-lbc").inputs.values).toMatchObject({ enableShield: false, enableWaf: false, enableWafv2: false, clusterName: "groundwork-test-platform" });
    });

    it("points Cluster Autoscaler at this cluster's node groups with the matching image", () => {
        const v = release("addons-cluster-autoscaler").inputs.values;
        expect(v).toMatchObject({ cloudProvider: "aws", autoDiscovery: { clusterName: "groundwork-test-platform" }, image: { tag: "v1.35.0" } });
        const doc = parse(g.one("aws:iam/rolePolicy:RolePolicy", "addons-cluster-autoscaler-scaling").inputs.policy);
        expect(doc.Statement[1].Resource).toEqual(g.byType("aws:eks/nodeGroup:NodeGroup").map((n) => n.outputs.arn));
    });

    it("passes the workload-role stack rule and every other mandatory EKS/IAM rule", async () => {
        const v = mandatory(await evaluateGraph(g, { tier: "prod" }));
        expect(v.filter((x) => /^aws-(eks|iam)-/.test(x.policy))).toEqual([]);
    });

    it("adds no KEDA grant without queues", async () => {
        const g2 = await build({}, false);
        expect(g2.byType("aws:iam/rolePolicy:RolePolicy").map((p) => p.name)).not.toContain("addons-keda-queue-depth");
    });
});

describe("ClusterAddons argument validation", () => {
    it.each<[string, Partial<ClusterAddonsArgs>, string]>([
        ["unsupported version", { kubernetesVersion: "1.29" }, "ClusterAddons 'addons': invalid 'kubernetesVersion': '1.29' has no pinned Cluster Autoscaler image"],
        ["no node groups", { nodeGroupArns: [] }, "ClusterAddons 'addons': invalid 'nodeGroupArns': no node group"],
        ["replicas 0", { replicas: 0 }, "ClusterAddons 'addons': invalid 'replicas': 0 is out of range"],
    ])("rejects %s", async (_l, over, message) => {
        await expect(build(over)).rejects.toThrow(message);
    });
});
