import { spawnSync } from "node:child_process";
import * as path from "node:path";

// The layering rules of .dependency-cruiser.cjs, run by the depcruise CLI as `npm run lint:deps` runs them.
const ROOT = path.join(__dirname, "..");
const CONFIG = path.join(ROOT, ".dependency-cruiser.cjs");
const FOLDERS = ["components", "infra", "stacks", "tools", "policies", "packages", "app/src"];

interface Violation {
    rule: { name: string };
    from: string;
    to: string;
}

function cruise(cwd: string): Violation[] {
    const bin = path.join(ROOT, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");
    const r = spawnSync(process.execPath, [bin, ...FOLDERS, "--config", CONFIG, "--output-type", "json"], { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (!r.stdout.trim().startsWith("{")) throw new Error(`depcruise failed in ${cwd}: ${r.stderr}`);
    return JSON.parse(r.stdout).summary.violations;
}

describe("layering of the platform code", () => {
    it("holds in this repository", () => {
        expect(cruise(ROOT).map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
    });

    it("names each broken rule, and only those, on a tree where each import breaks one", () => {
        const found = cruise(path.join(ROOT, "test", "fixtures", "layering"))
            .map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)
            .sort();
        expect(found).toEqual(
            [
                "app-never-imports-platform: app/src/server.ts -> components/network.ts",
                "components-are-a-library: components/network.ts -> stacks/config.ts",
                "packs-are-self-contained: policies/pack-a/index.ts -> components/network.ts",
                "packs-are-self-contained: policies/pack-a/index.ts -> policies/pack-b/rule.ts",
                "packs-never-import-platform: policies/pack-a/index.ts -> components/network.ts",
                "platform-reads-only-the-app-contract: infra/program.ts -> app/src/server.ts",
                "policy-kit-is-a-package: packages/policy-kit/src/index.ts -> tools/helper.ts",
                "program-is-not-tooling: infra/program.ts -> tools/helper.ts",
            ].sort(),
        );
    });
});
