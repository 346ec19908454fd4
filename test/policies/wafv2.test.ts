import { unknownCheckingProxy } from "@pulumi/policy";
import type { GraphResource, StackFinding } from "@groundwork/policy-kit";
import { webAclEnableLogging } from "../../policies/security/rules/wafv2/webAcl/enableLogging";
import { checkStack, graphResource } from "../support/policy";

/** What @pulumi/policy puts in props for a string that is unknown during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const ACL = "aws:wafv2/webAcl:WebAcl";
const LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration";
const ARN = "arn:aws:wafv2:us-east-1:123456789012:global/webacl/edge-acl/1a2b";

const acl = graphResource(ACL, "edge-acl", { arn: ARN, scope: "CLOUDFRONT" });
const other = graphResource(ACL, "other-acl", { arn: "arn:aws:wafv2:us-east-1:123456789012:global/webacl/other/9z8y", scope: "CLOUDFRONT" });
const logging = graphResource(
    LOGGING,
    "edge-logging",
    { resourceArn: ARN, logDestinationConfigs: ["arn:aws:logs:us-east-1:123456789012:log-group:aws-waf-logs-edge"], redactedFields: [{ singleHeader: { name: "authorization" } }] },
    { dependencyUrns: [acl.urn] },
);
const missing = (a: GraphResource): StackFinding => ({ urn: a.urn, message: `web ACL '${a.name}' has no logging configuration` });

describe("aws-wafv2-webacl-enable-logging", () => {
    it.each<[string, GraphResource[], StackFinding[]]>([
        ["passes: the web ACL's logging configuration", [acl, logging], []],
        ["passes: no web ACL in the stack", [logging], []],
        ["a web ACL without logging", [acl], [missing(acl)]],
        ["only the web ACL without logging is reported", [acl, other, logging], [missing(other)]],
        ["a configuration for another ARN does not count, even with a dependency", [acl, { ...logging, props: { ...logging.props, resourceArn: other.props.arn } }], [missing(acl)]],
        ["passes (preview): ARNs unknown, matched by dependency", [graphResource(ACL, "edge-acl", unknownCheckingProxy({ arn: UNKNOWN })), { ...logging, props: unknownCheckingProxy({ resourceArn: UNKNOWN }) }], []],
        ["preview: unknown ARN and no dependency", [acl, { ...logging, props: unknownCheckingProxy({ resourceArn: UNKNOWN }), dependencyUrns: [] }], [missing(acl)]],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(webAclEnableLogging, resources)).toEqual(expected);
    });
});
