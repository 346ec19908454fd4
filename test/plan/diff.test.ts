import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMMENT_MARK, DIFF_LEGEND, diffPlans, diffValues, PlanDiff, readPlanJson, renderDiff, renderDiffMarkdown } from "../../tools/plan/diff";
import { REPO_ROOT, secretPlaintexts } from "../../tools/plan/plan";
import { PlanJson, toPlanJson } from "../../tools/plan/report";
import edges from "../fixtures/programs/diagram/edges";
import { runPulumi } from "../support/pulumi";

const SECRETS = ["base-s3cr3t-token-value", "head-s3cr3t-token-value", "head-s3cr3t-rotation"];
/** Plain in the base plan, a secret in the head plan: the diff must not print it either. */
const NOW_SECRET = "base-plain-rotation";
const PROGRAM = "test/fixtures/programs/diagram/edges.ts";
const urn = (type: string, name: string) => `urn:pulumi:dev::groundwork::groundwork:test:Shop$${type}::${name}`;

describe("plan tool: the plan diff", () => {
    let base: PlanJson;
    let head: PlanJson;
    let diff: PlanDiff;
    beforeAll(async () => {
        // GIVEN the fixture program before and after a change: new api image, another secret token, a queue replaced
        base = toPlanJson(await runPulumi(() => edges("base"), { stack: "dev" }), [], []);
        const headGraph = await runPulumi(() => edges("head"), { stack: "dev" });
        head = toPlanJson(headGraph, [], []);
        diff = diffPlans(base, head, { secrets: secretPlaintexts(headGraph) });
    });

    it("lists the added and removed URNs, and each modified resource (by URN) with its changed property paths", () => {
        expect(diff.added).toEqual([{ urn: urn("aws:sqs/queue:Queue", "shop-audit"), type: "aws:sqs/queue:Queue", name: "shop-audit" }]);
        expect(diff.removed).toEqual([{ urn: urn("aws:sqs/queue:Queue", "shop-legacy"), type: "aws:sqs/queue:Queue", name: "shop-legacy" }]);
        expect(diff.modified).toEqual([
            {
                urn: urn("aws:ssm/parameter:Parameter", "shop-token"),
                type: "aws:ssm/parameter:Parameter",
                name: "shop-token",
                // the token's new value is no change to a diff (both plans hold [secret]); the tag that became secret is
                changes: [{ path: "tags.rotation", kind: "changed", before: "[secret]", after: "[secret]" }],
            },
            {
                urn: urn("kubernetes:apps/v1:Deployment", "shop-api"),
                type: "kubernetes:apps/v1:Deployment",
                name: "shop-api",
                changes: [{ path: "spec.template.spec.containers[0].image", kind: "changed", before: "example/api:1", after: "example/api:2" }],
            },
        ]);
        expect(diff.unchanged).toBe(head.resources.length - 1 - 2);
    });

    it("prints the change by URN and path, the legend saying replacements are not predicted, and no secret", () => {
        const text = renderDiff(diff, "base.json");
        expect(text).toContain("    + 1 to add, - 1 to remove, ~ 2 to modify");
        expect(text).toContain(`  + aws:sqs/queue:Queue  ${urn("aws:sqs/queue:Queue", "shop-audit")}`);
        expect(text).toContain(`  - aws:sqs/queue:Queue  ${urn("aws:sqs/queue:Queue", "shop-legacy")}`);
        expect(text).toContain('      spec.template.spec.containers[0].image: "example/api:1" → "example/api:2"');
        expect(text).toContain("      tags.rotation: [secret] → [secret]");
        expect(text).toContain("Replacements are not predicted");
        for (const line of DIFF_LEGEND) expect(text).toContain(line);
        const markdown = renderDiffMarkdown([diff]);
        for (const out of [text, markdown, JSON.stringify(diff)]) for (const s of [...SECRETS, NOW_SECRET]) expect(out).not.toContain(s);
    });

    it("renders the pull request's comment: the marker the workflow finds it by, a section per stack, cut to fit", () => {
        const markdown = renderDiffMarkdown([diff, { ...diff, head: { ...diff.head, stack: "prod" } }]);
        expect(markdown.startsWith(`${COMMENT_MARK}\n`)).toBe(true);
        expect(markdown).toContain("### `dev`: +1 -1 ~2");
        expect(markdown).toContain("### `prod`: +1 -1 ~2");
        expect(markdown).toContain('spec.template.spec.containers[0].image: "example/api:1" → "example/api:2"');
        const short = renderDiffMarkdown([diff], 1000);
        expect(short.length).toBeLessThan(1200);
        expect(short).toContain("... (cut:");
    });

    it.each([
        ["a value that became secret", "old-plaintext-value", "[secret]", [{ path: "x", kind: "changed", before: "[secret]", after: "[secret]" }]],
        ["a secret that became plain", "[secret]", "new-plaintext-value", [{ path: "x", kind: "changed", before: "[secret]", after: "[secret]" }]],
        ["an object that became secret", { token: "old-plaintext-value" }, "[secret]", [{ path: "x", kind: "changed", before: "[secret]", after: "[secret]" }]],
        ["an added key", {}, { "app.kubernetes.io/name": "api" }, [{ path: 'x["app.kubernetes.io/name"]', kind: "added", after: "api" }]],
        ["a removed element", [{ a: 1 }, { a: 2 }], [{ a: 1 }], [{ path: "x[1]", kind: "removed", before: { a: 2 } }]],
        ["a scalar list that grew", ["s:A"], ["s:A", "s:B"], [{ path: "x", kind: "changed", before: ["s:A"], after: ["s:A", "s:B"] }]],
        ["JSON text", '{"Statement":[{"Action":"s:A"}]}', '{"Statement":[{"Action":"s:B"}]}', [{ path: "x(json).Statement[0].Action", kind: "changed", before: "s:A", after: "s:B" }]],
        ["nothing", { a: [1, { b: "c" }] }, { a: [1, { b: "c" }] }, []],
    ])("compares %s by path, hiding secrets on both sides", (_what, before, after, expected) => {
        expect(diffValues(before, after, "x")).toEqual(expected);
    });

    it("scrubs a head plaintext that reached a plain value", () => {
        const leaky: PlanJson = { ...head, resources: head.resources.map((r) => (r.name === "shop-web" ? { ...r, inputs: { ...r.inputs, note: `token ${SECRETS[1]}` } } : r)) };
        const d = diffPlans(base, leaky, { secrets: [SECRETS[1]] });
        expect(JSON.stringify(d)).not.toContain(SECRETS[1]);
        expect(d.modified.find((m) => m.name === "shop-web")!.changes).toEqual([{ path: "note", kind: "added", after: "token [secret]" }]);
    });

    it("`npm run plan -- --diff` prints the diff and writes it into --json, neither holding a secret", () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "plan-diff-"));
        try {
            // GIVEN a base plan of the first version, written by --json
            const baseFile = path.join(tmp, "base.json");
            const env = { ...process.env, EDGES_FIXTURE_VARIANT: "base" };
            const cli = (args: string[], e: NodeJS.ProcessEnv) =>
                spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", "tools/plan/cli.ts", "--stack", "dev", "--program", PROGRAM, ...args], {
                    cwd: REPO_ROOT,
                    encoding: "utf8",
                    timeout: 120_000,
                    env: e,
                });
            // (the fixture is not compliant, a bare bucket and distribution: exit 1 is the policy verdict, 2 a failure)
            expect(cli(["--json", baseFile], env).status).toBe(1);
            // WHEN the changed version is planned against it
            const headFile = path.join(tmp, "head.json");
            const mmd = path.join(tmp, "d.mmd");
            const r = cli(["--diff", baseFile, "--json", headFile, "--diagram", mmd], { ...process.env, EDGES_FIXTURE_VARIANT: "head" });
            const out = `${r.stdout}\n${r.stderr}`;
            // THEN the output and the JSON carry the diff, and no plaintext of either secret
            expect(r.status).toBe(1);
            expect(out).toContain("    + 1 to add, - 1 to remove, ~ 2 to modify");
            expect(out).toContain('spec.template.spec.containers[0].image: "example/api:1" → "example/api:2"');
            const json = fs.readFileSync(headFile, "utf8");
            expect(readPlanJson(headFile)).toMatchObject({ stack: "dev" });
            expect((JSON.parse(json).diff as PlanDiff).modified.map((m) => m.name)).toEqual(["shop-token", "shop-api"]);
            for (const text of [out, json, fs.readFileSync(baseFile, "utf8")]) for (const s of SECRETS) expect(text).not.toContain(s);
            expect(JSON.stringify(JSON.parse(json).diff)).not.toContain(NOW_SECRET);
            expect(fs.readFileSync(mmd, "utf8")).toContain("flowchart LR");
            // and a base that is not a plan stops the run with exit 2, naming the file
            fs.writeFileSync(path.join(tmp, "bad.json"), "{}");
            const bad = cli(["--diff", path.join(tmp, "bad.json")], env);
            expect(bad.status).toBe(2);
            expect(bad.stderr).toContain("bad.json' is not a plan");
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });
});
