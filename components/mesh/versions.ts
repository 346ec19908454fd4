import type { PinnedChart } from "../cluster/charts";

/** Istio release every mesh chart is pinned to (the charts are released in lockstep, one version for all). */
export const ISTIO_VERSION = "1.29.2";
const ISTIO_REPO = "https://istio-release.storage.googleapis.com/charts";

/**
 * The mesh charts, pinned (bump deliberately, with the release notes read; upgrade istiod first, then cni and
 * ztunnel, then the gateway). The chart repositories are out of reach of the machines that build Groundwork, so no
 * install here proves a version: each was confirmed on 2026-12-02 by public projects that install it. Istio 1.29.2:
 * `helm upgrade --install ztunnel istio/ztunnel --version 1.29.2` (and istiod, cni, base at the same version) in a
 * public platform's install table, and Argo CD Applications pinning `chart: ztunnel` / `chart: base`
 * `targetRevision: 1.29.2` next to `chart: gateway` from the same repository (gateway 1.29.1 is also pulled by
 * version in another project; the five charts share the release's version). cert-manager v1.19.4: `helm pull
 * jetstack/cert-manager --version v1.19.4` and `helm template ... jetstack/cert-manager --version v1.19.4` in two
 * projects. Found with the code search over public repositories.
 */
export const MESH_CHARTS = {
    base: { repo: ISTIO_REPO, chart: "base", version: ISTIO_VERSION, namespace: "istio-system" },
    istiod: { repo: ISTIO_REPO, chart: "istiod", version: ISTIO_VERSION, namespace: "istio-system" },
    cni: { repo: ISTIO_REPO, chart: "cni", version: ISTIO_VERSION, namespace: "istio-system" },
    ztunnel: { repo: ISTIO_REPO, chart: "ztunnel", version: ISTIO_VERSION, namespace: "istio-system" },
    gateway: { repo: ISTIO_REPO, chart: "gateway", version: ISTIO_VERSION, namespace: "istio-ingress" },
    certManager: { repo: "https://charts.jetstack.io", chart: "cert-manager", version: "v1.19.4", namespace: "cert-manager" },
} as const satisfies Record<string, PinnedChart>;
