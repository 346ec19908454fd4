import type { ResourceRule } from "@groundwork/policy-kit";
import { LONG_RUNNING_POD_TYPES, perContainer } from "../shared";

/** The handler of a probe (what it calls), ignoring timings: two probes with the same handler are identical. */
export function probeHandler(probe: Record<string, any> | undefined): string | undefined {
    if (!probe) return undefined;
    const stable = (v: any): any => (Array.isArray(v) ? v.map(stable) : v && typeof v === "object" ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, stable(v[k])])) : v);
    const { httpGet, tcpSocket, exec, grpc } = probe;
    return JSON.stringify(stable({ httpGet, tcpSocket, exec, grpc }));
}

/**
 * Every container of a long-running workload has a readiness and a liveness probe, with different handlers:
 * identical probes restart pods exactly when they are only unready (a dependency outage becomes a restart loop).
 * Jobs and CronJobs run to completion and are not checked.
 *
 * Severity: medium. Level: mandatory.
 * Controls: kube-score pod-probes, kube-score pod-probes-identical, Polaris readinessProbeMissing, Polaris livenessProbeMissing, CKV_K8S_8, CKV_K8S_9.
 */
export const podConfigureProbes: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-configure-probes",
    description: "Containers of long-running workloads have readiness and liveness probes that are not identical.",
    controls: ["kube-score pod-probes", "kube-score pod-probes-identical", "Polaris readinessProbeMissing", "Polaris livenessProbeMissing", "CKV_K8S_8", "CKV_K8S_9"],
    severity: "medium",
    level: "mandatory",
    remediation: "Add `readinessProbe` (e.g. GET /readyz: dependencies ready) and `livenessProbe` (e.g. GET /healthz: process alive) with different endpoints.",
    resourceTypes: LONG_RUNNING_POD_TYPES,
    check: (props, ctx) =>
        perContainer(
            ctx.type,
            props,
            ({ c, label }) => {
                const out: string[] = [];
                if (!c.readinessProbe) out.push(`${label} has no readinessProbe`);
                if (!c.livenessProbe) out.push(`${label} has no livenessProbe`);
                if (c.readinessProbe && c.livenessProbe && probeHandler(c.readinessProbe) === probeHandler(c.livenessProbe)) {
                    out.push(`${label}: readinessProbe and livenessProbe are identical`);
                }
                return out;
            },
            ["containers"],
        ),
};
