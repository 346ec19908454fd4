/**
 * `npm run sdk:schema`: regenerates the component package's generated parts from components/, in order:
 *   1. provider/components.ts, the schema adapters (tools/sdk/adapters.ts);
 *   2. the README's table of the fields the adapters leave out (between the sdk-adapters markers);
 *   3. sdk/schema.json, the package schema, from the same code the plugin's GetSchema runs
 *      (`ComponentProvider.getSchema()` of @pulumi/pulumi provider/experimental on the provider/ folder), so it
 *      is what `pulumi package get-schema provider` prints (test:engine --sdk-only compares the two).
 *
 * `--check` writes nothing and exits 1 when any of the three is stale (part of `npm test`).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import { buildAdapters, renderDroppedTable, REPO_ROOT } from "./adapters";

/** Where each generated part lives. */
export const FILES = {
    adapters: path.join(REPO_ROOT, "provider", "components.ts"),
    readme: path.join(REPO_ROOT, "README.md"),
    schema: path.join(REPO_ROOT, "sdk", "schema.json"),
};

const BEGIN = "<!-- sdk-adapters:begin (npm run sdk:schema) -->";
const END = "<!-- sdk-adapters:end -->";

/** The README with the table between the markers replaced (unchanged when the markers are missing). */
export function withTable(readme: string, table: string): string {
    const start = readme.indexOf(BEGIN);
    const end = readme.indexOf(END);
    if (start < 0 || end < start) return readme;
    return `${readme.slice(0, start + BEGIN.length)}\n${table}\n${readme.slice(end)}`;
}

/** The package schema of provider/ as the component provider computes it, pretty-printed. */
export async function providerSchema(): Promise<string> {
    const dir = path.join(REPO_ROOT, "provider");
    const components = getPulumiComponents(require(dir));
    const name = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).name as string;
    const schema = await new ComponentProvider({ name, dirname: dir, components }).getSchema();
    return `${JSON.stringify(JSON.parse(schema), null, 2)}\n`;
}

async function main(): Promise<number> {
    const check = process.argv.includes("--check");
    const started = Date.now();
    const stale: string[] = [];
    const update = (file: string, want: string): void => {
        const have = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
        if (have === want) return;
        if (check) stale.push(path.relative(REPO_ROOT, file));
        else fs.writeFileSync(file, want);
    };

    const report = buildAdapters();
    update(FILES.adapters, report.source);
    const readme = fs.readFileSync(FILES.readme, "utf8");
    if (!readme.includes(BEGIN)) stale.push("README.md (no sdk-adapters markers)");
    else update(FILES.readme, withTable(readme, renderDroppedTable(report)));
    // The schema is inferred from provider/components.ts: in --check mode from the committed one, which step 1
    // has just compared with what the components give.
    let schema = "";
    try {
        schema = await providerSchema();
    } catch (e) {
        console.error(`sdk:schema: the component provider could not infer the schema: ${(e as Error).message}`);
        return 1;
    }
    update(FILES.schema, schema);

    const doc = JSON.parse(schema);
    const resources = Object.values(doc.resources) as { inputProperties?: object; properties?: object }[];
    const inputs = resources.reduce((n, r) => n + Object.keys(r.inputProperties ?? {}).length, 0);
    const outputs = resources.reduce((n, r) => n + Object.keys(r.properties ?? {}).length, 0);
    console.log(
        `sdk:schema: ${resources.length} components (${inputs} inputs, ${outputs} outputs, ${Object.keys(doc.types).length} object types); ` +
            `${report.excluded.length} left out, ${report.dropped.length} fields left out; ${Math.round((Date.now() - started) / 1000)}s`,
    );
    if (stale.length > 0) {
        console.error(`sdk:schema: stale: ${stale.join(", ")}. Run \`npm run sdk:schema\` and commit the result.`);
        return 1;
    }
    return 0;
}

if (require.main === module) {
    main().then(
        (code) => process.exit(code),
        (e) => {
            console.error(e);
            process.exit(1);
        },
    );
}
