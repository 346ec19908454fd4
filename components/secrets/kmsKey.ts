import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, statefulOptions, Transform } from "../base";
import { awsContext, stableName } from "./context";

/** A service principal the key policy lets use the key, always pinned to this account. */
export interface KmsServicePrincipal {
    /** Service principal, for example `logs.eu-west-1.amazonaws.com` or `sns.amazonaws.com`. */
    readonly service: string;
    /**
     * Actions the service may call on the key.
     * @default ["kms:Encrypt","kms:Decrypt","kms:ReEncryptFrom","kms:ReEncryptTo","kms:GenerateDataKey","kms:GenerateDataKeyWithoutPlaintext","kms:DescribeKey"]
     */
    readonly actions?: string[];
    /**
     * When set, the statement also requires `kms:ViaService` to equal this value (for example
     * `secretsmanager.eu-west-1.amazonaws.com`).
     * @default - only `aws:SourceAccount` is required
     */
    readonly viaService?: string;
}

/**
 * The actions of using a key for data (encrypt, decrypt, re-encrypt, data keys, describe), no administration: the
 * default a service principal gets, and the one list every Groundwork key policy grants for key use.
 */
export const KMS_SERVICE_ACTIONS: readonly string[] = [
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:DescribeKey",
];

/** A statement of a KMS key policy. */
export interface KmsKeyPolicyStatement {
    /** Statement id. */
    Sid: string;
    /** Always Allow. */
    Effect: "Allow";
    /** The account root or one service principal; never `*`. */
    Principal: { AWS: string } | { Service: string };
    /** Actions. */
    Action: string | string[];
    /** `*` means "this key" in a key policy. */
    Resource: "*";
    /** Conditions (always present on service statements). */
    Condition?: Record<string, Record<string, string>>;
}

/** A KMS key policy document. */
export interface KmsKeyPolicyDocument {
    /** Always `2012-10-17`. */
    Version: "2012-10-17";
    /** The statements. */
    Statement: KmsKeyPolicyStatement[];
}

/**
 * The key policy of a {@link KmsKey}: the account root administers the key (AWS's default statement, which
 * delegates use to IAM policies), and each service principal may use it only on behalf of this account
 * (`aws:SourceAccount`, plus `kms:ViaService` when given). With `allowCloudWatchLogs`, the regional CloudWatch Logs
 * principal may use it for this account's log groups in the region (the `kms:EncryptionContext:aws:logs:arn` condition
 * the CloudWatch Logs guide prescribes). No wildcard principal. Pure.
 */
export function kmsKeyPolicy(
    ctx: { accountId: string; partition: string; region?: string },
    services: readonly KmsServicePrincipal[],
    allowCloudWatchLogs = false,
): KmsKeyPolicyDocument {
    const statements: KmsKeyPolicyStatement[] = [
        {
            Sid: "AccountRootAdministersKey",
            Effect: "Allow",
            Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
        },
    ];
    services.forEach((s, i) => {
        const condition: Record<string, Record<string, string>> = { StringEquals: { "aws:SourceAccount": ctx.accountId } };
        if (s.viaService !== undefined) condition.StringEquals["kms:ViaService"] = s.viaService;
        statements.push({
            Sid: `ServiceUsesKey${i}`,
            Effect: "Allow",
            Principal: { Service: s.service },
            Action: [...(s.actions ?? KMS_SERVICE_ACTIONS)],
            Resource: "*",
            Condition: condition,
        });
    });
    if (allowCloudWatchLogs) {
        if (!ctx.region) throw new Error("kmsKeyPolicy: allowCloudWatchLogs needs the region");
        statements.push({
            Sid: "CloudWatchLogsUsesKeyForAccountLogGroups",
            Effect: "Allow",
            Principal: { Service: `logs.${ctx.region}.amazonaws.com` },
            Action: [...KMS_SERVICE_ACTIONS],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:${ctx.partition}:logs:${ctx.region}:${ctx.accountId}:log-group:*` } },
        });
    }
    return { Version: "2012-10-17", Statement: statements };
}

/** Arguments of the {@link KmsKey} component. */
export interface KmsKeyArgs extends BaseArgs {
    /**
     * What the key protects, shown in the console.
     * @default "Groundwork <name> key"
     */
    readonly description?: string;
    /**
     * Alias name without the `alias/` prefix; letters, digits, `/`, `_` and `-`, not starting with `aws/`.
     * @default "<project>-<stack>-<name>"
     */
    readonly aliasName?: string;
    /**
     * Service principals that may use the key directly (each pinned to this account by `aws:SourceAccount`).
     * Services that use the key on a caller's behalf (RDS, Secrets Manager, SQS) need no entry: the caller's
     * IAM policy, delegated by the root statement, is what grants use.
     * @default []
     */
    readonly servicePrincipals?: KmsServicePrincipal[];
    /**
     * Let CloudWatch Logs in this region encrypt this account's log groups with the key (for log groups of the
     * component that owns the key).
     * @default false
     */
    readonly allowCloudWatchLogs?: boolean;
    /**
     * Days of rotation period, 90 to 2560. Rotation itself is always on.
     * @default 365
     */
    readonly rotationPeriodInDays?: number;
    /**
     * Waiting period before a scheduled deletion, 7 to 30 days.
     * @default 30
     */
    readonly deletionWindowInDays?: number;
    /**
     * Protect the key from `pulumi destroy` and retain it on delete. Infra passes the tier's value.
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Region of the key (keys are regional: a log group in us-east-1 needs a key there). A plain string.
     * @default - the stack's region (`aws:region`)
     */
    readonly region?: string;
    /**
     * The whole key policy, for a key whose services need conditions the generated policy does not express (the
     * cluster's key: CloudWatch Logs for one log group, the EC2 Auto Scaling service-linked role). Called with the
     * key's account, partition and region once they are known. Excludes `servicePrincipals` and
     * `allowCloudWatchLogs`; a statement with a wildcard principal is refused when the policy is built.
     * @default - {@link kmsKeyPolicy} of `servicePrincipals` and `allowCloudWatchLogs`
     */
    readonly policy?: (ctx: KmsKeyContext) => KmsKeyPolicyDocument;
    /**
     * Former URNs (or alias specs) of the key and alias resources, for a key that moves under a KmsKey from
     * elsewhere (a component that declared a raw `aws.kms.Key`): Pulumi then adopts the existing key and alias
     * instead of replacing them, which would destroy what the key encrypts.
     * @default - none
     */
    readonly childAliases?: KmsKeyChildAliases;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: KmsKeyTransforms;
}

/** Per-child {@link Transform}s of a {@link KmsKey}. */
export interface KmsKeyTransforms {
    /** The `aws.kms.Key`. */
    readonly key?: Transform<aws.kms.KeyArgs>;
    /** The `aws.kms.Alias`. */
    readonly alias?: Transform<aws.kms.AliasArgs>;
}

/** The account, partition and region a key policy is built for. */
export interface KmsKeyContext {
    /** Account id. */
    readonly accountId: string;
    /** Partition, for example `aws`. */
    readonly partition: string;
    /** Region of the key. */
    readonly region: string;
}

/** Former identities of a {@link KmsKey}'s children (Pulumi `aliases` resource options). */
export interface KmsKeyChildAliases {
    /** Aliases of the `aws.kms.Key` child. @default [] */
    readonly key?: pulumi.Input<pulumi.URN | pulumi.Alias>[];
    /** Aliases of the `aws.kms.Alias` child. @default [] */
    readonly alias?: pulumi.Input<pulumi.URN | pulumi.Alias>[];
}

/**
 * A caller-built key policy as JSON, once it is known to have no wildcard principal; throws an {@link ArgumentError}
 * naming the statements otherwise. Pure.
 */
export function checkedKeyPolicy(who: string, doc: KmsKeyPolicyDocument): string {
    const open = wildcardPrincipalStatements(doc);
    if (open.length > 0) {
        throw new ArgumentError(who, "policy", `statement(s) ${open.map((s) => s.Sid).join(", ")} have a wildcard principal`, "name the account root or a service principal with conditions");
    }
    return JSON.stringify(doc);
}

/** Statements of a key policy whose principal is, or includes, `*`. Pure. */
export function wildcardPrincipalStatements(doc: KmsKeyPolicyDocument): KmsKeyPolicyStatement[] {
    const open = (p: unknown) => p === "*" || (Array.isArray(p) && p.includes("*"));
    return doc.Statement.filter((s) => (typeof s.Principal === "string" ? open(s.Principal) : Object.values(s.Principal as Record<string, unknown>).some(open)));
}

const ALIAS = /^[A-Za-z0-9/_-]{1,250}$/;

/** The `aliases` option, only when there are aliases (so a key without them registers exactly as before). */
function aliasesOption(aliases: pulumi.Input<pulumi.URN | pulumi.Alias>[] | undefined): pulumi.CustomResourceOptions {
    return aliases !== undefined && aliases.length > 0 ? { aliases } : {};
}

/**
 * A customer-managed KMS key for one purpose: rotation on, a key policy with no wildcard principal, an alias
 * `alias/<aliasName>`. Type token `groundwork:secrets:KmsKey`.
 */
export class KmsKey extends GroundworkComponent {
    /** ARN of the key. */
    public readonly keyArn: pulumi.Output<string>;
    /** Id of the key. */
    public readonly keyId: pulumi.Output<string>;
    /** Full alias name, `alias/<aliasName>`. */
    public readonly aliasName: pulumi.Output<string>;

    constructor(name: string, args: KmsKeyArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        super("secrets", "KmsKey", name, args, opts);
        const who = `KmsKey '${name}'`;
        const description = args.description ?? `Groundwork ${name} key`;
        const aliasName = args.aliasName ?? stableName([pulumi.getProject(), pulumi.getStack(), name], 200);
        const services = args.servicePrincipals ?? [];
        const rotationPeriodInDays = args.rotationPeriodInDays ?? 365;
        const deletionWindowInDays = args.deletionWindowInDays ?? 30;
        const protect = args.protect ?? true;
        const allowCloudWatchLogs = args.allowCloudWatchLogs ?? false;

        if (!ALIAS.test(aliasName) || aliasName.toLowerCase().startsWith("aws/")) {
            throw new ArgumentError(who, "aliasName", `'${aliasName}' is not a valid alias name`, "use letters, digits, '/', '_' and '-', without the 'alias/' prefix and not starting with 'aws/'");
        }
        if (!Number.isInteger(rotationPeriodInDays) || rotationPeriodInDays < 90 || rotationPeriodInDays > 2560) {
            throw new ArgumentError(who, "rotationPeriodInDays", `${rotationPeriodInDays} is outside 90..2560`, "pass a whole number of days from 90 to 2560");
        }
        if (!Number.isInteger(deletionWindowInDays) || deletionWindowInDays < 7 || deletionWindowInDays > 30) {
            throw new ArgumentError(who, "deletionWindowInDays", `${deletionWindowInDays} is outside 7..30`, "pass a whole number of days from 7 to 30");
        }
        if (args.policy !== undefined && (args.servicePrincipals !== undefined || args.allowCloudWatchLogs !== undefined)) {
            throw new ArgumentError(who, "policy", "given together with servicePrincipals or allowCloudWatchLogs, which only shape the generated policy", "put those statements in the policy, or drop policy");
        }
        for (const s of services) {
            if (s.service === "*" || !/^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/.test(s.service)) {
                throw new ArgumentError(who, "servicePrincipals", `'${s.service}' is not a service principal`, "name an AWS service principal such as 'logs.eu-west-1.amazonaws.com'");
            }
            for (const a of s.actions ?? []) {
                if (!/^kms:[A-Za-z]+$/.test(a)) {
                    throw new ArgumentError(who, "servicePrincipals", `action '${a}' of '${s.service}' is a wildcard or not a KMS action`, "list exact KMS actions such as 'kms:Decrypt'");
                }
            }
        }

        const ctx = awsContext(this);
        const stateful = statefulOptions(protect);
        const inRegion = args.region !== undefined ? { region: args.region } : {};
        const keyRegion = args.region ?? ctx.region;
        const t = args.transform ?? {};
        const key = new aws.kms.Key(
            ...applyTransform(
                t.key,
                this.childName("key"),
                {
                    ...inRegion,
                    description,
                    keyUsage: "ENCRYPT_DECRYPT",
                    customerMasterKeySpec: "SYMMETRIC_DEFAULT",
                    enableKeyRotation: true,
                    rotationPeriodInDays,
                    deletionWindowInDays,
                    policy: pulumi.all([ctx.accountId, ctx.partition, keyRegion]).apply(([accountId, partition, region]) => {
                        if (args.policy === undefined) return JSON.stringify(kmsKeyPolicy({ accountId, partition, region }, services, allowCloudWatchLogs));
                        return checkedKeyPolicy(who, args.policy({ accountId, partition, region }));
                    }),
                    tags: this.childTags("key"),
                },
                this.childOpts({ ...stateful, ...aliasesOption(args.childAliases?.key) }),
            ),
        );
        const alias = new aws.kms.Alias(
            ...applyTransform(
                t.alias,
                this.childName("alias"),
                { ...inRegion, name: `alias/${aliasName}`, targetKeyId: key.keyId },
                this.childOpts(aliasesOption(args.childAliases?.alias)),
            ),
        );

        this.keyArn = key.arn;
        this.keyId = key.keyId;
        this.aliasName = alias.name;
        this.registerOutputs({ keyArn: this.keyArn, keyId: this.keyId, aliasName: this.aliasName });
    }
}
