import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** Value given to `secure:` config entries offline: the ciphertext cannot be decrypted without the CLI. */
export const SECRET_PLACEHOLDER = "offline-placeholder-secret-value";

/** A Pulumi project as the plan tool resolves it. */
export interface ProjectInfo {
    /** Folder holding Pulumi.yaml. */
    dir: string;
    /** Project name. */
    name: string;
    /** Program entry file to require. */
    entry: string;
}

/** Error in the program or its config: exit code 2. */
export class PlanInputError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "PlanInputError";
    }
}

function findUp(start: string, file: string): string | undefined {
    for (let dir = start; ; dir = path.dirname(dir)) {
        if (fs.existsSync(path.join(dir, file))) return dir;
        if (path.dirname(dir) === dir) return undefined;
    }
}

function entryOf(target: string): string {
    if (fs.statSync(target).isFile()) return target;
    for (const f of ["index.ts", "index.js"]) {
        if (fs.existsSync(path.join(target, f))) return path.join(target, f);
    }
    const pkg = path.join(target, "package.json");
    if (fs.existsSync(pkg)) {
        const main = JSON.parse(fs.readFileSync(pkg, "utf8")).main;
        if (main && fs.existsSync(path.join(target, main))) return path.join(target, main);
    }
    throw new PlanInputError(`program folder '${target}' has no index.ts, index.js or package.json main.`);
}

function readYaml(file: string): any {
    try {
        return yaml.load(fs.readFileSync(file, "utf8")) ?? {};
    } catch (e) {
        throw new PlanInputError(`${path.basename(file)} is not valid YAML: ${(e as Error).message.split("\n")[0]}`);
    }
}

/**
 * Resolves the program to run. Without `program`, the project in `root` and its Pulumi.yaml `main`.
 * With `program` (a file or folder), that program; its project is the nearest Pulumi.yaml above it.
 */
export function resolveProject(root: string, program?: string): ProjectInfo {
    let target: string;
    let projectDir: string | undefined;
    if (program) {
        target = path.resolve(program);
        if (!fs.existsSync(target)) throw new PlanInputError(`--program '${program}' does not exist.`);
        projectDir = findUp(fs.statSync(target).isFile() ? path.dirname(target) : target, "Pulumi.yaml") ?? findUp(root, "Pulumi.yaml");
        // A project folder: run its Pulumi.yaml `main`, as `pulumi preview --cwd <folder>` would.
        if (projectDir === target) target = path.resolve(projectDir, readYaml(path.join(projectDir, "Pulumi.yaml")).main ?? ".");
    } else {
        projectDir = findUp(root, "Pulumi.yaml");
        if (!projectDir) throw new PlanInputError(`no Pulumi.yaml in '${root}' or above. Fix: run from the project or pass --program.`);
        const main = readYaml(path.join(projectDir, "Pulumi.yaml")).main ?? ".";
        target = path.resolve(projectDir, main);
    }
    if (!projectDir) throw new PlanInputError(`no Pulumi.yaml found for program '${program}'.`);
    const project = readYaml(path.join(projectDir, "Pulumi.yaml"));
    if (typeof project.name !== "string" || project.name === "") throw new PlanInputError(`Pulumi.yaml in '${projectDir}' has no name.`);
    return { dir: projectDir, name: project.name, entry: entryOf(target) };
}

/** Stack config as the mock engine takes it. */
export interface StackConfig {
    /** Full keys (`project:key`) to string values (non-strings JSON-encoded, as the CLI passes them). */
    config: Record<string, string>;
    /** Keys whose values are secrets (replaced by a placeholder offline). */
    secretKeys: string[];
    /** The stack file read, if any. */
    file?: string;
}

function encode(v: unknown): string {
    return typeof v === "string" ? v : JSON.stringify(v);
}

function fullKey(project: string, key: string): string {
    return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Reads the config of a stack: project-level defaults from Pulumi.yaml `config:`, then `Pulumi.<stack>.yaml`.
 * `secure:` values become placeholders listed in `secretKeys`; their ciphertext is never read into output.
 */
export function readStackConfig(project: ProjectInfo, stack: string): StackConfig {
    if (!/^[A-Za-z0-9_.-]+$/.test(stack)) throw new PlanInputError(`--stack '${stack}' is not a valid stack name (letters, digits, '-', '_', '.').`);
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const put = (key: string, value: unknown) => {
        const k = fullKey(project.name, key);
        if (value && typeof value === "object" && !Array.isArray(value) && "secure" in (value as object)) {
            config[k] = SECRET_PLACEHOLDER;
            secretKeys.push(k);
        } else {
            config[k] = encode(value);
        }
    };
    const projectYaml = readYaml(path.join(project.dir, "Pulumi.yaml"));
    for (const [k, v] of Object.entries(projectYaml.config ?? {})) {
        if (v && typeof v === "object" && !Array.isArray(v) && ("default" in v || "type" in v || "value" in v)) {
            const d = (v as any).value ?? (v as any).default;
            if (d !== undefined) put(k, d);
        } else {
            put(k, v);
        }
    }
    const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(file)) return { config, secretKeys };
    const doc = readYaml(file);
    const values = doc.config ?? {};
    if (typeof values !== "object" || Array.isArray(values)) throw new PlanInputError(`Pulumi.${stack}.yaml: 'config' must be a map of keys to values.`);
    for (const [k, v] of Object.entries(values)) put(k, v);
    return { config, secretKeys, file };
}
