import * as fs from "node:fs";
import * as path from "node:path";
import { buildDiagram, dotHash, renderSvg, SVG_SOURCE_MARK, toDot, toMermaid } from "./diagram";
import { plan, REPO_ROOT } from "./plan";

/**
 * `npm run docs:diagram [-- --check]`: the dev stack's diagram in docs/diagrams/dev.mmd and dev.svg, and the
 * Mermaid source in the README between its diagram markers. `--check` writes nothing and exits 1 when a committed
 * file differs from what the program now declares. The SVG is checked through the DOT hash it records, not byte
 * by byte: Graphviz versions lay the same DOT out differently, and CI's need not be the one that rendered it.
 */
const STACK = "dev";
const DIR = path.join(REPO_ROOT, "docs", "diagrams");
const README = path.join(REPO_ROOT, "README.md");
const START = `<!-- diagram:${STACK}:start (npm run docs:diagram) -->`;
const END = `<!-- diagram:${STACK}:end -->`;

/** The README with the Mermaid block between the markers replaced; null when the markers are missing. */
export function withReadmeBlock(readme: string, mermaid: string): string | null {
    const a = readme.indexOf(START);
    const b = readme.indexOf(END);
    if (a < 0 || b < a) return null;
    return `${readme.slice(0, a + START.length)}\n\n\`\`\`mermaid\n${mermaid}\`\`\`\n\n${readme.slice(b)}`;
}

async function main(argv: string[]): Promise<number> {
    const check = argv.includes("--check");
    const result = await plan({ stack: STACK, analyze: false });
    const diagram = buildDiagram(result.graph);
    const mermaid = toMermaid(diagram);
    const dot = toDot(diagram);
    const mmdFile = path.join(DIR, `${STACK}.mmd`);
    const svgFile = path.join(DIR, `${STACK}.svg`);
    const readme = fs.readFileSync(README, "utf8");
    const newReadme = withReadmeBlock(readme, mermaid);
    if (newReadme === null) {
        console.error(`docs:diagram: README.md lacks the markers '${START}' ... '${END}'`);
        return 1;
    }
    const rel = (f: string) => path.relative(REPO_ROOT, f);
    if (check) {
        const stale: string[] = [];
        if (!fs.existsSync(mmdFile) || fs.readFileSync(mmdFile, "utf8") !== mermaid) stale.push(rel(mmdFile));
        const svg = fs.existsSync(svgFile) ? fs.readFileSync(svgFile, "utf8") : "";
        if (!svg.includes(`${SVG_SOURCE_MARK} ${dotHash(dot)}`)) stale.push(rel(svgFile));
        if (newReadme !== readme) stale.push("README.md (the diagram's Mermaid block)");
        if (stale.length > 0) {
            console.error(
                `docs:diagram: the ${STACK} stack's diagram is stale: ${stale.join(", ")} no longer match(es) what the program declares ` +
                    `(${diagram.nodes.length} nodes, ${diagram.edges.length} edges). Run \`npm run docs:diagram\` and commit the result.`,
            );
            return 1;
        }
        console.log(`docs:diagram: ${rel(mmdFile)}, ${rel(svgFile)} and the README block are current (${diagram.nodes.length} nodes, ${diagram.edges.length} edges)`);
        return 0;
    }
    fs.mkdirSync(DIR, { recursive: true });
    fs.writeFileSync(mmdFile, mermaid);
    fs.writeFileSync(svgFile, renderSvg(dot));
    fs.writeFileSync(README, newReadme);
    console.log(`docs:diagram: wrote ${rel(mmdFile)}, ${rel(svgFile)} and the README block (${diagram.nodes.length} nodes, ${diagram.edges.length} edges)`);
    return 0;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (e) => {
            console.error(`docs:diagram: ${(e as Error).message}`);
            process.exit(2);
        },
    );
}
