/**
 * Every action a workflow uses is pinned by a full commit SHA, with the release it is in a comment:
 *
 *   - uses: actions/checkout@11d5960a326750d5838078e36cf38b85af677262 # v4.4.0
 *
 * A tag or a branch can be moved to other code after review; a commit SHA cannot. Allowed as they are: local actions
 * (`./...`) and container actions by digest (`docker://image@sha256:<64 hex>`). One action has one pin across all
 * workflows, so an update is one search and replace. The only other exceptions are PIN_EXCEPTIONS below, each with
 * its reason; one no workflow uses any more is an error too.
 *
 *   npx ts-node --transpile-only tools/actionlint/pins.ts [workflow.yml ...]   # default: .github/workflows/*.yml
 *
 * Run by `npm run lint:workflows` (tools/actionlint/actionlint.sh) and by jest (test/workflows/pinning.test.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as yaml from "js-yaml";

/** A `uses:` allowed without a commit SHA: the exact value, and why (a TODO: what is missing to pin it). */
export interface PinException {
    /** The `uses:` value exactly as the workflow writes it, e.g. `some/action@v1`. */
    uses: string;
    /** Why it is not pinned yet, and what would pin it. */
    reason: string;
}

/**
 * The `uses:` values that may stay unpinned. Empty: every action in .github/workflows is pinned. An entry here is a
 * TODO with its reason (e.g. no commit SHA could be confirmed for the release), and the workflow line carries a
 * `# TODO` comment saying the same.
 */
export const PIN_EXCEPTIONS: readonly PinException[] = [];

/** One `uses:` found in a workflow. */
export interface UsesRef {
    /** Workflow file, as given. */
    file: string;
    /** 1-based line of the `uses:` key (0 when it could not be located in the text). */
    line: number;
    /** Where in the workflow: `jobs.<job>.steps[<i>]` or `jobs.<job>` (a reusable workflow). */
    where: string;
    /** The value. */
    uses: string;
    /** The comment after the value on the same line, without `#`, trimmed (empty when none). */
    comment: string;
}

/** A finding: where, and what is wrong. */
export interface PinProblem {
    /** `file:line`. */
    at: string;
    /** The `uses:` value (or the exception's, for a stale exception). */
    uses: string;
    /** What is wrong and how to fix it. */
    message: string;
}

const SHA = /^[0-9a-f]{40}$/;
const DIGEST = /@sha256:[0-9a-f]{64}$/;
/** A release in the pin's comment: `v4.4.0`, `v6.6.1`; a major alone (`v4`) moves, so it does not say what the SHA is. */
const VERSION_COMMENT = /^v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?(?:\s|$)/;

/** The release a pin's comment names: its first word (`v4.4.0` in `# v4.4.0 (why)`). */
export function versionOf(comment: string): string {
    return comment.split(/\s+/)[0] ?? "";
}

/** The kind of a `uses:` value. */
export type UsesKind = "local" | "docker-digest" | "docker-unpinned" | "sha" | "unpinned" | "malformed";

/** Classifies a `uses:` value: local action, container by digest or not, action by commit SHA or by a movable ref. */
export function classifyUses(uses: string): UsesKind {
    if (uses.startsWith("./")) return "local";
    if (uses.startsWith("docker://")) return DIGEST.test(uses) ? "docker-digest" : "docker-unpinned";
    const at = uses.lastIndexOf("@");
    if (at <= 0 || at === uses.length - 1) return "malformed";
    return SHA.test(uses.slice(at + 1)) ? "sha" : "unpinned";
}

/** `owner/repo[/path]` of an action reference (`uses` without `@ref`). */
export function actionName(uses: string): string {
    const at = uses.lastIndexOf("@");
    return at > 0 ? uses.slice(0, at) : uses;
}

/** Reads every `uses:` of a workflow's text: step actions and reusable-workflow jobs, with their line and comment. */
export function collectUses(file: string, text: string): UsesRef[] {
    const doc = yaml.load(text) as { jobs?: Record<string, { uses?: unknown; steps?: { uses?: unknown }[] }> } | null;
    const lines = text.split(/\r?\n/);
    const found: { where: string; uses: string }[] = [];
    for (const [job, body] of Object.entries(doc?.jobs ?? {})) {
        if (typeof body?.uses === "string") found.push({ where: `jobs.${job}`, uses: body.uses });
        (body?.steps ?? []).forEach((step, i) => {
            if (typeof step?.uses === "string") found.push({ where: `jobs.${job}.steps[${i}]`, uses: step.uses });
        });
    }
    // Lines are matched in order, so two identical `uses:` get their own lines (and comments).
    const taken = new Set<number>();
    return found.map(({ where, uses }) => {
        const escaped = uses.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
        const re = new RegExp(`^\\s*(?:-\\s+)?uses:\\s*(['"]?)${escaped}\\1\\s*(?:#(.*))?$`);
        let line = 0;
        let comment = "";
        for (let i = 0; i < lines.length; i++) {
            if (taken.has(i)) continue;
            const m = re.exec(lines[i]);
            if (m) {
                taken.add(i);
                line = i + 1;
                comment = (m[2] ?? "").trim();
                break;
            }
        }
        return { file, line, where, uses, comment };
    });
}

/** Checks the pins of all the given `uses:` (from all workflows at once, for the one-pin-per-action rule). */
export function checkPins(refs: readonly UsesRef[], exceptions: readonly PinException[] = PIN_EXCEPTIONS): PinProblem[] {
    const problems: PinProblem[] = [];
    const at = (r: UsesRef) => `${r.file}:${r.line || "?"}`;
    const excepted = new Map(exceptions.map((e) => [e.uses, e]));
    const pins = new Map<string, UsesRef>(); // action -> first SHA pin seen
    for (const r of refs) {
        const kind = classifyUses(r.uses);
        if (kind === "local" || kind === "docker-digest") continue;
        if (excepted.has(r.uses)) {
            if (!/\bTODO\b/.test(r.comment)) {
                problems.push({ at: at(r), uses: r.uses, message: "an unpinned exception needs a `# TODO: <why>` comment on its line" });
            }
            continue;
        }
        if (kind === "docker-unpinned") {
            problems.push({ at: at(r), uses: r.uses, message: "a container action must be pinned by digest: docker://image@sha256:<64 hex>" });
            continue;
        }
        if (kind !== "sha") {
            problems.push({
                at: at(r),
                uses: r.uses,
                message: "not pinned by a full commit SHA: use `owner/repo@<40-hex commit> # vX.Y.Z` (README, CI: updating a pin)",
            });
            continue;
        }
        if (!VERSION_COMMENT.test(r.comment)) {
            problems.push({
                at: at(r),
                uses: r.uses,
                message: `the pin needs its release in a comment on the same line (\`# vX.Y.Z\`), found ${r.comment ? `"# ${r.comment}"` : "none"}`,
            });
        }
        const name = actionName(r.uses);
        const first = pins.get(name);
        if (!first) {
            pins.set(name, r);
        } else if (first.uses !== r.uses || versionOf(first.comment) !== versionOf(r.comment)) {
            problems.push({
                at: at(r),
                uses: r.uses,
                message: `${name} is pinned differently at ${at(first)} (${first.uses} # ${versionOf(first.comment)}): one action, one pin`,
            });
        }
    }
    const used = new Set(refs.map((r) => r.uses));
    for (const e of exceptions) {
        if (!used.has(e.uses)) {
            problems.push({ at: "tools/actionlint/pins.ts", uses: e.uses, message: "PIN_EXCEPTIONS lists a `uses:` no workflow has any more: remove it" });
        }
        if (!e.reason.trim()) {
            problems.push({ at: "tools/actionlint/pins.ts", uses: e.uses, message: "a PIN_EXCEPTIONS entry needs its reason" });
        }
    }
    return problems;
}

/** The workflow files of a repository: `.github/workflows/*.yml` and `*.yaml`, sorted. */
export function workflowFiles(root: string): string[] {
    const dir = path.join(root, ".github", "workflows");
    return fs
        .readdirSync(dir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
        .map((f) => path.join(".github", "workflows", f));
}

/** Reads and checks the given workflow files (paths relative to `root`). */
export function checkWorkflowFiles(root: string, files: readonly string[]): { refs: UsesRef[]; problems: PinProblem[] } {
    const refs = files.flatMap((f) => collectUses(f, fs.readFileSync(path.resolve(root, f), "utf8")));
    return { refs, problems: checkPins(refs) };
}

if (require.main === module) {
    const root = process.cwd();
    const args = process.argv.slice(2);
    const files = args.length > 0 ? args : workflowFiles(root);
    const { refs, problems } = checkWorkflowFiles(root, files);
    for (const p of problems) console.error(`${p.at}: ${p.uses}: ${p.message}`);
    if (problems.length > 0) {
        console.error(`pins: ${problems.length} problem(s) in ${files.length} workflow(s)`);
        process.exit(1);
    }
    const pinned = refs.filter((r) => classifyUses(r.uses) === "sha").length;
    console.log(`pins: ${refs.length} uses in ${files.length} workflow(s), ${pinned} pinned by commit SHA, ${PIN_EXCEPTIONS.length} exception(s)`);
}
