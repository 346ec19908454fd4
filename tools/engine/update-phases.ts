/**
 * `npm run docs:phases`: rewrites the README's table of when each mandatory rule gates, from the prod stack's
 * offline plan as a new stack's preview. `npm run test:engine` fails when the table is not current.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { packRules, phaseRows, renderPhases, withPhases } from "./phases";
import { REPO_ROOT } from "./plugins";

const stack = "prod";
const json = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "phases-")), "plan.json");
const r = spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(REPO_ROOT, "tools/plan/cli.ts"), "--stack", stack, "--preview", "--json", json], {
    cwd: REPO_ROOT,
    encoding: "utf8",
});
if (!fs.existsSync(json)) {
    console.error(`docs:phases: the offline plan failed (exit ${r.status}):\n${r.stderr}`);
    process.exit(2);
}
const violations = JSON.parse(fs.readFileSync(json, "utf8")).policies.violations;
const file = path.join(REPO_ROOT, "README.md");
const before = fs.readFileSync(file, "utf8");
const after = withPhases(before, renderPhases(stack, phaseRows(packRules(), violations)));
fs.writeFileSync(file, after);
console.log(after === before ? "README.md: the table was current" : "README.md: table rewritten");
