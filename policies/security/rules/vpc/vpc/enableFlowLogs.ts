import type { GraphResource, StackFinding, StackRule } from "@groundwork/policy-kit";

const VPC_TYPE = "aws:ec2/vpc:Vpc";
/** The account's default VPC, adopted with `aws.ec2.DefaultVpc`: a VPC like any other, which needs its flow log too. */
const DEFAULT_VPC_TYPE = "aws:ec2/defaultVpc:DefaultVpc";
const FLOW_LOG_TYPE = "aws:ec2/flowLog:FlowLog";

/** The Pulumi engine's sentinel for an unknown value, in case a caller passes it through undeserialised. */
const UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/**
 * Reads one property that may be unknown during preview. @pulumi/policy wraps props in a proxy that throws
 * `UnknownValueError` on an unknown value (which would abort the whole stack policy); here an unknown is `known: false`.
 */
function read(props: Record<string, any>, key: string): { known: true; value: unknown } | { known: false } {
    try {
        const value = props?.[key];
        return value === UNKNOWN_SENTINEL ? { known: false } : { known: true, value };
    } catch {
        return { known: false };
    }
}

/**
 * Every VPC has a flow log: an `aws.ec2.FlowLog` whose `vpcId` equals the VPC's `id`. A flow log whose `vpcId`
 * is not known yet (preview of a new VPC) counts for the VPCs it depends on (by URN); a known `vpcId` counts
 * only for the VPC with that id. Flow logs on subnets or ENIs do not cover a VPC. Stack policies see resource outputs (under the
 * offline plan tool: mock outputs), so the VPC's `id` and the flow log's resolved `vpcId` are compared.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP EC2.6, CIS 3.7, CKV2_AWS_11, AWS-0178, AwsSolutions-VPC7.
 */
export const vpcEnableFlowLogs: StackRule = {
    kind: "stack",
    name: "aws-vpc-vpc-enable-flow-logs",
    description: "Every VPC has a VPC flow log.",
    controls: ["FSBP EC2.6", "CIS 3.7", "CKV2_AWS_11", "AWS-0178", "AwsSolutions-VPC7"],
    severity: "medium",
    level: "mandatory",
    remediation: "Add an `aws.ec2.FlowLog` with `vpcId: vpc.id` (trafficType ALL) delivering to a CloudWatch log group or S3 bucket (the Network component does this).",
    check(resources) {
        const flowLogs = resources.filter((r) => r.type === FLOW_LOG_TYPE);
        const knownIds = new Set<string>();
        const unresolved: GraphResource[] = [];
        for (const fl of flowLogs) {
            const v = read(fl.props, "vpcId");
            if (!v.known) unresolved.push(fl);
            else if (typeof v.value === "string" && v.value !== "") knownIds.add(v.value);
        }
        const findings: StackFinding[] = [];
        for (const vpc of resources.filter((r) => r.type === VPC_TYPE || r.type === DEFAULT_VPC_TYPE)) {
            const id = read(vpc.props, "id");
            const idKnown = id.known && typeof id.value === "string" && id.value !== "";
            if (idKnown && knownIds.has(id.value as string)) continue;
            // Fall back to the dependency graph when the flow log's vpcId cannot be compared yet.
            if (unresolved.some((fl) => fl.dependencyUrns.includes(vpc.urn))) continue;
            findings.push({
                urn: vpc.urn,
                message: `VPC '${vpc.name}' has no flow log (no ${FLOW_LOG_TYPE} with vpcId ${idKnown ? `'${id.value}'` : "referring to it"})`,
            });
        }
        return findings;
    },
};
