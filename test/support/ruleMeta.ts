import * as fs from "node:fs";
import * as path from "node:path";
import type { Rule } from "@groundwork/policy-kit";

// Code-quality checks over every rule of a pack, whoever wrote it (as pulumi/compliance-policies'
// assertCodeQuality does): names, metadata, registration, and a test that mentions each rule.

const VERBS = ["disallow", "enable", "configure", "enforce", "missing"];
const LEVELS = ["mandatory", "advisory", "mandatory-prod"];
const SEVERITIES = ["low", "medium", "high", "critical"];

/** Every file below `dir` that `keep` accepts. */
export function filesUnder(dir: string, keep: (f: string) => boolean): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? filesUnder(full, keep) : keep(full) ? [full] : [];
    });
}

/** What one pack's conventions are. */
export interface PackConventions {
    /** Pack name, for test titles. */
    pack: string;
    /** The pack's registered rules. */
    rules: Rule[];
    /** Folder of the rule files. */
    rulesDir: string;
    /** Path segments of a rule file below `rulesDir` (e.g. 3 for <service>/<resource>/<rule>.ts). */
    ruleFileDepth: number;
    /** Policy name pattern. */
    name: RegExp;
    /** Index of the verb among the name's dash-separated parts. */
    verbIndex: number;
    /** Control id pattern. */
    control: RegExp;
    /** Pulumi type token pattern of resource rules. */
    type: RegExp;
    /** Test files whose text must mention each rule (its name or export name). */
    testFiles: string[];
}

/** Declares the quality checks for one pack's rules. */
export function describeRuleQuality(c: PackConventions): void {
    const ruleFiles = filesUnder(c.rulesDir, (f) => f.endsWith(".ts") && path.relative(c.rulesDir, f).split(path.sep).length === c.ruleFileDepth);
    const testText = c.testFiles.map((f) => fs.readFileSync(f, "utf8")).join("\n");
    const exportNamesOf = new Map<Rule, string[]>();
    for (const file of ruleFiles) {
        for (const [exportName, value] of Object.entries(require(file) as Record<string, unknown>)) {
            if (value && typeof value === "object" && "kind" in value && "check" in value) exportNamesOf.set(value as Rule, [...(exportNamesOf.get(value as Rule) ?? []), exportName]);
        }
    }

    describe(`${c.pack} rules`, () => {
        it("the pack has rules, with unique names", () => {
            expect(c.rules.length).toBeGreaterThan(0);
            const names = c.rules.map((r) => r.name);
            expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
        });

        it("every rule defined in a rule file is registered", () => {
            const registered = new Set<Rule>(c.rules);
            expect([...exportNamesOf.entries()].filter(([r]) => !registered.has(r)).map(([r, names]) => `${r.name} (${names.join(", ")})`)).toEqual([]);
        });

        describe.each(c.rules.map((r) => [r.name, r] as const))("%s", (name, rule) => {
            it("follows the naming convention with a verb from the set", () => {
                expect(name).toMatch(c.name);
                expect(VERBS).toContain(name.split("-")[c.verbIndex]);
            });

            it("has description, controls in a known format, severity, level and remediation", () => {
                expect(rule.description.trim()).not.toBe("");
                expect(rule.controls.length).toBeGreaterThan(0);
                for (const id of rule.controls) expect(id).toMatch(c.control);
                expect(SEVERITIES).toContain(rule.severity);
                expect(LEVELS).toContain(rule.level);
                expect(rule.remediation.trim()).not.toBe("");
            });

            it("is well-formed for its kind", () => {
                expect(typeof rule.check).toBe("function");
                if (rule.kind === "resource") {
                    expect(rule.resourceTypes.length).toBeGreaterThan(0);
                    for (const t of rule.resourceTypes) expect(t).toMatch(c.type);
                } else {
                    expect(rule.kind).toBe("stack");
                }
            });

            it("is defined in a rule file and has tests that mention it", () => {
                const exportNames = exportNamesOf.get(rule) ?? [];
                expect(exportNames.length ? "defined" : `not exported from a rule file under ${path.relative(process.cwd(), c.rulesDir)}`).toBe("defined");
                const mentioned = [name, ...exportNames].some((n) => new RegExp(`\\b${n.replace(/[-]/g, "\\-")}\\b`).test(testText));
                expect(mentioned ? "tested" : `no test mentions '${name}' or ${exportNames.join(", ")}`).toBe("tested");
            });
        });
    });
}
