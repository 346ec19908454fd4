import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { recordImage } from "../../tools/deploy/record-image";

const ROOT = path.join(__dirname, "..", "..");
const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/groundwork-app@sha256:${"ab".repeat(32)}`;

describe("recording the deployed image in the stack file", () => {
    it("replaces groundwork:appImage in place and keeps every other line, comments included", () => {
        const dev = fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8");
        const after = recordImage(dev, IMAGE);
        const changed = after.split("\n").filter((l, i) => l !== dev.split("\n")[i]);
        expect(changed).toEqual([`  groundwork:appImage: ${IMAGE}`]);
        expect(after.split("\n").length).toBe(dev.split("\n").length);
    });

    it("adds the key under config: when the stack has none yet", () => {
        expect(recordImage("# x\nconfig:\n  aws:region: us-east-1\n", IMAGE)).toBe(`# x\nconfig:\n  groundwork:appImage: ${IMAGE}\n  aws:region: us-east-1\n`);
    });

    it("refuses an image that is not pinned by digest, naming the flag and the fix", () => {
        expect(() => recordImage("config:\n", "123456789012.dkr.ecr.us-east-1.amazonaws.com/groundwork-app:latest")).toThrow(/--image .* not pinned by digest\. Fix: pass <registry>\/<repository>@sha256:/);
    });

    it("refuses a file that sets the key twice", () => {
        expect(() => recordImage(`config:\n  groundwork:appImage: a\n  groundwork:appImage: b\n`, IMAGE)).toThrow(/sets groundwork:appImage 2 times/);
    });

    it("as a command: writes the file, and exits 2 on bad input without touching it", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "record-image-"));
        try {
            fs.copyFileSync(path.join(ROOT, "Pulumi.dev.yaml"), path.join(dir, "Pulumi.dev.yaml"));
            const run = (...args: string[]) =>
                spawnSync(process.execPath, [require.resolve("ts-node/dist/bin.js"), "--transpile-only", path.join(ROOT, "tools/deploy/record-image.ts"), "--dir", dir, ...args], { encoding: "utf8" });
            const bad = run("--stack", "dev", "--image", "groundwork-app:latest");
            expect(bad.status).toBe(2);
            expect(bad.stderr).toMatch(/--image/);
            expect(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8")).toBe(fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8"));
            expect(run("--stack", "staging", "--image", IMAGE).stderr).toMatch(/--stack 'staging' has no Pulumi.staging.yaml/);
            const ok = run("--stack", "dev", "--image", IMAGE);
            expect(ok.status).toBe(0);
            expect(fs.readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8")).toContain(`groundwork:appImage: ${IMAGE}`);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
