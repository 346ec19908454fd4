import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../tools/plan/plan";

/** Runs `npm run plan -- ...` as a user would (ts-node under the project's Node), returning exit code and output. */
function planCli(args: string[]): { code: number | null; out: string } {
    const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", "tools/plan/cli.ts", ...args], {
        cwd: REPO_ROOT,
        encoding: "utf8",
        timeout: 120_000,
    });
    return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("npm run plan (the CLI contract)", () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cli-"));
    afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

    it("exits 1 on a mandatory violation, printing the tree, the rule and the resource, and writes the contract JSON", () => {
        const json = path.join(tmp, "open-ssh.json");
        const { code, out } = planCli(["--stack", "dev", "--program", "test/fixtures/programs/open-ssh.ts", "--json", json]);
        expect(code).toBe(1);
        expect(out).toMatch(/└─ aws:ec2\/securityGroup:SecurityGroup\s+bastion\s+create/);
        expect(out).toMatch(/\[mandatory\]\s+aws-ec2-securitygroup-disallow-world-ssh-rdp\s+\(aws:ec2\/securityGroup:SecurityGroup: bastion\)/);
        expect(out).toMatch(/Duration: \d+\.\d\ds; 3 resources/);
        const doc = JSON.parse(fs.readFileSync(json, "utf8"));
        expect(Object.keys(doc).sort()).toEqual(["outputs", "policies", "project", "resources", "stack"]);
        expect(doc).toMatchObject({ project: "groundwork", stack: "dev" });
        expect(doc.policies.packs).toContain("groundwork-security");
        for (const r of doc.resources) {
            expect(Object.keys(r).sort()).toEqual(["dependencies", "inputs", "name", "parent", "protect", "provider", "type", "urn"]);
        }
        const sg = doc.resources.find((r: any) => r.name === "bastion");
        expect(sg.dependencies).toEqual([doc.resources.find((r: any) => r.name === "legacy-vpc").urn]);
        const v = doc.policies.violations.find((x: any) => x.policy === "aws-ec2-securitygroup-disallow-world-ssh-rdp");
        expect(v).toEqual({ pack: "groundwork-security", policy: v.policy, enforcementLevel: "mandatory", urn: sg.urn, message: expect.stringContaining("port 22") });
    });

    it("exits 2 naming the key when the stack config is broken", () => {
        const { code, out } = planCli(["--stack", "badcidr", "--program", "test/fixtures/broken-stack"]);
        expect(code).toBe(2);
        expect(out).toContain("groundwork:vpcCidr");
    });

    it("--preview judges what a new stack's first preview can: a document built from an ARN is rejected only without it", () => {
        const program = "test/fixtures/programs/late-wildcard.ts";
        const preview = planCli(["--stack", "dev", "--program", program, "--preview"]);
        expect(preview.code).toBe(0);
        expect(preview.out).toContain("as a new stack's preview (computed values unknown)");
        expect(preview.out).toMatch(/\[advisory\]\s+aws-iam-policy-disallow-wildcard-actions\s+\(aws:iam\/rolePolicy:RolePolicy: late-worker-queue\)/);
        const full = planCli(["--stack", "dev", "--program", program]);
        expect(full.code).toBe(1);
        expect(full.out).toMatch(/\[mandatory\]\s+aws-iam-policy-disallow-wildcard-actions\s+\(aws:iam\/rolePolicy:RolePolicy: late-worker-queue\)/);
    });

    it("plans a program that reads a StackReference from --stack-output or --stack-reference, and names the flag when the outputs are missing", () => {
        const program = "test/fixtures/programs/stack-reference.ts";
        const stack = "organization/groundwork/shared";
        const missing = planCli(["--stack", "dev", "--program", program]);
        expect(missing.code).toBe(2);
        expect(missing.out).toContain(`the program reads stack '${stack}' through a StackReference`);
        expect(missing.out).toContain(`--stack-reference ${stack}=<outputs.json>`);
        const arn = "arn:aws:sqs:us-east-1:123456789012:shared-dlq";
        const flag = planCli(["--stack", "dev", "--program", program, "--stack-output", `${stack}:dlqArn=${arn}`, "--json", path.join(tmp, "ref.json")]);
        expect(flag.code).toBe(0);
        const queue = JSON.parse(fs.readFileSync(path.join(tmp, "ref.json"), "utf8")).resources.find((r: any) => r.name === "consumer-jobs");
        expect(JSON.parse(queue.inputs.redrivePolicy)).toEqual({ deadLetterTargetArn: arn, maxReceiveCount: 5 });
        const file = path.join(tmp, "shared-outputs.json");
        fs.writeFileSync(file, JSON.stringify({ dlqArn: arn, dlqUrl: "https://sqs.us-east-1.amazonaws.com/123456789012/shared-dlq" }));
        expect(planCli(["--stack", "dev", "--program", program, "--stack-reference", `${stack}=${file}`]).code).toBe(0);
    });

    it("exits 2, never 1, when the program crashes inside an apply", () => {
        const program = path.join(tmp, "crash.ts");
        fs.writeFileSync(program, 'import * as pulumi from "@pulumi/pulumi";\nexport const x = pulumi.output(1).apply(() => { throw new Error("boom in apply"); });\n');
        const link = path.join(REPO_ROOT, "test", "fixtures", "programs", `.crash-${process.pid}.ts`);
        fs.copyFileSync(program, link);
        try {
            const { code, out } = planCli(["--stack", "dev", "--program", path.relative(REPO_ROOT, link)]);
            expect(code).toBe(2);
            expect(out).toContain("boom in apply");
        } finally {
            fs.rmSync(link, { force: true });
        }
    });

    it("exits 2 when the program does not exist, and on unknown flags", () => {
        expect(planCli(["--stack", "dev", "--program", "no/such/program.ts"]).code).toBe(2);
        expect(planCli(["--stack", "dev", "--frobnicate"]).code).toBe(2);
    });
});
