import * as pulumi from "@pulumi/pulumi";
import type { StatementInput } from "../identity/statements";
import { KMS_SERVICE_ACTIONS, type KmsKeyPolicyDocument } from "../secrets/kmsKey";

/**
 * The log groups the `amazon-cloudwatch-observability` add-on writes, by purpose: Fluent Bit ships container logs to
 * `application`, node and kubelet logs to `host` and `dataplane`; the CloudWatch agent writes Container Insights'
 * embedded-metric-format events to `performance`, which CloudWatch turns into the `ContainerInsights` metrics the
 * cluster's alarms read. Names are fixed by the add-on. Pure.
 */
export function containerInsightsLogGroupNames(clusterName: string): Record<"application" | "dataplane" | "host" | "performance", string> {
    const prefix = `/aws/containerinsights/${clusterName}`;
    return { application: `${prefix}/application`, dataplane: `${prefix}/dataplane`, host: `${prefix}/host`, performance: `${prefix}/performance` };
}

/** Where the telemetry documents are built. */
export interface TelemetryDocumentContext {
    /** AWS partition, for example `aws`. */
    readonly partition: string;
    /** Account id of the stack. */
    readonly accountId: string;
    /** Region of the cluster and its log groups. */
    readonly region: string;
}

/**
 * Key policy of the container-log KMS key: the account root administers it, and the regional CloudWatch Logs service
 * may use it only for the cluster's Container Insights log groups (`kms:EncryptionContext:aws:logs:arn` like
 * `arn:...:log-group:/aws/containerinsights/<cluster>/*`, as the CloudWatch Logs guide prescribes). Pure.
 */
export function logsKeyPolicy(ctx: TelemetryDocumentContext, clusterName: string): KmsKeyPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountRootAdministersKey", Effect: "Allow", Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "CloudWatchLogsUsesKeyForContainerLogs",
                Effect: "Allow",
                Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
                Action: [...KMS_SERVICE_ACTIONS],
                Resource: "*",
                Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroupArn(ctx, `/aws/containerinsights/${clusterName}/*`) } },
            },
        ],
    };
}

/** ARN of a log group from its name. Pure. */
export function logGroupArn(ctx: TelemetryDocumentContext, name: string): string {
    return `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:${name}`;
}

/**
 * What the CloudWatch agent and Fluent Bit of the add-on may do: write streams and events to the given log groups
 * (`groupStreams`: each group's `<arn>:*`, its streams) and nothing else; the groups exist already, so neither `logs:CreateLogGroup` nor
 * `logs:PutRetentionPolicy` is granted (the retention stays the program's). `logs:DescribeLogGroups` and
 * `ec2:DescribeTags`/`ec2:DescribeInstances` (instance metadata for the node dimensions) take no resource.
 */
export function logWriterStatements(groupStreams: pulumi.Input<string>[]): StatementInput[] {
    return [
        { sid: "WriteContainerLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], resources: [...groupStreams] },
        { sid: "DescribeLogGroups", actions: ["logs:DescribeLogGroups"], resources: ["*"] },
        { sid: "DescribeNodes", actions: ["ec2:DescribeTags", "ec2:DescribeInstances"], resources: ["*"] },
    ];
}

/** What the trace collector may do: send segments and telemetry records to X-Ray (neither action takes a resource). */
export function xrayWriterStatements(): StatementInput[] {
    return [{ sid: "WriteTraces", actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] }];
}

/**
 * The remote-write URL of an Amazon Managed Service for Prometheus workspace, from its region and id (the documented
 * form of the workspace's `prometheusEndpoint` plus `api/v1/remote_write`; built from the id, which is known as soon
 * as the workspace exists, so the release's values do not change when the endpoint is read back).
 */
export function ampRemoteWriteUrl(region: pulumi.Input<string>, workspaceId: pulumi.Input<string>): pulumi.Output<string> {
    return pulumi.interpolate`https://aps-workspaces.${region}.amazonaws.com/workspaces/${workspaceId}/api/v1/remote_write`;
}

/** What Prometheus may do with Amazon Managed Service for Prometheus: remote-write to one workspace. */
export function remoteWriteStatements(workspaceArn: pulumi.Input<string>): StatementInput[] {
    return [{ sid: "RemoteWrite", actions: ["aps:RemoteWrite"], resources: [workspaceArn] }];
}

/** What Alertmanager may do: publish to the alert topic, encrypting with the topic's KMS key. */
export function alertPublisherStatements(topicArn: pulumi.Input<string>, topicKeyArn: pulumi.Input<string>): StatementInput[] {
    return [
        { sid: "PublishAlerts", actions: ["sns:Publish"], resources: [topicArn] },
        { sid: "EncryptAlerts", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [topicKeyArn] },
    ];
}

/**
 * Alertmanager's configuration: every alert, grouped by name and namespace, to the SNS topic (firing and resolved,
 * signed with the pod's IRSA credentials), except the chart's always-firing `Watchdog`, which goes nowhere.
 */
export function alertmanagerConfig(topicArn: pulumi.Input<string>, region: pulumi.Input<string>): Record<string, unknown> {
    return {
        route: {
            receiver: "alert-topic",
            group_by: ["alertname", "namespace"],
            group_wait: "30s",
            group_interval: "5m",
            repeat_interval: "4h",
            routes: [{ receiver: "null", matchers: ['alertname = "Watchdog"'] }],
        },
        receivers: [{ name: "null" }, { name: "alert-topic", sns_configs: [{ topic_arn: topicArn, sigv4: { region }, send_resolved: true }] }],
    };
}

/** The placeholder a saved query's user replaces with the correlation id they follow. */
export const CORRELATION_ID_PLACEHOLDER = "REPLACE-WITH-CORRELATION-ID";

/**
 * The CloudWatch Logs Insights query that follows one correlation id from the API's request log to the worker's job
 * logs, in time order. Fluent Bit (Container Insights configuration) merges a JSON log line under `log_processed`, so
 * the app's field `field` is `log_processed.<field>`. Pure.
 */
export function correlationQuery(field: string, namespace: string): string {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(field)) throw new Error(`correlationQuery: '${field}' is not a plain JSON field name. Fix: pass the app's log field, e.g. correlationId`);
    return [
        "fields @timestamp, kubernetes.container_name as workload, kubernetes.pod_name as pod, log_processed.level as level, log_processed.msg as message, log_processed.traceId as traceId",
        `| filter kubernetes.namespace_name = "${namespace}" and log_processed.${field} = "${CORRELATION_ID_PLACEHOLDER}"`,
        "| sort @timestamp asc",
        "| limit 500",
    ].join("\n");
}
