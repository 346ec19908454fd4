import type { ResourceRule } from "@groundwork/policy-kit";

/** Minimum retention of audit log groups in production tiers (one year). */
export const AUDIT_MIN_RETENTION_DAYS = 365;

/** Name of an EKS control-plane log group (`/aws/eks/<cluster>/cluster`): it carries the API server audit log. */
const EKS_CONTROL_PLANE = /^\/aws\/eks\/[^/]+\/cluster$/;

/**
 * True when a log group holds audit logs, judged by its `name` (or `namePrefix`): the name contains `audit` or
 * `cloudtrail` (any case), or it is an EKS control-plane group `/aws/eks/<cluster>/cluster`. VPC flow logs and
 * application logs are not audit logs here; name a group `...audit...` to opt it in. An autonamed group (no name)
 * cannot be recognised and is treated as not audit.
 */
export function isAuditLogGroup(name: unknown): boolean {
    if (typeof name !== "string" || name === "") return false;
    return /audit|cloudtrail/i.test(name) || EKS_CONTROL_PLANE.test(name);
}

/**
 * Log groups have a retention: `retentionInDays` set and not 0 (unset or 0 means logs never expire). In the
 * `prod` tier, audit log groups ({@link isAuditLogGroup}) keep logs at least {@link AUDIT_MIN_RETENTION_DAYS} days;
 * in other tiers any retention passes.
 *
 * Severity: medium. Level: mandatory (the 365-day threshold applies in prod only, via `ctx.tier`).
 * Controls: CKV_AWS_66, CKV_AWS_338.
 */
export const logGroupConfigureRetention: ResourceRule = {
    kind: "resource",
    name: "aws-logs-loggroup-configure-retention",
    description: `CloudWatch log groups have a retention period; audit log groups keep logs at least ${AUDIT_MIN_RETENTION_DAYS} days in prod.`,
    controls: ["CKV_AWS_66", "CKV_AWS_338"],
    severity: "medium",
    level: "mandatory",
    remediation: `Set \`retentionInDays\` (e.g. 30 for application logs; at least ${AUDIT_MIN_RETENTION_DAYS} for audit logs in prod).`,
    resourceTypes: ["aws:cloudwatch/logGroup:LogGroup"],
    check(props, ctx) {
        const r = props.retentionInDays;
        if (r === undefined || r === null || r === "") return ["retentionInDays is not set: logs are kept forever"];
        const days = Number(r);
        if (!Number.isFinite(days) || days < 0) return [`retentionInDays is ${JSON.stringify(r)}: not a number of days`];
        if (days === 0) return ["retentionInDays is 0: logs are kept forever"];
        const name = props.name ?? props.namePrefix;
        if (ctx.tier === "prod" && isAuditLogGroup(name) && days < AUDIT_MIN_RETENTION_DAYS) {
            return [`retentionInDays is ${days}: audit log group '${name}' needs at least ${AUDIT_MIN_RETENTION_DAYS} in prod`];
        }
        return [];
    },
};
