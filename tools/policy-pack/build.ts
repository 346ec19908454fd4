/**
 * `npm run policy:pack [-- --out <dir>]`: each policy pack as the self-contained folder that `pulumi policy publish`
 * uploads, in dist/policy-packs/<pack>/ by default.
 *
 * `pulumi policy publish` runs `npm pack` in the pack's folder; whoever runs the published pack (Pulumi Cloud's
 * policy groups, `pulumi up` against an organisation with policies) extracts that tarball and runs `npm install` in
 * it. The packs share their rule model through @groundwork/policy-kit, which is not on any registry: in the
 * repository it resolves through the root's `file:` link, which a folder published alone does not have. So each
 * built folder carries the kit's own `npm pack` tarball in vendor/ and its package.json depends on that file; the
 * rest (@pulumi/policy, @pulumi/pulumi, typescript) comes from the npm registry at the versions the pack pins.
 * `npm run test:engine` installs the published form of both packs and runs `pulumi preview` with them.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** Repository root (tools/policy-pack lives two levels down). */
const REPO_ROOT = path.resolve(__dirname, "..", "..");
/** Default output folder: under dist/, which is never committed. */
export const DEFAULT_OUT = path.join(REPO_ROOT, "dist", "policy-packs");
const KIT = "@groundwork/policy-kit";

/** One built pack folder. */
export interface BuiltPack {
    /** Folder name under policies/ (and under the output folder). */
    name: string;
    /** The built, self-contained folder: run `pulumi policy publish` in it. */
    dir: string;
    /** The pack's version (its package.json), which `pulumi policy publish` publishes it under. */
    version: string;
    /** The kit's tarball inside the folder, relative to it (`vendor/...tgz`). */
    kitTarball: string;
}

/** Runs npm from the Node that runs this script (Node 24 from the `node` devDependency), quietly. */
export function npm(args: string[], cwd: string): string {
    return execFileSync("npm", [...args, "--no-audit", "--no-fund", "--loglevel=error"], {
        cwd,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, PATH: `${path.dirname(process.execPath)}:${process.env.PATH ?? ""}` },
    });
}

/**
 * True when `version` is accepted by `range`, for the two forms the packs use: an exact version or `^x.y.z`
 * (for 0.x, `^0.y.z` accepts only 0.y.*). A pack whose range the kit no longer meets must not be built.
 */
export function kitRangeAccepts(range: string, version: string): boolean {
    const parse = (v: string) => v.split(".").map(Number);
    const m = /^(\^)?(\d+\.\d+\.\d+)$/.exec(range.trim());
    if (!m) return false;
    const [want, have] = [parse(m[2]), parse(version)];
    if (!m[1]) return want.join(".") === have.join(".");
    const fixed = want[0] === 0 ? 2 : 1; // leading components that must match
    for (let i = 0; i < fixed; i++) if (want[i] !== have[i]) return false;
    for (let i = fixed; i < 3; i++) {
        if (have[i] !== want[i]) return have[i] > want[i];
    }
    return true;
}

/** Every pack folder under policies/ (one with a PulumiPolicy.yaml). */
export function packFolders(root = REPO_ROOT): string[] {
    const dir = path.join(root, "policies");
    return fs
        .readdirSync(dir)
        .filter((d) => fs.existsSync(path.join(dir, d, "PulumiPolicy.yaml")))
        .sort();
}

/**
 * Builds every pack into `outDir/<pack>/`: the pack's files (no node_modules), vendor/<kit tarball>, and a
 * package.json whose kit dependency is that file. The kit is packed once, by its own `npm pack` (whose prepack
 * builds it). Throws when a pack's declared kit range does not accept the kit's version.
 */
export function buildPolicyPacks(opts: { outDir?: string } = {}): BuiltPack[] {
    const outDir = path.resolve(opts.outDir ?? DEFAULT_OUT);
    const kitDir = path.join(REPO_ROOT, "packages", "policy-kit");
    const kitVersion = JSON.parse(fs.readFileSync(path.join(kitDir, "package.json"), "utf8")).version as string;
    const staging = fs.mkdtempSync(path.join(path.dirname(outDir), ".kit-"));
    try {
        fs.mkdirSync(outDir, { recursive: true });
        const packed = JSON.parse(npm(["pack", "--json", "--pack-destination", staging], kitDir))[0] as { filename: string };
        const built: BuiltPack[] = [];
        for (const name of packFolders()) {
            const src = path.join(REPO_ROOT, "policies", name);
            const dir = path.join(outDir, name);
            fs.rmSync(dir, { recursive: true, force: true });
            fs.cpSync(src, dir, { recursive: true, filter: (f) => path.basename(f) !== "node_modules" && path.basename(f) !== "package-lock.json" });
            const pkg = JSON.parse(fs.readFileSync(path.join(src, "package.json"), "utf8"));
            const range = pkg.dependencies?.[KIT];
            if (typeof range !== "string" || !kitRangeAccepts(range, kitVersion)) {
                throw new Error(`policies/${name}/package.json asks for ${KIT} '${range}', the kit is ${kitVersion}. Fix: update the range to ^${kitVersion}.`);
            }
            const kitTarball = `vendor/${packed.filename}`;
            fs.mkdirSync(path.join(dir, "vendor"));
            fs.copyFileSync(path.join(staging, packed.filename), path.join(dir, kitTarball));
            pkg.dependencies[KIT] = `file:${kitTarball}`;
            fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2) + "\n");
            built.push({ name, dir, version: pkg.version, kitTarball });
        }
        return built;
    } finally {
        fs.rmSync(staging, { recursive: true, force: true });
    }
}

if (require.main === module) {
    const i = process.argv.indexOf("--out");
    const outDir = i > 0 ? process.argv[i + 1] : undefined;
    try {
        for (const p of buildPolicyPacks({ outDir })) {
            console.log(`${path.relative(process.cwd(), p.dir) || p.dir}  v${p.version}, ${KIT} from ${p.kitTarball}`);
        }
        console.log("Publish one with `pulumi policy publish [<org>]` run in its folder.");
    } catch (e) {
        console.error(`policy:pack: ${(e as Error).message}`);
        process.exit(1);
    }
}
