import type { GraphResource, StackFinding, StackRule } from "@groundwork/policy-kit";
import { knownString, readKnown, refersTo, setOrUnknown } from "@groundwork/policy-kit";
import { CLOUDFRONT_TYPES, DISTRIBUTION_TYPES } from "../shared";

function logsThroughDelivery(dist: GraphResource, resources: GraphResource[]): "yes" | "source-only" | "no" {
    const sources = resources.filter(
        (s) =>
            s.type === CLOUDFRONT_TYPES.logDeliverySource &&
            (knownString(() => s.props.logType) ?? "ACCESS_LOGS") === "ACCESS_LOGS" &&
            refersTo(s, () => s.props.resourceArn, dist, [() => dist.props.arn]),
    );
    if (sources.length === 0) return "no";
    const delivered = sources.some((s) =>
        resources.some((d) => d.type === CLOUDFRONT_TYPES.logDelivery && refersTo(d, () => d.props.deliverySourceName, s, [() => s.props.name])),
    );
    return delivered ? "yes" : "source-only";
}

/**
 * Every CloudFront distribution writes access logs: either standard logging (legacy) with
 * `loggingConfig.bucket` set, or standard logging v2: an `aws.cloudwatch.LogDeliverySource` of logType
 * `ACCESS_LOGS` whose `resourceArn` is the distribution, delivered by an `aws.cloudwatch.LogDelivery` (the Cdn
 * component's way, which keeps ACLs off the log bucket). References are matched by value (ARN, source name)
 * when known, by dependency otherwise. A multi-tenant distribution has no legacy logging, so only v2 delivery counts
 * for it.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP CloudFront.5, CKV_AWS_86, AWS-0010, AwsSolutions-CFR3.
 */
export const distributionEnableAccessLogging: StackRule = {
    kind: "stack",
    name: "aws-cloudfront-distribution-enable-access-logging",
    description: "CloudFront distributions deliver access logs (standard logging v2 through CloudWatch log delivery, or legacy loggingConfig).",
    controls: ["FSBP CloudFront.5", "CKV_AWS_86", "AWS-0010", "AwsSolutions-CFR3"],
    severity: "medium",
    level: "mandatory",
    remediation:
        "Create an `aws.cloudwatch.LogDeliverySource` (region us-east-1, logType ACCESS_LOGS, resourceArn = the distribution's ARN), a `LogDeliveryDestination` (S3 bucket or log group) and a `LogDelivery` joining them, as the Cdn component does; or set `loggingConfig.bucket`.",
    check(resources) {
        const findings: StackFinding[] = [];
        for (const dist of resources.filter((r) => DISTRIBUTION_TYPES.includes(r.type))) {
            if (dist.type === CLOUDFRONT_TYPES.distribution && setOrUnknown(readKnown(() => dist.props.loggingConfig), "bucket")) continue;
            const v2 = logsThroughDelivery(dist, resources);
            if (v2 === "yes") continue;
            findings.push({
                urn: dist.urn,
                message:
                    v2 === "source-only"
                        ? `distribution '${dist.name}' has an ACCESS_LOGS delivery source but no LogDelivery sends it to a destination`
                        : `distribution '${dist.name}' writes no access logs: no loggingConfig.bucket and no ACCESS_LOGS LogDeliverySource for it`,
            });
        }
        return findings;
    },
};
