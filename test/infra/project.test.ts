import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";
import { REPO_ROOT } from "../../tools/plan/plan";

describe("Pulumi.yaml", () => {
    it("names the program's entry file, so the Node runner never falls back to package.json's entry point", () => {
        // GIVEN the project file and the library's package.json, whose `exports` point at the built components
        const project = yaml.load(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { main: string };
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
        expect(pkg.exports["."].default).toBe("./dist/components/index.js");
        // THEN `main` is a file: with a folder, @pulumi/pulumi's runner would run dist/components/index.js once it
        // is built, a program with no resources, and `pulumi up` would delete the whole stack
        const main = path.join(REPO_ROOT, project.main);
        expect(fs.statSync(main).isFile()).toBe(true);
        expect(path.relative(REPO_ROOT, main)).toBe(path.join("infra", "index.ts"));
        // ... and its folder has a tsconfig.json, since the runner type-checks from there
        expect(JSON.parse(fs.readFileSync(path.join(path.dirname(main), "tsconfig.json"), "utf8")).extends).toBe("../tsconfig.json");
    });
});
