/**
 * The comparison of kube-score's findings with the groundwork-kubernetes pack's, per object, and its figures.
 * Pure functions: the CLI (compare.ts) feeds them the plan, kube-score's JSON and the reviewed list.
 *
 * Units: a kube-score finding is one check graded CRITICAL (and not skipped) on one object; a pack finding is one
 * rule violated on one object (several messages of a rule on an object count once). Each finding of either side
 * ends up exactly once as agreed (the other side raised a counterpart on the same object), reviewed (on the
 * reviewed list, with its reason) or unreviewed (a failure).
 */
import type { CheckMapping } from "./mapping";

/** kube-score's grades (scorecard/scorecard.go). */
export const GRADE = { critical: 1, warning: 5, almostOk: 7, ok: 10 } as const;

/** One check result of kube-score on one object. */
export interface KubeScoreCheck {
    /** Check id, e.g. `container-resources`. */
    id: string;
    /** Grade: 1 critical, 5 warning, 7 almost OK, 10 OK. */
    grade: number;
    /** True when kube-score skipped the check (optional and not enabled, or not applicable). */
    skipped: boolean;
    /** What kube-score said: `summary` and the container (`path`) it is about. */
    comments: { path: string; summary: string }[];
}

/** One object as kube-score's JSON output (v2) reports it. */
export interface KubeScoreObject {
    /** `Kind/namespace/name`. */
    key: string;
    /** Check results. */
    checks: KubeScoreCheck[];
}

/** A violation of the pack, as the plan JSON carries it (tools/plan/analyzer.ts `Violation`). */
export interface PackViolation {
    /** Pack name. */
    pack: string;
    /** Rule (policy) name. */
    policy: string;
    /** `mandatory`, `advisory`, ... */
    enforcementLevel: string;
    /** The object's URN, or null for a finding about no resource. */
    urn: string | null;
    /** Message. */
    message: string;
}

/** An entry of tools/kube-score/reviewed.json: a disagreement looked at, and why it stands. */
export interface ReviewedEntry {
    /** A kube-score check id (kube-score raised it, the pack did not) or a pack rule name (the other way round). */
    check: string;
    /** `Kind/namespace/name` pattern(s) of the objects it covers; `*` matches any run of characters. */
    object: string | string[];
    /**
     * kube-score side only: the entry covers a finding only when every comment kube-score made is one of these
     * summaries (e.g. only "CPU limit is not set" of `container-resources`). Unset: any finding of the check.
     */
    summaries?: string[];
    /** Why the disagreement is right or accepted: specific and true for every object it covers. */
    reason: string;
}

/** How a finding ended up. */
export type Status = "agreed" | "reviewed" | "unreviewed";

/** A kube-score critical finding and its verdict. */
export interface KubeScoreFinding {
    /** `Kind/namespace/name`. */
    object: string;
    /** Check id. */
    check: string;
    /** kube-score's comments (`container: summary`). */
    comments: string[];
    /** Verdict. */
    status: Status;
    /** agreed: the pack rules that raised it on the object. */
    matchedBy: string[];
    /** reviewed: the index of the reviewed entry. */
    reviewed?: number;
}

/** A pack finding and its verdict. */
export interface PackFinding {
    /** `Kind/namespace/name`. */
    object: string;
    /** Rule name. */
    rule: string;
    /** Enforcement level (the strictest of its violations on the object). */
    level: string;
    /** The violations' messages. */
    messages: string[];
    /** Verdict. */
    status: Status;
    /** agreed: the kube-score checks graded CRITICAL on the object that the rule declares. */
    matchedBy: string[];
    /** What kube-score said about the object for the checks the rule declares (`check: GRADE (comment)`); empty when it declares none. */
    kubeScoreView: string[];
    /** reviewed: the index of the reviewed entry. */
    reviewed?: number;
}

/** The figures of one comparison. */
export interface Figures {
    /** Objects kube-score judged (kinds it checks). */
    objectsJudged: number;
    /** kube-score CRITICAL findings. */
    kubeScoreCriticals: number;
    /** Pack findings (rule x object) on Kubernetes objects. */
    packFindings: number;
    /** kube-score criticals the pack also raised. */
    agreedKubeScore: number;
    /** Pack findings kube-score also raised as CRITICAL. */
    agreedPack: number;
    /** Disagreements on the reviewed list. */
    reviewed: number;
    /** Disagreements not on the reviewed list. */
    unreviewed: number;
}

/** Result of one comparison. */
export interface Verdict {
    /** kube-score's criticals with their verdicts. */
    kubeScore: KubeScoreFinding[];
    /** The pack's findings with their verdicts. */
    pack: PackFinding[];
    /** Figures. */
    figures: Figures;
    /** Indices of the reviewed entries that covered a finding. */
    usedReviewed: Set<number>;
}

/** What one comparison needs. */
export interface CompareInput {
    /** kube-score's objects. */
    kubeScore: KubeScoreObject[];
    /** The pack's violations (other packs' and `disabled` ones are ignored). */
    violations: PackViolation[];
    /** URN -> `Kind/namespace/name` of every Kubernetes resource of the plan (rendered or skipped). */
    objectOfUrn: Map<string, string>;
    /** kube-score check <-> pack rule mapping. */
    mapping: CheckMapping;
    /** The reviewed list. */
    reviewed: ReviewedEntry[];
    /** The pack's name. @default "groundwork-kubernetes" */
    pack?: string;
}

const GRADE_NAME: Record<number, string> = { 1: "CRITICAL", 5: "WARNING", 7: "ALMOST_OK", 10: "OK" };

/** `CRITICAL`, `WARNING`, `OK`, ... or `SKIPPED`, for messages. */
export function gradeName(c: Pick<KubeScoreCheck, "grade" | "skipped">): string {
    return c.skipped ? "SKIPPED" : (GRADE_NAME[c.grade] ?? `grade ${c.grade}`);
}

/** Whether a `*` pattern matches the whole of `text`. */
export function globMatches(pattern: string, text: string): boolean {
    const re = new RegExp(`^${pattern.split("*").map((p) => p.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
    return re.test(text);
}

/** The object patterns of a reviewed entry. */
export function patternsOf(e: Pick<ReviewedEntry, "object">): string[] {
    return Array.isArray(e.object) ? e.object : [e.object];
}

const LEVEL_ORDER = ["mandatory", "remediate", "advisory"];

/** Compares one plan's kube-score findings and pack findings. */
export function compare(input: CompareInput): Verdict {
    const packName = input.pack ?? "groundwork-kubernetes";
    const { rulesOfCheck, checksOfRule } = input.mapping;
    const usedReviewed = new Set<number>();

    // The pack's findings, one per (object, rule), on Kubernetes objects only.
    const packByKey = new Map<string, PackFinding>();
    for (const v of input.violations) {
        if (v.pack !== packName || v.enforcementLevel === "disabled" || !v.urn) continue;
        const object = input.objectOfUrn.get(v.urn);
        if (!object) continue; // not a Kubernetes object
        const key = `${object}\u0000${v.policy}`;
        const f = packByKey.get(key) ?? { object, rule: v.policy, level: v.enforcementLevel, messages: [], status: "unreviewed" as Status, matchedBy: [], kubeScoreView: [] };
        if (LEVEL_ORDER.indexOf(v.enforcementLevel) < LEVEL_ORDER.indexOf(f.level)) f.level = v.enforcementLevel;
        f.messages.push(v.message);
        packByKey.set(key, f);
    }
    const pack = [...packByKey.values()];

    // kube-score's criticals.
    const ksByObject = new Map(input.kubeScore.map((o) => [o.key, o]));
    const kubeScore: KubeScoreFinding[] = [];
    for (const o of input.kubeScore) {
        for (const c of o.checks) {
            if (c.skipped || c.grade !== GRADE.critical) continue;
            kubeScore.push({ object: o.key, check: c.id, comments: c.comments.map((x) => (x.path ? `${x.path}: ${x.summary}` : x.summary)), status: "unreviewed", matchedBy: [] });
        }
    }

    const review = (check: string, object: string, summaries?: string[]): number | undefined => {
        const i = input.reviewed.findIndex(
            (e) => e.check === check && patternsOf(e).some((p) => globMatches(p, object)) && (!e.summaries || (summaries !== undefined && summaries.length > 0 && summaries.every((s) => e.summaries!.includes(s)))),
        );
        return i >= 0 ? i : undefined;
    };

    for (const f of kubeScore) {
        const rules = rulesOfCheck.get(f.check) ?? [];
        f.matchedBy = pack.filter((p) => p.object === f.object && rules.includes(p.rule)).map((p) => p.rule);
        if (f.matchedBy.length > 0) {
            f.status = "agreed";
            continue;
        }
        const summaries = ksByObject
            .get(f.object)!
            .checks.find((c) => c.id === f.check)!
            .comments.map((c) => c.summary);
        f.reviewed = review(f.check, f.object, summaries);
        f.status = f.reviewed === undefined ? "unreviewed" : "reviewed";
    }

    for (const p of pack) {
        const checks = checksOfRule.get(p.rule) ?? [];
        p.matchedBy = kubeScore.filter((k) => k.object === p.object && checks.includes(k.check)).map((k) => k.check);
        const seen = ksByObject.get(p.object);
        p.kubeScoreView = checks.map((id) => {
            const c = seen?.checks.find((x) => x.id === id);
            if (!seen) return `${id}: not judged (kube-score does not check this kind)`;
            if (!c) return `${id}: not run on this kind`;
            const said = c.comments.map((x) => x.summary).filter(Boolean);
            return `${id}: ${gradeName(c)}${said.length > 0 ? ` (${[...new Set(said)].join("; ")})` : ""}`;
        });
        if (p.matchedBy.length > 0) {
            p.status = "agreed";
            continue;
        }
        p.reviewed = review(p.rule, p.object);
        p.status = p.reviewed === undefined ? "unreviewed" : "reviewed";
    }

    for (const f of [...kubeScore, ...pack]) if (f.reviewed !== undefined) usedReviewed.add(f.reviewed);
    const all = [...kubeScore, ...pack];
    return {
        kubeScore,
        pack,
        usedReviewed,
        figures: {
            objectsJudged: input.kubeScore.length,
            kubeScoreCriticals: kubeScore.length,
            packFindings: pack.length,
            agreedKubeScore: kubeScore.filter((f) => f.status === "agreed").length,
            agreedPack: pack.filter((f) => f.status === "agreed").length,
            reviewed: all.filter((f) => f.status === "reviewed").length,
            unreviewed: all.filter((f) => f.status === "unreviewed").length,
        },
    };
}

/** Sums the figures of several comparisons. */
export function sumFigures(list: Figures[]): Figures {
    const zero: Figures = { objectsJudged: 0, kubeScoreCriticals: 0, packFindings: 0, agreedKubeScore: 0, agreedPack: 0, reviewed: 0, unreviewed: 0 };
    return list.reduce((a, f) => Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof Figures] + f[k as keyof Figures]])) as unknown as Figures, zero);
}

/** The last line of the report. */
export function summaryLine(f: Figures): string {
    return `kube-score: ${f.agreedKubeScore + f.agreedPack} agreed, ${f.reviewed} reviewed, ${f.unreviewed} unreviewed`;
}

/** Problems of a reviewed list: each entry needs a known check or rule, an object pattern and a real reason. */
export function validateReviewed(entries: unknown, known: { checks: Set<string>; rules: Set<string> }): string[] {
    if (!Array.isArray(entries)) return ["`entries` must be a list"];
    const problems: string[] = [];
    entries.forEach((e: any, i) => {
        const at = `entry ${i}${e && typeof e.check === "string" ? ` (${e.check})` : ""}`;
        if (!e || typeof e !== "object") return problems.push(`${at}: not an object`);
        if (typeof e.check !== "string" || !(known.checks.has(e.check) || known.rules.has(e.check))) problems.push(`${at}: \`check\` must be a kube-score check id or a groundwork-kubernetes rule name`);
        const patterns = typeof e.object === "string" ? [e.object] : Array.isArray(e.object) && e.object.length > 0 ? e.object : [undefined];
        if (patterns.some((p: unknown) => typeof p !== "string" || !/^[^/]+\/[^/]+\/[^/]+$/.test(p))) problems.push(`${at}: \`object\` must be a Kind/namespace/name pattern or a list of them`);
        if (typeof e.reason !== "string" || e.reason.trim().length < 40) problems.push(`${at}: \`reason\` must say why (at least 40 characters)`);
        if (e.summaries !== undefined && (!Array.isArray(e.summaries) || !known.checks.has(e.check) || e.summaries.some((s: unknown) => typeof s !== "string"))) {
            problems.push(`${at}: \`summaries\` is a list of kube-score comment summaries, for a kube-score check only`);
        }
    });
    return problems;
}
