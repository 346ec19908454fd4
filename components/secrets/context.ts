import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** Account, region and partition of the provider a component deploys with, as outputs. */
export interface AwsContext {
    /** Account id, for example `123456789012`. */
    readonly accountId: pulumi.Output<string>;
    /** Region name, for example `eu-west-1`. */
    readonly region: pulumi.Output<string>;
    /** Partition, for example `aws`. */
    readonly partition: pulumi.Output<string>;
}

/** Looks up account, region and partition with the parent's provider (three invokes). */
export function awsContext(parent: pulumi.Resource): AwsContext {
    const opts = { parent };
    return {
        accountId: aws.getCallerIdentityOutput({}, opts).accountId,
        region: aws.getRegionOutput({}, opts).region,
        partition: aws.getPartitionOutput({}, opts).partition,
    };
}

/**
 * A stable physical name built from parts: lower case, characters outside `[a-z0-9-]` become `-`, runs of `-`
 * collapse, it starts with a letter (`x` prefixed otherwise), is cut to `maxLength` and never ends with `-`.
 * Pure; used where AWS needs a name chosen up front (RDS identifier, ElastiCache ids, FIFO queue names).
 */
export function stableName(parts: string[], maxLength: number): string {
    let s = parts
        .join("-")
        .toLowerCase()
        .replace(/[^a-z0-9-]/g, "-")
        .replace(/-+/g, "-")
        .replace(/^-+/, "");
    if (!/^[a-z]/.test(s)) s = `x${s}`;
    s = s.slice(0, maxLength).replace(/-+$/, "");
    return s;
}

/** Letters and digits of a name with the first letter of each part upper-cased: a valid IAM statement id. */
export function sidOf(...parts: string[]): string {
    return parts
        .flatMap((p) => p.split(/[^A-Za-z0-9]+/))
        .filter((p) => p.length > 0)
        .map((p) => p[0].toUpperCase() + p.slice(1))
        .join("");
}
