// Builds the front end (app/web) into app/web/dist with Vite, unless the last build was of the same sources.
//
//   node scripts/build-web.mjs                  (app: npm run build:web)
//   node app/scripts/build-web.mjs --if-installed   (root: npm run build:web, before every plan)
//
// The platform's plan uploads whatever app/web/dist holds (infra/web.ts), so the root scripts that plan build it
// first: the same source then always plans the same objects (Vite's file names are content hashes). Skipping a build
// whose sources are unchanged (a SHA-256 over them, kept under node_modules/.cache) keeps plans fast and avoids
// rewriting dist/ under a concurrent reader. With --if-installed and no app dependencies (a fresh clone after only the
// root `npm ci`), it warns and exits 0: infra then plans without the front end and says so.
// Plain Node ESM with no dependencies, so the root can run it before the app's packages exist.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const app = join(dirname(fileURLToPath(import.meta.url)), "..");
const web = join(app, "web");
const vite = join(app, "node_modules", ".bin", "vite");
const stampFile = join(app, "node_modules", ".cache", "groundwork-web", "source-hash");

if (!existsSync(vite)) {
  const message = "build:web: the app's dependencies are not installed (npm --prefix app ci), so the front end is not built";
  if (process.argv.includes("--if-installed")) {
    console.warn(`${message}; the plan will upload no static site.`);
    process.exit(0);
  }
  console.error(message);
  process.exit(1);
}

const files = (dir) => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
// Everything the bundle is made of: the page, its code, the config, the contract it imports, and the toolchain's versions.
const inputs = [join(web, "index.html"), join(web, "vite.config.mts"), ...files(join(web, "src")), join(app, "src", "contract.json"), join(app, "package-lock.json")].sort();
const hash = createHash("sha256");
for (const f of inputs) hash.update(relative(app, f)).update("\0").update(readFileSync(f)).update("\0");
const sourceHash = hash.digest("hex");

const built = existsSync(join(web, "dist", "index.html"));
if (built && existsSync(stampFile) && readFileSync(stampFile, "utf8") === sourceHash) process.exit(0);

const run = spawnSync(vite, ["build", "web", "--logLevel", "warn"], { cwd: app, stdio: "inherit" });
if (run.status !== 0) process.exit(run.status ?? 1);
mkdirSync(dirname(stampFile), { recursive: true });
writeFileSync(stampFile, sourceHash);
console.log(`build:web: built ${relative(process.cwd(), join(web, "dist")) || "."}`);
