/**
 * Running the kube-score binary and reading its JSON output (`--output-format json`, whose default version in
 * kube-score 1.20 is v2: a list of objects, each with `type_meta`, `object_meta` and `checks`).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { objectKey } from "./render";
import type { KubeScoreObject } from "./verdict";

/** Reads kube-score's JSON (v2) output into objects keyed `Kind/namespace/name`. */
export function parseKubeScoreJson(text: string): KubeScoreObject[] {
    const doc = JSON.parse(text);
    if (!Array.isArray(doc)) throw new Error("kube-score's JSON output is not a list of objects (expected --output-version v2)");
    return doc.map((o: any) => ({
        key: objectKey(o?.type_meta?.kind ?? "?", o?.object_meta?.namespace, o?.object_meta?.name ?? "?"),
        checks: (o?.checks ?? []).map((c: any) => ({
            id: String(c?.check?.id ?? ""),
            grade: Number(c?.grade),
            skipped: Boolean(c?.skipped),
            comments: (c?.comments ?? []).map((x: any) => ({ path: String(x?.path ?? ""), summary: String(x?.summary ?? "") })),
        })),
    }));
}

/** Finds or builds kube-score with tools/kube-score/kube-score.sh; returns its path, or throws with exit code 3 when neither is possible. */
export function locateKubeScore(): string {
    const script = path.join(__dirname, "kube-score.sh");
    const r = spawnSync("bash", [script], { encoding: "utf8", stdio: ["ignore", "pipe", "inherit"] });
    const bin = (r.stdout ?? "").trim().split("\n").pop() ?? "";
    if (r.status !== 0 || !bin) {
        const e = new Error(`tools/kube-score/kube-score.sh exited ${r.status}: no kube-score to run (see its message above)`) as Error & { exitCode?: number };
        e.exitCode = r.status === 3 ? 3 : 2;
        throw e;
    }
    return bin;
}

/** The version kube-score reports (`kube-score version: 1.20.0, commit: ...`). */
export function kubeScoreVersion(bin: string): string {
    const out = spawnSync(bin, ["version"], { encoding: "utf8" }).stdout ?? "";
    return /kube-score version: v?([^,\s]+)/.exec(out)?.[1] ?? "unknown";
}

/** The check ids of `kube-score list`. */
export function kubeScoreList(bin: string): string {
    const r = spawnSync(bin, ["list"], { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`kube-score list exited ${r.status}: ${r.stderr}`);
    return r.stdout;
}

/** The flags compare.ts runs `kube-score score` with, besides the file. */
export function scoreArgs(kubernetesVersion: string): string[] {
    return ["score", "--output-format", "json", "--output-version", "v2", "--kubernetes-version", kubernetesVersion, "--color", "never"];
}

/** Runs `kube-score score` on a YAML file. Its exit code is 1 when anything is critical, which is not an error here. */
export function runKubeScore(bin: string, file: string, kubernetesVersion: string): { objects: KubeScoreObject[]; json: string } {
    const r = spawnSync(bin, [...scoreArgs(kubernetesVersion), file], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if ((r.status !== 0 && r.status !== 1) || !r.stdout) {
        throw new Error(`kube-score score exited ${r.status ?? r.signal}: ${(r.stderr || r.stdout || "").trim()}`);
    }
    return { objects: parseKubeScoreJson(r.stdout), json: r.stdout };
}
