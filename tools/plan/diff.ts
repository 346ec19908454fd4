import * as fs from "node:fs";
import { SECRET_MARK, UNKNOWN_MARK } from "./engine";
import type { PlanJson } from "./report";

/**
 * What a change adds, removes and modifies (README "Diagrams and plan diffs"): two plans written by `--json`
 * compared by URN, and each modified resource by property path. Only the plans' JSON is read, where secrets are
 * already `[secret]`, so no plaintext can reach the diff; the head plan's plaintexts are scrubbed again anyway.
 */

/** One property that differs between the base and head plan of a resource (or of the stack's outputs). */
export interface PropertyChange {
    /** Property path, e.g. `spec.template.spec.containers[0].image`; `(json)` steps into JSON text; `option:` for resource options. */
    path: string;
    /** `added`: absent in the base; `removed`: absent in the head; `changed`: both have it. */
    kind: "added" | "removed" | "changed";
    /** The base plan's value (absent when added); `[secret]` when either plan has a secret here. */
    before?: unknown;
    /** The head plan's value (absent when removed); `[secret]` when either plan has a secret here. */
    after?: unknown;
}

/** A resource named in a diff. */
export interface DiffResource {
    /** URN. */
    urn: string;
    /** Type token. */
    type: string;
    /** Logical name. */
    name: string;
}

/** A resource both plans have, with what differs. */
export interface ModifiedResource extends DiffResource {
    /** The differing properties, sorted by path. */
    changes: PropertyChange[];
}

/** The difference between two plans (written into `--json` as `diff` when `--diff` is given). */
export interface PlanDiff {
    /** The base plan: its stack and resource count. */
    base: { project: string; stack: string; resources: number };
    /** The head plan (this run): its stack and resource count. */
    head: { project: string; stack: string; resources: number };
    /** Resources only the head plan has, sorted by URN. */
    added: DiffResource[];
    /** Resources only the base plan has, sorted by URN. */
    removed: DiffResource[];
    /** Resources whose inputs or options differ, sorted by URN. */
    modified: ModifiedResource[];
    /** How many resources are the same in both. */
    unchanged: number;
    /** Stack outputs that differ. */
    outputs: PropertyChange[];
}

/** How to read a printed diff: paths, secrets, and why replacements are not predicted. */
export const DIFF_LEGEND = [
    "Legend: + added, - removed, ~ modified (property path: before → after; lists compare by index, or whole when a list of scalars changes length; (json) steps into JSON text such as policy documents).",
    `Secrets print as ${SECRET_MARK} when either plan has a secret there; a secret whose value changed shows no difference (neither plan holds its plaintext).`,
    "Replacements are not predicted: whether a changed property replaces the resource is the provider's decision, which only `pulumi preview` knows.",
];

/** Reads a plan written by `--json`; throws with the file's name when it is not one. */
export function readPlanJson(file: string): PlanJson {
    let doc: any;
    try {
        doc = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (e) {
        throw new Error(`the base plan '${file}' cannot be read as JSON: ${(e as Error).message}`);
    }
    if (!doc || typeof doc !== "object" || !Array.isArray(doc.resources) || typeof doc.stack !== "string") {
        throw new Error(`the base plan '${file}' is not a plan written by \`npm run plan -- --json\` (no stack or resources)`);
    }
    return doc as PlanJson;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** `a.b`, `a["k.with/dots"]`, `a[0]`: a path step for a key. */
function step(path: string, key: string | number): string {
    if (typeof key === "number") return `${path}[${key}]`;
    if (/^[A-Za-z_$][\w$]*$/.test(key)) return path ? `${path}.${key}` : key;
    return `${path}[${JSON.stringify(key)}]`;
}

function parseJsonText(v: unknown): unknown {
    if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return undefined;
    try {
        return JSON.parse(v);
    } catch {
        return undefined;
    }
}

function equal(a: unknown, b: unknown): boolean {
    return JSON.stringify(a) === JSON.stringify(b);
}

/** The differences between two property values, by path; a secret on either side hides both. */
export function diffValues(before: unknown, after: unknown, path = ""): PropertyChange[] {
    const out: PropertyChange[] = [];
    const walk = (p: string, a: unknown, b: unknown) => {
        if (equal(a, b)) return;
        if (a === SECRET_MARK || b === SECRET_MARK) {
            // Either plan's secret hides both sides: a value that became secret must not print its old plaintext.
            if (a === undefined) out.push({ path: p, kind: "added", after: SECRET_MARK });
            else if (b === undefined) out.push({ path: p, kind: "removed", before: SECRET_MARK });
            else out.push({ path: p, kind: "changed", before: SECRET_MARK, after: SECRET_MARK });
            return;
        }
        if (isPlainObject(a) && isPlainObject(b)) {
            for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) walk(step(p, k), a[k], b[k]);
            return;
        }
        if (Array.isArray(a) && Array.isArray(b)) {
            // Lists of plain scalars that grew or shrank read better whole than shifted index by index.
            const scalars = (l: unknown[]) => l.every((x) => x === null || (typeof x !== "object" && x !== SECRET_MARK));
            if (a.length !== b.length && scalars(a) && scalars(b)) {
                out.push({ path: p, kind: "changed", before: a, after: b });
                return;
            }
            for (let i = 0; i < Math.max(a.length, b.length); i++) walk(step(p, i), a[i], b[i]);
            return;
        }
        const ja = parseJsonText(a);
        const jb = parseJsonText(b);
        if (ja !== undefined && jb !== undefined) {
            walk(`${p}(json)`, ja, jb);
            return;
        }
        if (a === undefined) out.push({ path: p, kind: "added", after: b });
        else if (b === undefined) out.push({ path: p, kind: "removed", before: a });
        else out.push({ path: p, kind: "changed", before: a, after: b });
    };
    walk(path, before, after);
    return out;
}

/** Replaces every plaintext in every string of a value with `[secret]`. */
function scrub<T>(v: T, secrets: string[]): T {
    if (secrets.length === 0) return v;
    if (typeof v === "string") return secrets.reduce((s, x) => s.split(x).join(SECRET_MARK), v as string) as T;
    if (Array.isArray(v)) return v.map((x) => scrub(x, secrets)) as T;
    if (isPlainObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [scrub(k, secrets), scrub(x, secrets)])) as T;
    return v;
}

/**
 * Compares two plans by URN: resources added, removed, and modified (inputs by property path, plus the `protect`
 * and `provider` options), and the stack outputs. `secrets` are plaintexts to scrub from the result (the head
 * plan's, from `secretPlaintexts`), a second guard behind the plans' own `[secret]` markers.
 */
export function diffPlans(base: PlanJson, head: PlanJson, opts: { secrets?: string[] } = {}): PlanDiff {
    const before = new Map(base.resources.map((r) => [r.urn, r]));
    const after = new Map(head.resources.map((r) => [r.urn, r]));
    const ref = (r: PlanJson["resources"][number]): DiffResource => ({ urn: r.urn, type: r.type, name: r.name });
    const byUrn = (a: { urn: string }, b: { urn: string }) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0);
    const modified: ModifiedResource[] = [];
    let unchanged = 0;
    for (const [urn, h] of after) {
        const b = before.get(urn);
        if (!b) continue;
        const changes = [
            ...diffValues(b.inputs ?? {}, h.inputs ?? {}),
            ...diffValues(b.protect ?? false, h.protect ?? false, "option:protect"),
            ...diffValues(b.provider ?? null, h.provider ?? null, "option:provider"),
        ];
        if (changes.length > 0) modified.push({ ...ref(h), changes });
        else unchanged++;
    }
    const diff: PlanDiff = {
        base: { project: base.project, stack: base.stack, resources: base.resources.length },
        head: { project: head.project, stack: head.stack, resources: head.resources.length },
        added: head.resources.filter((r) => !before.has(r.urn)).map(ref).sort(byUrn),
        removed: base.resources.filter((r) => !after.has(r.urn)).map(ref).sort(byUrn),
        modified: modified.sort(byUrn),
        unchanged,
        outputs: diffValues(base.outputs ?? {}, head.outputs ?? {}),
    };
    return scrub(diff, opts.secrets ?? []);
}

/** A value as printed: JSON, markers bare, long values cut. */
export function formatValue(v: unknown): string {
    if (v === undefined) return "(none)";
    if (v === SECRET_MARK || v === UNKNOWN_MARK) return v;
    const s = JSON.stringify(v);
    // The end of a long value often matters most (an image digest, an ARN's name): keep both ends.
    return s.length > 160 ? `${s.slice(0, 90)}...${s.slice(-60)}` : s;
}

function changeLine(c: PropertyChange): string {
    return `${c.path}: ${formatValue(c.before)} → ${formatValue(c.after)}`;
}

/** Renders a diff as text: counts, added, removed, modified with each changed path, outputs, then the legend. */
export function renderDiff(diff: PlanDiff, baseName = "base"): string {
    const lines = [
        `Plan diff: ${baseName} (stack ${diff.base.stack}, ${diff.base.resources} resources) → this plan (stack ${diff.head.stack}, ${diff.head.resources} resources)`,
        `    + ${diff.added.length} to add, - ${diff.removed.length} to remove, ~ ${diff.modified.length} to modify, ${diff.unchanged} unchanged` +
            (diff.outputs.length > 0 ? `; ${diff.outputs.length} stack output change(s)` : ""),
    ];
    if (diff.base.stack !== diff.head.stack) lines.push(`    (the base plan is of stack '${diff.base.stack}': URNs carry the stack name, so nothing matches)`);
    if (diff.added.length > 0) lines.push("", "Added:", ...diff.added.map((r) => `  + ${r.type}  ${r.urn}`));
    if (diff.removed.length > 0) lines.push("", "Removed:", ...diff.removed.map((r) => `  - ${r.type}  ${r.urn}`));
    if (diff.modified.length > 0) {
        lines.push("", "Modified:");
        for (const r of diff.modified) lines.push(`  ~ ${r.type}  ${r.urn}`, ...r.changes.map((c) => `      ${changeLine(c)}`));
    }
    if (diff.outputs.length > 0) lines.push("", "Stack outputs:", ...diff.outputs.map((c) => `  ~ ${changeLine(c)}`));
    if (diff.added.length + diff.removed.length + diff.modified.length + diff.outputs.length === 0) lines.push("", "No changes.");
    lines.push("", ...DIFF_LEGEND);
    return lines.join("\n");
}

/** Marker that identifies the pull-request comment, so the workflow updates it instead of adding another. */
export const COMMENT_MARK = "<!-- groundwork-plan-diff -->";

/** Renders diffs (one per stack) as the pull request's comment: Markdown, each diff in a text block, cut to fit. */
export function renderDiffMarkdown(diffs: PlanDiff[], limit = 60_000): string {
    const parts = [COMMENT_MARK, "## Offline plan diff against the base branch", ""];
    for (const d of diffs) {
        let text = renderDiff(d, "base branch");
        const budget = Math.floor(limit / Math.max(1, diffs.length)) - 400;
        if (text.length > budget) text = `${text.slice(0, budget)}\n... (cut: the whole diff is in the log of the job that planned it)`;
        parts.push(
            `### \`${d.head.stack}\`: +${d.added.length} -${d.removed.length} ~${d.modified.length}`,
            "",
            "<details><summary>Resources and property paths</summary>",
            "",
            "```text",
            text.replace(/```/g, "'''"),
            "```",
            "",
            "</details>",
            "",
        );
    }
    return parts.join("\n");
}
