import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ChildScope, statefulOptions } from "../base";
import type { NetworkTransforms } from "./args";
import { flowLogGroupName, flowLogKeyPolicy, flowLogRolePolicy, flowLogTrustPolicy } from "./documents";

/** The account, partition and region the component deploys to. */
export interface Environment {
    /** AWS partition, for example `aws`. */
    readonly partition: pulumi.Output<string>;
    /** Account id. */
    readonly accountId: pulumi.Output<string>;
    /** Region name. */
    readonly region: pulumi.Output<string>;
}

/** The flow-log children. */
export interface FlowLogResources {
    /** Customer-managed key encrypting the log group. */
    readonly key: aws.kms.Key;
    /** The log group the flow log writes to. */
    readonly logGroup: aws.cloudwatch.LogGroup;
    /** Role the VPC Flow Logs service assumes to write. */
    readonly role: aws.iam.Role;
    /** The flow log itself. */
    readonly flowLog: aws.ec2.FlowLog;
}

/**
 * Declares VPC flow logs (ALL traffic) to a KMS-encrypted CloudWatch log group with retention, written by
 * a role that can only write to that group.
 */
export function declareFlowLogs(
    scope: ChildScope,
    env: Environment,
    vpcId: pulumi.Input<string>,
    settings: { retentionDays: number; protect: boolean },
    t: NetworkTransforms = {},
): FlowLogResources {
    const groupName = flowLogGroupName(pulumi.getProject(), pulumi.getStack(), scope.baseName);
    const groupArn = pulumi.interpolate`arn:${env.partition}:logs:${env.region}:${env.accountId}:log-group:${groupName}`;
    const stateful = statefulOptions(settings.protect);

    const key = new aws.kms.Key(
        ...applyTransform(
            t.flowLogKey,
            scope.name("flow-logs-key"),
            {
                description: `Encrypts the VPC flow logs of ${scope.baseName} (${pulumi.getStack()})`,
                enableKeyRotation: true,
                deletionWindowInDays: settings.protect ? 30 : 7,
                policy: pulumi
                    .all([env.partition, env.accountId, env.region, groupArn])
                    .apply(([partition, accountId, region, logGroupArn]) => JSON.stringify(flowLogKeyPolicy({ partition, accountId, region, logGroupArn }))),
                tags: scope.tags("flow-logs-key"),
            },
            scope.opts(stateful),
        ),
    );

    const logGroup = new aws.cloudwatch.LogGroup(
        ...applyTransform(
            t.flowLogGroup,
            scope.name("flow-logs"),
            { name: groupName, retentionInDays: settings.retentionDays, kmsKeyId: key.arn, tags: scope.tags("flow-logs") },
            scope.opts(stateful),
        ),
    );

    const role = new aws.iam.Role(
        ...applyTransform(
            t.flowLogRole,
            scope.name("flow-logs-role"),
            {
                description: `VPC Flow Logs writes ${groupName}`,
                assumeRolePolicy: pulumi
                    .all([env.partition, env.accountId, env.region])
                    .apply(([partition, accountId, region]) => JSON.stringify(flowLogTrustPolicy({ partition, accountId, region }))),
                tags: scope.tags("flow-logs-role"),
            },
            scope.opts(),
        ),
    );

    const rolePolicy = new aws.iam.RolePolicy(
        scope.name("flow-logs-write"),
        { role: role.id, policy: logGroup.arn.apply((arn) => JSON.stringify(flowLogRolePolicy(arn))) },
        scope.opts(),
    );

    const flowLog = new aws.ec2.FlowLog(
        ...applyTransform(
            t.flowLog,
            scope.name("flow-log"),
            {
                vpcId,
                trafficType: "ALL",
                logDestinationType: "cloud-watch-logs",
                logDestination: logGroup.arn,
                iamRoleArn: role.arn,
                maxAggregationInterval: 60,
                tags: scope.tags("flow-log"),
            },
            scope.opts({ dependsOn: [rolePolicy] }),
        ),
    );

    return { key, logGroup, role, flowLog };
}
