import * as fs from "node:fs";
import * as path from "node:path";
import { tierConfig } from "../../policies/lib/pack";
import type { Rule, Tier } from "../../policies/lib/rule";
import { allRules as kubernetesRules } from "../../policies/kubernetes/rules";
import { allRules } from "../../policies/security/rules";

/** The packs whose tier files this tool writes: folder under policies/ and the pack's rules. */
export const TIER_CONFIG_PACKS: { dir: string; rules: Rule[] }[] = [
    { dir: "security", rules: allRules },
    { dir: "kubernetes", rules: kubernetesRules },
];

/**
 * Renders policies/<pack>/config/<tier>.json: the `--policy-pack-config` file for each tier. In non-production
 * tiers the "M (prod)" rules are advisory; every rule gets the tier for its thresholds. Without `rules`, the
 * groundwork-security pack's.
 * Run with `npm run policy:config`; test/policies/tier-config.test.ts and k8s-meta.test.ts fail when the files are stale.
 */
export function renderTierConfig(tier: Tier, rules: Rule[] = allRules): string {
    return JSON.stringify(tierConfig(rules, tier), null, 2) + "\n";
}

if (require.main === module) {
    for (const pack of TIER_CONFIG_PACKS) {
        const dir = path.resolve(__dirname, "..", "..", "policies", pack.dir, "config");
        fs.mkdirSync(dir, { recursive: true });
        for (const tier of ["dev", "prod"] as Tier[]) {
            fs.writeFileSync(path.join(dir, `${tier}.json`), renderTierConfig(tier, pack.rules));
            console.log(`wrote policies/${pack.dir}/config/${tier}.json`);
        }
    }
}
