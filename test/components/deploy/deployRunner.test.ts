import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { UNSCOPABLE_ACTIONS } from "@groundwork/policy-kit";
import { KMS_SERVICE_ACTIONS } from "../../../components/secrets/kmsKey";
import {
    CODEBUILD_SERVICE,
    DeployRunner,
    DeployRunnerArgs,
    runnerLabel,
    runnerLogGroupName,
    runnerRolePolicy,
    runnerTrustPolicy,
    runsOnLabel,
    VPC_DESCRIBE_ACTIONS,
} from "../../../components/deploy";
import { evaluateKubernetesGraph } from "../../support/kubernetesPolicy";
import { evaluateGraph, mandatory } from "../../support/policy";
import { Graph, runPulumi } from "../../support/pulumi";

const PROJECT = "aws:codebuild/project:Project";
const WEBHOOK = "aws:codebuild/webhook:Webhook";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const KEY = "aws:kms/key:Key";

const ACCOUNT = "123456789012";
const EC2 = `arn:aws:ec2:us-east-1:${ACCOUNT}`;
const CONNECTION = `arn:aws:codeconnections:us-east-1:${ACCOUNT}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
const SUBNETS = ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"];
const ARGS: DeployRunnerArgs = {
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: SUBNETS,
    repositoryUrl: "https://github.com/acme/platform",
    connectionArn: CONNECTION,
    projectName: "acme-deploy",
    logRetentionDays: 90,
};

function resolve<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((r) => o.apply(r));
}

/** Runs a program declaring one runner and returns the graph and the component. */
async function declare(args: DeployRunnerArgs = ARGS, stack = "prod"): Promise<{ g: Graph; runner: DeployRunner }> {
    let runner!: DeployRunner;
    const g = await runPulumi(() => {
        runner = new DeployRunner("runner", args);
    }, { stack });
    return { g, runner };
}

/** The role policy document the graph holds, parsed. */
function rolePolicy(g: Graph): any {
    return JSON.parse(g.one(ROLE_POLICY).inputs.policy);
}

describe("documents", () => {
    it("names the runs-on label after the project", () => {
        expect(runnerLabel("acme-deploy")).toBe("codebuild-acme-deploy");
        expect(runsOnLabel("acme-deploy")).toBe("codebuild-acme-deploy-${{ github.run_id }}-${{ github.run_attempt }}");
    });

    it("trusts CodeBuild only, on behalf of this account only", () => {
        expect(runnerTrustPolicy(ACCOUNT)).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "CodeBuildAssumesRunnerRole",
                    Effect: "Allow",
                    Principal: { Service: "codebuild.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                },
            ],
        });
        expect(() => runnerTrustPolicy("*")).toThrow("account id '*' is not 12 digits");
    });

    it("takes Resource '*' only for the describe calls, every one of them unscopable", () => {
        const doc = runnerRolePolicy({
            partition: "aws",
            region: "us-east-1",
            accountId: ACCOUNT,
            logGroupArn: `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/codebuild/x`,
            keyArn: `arn:aws:kms:us-east-1:${ACCOUNT}:key/k`,
            connectionArn: CONNECTION,
            connectionService: "codeconnections",
            subnetIds: SUBNETS,
            securityGroupId: "sg-0ccccccccccccccccc",
        });
        const wildcard = doc.Statement.filter((s) => s.Resource.includes("*"));
        expect(wildcard.map((s) => s.Sid)).toEqual(["DescribeVpcResources"]);
        expect(wildcard[0].Action.filter((a) => !UNSCOPABLE_ACTIONS.includes(a))).toEqual([]);
        expect(VPC_DESCRIBE_ACTIONS.every((a) => a.startsWith("ec2:Describe"))).toBe(true);
    });
});

describe("DeployRunner", () => {
    it("declares a VPC CodeBuild project with its own security group, key, log group, role and a workflow-job webhook", async () => {
        // GIVEN a runner in two private subnets WHEN the program runs
        const { g, runner } = await declare();
        const project = g.one(PROJECT);
        const sg = g.one(SG);
        const logGroup = g.one(LOG_GROUP);
        const role = g.one(ROLE);
        const key = g.one(KEY);

        // THEN the project runs GitHub Actions jobs of the repository, authenticated by the connection, with no artifacts
        expect(project.inputs).toMatchObject({
            name: "acme-deploy",
            serviceRole: role.outputs.arn,
            source: { type: "GITHUB", location: "https://github.com/acme/platform", auth: { type: "CODECONNECTIONS", resource: CONNECTION }, gitCloneDepth: 1 },
            artifacts: { type: "NO_ARTIFACTS" },
            concurrentBuildLimit: 2,
            queuedTimeout: 30,
            buildTimeout: 60,
            badgeEnabled: false,
            projectVisibility: "PRIVATE",
        });
        // AND an unprivileged x86_64 container with the pinned default image
        expect(project.inputs.environment).toEqual({
            type: "LINUX_CONTAINER",
            computeType: "BUILD_GENERAL1_SMALL",
            image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
            imagePullCredentialsType: "CODEBUILD",
            privilegedMode: false,
        });
        // AND it runs in the given subnets behind its own security group, with its own key
        expect(project.inputs.vpcConfig).toEqual({ vpcId: ARGS.vpcId, subnets: SUBNETS, securityGroupIds: [sg.outputs.id] });
        expect(project.inputs.encryptionKey).toBe(key.outputs.arn);
        // AND it logs to its log group only (S3 logs off)
        expect(project.inputs.logsConfig).toEqual({ cloudwatchLogs: { status: "ENABLED", groupName: logGroup.outputs.name }, s3Logs: { status: "DISABLED" } });
        // AND it is created after the role policy that lets CodeBuild check the VPC
        expect(project.dependencies).toContain(g.one(ROLE_POLICY).urn);

        // AND the webhook starts a build for queued workflow jobs only
        expect(g.one(WEBHOOK).inputs).toEqual({
            projectName: project.outputs.name,
            buildType: "BUILD",
            filterGroups: [{ filters: [{ type: "EVENT", pattern: "WORKFLOW_JOB_QUEUED" }] }],
        });

        // AND the outputs are the children's
        expect(await resolve(pulumi.all([runner.projectName, runner.runnerLabel, runner.securityGroupId, runner.roleArn, runner.logGroupName]))).toEqual([
            "acme-deploy",
            "codebuild-acme-deploy",
            sg.outputs.id,
            role.outputs.arn,
            "/aws/codebuild/acme-deploy",
        ]);
    });

    it("the security group admits nothing and lets out TCP 443 only, described, with no exemption", async () => {
        const { g } = await declare();
        const sg = g.one(SG);
        expect(sg.inputs.vpcId).toBe(ARGS.vpcId);
        expect(sg.inputs.description).toBe("Deploy runner runner: no ingress; egress HTTPS (443) only");
        expect(sg.inputs.ingress).toEqual([]);
        expect(sg.inputs.egress).toEqual([
            {
                description: "HTTPS to GitHub, npm, the Pulumi service and AWS APIs through NAT, and to the private EKS API in the VPC",
                protocol: "tcp",
                fromPort: 443,
                toPort: 443,
                cidrBlocks: ["0.0.0.0/0"],
            },
        ]);
        // No separate rule resources could widen it, and no rule of the pack needed an opt-out
        expect([...g.byType("aws:ec2/securityGroupRule:SecurityGroupRule"), ...g.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")]).toEqual([]);
        for (const r of g.resources) expect(Object.keys(r.inputs.tags ?? {}).filter((k) => k.startsWith("exempt."))).toEqual([]);
    });

    it("the log group keeps the job logs for the retention asked, encrypted with the runner's key that CloudWatch Logs may use", async () => {
        const { g } = await declare();
        const logGroup = g.one(LOG_GROUP);
        const key = g.one(KEY);
        expect(logGroup.inputs).toMatchObject({ name: runnerLogGroupName("acme-deploy"), retentionInDays: 90, kmsKeyId: key.outputs.arn });
        expect(key.inputs.enableKeyRotation).toBe(true);
        const logsStatement = JSON.parse(key.inputs.policy).Statement.find((s: any) => s.Principal?.Service === "logs.us-east-1.amazonaws.com");
        expect(logsStatement.Condition).toEqual({ ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:us-east-1:${ACCOUNT}:log-group:*` } });
        // AND both are protected (the default)
        expect([key.protect, key.retainOnDelete, logGroup.protect, logGroup.retainOnDelete]).toEqual([true, true, true, true]);
    });

    it("protect: false leaves the key and the log group deletable", async () => {
        const { g } = await declare({ ...ARGS, protect: false }, "dev");
        expect([g.one(KEY).protect, g.one(LOG_GROUP).protect, g.one(LOG_GROUP).retainOnDelete]).toEqual([false, false, false]);
    });

    it("the service role is trusted by CodeBuild for this account and holds exactly the job's own permissions, none to deploy", async () => {
        const { g } = await declare();
        const role = g.one(ROLE);
        expect(JSON.parse(role.inputs.assumeRolePolicy)).toEqual(runnerTrustPolicy(ACCOUNT));
        expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: CODEBUILD_SERVICE });
        expect(g.one(ROLE_POLICY).inputs.role).toBe(role.outputs.id);

        const logGroupArn = g.one(LOG_GROUP).outputs.arn;
        const subnetArns = SUBNETS.map((s) => `${EC2}:subnet/${s}`);
        expect(rolePolicy(g)).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Sid: "WriteJobLogs", Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: [logGroupArn, `${logGroupArn}:log-stream:*`] },
                { Sid: "UseRunnerKey", Effect: "Allow", Action: [...KMS_SERVICE_ACTIONS], Resource: [g.one(KEY).outputs.arn] },
                { Sid: "UseGitHubConnection", Effect: "Allow", Action: ["codeconnections:GetConnectionToken", "codeconnections:GetConnection"], Resource: [CONNECTION] },
                {
                    Sid: "CreateInterfacesInRunnerSubnets",
                    Effect: "Allow",
                    Action: ["ec2:CreateNetworkInterface"],
                    Resource: [`${EC2}:network-interface/*`, ...subnetArns, `${EC2}:security-group/${g.one(SG).outputs.id}`],
                },
                {
                    Sid: "LetCodeBuildAttachInterfaces",
                    Effect: "Allow",
                    Action: ["ec2:CreateNetworkInterfacePermission"],
                    Resource: [`${EC2}:network-interface/*`],
                    Condition: { StringEquals: { "ec2:Subnet": subnetArns, "ec2:AuthorizedService": "codebuild.amazonaws.com" } },
                },
                {
                    Sid: "DeleteInterfacesInRunnerSubnets",
                    Effect: "Allow",
                    Action: ["ec2:DeleteNetworkInterface"],
                    Resource: [`${EC2}:network-interface/*`],
                    Condition: { StringEquals: { "ec2:Subnet": subnetArns } },
                },
                {
                    Sid: "DescribeVpcResources",
                    Effect: "Allow",
                    Action: ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"],
                    Resource: ["*"],
                },
            ],
        });
        // AND nothing else grants the role anything: no managed policy, no other inline policy, no iam:PassRole or sts:AssumeRole
        expect(g.byType("aws:iam/rolePolicyAttachment:RolePolicyAttachment")).toEqual([]);
        expect(g.byType(ROLE_POLICY)).toHaveLength(1);
        const actions: string[] = rolePolicy(g).Statement.flatMap((s: any) => s.Action);
        expect(actions.filter((a) => a.startsWith("iam:") || a.startsWith("sts:") || a.startsWith("eks:"))).toEqual([]);
    });

    it("scopes the EC2 statements to subnets that are outputs once they resolve, and uses the prefix of an older connection ARN", async () => {
        // GIVEN subnets declared in the same program (ids are outputs) and a codestar-connections ARN
        const legacy = `arn:aws:codestar-connections:us-east-1:${ACCOUNT}:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d`;
        const g = await runPulumi(() => {
            const subnets = ["a", "b", "c"].map((az) => new aws.ec2.Subnet(`private-${az}`, { vpcId: "vpc-0123456789abcdef0", cidrBlock: "10.0.0.0/24" }));
            new DeployRunner("runner", { ...ARGS, connectionArn: legacy, subnetIds: subnets.map((s) => s.id) });
        });
        const ids = ["a", "b", "c"].map((az) => g.one("aws:ec2/subnet:Subnet", `private-${az}`).outputs.id);
        // THEN the project and the role policy name exactly those subnets
        expect(g.one(PROJECT).inputs.vpcConfig.subnets).toEqual(ids);
        const statements = rolePolicy(g).Statement;
        const attach = statements.find((s: any) => s.Sid === "LetCodeBuildAttachInterfaces");
        expect(attach.Condition.StringEquals["ec2:Subnet"]).toEqual(ids.map((id) => `${EC2}:subnet/${id}`));
        // AND the connection actions carry the ARN's own service prefix
        expect(statements.find((s: any) => s.Sid === "UseGitHubConnection")).toEqual({
            Sid: "UseGitHubConnection",
            Effect: "Allow",
            Action: ["codestar-connections:GetConnectionToken", "codestar-connections:GetConnection"],
            Resource: [legacy],
        });
    });

    it.each(["prod", "dev"] as const)("passes the %s tier of the security pack with no violation at all, and the Kubernetes pack", async (tier) => {
        const { g } = await declare(ARGS, tier);
        expect(await evaluateGraph(g, { tier })).toEqual([]);
        expect(await evaluateKubernetesGraph(g, { tier })).toEqual([]);
    });

    it("a transform changes one child's args (and gets its name); the others keep the component's", async () => {
        const seen: string[] = [];
        const { g } = await declare({
            ...ARGS,
            transform: {
                project: (args, _opts, name) => {
                    seen.push(name);
                    args.buildTimeout = 120;
                    args.environment = { ...(args.environment as aws.types.input.codebuild.ProjectEnvironment), computeType: "BUILD_GENERAL1_MEDIUM" };
                },
            },
        });
        expect(seen).toEqual(["runner-project"]);
        expect(g.one(PROJECT).inputs).toMatchObject({ buildTimeout: 120, environment: { computeType: "BUILD_GENERAL1_MEDIUM", privilegedMode: false }, queuedTimeout: 30 });
        expect(g.one(SG).inputs.egress).toHaveLength(1);
    });

    it("the packs judge what a transform declares: opening all egress is reported", async () => {
        // GIVEN a transform that replaces the HTTPS-only egress with all traffic
        const { g } = await declare({
            ...ARGS,
            transform: {
                securityGroup: (args) => {
                    args.egress = [{ description: "everything", protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }];
                },
            },
        });
        // THEN the security group carries it and the pack's egress rule names it (advisory: the tier decides)
        expect(g.one(SG).inputs.egress[0].protocol).toBe("-1");
        const violations = await evaluateGraph(g, { tier: "prod" });
        expect(violations.map((v) => v.policy)).toEqual(["aws-ec2-securitygroup-disallow-unrestricted-egress"]);
        expect(violations[0].urn).toBe(g.one(SG).urn);
        expect(mandatory(violations)).toEqual([]);
    });
});
