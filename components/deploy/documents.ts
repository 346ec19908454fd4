import { buildPolicyDocument, PolicyDocument } from "../identity/statements";
import { KMS_SERVICE_ACTIONS } from "../secrets/kmsKey";

/** The service principal that assumes the runner's role. */
export const CODEBUILD_SERVICE = "codebuild.amazonaws.com";

/** The only port the runner's security group lets out: HTTPS. */
export const RUNNER_EGRESS_PORT = 443;

/** The webhook event that starts a runner: a GitHub Actions workflow job was queued. */
export const WORKFLOW_JOB_QUEUED = "WORKFLOW_JOB_QUEUED";

/**
 * EC2 describe calls CodeBuild makes with the service role to place a build in the VPC. All are on the
 * unscopable allow-list (`UNSCOPABLE_ACTIONS`), so they take `Resource: "*"` in a statement of their own.
 */
export const VPC_DESCRIBE_ACTIONS: readonly string[] = ["ec2:DescribeDhcpOptions", "ec2:DescribeNetworkInterfaces", "ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"];

/** Everything the runner's role policy is built from, resolved. */
export interface RunnerPolicyContext {
    /** AWS partition, for example `aws`. */
    readonly partition: string;
    /** Region of the project, its VPC and log group. */
    readonly region: string;
    /** Account id. */
    readonly accountId: string;
    /** ARN of the build log group (without the `:*` suffix). */
    readonly logGroupArn: string;
    /** ARN of the runner's KMS key. */
    readonly keyArn: string;
    /** ARN of the CodeConnections connection to GitHub. */
    readonly connectionArn: string;
    /** IAM prefix of the connection's actions, `codeconnections` or `codestar-connections` (the prefix of its ARN). */
    readonly connectionService: string;
    /** Ids of the subnets the runner runs in. */
    readonly subnetIds: readonly string[];
    /** Id of the runner's security group. */
    readonly securityGroupId: string;
}

/** `runs-on` label prefix of a runner project: `codebuild-<projectName>`. Pure. */
export function runnerLabel(projectName: string): string {
    return `codebuild-${projectName}`;
}

/** The whole `runs-on` value a workflow job uses (one runner per job run and attempt). Pure. */
export function runsOnLabel(projectName: string): string {
    return `${runnerLabel(projectName)}-\${{ github.run_id }}-\${{ github.run_attempt }}`;
}

/**
 * Trust policy of the runner's service role: only CodeBuild, only on behalf of this account (`aws:SourceAccount`),
 * with `sts:AssumeRole` alone. Pure.
 */
export function runnerTrustPolicy(accountId: string): Record<string, unknown> {
    if (!/^\d{12}$/.test(accountId)) {
        throw new Error(`DeployRunner trust: account id '${accountId}' is not 12 digits. Fix: pass the AWS account id.`);
    }
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "CodeBuildAssumesRunnerRole",
                Effect: "Allow",
                Principal: { Service: CODEBUILD_SERVICE },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/**
 * Permissions of the runner's service role, through the statement builder (no wildcard action, `*` only for
 * unscopable actions). What CodeBuild itself needs to run a job, and nothing a deploy needs:
 * - write job logs to its own log group;
 * - use its own key (artifacts and caches it encrypts);
 * - take the GitHub token from its own connection (to register the runner for each job);
 * - create network interfaces only in its subnets with its security group, let CodeBuild attach them only there
 *   (`ec2:CreateNetworkInterfacePermission` with `ec2:Subnet` and `ec2:AuthorizedService` conditions), and delete
 *   interfaces only in its subnets;
 * - the unscopable EC2 describe calls.
 * The deploy itself assumes the deploy role through GitHub OIDC. Pure; throws (builder) on a malformed statement.
 */
export function runnerRolePolicy(ctx: RunnerPolicyContext): PolicyDocument {
    const ec2 = `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}`;
    const subnetArns = ctx.subnetIds.map((id) => `${ec2}:subnet/${id}`);
    const interfaces = `${ec2}:network-interface/*`;
    return buildPolicyDocument([
        { sid: "WriteJobLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: [ctx.logGroupArn, `${ctx.logGroupArn}:log-stream:*`] },
        { sid: "UseRunnerKey", actions: [...KMS_SERVICE_ACTIONS], resources: [ctx.keyArn] },
        {
            sid: "UseGitHubConnection",
            actions: [`${ctx.connectionService}:GetConnectionToken`, `${ctx.connectionService}:GetConnection`],
            resources: [ctx.connectionArn],
        },
        { sid: "CreateInterfacesInRunnerSubnets", actions: ["ec2:CreateNetworkInterface"], resources: [interfaces, ...subnetArns, `${ec2}:security-group/${ctx.securityGroupId}`] },
        {
            sid: "LetCodeBuildAttachInterfaces",
            actions: ["ec2:CreateNetworkInterfacePermission"],
            resources: [interfaces],
            condition: { StringEquals: { "ec2:Subnet": subnetArns, "ec2:AuthorizedService": CODEBUILD_SERVICE } },
        },
        { sid: "DeleteInterfacesInRunnerSubnets", actions: ["ec2:DeleteNetworkInterface"], resources: [interfaces], condition: { StringEquals: { "ec2:Subnet": subnetArns } } },
        { sid: "DescribeVpcResources", actions: [...VPC_DESCRIBE_ACTIONS], resources: ["*"] },
    ]);
}
