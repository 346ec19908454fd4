import * as aws from "@pulumi/aws";
import { Cluster, ClusterArgs, NodeGroup } from "../../../components/cluster";
import { evaluateGraph, mandatory } from "../../support/policy";
import { Graph, runPulumi } from "../../support/pulumi";

const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const SUBNETS = ["subnet-private-a", "subnet-private-b", "subnet-private-c"];
const base: ClusterArgs = { vpcId: "vpc-0123", vpcCidrBlock: "10.0.0.0/16", privateSubnetIds: SUBNETS, adminRoleArns: [ADMIN] };
const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);

function build(args: Partial<ClusterArgs> = {}): Promise<Graph> {
    return runPulumi(() => {
        new Cluster("platform", { ...base, ...args });
    });
}

describe("Cluster with defaults", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await build({
            nodeGroups: {
                system: {},
                workers: { capacityType: "SPOT", instanceTypes: ["m7i.large", "m6i.large"], minSize: 0, maxSize: 10, taints: [{ key: "groundwork.dev/queue-worker", value: "true", effect: "NO_SCHEDULE" }], labels: { role: "worker" } },
            },
        });
    });
    const eks = () => g.one("aws:eks/cluster:Cluster");
    const key = () => g.one("aws:kms/key:Key");

    it("has a private endpoint only", () => {
        expect(eks().inputs.vpcConfig).toEqual({
            subnetIds: SUBNETS,
            securityGroupIds: [g.one("aws:ec2/securityGroup:SecurityGroup", "platform-cluster-sg").outputs.id],
            endpointPrivateAccess: true,
            endpointPublicAccess: false,
        });
    });

    it("envelope-encrypts secrets with its own rotating KMS key, protected", () => {
        expect(eks().inputs.encryptionConfig).toEqual({ resources: ["secrets"], provider: { keyArn: key().outputs.arn } });
        expect(key().inputs.enableKeyRotation).toBe(true);
        expect(key().protect).toBe(true);
        expect(key().retainOnDelete).toBe(true);
        const principals = parse(key().inputs.policy).Statement.map((s: any) => s.Principal);
        expect(JSON.stringify(principals)).not.toContain('"*"');
    });

    it("sends all five control-plane logs to the pre-created, KMS-encrypted log group with 365-day retention", () => {
        expect(eks().inputs.enabledClusterLogTypes).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        const logs = g.one("aws:cloudwatch/logGroup:LogGroup");
        expect(logs.inputs).toMatchObject({ name: `/aws/eks/${eks().inputs.name}/cluster`, retentionInDays: 365, kmsKeyId: key().outputs.arn });
        expect(eks().inputs.name).toBe("groundwork-test-platform");
        expect(eks().dependencies).toContain(logs.urn);
        expect(logs.protect).toBe(true);
    });

    it("uses API authentication with access entries for the admin roles only", () => {
        expect(eks().inputs.accessConfig).toEqual({ authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false });
        expect(g.one("aws:eks/accessEntry:AccessEntry").inputs).toMatchObject({ principalArn: ADMIN, type: "STANDARD", clusterName: "groundwork-test-platform" });
        expect(g.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").inputs).toMatchObject({
            principalArn: ADMIN,
            policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
            accessScope: { type: "cluster" },
        });
        expect(eks().inputs.version).toBe("1.35");
        expect(eks().inputs.deletionProtection).toBe(true);
    });

    it("creates the IRSA OIDC provider from the cluster's issuer", () => {
        const oidc = g.one("aws:iam/openIdConnectProvider:OpenIdConnectProvider");
        expect(oidc.inputs.url).toBe(eks().outputs.identities[0].oidcs[0].issuer);
        expect(oidc.inputs.clientIdLists).toEqual(["sts.amazonaws.com"]);
    });

    it("pins the managed add-ons; VPC CNI and EBS CSI use their own IRSA roles with only their AWS policy", () => {
        const addons: Record<string, any> = Object.fromEntries(g.byType("aws:eks/addon:Addon").map((a) => [a.inputs.addonName, a.inputs]));
        expect(Object.fromEntries(Object.entries(addons).map(([n, a]) => [n, a.addonVersion]))).toEqual({
            "vpc-cni": "v1.21.1-eksbuild.1",
            "kube-proxy": "v1.35.0-eksbuild.2",
            "eks-pod-identity-agent": "v1.3.10-eksbuild.1",
            coredns: "v1.13.1-eksbuild.1",
            "aws-ebs-csi-driver": "v1.53.0-eksbuild.1",
        });
        const cniRole = g.one("aws:iam/role:Role", "platform-vpc-cni-irsa-role");
        const ebsRole = g.one("aws:iam/role:Role", "platform-ebs-csi-irsa-role");
        expect(addons["vpc-cni"].serviceAccountRoleArn).toBe(cniRole.outputs.arn);
        expect(addons["aws-ebs-csi-driver"].serviceAccountRoleArn).toBe(ebsRole.outputs.arn);
        expect(parse(addons["vpc-cni"].configurationValues)).toEqual({ enableNetworkPolicy: "true" });
        const issuer = String(eks().outputs.identities[0].oidcs[0].issuer).replace("https://", "");
        expect(parse(cniRole.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals[`${issuer}:sub`]).toBe("system:serviceaccount:kube-system:aws-node");
        expect(parse(ebsRole.inputs.assumeRolePolicy).Statement[0].Condition.StringEquals[`${issuer}:sub`]).toBe("system:serviceaccount:kube-system:ebs-csi-controller-sa");
        const attached = (role: string) => g.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter((a) => a.inputs.role === g.one("aws:iam/role:Role", role).outputs.name).map((a) => a.inputs.policyArn);
        expect(attached("platform-vpc-cni-irsa-role")).toEqual(["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]);
        expect(attached("platform-ebs-csi-irsa-role")).toEqual(["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"]);
        // The node role has the worker and ECR pull policies only: no CNI policy.
        expect(attached("platform-node-role")).toEqual(["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly"]);
    });

    it("installs DaemonSet add-ons before the nodes and coredns / EBS CSI after them", () => {
        const ngUrns = g.byType("aws:eks/nodeGroup:NodeGroup").map((n) => n.urn);
        const addon = (n: string) => g.byType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === n)!;
        for (const n of ["coredns", "aws-ebs-csi-driver"]) expect(addon(n).dependencies).toEqual(expect.arrayContaining(ngUrns));
        const systemGroup = g.one("groundwork:cluster:NodeGroup", "platform-system");
        for (const n of ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"]) expect(systemGroup.dependencies).toContain(addon(n).urn);
    });

    it("places every node group in the private subnets, from a launch template with IMDSv2 required and an encrypted gp3 root, without SSH", () => {
        const nodeSg = g.one("aws:ec2/securityGroup:SecurityGroup", "platform-node-sg");
        for (const group of ["system", "workers"]) {
            const ng = g.one("aws:eks/nodeGroup:NodeGroup", `platform-${group}-ng`);
            const lt = g.one("aws:ec2/launchTemplate:LaunchTemplate", `platform-${group}-lt`);
            expect(ng.inputs.subnetIds).toEqual(SUBNETS);
            expect(ng.inputs.remoteAccess).toBeUndefined();
            expect(ng.inputs.amiType).toBe("AL2023_x86_64_STANDARD");
            expect(ng.inputs.launchTemplate).toEqual({ id: lt.outputs.id, version: "1" });
            expect(ng.inputs.nodeRoleArn).toBe(g.one("aws:iam/role:Role", "platform-node-role").outputs.arn);
            expect(lt.inputs.metadataOptions).toEqual({ httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 2, instanceMetadataTags: "disabled" });
            expect(lt.inputs.blockDeviceMappings).toEqual([
                { deviceName: "/dev/xvda", ebs: { volumeSize: 50, volumeType: "gp3", encrypted: "true", kmsKeyId: key().outputs.arn, deleteOnTermination: "true" } },
            ]);
            expect(lt.inputs.keyName).toBeUndefined();
            expect(lt.inputs.networkInterfaces).toBeUndefined();
            expect(lt.inputs.vpcSecurityGroupIds).toEqual([nodeSg.outputs.id]);
            expect(lt.inputs.tagSpecifications.map((t: any) => t.resourceType)).toEqual(["instance", "volume", "network-interface"]);
        }
        const workers = g.one("aws:eks/nodeGroup:NodeGroup", "platform-workers-ng").inputs;
        expect(workers).toMatchObject({
            capacityType: "SPOT",
            instanceTypes: ["m7i.large", "m6i.large"],
            scalingConfig: { minSize: 0, desiredSize: 0, maxSize: 10 },
            taints: [{ key: "groundwork.dev/queue-worker", value: "true", effect: "NO_SCHEDULE" }],
            labels: { "groundwork.dev/node-group": "workers", role: "worker" },
        });
        expect(g.one("aws:eks/nodeGroup:NodeGroup", "platform-system-ng").inputs).toMatchObject({ capacityType: "ON_DEMAND", scalingConfig: { minSize: 2, desiredSize: 2, maxSize: 4 } });
    });

    it("admits nothing from the internet into the cluster or node security groups", () => {
        for (const r of g.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")) {
            expect(r.inputs.cidrIpv4).toBeUndefined();
            expect(r.inputs.cidrIpv6).toBeUndefined();
            expect(r.inputs.referencedSecurityGroupId).toMatch(/^sg-/);
            expect(r.inputs.description).toBeTruthy();
        }
        expect(g.one("aws:ec2/securityGroup:SecurityGroup", "platform-node-sg").inputs.tags["kubernetes.io/cluster/groundwork-test-platform"]).toBe("owned");
    });

    it("exposes a secret kubeconfig and a Kubernetes provider that waits for the admin access", () => {
        const provider = g.one("pulumi:providers:kubernetes");
        expect(provider.inputs.kubeconfig).toBe("[secret]");
        expect(provider.parent).toBe(g.one("groundwork:cluster:Cluster").urn);
        expect(provider.dependencies).toContain(g.one("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").urn);
    });

    it("raises no violation of the EKS, IAM, EC2, KMS or logs rules (prod tier)", async () => {
        const v = await evaluateGraph(g, { tier: "prod" });
        expect(mandatory(v).map((x) => `${x.policy}: ${x.message}`)).toEqual([]);
        expect(v.filter((x) => x.policy.startsWith("aws-eks-")).map((x) => x.message)).toEqual([]);
    });
});

describe("Cluster options", () => {
    it("opens the public endpoint only to the given allow-list", async () => {
        const g = await build({ publicAccessCidrs: ["203.0.113.0/24"] });
        expect(g.one("aws:eks/cluster:Cluster").inputs.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
        expect(mandatory(await evaluateGraph(g)).filter((v) => v.policy.startsWith("aws-eks-"))).toEqual([]);
    });

    it("keeps the endpoint private for an empty allow-list", async () => {
        const g = await build({ publicAccessCidrs: [] });
        expect(g.one("aws:eks/cluster:Cluster").inputs.vpcConfig.endpointPublicAccess).toBe(false);
    });

    it("does not protect the key and log group when protect is false", async () => {
        const g = await build({ protect: false, logRetentionDays: 30, kubernetesVersion: "1.34", addonVersions: { coredns: "v1.12.4-eksbuild.9" } });
        expect(g.one("aws:kms/key:Key").protect).toBe(false);
        expect(g.one("aws:cloudwatch/logGroup:LogGroup").inputs.retentionInDays).toBe(30);
        expect(g.one("aws:eks/cluster:Cluster").inputs).toMatchObject({ version: "1.34", deletionProtection: false });
        expect(g.byType("aws:eks/addon:Addon").find((a) => a.inputs.addonName === "coredns")!.inputs.addonVersion).toBe("v1.12.4-eksbuild.9");
    });

    it("the policy pack rejects a hand-built cluster with a public endpoint and no allow-list", async () => {
        const g = await runPulumi(() => {
            new aws.eks.Cluster("raw", { roleArn: "arn:aws:iam::123456789012:role/r", version: "1.35", vpcConfig: { subnetIds: SUBNETS, endpointPrivateAccess: true } });
        });
        const eks = mandatory(await evaluateGraph(g)).filter((v) => v.policy.startsWith("aws-eks-")).map((v) => v.policy);
        expect(eks).toEqual(["aws-eks-cluster-disallow-public-endpoint", "aws-eks-cluster-enable-secrets-encryption", "aws-eks-cluster-enable-audit-logging"]);
    });
});

describe("Cluster argument validation", () => {
    it.each<[string, Partial<ClusterArgs>, string]>([
        ["0.0.0.0/0 allow-list", { publicAccessCidrs: ["0.0.0.0/0"] }, "Cluster 'platform': invalid 'publicAccessCidrs': '0.0.0.0/0' opens the Kubernetes API endpoint to the whole internet"],
        ["::/0 allow-list", { publicAccessCidrs: ["203.0.113.0/24", "::/0"] }, "Cluster 'platform': invalid 'publicAccessCidrs': '::/0' opens the Kubernetes API endpoint to the whole internet"],
        ["unsupported version", { kubernetesVersion: "1.29" }, "Cluster 'platform': invalid 'kubernetesVersion': '1.29' is not a Kubernetes version EKS supports"],
        ["one subnet", { privateSubnetIds: ["subnet-a"] }, "Cluster 'platform': invalid 'privateSubnetIds': EKS needs subnets in at least two Availability Zones"],
        ["no admin", { adminRoleArns: [] }, "Cluster 'platform': invalid 'adminRoleArns': no admin role"],
        ["wildcard admin", { adminRoleArns: ["arn:aws:iam::123456789012:role/*"] }, "Cluster 'platform': invalid 'adminRoleArns': 'arn:aws:iam::123456789012:role/*' is not an IAM role ARN"],
        ["retention not a CloudWatch value", { logRetentionDays: 100 }, "Cluster 'platform': invalid 'logRetentionDays': 100 is not a CloudWatch Logs retention value"],
        ["bad cluster name", { clusterName: "-x" }, "Cluster 'platform': invalid 'clusterName': '-x' is not a valid EKS cluster name"],
        ["no node group", { nodeGroups: {} }, "Cluster 'platform': invalid 'nodeGroups': no node group"],
        ["bad group name", { nodeGroups: { System_1: {} } }, "Cluster 'platform': invalid 'nodeGroups': group name 'System_1'"],
        ["desired above max", { nodeGroups: { system: { minSize: 1, desiredSize: 5, maxSize: 3 } } }, "NodeGroup 'platform-system': invalid 'minSize/desiredSize/maxSize': need minSize <= desiredSize <= maxSize, got 1 <= 5 <= 3"],
        ["max 0", { nodeGroups: { system: { minSize: 0, maxSize: 0 } } }, "NodeGroup 'platform-system': invalid 'minSize/desiredSize/maxSize': maxSize is 0. Fix: set maxSize to at least 1"],
        ["spot with one type", { nodeGroups: { spot: { capacityType: "SPOT", instanceTypes: ["m7i.large"] } } }, "NodeGroup 'platform-spot': invalid 'instanceTypes': a Spot group with one instance type"],
        ["bad taint", { nodeGroups: { w: { taints: [{ key: "a b", effect: "NO_SCHEDULE" }] } } }, "NodeGroup 'platform-w': invalid 'taints': taint key 'a b'"],
    ])("rejects %s", async (_l, args, message) => {
        const g = await runPulumi(() => {
            expect(() => new Cluster("platform", { ...base, ...args })).toThrow(message);
        });
        // Nothing was declared: validation runs before the first resource.
        expect(g.resources.filter((r) => r.custom)).toEqual([]);
    });

    it("a NodeGroup alone refuses to run without private subnets", async () => {
        await runPulumi(() => {
            expect(
                () => new NodeGroup("ng", { clusterName: "c", kubernetesVersion: "1.35", privateSubnetIds: [], nodeRoleArn: "r", nodeSecurityGroupId: "sg", kmsKeyArn: "k" }),
            ).toThrow("NodeGroup 'ng': invalid 'privateSubnetIds': no private subnets given");
        });
    });
});
