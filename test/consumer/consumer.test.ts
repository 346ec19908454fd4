import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { assertBuildCurrent, createConsumerProject, PackedLibrary, packLibrary, typeCheckConsumer } from "../../tools/engine/consumer";

// Another team's project using the library as npm delivers it: `npm pack` of this repository, `npm install` of that
// tarball into a fresh folder outside the repository (test/fixtures/programs/consumer), its own strict type-check, and
// the offline plan of its program with both packs. The same project under the real CLI is `npm run test:engine`'s
// consumer step. jest packs the current build (`npm test` builds first); `npm publish` would rebuild it (prepack).
const ROOT = path.join(__dirname, "..", "..");

/** Runs a command without blocking the event loop, so the type-check and the plan can run side by side. */
function run(cmd: string, args: string[], cwd: string): Promise<{ code: number | null; out: string; seconds: number }> {
    const started = Date.now();
    return new Promise((resolve) => {
        const child = spawn(cmd, args, { cwd });
        let out = "";
        child.stdout.on("data", (d) => (out += d));
        child.stderr.on("data", (d) => (out += d));
        child.on("close", (code) => resolve({ code, out, seconds: (Date.now() - started) / 1000 }));
    });
}

describe("the published package in another project", () => {
    let tmp: string;
    let project: string;
    let packed: PackedLibrary;
    let planned: Promise<{ code: number | null; out: string; seconds: number }>;
    const planJson = () => path.join(tmp, "plan.json");

    beforeAll(() => {
        assertBuildCurrent();
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-consumer-"));
        packed = packLibrary(tmp, { build: false });
        project = path.join(tmp, "consumer-app");
        const seconds = createConsumerProject(project, packed.tarball);
        console.log(`consumer: npm pack + npm install ${seconds.toFixed(0)}s (${packed.files.length} files, ${(packed.size / 1024).toFixed(0)} kB packed)`);
        // The offline plan starts now and runs while the type-check does.
        const ts = require.resolve("ts-node/dist/bin.js", { paths: [ROOT] });
        planned = run(process.execPath, [ts, "--transpile-only", path.join(ROOT, "tools/plan/cli.ts"), "--program", project, "--stack", "dev", "--json", planJson()], ROOT);
    }, 600_000);
    afterAll(async () => {
        await planned?.catch(() => undefined);
        if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("packs the built library only: no tests, tools, app, infra, stacks, policies or source maps", () => {
        expect(packed.name).toBe("@groundwork-platform/components");
        const unexpected = packed.files.filter(
            (f) =>
                !/^dist\/components\/.+\.(js|d\.ts)$/.test(f) &&
                !/^node_modules\/@groundwork\/policy-kit\/(dist\/.+\.(js|d\.ts)|package\.json|README\.md)$/.test(f) &&
                !["package.json", "README.md", "LICENSE", "CHANGELOG.md"].includes(f),
        );
        expect(unexpected).toEqual([]);
        expect(packed.files).toEqual(expect.arrayContaining(["dist/components/index.js", "dist/components/index.d.ts", "LICENSE", "CHANGELOG.md", "node_modules/@groundwork/policy-kit/dist/index.js"]));
    });

    it("installs from the tarball and loads under plain Node: its bundled policy kit, one @pulumi/pulumi shared with the program", () => {
        // GIVEN the installed package WHEN plain Node (not jest's resolver, which maps the kit to its source) loads it
        const script = `
const r = (id, from) => require.resolve(id, { paths: [from] });
const lib = require("@groundwork-platform/components");
const pkgDir = require("path").dirname(r("@groundwork-platform/components/package.json", "."));
console.log(JSON.stringify({ pkgDir, entry: r("@groundwork-platform/components", "."), kit: r("@groundwork/policy-kit", pkgDir),
  sdkOfLib: r("@pulumi/pulumi", pkgDir), sdkOfProgram: r("@pulumi/pulumi", "."), exports: Object.keys(lib) }));`;
        const r = spawnSync(process.execPath, ["-e", script], { cwd: project, encoding: "utf8", timeout: 120_000 });
        expect(r.stderr).toBe("");
        const out = JSON.parse(r.stdout);
        // THEN it is a copy inside the project (not a link to this repository), entered through "exports"
        expect(out.pkgDir).toBe(path.join(project, "node_modules", "@groundwork-platform", "components"));
        expect(fs.lstatSync(out.pkgDir).isSymbolicLink()).toBe(false);
        expect(out.entry).toBe(path.join(out.pkgDir, "dist", "components", "index.js"));
        expect(out.kit).toBe(path.join(out.pkgDir, "node_modules", "@groundwork", "policy-kit", "dist", "index.js"));
        // the components register their resources with the program's own SDK (a peer dependency, installed once)
        expect(out.sdkOfLib).toBe(out.sdkOfProgram);
        expect(out.exports).toEqual(expect.arrayContaining(["Network", "Database", "Queue", "WorkloadIdentity", "GroundworkComponent", "ArgumentError"]));
    });

    it("type-checks the program strictly against the published declarations", () => {
        // GIVEN an argument value the declarations must reject (they are real types, not any)
        fs.writeFileSync(
            path.join(project, "args-check.ts"),
            `import type { NetworkArgs } from "@groundwork-platform/components";\n// @ts-expect-error natMode takes only the documented modes\nexport const bad: NetworkArgs = { natMode: "sometimes" };\n`,
        );
        // WHEN the project's own TypeScript checks it
        const r = typeCheckConsumer(project);
        // THEN no error, and the expected one was raised
        expect(r.output).toBe("");
        expect(r.code).toBe(0);
    }, 300_000); // @pulumi/aws's declarations: about 20 s idle, two minutes on a busy two-core machine

    it("plans offline with both packs: 0 mandatory violations, every component and grant declared", async () => {
        const r = await planned;
        expect(r.out).not.toMatch(/^error:/m);
        expect(r.code).toBe(0);
        const plan = JSON.parse(fs.readFileSync(planJson(), "utf8"));
        expect([...plan.policies.packs].sort()).toEqual(["groundwork-kubernetes", "groundwork-security"]);
        expect(plan.policies.violations.filter((v: { enforcementLevel: string }) => v.enforcementLevel === "mandatory")).toEqual([]);
        const types = plan.resources.map((r: { type: string }) => r.type);
        expect(types).toEqual(expect.arrayContaining(["groundwork:network:Network", "groundwork:database:Database", "groundwork:queue:Queue", "groundwork:identity:WorkloadIdentity"]));
        // The grants: one role policy per verb on the workload's role, each naming only its resource.
        const grants = plan.resources.filter((r: { type: string; name: string }) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name.startsWith("orders-api-"));
        expect(grants.map((g: { name: string }) => g.name).sort()).toEqual(["orders-api-orders-db-connect-ordersapi", "orders-api-orders-jobs-send"]);
    }, 300_000);
});
