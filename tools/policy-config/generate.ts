import * as fs from "node:fs";
import * as path from "node:path";
import { tierConfig } from "../../policies/lib/pack";
import type { Tier } from "../../policies/lib/rule";
import { allRules } from "../../policies/security/rules";

/**
 * Writes policies/security/config/<tier>.json: the `--policy-pack-config` file for each tier. In non-production
 * tiers the "M (prod)" rules are advisory; every rule gets the tier for its thresholds.
 * Run with `npm run policy:config`; test/policies/tier-config.test.ts fails when the files are stale.
 */
export function renderTierConfig(tier: Tier): string {
    return JSON.stringify(tierConfig(allRules, tier), null, 2) + "\n";
}

if (require.main === module) {
    const dir = path.resolve(__dirname, "..", "..", "policies", "security", "config");
    fs.mkdirSync(dir, { recursive: true });
    for (const tier of ["dev", "prod"] as Tier[]) {
        fs.writeFileSync(path.join(dir, `${tier}.json`), renderTierConfig(tier));
        console.log(`wrote policies/security/config/${tier}.json`);
    }
}
