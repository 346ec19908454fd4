/**
 * Where the offline plan tool and the real engine may disagree, and why. `npm run test:engine` compares their
 * violation sets (policy, resource, level) on both stacks and every fixture program; a difference not matched by
 * an entry here fails the run. The README's table "Offline plan vs `pulumi preview`/`up`" is this list.
 */

/** A violation reduced to what the comparison looks at. */
export interface ParityKey {
    /** Policy name. */
    policy: string;
    /** Resource URN, or null for a stack-level finding. */
    urn: string | null;
    /** Enforcement level. */
    enforcementLevel: string;
    /** The message (to tell "can't run during preview" advisories apart). */
    message: string;
}

/** A known difference: which findings it covers, on which side, and the reason. */
export interface KnownDifference {
    /** Policy names it covers. */
    policies: string[];
    /** Only findings on resources whose URN matches. @default any */
    urn?: RegExp;
    /** The side that has the finding and the other lacks. */
    side: "offline" | "engine";
    /** Only "can't run during preview" advisories. @default false */
    cantRunOnly?: boolean;
    /** Why the two differ. */
    reason: string;
}

/** The reviewed differences (none yet: every finding agrees). */
export const KNOWN_DIFFERENCES: KnownDifference[] = [];

const CANT_RUN = /can't run policy '.*' from policy pack '.*' during preview/;

function key(v: ParityKey): string {
    return `${v.policy}\u0000${v.urn ?? ""}\u0000${v.enforcementLevel}\u0000${CANT_RUN.test(v.message) ? "cant-run" : "finding"}`;
}

/** One finding present on one side only. */
export interface Difference extends ParityKey {
    /** The side that has it. */
    side: "offline" | "engine";
    /** The known difference that explains it, if any. */
    explainedBy?: KnownDifference;
}

/** Compares two violation lists as sets; splits the differences into explained and unexplained ones. */
export function compareViolations(offline: ParityKey[], engine: ParityKey[], known: KnownDifference[] = KNOWN_DIFFERENCES): { explained: Difference[]; unexplained: Difference[] } {
    const off = new Map(offline.map((v) => [key(v), v]));
    const eng = new Map(engine.map((v) => [key(v), v]));
    const diffs: Difference[] = [
        ...[...off].filter(([k]) => !eng.has(k)).map(([, v]) => ({ ...v, side: "offline" as const })),
        ...[...eng].filter(([k]) => !off.has(k)).map(([, v]) => ({ ...v, side: "engine" as const })),
    ];
    for (const d of diffs) {
        d.explainedBy = known.find(
            (k) => k.side === d.side && k.policies.includes(d.policy) && (!k.urn || k.urn.test(d.urn ?? "")) && (!k.cantRunOnly || CANT_RUN.test(d.message)),
        );
    }
    return { explained: diffs.filter((d) => d.explainedBy), unexplained: diffs.filter((d) => !d.explainedBy) };
}
