import * as fs from "node:fs";
import * as path from "node:path";
import { renderRulesDoc, renderTierConfig, TIER_CONFIG_PACKS } from "../../tools/policy-config/generate";
import { allRules } from "../../policies/security/rules";

describe("policies/security/config/<tier>.json", () => {
    it.each(["dev", "prod"] as const)("%s.json is in sync with the rules (run `npm run policy:config`)", (tier) => {
        const file = path.join(__dirname, "..", "..", "policies", "security", "config", `${tier}.json`);
        expect(fs.readFileSync(file, "utf8")).toBe(renderTierConfig(tier));
    });

    it("downgrades exactly the mandatory-prod rules in dev", () => {
        const dev = JSON.parse(renderTierConfig("dev"));
        const downgraded = Object.keys(dev).filter((k) => dev[k].enforcementLevel === "advisory");
        expect(downgraded.sort()).toEqual(allRules.filter((r) => r.level === "mandatory-prod").map((r) => r.name).sort());
        const prod = JSON.parse(renderTierConfig("prod"));
        expect(Object.values(prod).every((c: any) => c.enforcementLevel === undefined && c.tier === "prod")).toBe(true);
    });
});

describe("policies/<pack>/RULES.md", () => {
    it.each(TIER_CONFIG_PACKS.map((p) => p.dir))("%s: is in sync with the rules (run `npm run policy:config`)", (dir) => {
        const pack = TIER_CONFIG_PACKS.find((p) => p.dir === dir)!;
        const file = path.join(__dirname, "..", "..", "policies", dir, "RULES.md");
        expect(fs.readFileSync(file, "utf8")).toBe(renderRulesDoc(`groundwork-${dir}`, pack.rules));
    });

    it("has one row per rule with its controls and enforcement", () => {
        const doc = renderRulesDoc("groundwork-security", allRules);
        const rows = doc.split("\n").filter((l) => l.startsWith("| `"));
        expect(rows).toHaveLength(allRules.length);
        const sg = rows.find((r) => r.startsWith("| `aws-ec2-securitygroup-disallow-world-ssh-rdp`"))!;
        const rule = allRules.find((r) => r.name === "aws-ec2-securitygroup-disallow-world-ssh-rdp")!;
        expect(sg).toContain(rule.controls[0]);
        expect(rule.level).toBe("mandatory");
        expect(sg.split(" | ")[1]).toBe("mandatory");
    });
});
