import * as pulumi from "@pulumi/pulumi";
import {
    ADDON_VERSIONS,
    amiTypeFor,
    checkAdminRoleArn,
    checkClusterName,
    checkKubernetesVersion,
    checkPublicAccessCidrs,
    checkScaling,
    checkTaints,
    clusterAutoscalerStatements,
    clusterKeyPolicy,
    clusterSecurityGroupRules,
    DEFAULT_KUBERNETES_VERSION,
    kedaOperatorStatements,
    loadBalancerControllerStatements,
    renderKubeconfig,
    SUPPORTED_KUBERNETES_VERSIONS,
} from "../../../components/cluster";
import { buildPolicyDocument, StatementInput } from "../../../components/identity";

const ACCOUNT = "123456789012";
const facts = { partition: "aws", region: "eu-west-1", accountId: ACCOUNT };

/** Resolves statements whose ARNs are outputs and builds the document, as policyJson does. */
function resolve(statements: StatementInput[]): Promise<ReturnType<typeof buildPolicyDocument>> {
    return new Promise((done) =>
        pulumi.all(statements.map((s) => pulumi.all(s.resources).apply((resources) => ({ ...s, resources: resources as string[] })))).apply((r) => done(buildPolicyDocument(r))),
    );
}

describe("checkKubernetesVersion", () => {
    it.each(SUPPORTED_KUBERNETES_VERSIONS.map((v) => v.version))("accepts %s", (v) => expect(checkKubernetesVersion(v)).toBeUndefined());
    it.each(["1.31", "1.29", "1.36-rc", "latest", ""])("refuses %p", (v) =>
        expect(checkKubernetesVersion(v)).toEqual({ problem: `'${v}' is not a Kubernetes version EKS supports (supported: 1.35, 1.34, 1.33, 1.32)`, fix: "use a supported minor version such as '1.35'" }),
    );
    it("defaults to the newest version in standard support, with pinned add-ons for every version", () => {
        expect(DEFAULT_KUBERNETES_VERSION).toBe(SUPPORTED_KUBERNETES_VERSIONS[0].version);
        for (const { version } of SUPPORTED_KUBERNETES_VERSIONS) {
            expect(Object.keys(ADDON_VERSIONS[version]).sort()).toEqual(["aws-ebs-csi-driver", "coredns", "eks-pod-identity-agent", "kube-proxy", "vpc-cni"]);
            expect(ADDON_VERSIONS[version]["kube-proxy"]).toMatch(new RegExp(`^v${version.replace(".", "\\.")}\\.\\d+-eksbuild\\.\\d+$`));
        }
    });
});

describe("checkPublicAccessCidrs", () => {
    const world = (c: string) => ({
        problem: `'${c}' opens the Kubernetes API endpoint to the whole internet`,
        fix: "list only the office/VPN/CI egress CIDRs that need the public endpoint, or omit publicAccessCidrs to keep it private",
    });
    it.each<[string[], ReturnType<typeof checkPublicAccessCidrs>]>([
        [[], undefined],
        [["203.0.113.0/24"], undefined],
        [["203.0.113.7/32", "2001:db8::/32"], undefined],
        [["0.0.0.0/0"], world("0.0.0.0/0")],
        [["::/0"], world("::/0")],
        [["203.0.113.0/24", "10.0.0.0/0"], world("10.0.0.0/0")],
        [["203.0.113.0"], { problem: "'203.0.113.0' is not an IPv4 or IPv6 CIDR", fix: "list CIDRs such as '203.0.113.0/24'" }],
        [["300.0.0.0/8"], { problem: "'300.0.0.0/8' is not an IPv4 or IPv6 CIDR", fix: "list CIDRs such as '203.0.113.0/24'" }],
    ])("%j", (cidrs, expected) => expect(checkPublicAccessCidrs(cidrs)).toEqual(expected));
});

describe("checkScaling", () => {
    it.each<[number, number, number, string | undefined]>([
        [2, 2, 4, undefined],
        [0, 0, 1, undefined],
        [1, 3, 3, undefined],
        [3, 2, 4, "need minSize <= desiredSize <= maxSize, got 3 <= 2 <= 4"],
        [1, 5, 4, "need minSize <= desiredSize <= maxSize, got 1 <= 5 <= 4"],
        [0, 0, 0, "maxSize is 0"],
        [1, 1, 451, "maxSize 451 exceeds the EKS limit of 450 nodes per managed node group"],
        [-1, 1, 2, "sizes must be whole numbers >= 0 (min -1, desired 1, max 2)"],
        [1, 1.5, 2, "sizes must be whole numbers >= 0 (min 1, desired 1.5, max 2)"],
    ])("min %d desired %d max %d", (minSize, desiredSize, maxSize, problem) => expect(checkScaling({ minSize, desiredSize, maxSize })?.problem).toBe(problem));
});

describe("small validators", () => {
    it.each([
        ["groundwork-prod-cluster", true],
        ["a", true],
        ["-bad", false],
        ["has space", false],
        ["x".repeat(101), false],
    ])("cluster name %p valid: %p", (n, ok) => expect(checkClusterName(n) === undefined).toBe(ok));
    it.each([
        ["arn:aws:iam::123456789012:role/platform-admin", true],
        ["arn:aws:iam::123456789012:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Admin_abc", true],
        ["arn:aws:iam::123456789012:role/*", false],
        ["arn:aws:iam::123456789012:user/alice", false],
        ["admin", false],
    ])("admin role %p valid: %p", (a, ok) => expect(checkAdminRoleArn(a) === undefined).toBe(ok));
    it.each<[Parameters<typeof checkTaints>[0], string | undefined]>([
        [[{ key: "groundwork.dev/queue-worker", value: "true", effect: "NO_SCHEDULE" }], undefined],
        [[{ key: "bad key", effect: "NO_SCHEDULE" }], "taint key 'bad key' is not a Kubernetes qualified name"],
        [[{ key: "ok", effect: "NoSchedule" as never }], "taint effect 'NoSchedule' is not an EKS effect"],
    ])("taints %j", (t, problem) => expect(checkTaints(t)?.problem).toBe(problem));
    it.each([
        ["x86_64", "AL2023_x86_64_STANDARD"],
        ["arm64", "AL2023_ARM_64_STANDARD"],
    ] as const)("amiType for %s is %s", (arch, ami) => expect(amiTypeFor(arch)).toBe(ami));
});

describe("renderKubeconfig", () => {
    it("authenticates with aws eks get-token and embeds endpoint and CA", () => {
        const kc = JSON.parse(renderKubeconfig({ clusterName: "c1", endpoint: "https://X.eks.amazonaws.com", certificateAuthority: "Q0E=", region: "eu-west-1" }));
        expect(kc).toEqual({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: "c1", cluster: { server: "https://X.eks.amazonaws.com", "certificate-authority-data": "Q0E=" } }],
            contexts: [{ name: "c1", context: { cluster: "c1", user: "c1" } }],
            "current-context": "c1",
            preferences: {},
            users: [
                {
                    name: "c1",
                    user: {
                        exec: {
                            apiVersion: "client.authentication.k8s.io/v1beta1",
                            command: "aws",
                            args: ["eks", "get-token", "--cluster-name", "c1", "--region", "eu-west-1", "--output", "json"],
                            interactiveMode: "Never",
                            provideClusterInfo: false,
                        },
                    },
                },
            ],
        });
    });
    it("assumes a role when given", () => {
        const kc = JSON.parse(renderKubeconfig({ clusterName: "c1", endpoint: "e", certificateAuthority: "c", region: "r", roleArn: "arn:aws:iam::1:role/a" }));
        expect(kc.users[0].user.exec.args.slice(-2)).toEqual(["--role-arn", "arn:aws:iam::1:role/a"]);
    });
});

describe("clusterKeyPolicy", () => {
    const doc = clusterKeyPolicy({ ...facts, logGroupName: "/aws/eks/c1/cluster" }) as { Statement: any[] };
    it("administers through the account root only and never names a wildcard principal", () => {
        expect(doc.Statement[0]).toEqual({ Sid: "AccountRootAdministers", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" });
        for (const s of doc.Statement) expect(JSON.stringify(s.Principal)).not.toContain('"*"');
    });
    it("lets CloudWatch Logs use the key for the control-plane log group only", () => {
        expect(doc.Statement[1].Principal).toEqual({ Service: "logs.eu-west-1.amazonaws.com" });
        expect(doc.Statement[1].Condition).toEqual({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:/aws/eks/c1/cluster` } });
    });
    it("lets the Auto Scaling service-linked role encrypt node volumes, with grants only for AWS resources", () => {
        const slr = `arn:aws:iam::${ACCOUNT}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling`;
        const root = `arn:aws:iam::${ACCOUNT}:root`;
        expect(doc.Statement.slice(2).map((s) => [s.Principal.AWS, s.Action, s.Condition])).toEqual([
            [root, ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"], { ArnEquals: { "aws:PrincipalArn": slr } }],
            [root, "kms:CreateGrant", { ArnEquals: { "aws:PrincipalArn": slr }, Bool: { "kms:GrantIsForAWSResource": "true" } }],
        ]);
    });
    it("names no principal that may not exist yet in a fresh account: only the account root, and AWS service principals", () => {
        // KMS rejects a key policy whose principal does not exist; the Auto Scaling service-linked role is created
        // with the account's first Auto Scaling group, after this key, so it may appear only in conditions.
        const principals = doc.Statement.flatMap((s) => [s.Principal.AWS, s.Principal.Service].filter(Boolean));
        expect(new Set(principals)).toEqual(new Set([`arn:aws:iam::${ACCOUNT}:root`, "logs.eu-west-1.amazonaws.com"]));
    });
});

describe("clusterSecurityGroupRules", () => {
    const rules = clusterSecurityGroupRules();
    it("admits nothing from outside the cluster's own groups", () => {
        for (const r of rules.filter((r) => r.direction === "ingress")) expect(["cluster", "node"]).toContain(r.peer);
    });
    it("describes every rule", () => {
        for (const r of rules) expect(r.description.length).toBeGreaterThan(10);
    });
    it("lets the internet be reached only on 443 from nodes", () => {
        expect(rules.filter((r) => r.peer === "internet").map((r) => [r.on, r.direction, r.protocol, r.fromPort, r.toPort])).toEqual([["node", "egress", "tcp", 443, 443]]);
    });
    it("opens the API to nodes and kubelets/webhooks to the control plane", () => {
        expect(rules.find((r) => r.on === "cluster" && r.direction === "ingress")).toMatchObject({ peer: "node", fromPort: 443, toPort: 443 });
        expect(rules.find((r) => r.part === "node-in-ephemeral-cluster")).toMatchObject({ peer: "cluster", fromPort: 1025, toPort: 65535 });
    });
});

describe("controller statements", () => {
    const NODE_SG = `arn:aws:ec2:eu-west-1:${ACCOUNT}:security-group/sg-0123`;
    const VPC = `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc/vpc-0123`;

    it("load balancer controller: * only for unscopable actions; everything else exact or tag-scoped to this cluster", async () => {
        const doc = await resolve(loadBalancerControllerStatements({ ...facts, clusterName: "c1", vpcArn: VPC, nodeSecurityGroupArn: NODE_SG }));
        expect(doc.Statement.map((s) => s.Sid)).toEqual([
            "Discover",
            "DiscoverVpcSecurityGroups",
            "BackendRulesOnNodeGroup",
            "CreateSecurityGroupInVpc",
            "CreateTaggedSecurityGroup",
            "TagSecurityGroupOnCreate",
            "ManageOwnSecurityGroups",
            "CreateTaggedLoadBalancers",
            "TagOnCreate",
            "ManageOwnLoadBalancers",
            "RegisterIntoBoundTargetGroups",
            "ManageOwnListeners",
        ]);
        // The scopable read is on the cluster's VPC only; certificate and COIP discovery are not granted at all
        expect(doc.Statement[1]).toEqual({ Sid: "DiscoverVpcSecurityGroups", Effect: "Allow", Action: ["ec2:GetSecurityGroupsForVpc"], Resource: [VPC] });
        const actions = doc.Statement.flatMap((s) => s.Action);
        for (const a of ["acm:DescribeCertificate", "acm:ListCertificates", "iam:GetServerCertificate", "iam:ListServerCertificates", "ec2:GetCoipPoolUsage"]) expect(actions).not.toContain(a);
        expect(doc.Statement[2]).toEqual({ Sid: "BackendRulesOnNodeGroup", Effect: "Allow", Action: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], Resource: [NODE_SG] });
        expect(doc.Statement[3].Resource).toEqual([VPC]);
        for (const s of doc.Statement.slice(4)) {
            for (const r of s.Resource) expect(r).toMatch(new RegExp(`^arn:aws:(ec2|elasticloadbalancing):eu-west-1:${ACCOUNT}:`));
            const eq = s.Condition?.StringEquals ?? {};
            expect(eq["aws:ResourceTag/elbv2.k8s.aws/cluster"] ?? eq["aws:RequestTag/elbv2.k8s.aws/cluster"] ?? eq["aws:ResourceTag/groundwork.dev/target-group-binding"]).toBe("c1");
        }
        // A program-owned target group (LoadBalancer + TargetGroupBinding): only targets move, the group itself is not the controller's
        expect(doc.Statement.find((s) => s.Sid === "RegisterIntoBoundTargetGroups")).toEqual({
            Sid: "RegisterIntoBoundTargetGroups",
            Effect: "Allow",
            Action: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            Resource: [`arn:aws:elasticloadbalancing:eu-west-1:${ACCOUNT}:targetgroup/*/*`],
            Condition: { StringEquals: { "aws:ResourceTag/groundwork.dev/target-group-binding": "c1" } },
        });
        expect(JSON.stringify(doc)).not.toMatch(/iam:CreateServiceLinkedRole|waf|shield|cognito/);
    });

    it("cluster autoscaler: describe node groups by ARN, scale only ASGs owned by this cluster", async () => {
        const ng = `arn:aws:eks:eu-west-1:${ACCOUNT}:nodegroup/c1/system/abc`;
        const doc = await resolve(clusterAutoscalerStatements({ ...facts, clusterName: "c1", nodeGroupArns: [ng] }));
        expect(doc.Statement.slice(1)).toEqual([
            { Sid: "DescribeNodeGroups", Effect: "Allow", Action: ["eks:DescribeNodegroup"], Resource: [ng] },
            {
                Sid: "ScaleOwnNodeGroups",
                Effect: "Allow",
                Action: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                Resource: [`arn:aws:autoscaling:eu-west-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/*`],
                Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/c1": "owned" } },
            },
        ]);
        expect(doc.Statement[0].Resource).toEqual(["*"]);
    });

    it("KEDA: sqs:GetQueueAttributes on the given queues only; nothing without queues", () => {
        const q = `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`;
        expect(kedaOperatorStatements([q])).toEqual([{ sid: "ReadQueueDepth", actions: ["sqs:GetQueueAttributes"], resources: [q] }]);
        expect(kedaOperatorStatements([])).toEqual([]);
    });
});
