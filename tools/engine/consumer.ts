/**
 * A project of its own that uses the published package, for the engine run's consumer step:
 * `npm pack` of this repository (the tarball `npm publish` would upload), a fresh folder outside the repository
 * holding test/fixtures/programs/consumer, and `npm install` of the tarball there, as another team would.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { npm } from "../policy-pack/build";
import { REPO_ROOT } from "./plugins";

/** The consumer program's folder (its Pulumi.yaml, stack file, tsconfig and program). */
export const CONSUMER_FIXTURE = path.join(REPO_ROOT, "test", "fixtures", "programs", "consumer");

/** What `npm pack` produced. */
export interface PackedLibrary {
    /** The tarball's path. */
    tarball: string;
    /** Package name and version. */
    name: string;
    /** Package version. */
    version: string;
    /** Paths inside the tarball. */
    files: string[];
    /** Tarball size in bytes. */
    size: number;
    /** Unpacked size in bytes. */
    unpackedSize: number;
}

/** The version of a package installed in the repository (what its tests ran against). */
export function repoVersion(pkg: string): string {
    return JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", pkg, "package.json"), "utf8")).version.replace(/^v/, "");
}

function newestMtime(dir: string, ext: RegExp): { file: string; mtime: number } {
    let best = { file: "", mtime: 0 };
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, e.name);
        const cand = e.isDirectory() ? newestMtime(p, ext) : ext.test(e.name) ? { file: p, mtime: fs.statSync(p).mtimeMs } : best;
        if (cand.mtime > best.mtime) best = cand;
    }
    return best;
}

/**
 * Throws unless dist/ holds a build of the current sources (the library's and the bundled kit's): packing without
 * the prepack build (jest has no time for it) must not test a stale build.
 */
export function assertBuildCurrent(): void {
    const pairs = [
        { src: path.join(REPO_ROOT, "components"), out: path.join(REPO_ROOT, "dist", "components", "index.js"), fix: "npm run build" },
        { src: path.join(REPO_ROOT, "packages", "policy-kit", "src"), out: path.join(REPO_ROOT, "packages", "policy-kit", "dist", "index.js"), fix: "npm run build:kit" },
    ];
    for (const p of pairs) {
        if (!fs.existsSync(p.out)) throw new Error(`${path.relative(REPO_ROOT, p.out)} is missing. Fix: run \`${p.fix}\` first (npm test does).`);
        const newest = newestMtime(p.src, /\.ts$/);
        const built = newestMtime(path.dirname(p.out), /\.js$/).mtime;
        if (newest.mtime > built) throw new Error(`${path.relative(REPO_ROOT, newest.file)} is newer than its build. Fix: run \`${p.fix}\` first (npm test does).`);
    }
}

/**
 * `npm pack` of the repository into `dest`. With `build`, npm runs the package's prepack (a clean build of
 * dist/components), as `npm publish` would; without it the current build is packed (see {@link assertBuildCurrent}).
 */
export function packLibrary(dest: string, opts: { build: boolean }): PackedLibrary {
    fs.mkdirSync(dest, { recursive: true });
    const out = npm(["pack", "--json", "--pack-destination", dest, ...(opts.build ? [] : ["--ignore-scripts"])], REPO_ROOT);
    // With scripts, the build's output precedes npm's JSON.
    const doc = JSON.parse(out.slice(out.indexOf("[\n")))[0];
    return {
        tarball: path.join(dest, doc.filename),
        name: doc.name,
        version: doc.version,
        files: doc.files.map((f: { path: string }) => f.path),
        size: doc.size,
        unpackedSize: doc.unpackedSize,
    };
}

/**
 * Creates the consumer project in `dir` (which must not exist): the fixture's files (index.ts.txt becomes index.ts), a
 * package.json with what the program imports itself (@pulumi/aws, @pulumi/pulumi) and its tools (typescript,
 * @types/node) at the versions this repository tests with, then `npm install <tarball>`. Returns the install's seconds.
 */
export function createConsumerProject(dir: string, tarball: string): number {
    fs.mkdirSync(dir, { recursive: true });
    for (const f of fs.readdirSync(CONSUMER_FIXTURE)) {
        if (f === "README.md") continue;
        fs.copyFileSync(path.join(CONSUMER_FIXTURE, f), path.join(dir, f.replace(/\.ts\.txt$/, ".ts")));
    }
    const pkg = {
        name: "consumer-app",
        version: "1.0.0",
        private: true,
        dependencies: { "@pulumi/aws": repoVersion("@pulumi/aws"), "@pulumi/pulumi": repoVersion("@pulumi/pulumi") },
        devDependencies: { "@types/node": repoVersion("@types/node"), typescript: repoVersion("typescript") },
    };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
    const started = Date.now();
    // --prefer-offline: the npm cache answers for versions it holds; the registry only for what it lacks.
    npm(["install", "--prefer-offline", tarball], dir);
    return (Date.now() - started) / 1000;
}

/** Type-checks the consumer project with its own TypeScript (`tsc -p tsconfig.json`: strict, noEmit). */
export function typeCheckConsumer(dir: string): { code: number | null; output: string; seconds: number } {
    const started = Date.now();
    const r = spawnSync(process.execPath, [path.join(dir, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: dir, encoding: "utf8", timeout: 300_000 });
    return { code: r.status, output: (r.stdout + r.stderr).trim(), seconds: (Date.now() - started) / 1000 };
}
