import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ChildScope } from "../base";
import { CdnTransforms, CLOUDFRONT_REGION } from "./args";
import type { CdnBuckets } from "./buckets";
import { logBucketPolicy, S3_ACCESS_LOG_PREFIX } from "./documents";

/**
 * The log bucket's policy ({@link logBucketPolicy}: TLS only; S3 server access logs from the static bucket and
 * CloudFront log delivery, both pinned to this account) and the static bucket's S3 access logging into it.
 * Returns the policy, which every log writer waits for.
 */
export function declareBucketAccessLogs(scope: ChildScope, buckets: CdnBuckets, t: CdnTransforms = {}): aws.s3.BucketPolicy {
    const { logs, assets } = buckets;
    const caller = aws.getCallerIdentityOutput({}, scope.invokeOpts);
    const partition = aws.getPartitionOutput({}, scope.invokeOpts);
    const logsPolicy = new aws.s3.BucketPolicy(
        ...applyTransform(
            t.logBucketPolicy,
            scope.name("logs-policy"),
            {
                bucket: logs.bucket.id,
                policy: pulumi
                    .all([logs.bucket.arn, caller.accountId, partition.partition, assets.bucket.arn])
                    .apply(([logBucketArn, accountId, part, sourceBucketArn]) => JSON.stringify(logBucketPolicy({ logBucketArn, accountId, partition: part, sourceBucketArn }))),
            },
            scope.opts({ dependsOn: [logs.publicAccessBlock, logs.ownership] }),
        ),
    );
    new aws.s3.BucketLogging(
        scope.name("static-access-logs"),
        {
            bucket: assets.bucket.id,
            targetBucket: logs.bucket.id,
            targetPrefix: S3_ACCESS_LOG_PREFIX,
            targetObjectKeyFormat: { partitionedPrefix: { partitionDateSource: "EventTime" } },
        },
        scope.opts({ dependsOn: [logsPolicy] }),
    );
    return logsPolicy;
}

/**
 * CloudFront standard logging v2 (CloudWatch Logs vended delivery, in us-east-1): the distribution's access logs
 * delivered in W3C format to the log bucket, once its policy admits the delivery service.
 */
export function declareDistributionAccessLogs(scope: ChildScope, distributionArn: pulumi.Output<string>, logBucketArn: pulumi.Output<string>, logsPolicy: aws.s3.BucketPolicy): aws.cloudwatch.LogDelivery {
    const source = new aws.cloudwatch.LogDeliverySource(
        scope.name("access-logs-source"),
        { region: CLOUDFRONT_REGION, logType: "ACCESS_LOGS", resourceArn: distributionArn, tags: scope.tags("access-logs-source") },
        scope.opts(),
    );
    const destination = new aws.cloudwatch.LogDeliveryDestination(
        scope.name("access-logs-destination"),
        {
            region: CLOUDFRONT_REGION,
            outputFormat: "w3c",
            deliveryDestinationConfiguration: { destinationResourceArn: logBucketArn },
            tags: scope.tags("access-logs-destination"),
        },
        scope.opts({ dependsOn: [logsPolicy] }),
    );
    return new aws.cloudwatch.LogDelivery(
        scope.name("access-logs"),
        { region: CLOUDFRONT_REGION, deliverySourceName: source.name, deliveryDestinationArn: destination.arn, tags: scope.tags("access-logs") },
        scope.opts({ dependsOn: [logsPolicy] }),
    );
}
