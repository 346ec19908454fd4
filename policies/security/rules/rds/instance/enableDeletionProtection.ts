import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instances have deletion protection: `deletionProtection: true` (unset means off). Mandatory in prod.
 *
 * Aurora and Multi-AZ DB clusters (`aws.rds.Cluster`) carry the same argument and are judged the same way.
 *
 * Severity: medium. Level: mandatory-prod.
 * Controls: FSBP RDS.8, CKV_AWS_293, AWS-0177, AwsSolutions-RDS10.
 */
export const rdsInstanceEnableDeletionProtection: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-enable-deletion-protection",
    description: "RDS instances have deletion protection enabled.",
    controls: ["FSBP RDS.8", "CKV_AWS_293", "AWS-0177", "AwsSolutions-RDS10"],
    severity: "medium",
    level: "mandatory-prod",
    remediation: "Set `deletionProtection: true` (the Database component's `deletionProtection` arg; the prod preset turns it on).",
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/cluster:Cluster"],
    check(props) {
        const v = props.deletionProtection;
        if (v === true || v === "true") return [];
        if (v === undefined || v === null) return ["deletionProtection is not set: the instance can be deleted by one API call"];
        return [`deletionProtection is ${JSON.stringify(v)}: the instance can be deleted by one API call`];
    },
};
