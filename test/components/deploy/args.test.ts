import { ArgumentError, LOG_RETENTION_DAYS } from "../../../components/base";
import { DEFAULT_RUNNER_IMAGE, DeployRunner, DeployRunnerArgs, resolveDeployRunnerArgs, RUNNER_COMPUTE_TYPES } from "../../../components/deploy";
import { runPulumi } from "../../support/pulumi";

const CONNECTION = "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
const BASE: DeployRunnerArgs = {
    vpcId: "vpc-0123456789abcdef0",
    subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
    repositoryUrl: "https://github.com/acme/platform",
    connectionArn: CONNECTION,
    projectName: "acme-deploy",
};

describe("resolveDeployRunnerArgs", () => {
    it("applies the defaults and splits the repository URL", () => {
        const r = resolveDeployRunnerArgs("runner", BASE);
        expect(r).toEqual({
            vpcId: BASE.vpcId,
            subnetIds: BASE.subnetIds,
            repositoryUrl: "https://github.com/acme/platform",
            owner: "acme",
            repository: "platform",
            connectionArn: CONNECTION,
            connectionService: "codeconnections",
            projectName: "acme-deploy",
            computeType: "BUILD_GENERAL1_SMALL",
            image: DEFAULT_RUNNER_IMAGE,
            buildTimeoutMinutes: 60,
            logRetentionDays: 365,
            protect: true,
        });
        expect(DEFAULT_RUNNER_IMAGE).toBe("aws/codebuild/amazonlinux-x86_64-standard:5.0");
        expect(LOG_RETENTION_DAYS).toContain(r.logRetentionDays);
    });

    it("reads the IAM prefix of an older codestar-connections ARN", () => {
        const arn = "arn:aws:codestar-connections:eu-west-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d";
        expect(resolveDeployRunnerArgs("runner", { ...BASE, connectionArn: arn }).connectionService).toBe("codestar-connections");
    });

    it.each<[string, Partial<DeployRunnerArgs>]>([
        ["a digest-pinned image", { image: `public.ecr.aws/codebuild/amazonlinux-x86_64-standard@sha256:${"a".repeat(64)}` }],
        ["a registry image with a port and a version tag", { image: "registry.example.com:5000/runners/deploy:2025.10.1" }],
        ["a repository name with dots and underscores", { repositoryUrl: "https://github.com/acme-corp/my_repo.v2" }],
        ["the shortest timeout", { buildTimeoutMinutes: 5 }],
        ["the longest timeout", { buildTimeoutMinutes: 480 }],
        ["subnet ids that are outputs (checked by AWS, not here)", { subnetIds: [Promise.resolve("anything")] }],
    ])("accepts %s", (_what, change) => {
        expect(() => resolveDeployRunnerArgs("runner", { ...BASE, ...change })).not.toThrow();
    });

    it.each(RUNNER_COMPUTE_TYPES)("accepts the compute type %s", (computeType) => {
        expect(resolveDeployRunnerArgs("runner", { ...BASE, computeType }).computeType).toBe(computeType);
    });

    it.each<[string, Partial<DeployRunnerArgs>, string]>([
        ["vpcId", { vpcId: "vpc-xyz" }, "'vpc-xyz' is not a VPC id"],
        ["subnetIds", { subnetIds: [] }, "no subnets given. Fix: pass the private subnets with NAT egress"],
        ["subnetIds", { subnetIds: Array.from({ length: 17 }, (_, i) => `subnet-0${String(i).padStart(16, "0")}`) }, "17 subnets given, CodeBuild takes at most 16"],
        ["subnetIds", { subnetIds: ["sg-0aaaaaaaaaaaaaaaa"] }, "'sg-0aaaaaaaaaaaaaaaa' is not a subnet id"],
        ["subnetIds", { subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0aaaaaaaaaaaaaaaa"] }, "'subnet-0aaaaaaaaaaaaaaaa' is listed twice"],
        ["repositoryUrl", { repositoryUrl: "https://github.com/acme" }, "'https://github.com/acme' is not a GitHub repository URL. Fix: pass https://github.com/<owner>/<repo>"],
        ["repositoryUrl", { repositoryUrl: "https://github.com/acme/platform.git" }, "is not a GitHub repository URL"],
        ["repositoryUrl", { repositoryUrl: "https://github.com/acme/platform/" }, "is not a GitHub repository URL"],
        ["repositoryUrl", { repositoryUrl: "http://github.com/acme/platform" }, "is not a GitHub repository URL"],
        ["repositoryUrl", { repositoryUrl: "https://github.example.com/acme/platform" }, "is not a GitHub repository URL"],
        ["repositoryUrl", { repositoryUrl: "https://github.com/-acme/platform" }, "is not a GitHub repository URL"],
        ["connectionArn", { connectionArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:github-token" }, "is not the ARN of a CodeConnections connection. Fix: create a GitHub connection"],
        ["connectionArn", { connectionArn: "arn:aws:codeconnections:us-east-1:123456789012:host/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" }, "is not the ARN of a CodeConnections connection"],
        ["projectName", { projectName: "-deploy" }, "'-deploy' is not a CodeBuild project name"],
        ["projectName", { projectName: "deploy runner" }, "'deploy runner' is not a CodeBuild project name"],
        ["computeType", { computeType: "BUILD_LAMBDA_2GB" }, "'BUILD_LAMBDA_2GB' is not a compute type the runner supports. Fix: use one of BUILD_GENERAL1_SMALL"],
        ["image", { image: "aws/codebuild/amazonlinux-x86_64-standard" }, "is not an image reference with a tag or digest"],
        ["image", { image: "ubuntu:latest" }, "'ubuntu:latest' floats on 'latest'"],
        ["image", { image: "aws/codebuild/amazonlinux-aarch64-standard:3.0" }, "is an ARM image and the runner is an x86_64 Linux container"],
        ["buildTimeoutMinutes", { buildTimeoutMinutes: 4 }, "4 is outside 5..480"],
        ["buildTimeoutMinutes", { buildTimeoutMinutes: 481 }, "481 is outside 5..480"],
        ["buildTimeoutMinutes", { buildTimeoutMinutes: 30.5 }, "30.5 is outside 5..480"],
        ["logRetentionDays", { logRetentionDays: 0 }, "0 is not a retention CloudWatch accepts. Fix: use one of 1, 3, 5"],
        ["logRetentionDays", { logRetentionDays: 10 }, "10 is not a retention CloudWatch accepts"],
    ])("rejects a bad %s, naming the field and the fix", (field, change, message) => {
        let error: unknown;
        try {
            resolveDeployRunnerArgs("runner", { ...BASE, ...change });
        } catch (e) {
            error = e;
        }
        expect(error).toBeInstanceOf(ArgumentError);
        expect((error as Error).message).toMatch(new RegExp(`^DeployRunner 'runner': invalid '${field}': `));
        expect((error as Error).message).toContain(message);
        expect((error as Error).message).toMatch(/\. Fix: \S/);
    });
});

describe("DeployRunner validation", () => {
    it("throws before declaring anything: not even the component is registered", async () => {
        // GIVEN a program that constructs a runner with a bad argument and catches the error
        let error: unknown;
        const g = await runPulumi(() => {
            try {
                new DeployRunner("runner", { ...BASE, repositoryUrl: "git@github.com:acme/platform.git" });
            } catch (e) {
                error = e;
            }
        });
        // THEN the error names the field, and the graph holds no resource at all (no component, no key, no project)
        expect(String(error)).toContain("DeployRunner 'runner': invalid 'repositoryUrl'");
        expect(g.resources.filter((r) => !r.type.startsWith("pulumi:"))).toEqual([]);
    });

    it("defaults the project name to <project>-<stack>-<name>", async () => {
        const { projectName: _omitted, ...rest } = BASE;
        const g = await runPulumi(() => void new DeployRunner("runner", { ...rest, protect: false }), { stack: "prod" });
        expect(g.one("aws:codebuild/project:Project").inputs.name).toBe("groundwork-prod-runner");
    });
});
