import { AUDIT_MIN_RETENTION_DAYS, isAuditLogGroup, logGroupConfigureRetention } from "../../policies/security/rules/logs/logGroup/configureRetention";
import { logGroupEnableKmsEncryption } from "../../policies/security/rules/logs/logGroup/enableKmsEncryption";
import { checkResource } from "../support/policy";
import { ruleTable } from "../support/ruleTable";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/0abc";

describe("aws-logs-loggroup-configure-retention", () => {
    const forever = (why: string) => [`retentionInDays ${why}: logs are kept forever`];
    const good = { name: "/groundwork/prod/app", retentionInDays: 30, kmsKeyId: KEY };

    describe.each(["prod", "dev"] as const)("any log group, tier %s", (tier) => {
        ruleTable(
            logGroupConfigureRetention,
            good,
            [
                ["retentionInDays not set", (p) => delete p.retentionInDays, forever("is not set")],
                ["retentionInDays 0 (never expire)", (p) => (p.retentionInDays = 0), forever("is 0")],
                ["retentionInDays not a number", (p) => (p.retentionInDays = "forever"), ['retentionInDays is "forever": not a number of days']],
                ["passes: one day", (p) => (p.retentionInDays = 1), []],
                ["passes: autonamed group", (p) => delete p.name, []],
            ],
            { tier },
        );
    });

    describe("audit log groups in prod need at least 365 days", () => {
        const needs = (days: number, name: string) => [`retentionInDays is ${days}: audit log group '${name}' needs at least ${AUDIT_MIN_RETENTION_DAYS} in prod`];
        ruleTable(logGroupConfigureRetention, { name: "/aws/eks/platform-prod/cluster", retentionInDays: 365 }, [
            ["EKS control-plane group kept 90 days", (p) => (p.retentionInDays = 90), needs(90, "/aws/eks/platform-prod/cluster")],
            ["'audit' in the name", (p) => Object.assign(p, { name: "/groundwork/prod/Audit-trail", retentionInDays: 180 }), needs(180, "/groundwork/prod/Audit-trail")],
            ["CloudTrail group via namePrefix", (p) => (delete p.name, Object.assign(p, { namePrefix: "aws-cloudtrail-logs-", retentionInDays: 30 })), needs(30, "aws-cloudtrail-logs-")],
            ["audit group not set at all", (p) => delete p.retentionInDays, forever("is not set")],
            ["passes: 400 days", (p) => (p.retentionInDays = 400), []],
            ["passes: flow logs are not audit logs", (p) => Object.assign(p, { name: "/groundwork/prod/vpc-flow-logs", retentionInDays: 90 }), []],
            ["passes: an EKS application group is not the control plane", (p) => Object.assign(p, { name: "/aws/eks/platform-prod/workloads", retentionInDays: 30 }), []],
        ]);
    });

    it("dev keeps any retention for audit groups", () => {
        expect(checkResource(logGroupConfigureRetention, { name: "/aws/eks/platform-dev/cluster", retentionInDays: 7 }, { tier: "dev" })).toEqual([]);
    });

    it.each<[unknown, boolean]>([
        ["/aws/eks/x/cluster", true],
        ["/aws/eks/x/cluster/extra", false],
        ["k8s-AUDIT", true],
        ["aws-cloudtrail-logs-123", true],
        ["/groundwork/prod/app", false],
        [undefined, false],
    ])("isAuditLogGroup(%p) is %p", (name, expected) => {
        expect(isAuditLogGroup(name)).toBe(expected);
    });
});

describe("aws-logs-loggroup-enable-kms-encryption", () => {
    ruleTable(logGroupEnableKmsEncryption, { name: "/groundwork/prod/app", retentionInDays: 30, kmsKeyId: KEY }, [
        ["kmsKeyId not set", (p) => delete p.kmsKeyId, ["kmsKeyId is not set: the log group is encrypted only with CloudWatch Logs' own key"]],
        ["kmsKeyId empty", (p) => (p.kmsKeyId = ""), ["kmsKeyId is not set: the log group is encrypted only with CloudWatch Logs' own key"]],
    ]);
});
