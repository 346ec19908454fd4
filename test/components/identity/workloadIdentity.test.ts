import * as aws from "@pulumi/aws";
import * as kubernetes from "@pulumi/kubernetes";
import { WorkloadIdentity } from "../../../components/identity";
import { evaluateGraph } from "../../support/policy";
import { runPulumi } from "../../support/pulumi";

const ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789";
const PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`;
const QUEUE = "arn:aws:sqs:us-east-1:123456789012:jobs";
const irsa = { namespace: "jobs", serviceAccountName: "worker", oidcProviderArn: PROVIDER, oidcIssuer: `https://${ISSUER}` };
const parse = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
const consume = [{ sid: "JobsConsume", actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"], resources: [QUEUE] }];

describe("WorkloadIdentity (irsa)", () => {
    it("creates a role whose trust pins :sub and :aud, and one inline policy per grant with exact ARNs", async () => {
        // GIVEN an IRSA identity granted queue consumption
        const g = await runPulumi(() => {
            const id = new WorkloadIdentity("worker", irsa);
            id.addStatements("jobs-consume", consume);
        });
        // THEN the role's trust is exactly the pinned IRSA document
        const role = g.one("aws:iam/role:Role", "worker-role");
        expect(parse(role.inputs.assumeRolePolicy)).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ServiceAccountWebIdentity",
                    Effect: "Allow",
                    Principal: { Federated: PROVIDER },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: { StringEquals: { [`${ISSUER}:sub`]: "system:serviceaccount:jobs:worker", [`${ISSUER}:aud`]: "sts.amazonaws.com" } },
                },
            ],
        });
        // AND the grant is the RolePolicy `${name}-${grantName}` on that role, with exactly the statement
        const policy = g.one("aws:iam/rolePolicy:RolePolicy", "worker-jobs-consume");
        expect(policy.inputs.role).toBe(role.outputs.name);
        expect(parse(policy.inputs.policy)).toEqual({
            Version: "2012-10-17",
            Statement: [{ Sid: "JobsConsume", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"], Resource: [QUEUE] }],
        });
        // AND no ServiceAccount without a provider, no Pod Identity association
        expect(g.byType("kubernetes:core/v1:ServiceAccount")).toEqual([]);
        expect(g.byType("aws:eks/podIdentityAssociation:PodIdentityAssociation")).toEqual([]);
        expect(policy.parent).toBe(g.one("groundwork:identity:WorkloadIdentity", "worker").urn);
    });

    it("creates the annotated ServiceAccount without an automounted API token when given a provider", async () => {
        const g = await runPulumi(() => {
            const provider = new kubernetes.Provider("k8s", { kubeconfig: "{}" });
            new WorkloadIdentity("worker", { ...irsa, kubernetesProvider: provider });
        });
        const sa = g.one("kubernetes:core/v1:ServiceAccount", "worker-sa");
        expect(sa.inputs.metadata).toMatchObject({
            name: "worker",
            namespace: "jobs",
            annotations: { "eks.amazonaws.com/role-arn": g.one("aws:iam/role:Role", "worker-role").outputs.arn },
        });
        expect(sa.inputs.automountServiceAccountToken).toBe(false);
        expect(sa.provider).toContain("k8s");
    });

    it("refuses Resource * on sqs:ReceiveMessage when the grant is added", async () => {
        await runPulumi(() => {
            const id = new WorkloadIdentity("worker", irsa);
            expect(() => id.addStatements("jobs-consume", [{ sid: "JobsConsume", actions: ["sqs:ReceiveMessage"], resources: ["*"] }])).toThrow(
                "IAM statement 'JobsConsume': Resource '*' on scopable actions (sqs:ReceiveMessage). Fix: name the exact ARNs.",
            );
        });
    });

    it.each([
        ["a wildcard action", [{ sid: "All", actions: ["sqs:*"], resources: [QUEUE] }], "IAM statement 'All': action 'sqs:*' is a wildcard or malformed"],
        ["no resources", [{ sid: "None", actions: ["sqs:SendMessage"], resources: [] }], "IAM statement 'None': no resources"],
    ])("refuses %s", async (_l, statements, message) => {
        await runPulumi(() => {
            const id = new WorkloadIdentity("worker", irsa);
            expect(() => id.addStatements("g", statements)).toThrow(message);
        });
    });

    it("refuses a grant name used twice or malformed", async () => {
        await runPulumi(() => {
            const id = new WorkloadIdentity("worker", irsa);
            id.addStatements("jobs-consume", consume);
            expect(() => id.addStatements("jobs-consume", consume)).toThrow("WorkloadIdentity 'worker': invalid 'grantName': grant 'jobs-consume' is added twice");
            expect(() => id.addStatements("Jobs Consume", consume)).toThrow("WorkloadIdentity 'worker': invalid 'grantName': 'Jobs Consume' is not lower-case letters, digits and '-'");
        });
    });

    it("attaches only allow-listed AWS-managed policies", async () => {
        const g = await runPulumi(() => {
            const id = new WorkloadIdentity("cni", { ...irsa, namespace: "kube-system", serviceAccountName: "aws-node" });
            id.attachAwsManagedPolicy("AmazonEKS_CNI_Policy");
            expect(() => id.attachAwsManagedPolicy("AdministratorAccess" as never)).toThrow("WorkloadIdentity 'cni': invalid 'policy': 'AdministratorAccess' is not on the allow-list");
        });
        expect(g.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs.policyArn).toBe("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy");
    });

    it.each([
        ["namespace wildcard", { ...irsa, namespace: "*" }, "WorkloadIdentity 'bad': invalid 'namespace': '*' is not a Kubernetes name"],
        ["service account wildcard", { ...irsa, serviceAccountName: "worker-*" }, "WorkloadIdentity 'bad': invalid 'serviceAccountName': 'worker-*' is not a Kubernetes name"],
        ["irsa without provider", { namespace: "jobs", serviceAccountName: "worker" }, "WorkloadIdentity 'bad': invalid 'oidcProviderArn': irsa mode needs the cluster's OIDC provider ARN and issuer"],
        ["podIdentity without cluster", { namespace: "jobs", serviceAccountName: "worker", mode: "podIdentity" as const }, "WorkloadIdentity 'bad': invalid 'clusterName': podIdentity mode needs the cluster to associate with"],
        ["unknown mode", { ...irsa, mode: "kiam" as never }, "WorkloadIdentity 'bad': invalid 'mode': 'kiam' is not a mode"],
    ])("refuses %s before declaring anything", async (_l, args, message) => {
        const g = await runPulumi(() => {
            expect(() => new WorkloadIdentity("bad", args)).toThrow(message);
        });
        expect(g.byType("aws:iam/role:Role")).toEqual([]);
    });
});

describe("WorkloadIdentity (podIdentity)", () => {
    it("trusts pods.eks.amazonaws.com of this account and associates the role with the service account", async () => {
        const g = await runPulumi(() => {
            new WorkloadIdentity("worker", { namespace: "jobs", serviceAccountName: "worker", mode: "podIdentity", clusterName: "c1" });
        });
        const role = g.one("aws:iam/role:Role", "worker-role");
        expect(parse(role.inputs.assumeRolePolicy).Statement).toEqual([
            {
                Sid: "EksPodIdentity",
                Effect: "Allow",
                Principal: { Service: "pods.eks.amazonaws.com" },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
            },
        ]);
        expect(g.one("aws:eks/podIdentityAssociation:PodIdentityAssociation").inputs).toMatchObject({ clusterName: "c1", namespace: "jobs", serviceAccount: "worker", roleArn: role.outputs.arn });
    });
});

describe("policy pack on WorkloadIdentity graphs", () => {
    it("raises no violation for an identity granted on a declared queue", async () => {
        const g = await runPulumi(() => {
            const q = new aws.sqs.Queue("jobs", {});
            const id = new WorkloadIdentity("worker", irsa);
            id.addStatements("jobs-consume", [{ sid: "JobsConsume", actions: ["sqs:ReceiveMessage"], resources: [q.arn] }]);
        });
        const v = await evaluateGraph(g, { tier: "prod" });
        expect(v.filter((x) => x.policy.startsWith("aws-iam-role-"))).toEqual([]);
    });

    it("rejects a raw grant of sqs:ReceiveMessage on * and a trust without :sub (aws-iam-role-enforce-workload-declared-resources, aws-iam-role-enforce-irsa-trust-conditions)", async () => {
        // GIVEN roles built by hand around the component's guard rails
        const g = await runPulumi(() => {
            const id = new WorkloadIdentity("worker", irsa);
            new aws.iam.RolePolicy("raw-grant", {
                role: id.roleName,
                policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Raw", Effect: "Allow", Action: "sqs:ReceiveMessage", Resource: "*" }] }),
            });
            new aws.iam.Role("loose", {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { [`${ISSUER}:aud`]: "sts.amazonaws.com" } } }],
                }),
            });
        });
        // WHEN the real pack evaluates the graph
        const v = await evaluateGraph(g, { tier: "prod" });
        // THEN both are mandatory violations with the exact messages
        const found = v.filter((x) => x.policy.startsWith("aws-iam-role-enforce"));
        expect(found.map((x) => [x.policy, x.enforcementLevel])).toEqual([
            ["aws-iam-role-enforce-irsa-trust-conditions", "mandatory"],
            ["aws-iam-role-enforce-workload-declared-resources", "mandatory"],
        ]);
        expect(found[0].message).toContain(`Statement[0] trusts ${ISSUER} without a StringEquals condition on "${ISSUER}:sub": every service account of the cluster can assume the role`);
        expect(found[1].message).toContain('raw-grant (on workload role worker-role) Statement[0] (Raw) grants sqs:ReceiveMessage on Resource "*": these actions can be scoped to ARNs');
        expect(found).toHaveLength(2);
    });
});
