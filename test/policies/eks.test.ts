import { unknownCheckingProxy } from "@pulumi/policy";
import { UNKNOWN } from "../../tools/plan/mocks";
import { ADDON_VERSIONS, SUPPORTED_KUBERNETES_VERSIONS } from "../../components/cluster/versions";
import { AWS_MANAGED_WORKLOAD_POLICIES } from "../../components/identity/managedPolicies";
import { UNSCOPABLE_ACTIONS } from "../../components/identity/statements";
import { irsaTrustPolicy } from "../../components/identity/trust";
import { eksClusterConfigureSupportedVersion } from "../../policies/security/rules/eks/cluster/configureSupportedVersion";
import { eksClusterDisallowPublicEndpoint } from "../../policies/security/rules/eks/cluster/disallowPublicEndpoint";
import { eksClusterEnableAuditLogging } from "../../policies/security/rules/eks/cluster/enableAuditLogging";
import { eksClusterEnableControlPlaneLogs } from "../../policies/security/rules/eks/cluster/enableControlPlaneLogs";
import { eksClusterEnableSecretsEncryption } from "../../policies/security/rules/eks/cluster/enableSecretsEncryption";
import { iamRoleEnforceIrsaTrustConditions } from "../../policies/security/rules/eks/iamRole/enforceIrsaTrustConditions";
import { rules as eksRules } from "../../policies/security/rules/eks";
import { eksNodeGroupDisallowSshFromWorld } from "../../policies/security/rules/eks/nodeGroup/disallowSshFromWorld";
import { ALLOWED_AWS_MANAGED_WORKLOAD_POLICIES, SUPPORTED_EKS_VERSIONS, WORKLOAD_UNSCOPABLE_ACTIONS } from "../../policies/security/rules/eks/shared";
import { iamRoleEnforceWorkloadDeclaredResources } from "../../policies/security/rules/eks/workloadRole/enforceDeclaredResources";
import { MIN_REASON_LENGTH } from "@groundwork/policy-kit";
import { checkResource, checkStack, graphResource, mutate } from "../support/policy";
import { ruleTable, type Props } from "../support/ruleTable";

const ACCOUNT = "123456789012";
const KEY = `arn:aws:kms:eu-west-1:${ACCOUNT}:key/0f1e2d3c-aaaa-bbbb-cccc-111122223333`;
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789";
const PROVIDER = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`;

/** The cluster as the Cluster component declares it. */
const goodCluster: Props = {
    name: "groundwork-prod-cluster",
    version: "1.35",
    roleArn: `arn:aws:iam::${ACCOUNT}:role/cluster-role`,
    vpcConfig: { subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-1"], endpointPrivateAccess: true, endpointPublicAccess: false },
    encryptionConfig: { resources: ["secrets"], provider: { keyArn: KEY } },
    enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    accessConfig: { authenticationMode: "API", bootstrapClusterCreatorAdminPermissions: false },
};

describe("the pack's lists mirror the component library's", () => {
    it("supported Kubernetes versions", () => {
        expect(SUPPORTED_EKS_VERSIONS).toEqual(SUPPORTED_KUBERNETES_VERSIONS.map((v) => v.version));
        expect(Object.keys(ADDON_VERSIONS).sort()).toEqual([...SUPPORTED_EKS_VERSIONS].sort());
    });
    it("unscopable actions", () => {
        expect([...WORKLOAD_UNSCOPABLE_ACTIONS].sort()).toEqual([...UNSCOPABLE_ACTIONS].sort());
    });
    it("AWS-managed workload policies", () => {
        expect([...ALLOWED_AWS_MANAGED_WORKLOAD_POLICIES].sort()).toEqual(Object.values(AWS_MANAGED_WORKLOAD_POLICIES).sort());
    });
    it("every eks rule is registered once", () => {
        expect(eksRules.map((r) => r.name)).toEqual([
            "aws-eks-cluster-disallow-public-endpoint",
            "aws-eks-cluster-enable-secrets-encryption",
            "aws-eks-cluster-enable-audit-logging",
            "aws-eks-cluster-enable-control-plane-logs",
            "aws-eks-cluster-configure-supported-version",
            "aws-eks-nodegroup-disallow-ssh-from-world",
            "aws-iam-role-enforce-irsa-trust-conditions",
            "aws-iam-role-enforce-workload-declared-resources",
        ]);
    });
});

describe("aws-eks-cluster-disallow-public-endpoint", () => {
    const open = (how: string) => `vpcConfig.endpointPublicAccess ${how} and publicAccessCidrs is not set (AWS default: 0.0.0.0/0): the Kubernetes API is open to the internet`;
    ruleTable(eksClusterDisallowPublicEndpoint, goodCluster, [
        ["endpointPublicAccess not set (AWS default true, 0.0.0.0/0)", (p) => delete p.vpcConfig.endpointPublicAccess, [open("is not set (AWS default: true)")]],
        ["public endpoint without an allow-list", (p) => (p.vpcConfig.endpointPublicAccess = true), [open("is true")]],
        ["public endpoint with an empty allow-list", (p) => Object.assign(p.vpcConfig, { endpointPublicAccess: true, publicAccessCidrs: [] }), [open("is true")]],
        [
            "public endpoint open to 0.0.0.0/0",
            (p) => Object.assign(p.vpcConfig, { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] }),
            ["vpcConfig.publicAccessCidrs contains 0.0.0.0/0: the Kubernetes API is open to the internet"],
        ],
        [
            "public endpoint open to ::/0",
            (p) => Object.assign(p.vpcConfig, { endpointPublicAccess: "true", publicAccessCidrs: ["::/0"] }),
            ["vpcConfig.publicAccessCidrs contains ::/0: the Kubernetes API is open to the internet"],
        ],
        ["private endpoint off", (p) => (p.vpcConfig.endpointPrivateAccess = false), ["vpcConfig.endpointPrivateAccess is not true: nodes and pods reach the Kubernetes API over the public endpoint"]],
        [
            "no vpcConfig at all",
            (p) => (p.vpcConfig = undefined),
            [open("is not set (AWS default: true)"), "vpcConfig.endpointPrivateAccess is not true: nodes and pods reach the Kubernetes API over the public endpoint"],
        ],
        ["passes: public endpoint for an office allow-list", (p) => Object.assign(p.vpcConfig, { endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] }), []],
        ["passes: allow-list kept while the endpoint is off", (p) => (p.vpcConfig.publicAccessCidrs = ["0.0.0.0/0"]), []],
    ]);
});

describe("aws-eks-cluster-enable-secrets-encryption", () => {
    ruleTable(eksClusterEnableSecretsEncryption, goodCluster, [
        ["encryptionConfig not set", (p) => delete p.encryptionConfig, ["encryptionConfig is not set: Kubernetes secrets are not envelope-encrypted with KMS"]],
        ["resources without secrets", (p) => (p.encryptionConfig.resources = []), ['encryptionConfig.resources does not include "secrets": Kubernetes secrets are not envelope-encrypted with KMS']],
        ["no key", (p) => delete p.encryptionConfig.provider, ["encryptionConfig.provider.keyArn is not set: no KMS key encrypts the secrets"]],
        ["empty key ARN", (p) => (p.encryptionConfig.provider.keyArn = ""), ["encryptionConfig.provider.keyArn is not set: no KMS key encrypts the secrets"]],
        ["passes: legacy list form", (p) => (p.encryptionConfig = [p.encryptionConfig]), []],
    ]);
    it("passes a key ARN unknown during preview (a key created in the same update), and is judged again on its value", () => {
        const props = unknownCheckingProxy({ ...goodCluster, encryptionConfig: { ...goodCluster.encryptionConfig, provider: { keyArn: UNKNOWN } } });
        expect(checkResource(eksClusterEnableSecretsEncryption, props)).toEqual([]);
        expect(checkResource(eksClusterEnableSecretsEncryption, unknownCheckingProxy({ ...goodCluster, encryptionConfig: { resources: ["secrets"], provider: {} } }))).toHaveLength(1);
    });
});

describe("aws-eks-cluster-enable-audit-logging", () => {
    ruleTable(eksClusterEnableAuditLogging, goodCluster, [
        ["log types not set", (p) => delete p.enabledClusterLogTypes, ["enabledClusterLogTypes is not set: no control-plane log is recorded, the audit log included"]],
        ["empty log types", (p) => (p.enabledClusterLogTypes = []), ["enabledClusterLogTypes is not set: no control-plane log is recorded, the audit log included"]],
        ["audit missing", (p) => (p.enabledClusterLogTypes = ["api", "authenticator"]), ['enabledClusterLogTypes does not include "audit": calls to the Kubernetes API are not recorded']],
        ["passes: audit only", (p) => (p.enabledClusterLogTypes = ["audit"]), []],
    ]);
    it("is mandatory", () => expect(eksClusterEnableAuditLogging.level).toBe("mandatory"));
});

describe("aws-eks-cluster-enable-control-plane-logs", () => {
    ruleTable(eksClusterEnableControlPlaneLogs, goodCluster, [
        ["audit only", (p) => (p.enabledClusterLogTypes = ["audit"]), ["enabledClusterLogTypes lacks api, authenticator, controllerManager, scheduler: those control-plane logs are not recorded"]],
        ["scheduler missing", (p) => p.enabledClusterLogTypes.pop(), ["enabledClusterLogTypes lacks scheduler: those control-plane logs are not recorded"]],
        ["passes: audit missing is the mandatory rule's finding", (p) => (p.enabledClusterLogTypes = ["api", "authenticator", "controllerManager", "scheduler"]), []],
    ]);
    it("is advisory", () => expect(eksClusterEnableControlPlaneLogs.level).toBe("advisory"));
});

describe("aws-eks-cluster-configure-supported-version", () => {
    ruleTable(eksClusterConfigureSupportedVersion, goodCluster, [
        ["version not set", (p) => delete p.version, ["version is not set: the Kubernetes version is whatever AWS picks at creation"]],
        ["end-of-life version", (p) => (p.version = "1.29"), ['version "1.29" is not a Kubernetes version EKS supports (supported: 1.35, 1.34, 1.33, 1.32)']],
        ["1.31 (extended support ends 2026-11-26)", (p) => (p.version = "1.31"), ['version "1.31" is not a Kubernetes version EKS supports (supported: 1.35, 1.34, 1.33, 1.32)']],
        ["patch version", (p) => (p.version = "1.35.1"), ['version "1.35.1" is not a Kubernetes version EKS supports (supported: 1.35, 1.34, 1.33, 1.32)']],
        ["passes: 1.34", (p) => (p.version = "1.34"), []],
    ]);
});

describe("aws-eks-nodegroup-disallow-ssh-from-world", () => {
    const goodNodeGroup: Props = {
        clusterName: "c",
        nodeRoleArn: `arn:aws:iam::${ACCOUNT}:role/node`,
        subnetIds: ["subnet-a"],
        scalingConfig: { minSize: 1, desiredSize: 1, maxSize: 2 },
        launchTemplate: { id: "lt-1", version: "1" },
    };
    const open = "remoteAccess.ec2SshKey is set without sourceSecurityGroupIds: SSH (22) is open to 0.0.0.0/0 on every node";
    ruleTable(eksNodeGroupDisallowSshFromWorld, goodNodeGroup, [
        ["SSH key without source groups", (p) => (p.remoteAccess = { ec2SshKey: "ops" }), [open]],
        ["SSH key with an empty source list", (p) => (p.remoteAccess = { ec2SshKey: "ops", sourceSecurityGroupIds: [] }), [open]],
        ["passes: SSH restricted to a bastion group", (p) => (p.remoteAccess = { ec2SshKey: "ops", sourceSecurityGroupIds: ["sg-bastion"] }), []],
        ["passes: remoteAccess without a key", (p) => (p.remoteAccess = {}), []],
    ]);
});

describe("aws-iam-role-enforce-irsa-trust-conditions", () => {
    /** The trust document WorkloadIdentity emits. */
    const goodRole: Props = { assumeRolePolicy: irsaTrustPolicy({ oidcProviderArn: PROVIDER, oidcIssuer: ISSUER, namespace: "jobs", serviceAccount: "worker" }) };
    const stmt = (p: Props) => p.assumeRolePolicy.Statement[0];
    const label = "Statement[0] (ServiceAccountWebIdentity)";
    const missingSub = `${label} trusts ${ISSUER} without a StringEquals condition on "${ISSUER}:sub": every service account of the cluster can assume the role`;
    const missingAud = `${label} trusts ${ISSUER} without a StringEquals condition "${ISSUER}:aud" = "sts.amazonaws.com": tokens minted for other audiences are accepted`;
    ruleTable(iamRoleEnforceIrsaTrustConditions, goodRole, [
        ["missing :sub condition", (p) => delete stmt(p).Condition.StringEquals[`${ISSUER}:sub`], [missingSub]],
        ["missing :aud condition", (p) => delete stmt(p).Condition.StringEquals[`${ISSUER}:aud`], [missingAud]],
        ["no condition at all", (p) => delete stmt(p).Condition, [missingSub, missingAud]],
        [
            ":sub matched with StringLike and a wildcard",
            (p) => {
                delete stmt(p).Condition.StringEquals[`${ISSUER}:sub`];
                stmt(p).Condition.StringLike = { [`${ISSUER}:sub`]: "system:serviceaccount:jobs:*" };
            },
            [`${label} matches "${ISSUER}:sub" with StringLike, not StringEquals: every service account matching the pattern can assume the role`],
        ],
        [
            ":sub pinned to a namespace wildcard",
            (p) => (stmt(p).Condition.StringEquals[`${ISSUER}:sub`] = "system:serviceaccount:*:worker"),
            [`${label} pins "${ISSUER}:sub" to "system:serviceaccount:*:worker", not one exact system:serviceaccount:<namespace>:<name>`],
        ],
        [
            ":aud of another audience",
            (p) => (stmt(p).Condition.StringEquals[`${ISSUER}:aud`] = ["sts.amazonaws.com", "other"]),
            [`${label} accepts "${ISSUER}:aud" values other than "sts.amazonaws.com": sts.amazonaws.com, other`],
        ],
        ["statement without Sid, as a JSON string", (p) => (delete stmt(p).Sid, delete stmt(p).Condition, (p.assumeRolePolicy = JSON.stringify(p.assumeRolePolicy))), [
            `Statement[0] trusts ${ISSUER} without a StringEquals condition on "${ISSUER}:sub": every service account of the cluster can assume the role`,
            `Statement[0] trusts ${ISSUER} without a StringEquals condition "${ISSUER}:aud" = "sts.amazonaws.com": tokens minted for other audiences are accepted`,
        ]],
        ["action sts:* counts as web identity", (p) => ((stmt(p).Action = "sts:*"), delete stmt(p).Condition.StringEquals[`${ISSUER}:sub`]), [missingSub]],
        ["not JSON", (p) => (p.assumeRolePolicy = "{nope"), ["assumeRolePolicy is not valid JSON, so its IRSA conditions cannot be checked"]],
        ["passes: a Deny statement without conditions", (p) => p.assumeRolePolicy.Statement.push({ Effect: "Deny", Principal: { Federated: PROVIDER }, Action: "sts:AssumeRoleWithWebIdentity" }), []],
        ["passes: an EC2 service role", (p) => (p.assumeRolePolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] }), []],
        ["passes: a non-EKS web identity (Cognito)", (p) => (p.assumeRolePolicy.Statement[0].Principal.Federated = "cognito-identity.amazonaws.com"), []],
    ]);
});

describe("aws-iam-role-enforce-workload-declared-resources", () => {
    const QUEUE = `arn:aws:sqs:eu-west-1:${ACCOUNT}:jobs`;
    const NG = `arn:aws:eks:eu-west-1:${ACCOUNT}:nodegroup/c/system/abcd`;
    const role = graphResource("aws:iam/role:Role", "worker-role", {
        name: "worker-role-1234567",
        arn: `arn:aws:iam::${ACCOUNT}:role/worker-role-1234567`,
        assumeRolePolicy: JSON.stringify(irsaTrustPolicy({ oidcProviderArn: PROVIDER, oidcIssuer: ISSUER, namespace: "jobs", serviceAccount: "worker" })),
    });
    const queue = graphResource("aws:sqs/queue:Queue", "jobs", { arn: QUEUE, name: "jobs" });
    const nodeGroup = graphResource("aws:eks/nodeGroup:NodeGroup", "system", { arn: NG });
    const doc = (...Statement: unknown[]) => JSON.stringify({ Version: "2012-10-17", Statement });
    const consume = { Sid: "JobsConsume", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource: [QUEUE] };
    const grant = (policy: string, roleRef = "worker-role-1234567") => graphResource("aws:iam/rolePolicy:RolePolicy", "worker-jobs-consume", { role: roleRef, policy });
    const attach = (policyArn: string) => graphResource("aws:iam/rolePolicyAttachment:RolePolicyAttachment", "worker-managed", { role: "worker-role-1234567", policyArn });
    const where = "worker-jobs-consume (on workload role worker-role)";
    const run = (...extra: ReturnType<typeof graphResource>[]) => checkStack(iamRoleEnforceWorkloadDeclaredResources, [role, queue, nodeGroup, ...extra]).map((f) => f.message);
    /** The finding for an exact ARN neither declared nor listed (spelled out literally in the cross-stack tests below). */
    const notDeclared = (label: string, arn: string) =>
        `${label} names ${arn}, which is not a resource declared in this stack. If another stack declares it, list it in the policy config as ` +
        `{"aws-iam-role-enforce-workload-declared-resources":{"externalResources":[{"arn":"${arn}","reason":"<why this workload uses it>"}]}}, ` +
        "or read the ARN from an output of a StackReference (recognised only where the engine passes StackReferences to stack policies, " +
        "as `pulumi policy analyze` does; `pulumi preview`/`up` and the offline plan do not)";

    it.each<[string, ReturnType<typeof graphResource>[], string[]]>([
        ["passes: exact ARN of a declared queue", [grant(doc(consume))], []],
        ["passes: unscopable action on *", [grant(doc({ Sid: "Who", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" }))], []],
        [
            "passes: IAM database auth on a user of a declared RDS instance (named by its resource id)",
            [
                graphResource("aws:rds/instance:Instance", "db", { arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:app-db`, resourceId: "db-ABCDEF123" }),
                grant(doc({ Sid: "DbConnect", Effect: "Allow", Action: "rds-db:connect", Resource: `arn:aws:rds-db:eu-west-1:${ACCOUNT}:dbuser:db-ABCDEF123/app` })),
            ],
            [],
        ],
        [
            "passes: IAM database auth through a declared RDS Proxy (named by the prx- id its ARN ends with)",
            [
                graphResource("aws:rds/proxy:Proxy", "proxy", { arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db-proxy:prx-0123456789abcdef0` }),
                grant(doc({ Sid: "DbConnect", Effect: "Allow", Action: "rds-db:connect", Resource: `arn:aws:rds-db:eu-west-1:${ACCOUNT}:dbuser:prx-0123456789abcdef0/app` })),
            ],
            [],
        ],
        [
            "IAM database auth through a proxy the stack does not declare",
            [
                graphResource("aws:rds/proxy:Proxy", "proxy", { arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db-proxy:prx-0123456789abcdef0` }),
                grant(doc({ Sid: "DbConnect", Effect: "Allow", Action: "rds-db:connect", Resource: `arn:aws:rds-db:eu-west-1:${ACCOUNT}:dbuser:prx-fffffffffffffffff/app` })),
            ],
            [notDeclared(`${where} Statement[0] (DbConnect)`, `arn:aws:rds-db:eu-west-1:${ACCOUNT}:dbuser:prx-fffffffffffffffff/app`)],
        ],
        [
            "passes: reading the master secret RDS manages for a declared instance",
            [
                graphResource("aws:rds/instance:Instance", "db", { arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:app-db`, masterUserSecrets: [{ secretArn: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:rds!db-1-abc` }] }),
                grant(doc({ Sid: "Master", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:rds!db-1-abc` })),
            ],
            [],
        ],
        [
            "IAM database auth on an instance the stack does not declare",
            [
                graphResource("aws:rds/instance:Instance", "db", { arn: `arn:aws:rds:eu-west-1:${ACCOUNT}:db:app-db`, resourceId: "db-ABCDEF123" }),
                grant(doc({ Sid: "DbConnect", Effect: "Allow", Action: "rds-db:connect", Resource: `arn:aws:rds-db:eu-west-1:${ACCOUNT}:dbuser:db-OTHER999/app` })),
            ],
            [notDeclared(`${where} Statement[0] (DbConnect)`, `arn:aws:rds-db:eu-west-1:${ACCOUNT}:dbuser:db-OTHER999/app`)],
        ],
        ["passes: AWS-managed policy on the allow-list", [attach("arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy")], []],
        [
            "passes: tag-scoped pattern pinned to the account",
            [
                grant(
                    doc({
                        Sid: "Scale",
                        Effect: "Allow",
                        Action: "autoscaling:SetDesiredCapacity",
                        Resource: `arn:aws:autoscaling:eu-west-1:${ACCOUNT}:autoScalingGroup:*:autoScalingGroupName/*`,
                        Condition: { StringEquals: { "aws:ResourceTag/k8s.io/cluster-autoscaler/c": "owned" } },
                    }),
                ),
            ],
            [],
        ],
        [
            "* resource on sqs:ReceiveMessage",
            [grant(doc({ ...consume, Resource: "*" }))],
            [`${where} Statement[0] (JobsConsume) grants sqs:ReceiveMessage, sqs:DeleteMessage on Resource "*": these actions can be scoped to ARNs`],
        ],
        [
            "ARN of a queue the stack does not declare",
            [grant(doc({ ...consume, Resource: [`arn:aws:sqs:eu-west-1:${ACCOUNT}:other`] }))],
            [notDeclared(`${where} Statement[0] (JobsConsume)`, `arn:aws:sqs:eu-west-1:${ACCOUNT}:other`)],
        ],
        [
            "pattern without a tag condition",
            [grant(doc({ ...consume, Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:*` }))],
            [`${where} Statement[0] (JobsConsume) names the pattern arn:aws:sqs:eu-west-1:${ACCOUNT}:* without pinning the account and a StringEquals aws:ResourceTag/aws:RequestTag condition`],
        ],
        [
            "pattern with a wildcard account",
            [grant(doc({ ...consume, Resource: "arn:aws:sqs:eu-west-1:*:jobs", Condition: { StringEquals: { "aws:ResourceTag/team": "jobs" } } }))],
            [`${where} Statement[0] (JobsConsume) names the pattern arn:aws:sqs:eu-west-1:*:jobs without pinning the account and a StringEquals aws:ResourceTag/aws:RequestTag condition`],
        ],
        ["NotResource", [grant(doc({ Sid: "Not", Effect: "Allow", Action: "sqs:SendMessage", NotResource: QUEUE }))], [`${where} Statement[0] (Not) uses NotResource: it grants every resource but the listed ones`]],
        [
            "AWS-managed policy off the allow-list",
            [attach("arn:aws:iam::aws:policy/AdministratorAccess")],
            [
                "worker-managed (on workload role worker-role) attaches the AWS-managed policy AdministratorAccess, which is not on the workload allow-list (AmazonEKS_CNI_Policy, service-role/AmazonEBSCSIDriverPolicy)",
            ],
        ],
        [
            "customer policy not declared in the stack",
            [attach(`arn:aws:iam::${ACCOUNT}:policy/legacy`)],
            [`worker-managed (on workload role worker-role) attaches arn:aws:iam::${ACCOUNT}:policy/legacy, which is not a policy declared in this stack`],
        ],
        ["passes: a grant on a role that is not a workload role", [grant(doc({ ...consume, Resource: "*" }), "some-ec2-role")], []],
    ])("%s", (_label, extra, expected) => {
        expect(run(...extra)).toEqual(expected);
    });

    it("reads inlinePolicies and managedPolicyArns on the role itself", () => {
        const inline = mutate(role, (r) => {
            r.props.inlinePolicies = [{ name: "x", policy: doc({ ...consume, Resource: "*" }) }];
            r.props.managedPolicyArns = ["arn:aws:iam::aws:policy/AmazonS3FullAccess"];
        });
        expect(checkStack(iamRoleEnforceWorkloadDeclaredResources, [inline, queue]).map((f) => f.message)).toEqual([
            'workload role worker-role inlinePolicies[0] Statement[0] (JobsConsume) grants sqs:ReceiveMessage, sqs:DeleteMessage on Resource "*": these actions can be scoped to ARNs',
            "workload role worker-role attaches the AWS-managed policy AmazonS3FullAccess, which is not on the workload allow-list (AmazonEKS_CNI_Policy, service-role/AmazonEBSCSIDriverPolicy)",
        ]);
    });

    it("treats Pod Identity roles as workload roles and reports on the policy resource", () => {
        const podRole = mutate(role, (r) => {
            r.props.assumeRolePolicy = doc({ Effect: "Allow", Principal: { Service: "pods.eks.amazonaws.com" }, Action: ["sts:AssumeRole", "sts:TagSession"] });
        });
        const bad = grant(doc({ ...consume, Resource: "*" }));
        const findings = checkStack(iamRoleEnforceWorkloadDeclaredResources, [podRole, queue, bad]);
        expect(findings.map((f) => f.urn)).toEqual([bad.urn]);
    });

    it("falls back to the dependency edge when the role reference is unknown", () => {
        const bad = graphResource("aws:iam/rolePolicy:RolePolicy", "p", { policy: doc({ ...consume, Resource: "*" }) }, { dependencyUrns: [role.urn] });
        expect(checkStack(iamRoleEnforceWorkloadDeclaredResources, [role, queue, bad])).toHaveLength(1);
    });

    describe("resources of other stacks", () => {
        const SHARED = `arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-jobs`;
        const TABLE = `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/shared-orders`;
        const REASON = "the shared jobs queue is declared by the platform-shared stack";
        const rule = iamRoleEnforceWorkloadDeclaredResources;
        const listed = (...entries: unknown[]) => ({ externalResources: entries });
        const shared = grant(doc({ ...consume, Resource: [SHARED] }));
        const runWith = (config: Record<string, unknown> | undefined, ...extra: ReturnType<typeof graphResource>[]) =>
            checkStack(rule, [role, queue, nodeGroup, ...extra], "prod", config).map((f) => [f.urn, f.message]);
        const stackReference = (outputs: Record<string, unknown>) =>
            graphResource("pulumi:pulumi:StackReference", "organization/platform/shared", { name: "organization/platform/shared", outputs, secretOutputNames: [] });

        it("rejects the exact ARN of another stack's queue without a listing, naming both ways out", () => {
            expect(runWith(undefined, shared)).toEqual([
                [
                    shared.urn,
                    `worker-jobs-consume (on workload role worker-role) Statement[0] (JobsConsume) names arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-jobs, which is not a resource declared in this stack. ` +
                        "If another stack declares it, list it in the policy config as " +
                        `{"aws-iam-role-enforce-workload-declared-resources":{"externalResources":[{"arn":"arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-jobs","reason":"<why this workload uses it>"}]}}, ` +
                        "or read the ARN from an output of a StackReference (recognised only where the engine passes StackReferences to stack policies, as `pulumi policy analyze` does; " +
                        "`pulumi preview`/`up` and the offline plan do not)",
                ],
            ]);
        });

        it.each<[string, Record<string, unknown> | undefined, ReturnType<typeof graphResource>[], string[]]>([
            ["passes: the exact ARN listed in the policy config with a reason", listed({ arn: SHARED, reason: REASON }), [shared], []],
            [
                "passes: a sub-resource of a listed ARN, without wildcard",
                listed({ arn: TABLE, reason: REASON }),
                [grant(doc({ Sid: "Orders", Effect: "Allow", Action: "dynamodb:Query", Resource: [TABLE, `${TABLE}/index/by-customer`] }))],
                [],
            ],
            ["passes: the ARN is an output of a StackReference", undefined, [stackReference({ jobsQueueArn: SHARED }), shared], []],
            ["passes: the ARN is a nested output of a StackReference", undefined, [stackReference({ queues: { jobs: { arn: SHARED, url: "https://sqs/x" } }, list: [1] }), shared], []],
            ["passes: the ARN is an element of a list output of a StackReference", undefined, [stackReference({ arns: ["arn:aws:sqs:eu-west-1:111122223333:x", SHARED] }), shared], []],
            ["another ARN is listed", listed({ arn: `${SHARED}-2`, reason: REASON }), [shared], [notDeclared(`${where} Statement[0] (JobsConsume)`, SHARED)]],
            ["a StackReference output of another ARN", undefined, [stackReference({ jobsQueueArn: `${SHARED}-2` }), shared], [notDeclared(`${where} Statement[0] (JobsConsume)`, SHARED)]],
            ["a listing with a short reason does not accept it", listed({ arn: SHARED, reason: "shared" }), [shared], [notDeclared(`${where} Statement[0] (JobsConsume)`, SHARED)]],
            [
                "a listed pattern does not make a wildcard Resource pass",
                listed({ arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-*`, reason: REASON }),
                [grant(doc({ ...consume, Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-*` }))],
                [`${where} Statement[0] (JobsConsume) names the pattern arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-* without pinning the account and a StringEquals aws:ResourceTag/aws:RequestTag condition`],
            ],
            [
                "a pattern among a StackReference's outputs does not make it pass",
                undefined,
                [stackReference({ all: `arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-*` }), grant(doc({ ...consume, Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-*` }))],
                [`${where} Statement[0] (JobsConsume) names the pattern arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-* without pinning the account and a StringEquals aws:ResourceTag/aws:RequestTag condition`],
            ],
            [
                "a sub-resource wildcard of a listed ARN stays a violation",
                listed({ arn: TABLE, reason: REASON }),
                [grant(doc({ Sid: "Orders", Effect: "Allow", Action: "dynamodb:Query", Resource: `${TABLE}/index/*` }))],
                [`${where} Statement[0] (Orders) names the pattern ${TABLE}/index/* without pinning the account and a StringEquals aws:ResourceTag/aws:RequestTag condition`],
            ],
            [
                "? is a wildcard too",
                listed({ arn: SHARED, reason: REASON }),
                [grant(doc({ ...consume, Resource: `arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-job?` }))],
                [`${where} Statement[0] (JobsConsume) names the pattern arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-job? without pinning the account and a StringEquals aws:ResourceTag/aws:RequestTag condition`],
            ],
            [
                "passes: Resource \"*\" on unscopable actions, listing or not",
                listed({ arn: SHARED, reason: REASON }),
                [grant(doc({ Sid: "Who", Effect: "Allow", Action: "sts:GetCallerIdentity", Resource: "*" }))],
                [],
            ],
            [
                "Resource \"*\" on scopable actions stays a violation, listing or not",
                listed({ arn: SHARED, reason: REASON }),
                [grant(doc({ ...consume, Resource: "*" }))],
                [`${where} Statement[0] (JobsConsume) grants sqs:ReceiveMessage, sqs:DeleteMessage on Resource "*": these actions can be scoped to ARNs`],
            ],
        ])("%s", (_label, config, extra, expected) => {
            expect(runWith(config, ...extra).map(([, m]) => m)).toEqual(expected);
        });

        it("reads inlinePolicies against the listing too", () => {
            const inline = mutate(role, (r) => (r.props.inlinePolicies = [{ name: "x", policy: doc({ ...consume, Resource: [SHARED] }) }]));
            expect(checkStack(rule, [inline, queue], "prod", listed({ arn: SHARED, reason: REASON }))).toEqual([]);
            expect(checkStack(rule, [inline, queue]).map((f) => f.message)).toEqual([notDeclared("workload role worker-role inlinePolicies[0] Statement[0] (JobsConsume)", SHARED)]);
        });

        it("declares externalResources in its config schema: a list of { arn, reason } defaulting to empty", () => {
            expect(rule.config?.properties).toEqual({
                externalResources: {
                    type: "array",
                    default: [],
                    items: { type: "object", properties: { arn: { type: "string" }, reason: { type: "string" } }, required: ["arn"] },
                },
            });
        });

        const at = "policy config of aws-iam-role-enforce-workload-declared-resources: externalResources";
        it.each<[string, unknown, string[]]>([
            ["no config", undefined, []],
            ["an empty list", [], []],
            ["a valid entry", [{ arn: SHARED, reason: REASON }], []],
            ["a reason of exactly the minimum length", [{ arn: SHARED, reason: "x".repeat(MIN_REASON_LENGTH) }], []],
            [
                "a short reason",
                [{ arn: SHARED, reason: "shared" }],
                [`${at}[0] (${SHARED}) has no reason (at least ${MIN_REASON_LENGTH} characters), so it is ignored. Fix: say why this stack's workloads may use that resource.`],
            ],
            [
                "a blank reason, after a valid entry",
                [{ arn: TABLE, reason: REASON }, { arn: SHARED, reason: "   " }],
                [`${at}[1] (${SHARED}) has no reason (at least ${MIN_REASON_LENGTH} characters), so it is ignored. Fix: say why this stack's workloads may use that resource.`],
            ],
            [
                "no reason at all",
                [{ arn: SHARED }],
                [`${at}[0] (${SHARED}) has no reason (at least ${MIN_REASON_LENGTH} characters), so it is ignored. Fix: say why this stack's workloads may use that resource.`],
            ],
            [
                "a wildcard ARN, even with a reason",
                [{ arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-*`, reason: REASON }],
                [
                    `${at}[0] (arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-*) contains a wildcard, so it is ignored: only exact ARNs can be listed, and a grant on a pattern stays a violation. Fix: list the exact ARN of each resource.`,
                ],
            ],
            [
                "a ? wildcard",
                [{ arn: `arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-job?`, reason: REASON }],
                [
                    `${at}[0] (arn:aws:sqs:eu-west-1:${ACCOUNT}:shared-job?) contains a wildcard, so it is ignored: only exact ARNs can be listed, and a grant on a pattern stays a violation. Fix: list the exact ARN of each resource.`,
                ],
            ],
            [
                "not an ARN",
                [{ arn: "shared-jobs", reason: REASON }],
                [`${at}[0] (shared-jobs) is not an ARN, so it is ignored. Fix: give the resource's exact ARN (arn:<partition>:<service>:<region>:<account>:<resource>).`],
            ],
            ["no arn", [{ reason: REASON }], [`${at}[0] has no "arn", so it is ignored. Fix: give the exact ARN of the other stack's resource.`]],
            ["not a list", { arn: SHARED, reason: REASON }, [`${at} is not a list, so it is ignored. Fix: give a list of { "arn": "<exact ARN>", "reason": "<why>" } entries.`]],
        ])("config problems: %s", (_label, entries, expected) => {
            expect(rule.config?.problems?.(entries === undefined ? {} : { externalResources: entries })).toEqual(expected);
        });
    });
});
