import { parsePolicy, statementsOf, type ResourceRule } from "@groundwork/policy-kit";
import { isWildcardPrincipal, pinsSource, S3_TYPES, servicePrincipals, SOURCE_CONDITION_KEYS, statementLabel } from "../shared";

/**
 * Bucket policies grant nothing to everyone: no `Allow` statement has a wildcard principal (`"*"`,
 * `{"AWS": "*"}`) or uses `NotPrincipal`, whatever its conditions (a public principal narrowed by conditions is
 * easy to get wrong; name the principals instead). An `Allow` to an AWS service principal (for example
 * `cloudfront.amazonaws.com`) must pin the source with a positive condition on aws:SourceArn, aws:SourceAccount,
 * aws:SourceOrgID or aws:SourceOrgPaths, or any customer's resource of that service could use the grant
 * (confused deputy). Checks `aws.s3.BucketPolicy` and the deprecated inline `policy` of a bucket.
 *
 * Severity: critical. Level: mandatory.
 * Controls: FSBP S3.2, FSBP S3.3, CKV_AWS_70, AwsSolutions-S5.
 */
export const bucketPolicyDisallowPublicPrincipal: ResourceRule = {
    kind: "resource",
    name: "aws-s3-bucketpolicy-disallow-public-principal",
    description: "S3 bucket policies do not allow Principal \"*\" or NotPrincipal, and service principals are pinned to a source.",
    controls: ["FSBP S3.2", "FSBP S3.3", "CKV_AWS_70", "AwsSolutions-S5"],
    severity: "critical",
    level: "mandatory",
    remediation:
        "Name the principals (account roles, or a service principal with `Condition: { StringEquals: { \"AWS:SourceArn\": <resource ARN> } }`); serve public content through CloudFront with Origin Access Control instead of a public bucket.",
    resourceTypes: [S3_TYPES.bucketPolicy, S3_TYPES.bucket, S3_TYPES.bucketV2],
    check(props) {
        const doc = props.policy;
        if (doc === undefined || doc === null || doc === "") return [];
        if (parsePolicy(doc) === undefined) return ["policy is not valid JSON, so its principals cannot be checked"];
        const messages: string[] = [];
        statementsOf(doc).forEach((s: Record<string, any>, i: number) => {
            if (!s || String(s.Effect ?? "").toLowerCase() !== "allow") return;
            const label = statementLabel(s, i);
            if (s.NotPrincipal !== undefined) {
                messages.push(`${label} allows with NotPrincipal (everyone else)`);
                return;
            }
            if (isWildcardPrincipal(s.Principal)) {
                messages.push(`${label} allows Principal "*"`);
                return;
            }
            const services = servicePrincipals(s.Principal);
            if (services.length > 0 && !pinsSource(s.Condition)) {
                messages.push(`${label} allows service principal ${services.join(", ")} without a ${SOURCE_CONDITION_KEYS.join("/")} condition`);
            }
        });
        return messages;
    },
};
