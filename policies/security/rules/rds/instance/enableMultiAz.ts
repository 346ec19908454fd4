import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instances run Multi-AZ: `multiAz: true` (unset means a single AZ). Mandatory in prod, advisory elsewhere.
 *
 * Severity: medium. Level: mandatory-prod.
 * Controls: FSBP RDS.5, CIS 2.2.4, CKV_AWS_157, AwsSolutions-RDS3.
 */
export const rdsInstanceEnableMultiAz: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-enable-multi-az",
    description: "RDS instances run with a Multi-AZ standby.",
    controls: ["FSBP RDS.5", "CIS 2.2.4", "CKV_AWS_157", "AwsSolutions-RDS3"],
    severity: "medium",
    level: "mandatory-prod",
    remediation: "Set `multiAz: true` (the Database component's `multiAz` arg; the prod preset turns it on).",
    resourceTypes: ["aws:rds/instance:Instance"],
    check(props) {
        const v = props.multiAz;
        if (v === true || v === "true") return [];
        if (v === undefined || v === null) return ["multiAz is not set: the instance runs in a single AZ"];
        return [`multiAz is ${JSON.stringify(v)}: the instance runs in a single AZ`];
    },
};
