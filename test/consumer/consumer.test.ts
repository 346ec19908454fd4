import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

// Another project importing the published library: `require("groundwork")` through package.json "exports"
// resolves to the build in dist/ (npm run build, which `npm test` runs first), and its types type-check.
const ROOT = path.join(__dirname, "..", "..");
const DIST = path.join(ROOT, "dist", "components", "index.js");

describe("the component library as another project imports it", () => {
    let dir: string;
    beforeAll(() => {
        if (!fs.existsSync(DIST)) throw new Error("dist/components/index.js is missing. Fix: run `npm run build` first (npm test does).");
        // GIVEN a consumer project whose node_modules/groundwork is this package (as `npm install` of it would link it)
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-consumer-"));
        fs.mkdirSync(path.join(dir, "node_modules"));
        fs.symlinkSync(ROOT, path.join(dir, "node_modules", "groundwork"), "dir");
        fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, dependencies: { groundwork: "*" } }));
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("resolves the exports entry and declares a Network under Pulumi's mocks", () => {
        fs.writeFileSync(
            path.join(dir, "program.js"),
            `
const pulumi = require(require.resolve("@pulumi/pulumi", { paths: [require.resolve("groundwork")] }));
const registered = [];
pulumi.runtime.setMocks({
    newResource: (a) => { registered.push(a.type + "::" + a.name); return { id: a.name + "-id", state: { ...a.inputs, arn: "arn:aws:mock:::" + a.name } }; },
    call: (a) => (a.token.endsWith("getAvailabilityZones") ? { names: ["us-east-1a", "us-east-1b"] } : { accountId: "123456789012", partition: "aws", name: "us-east-1", region: "us-east-1", dnsSuffix: "amazonaws.com" }),
}, "consumer", "test", false).then(async () => {
    const gw = require("groundwork");
    new gw.Network("net", { cidrBlock: "10.1.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"], natMode: "none", protect: false });
    await new Promise((r) => setTimeout(r, 500));
    console.log(JSON.stringify({ resolved: require.resolve("groundwork"), exports: Object.keys(gw).sort(), registered }));
});
`,
        );
        // WHEN it runs with plain Node (no ts-node: the build output is JavaScript)
        const r = spawnSync(process.execPath, ["program.js"], { cwd: dir, encoding: "utf8", timeout: 60_000 });
        expect(r.stderr).not.toMatch(/Error/);
        const out = JSON.parse(r.stdout.trim().split("\n").pop() as string);
        // THEN the package's "exports" led to dist/, the public API is there, and the component declared its children
        expect(fs.realpathSync(out.resolved)).toBe(fs.realpathSync(DIST));
        expect(out.exports).toEqual(expect.arrayContaining(["Network", "GroundworkComponent", "ArgumentError"]));
        expect(out.registered).toEqual(expect.arrayContaining(["groundwork:network:Network::net", "aws:ec2/vpc:Vpc::net-vpc", "aws:ec2/flowLog:FlowLog::net-flow-log"]));
    });

    it("type-checks a TypeScript consumer against the published declarations", () => {
        fs.writeFileSync(
            path.join(dir, "typed.ts"),
            `import { Network, NetworkArgs } from "groundwork";
const args: NetworkArgs = { cidrBlock: "10.2.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] };
export const net: Network = new Network("net", args);
// @ts-expect-error natMode takes only the documented modes
export const bad: NetworkArgs = { ...args, natMode: "sometimes" };
`,
        );
        fs.writeFileSync(
            path.join(dir, "tsconfig.json"),
            JSON.stringify({ compilerOptions: { strict: true, module: "commonjs", target: "ES2022", skipLibCheck: true, noEmit: true, types: [], typeRoots: [path.join(ROOT, "node_modules", "@types")] }, files: ["typed.ts"] }),
        );
        const tsc = path.join(ROOT, "node_modules", "typescript", "bin", "tsc");
        const r = spawnSync(process.execPath, [tsc, "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8", timeout: 120_000 });
        expect(r.stdout + r.stderr).toBe("");
        expect(r.status).toBe(0);
    });
});
