import type { PinnedChart } from "../cluster/charts";

/**
 * The telemetry charts, pinned (bump deliberately, with the chart's changelog read). Every version in this file was
 * confirmed to exist on 2026-12-02 by public projects that install it (the chart repositories, ECR Public and the EKS
 * add-on API are out of reach of the machines that build Groundwork, so no install here proves them). Sources:
 * kube-prometheus-stack 78.5.0 ships Prometheus Operator v0.86.1 (PodMonitor `portNumber`, the CRDs the app's
 * PrometheusRule needs), https://github.com/prometheus-community/helm-charts/releases; opentelemetry-collector 0.127.2,
 * https://github.com/open-telemetry/opentelemetry-helm-charts/releases.
 */
export const TELEMETRY_CHARTS = {
    kubePrometheusStack: { repo: "https://prometheus-community.github.io/helm-charts", chart: "kube-prometheus-stack", version: "78.5.0", namespace: "monitoring" },
    openTelemetryCollector: { repo: "https://open-telemetry.github.io/opentelemetry-helm-charts", chart: "opentelemetry-collector", version: "0.127.2", namespace: "telemetry" },
} as const satisfies Record<string, PinnedChart>;

/**
 * The AWS Distro for OpenTelemetry collector image the collector chart runs (its binary is `/awscollector`), pinned by
 * version tag. Source: https://github.com/aws-observability/aws-otel-collector/releases (v0.47.0), checked 2026-12-02.
 */
export const ADOT_COLLECTOR_IMAGE = { repository: "public.ecr.aws/aws-observability/aws-otel-collector", tag: "v0.47.0" } as const;

/**
 * The `amazon-cloudwatch-observability` managed add-on (CloudWatch agent for Container Insights, Fluent Bit for
 * container logs), pinned. Source: `aws eks describe-addon-versions --addon-name amazon-cloudwatch-observability`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/install-CloudWatch-Observability-EKS-addon.html),
 * checked 2026-12-02; one version spans Kubernetes 1.32 to 1.35.
 */
export const CLOUDWATCH_OBSERVABILITY_ADDON = { name: "amazon-cloudwatch-observability", version: "v4.4.0-eksbuild.1", namespace: "amazon-cloudwatch", serviceAccount: "cloudwatch-agent" } as const;

/** OTLP/HTTP port of the collector (the app's exporter speaks OTLP over HTTP: app/src/platform/tracing.ts). */
export const OTLP_HTTP_PORT = 4318;
/** OTLP/gRPC port of the collector. */
export const OTLP_GRPC_PORT = 4317;
