import { unknownCheckingProxy } from "@pulumi/policy";
import type { GraphResource, StackFinding } from "@groundwork/policy-kit";
import { vpcEnableFlowLogs } from "../../policies/security/rules/vpc/vpc/enableFlowLogs";
import { checkStack, graphResource } from "../support/policy";

const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";
/** What @pulumi/policy puts in props for a string that is unknown during preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Props wrapped like @pulumi/policy wraps them: reading an unknown value throws UnknownValueError. */
const previewProps = (p: Record<string, any>) => unknownCheckingProxy(p);

// Stack policies see outputs: the VPC's `id` and the flow log's resolved `vpcId` (mock outputs offline).
const main = graphResource(VPC, "main", { id: "vpc-0main", cidrBlock: "10.0.0.0/16" });
const other = graphResource(VPC, "other", { id: "vpc-0other", cidrBlock: "10.1.0.0/16" });
const mainFlowLog = graphResource(FLOW_LOG, "main-flow-logs", { vpcId: "vpc-0main", trafficType: "ALL", logDestinationType: "cloud-watch-logs" }, { dependencyUrns: [main.urn] });
const missing = (vpc: GraphResource, id: string): StackFinding => ({
    urn: vpc.urn,
    message: `VPC '${vpc.name}' has no flow log (no ${FLOW_LOG} with vpcId ${id})`,
});

describe("aws-vpc-vpc-enable-flow-logs", () => {
    it.each<[string, GraphResource[], StackFinding[]]>([
        ["passes: the VPC's flow log matches its id", [main, mainFlowLog], []],
        ["passes: no VPC in the stack", [mainFlowLog], []],
        ["passes: a flow log per VPC", [main, other, mainFlowLog, graphResource(FLOW_LOG, "other-fl", { vpcId: "vpc-0other" })], []],
        ["a VPC without flow log", [main], [missing(main, "'vpc-0main'")]],
        [
            "the default VPC (aws.ec2.DefaultVpc) without flow log",
            [graphResource("aws:ec2/defaultVpc:DefaultVpc", "default", { id: "vpc-0default" })],
            [{ urn: graphResource("aws:ec2/defaultVpc:DefaultVpc", "default", {}).urn, message: "VPC 'default' has no flow log (no aws:ec2/flowLog:FlowLog with vpcId 'vpc-0default')" }],
        ],
        ["passes: the default VPC with its flow log", [graphResource("aws:ec2/defaultVpc:DefaultVpc", "default", { id: "vpc-0default" }), graphResource(FLOW_LOG, "default-fl", { vpcId: "vpc-0default" })], []],
        ["only the uncovered VPC is reported", [main, other, mainFlowLog], [missing(other, "'vpc-0other'")]],
        [
            "a flow log on a subnet does not cover the VPC",
            [main, graphResource(FLOW_LOG, "subnet-fl", { subnetId: "subnet-0abc" }, { dependencyUrns: [main.urn] })],
            [missing(main, "'vpc-0main'")],
        ],
        [
            "a known, different vpcId does not count even with a dependency on the VPC",
            [main, graphResource(FLOW_LOG, "wrong", { vpcId: "vpc-0other" }, { dependencyUrns: [main.urn] })],
            [missing(main, "'vpc-0main'")],
        ],
        [
            "passes (preview): vpcId unknown, the flow log depends on the VPC",
            [main, graphResource(FLOW_LOG, "fl", previewProps({ vpcId: UNKNOWN }), { dependencyUrns: [main.urn] })],
            [],
        ],
        [
            "preview: vpcId unknown and no dependency on the VPC",
            [main, graphResource(FLOW_LOG, "fl", previewProps({ vpcId: UNKNOWN }), { dependencyUrns: [other.urn] })],
            [missing(main, "'vpc-0main'")],
        ],
        [
            "passes (preview): VPC id and vpcId both unknown, linked by the dependency",
            [graphResource(VPC, "main", previewProps({ id: UNKNOWN })), graphResource(FLOW_LOG, "fl", previewProps({ vpcId: UNKNOWN }), { dependencyUrns: [main.urn] })],
            [],
        ],
        [
            "preview: VPC id unknown and no flow log",
            [graphResource(VPC, "main", previewProps({ id: UNKNOWN }))],
            [missing(main, "referring to it")],
        ],
        ["passes: the raw unknown sentinel (undeserialised) falls back to the dependency", [main, graphResource(FLOW_LOG, "fl", { vpcId: UNKNOWN }, { dependencyUrns: [main.urn] })], []],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(vpcEnableFlowLogs, resources)).toEqual(expected);
        // Not tier-dependent: dev gives the same findings.
        expect(checkStack(vpcEnableFlowLogs, resources, "dev")).toEqual(expected);
    });

    it("the preview proxy really throws on the unknown value (so the rule must not read it directly)", () => {
        expect(() => previewProps({ vpcId: UNKNOWN }).vpcId).toThrow(/can't be known during preview/);
    });
});
