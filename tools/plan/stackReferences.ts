import * as fs from "node:fs";
import { PlanInputError } from "./project";

/** Outputs of the stacks a program reads with `pulumi.StackReference`, by fully qualified stack name. */
export type StackReferenceOutputs = Record<string, Record<string, unknown>>;

/**
 * Builds the outputs of referenced stacks from the plan tool's flags:
 * - `--stack-reference <stack>=<file>`: a JSON object of outputs, as `pulumi stack output --json` writes it;
 * - `--stack-output <stack>:<name>=<value>`: one output; the value is parsed as JSON when it is JSON, else a string.
 * Later flags override earlier ones. Throws a PlanInputError naming the flag and its fix.
 */
export function parseStackReferences(files: string[], outputs: string[], readFile: (f: string) => string = (f) => fs.readFileSync(f, "utf8")): StackReferenceOutputs {
    const refs: StackReferenceOutputs = {};
    for (const arg of files) {
        const eq = arg.indexOf("=");
        if (eq <= 0 || eq === arg.length - 1) throw new PlanInputError(`--stack-reference '${arg}': expected <stack>=<file.json>, e.g. organization/platform/prod=platform-prod.json.`);
        const stack = arg.slice(0, eq);
        const file = arg.slice(eq + 1);
        let doc: unknown;
        try {
            doc = JSON.parse(readFile(file));
        } catch (e) {
            throw new PlanInputError(`--stack-reference ${stack}: '${file}' cannot be read as JSON (${(e as Error).message}). Fix: write it with \`pulumi stack output --json --stack ${stack} > ${file}\`.`);
        }
        if (!doc || typeof doc !== "object" || Array.isArray(doc)) throw new PlanInputError(`--stack-reference ${stack}: '${file}' must hold a JSON object of outputs (name -> value).`);
        refs[stack] = { ...(refs[stack] ?? {}), ...(doc as Record<string, unknown>) };
    }
    for (const arg of outputs) {
        const m = /^([^:=]+(?:\/[^:=]+)*):([^=]+)=(.*)$/s.exec(arg);
        if (!m) throw new PlanInputError(`--stack-output '${arg}': expected <stack>:<name>=<value>, e.g. organization/platform/prod:clusterName=prod-eks.`);
        const [, stack, name, raw] = m;
        let value: unknown = raw;
        try {
            value = JSON.parse(raw);
        } catch {
            // not JSON: the value is the string as given
        }
        refs[stack] = { ...(refs[stack] ?? {}), [name]: value };
    }
    return refs;
}
