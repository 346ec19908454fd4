import * as pulumi from "@pulumi/pulumi";

/** One problem with one config key. */
export interface ConfigIssue {
    /** Full config key, for example `groundwork:vpcCidr` or `aws:region`. */
    readonly key: string;
    /** The value as given (`[secret]` for secret keys); undefined when the key is not set. */
    readonly value: string | undefined;
    /** What is wrong, for example `is not an IPv4 CIDR block`. */
    readonly problem: string;
    /** What is allowed instead. */
    readonly allowed: string;
}

/**
 * Invalid stack config. Thrown by the stack model before any resource is declared; the message lists every
 * issue as `<key> = <value>: <problem> (allowed: <what>)`, one per line. A `RunError`, so the Pulumi CLI
 * prints the message without a stack trace.
 */
export class ConfigError extends pulumi.RunError {
    /** The issues, in key order. */
    public readonly issues: readonly ConfigIssue[];

    constructor(stack: string, issues: readonly ConfigIssue[]) {
        const lines = issues.map((i) => `  ${i.key}${i.value === undefined ? "" : ` = ${JSON.stringify(i.value)}`}: ${i.problem} (allowed: ${i.allowed})`);
        super(`Invalid config for stack '${stack}' (Pulumi.${stack}.yaml):\n${lines.join("\n")}`);
        this.name = "ConfigError";
        this.issues = issues;
    }
}
