import { asArray, parsePolicy, statementsOf, type ResourceRule } from "@groundwork/policy-kit";
import { isWildcardPrincipal, S3_TYPES } from "../shared";

/** True when a Condition denies plain HTTP: `Bool`/`BoolIfExists` `aws:SecureTransport` = false (key case-insensitive). */
export function deniesInsecureTransport(condition: unknown): boolean {
    if (!condition || typeof condition !== "object") return false;
    return Object.entries(condition as Record<string, unknown>).some(([op, block]) => {
        if (!["bool", "boolifexists"].includes(op.toLowerCase()) || !block || typeof block !== "object") return false;
        return Object.entries(block as Record<string, unknown>).some(
            ([key, v]) => key.toLowerCase() === "aws:securetransport" && asArray(v).length === 1 && String(asArray(v)[0]).toLowerCase() === "false",
        );
    });
}

/** True when an Action element covers every S3 action (`s3:*` or `*`). */
function coversAllS3Actions(action: unknown): boolean {
    return asArray(action).some((a) => a === "*" || String(a).toLowerCase() === "s3:*");
}

/**
 * A bucket policy denies requests that do not use TLS: it has a `Deny` statement for Principal `"*"`, Action
 * `s3:*`, on the bucket and its objects (a Resource without and one with `/*`, or `*`), with Condition
 * `Bool: { "aws:SecureTransport": "false" }`. Checks `aws.s3.BucketPolicy` (the
 * `aws-s3-bucket-missing-tls-policy` stack rule makes sure every bucket has one).
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP S3.5, CIS 2.1.1, AwsSolutions-S10.
 */
export const bucketPolicyEnforceTls: ResourceRule = {
    kind: "resource",
    name: "aws-s3-bucketpolicy-enforce-tls",
    description: "S3 bucket policies deny every request made without TLS (aws:SecureTransport false).",
    controls: ["FSBP S3.5", "CIS 2.1.1", "AwsSolutions-S10"],
    severity: "high",
    level: "mandatory",
    remediation:
        "Add `{ Effect: \"Deny\", Principal: \"*\", Action: \"s3:*\", Resource: [<bucket ARN>, \"<bucket ARN>/*\"], Condition: { Bool: { \"aws:SecureTransport\": \"false\" } } }` to the bucket policy.",
    resourceTypes: [S3_TYPES.bucketPolicy],
    check(props) {
        const doc = props.policy;
        if (doc === undefined || doc === null || doc === "") return ["policy is not set"];
        if (parsePolicy(doc) === undefined) return ["policy is not valid JSON, so its TLS statement cannot be checked"];
        const tlsDenies = statementsOf(doc).filter(
            (s: Record<string, any>) =>
                s && String(s.Effect ?? "").toLowerCase() === "deny" && isWildcardPrincipal(s.Principal) && coversAllS3Actions(s.Action) && deniesInsecureTransport(s.Condition),
        );
        if (tlsDenies.length === 0) return ["no statement denies requests without TLS (Deny, Principal \"*\", Action s3:*, Bool aws:SecureTransport false)"];
        const resources = tlsDenies.flatMap((s: Record<string, any>) => asArray<string>(s.Resource)).map(String);
        const all = resources.includes("*");
        const bucketLevel = all || resources.some((r) => !r.endsWith("/*") && !r.includes("/"));
        const objectLevel = all || resources.some((r) => r.endsWith("/*"));
        if (!bucketLevel) return ["the TLS deny covers objects only, not the bucket itself (add the bucket ARN to Resource)"];
        if (!objectLevel) return ["the TLS deny covers the bucket only, not its objects (add '<bucket ARN>/*' to Resource)"];
        return [];
    },
};
