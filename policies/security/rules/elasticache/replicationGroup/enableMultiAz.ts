import type { ResourceRule } from "@groundwork/policy-kit";

/**
 * ElastiCache replication groups fail over automatically across AZs: `automaticFailoverEnabled: true` and
 * `multiAzEnabled: true` (both default to off). Mandatory in prod.
 *
 * Severity: medium. Level: mandatory-prod.
 * Controls: FSBP ElastiCache.3, CKV2_AWS_50, AwsSolutions-AEC4.
 */
export const replicationGroupEnableMultiAz: ResourceRule = {
    kind: "resource",
    name: "aws-elasticache-replicationgroup-enable-multi-az",
    description: "ElastiCache replication groups have automatic failover and Multi-AZ enabled.",
    controls: ["FSBP ElastiCache.3", "CKV2_AWS_50", "AwsSolutions-AEC4"],
    severity: "medium",
    level: "mandatory-prod",
    remediation: "Set `automaticFailoverEnabled: true`, `multiAzEnabled: true` and at least two nodes (the Cache component's `highAvailability`).",
    resourceTypes: ["aws:elasticache/replicationGroup:ReplicationGroup"],
    check(props) {
        const on = (v: unknown) => v === true || v === "true";
        const show = (v: unknown) => (v === undefined || v === null ? "not set" : JSON.stringify(v));
        const out: string[] = [];
        if (!on(props.automaticFailoverEnabled)) out.push(`automaticFailoverEnabled is ${show(props.automaticFailoverEnabled)}: a failed primary is not replaced`);
        if (!on(props.multiAzEnabled)) out.push(`multiAzEnabled is ${show(props.multiAzEnabled)}: the nodes may share one AZ`);
        return out;
    },
};
