import * as pulumi from "@pulumi/pulumi";
import type { AlarmSpec } from "../observe/alarms";

/** One NAT gateway to alarm on. */
export interface NatAlarmInput {
    /** Slot letter of the NAT's AZ (`a`, `b`, ...), for the alarm's name. */
    readonly slot: string;
    /** Id of the NAT gateway (the `NatGatewayId` dimension). */
    readonly natGatewayId: pulumi.Input<string>;
}

/**
 * The Network's alarms: per NAT gateway, any `ErrorPortAllocation` (the gateway ran out of source ports to one
 * destination, so new connections from the private subnets fail). None without NAT gateways. Pure.
 */
export function networkAlarmSpecs(nats: readonly NatAlarmInput[]): AlarmSpec[] {
    return nats.map((n) => ({
        part: `nat-${n.slot}-port-allocation`,
        title: `NAT ${n.slot}: port allocation errors`,
        namespace: "AWS/NATGateway",
        metricName: "ErrorPortAllocation",
        dimensions: { NatGatewayId: n.natGatewayId },
        statistic: "Sum" as const,
        period: 300,
        evaluationPeriods: 1,
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold" as const,
        treatMissingData: "notBreaching" as const,
        description: `NAT gateway ${n.slot}: could not allocate a source port (more than 55,000 concurrent connections to one destination): new outbound connections from the private subnets fail. Check first: ActiveConnectionCount and which pods open connections without reusing them (HTTP keep-alive); traffic to AWS APIs belongs on the VPC endpoints.`,
    }));
}
