import type { AlarmSpec } from "../observe/alarms";

/** Average node CPU (percent) above which the cluster needs nodes or its pods need limits. */
export const NODE_CPU_ALARM_PERCENT = 80;
/** Average node memory (percent) above which pods are about to be evicted or OOM-killed. */
export const NODE_MEMORY_ALARM_PERCENT = 80;
/** Restarts of one pod's containers above which the pod is crash-looping rather than recovering once. */
export const POD_RESTARTS_ALARM_COUNT = 3;

/**
 * The Container Insights query behind the restarts alarm: the most restarts any pod of the cluster has had. The metric
 * exists only per pod (`ClusterName`, `Namespace`, `PodName`), so a Metrics Insights query aggregates it. Pure.
 */
export function podRestartsQuery(clusterName: string): string {
    return `SELECT MAX(pod_number_of_container_restarts) FROM SCHEMA(ContainerInsights, ClusterName, Namespace, PodName) WHERE ClusterName = '${clusterName.replace(/'/g, "")}'`;
}

/**
 * The Cluster's alarms, on the Container Insights metrics (namespace `ContainerInsights`, published by the CloudWatch
 * agent of the `amazon-cloudwatch-observability` add-on, which the platform's ClusterTelemetry installs): average node
 * CPU and memory across the cluster, and a pod that keeps restarting. Without Container Insights they stay
 * INSUFFICIENT_DATA. Pure.
 */
export function clusterAlarmSpecs(clusterName: string): AlarmSpec[] {
    const base = { namespace: "ContainerInsights", dimensions: { ClusterName: clusterName }, period: 300, evaluationPeriods: 3, treatMissingData: "missing" as const };
    return [
        {
            ...base,
            part: "node-cpu",
            title: "Node CPU %",
            metricName: "node_cpu_utilization",
            statistic: "Average",
            threshold: NODE_CPU_ALARM_PERCENT,
            comparisonOperator: "GreaterThanThreshold",
            description: `Cluster ${clusterName}: nodes' average CPU above ${NODE_CPU_ALARM_PERCENT}% for 15 minutes. Check first: pending pods and the cluster autoscaler's logs (is it at nodeMaxSize?), then pods without CPU limits using more than requested.`,
        },
        {
            ...base,
            part: "node-memory",
            title: "Node memory %",
            metricName: "node_memory_utilization",
            statistic: "Average",
            threshold: NODE_MEMORY_ALARM_PERCENT,
            comparisonOperator: "GreaterThanThreshold",
            description: `Cluster ${clusterName}: nodes' average memory above ${NODE_MEMORY_ALARM_PERCENT}% for 15 minutes; the kubelet evicts pods near the limit. Check first: the autoscaler (at nodeMaxSize?), then pods whose working set grows past their request (a leak).`,
        },
        {
            ...base,
            part: "pod-restarts",
            title: "Most restarts of a pod",
            metricName: "pod_number_of_container_restarts",
            query: podRestartsQuery(clusterName),
            evaluationPeriods: 1,
            threshold: POD_RESTARTS_ALARM_COUNT,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            description: `Cluster ${clusterName}: a pod's containers restarted more than ${POD_RESTARTS_ALARM_COUNT} times: it is crash-looping or OOM-killed. Check first: kubectl get pods -A (RESTARTS column), then kubectl describe pod for the last state's reason and kubectl logs --previous.`,
        },
    ];
}
