/** Known-good Kubernetes objects for the groundwork-kubernetes rule tests (not a test file itself). */

export const DIGEST_IMAGE = `ghcr.io/acme/app@sha256:${"ab".repeat(32)}`;
export const LABELS = { "app.kubernetes.io/name": "api", "app.kubernetes.io/instance": "api" };

/** A container that passes every container rule. */
export function goodContainer(name = "app"): Record<string, any> {
    return {
        name,
        image: DIGEST_IMAGE,
        ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
        resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "256Mi" } },
        readinessProbe: { httpGet: { path: "/readyz", port: 8080 }, periodSeconds: 5 },
        livenessProbe: { httpGet: { path: "/healthz", port: 8080 }, periodSeconds: 10 },
        securityContext: {
            runAsNonRoot: true,
            runAsUser: 10001,
            allowPrivilegeEscalation: false,
            privileged: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ["ALL"] },
            seccompProfile: { type: "RuntimeDefault" },
        },
        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
    };
}

/** A pod spec that passes every pod rule. */
export function goodPodSpec(): Record<string, any> {
    return {
        serviceAccountName: "api",
        automountServiceAccountToken: false,
        securityContext: { runAsNonRoot: true, runAsUser: 10001, runAsGroup: 10001, seccompProfile: { type: "RuntimeDefault" } },
        containers: [goodContainer()],
        volumes: [{ name: "tmp", emptyDir: {} }],
    };
}

/** A Deployment's props around the good pod spec. */
export function goodDeployment(extra: { name?: string; namespace?: string; labels?: Record<string, string>; replicas?: number } = {}): Record<string, any> {
    const labels = extra.labels ?? LABELS;
    return {
        metadata: { name: extra.name ?? "api", namespace: extra.namespace ?? "app", labels },
        spec: {
            ...(extra.replicas !== undefined ? { replicas: extra.replicas } : {}),
            selector: { matchLabels: labels },
            template: { metadata: { labels }, spec: goodPodSpec() },
        },
    };
}

/** The same pod spec in the place each pod-bearing type keeps it. */
export function wrapPodSpec(type: string, spec: Record<string, any>): Record<string, any> {
    const template = { metadata: { labels: LABELS }, spec };
    switch (type) {
        case "kubernetes:core/v1:Pod":
            return { metadata: { name: "api", namespace: "app", labels: LABELS }, spec };
        case "kubernetes:batch/v1:CronJob":
            return { metadata: { name: "api" }, spec: { schedule: "0 * * * *", jobTemplate: { spec: { template } } } };
        case "kubernetes:core/v1:PodTemplate":
            return { metadata: { name: "api", namespace: "app" }, template };
        default:
            return { metadata: { name: "api" }, spec: { selector: { matchLabels: LABELS }, template } };
    }
}
