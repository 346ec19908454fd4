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

    it("exits 2 when the program does not exist, and on unknown flags", () => {
        expect(planCli(["--stack", "dev", "--program", "no/such/program.ts"]).code).toBe(2);
        expect(planCli(["--stack", "dev", "--frobnicate"]).code).toBe(2);
    });
});
