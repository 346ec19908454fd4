import * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec } from "../observe/alarms";
import { CLOUDFRONT_REGION } from "./args";

/** Share of requests answered with a 5xx (percent) that raises the CDN's error-rate alarm. */
export const CDN_5XX_ALARM_PERCENT = 5;

/** What the edge alarms are derived from. */
export interface CdnAlarmInput {
    /** Id of the distribution (the `DistributionId` dimension). */
    readonly distributionId: pulumi.Input<string>;
    /** Name of the web ACL the component created (the `WebACL` dimension); undefined with a given web ACL. */
    readonly webAclName?: pulumi.Input<string>;
    /** The WAF's per-IP rate limit per 5 minutes. */
    readonly rateLimit: number;
}

/**
 * The Cdn's alarms, in us-east-1 where CloudFront and CLOUDFRONT-scope WAF publish their metrics: the 5xx error rate
 * (the origin's 5xx pass through, so this is also the API load balancer's error alarm as viewers see it), and, for a
 * web ACL the component created, a spike of blocked requests: more in 5 minutes than the per-IP rate limit lets one
 * client send. Pure.
 */
export function cdnAlarmSpecs(c: CdnAlarmInput): AlarmSpec[] {
    const specs: AlarmSpec[] = [
        {
            part: "5xx-rate",
            title: "5xx error rate %",
            region: CLOUDFRONT_REGION,
            namespace: "AWS/CloudFront",
            metricName: "5xxErrorRate",
            // CloudFront publishes its metrics under Region "Global".
            dimensions: { DistributionId: c.distributionId, Region: "Global" },
            statistic: "Average",
            period: 300,
            evaluationPeriods: 3,
            threshold: CDN_5XX_ALARM_PERCENT,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            description: `More than ${CDN_5XX_ALARM_PERCENT}% of the edge's responses were 5xx for 15 minutes. Check first: the API's pods and the load balancer's target health (a 502/503/504 comes from the origin), then the cluster's alarms; a 5xx without origin errors points at the origin's certificate or security group.`,
        },
    ];
    if (c.webAclName !== undefined) {
        specs.push({
            part: "waf-blocked",
            title: "WAF blocked requests",
            region: CLOUDFRONT_REGION,
            namespace: "AWS/WAFV2",
            metricName: "BlockedRequests",
            // CLOUDFRONT-scope web ACLs publish without a Region dimension; Rule "ALL" sums every rule.
            dimensions: { WebACL: c.webAclName, Rule: "ALL" },
            statistic: "Sum",
            period: 300,
            evaluationPeriods: 1,
            threshold: c.rateLimit,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "notBreaching",
            description: `The WAF blocked more than ${c.rateLimit} requests in 5 minutes (the per-IP rate limit): an attack, a scanner, or a rule blocking real users. Check first: the WAF logs (aws-waf-logs-* in us-east-1) for the terminating rule and client IPs; a managed rule blocking a legitimate path needs a scope-down, not a higher limit.`,
        });
    }
    return specs;
}
