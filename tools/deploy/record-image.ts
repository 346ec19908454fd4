/**
 * `npm run image:record -- --stack <stack> --image <repo>@sha256:<digest>`: writes the app image the stack deploys
 * into Pulumi.<stack>.yaml (`groundwork:appImage`), keeping the file's comments and order. The deploy workflow
 * commits the result, so the digest a stack runs is always a recorded input in git, never a local change.
 * Exit codes: 0 written (or already there), 2 bad input (the message names the flag and the fix).
 */
import { Command } from "commander";
import * as fs from "node:fs";
import * as path from "node:path";

/** `<registry>/<repository>@sha256:<64 hex>`: an image pinned by digest (tags are mutable). */
export const PINNED_IMAGE = /^[a-z0-9.-]+(:[0-9]+)?\/[a-z0-9._/-]+@sha256:[0-9a-f]{64}$/;

const KEY = "groundwork:appImage";

/** Returns the stack file's text with `groundwork:appImage` set to `image` under `config:`. Pure. */
export function recordImage(text: string, image: string): string {
    if (!PINNED_IMAGE.test(image)) {
        throw new Error(`--image '${image}' is not pinned by digest. Fix: pass <registry>/<repository>@sha256:<64 hex digits>, as \`docker inspect --format '{{index .RepoDigests 0}}'\` prints it.`);
    }
    const lines = text.split("\n");
    const at = lines.map((l, i) => (new RegExp(`^\\s+${KEY}:`).test(l) ? i : -1)).filter((i) => i >= 0);
    if (at.length > 1) throw new Error(`the stack file sets ${KEY} ${at.length} times. Fix: keep one ${KEY} line under config:.`);
    if (at.length === 1) {
        const indent = lines[at[0]].match(/^\s+/)![0];
        lines[at[0]] = `${indent}${KEY}: ${image}`;
        return lines.join("\n");
    }
    const config = lines.findIndex((l) => /^config:\s*$/.test(l));
    if (config < 0) throw new Error(`the stack file has no top-level config: block. Fix: add "config:" with the stack's groundwork:* keys.`);
    lines.splice(config + 1, 0, `  ${KEY}: ${image}`);
    return lines.join("\n");
}

if (require.main === module) {
    const program = new Command("image:record")
        .requiredOption("--stack <name>", "stack whose Pulumi.<stack>.yaml is written")
        .requiredOption("--image <ref>", "the pushed image, pinned by digest")
        .option("--dir <path>", "folder of the stack files", path.join(__dirname, "..", ".."))
        .parse();
    const { stack, image, dir } = program.opts<{ stack: string; image: string; dir: string }>();
    const file = path.join(dir, `Pulumi.${stack}.yaml`);
    try {
        if (!/^[a-z0-9-]+$/.test(stack) || !fs.existsSync(file)) throw new Error(`--stack '${stack}' has no ${path.basename(file)}. Fix: pass a stack of this project (dev, prod).`);
        const before = fs.readFileSync(file, "utf8");
        const after = recordImage(before, image);
        fs.writeFileSync(file, after);
        console.log(after === before ? `${path.basename(file)} already deploys ${image}` : `${path.basename(file)}: ${KEY} = ${image}`);
    } catch (e) {
        console.error(`image:record: ${(e as Error).message}`);
        process.exit(2);
    }
}
