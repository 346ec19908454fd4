import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { applyTransform, ChildScope } from "../base";
import type { CdnTransforms } from "./args";
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, ORIGIN_VERIFY_SECRET_LENGTH } from "./args";

/** The two layers that keep the API origin for CloudFront only. */
export interface OriginProtection {
    /** Security group for the API load balancer: 443 only from CloudFront's origin-facing prefix list. */
    readonly securityGroup: aws.ec2.SecurityGroup;
    /** Id of the CloudFront origin-facing managed prefix list in the stack's region. */
    readonly prefixListId: pulumi.Output<string>;
    /** Value of the `X-Origin-Verify` header CloudFront adds to every API origin request; a secret. */
    readonly verifyValue: pulumi.Output<string>;
}

/**
 * Declares the origin security group (HTTPS only from the CloudFront origin-facing prefix list) and the random
 * origin-verify secret the load balancer checks.
 */
export function declareOriginProtection(scope: ChildScope, vpcId: pulumi.Input<string>, t: CdnTransforms = {}): OriginProtection {
    const prefixList = aws.ec2.getManagedPrefixListOutput({ name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }, scope.invokeOpts);
    const securityGroup = new aws.ec2.SecurityGroup(
        ...applyTransform(
            t.originSecurityGroup,
            scope.name("origin"),
            {
                vpcId,
                description: "API load balancer: HTTPS only from CloudFront origin-facing servers (managed prefix list)",
                tags: scope.tags("origin"),
            },
            scope.opts(),
        ),
    );
    new aws.vpc.SecurityGroupIngressRule(
        scope.name("origin-https"),
        {
            securityGroupId: securityGroup.id,
            prefixListId: prefixList.id,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "HTTPS from CloudFront origin-facing servers",
            tags: scope.tags("origin-https"),
        },
        scope.opts(),
    );
    const secret = new random.RandomPassword(scope.name("origin-verify"), { length: ORIGIN_VERIFY_SECRET_LENGTH, special: false }, scope.opts());
    // `result` is already secret in the provider's schema; wrapping keeps it secret wherever it flows.
    return { securityGroup, prefixListId: prefixList.id, verifyValue: pulumi.secret(secret.result) };
}
