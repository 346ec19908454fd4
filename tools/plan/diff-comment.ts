import * as fs from "node:fs";
import { PlanDiff, renderDiffMarkdown } from "./diff";

/**
 * `ts-node tools/plan/diff-comment.ts <plan.json>...`: prints the pull request's comment (Markdown) from plans
 * written with `--json` and `--diff`, one section per stack. Exits 2 when a plan has no diff.
 */
function main(files: string[]): number {
    const diffs: PlanDiff[] = [];
    for (const file of files) {
        const doc = JSON.parse(fs.readFileSync(file, "utf8")) as { diff?: PlanDiff };
        if (!doc.diff) {
            console.error(`diff-comment: '${file}' has no diff: write it with \`npm run plan -- --diff <base.json> --json <file>\``);
            return 2;
        }
        diffs.push(doc.diff);
    }
    process.stdout.write(renderDiffMarkdown(diffs) + "\n");
    return 0;
}

process.exitCode = main(process.argv.slice(2));
