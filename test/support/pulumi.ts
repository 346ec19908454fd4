import { RecordedGraph, RecordedResource, runProgram } from "../../tools/plan/engine";
import { fakeRandomValue } from "../../tools/plan/mocks";

export type { RecordedResource } from "../../tools/plan/engine";

/** A recorded graph with lookup helpers for assertions. */
export interface Graph extends RecordedGraph {
    /** All resources of a type token, e.g. `aws:ec2/subnet:Subnet`. */
    byType(type: string): RecordedResource[];
    /** Exactly one resource of a type (and logical name, when given); throws otherwise. */
    one(type: string, name?: string): RecordedResource;
    /** The resource with this logical name; throws when none or several. */
    named(name: string): RecordedResource;
    /** Direct children of a URN. */
    childrenOf(urn: string): RecordedResource[];
    /** The resource with this URN; throws when absent. */
    byUrn(urn: string): RecordedResource;
}

/** Options for {@link runPulumi}. */
export interface RunPulumiOptions {
    /** Stack name. @default "test" */
    stack?: string;
    /** Config with full keys (`groundwork:tier`); non-string values are JSON-encoded like the CLI does. */
    config?: Record<string, unknown>;
    /** Preview mode (ids unknown). */
    preview?: boolean;
}

/**
 * Runs `program` under the shared mock engine (tools/plan/engine.ts) and returns the recorded graph.
 * `aws:region` defaults to us-east-1.
 */
export async function runPulumi(program: () => unknown, opts: RunPulumiOptions = {}): Promise<Graph> {
    const config: Record<string, string> = { "aws:region": "us-east-1" };
    for (const [k, v] of Object.entries(opts.config ?? {})) config[k] = typeof v === "string" ? v : JSON.stringify(v);
    const g = await runProgram(program, { stack: opts.stack ?? "test", config, preview: opts.preview });
    return withHelpers(g);
}

/** Adds lookup helpers to a recorded graph. */
export function withHelpers(g: RecordedGraph): Graph {
    const byType = (type: string) => g.resources.filter((r) => r.type === type);
    const only = (list: RecordedResource[], what: string) => {
        if (list.length !== 1) {
            throw new Error(`expected exactly one ${what}, found ${list.length}: ${list.map((r) => r.name).join(", ")}`);
        }
        return list[0];
    };
    return {
        ...g,
        byType,
        one: (type, name) => only(byType(type).filter((r) => name === undefined || r.name === name), `${type}${name ? ` '${name}'` : ""}`),
        named: (name) => only(g.resources.filter((r) => r.name === name), `resource named '${name}'`),
        childrenOf: (urn) => g.resources.filter((r) => r.parent === urn),
        byUrn: (urn) => only(g.resources.filter((r) => r.urn === urn), `resource ${urn}`),
    };
}

/** The value the fake random provider generated for the graph's only RandomPassword (tools/plan/mocks.ts). */
export function generatedValue(g: Graph): string {
    const pw = g.one("random:index/randomPassword:RandomPassword");
    return fakeRandomValue(pw.type, pw.name, Number(pw.inputs.length ?? 32));
}

/**
 * Runs `program` (which should throw before declaring anything: bad config or args) under the mock engine and
 * returns what it threw and the graph it left, so a test can check the error names the field and that nothing but
 * the stack was registered.
 */
export async function runExpectingError(program: () => unknown, opts: RunPulumiOptions = {}): Promise<{ error: unknown; graph: Graph }> {
    let error: unknown;
    const graph = await runPulumi(async () => {
        try {
            return await program();
        } catch (e) {
            error = e;
            return undefined;
        }
    }, opts);
    return { error, graph };
}
