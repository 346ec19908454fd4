import * as fs from "node:fs";
import * as path from "node:path";

/** A Grafana dashboard file name: lower-case words joined by '-', ending in `.json`. */
const DASHBOARD_FILE = /^[a-z0-9][a-z0-9-]{0,50}\.json$/;

/**
 * Reads every Grafana dashboard (`*.json`) of a folder, keyed by file name, checking each parses and has a `uid` and a
 * `title` (Grafana's sidecar imports files without them under random ids). Throws with the file and the fix.
 */
export function loadDashboards(dir: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
        if (!DASHBOARD_FILE.test(file)) throw new Error(`dashboard ${file}: the name is not lower-case words joined by '-'. Fix: rename it like 'app-red.json' (it becomes a ConfigMap key)`);
        const text = fs.readFileSync(path.join(dir, file), "utf8");
        let json: Record<string, unknown>;
        try {
            json = JSON.parse(text);
        } catch (err) {
            throw new Error(`dashboard ${file}: not JSON (${(err as Error).message}). Fix: export it from Grafana as JSON`);
        }
        if (typeof json.uid !== "string" || typeof json.title !== "string") throw new Error(`dashboard ${file}: no 'uid' or 'title'. Fix: give it a stable uid and a title`);
        out[file] = text;
    }
    return out;
}

/** Every PromQL expression a Grafana dashboard's panels query (`targets[].expr`, rows' nested panels included). Pure. */
export function dashboardExpressions(json: string): string[] {
    const doc = JSON.parse(json) as { panels?: { panels?: unknown[]; targets?: { expr?: unknown }[] }[] };
    const panels = (doc.panels ?? []).flatMap((p) => [p, ...((p.panels ?? []) as typeof doc.panels & object)]);
    return panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr)).filter((e): e is string => typeof e === "string" && e.trim() !== "");
}
