/**
 * Which groundwork-kubernetes rules answer which kube-score checks, read from the rules' own metadata: each rule
 * lists the public controls it implements in `controls`, and a control `kube-score <check id>` ties the rule to
 * that kube-score check (policies/kubernetes/RULES.md shows them). Pure functions; no hand-written copy.
 */

/** What the mapping needs of a rule: its name and its `controls` metadata. */
export interface RuleControls {
    /** Policy name, e.g. `k8s-pod-configure-probes`. */
    name: string;
    /** Control ids, e.g. `kube-score pod-probes`, `CKV_K8S_8`. */
    controls: string[];
}

/** The two directions of the mapping. */
export interface CheckMapping {
    /** kube-score check id -> the rules that declare it. */
    rulesOfCheck: Map<string, string[]>;
    /** Rule name -> the kube-score check ids it declares (empty: kube-score has no counterpart). */
    checksOfRule: Map<string, string[]>;
}

/** Prefix of a kube-score control in a rule's `controls`. */
export const KUBE_SCORE_CONTROL = /^kube-score\s+([a-z0-9-]+)$/;

/** The kube-score check ids among a rule's controls. */
export function kubeScoreChecksOf(controls: string[]): string[] {
    return controls.map((c) => KUBE_SCORE_CONTROL.exec(c.trim())?.[1]).filter((id): id is string => id !== undefined);
}

/**
 * Builds the mapping from the rules' metadata. With `knownChecks` (the ids `kube-score list` prints), a control
 * naming a check the kube-score binary does not have is an error: the rule's metadata is wrong or the pin moved.
 */
export function buildCheckMapping(rules: RuleControls[], knownChecks?: Iterable<string>): CheckMapping {
    const known = knownChecks ? new Set(knownChecks) : undefined;
    const rulesOfCheck = new Map<string, string[]>();
    const checksOfRule = new Map<string, string[]>();
    const unknown: string[] = [];
    for (const rule of rules) {
        const ids = kubeScoreChecksOf(rule.controls);
        checksOfRule.set(rule.name, ids);
        for (const id of ids) {
            if (known && !known.has(id)) unknown.push(`${rule.name}: kube-score ${id}`);
            rulesOfCheck.set(id, [...(rulesOfCheck.get(id) ?? []), rule.name]);
        }
    }
    if (unknown.length > 0) {
        throw new Error(`controls name kube-score checks this kube-score does not have (see \`kube-score list\`): ${unknown.join("; ")}`);
    }
    return { rulesOfCheck, checksOfRule };
}

/** The check ids of `kube-score list` output (CSV: `id,target,description,default|optional`). */
export function parseCheckList(csv: string): string[] {
    return csv
        .split("\n")
        .map((l) => l.split(",")[0].trim())
        .filter((id) => /^[a-z0-9-]+$/.test(id));
}
