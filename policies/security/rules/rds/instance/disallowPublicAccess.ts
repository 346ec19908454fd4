import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * RDS instances are not publicly accessible: `publiclyAccessible` is not true (unset means private). The members of
 * an Aurora cluster (`aws.rds.ClusterInstance`) carry the same setting and are judged the same way.
 *
 * Severity: critical. Level: mandatory.
 * Controls: FSBP RDS.2, CIS 2.2.3, CKV_AWS_17, AWS-0180.
 */
export const rdsInstanceDisallowPublicAccess: ResourceRule = {
    kind: "resource",
    name: "aws-rds-instance-disallow-public-access",
    description: "RDS instances and Aurora cluster instances are not publicly accessible.",
    controls: ["FSBP RDS.2", "CIS 2.2.3", "CKV_AWS_17", "AWS-0180"],
    severity: "critical",
    level: "mandatory",
    remediation: "Set `publiclyAccessible: false` and place the instance in isolated subnets; reach it from inside the VPC.",
    resourceTypes: ["aws:rds/instance:Instance", "aws:rds/clusterInstance:ClusterInstance"],
    check(props) {
        return props.publiclyAccessible === true || props.publiclyAccessible === "true" ? ["publiclyAccessible is true: the instance gets a public IP address"] : [];
    },
};
