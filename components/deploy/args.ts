import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError, BaseArgs, LOG_RETENTION_DAYS, Transform } from "../base";
import { stableName } from "../secrets/context";

/**
 * Build image of the runner by default: CodeBuild's curated Amazon Linux 2023 x86_64 standard image, pinned to its
 * major version 5.0 (CodeBuild patches it in place; a new major is a deliberate change of this constant).
 */
export const DEFAULT_RUNNER_IMAGE = "aws/codebuild/amazonlinux-x86_64-standard:5.0";

/** Compute types a runner may use: the on-demand Linux container sizes (Lambda compute has no build timeout). */
export const RUNNER_COMPUTE_TYPES: readonly string[] = [
    "BUILD_GENERAL1_SMALL",
    "BUILD_GENERAL1_MEDIUM",
    "BUILD_GENERAL1_LARGE",
    "BUILD_GENERAL1_XLARGE",
    "BUILD_GENERAL1_2XLARGE",
];

/** Jobs the runner project runs at once; more wait in CodeBuild's queue. A constant: deploys are few and serial. */
export const CONCURRENT_BUILD_LIMIT = 2;

/** Minutes a job may wait in CodeBuild's queue before it fails (a deploy stuck this long needs a person). */
export const QUEUED_TIMEOUT_MINUTES = 30;

/** Shortest and longest build timeout accepted, in minutes (CodeBuild's own minimum; 8 hours bounds a runaway job). */
export const BUILD_TIMEOUT_RANGE_MINUTES: readonly [number, number] = [5, 480];

/** Most subnets a CodeBuild VPC configuration takes. */
export const MAX_RUNNER_SUBNETS = 16;

/** Per-child transforms of a {@link DeployRunner} (see {@link Transform}); the KmsKey child is a component and has none. */
export interface DeployRunnerTransforms {
    /** The runner's security group. */
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** The build log group. */
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The CodeBuild service role. */
    readonly role?: Transform<aws.iam.RoleArgs>;
    /** The service role's inline policy. */
    readonly rolePolicy?: Transform<aws.iam.RolePolicyArgs>;
    /** The CodeBuild project. */
    readonly project?: Transform<aws.codebuild.ProjectArgs>;
    /** The GitHub webhook. */
    readonly webhook?: Transform<aws.codebuild.WebhookArgs>;
}

/** Arguments of the {@link DeployRunner} component. */
export interface DeployRunnerArgs extends BaseArgs {
    /** VPC the runner runs in (the VPC of the private EKS API endpoint). */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Private subnets with a NAT route to the internet (the runner reaches GitHub, npm and the Pulumi service through
     * it), 1 to 16. Public subnets do not work: CodeBuild gives the runner no public IP.
     */
    readonly subnetIds: pulumi.Input<string>[];
    /** The repository whose workflow jobs the runner takes, `https://github.com/<owner>/<repo>`. */
    readonly repositoryUrl: string;
    /**
     * ARN of an AWS CodeConnections connection to GitHub (the AWS Connector GitHub App, installed on the repository's
     * owner and in state AVAILABLE): CodeBuild creates the webhook and registers the runner with it, and the service
     * role may use this connection only. Both ARN forms work: `arn:aws:codeconnections:...:connection/<id>` and the
     * older `arn:aws:codestar-connections:...:connection/<id>`.
     */
    readonly connectionArn: string;
    /**
     * CodeBuild project name, which workflows name in `runs-on` (so it is fixed, not auto-named): 2 to 150 letters,
     * digits, `-` and `_`, starting with a letter or digit.
     * @default "<project>-<stack>-<name>"
     */
    readonly projectName?: string;
    /**
     * Compute type of the runner, one of {@link RUNNER_COMPUTE_TYPES}.
     * @default "BUILD_GENERAL1_SMALL"
     */
    readonly computeType?: string;
    /**
     * Build image: an x86_64 Linux image with an explicit tag or digest (not `latest`). Curated CodeBuild images
     * (`aws/codebuild/...`) and public images are pulled with CodeBuild's credentials.
     * @default {@link DEFAULT_RUNNER_IMAGE}
     */
    readonly image?: string;
    /**
     * Minutes a job may run before CodeBuild stops it, 5 to 480.
     * @default 60
     */
    readonly buildTimeoutMinutes?: number;
    /**
     * Days the build log group keeps the job logs; one of {@link LOG_RETENTION_DAYS}.
     * @default 365
     */
    readonly logRetentionDays?: number;
    /**
     * Protect the KMS key and the log group from deletion (`protect` and `retainOnDelete`).
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Changes a child's arguments just before it is declared (see {@link Transform}); the packs judge the result.
     * @default {}
     */
    readonly transform?: DeployRunnerTransforms;
}

/** {@link DeployRunnerArgs} with every default applied and validated (the network inputs stay inputs). */
export interface ResolvedDeployRunnerArgs {
    /** The VPC. */
    vpcId: pulumi.Input<string>;
    /** The subnets. */
    subnetIds: pulumi.Input<string>[];
    /** Repository URL, as given. */
    repositoryUrl: string;
    /** Repository owner (user or organization). */
    owner: string;
    /** Repository name. */
    repository: string;
    /** The CodeConnections connection. */
    connectionArn: string;
    /** IAM service prefix of the connection's actions: `codeconnections` or `codestar-connections`. */
    connectionService: string;
    /** CodeBuild project name. */
    projectName: string;
    /** Compute type. */
    computeType: string;
    /** Build image. */
    image: string;
    /** Build timeout in minutes. */
    buildTimeoutMinutes: number;
    /** Log retention in days. */
    logRetentionDays: number;
    /** Protect the stateful children. */
    protect: boolean;
}

/** GitHub owner (user or organization): letters, digits and single inner hyphens, at most 39. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** GitHub repository name: letters, digits, `.`, `_` and `-`, at most 100. */
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const REPOSITORY_URL = /^https:\/\/github\.com\/([^/]+)\/([^/]+)$/;
const CONNECTION_ARN = /^arn:aws[a-z-]*:(codeconnections|codestar-connections):[a-z0-9-]+:\d{12}:connection\/[0-9a-f-]{36}$/;
const PROJECT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$/;
const VPC_ID = /^vpc-[0-9a-f]{8,17}$/;
const SUBNET_ID = /^subnet-[0-9a-f]{8,17}$/;
/** `repository[:tag]` or `repository@sha256:<digest>`; the tag part is checked separately. */
const IMAGE = /^[a-z0-9][a-z0-9._/:-]*(?::[A-Za-z0-9_][A-Za-z0-9._-]{0,127}|@sha256:[0-9a-f]{64})$/;

/** The tag of an image reference (undefined with a digest or without a tag). Pure. */
function imageTag(image: string): string | undefined {
    if (image.includes("@")) return undefined;
    const last = image.split("/").pop() ?? "";
    const i = last.lastIndexOf(":");
    return i < 0 ? undefined : last.slice(i + 1);
}

/**
 * Applies the defaults of {@link DeployRunnerArgs} and validates every argument that is known when the component is
 * constructed; throws an {@link ArgumentError} naming the field and the fix. Pure apart from reading the project
 * and stack names for the default project name.
 */
export function resolveDeployRunnerArgs(name: string, args: DeployRunnerArgs): ResolvedDeployRunnerArgs {
    const who = `DeployRunner '${name}'`;
    const fail = (field: string, problem: string, fix: string): never => {
        throw new ArgumentError(who, field, problem, fix);
    };

    if (typeof args.vpcId === "string" && !VPC_ID.test(args.vpcId)) {
        fail("vpcId", `'${args.vpcId}' is not a VPC id`, "pass the id of the VPC of the private EKS endpoint, such as network.vpcId ('vpc-...')");
    }
    if (!Array.isArray(args.subnetIds) || args.subnetIds.length === 0) {
        fail("subnetIds", "no subnets given", "pass the private subnets with NAT egress, such as network.privateSubnetIds");
    }
    if (args.subnetIds.length > MAX_RUNNER_SUBNETS) {
        fail("subnetIds", `${args.subnetIds.length} subnets given, CodeBuild takes at most ${MAX_RUNNER_SUBNETS}`, "pass one private subnet per AZ");
    }
    const plainSubnets = args.subnetIds.filter((s): s is string => typeof s === "string");
    for (const s of plainSubnets) {
        if (!SUBNET_ID.test(s)) fail("subnetIds", `'${s}' is not a subnet id`, "pass subnet ids such as 'subnet-0abc...' (the private subnets with NAT egress)");
    }
    const duplicate = plainSubnets.find((s, i) => plainSubnets.indexOf(s) !== i);
    if (duplicate !== undefined) fail("subnetIds", `'${duplicate}' is listed twice`, "list each subnet once");

    const url = REPOSITORY_URL.exec(args.repositoryUrl ?? "");
    if (!url || !OWNER.test(url[1]) || !REPO.test(url[2]) || url[2] === "." || url[2] === ".." || url[2].endsWith(".git")) {
        fail(
            "repositoryUrl",
            `'${args.repositoryUrl}' is not a GitHub repository URL`,
            "pass https://github.com/<owner>/<repo> (no trailing '/' or '.git'; GitHub Enterprise is not supported)",
        );
    }
    const [, owner, repository] = url as RegExpExecArray;

    const connection = CONNECTION_ARN.exec(args.connectionArn ?? "");
    if (!connection) {
        fail(
            "connectionArn",
            `'${args.connectionArn}' is not the ARN of a CodeConnections connection`,
            "create a GitHub connection (Developer Tools > Settings > Connections, or `aws codeconnections create-connection --provider-type GitHub`), complete it in the console, and pass its ARN 'arn:aws:codeconnections:<region>:<account>:connection/<id>'",
        );
    }

    const r: ResolvedDeployRunnerArgs = {
        vpcId: args.vpcId,
        subnetIds: [...args.subnetIds],
        repositoryUrl: args.repositoryUrl,
        owner,
        repository,
        connectionArn: args.connectionArn,
        connectionService: (connection as RegExpExecArray)[1],
        projectName: args.projectName ?? stableName([pulumi.getProject(), pulumi.getStack(), name], 150),
        computeType: args.computeType ?? "BUILD_GENERAL1_SMALL",
        image: args.image ?? DEFAULT_RUNNER_IMAGE,
        buildTimeoutMinutes: args.buildTimeoutMinutes ?? 60,
        logRetentionDays: args.logRetentionDays ?? 365,
        protect: args.protect ?? true,
    };

    if (!PROJECT_NAME.test(r.projectName)) {
        fail("projectName", `'${r.projectName}' is not a CodeBuild project name`, "use 2 to 150 letters, digits, '-' and '_', starting with a letter or digit");
    }
    if (!RUNNER_COMPUTE_TYPES.includes(r.computeType)) {
        fail("computeType", `'${r.computeType}' is not a compute type the runner supports`, `use one of ${RUNNER_COMPUTE_TYPES.join(", ")}`);
    }
    if (!IMAGE.test(r.image)) {
        fail("image", `'${r.image}' is not an image reference with a tag or digest`, `pin a tag or digest, such as '${DEFAULT_RUNNER_IMAGE}'`);
    }
    if (imageTag(r.image) === "latest") {
        fail("image", `'${r.image}' floats on 'latest', so the runner changes under the deploys`, `pin a version tag or digest, such as '${DEFAULT_RUNNER_IMAGE}'`);
    }
    if (/aarch64|arm64/.test(r.image)) {
        fail("image", `'${r.image}' is an ARM image and the runner is an x86_64 Linux container`, `use an x86_64 image such as '${DEFAULT_RUNNER_IMAGE}'`);
    }
    const [minTimeout, maxTimeout] = BUILD_TIMEOUT_RANGE_MINUTES;
    if (!Number.isInteger(r.buildTimeoutMinutes) || r.buildTimeoutMinutes < minTimeout || r.buildTimeoutMinutes > maxTimeout) {
        fail("buildTimeoutMinutes", `${r.buildTimeoutMinutes} is outside ${minTimeout}..${maxTimeout}`, `pass a whole number of minutes from ${minTimeout} to ${maxTimeout}`);
    }
    if (!LOG_RETENTION_DAYS.includes(r.logRetentionDays)) {
        fail("logRetentionDays", `${r.logRetentionDays} is not a retention CloudWatch accepts`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    return r;
}
