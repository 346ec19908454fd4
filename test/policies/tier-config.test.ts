import * as fs from "node:fs";
import * as path from "node:path";
import { renderTierConfig } from "../../tools/policy-config/generate";
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
