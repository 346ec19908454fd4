import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The service families the packs cover: folders of `@pulumi/aws` whose resources carry a risk of a rule of the
 * security pack, and API group versions of `@pulumi/kubernetes` (`kubernetes/<group>/<version>`) holding the
 * workloads and the objects around them that the Kubernetes pack judges. Every resource type of these families is
 * either read by a rule or listed, with the reason, in policies/uncovered-types.json.
 */
export const COVERED_FAMILIES = [
    "cloudfront",
    "cloudwatch",
    "ebs",
    "ec2",
    "eks",
    "elasticache",
    "iam",
    "kms",
    "lb",
    "rds",
    "s3",
    "secretsmanager",
    "sqs",
    "vpc",
    "wafv2",
    "kubernetes/apps/v1",
    "kubernetes/autoscaling/v2",
    "kubernetes/batch/v1",
    "kubernetes/core/v1",
    "kubernetes/networking/v1",
    "kubernetes/policy/v1",
] as const;

/** Every resource type token the installed SDK declares in `family` (see {@link COVERED_FAMILIES}), sorted. */
export function sdkTypes(family: string): string[] {
    const [pkg, folder] = family.startsWith("kubernetes/") ? ["@pulumi/kubernetes", family.slice("kubernetes/".length)] : ["@pulumi/aws", family];
    const dir = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), folder);
    const types = new Set<string>();
    for (const f of fs.readdirSync(dir)) {
        if (!f.endsWith(".js")) continue;
        for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/__pulumiType = '([^']+)'/g)) types.add(m[1]);
    }
    return [...types].sort();
}
