/**
 * Where the offline plan tool and the real engine may disagree, and why. `npm run test:engine` compares their
 * violation sets (policy, resource, level) on both stacks and every fixture program; a difference not matched by
 * an entry here fails the run. The README's "Offline plan vs `pulumi preview`/`up`" section lists these entries.
 */
import { packRules } from "./phases";

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

/** What was compared. */
export interface ParityContext {
    /** `preview` (offline --preview vs `pulumi preview`) or `up` (offline plan vs `pulumi up`). */
    phase: "preview" | "up";
    /** The engine's command failed (for `up`: it stopped at a mandatory violation). */
    engineFailed: boolean;
}

/** One finding present on one side only. */
export interface Difference extends ParityKey {
    /** The side that has it. */
    side: "offline" | "engine";
    /** The known difference that explains it, if any. */
    explainedBy?: KnownDifference;
}

/** A reviewed difference: when it happens, why, and which findings it covers. */
export interface KnownDifference {
    /** Short name. */
    id: string;
    /** When it happens, in words (README). */
    when: string;
    /** Why the two differ (README). */
    reason: string;
    /** True for the findings it explains. */
    matches(d: Difference, ctx: ParityContext): boolean;
}

const stackRuleNames = (): Set<string> => new Set(packRules().filter((r) => r.rule.kind === "stack").map((r) => r.rule.name));

/** The reviewed differences. */
export const KNOWN_DIFFERENCES: KnownDifference[] = [
    {
        id: "failed-up-skips-stack-policies",
        when: "`pulumi up` stopped at a mandatory violation of a resource rule",
        reason:
            "The engine runs stack policies at the end of a successful update; an update that a resource policy stopped never gets there, so the stack rules' findings of the offline plan (which judges the whole graph) are missing from it. They are reported by the preview before it, and by the next `up` that gets that far.",
        matches: (d, ctx) => ctx.phase === "up" && ctx.engineFailed && d.side === "offline" && stackRuleNames().has(d.policy),
    },
];

const CANT_RUN = /can't run policy '.*' from policy pack '.*' during preview/;

function key(v: ParityKey): string {
    return `${v.policy}\u0000${v.urn ?? ""}\u0000${v.enforcementLevel}\u0000${CANT_RUN.test(v.message) ? "cant-run" : "finding"}`;
}

/** Compares two violation lists as sets; splits the differences into explained and unexplained ones. */
export function compareViolations(
    offline: ParityKey[],
    engine: ParityKey[],
    ctx: ParityContext,
    known: KnownDifference[] = KNOWN_DIFFERENCES,
): { explained: Difference[]; unexplained: Difference[] } {
    const off = new Map(offline.map((v) => [key(v), v]));
    const eng = new Map(engine.map((v) => [key(v), v]));
    const diffs: Difference[] = [
        ...[...off].filter(([k]) => !eng.has(k)).map(([, v]) => ({ ...v, side: "offline" as const })),
        ...[...eng].filter(([k]) => !off.has(k)).map(([, v]) => ({ ...v, side: "engine" as const })),
    ];
    for (const d of diffs) d.explainedBy = known.find((k) => k.matches(d, ctx));
    return { explained: diffs.filter((d) => d.explainedBy), unexplained: diffs.filter((d) => !d.explainedBy) };
}
