import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, GroundworkComponent, statefulOptions } from "../base";
import { awsContext } from "../secrets/context";
import { KmsKey } from "../secrets/kmsKey";
import { CONCURRENT_BUILD_LIMIT, DeployRunnerArgs, QUEUED_TIMEOUT_MINUTES, resolveDeployRunnerArgs } from "./args";
import { RUNNER_EGRESS_PORT, runnerLabel, runnerRolePolicy, runnerTrustPolicy, WORKFLOW_JOB_QUEUED } from "./documents";

/** Name of the build log group of a runner project: `/aws/codebuild/<projectName>`, where CodeBuild users look. Pure. */
export function runnerLogGroupName(projectName: string): string {
    return `/aws/codebuild/${projectName}`;
}

/**
 * A GitHub Actions self-hosted runner inside the platform's VPC, run by AWS CodeBuild: each queued workflow job of
 * the repository whose `runs-on` names this project starts one short-lived build in the private subnets, so a deploy
 * reaches the private EKS API endpoint (GitHub-hosted runners cannot). GitHub access through a CodeConnections
 * connection; a security group with no ingress and HTTPS-only egress; a service role that can run the job (logs,
 * key, network interfaces in its subnets, the connection) and holds no deploy permission; logs in a KMS-encrypted
 * log group with retention. No idle cost. Type token `groundwork:deploy:DeployRunner`.
 */
export class DeployRunner extends GroundworkComponent {
    /** Name of the CodeBuild project. */
    public readonly projectName: pulumi.Output<string>;
    /**
     * The `runs-on` label prefix, `codebuild-<projectName>`: a job runs here with
     * `runs-on: codebuild-<projectName>-${{ github.run_id }}-${{ github.run_attempt }}`.
     */
    public readonly runnerLabel: pulumi.Output<string>;
    /** The runner's security group: the EKS API security group must admit TCP 443 from it. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** ARN of the CodeBuild service role (no deploy permissions; the job assumes the deploy role through OIDC). */
    public readonly roleArn: pulumi.Output<string>;
    /** Name of the log group holding the job logs. */
    public readonly logGroupName: pulumi.Output<string>;

    constructor(name: string, args: DeployRunnerArgs, opts?: pulumi.ComponentResourceOptions) {
        const r = resolveDeployRunnerArgs(name, args);
        super("deploy", "DeployRunner", name, args, opts);
        const t = args.transform ?? {};
        const ctx = awsContext(this);
        const stateful = statefulOptions(r.protect);

        const key = new KmsKey(
            this.childName("key"),
            { description: `Groundwork ${name} deploy runner: build artifacts and job logs`, allowCloudWatchLogs: true, protect: r.protect, tags: args.tags },
            { parent: this },
        );

        const logGroup = new aws.cloudwatch.LogGroup(
            ...applyTransform(
                t.logGroup,
                this.childName("logs"),
                { name: runnerLogGroupName(r.projectName), retentionInDays: r.logRetentionDays, kmsKeyId: key.keyArn, tags: this.childTags("logs") },
                this.childOpts(stateful),
            ),
        );

        const securityGroup = new aws.ec2.SecurityGroup(
            ...applyTransform(
                t.securityGroup,
                this.childName("sg"),
                {
                    vpcId: r.vpcId,
                    description: `Deploy runner ${name}: no ingress; egress HTTPS (${RUNNER_EGRESS_PORT}) only`,
                    ingress: [],
                    egress: [
                        {
                            description: "HTTPS to GitHub, npm, the Pulumi service and AWS APIs through NAT, and to the private EKS API in the VPC",
                            protocol: "tcp",
                            fromPort: RUNNER_EGRESS_PORT,
                            toPort: RUNNER_EGRESS_PORT,
                            cidrBlocks: ["0.0.0.0/0"],
                        },
                    ],
                    revokeRulesOnDelete: true,
                    tags: this.childTags("sg"),
                },
                this.childOpts(),
            ),
        );

        const role = new aws.iam.Role(
            ...applyTransform(
                t.role,
                this.childName("role"),
                {
                    description: `CodeBuild service role of the deploy runner ${name}: job logs, its key, VPC interfaces, the GitHub connection; no deploy permissions`,
                    assumeRolePolicy: ctx.accountId.apply((accountId) => JSON.stringify(runnerTrustPolicy(accountId))),
                    maxSessionDuration: 3600,
                    tags: this.childTags("role"),
                },
                this.childOpts(),
            ),
        );

        const rolePolicy = new aws.iam.RolePolicy(
            ...applyTransform(
                t.rolePolicy,
                this.childName("role-policy"),
                {
                    role: role.id,
                    policy: pulumi
                        .all([ctx.partition, ctx.region, ctx.accountId, logGroup.arn, key.keyArn, securityGroup.id, pulumi.all(r.subnetIds)])
                        .apply(([partition, region, accountId, logGroupArn, keyArn, securityGroupId, subnetIds]) =>
                            JSON.stringify(
                                runnerRolePolicy({
                                    partition,
                                    region,
                                    accountId,
                                    logGroupArn,
                                    keyArn,
                                    connectionArn: r.connectionArn,
                                    connectionService: r.connectionService,
                                    subnetIds,
                                    securityGroupId,
                                }),
                            ),
                        ),
                },
                this.childOpts(),
            ),
        );

        const project = new aws.codebuild.Project(
            ...applyTransform(
                t.project,
                this.childName("project"),
                {
                    name: r.projectName,
                    description: `GitHub Actions runner for ${r.owner}/${r.repository} inside the VPC (deploys to private endpoints)`,
                    serviceRole: role.arn,
                    source: {
                        type: "GITHUB",
                        location: r.repositoryUrl,
                        auth: { type: "CODECONNECTIONS", resource: r.connectionArn },
                        gitCloneDepth: 1,
                    },
                    artifacts: { type: "NO_ARTIFACTS" },
                    environment: {
                        type: "LINUX_CONTAINER",
                        computeType: r.computeType,
                        image: r.image,
                        imagePullCredentialsType: "CODEBUILD",
                        privilegedMode: false,
                    },
                    vpcConfig: { vpcId: r.vpcId, subnets: r.subnetIds, securityGroupIds: [securityGroup.id] },
                    encryptionKey: key.keyArn,
                    logsConfig: {
                        cloudwatchLogs: { status: "ENABLED", groupName: logGroup.name },
                        s3Logs: { status: "DISABLED" },
                    },
                    concurrentBuildLimit: CONCURRENT_BUILD_LIMIT,
                    queuedTimeout: QUEUED_TIMEOUT_MINUTES,
                    buildTimeout: r.buildTimeoutMinutes,
                    badgeEnabled: false,
                    projectVisibility: "PRIVATE",
                    tags: this.childTags("project"),
                },
                // CodeBuild checks the VPC with the role's EC2 describe rights when it creates the project.
                this.childOpts({ dependsOn: [rolePolicy] }),
            ),
        );

        new aws.codebuild.Webhook(
            ...applyTransform(
                t.webhook,
                this.childName("webhook"),
                {
                    projectName: project.name,
                    buildType: "BUILD",
                    filterGroups: [{ filters: [{ type: "EVENT", pattern: WORKFLOW_JOB_QUEUED }] }],
                },
                this.childOpts(),
            ),
        );

        this.projectName = project.name;
        this.runnerLabel = project.name.apply(runnerLabel);
        this.securityGroupId = securityGroup.id;
        this.roleArn = role.arn;
        this.logGroupName = logGroup.name;
        this.registerOutputs({
            projectName: this.projectName,
            runnerLabel: this.runnerLabel,
            securityGroupId: this.securityGroupId,
            roleArn: this.roleArn,
            logGroupName: this.logGroupName,
        });
    }
}
