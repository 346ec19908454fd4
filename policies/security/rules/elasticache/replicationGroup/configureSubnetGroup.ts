import { isSet, type ResourceRule } from "@groundwork/policy-kit";

/**
 * ElastiCache replication groups run in a VPC subnet group: `subnetGroupName` set (without it the default subnet
 * group of the default VPC is used).
 *
 * Standalone cache clusters (`aws.elasticache.Cluster`) are judged the same way; a Cluster that joins a replication
 * group (`replicationGroupId`) uses the group's subnet group and is judged on the group.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP ElastiCache.7, CKV_AWS_323, AwsSolutions-AEC1.
 */
export const replicationGroupConfigureSubnetGroup: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-replicationgroup-configure-subnet-group",
    description: "ElastiCache replication groups and standalone cache clusters use a subnet group of the platform's VPC.",
    controls: ["FSBP ElastiCache.7", "CKV_AWS_323", "AwsSolutions-AEC1"],
    severity: "medium",
    level: "mandatory",
    remediation: "Create an `aws.elasticache.SubnetGroup` of isolated subnets and set `subnetGroupName` to it.",
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/cluster:Cluster"],
    check(props, ctx) {
        if (ctx.type === "aws:elasticache/cluster:Cluster" && isSet(props.replicationGroupId)) return [];
        return isSet(props.subnetGroupName) ? [] : ["subnetGroupName is not set: the cache lands in the default subnet group"];
    },
};
