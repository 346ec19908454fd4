import * as fs from "node:fs";
import * as path from "node:path";
import { plan, REPO_ROOT } from "../plan/plan";
import type { TracedResource } from "./trace";

/** One program of the corpus the rules are traced on. */
export interface CorpusProgram {
    /** Shown in the table: the stack, or the program's path under the repository. */
    label: string;
    /** Stack whose config the program is planned with. */
    stack: string;
    /** Program file; absent for the platform program itself. */
    program?: string;
}

const FIXTURES = path.join(REPO_ROOT, "test", "fixtures", "programs");

/**
 * The programs the coverage table is measured on: the platform's two stacks, every fixture program, and every
 * risk fixture (insecure and compliant), each planned offline under the prod stack's config.
 */
export function corpus(): CorpusProgram[] {
    const files = (dir: string) =>
        fs
            .readdirSync(dir)
            .filter((f) => f.endsWith(".ts"))
            .sort()
            .map((f) => path.join(dir, f));
    const programs = [FIXTURES, path.join(FIXTURES, "risks", "aws"), path.join(FIXTURES, "risks", "k8s")].flatMap(files);
    return [
        { label: "stack dev", stack: "dev" },
        { label: "stack prod", stack: "prod" },
        ...programs.map((p) => ({ label: path.relative(REPO_ROOT, p), stack: "prod", program: p })),
    ];
}

/** Outputs of the stacks the fixture programs read with StackReference. */
export function corpusStackReferences(): Record<string, Record<string, unknown>> {
    return JSON.parse(fs.readFileSync(path.join(FIXTURES, "risks", "stack-references.json"), "utf8"));
}

/** Plans one corpus program offline (no policy evaluation) and returns its resources as the tracer takes them. */
export async function corpusGraph(p: CorpusProgram): Promise<TracedResource[]> {
    const result = await plan({ stack: p.stack, program: p.program, stackReferences: corpusStackReferences(), analyze: false });
    return result.graph.resources
        .filter((r) => r.type !== "pulumi:pulumi:Stack")
        .map((r) => ({
            type: r.type,
            name: r.name,
            urn: r.urn,
            props: r.outputs,
            inputs: r.inputs,
            parentUrn: r.parent ?? undefined,
            dependencyUrns: r.dependencies,
        }));
}
