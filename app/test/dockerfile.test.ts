/**
 * There is no Docker engine in CI, so the image's key properties are checked statically here.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

const root = join(__dirname, "..");
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { scripts: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };
const instructions = dockerfile
  .replace(/\\\n/g, " ")
  .split("\n")
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith("#"))
  .map((l) => {
    const [op, ...rest] = l.split(/\s+/);
    return { op: op.toUpperCase(), args: rest.join(" ") };
  });
const stages: { from: string; lines: typeof instructions }[] = [];
for (const i of instructions) {
  if (i.op === "FROM") stages.push({ from: i.args, lines: [] });
  else stages.at(-1)?.lines.push(i);
}
const final = stages.at(-1)!;
const arg = (name: string) => instructions.find((i) => i.op === "ARG" && i.args.startsWith(`${name}=`))?.args.split("=")[1];

test("multi-stage on Node 24", () => {
  expect(stages.length).toBeGreaterThanOrEqual(2);
  expect(arg("NODE_IMAGE")).toMatch(/^node:24[-.]/);
  for (const s of stages) expect(s.from).toMatch(/^\$\{NODE_IMAGE\}( AS \w+)?$/i);
});

test("build steps use the same npm scripts as the tests; the runtime has production dependencies only", () => {
  const runs = instructions.filter((i) => i.op === "RUN").map((i) => i.args);
  expect(runs).toEqual(expect.arrayContaining(["npm ci --no-audit --no-fund", "npm run build"]));
  expect(pkg.scripts.test).toContain("npm run build");
  expect(runs.some((r) => /npm ci --omit=dev/.test(r))).toBe(true);
  expect(runs.some((r) => /npm install\b/.test(r))).toBe(false);
  const copies = final.lines.filter((l) => l.op === "COPY").map((l) => l.args);
  expect(copies).toEqual(expect.arrayContaining(["--from=deps /app/node_modules ./node_modules", "--from=build /app/dist ./dist"]));
  expect(copies.some((c) => /--from=build \/app\/node_modules/.test(c))).toBe(false);
  // Tooling stays out of production dependencies.
  for (const dev of ["node", "typescript", "jest", "fauxqs", "autocannon", "dependency-cruiser"]) expect(pkg.dependencies[dev]).toBeUndefined();
});

test("runs as a non-root numeric user, exposes one port, starts the same file as `npm start`", () => {
  const user = final.lines.filter((l) => l.op === "USER");
  expect(user).toHaveLength(1);
  expect(user[0].args).toMatch(/^[1-9]\d*(:\d+)?$/);
  expect(instructions.filter((i) => i.op === "EXPOSE")).toHaveLength(1);
  const cmd = JSON.parse(final.lines.find((l) => l.op === "CMD")!.args) as string[];
  expect(cmd.join(" ")).toBe(pkg.scripts.start);
  // Nothing in the final stage writes to the filesystem at run time (read-only root fs): no VOLUME, no chown'd writable dirs.
  expect(final.lines.some((l) => l.op === "VOLUME")).toBe(false);
});

test(".dockerignore keeps local artefacts out of the build context", () => {
  const ignored = readFileSync(join(root, ".dockerignore"), "utf8").split("\n").map((l) => l.trim());
  for (const p of ["node_modules", "dist", "bench-results", "test", ".git", ".env"]) expect(ignored).toContain(p);
});
