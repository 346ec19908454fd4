import { spawnSync } from "node:child_process";
import { join } from "node:path";

const appRoot = join(__dirname, "..");
const depcruise = join(appRoot, "node_modules", "dependency-cruiser", "bin", "dependency-cruiser.mjs");
const config = join(appRoot, ".dependency-cruiser.cjs");

function cruise(cwd: string) {
  const r = spawnSync(process.execPath, [depcruise, "src", "--config", config, "--output-type", "err"], { cwd, encoding: "utf8" });
  return { code: r.status, out: `${r.stdout}${r.stderr}` };
}

test("the real source tree respects the module boundaries", () => {
  const r = cruise(appRoot);
  expect(r.out).toContain("no dependency violations found");
  expect(r.code).toBe(0);
});

test("the rule fails a module that imports another module's internals (and platform importing a module)", () => {
  const r = cruise(join(__dirname, "fixtures", "boundary-violation"));
  expect(r.code).not.toBe(0);
  expect(r.out).toContain("no-cross-module-internals: src/modules/orders/service.ts → src/modules/billing/repository.ts");
  expect(r.out).toContain("platform-is-domain-free: src/platform/db.ts → src/modules/billing/index.ts");
  // Going through the other module's index is allowed.
  expect(r.out).not.toContain("src/modules/orders/routes.ts");
});
