import { parsePolicy, type ResourceRule } from "@groundwork/policy-kit";
import { actionsOf, allowStatements, isWildcardPrincipal } from "../../iam/shared";

/**
 * SQS queue policies (`aws.sqs.QueuePolicy` `policy`, `aws.sqs.Queue` inline `policy`) have no Allow for Principal `*`
 * (or `NotPrincipal`) and no Allow of `sqs:*` or `*`. Deny statements (the TLS-only Deny for Principal `*` with
 * `sqs:*`) are fine.
 *
 * Severity: critical. Level: mandatory.
 * Controls: CKV_AWS_168, CKV_AWS_72, AWS-0097.
 */
export const sqsQueuePolicyDisallowWildcardAccess: ResourceRule = {
    kind: "resource",
    name: "aws-sqs-queuepolicy-disallow-wildcard-access",
    description: 'SQS queue policies do not allow Principal "*" nor the actions "sqs:*" / "*".',
    controls: ["CKV_AWS_168", "CKV_AWS_72", "AWS-0097"],
    severity: "critical",
    level: "mandatory",
    remediation: "Allow named principals (roles, or a service principal with aws:SourceArn) and exact actions; grant workloads with `queue.grantSend`/`grantConsume`.",
    resourceTypes: ["aws:sqs/queuePolicy:QueuePolicy", "aws:sqs/queue:Queue"],
    check(props) {
        const doc = props.policy;
        if (doc === undefined || doc === null || doc === "") return [];
        if (parsePolicy(doc) === undefined) return ["policy is not valid JSON, so its statements cannot be checked"];
        return allowStatements({ label: "", doc }).flatMap(({ label, s }) => {
            const out: string[] = [];
            if (s.NotPrincipal !== undefined) out.push(`${label} allows NotPrincipal: everyone else is granted`);
            else if (isWildcardPrincipal(s.Principal)) out.push(`${label} allows Principal "*": anyone can use the queue`);
            for (const a of actionsOf(s)) if (a === "*" || a.toLowerCase() === "sqs:*") out.push(`${label} allows action "${a}": every queue action`);
            return out;
        });
    },
};
