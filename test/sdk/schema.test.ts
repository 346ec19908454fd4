/**
 * The component package's schema (sdk/schema.json, `npm run sdk:schema`): every exported Groundwork component is
 * in it with documented inputs and outputs, or is listed in the README with the reason it is not. Whether the
 * committed schema is current is `npm run sdk:schema -- --check`; whether the CLI gives the same schema is
 * `npm run test:engine -- --sdk-only`.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { normalizeSchema } from "../../tools/engine/sdk";
import { withTable } from "../../tools/sdk/schema";

const ROOT = path.resolve(__dirname, "..", "..");

interface SchemaProperty {
    type?: string;
    $ref?: string;
    description?: string;
    items?: SchemaProperty;
    additionalProperties?: SchemaProperty;
}

interface SchemaResource {
    isComponent?: boolean;
    description?: string;
    inputProperties?: Record<string, SchemaProperty>;
    requiredInputs?: string[];
    properties?: Record<string, SchemaProperty>;
    required?: string[];
}

const schema = JSON.parse(fs.readFileSync(path.join(ROOT, "sdk", "schema.json"), "utf8")) as {
    name: string;
    resources: Record<string, SchemaResource>;
    types: Record<string, { properties?: Record<string, SchemaProperty> }>;
};
const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");

/** Names of the component classes components/index.ts exports (non-abstract subclasses of GroundworkComponent). */
function exportedComponentClasses(): string[] {
    const gw = require("../../components") as Record<string, unknown>;
    const base = gw.GroundworkComponent as abstract new (...args: never[]) => object;
    const abstractNames = new Set<string>();
    const walk = (dir: string): void => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const p = path.join(dir, entry.name);
            if (entry.isDirectory()) walk(p);
            else if (entry.name.endsWith(".ts")) for (const m of fs.readFileSync(p, "utf8").matchAll(/export abstract class (\w+)/g)) abstractNames.add(m[1]);
        }
    };
    walk(path.join(ROOT, "components"));
    return Object.entries(gw)
        .filter(([name, v]) => typeof v === "function" && (v as { prototype?: unknown }).prototype instanceof base && !abstractNames.has(name))
        .map(([name]) => name)
        .sort();
}

/** Components the README's adapter table lists as left out ("(whole component)" rows). */
function excludedInReadme(): string[] {
    return [...readme.matchAll(/^\| `(\w+)` \| \(whole component\) \|/gm)].map((m) => m[1]).sort();
}

describe("sdk/schema.json", () => {
    const classes = exportedComponentClasses();
    const inSchema = Object.keys(schema.resources).map((token) => token.split(":")[2]);

    it("is the groundwork package, with components only", () => {
        expect(schema.name).toBe("groundwork");
        expect(Object.keys(schema.resources).every((t) => /^groundwork:index:\w+$/.test(t))).toBe(true);
        expect(Object.values(schema.resources).every((r) => r.isComponent === true)).toBe(true);
    });

    it("has every exported component class, or the README says why not", () => {
        // GIVEN the classes components/index.ts exports
        expect(classes.length).toBeGreaterThanOrEqual(19);
        // THEN each is in the schema or in the README's table of components left out, never both
        const excluded = excludedInReadme();
        expect(classes.filter((c) => !inSchema.includes(c) && !excluded.includes(c))).toEqual([]);
        expect(excluded.filter((c) => inSchema.includes(c))).toEqual([]);
        expect(inSchema.filter((c) => !classes.includes(c))).toEqual([]);
    });

    it.each(Object.entries(schema.resources))("%s: documented, with documented inputs and outputs", (_token, resource) => {
        expect(resource.description?.trim()).toBeTruthy();
        const inputs = Object.entries(resource.inputProperties ?? {});
        const outputs = Object.entries(resource.properties ?? {});
        expect(outputs.length).toBeGreaterThan(0);
        expect(inputs.filter(([, p]) => !p.description?.trim()).map(([n]) => n)).toEqual([]);
        expect(outputs.filter(([, p]) => !p.description?.trim()).map(([n]) => n)).toEqual([]);
        // Required inputs and outputs are declared ones.
        for (const r of resource.requiredInputs ?? []) expect(Object.keys(resource.inputProperties ?? {})).toContain(r);
        for (const r of resource.required ?? []) expect(Object.keys(resource.properties ?? {})).toContain(r);
    });

    it("documents the fields of its object types and resolves every type reference", () => {
        const refs = JSON.stringify(schema).match(/"#\/types\/[^"]+"/g) ?? [];
        for (const ref of refs) expect(Object.keys(schema.types)).toContain(ref.slice('"#/types/'.length, -1));
        for (const [name, type] of Object.entries(schema.types)) {
            const undocumented = Object.entries(type.properties ?? {}).filter(([, p]) => !p.description?.trim());
            expect({ name, undocumented: undocumented.map(([n]) => n) }).toEqual({ name, undocumented: [] });
        }
    });

    it("keeps the Network and Queue fields the Go program uses, with their TypeScript docs", () => {
        const net = schema.resources["groundwork:index:Network"];
        expect(Object.keys(net.inputProperties ?? {})).toEqual(expect.arrayContaining(["cidrBlock", "availabilityZones", "natMode", "protect", "tags"]));
        expect(net.inputProperties?.natMode).toMatchObject({ type: "string" });
        expect(net.inputProperties?.natMode.description).toContain("`perAz`, `single`, `none`");
        expect(net.properties?.vpcId).toMatchObject({ type: "string", description: "VPC id." });
        expect(net.inputProperties?.transform).toBeUndefined();
        const queue = schema.resources["groundwork:index:Queue"];
        expect(queue.inputProperties?.maxProcessingSeconds.description).toContain("Default: 30.");
        expect(Object.keys(queue.properties ?? {})).toEqual(expect.arrayContaining(["url", "arn", "dlqUrl", "dlqArn"]));
    });
});

describe("normalizeSchema (get-schema's output against the committed schema)", () => {
    it.each([
        ["drops `optional` markers", { a: { type: "string", optional: true } }, { a: { type: "string" } }],
        ["drops empty lists and maps", { dependencies: [], config: {}, name: "x" }, { name: "x" }],
        ["ignores key order", { b: 1, a: 2 }, { a: 2, b: 1 }],
    ])("%s", (_what, input, expected) => {
        expect(JSON.stringify(normalizeSchema(input))).toBe(JSON.stringify(normalizeSchema(expected)));
    });
    it("keeps a real difference", () => {
        expect(JSON.stringify(normalizeSchema({ a: { type: "string" } }))).not.toBe(JSON.stringify(normalizeSchema({ a: { type: "number" } })));
    });
});

describe("withTable (README's adapter table)", () => {
    const begin = "<!-- sdk-adapters:begin (npm run sdk:schema) -->";
    const end = "<!-- sdk-adapters:end -->";
    it("replaces what is between the markers only", () => {
        expect(withTable(`a\n${begin}\nold\n${end}\nb`, "new")).toBe(`a\n${begin}\nnew\n${end}\nb`);
    });
    it("leaves a README without markers alone", () => {
        expect(withTable("no markers", "new")).toBe("no markers");
    });
    it("the README has the markers", () => {
        expect(readme).toContain(begin);
        expect(readme).toContain(end);
    });
});
