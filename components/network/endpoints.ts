import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { INTERFACE_ENDPOINT_SERVICES, NetworkTransforms } from "./args";
import { applyTransform, ChildScope } from "../base";

/** The endpoint children. */
export interface EndpointResources {
    /** S3 gateway endpoint, routed from the private route tables. */
    readonly s3: aws.ec2.VpcEndpoint;
    /** Security group of the interface endpoints (443 from the VPC CIDR only); undefined when they are off. */
    readonly securityGroup: aws.ec2.SecurityGroup | undefined;
    /** Interface endpoints by service suffix (`ecr.api`, `sts`, ...); empty when they are off. */
    readonly interfaceEndpoints: Record<string, aws.ec2.VpcEndpoint>;
}

/**
 * Declares the S3 gateway endpoint and, when `interfaceEndpoints` is on, the interface endpoints in the
 * private subnets with a security group admitting HTTPS from the VPC CIDR and nothing else.
 */
export function declareEndpoints(
    scope: ChildScope,
    region: pulumi.Output<string>,
    network: {
        vpcId: pulumi.Input<string>;
        cidrBlock: string;
        privateSubnetIds: pulumi.Input<string>[];
        privateRouteTableIds: pulumi.Input<string>[];
        interfaceEndpointServices: string[];
    },
    t: NetworkTransforms = {},
): EndpointResources {
    const s3 = new aws.ec2.VpcEndpoint(
        ...applyTransform(
            t.endpoint,
            scope.name("s3-endpoint"),
            {
                vpcId: network.vpcId,
                serviceName: pulumi.interpolate`com.amazonaws.${region}.s3`,
                vpcEndpointType: "Gateway",
                routeTableIds: network.privateRouteTableIds,
                tags: scope.tags("s3-endpoint"),
            },
            scope.opts(),
        ),
    );
    if (network.interfaceEndpointServices.length === 0) {
        return { s3, securityGroup: undefined, interfaceEndpoints: {} };
    }

    const securityGroup = new aws.ec2.SecurityGroup(
        ...applyTransform(
            t.endpointSecurityGroup,
            scope.name("endpoints-sg"),
            {
                vpcId: network.vpcId,
                description: "Interface endpoints: HTTPS from inside the VPC only",
                ingress: [{ description: "HTTPS from the VPC", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [network.cidrBlock] }],
                egress: [],
                revokeRulesOnDelete: true,
                tags: scope.tags("endpoints-sg"),
            },
            scope.opts(),
        ),
    );
    const interfaceEndpoints: Record<string, aws.ec2.VpcEndpoint> = {};
    for (const service of INTERFACE_ENDPOINT_SERVICES.filter((s) => network.interfaceEndpointServices.includes(s))) {
        const part = `${service.replace(/\./g, "-")}-endpoint`;
        interfaceEndpoints[service] = new aws.ec2.VpcEndpoint(
            ...applyTransform(
                t.endpoint,
                scope.name(part),
                {
                    vpcId: network.vpcId,
                    serviceName: pulumi.interpolate`com.amazonaws.${region}.${service}`,
                    vpcEndpointType: "Interface",
                    privateDnsEnabled: true,
                    subnetIds: network.privateSubnetIds,
                    securityGroupIds: [securityGroup.id],
                    tags: scope.tags(part),
                },
                scope.opts(),
            ),
        );
    }
    return { s3, securityGroup, interfaceEndpoints };
}
