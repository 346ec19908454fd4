import * as fs from "fs";
import * as path from "path";
import type { Rule } from "../../policies/lib/rule";
import { allRules } from "../../policies/security/rules";

// Code-quality checks over every rule of the groundwork-security pack, whoever wrote it
// (as pulumi/compliance-policies' assertCodeQuality does).

const RULES_DIR = path.join(__dirname, "../../policies/security/rules");
const TESTS_DIR = __dirname;
const NAME = /^aws-[a-z0-9]+(-[a-z0-9]+)+$/;
const VERBS = ["disallow", "enable", "configure", "enforce", "missing"];
const LEVELS = ["mandatory", "advisory", "mandatory-prod"];
const SEVERITIES = ["low", "medium", "high", "critical"];
/** Control id formats of SECURITY-RULES.md: `FSBP EC2.13`, `CIS 5.3`, `CKV_AWS_24`, `CKV2_AWS_11`, `AWS-0107`, `AwsSolutions-EC23`. */
const CONTROL = /^(FSBP [A-Za-z0-9]+\.\d+|CIS \d+(\.\d+)*|CKV2?_AWS_\d+|AWS-\d{4}|AwsSolutions-[A-Z0-9]+)$/;

function filesUnder(dir: string, keep: (f: string) => boolean): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const full = path.join(dir, e.name);
        return e.isDirectory() ? filesUnder(full, keep) : keep(full) ? [full] : [];
    });
}

/** Rule files: policies/security/rules/<service>/<resource>/<rule>.ts (index.ts and helpers sit higher up). */
const ruleFiles = filesUnder(RULES_DIR, (f) => f.endsWith(".ts") && path.relative(RULES_DIR, f).split(path.sep).length === 3);
const testText = filesUnder(TESTS_DIR, (f) => f.endsWith(".test.ts") && path.basename(f) !== "rules-meta.test.ts")
    .map((f) => fs.readFileSync(f, "utf8"))
    .join("\n");

/** Export names of the module that defines a rule, found by loading every rule file. */
const exportNamesOf = new Map<Rule, string[]>();
for (const file of ruleFiles) {
    const mod = require(file) as Record<string, unknown>;
    for (const [exportName, value] of Object.entries(mod)) {
        if (value && typeof value === "object" && "kind" in value && "check" in value) {
            exportNamesOf.set(value as Rule, [...(exportNamesOf.get(value as Rule) ?? []), exportName]);
        }
    }
}

const rows = allRules.map((r) => [r.name, r] as const);

describe("groundwork-security rules", () => {
    it("the pack has rules", () => {
        expect(allRules.length).toBeGreaterThan(0);
    });

    it("rule names are unique", () => {
        const names = allRules.map((r) => r.name);
        expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    });

    it("every rule defined in a rule file is registered in its service index", () => {
        const registered = new Set<Rule>(allRules);
        const unregistered = [...exportNamesOf.entries()].filter(([r]) => !registered.has(r)).map(([r, names]) => `${r.name} (${names.join(", ")})`);
        expect(unregistered).toEqual([]);
    });

    describe.each(rows)("%s", (name, rule) => {
        it("is named aws-<service>-<resource>-<verb>-<what> with a verb from the set", () => {
            expect(name).toMatch(NAME);
            expect(VERBS).toContain(name.split("-")[3]);
        });

        it("has description, controls in a known format, severity, level and remediation", () => {
            expect(rule.description.trim()).not.toBe("");
            expect(rule.controls.length).toBeGreaterThan(0);
            for (const c of rule.controls) expect(c).toMatch(CONTROL);
            expect(SEVERITIES).toContain(rule.severity);
            expect(LEVELS).toContain(rule.level);
            expect(rule.remediation.trim()).not.toBe("");
        });

        it("is well-formed for its kind", () => {
            expect(typeof rule.check).toBe("function");
            if (rule.kind === "resource") {
                expect(rule.resourceTypes.length).toBeGreaterThan(0);
                for (const t of rule.resourceTypes) expect(t).toMatch(/^[a-z0-9]+:[a-zA-Z0-9]+\/[a-zA-Z0-9]+:[A-Za-z0-9]+$/);
            } else {
                expect(rule.kind).toBe("stack");
            }
        });

        it("is defined in a rule file and has tests that mention it", () => {
            const exportNames = exportNamesOf.get(rule) ?? [];
            expect(exportNames.length ? "defined" : "not exported from policies/security/rules/<service>/<resource>/<rule>.ts").toBe("defined");
            const mentioned = [name, ...exportNames].some((n) => new RegExp(`\\b${n.replace(/[-]/g, "\\-")}\\b`).test(testText));
            expect(mentioned ? "tested" : `no test under test/policies mentions '${name}' or ${exportNames.join(", ")}`).toBe("tested");
        });
    });
});
