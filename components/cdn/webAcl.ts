import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, GroundworkComponent, statefulOptions } from "../base";
import { KmsKey } from "../secrets/kmsKey";
import { CLOUDFRONT_REGION, resolveWebAclArgs, WebAclArgs } from "./args";
import { visibility, wafRedactedHeaders, webAclRules } from "./documents";

/**
 * A WAFv2 web ACL for CloudFront (scope CLOUDFRONT, in us-east-1): default allow, the AWS managed IP
 * reputation, common and known-bad-inputs rule groups, a per-IP rate limit, metrics on every rule, and
 * logging to a CloudWatch log group named `aws-waf-logs-*` (the prefix WAF requires) with the
 * `authorization`, `cookie` and the given `credentialHeaders` redacted.
 *
 * Costs about $5/month for the ACL, $1/month per rule (4) and $0.60 per million requests, plus log ingestion.
 */
export class WebAcl extends GroundworkComponent {
    /** ARN of the web ACL: the `webAclId` of a CloudFront distribution. */
    public readonly webAclArn: pulumi.Output<string>;
    /** Id of the web ACL. */
    public readonly webAclId: pulumi.Output<string>;
    /** Name of the web ACL: the `WebACL` dimension of its CloudWatch metrics. */
    public readonly webAclName: pulumi.Output<string>;
    /** Name of the WAF log group (`aws-waf-logs-...`, in us-east-1). */
    public readonly logGroupName: pulumi.Output<string>;
    /** ARN of the WAF log group. */
    public readonly logGroupArn: pulumi.Output<string>;

    constructor(name: string, args: WebAclArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const r = resolveWebAclArgs(`WebAcl '${name}'`, args); // validate before anything is registered
        super("cdn", "WebAcl", name, args, opts);

        const t = args.transform ?? {};
        const acl = new aws.wafv2.WebAcl(
            ...applyTransform(
                t.webAcl,
                this.childName("acl"),
                {
                    region: CLOUDFRONT_REGION,
                    scope: "CLOUDFRONT",
                    description: `Groundwork edge protection for ${name}: AWS managed rule groups and a per-IP rate limit`,
                    defaultAction: { allow: {} },
                    rules: webAclRules(name, r.rateLimit),
                    visibilityConfig: visibility(name),
                    tags: this.childTags("acl"),
                },
                this.childOpts(),
            ),
        );

        const stateful = statefulOptions(r.protect);
        // WAF logs name the clients and requests: encrypt them with a key of their own in the log group's region.
        const logKey = new KmsKey(
            this.childName("logs-key"),
            { description: `Groundwork ${name} WAF logs`, region: CLOUDFRONT_REGION, allowCloudWatchLogs: true, protect: r.protect, tags: args.tags, transform: t.logKey },
            { parent: this },
        );
        const logGroup = new aws.cloudwatch.LogGroup(
            ...applyTransform(
                t.logGroup,
                this.childName("logs"),
                {
                    region: CLOUDFRONT_REGION,
                    kmsKeyId: logKey.keyArn,
                    namePrefix: `aws-waf-logs-${name}-`,
                    retentionInDays: r.logRetentionDays,
                    tags: this.childTags("logs"),
                },
                this.childOpts(stateful),
            ),
        );

        new aws.wafv2.WebAclLoggingConfiguration(
            ...applyTransform(
                t.logging,
                this.childName("logging"),
                {
                    region: CLOUDFRONT_REGION,
                    resourceArn: acl.arn,
                    logDestinationConfigs: [logGroup.arn],
                    redactedFields: wafRedactedHeaders(r.credentialHeaders).map((h) => ({ singleHeader: { name: h } })),
                },
                this.childOpts(),
            ),
        );

        this.webAclArn = acl.arn;
        this.webAclId = acl.id;
        this.webAclName = acl.name;
        this.logGroupName = logGroup.name;
        this.logGroupArn = logGroup.arn;
        this.registerOutputs({ webAclArn: this.webAclArn, webAclId: this.webAclId, logGroupName: this.logGroupName, logGroupArn: this.logGroupArn });
    }
}
