import { buildPolicyDocument, PolicyDocument } from "../identity/statements";
import { KMS_SERVICE_ACTIONS, type KmsKeyPolicyDocument, type KmsKeyPolicyStatement } from "../secrets/kmsKey";

/** Where the flow-log documents are built: account, partition, region and the log group they serve. */
export interface FlowLogDocumentContext {
    /** AWS partition, for example `aws`. */
    readonly partition: string;
    /** Account id of the stack. */
    readonly accountId: string;
    /** Region of the VPC and the log group. */
    readonly region: string;
    /** Exact ARN of the flow-log group (without the `:*` suffix). */
    readonly logGroupArn: string;
}

/** A KMS key policy statement: the same shape the KmsKey component's policies use. */
export type KeyPolicyStatement = KmsKeyPolicyStatement;

/** A KMS key policy document. */
export type KeyPolicyDocument = KmsKeyPolicyDocument;

/**
 * Key policy of the flow-log KMS key. Two statements, no wildcard principal:
 * the account root administers the key (AWS's default statement, which delegates to IAM), and the
 * regional CloudWatch Logs service principal may use it only for this log group (encryption-context
 * condition on `kms:EncryptionContext:aws:logs:arn`, as the CloudWatch Logs guide prescribes).
 */
export function flowLogKeyPolicy(ctx: FlowLogDocumentContext): KeyPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "AccountRootAdministersKey",
                Effect: "Allow",
                Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
                Action: "kms:*",
                Resource: "*",
            },
            {
                Sid: "CloudWatchLogsUsesKeyForFlowLogGroup",
                Effect: "Allow",
                Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
                Action: [...KMS_SERVICE_ACTIONS],
                Resource: "*",
                Condition: { ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ctx.logGroupArn } },
            },
        ],
    };
}

/**
 * Trust policy of the flow-log role: only the VPC Flow Logs service, only on behalf of this account
 * (`aws:SourceAccount`) and only for flow logs of this account and region (`aws:SourceArn`), which
 * closes the confused-deputy path.
 */
export function flowLogTrustPolicy(ctx: Omit<FlowLogDocumentContext, "logGroupArn">): Record<string, unknown> {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "VpcFlowLogsAssumeRole",
                Effect: "Allow",
                Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: {
                    StringEquals: { "aws:SourceAccount": ctx.accountId },
                    ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:ec2:${ctx.region}:${ctx.accountId}:vpc-flow-log/*` },
                },
            },
        ],
    };
}

/**
 * Permissions of the flow-log role: write streams and events to this log group only. The group already
 * exists (the component creates it), so `logs:CreateLogGroup` is not granted.
 */
export function flowLogRolePolicy(logGroupArn: string): PolicyDocument {
    return buildPolicyDocument([
        {
            sid: "WriteFlowLogGroup",
            actions: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            resources: [logGroupArn, `${logGroupArn}:log-stream:*`],
        },
        { sid: "DescribeLogGroups", actions: ["logs:DescribeLogGroups"], resources: ["*"] },
    ]);
}

/**
 * The fixed name of the flow-log group: `/<project>/<stack>/<component name>/vpc-flow-logs`. Fixed (not
 * auto-named) because the KMS key policy must name the group's exact ARN before the group exists.
 */
export function flowLogGroupName(project: string, stack: string, componentName: string): string {
    return `/${project}/${stack}/${componentName}/vpc-flow-logs`;
}
