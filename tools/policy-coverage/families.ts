import * as fs from "node:fs";
import * as path from "node:path";

/**
 * The AWS service families the security pack covers: folders of `@pulumi/aws` whose resources carry a risk of a
 * rule of the pack. Every resource type of these families is either read by a rule or listed, with the reason,
 * in policies/uncovered-types.json.
 */
export const COVERED_FAMILIES = ["cloudfront", "cloudwatch", "ebs", "ec2", "eks", "elasticache", "iam", "kms", "rds", "s3", "secretsmanager", "sqs", "vpc", "wafv2"] as const;

/** Every resource type token the installed `@pulumi/aws` declares in `family`, sorted. */
export function sdkTypes(family: string): string[] {
    const dir = path.join(path.dirname(require.resolve("@pulumi/aws/package.json")), family);
    const types = new Set<string>();
    for (const f of fs.readdirSync(dir)) {
        if (!f.endsWith(".js")) continue;
        for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/__pulumiType = '([^']+)'/g)) types.add(m[1]);
    }
    return [...types].sort();
}
