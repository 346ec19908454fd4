import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { BuiltPack, buildPolicyPacks, kitRangeAccepts, npm } from "../../tools/policy-pack/build";

// `npm run policy:pack`: the folder `pulumi policy publish` uploads (it runs `npm pack` in it) must need nothing
// outside itself; installing and running the published form under the real CLI is `npm run test:engine`'s consumer step.
describe.each([
    ["^0.1.0", "0.1.0", true],
    ["^0.1.0", "0.1.7", true],
    ["^0.1.0", "0.2.0", false],
    ["^0.1.3", "0.1.2", false],
    ["^1.2.0", "1.9.0", true],
    ["^1.2.0", "2.0.0", false],
    ["0.1.0", "0.1.0", true],
    ["0.1.0", "0.1.1", false],
    ["file:../../packages/policy-kit", "0.1.0", false],
])("kitRangeAccepts(%s, %s)", (range, version, expected) => {
    it(`is ${expected}`, () => expect(kitRangeAccepts(range, version)).toBe(expected));
});

describe("npm run policy:pack", () => {
    let tmp: string;
    let built: BuiltPack[];
    beforeAll(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), "groundwork-policy-pack-"));
        built = buildPolicyPacks({ outDir: path.join(tmp, "out") });
    }, 300_000);
    afterAll(() => tmp && fs.rmSync(tmp, { recursive: true, force: true }));

    it("builds both packs at the release's version", () => {
        const release = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "..", "package.json"), "utf8")).version;
        expect(built.map((b) => [b.name, b.version])).toEqual([
            ["kubernetes", release],
            ["security", release],
        ]);
    });

    it("depends on nothing outside the folder: the kit is a vendored tarball, the rest registry versions", () => {
        for (const b of built) {
            const pkg = JSON.parse(fs.readFileSync(path.join(b.dir, "package.json"), "utf8"));
            const specs = Object.entries({ ...pkg.dependencies, ...pkg.devDependencies }) as [string, string][];
            // GIVEN every dependency spec WHEN it is not a registry version THEN it is the vendored kit inside the folder
            const local = specs.filter(([, spec]) => !/^[\^~]?\d+\.\d+\.\d+$/.test(spec));
            expect(local).toEqual([["@groundwork/policy-kit", `file:${b.kitTarball}`]]);
            const inside = execFileSync("tar", ["-tzf", path.join(b.dir, b.kitTarball)], { encoding: "utf8" }).split("\n");
            expect(inside).toEqual(expect.arrayContaining(["package/package.json", "package/dist/index.js", "package/dist/index.d.ts"]));
        }
    });

    it("`npm pack` of each folder (what `pulumi policy publish` uploads) holds the pack, its config and the kit", () => {
        for (const b of built) {
            const files = (JSON.parse(npm(["pack", "--dry-run", "--json"], b.dir))[0].files as { path: string }[]).map((f) => f.path);
            expect(files).toEqual(expect.arrayContaining(["PulumiPolicy.yaml", "package.json", "index.ts", "tsconfig.json", "config/dev.json", "config/prod.json", b.kitTarball]));
            expect(files.filter((f) => f.startsWith("node_modules/") || f.endsWith(".test.ts"))).toEqual([]);
            // Every rule file of the pack in the repository is in the upload.
            const rules = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? rules(path.join(dir, e.name)) : [path.join(dir, e.name)]));
            const src = path.join(__dirname, "..", "..", "policies", b.name);
            expect(files).toEqual(expect.arrayContaining(rules(path.join(src, "rules")).map((f) => path.relative(src, f))));
        }
    });
});
