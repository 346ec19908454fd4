import type * as aws from "@pulumi/aws";
import { ArgumentError, BaseArgs, LOG_RETENTION_DAYS, Transform } from "../base";
import { MAX_AZ_COUNT, MIN_AZ_COUNT, planSubnets, SubnetPlan, vpcCidrProblem } from "./cidr";

/** How private subnets reach the internet: a NAT gateway per AZ (HA), one shared NAT (cheap), or none. */
export type NatMode = "perAz" | "single" | "none";

/** The NAT modes, for validation messages and config schemas. */
export const NAT_MODES: readonly NatMode[] = ["perAz", "single", "none"];

/** Interface endpoints the Network creates when `interfaceEndpoints` is on (service name suffixes). */
export const INTERFACE_ENDPOINT_SERVICES: readonly string[] = ["ecr.api", "ecr.dkr", "sts", "secretsmanager", "sqs", "logs"];

export { LOG_RETENTION_DAYS } from "../base";

/** Arguments of the {@link Network} component. */
export interface NetworkArgs extends BaseArgs {
    /**
     * IPv4 block of the VPC, /16 to /24, in a private range. A plain string, not an Input: the subnet
     * layout is computed from it when the component is declared (see `planSubnets`).
     * @default "10.0.0.0/16"
     */
    readonly cidrBlock?: string;
    /**
     * AZ names to span, in order (AZ `i` gets slot `i` of every subnet tier). Plain strings, since their
     * number decides how many subnets exist. When omitted, the first `availabilityZoneCount` available
     * zones of the provider's region are used (looked up with `getAvailabilityZones`).
     * @default - the region's first `availabilityZoneCount` zones
     */
    readonly availabilityZones?: string[];
    /**
     * How many AZs to span, 2 to 6. Must equal `availabilityZones.length` when both are given.
     * @default 3 (or the length of `availabilityZones`)
     */
    readonly availabilityZoneCount?: number;
    /**
     * NAT gateways for the private subnets: `perAz` (one per AZ, each AZ routes through its own),
     * `single` (one in the first AZ, cheaper, not AZ-fault-tolerant) or `none` (no internet egress).
     * @default "perAz"
     */
    readonly natMode?: NatMode;
    /**
     * Create the interface endpoints (ECR api/dkr, STS, Secrets Manager, SQS, CloudWatch Logs) in the
     * private subnets, so AWS API traffic stays in the VPC. About $7/month per endpoint per AZ.
     * @default true
     */
    readonly interfaceEndpoints?: boolean;
    /**
     * The interface endpoints to create, by service name suffix (from {@link INTERFACE_ENDPOINT_SERVICES}), instead of
     * all or none: for a tier that wants only the endpoints its workloads call (STS for IRSA, SQS, Secrets Manager).
     * @default - all of INTERFACE_ENDPOINT_SERVICES when `interfaceEndpoints` is true, none when it is false
     */
    readonly interfaceEndpointServices?: string[];
    /**
     * Days the VPC flow logs are kept; one of the values CloudWatch Logs accepts ({@link LOG_RETENTION_DAYS}).
     * @default 365
     */
    readonly flowLogRetentionDays?: number;
    /**
     * Protect the stateful children (the KMS key and the flow-log group) from deletion: `protect` and
     * `retainOnDelete` in their resource options, and a 30-day key deletion window (7 days when false).
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: NetworkTransforms;
}

/** Per-child {@link Transform}s of a {@link Network}. */
export interface NetworkTransforms {
    /** The VPC. */
    readonly vpc?: Transform<aws.ec2.VpcArgs>;
    /** Every subnet, public, private and isolated (`name` tells them apart: `<name>-private-a`). */
    readonly subnet?: Transform<aws.ec2.SubnetArgs>;
    /** Every route table. */
    readonly routeTable?: Transform<aws.ec2.RouteTableArgs>;
    /** Every NAT gateway. */
    readonly natGateway?: Transform<aws.ec2.NatGatewayArgs>;
    /** The KMS key of the flow log group. */
    readonly flowLogKey?: Transform<aws.kms.KeyArgs>;
    /** The flow log group. */
    readonly flowLogGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The role VPC Flow Logs writes with. */
    readonly flowLogRole?: Transform<aws.iam.RoleArgs>;
    /** The flow log. */
    readonly flowLog?: Transform<aws.ec2.FlowLogArgs>;
    /** Every VPC endpoint, the S3 gateway and the interface ones (`name` tells them apart). */
    readonly endpoint?: Transform<aws.ec2.VpcEndpointArgs>;
    /** The security group of the interface endpoints. */
    readonly endpointSecurityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
}

/** {@link NetworkArgs} with every default applied and validated. */
export interface ResolvedNetworkArgs {
    /** The VPC block. */
    readonly cidrBlock: string;
    /** Explicit AZ names, or undefined to look them up. */
    readonly availabilityZones: readonly string[] | undefined;
    /** Number of AZs spanned. */
    readonly azCount: number;
    /** NAT mode. */
    readonly natMode: NatMode;
    /** Whether interface endpoints are created. */
    readonly interfaceEndpoints: boolean;
    /** The interface endpoints created (service name suffixes); empty when none. */
    readonly interfaceEndpointServices: string[];
    /** Flow-log retention in days. */
    readonly flowLogRetentionDays: number;
    /** Whether stateful children are protected. */
    readonly protect: boolean;
    /** The computed subnet layout. */
    readonly plan: SubnetPlan;
}

/**
 * Applies the defaults of {@link NetworkArgs} and validates them; pure. Throws an {@link ArgumentError}
 * naming the component, the field and the fix.
 */
export function resolveNetworkArgs(name: string, args: NetworkArgs = {}): ResolvedNetworkArgs {
    const who = `Network '${name}'`;
    const cidrBlock = args.cidrBlock ?? "10.0.0.0/16";
    const availabilityZones = args.availabilityZones;
    const azCount = args.availabilityZoneCount ?? availabilityZones?.length ?? 3;
    const natMode = args.natMode ?? "perAz";
    const interfaceEndpoints = args.interfaceEndpoints ?? true;
    const interfaceEndpointServices = args.interfaceEndpointServices !== undefined ? [...new Set(args.interfaceEndpointServices)] : interfaceEndpoints ? [...INTERFACE_ENDPOINT_SERVICES] : [];
    const flowLogRetentionDays = args.flowLogRetentionDays ?? 365;
    const protect = args.protect ?? true;

    if (!Number.isInteger(azCount) || azCount < MIN_AZ_COUNT || azCount > MAX_AZ_COUNT) {
        throw new ArgumentError(who, "availabilityZoneCount", `${azCount} is not a whole number from ${MIN_AZ_COUNT} to ${MAX_AZ_COUNT}`, `span ${MIN_AZ_COUNT} to ${MAX_AZ_COUNT} AZs`);
    }
    if (availabilityZones !== undefined) {
        if (availabilityZones.length !== azCount) {
            throw new ArgumentError(who, "availabilityZones", `${availabilityZones.length} zones given but availabilityZoneCount is ${azCount}`, "give as many zones as the count, or omit one of the two");
        }
        const dupes = availabilityZones.filter((z, i) => availabilityZones.indexOf(z) !== i);
        if (dupes.length > 0 || availabilityZones.some((z) => z.trim() === "")) {
            throw new ArgumentError(who, "availabilityZones", `zones must be distinct and non-empty (got ${JSON.stringify(availabilityZones)})`, "list each AZ once, for example [\"eu-west-1a\", \"eu-west-1b\"]");
        }
    }
    const cidrProblem = vpcCidrProblem(cidrBlock, azCount);
    if (cidrProblem !== undefined) {
        throw new ArgumentError(who, "cidrBlock", `'${cidrBlock}' ${cidrProblem}`, "use a private, network-aligned block from /16 to /24, for example 10.0.0.0/16");
    }
    if (!NAT_MODES.includes(natMode)) {
        throw new ArgumentError(who, "natMode", `'${natMode}' is not a NAT mode`, `use one of ${NAT_MODES.join(", ")}`);
    }
    if (!LOG_RETENTION_DAYS.includes(flowLogRetentionDays)) {
        throw new ArgumentError(who, "flowLogRetentionDays", `${flowLogRetentionDays} is not a CloudWatch Logs retention value`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    for (const service of interfaceEndpointServices) {
        if (!INTERFACE_ENDPOINT_SERVICES.includes(service)) {
            throw new ArgumentError(who, "interfaceEndpointServices", `'${service}' is not an endpoint the Network creates`, `use some of ${INTERFACE_ENDPOINT_SERVICES.join(", ")}`);
        }
    }
    if (args.interfaceEndpoints === false && args.interfaceEndpointServices !== undefined && args.interfaceEndpointServices.length > 0) {
        throw new ArgumentError(who, "interfaceEndpointServices", "endpoints listed while interfaceEndpoints is false", "drop interfaceEndpoints: false, or the list");
    }
    return {
        cidrBlock,
        availabilityZones: availabilityZones ? [...availabilityZones] : undefined,
        azCount,
        natMode,
        interfaceEndpoints: interfaceEndpointServices.length > 0,
        interfaceEndpointServices,
        flowLogRetentionDays,
        protect,
        plan: planSubnets(cidrBlock, azCount),
    };
}

/** Index of the NAT gateway each AZ's private subnet routes through, or undefined for no internet route. */
export function natIndexFor(natMode: NatMode, azIndex: number): number | undefined {
    switch (natMode) {
        case "perAz":
            return azIndex;
        case "single":
            return 0;
        case "none":
            return undefined;
    }
}

/** Number of NAT gateways a mode creates over `azCount` AZs. */
export function natCount(natMode: NatMode, azCount: number): number {
    return natMode === "perAz" ? azCount : natMode === "single" ? 1 : 0;
}
