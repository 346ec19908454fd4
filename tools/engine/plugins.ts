import * as fs from "node:fs";
import * as path from "node:path";

/** Repository root (tools/engine lives two levels down). */
export const REPO_ROOT = path.resolve(__dirname, "..", "..");

/** The provider version an SDK package asks the engine for (its package.json `pulumi.version`). */
export function sdkPluginVersion(pkg: "aws" | "kubernetes" | "random", root = REPO_ROOT): string {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, "node_modules", "@pulumi", pkg, "package.json"), "utf8"));
    return String(manifest.pulumi?.version ?? manifest.version).replace(/^v/, "");
}

function pluginDir(home: string, pkg: string, version: string): string {
    return path.join(home, "plugins", `resource-${pkg}-v${version}`);
}

/**
 * Installs the stand-in provider (a test double, tools/engine/standin/provider.ts) into `home` as the exact
 * plugin version the SDK asks for, so the engine loads it without a "using plugin from PATH" fallback.
 */
export function installStandIn(home: string, pkg: string, version: string, stateDir: string): string {
    const dir = pluginDir(home, pkg, version);
    fs.mkdirSync(dir, { recursive: true });
    const exe = path.join(dir, `pulumi-resource-${pkg}`);
    const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
    const script = [
        "#!/bin/sh",
        `# Groundwork STAND-IN provider for '${pkg}' v${version}: a test double, not the real provider.`,
        `export GROUNDWORK_STANDIN_PACKAGE=${q(pkg)} GROUNDWORK_STANDIN_VERSION=${q(version)} GROUNDWORK_STANDIN_STATE=${q(stateDir)}`,
        `export TS_NODE_TRANSPILE_ONLY=true TS_NODE_PROJECT=${q(path.join(REPO_ROOT, "tsconfig.json"))}`,
        `exec ${q(process.execPath)} -r ${q(require.resolve("ts-node/register/transpile-only"))} ${q(path.join(__dirname, "standin", "provider.ts"))} "$@"`,
        "",
    ].join("\n");
    fs.writeFileSync(exe, script, { mode: 0o755 });
    return exe;
}

/** Installs a real provider binary (built by tools/engine/kubernetes.sh) into `home` at the version given. */
export function installBinary(home: string, pkg: string, version: string, binary: string): string {
    const dir = pluginDir(home, pkg, version);
    fs.mkdirSync(dir, { recursive: true });
    const exe = path.join(dir, `pulumi-resource-${pkg}`);
    fs.rmSync(exe, { force: true });
    fs.symlinkSync(binary, exe);
    return exe;
}
