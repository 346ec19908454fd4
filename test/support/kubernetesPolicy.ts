import * as path from "node:path";
import { analyzeGraph, loadPack, Violation } from "../../tools/plan/analyzer";
import type { RecordedGraph } from "../../tools/plan/engine";
import { tierConfig } from "@groundwork/policy-kit";
import type { Tier } from "@groundwork/policy-kit";
import { allRules } from "../../policies/kubernetes/rules";

/** Folder of the groundwork-kubernetes pack. */
export const KUBERNETES_PACK = path.join(__dirname, "..", "..", "policies", "kubernetes");

/**
 * Runs the real groundwork-kubernetes pack on a recorded graph through its CrossGuard analyzer handlers (loaded in a
 * module registry of its own), with the tier's policy config, as `npm run plan` does. Returns every violation.
 */
export async function evaluateKubernetesGraph(graph: RecordedGraph, opts: { tier?: Tier; config?: Record<string, any> } = {}): Promise<Violation[]> {
    const pack = await loadPack(KUBERNETES_PACK, (fn) => jest.isolateModules(fn));
    return analyzeGraph(pack, graph, opts.config ?? tierConfig(allRules, opts.tier ?? "prod"));
}
