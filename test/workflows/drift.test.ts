import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

// The drift workflow checks each stack the way the pull request preview does (same runner, same role, same packs),
// with the least permissions per job, one issue per stack, and never two runs of one stack at once.
const REPO_ROOT = path.resolve(__dirname, "../..");
const load = (f: string) => yaml.load(fs.readFileSync(path.join(REPO_ROOT, ".github/workflows", f), "utf8")) as any;
const drift = load("drift.yml");
const pr = load("pull-request.yml");
const runOf = (job: any) => job.steps.map((s: any) => s.run ?? "").join("\n");

describe("drift.yml", () => {
    it("runs daily and by hand", () => {
        expect(drift.on.schedule).toEqual([{ cron: expect.stringMatching(/^\d+ \d+ \* \* \*$/) }]);
        expect(drift.on).toHaveProperty("workflow_dispatch");
    });

    it("previews each stack on its in-VPC deploy runner with the pull request preview's role and packs", () => {
        const job = drift.jobs.preview;
        expect(job.strategy.matrix.stack).toEqual(["dev", "prod"]);
        expect(job.strategy["fail-fast"]).toBe(false);
        expect(job["runs-on"]).toBe(pr.jobs.preview["runs-on"]);
        const creds = (j: any) => j.steps.find((s: any) => String(s.uses).startsWith("aws-actions/configure-aws-credentials@")).with;
        expect(creds(job)).toEqual(creds(pr.jobs.preview));
        const run = runOf(job);
        expect(run).toMatch(/pulumi preview --refresh --expect-no-changes .*--stack "\$STACK"/);
        for (const pack of ["security", "kubernetes"]) {
            expect(run).toContain(`--policy-pack policies/${pack} --policy-pack-config "policies/${pack}/config/\${STACK}.json"`);
        }
        expect(job.env.STACK).toBe("${{ matrix.stack }}");
        expect(job.concurrency).toEqual({ group: "drift-${{ matrix.stack }}", "cancel-in-progress": false });
    });

    it("grants each job only what it needs: no job holds both AWS credentials and issue writes", () => {
        expect(drift.permissions).toEqual({});
        expect(drift.jobs.preview.permissions).toEqual({ contents: "read", "id-token": "write" });
        expect(drift.jobs.report.permissions).toEqual({ issues: "write" });
    });

    it("reports per stack into one open issue labelled drift:<stack>, looked up before one is opened", () => {
        const job = drift.jobs.report;
        expect(job.needs).toBe("preview");
        expect(job.strategy.matrix.stack).toEqual(["dev", "prod"]);
        const run = runOf(job);
        expect(run).toContain('label="drift:$STACK"');
        const lookUp = run.indexOf('gh issue list --state open --label "$label"');
        expect(lookUp).toBeGreaterThan(-1);
        expect(run.indexOf("gh issue create")).toBeGreaterThan(lookUp);
        expect(run).toContain('gh issue comment "$existing"');
        expect(run).toContain('gh issue close "$existing"');
    });
});
