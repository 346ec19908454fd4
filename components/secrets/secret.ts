import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, Transform } from "../base";
import { Grantable } from "../identity/statements";
import { awsContext, sidOf } from "./context";

/**
 * The `kms:ViaService` condition for a grant: `StringEquals secretsmanager.<region>.amazonaws.com` with the region
 * of the stack's `aws:region` config. Grant conditions are plain strings (`StatementInput.condition`), so the region
 * must be known when the program is declared; without `aws:region` the condition falls back to
 * `StringLike <service>.*.amazonaws.com` (equivalent for a single-Region key, which only its own Region can use).
 */
export function viaServiceCondition(service: string, region: string | undefined = aws.config.region): Record<string, Record<string, string>> {
    return region ? { StringEquals: { "kms:ViaService": `${service}.${region}.amazonaws.com` } } : { StringLike: { "kms:ViaService": `${service}.*.amazonaws.com` } };
}

/** Policy whose exemption tag a secret without a rotation mechanism carries (see `noRotationReason`). */
export const SECRET_ROTATION_POLICY = "aws-secretsmanager-secret-enable-rotation";

/** Exemption tag key the pack reads: `exempt.groundwork.dev/<policy>`. */
const EXEMPTION_TAG_PREFIX = "exempt.groundwork.dev/";

/** Special characters the generated value may contain unless `specialCharacters` says otherwise. */
export const DEFAULT_SPECIAL_CHARACTERS = "!#$%&*()-_=+[]{}<>:?";

/** Characters AWS accepts in a tag value (the exemption reason becomes one). */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * The secret's resource policy: deny every Secrets Manager action to principals of other accounts (AWS
 * services acting for this account excepted). No Allow statement; with `blockPublicPolicy` on, Secrets Manager
 * also refuses any later policy that would make the secret public. Pure.
 */
export function secretResourcePolicy(accountId: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyOtherAccounts",
                Effect: "Deny",
                Principal: "*",
                Action: "secretsmanager:*",
                Resource: "*",
                Condition: {
                    StringNotEquals: { "aws:PrincipalAccount": accountId },
                    Bool: { "aws:PrincipalIsAWSService": "false" },
                },
            },
        ],
    };
}

/** Arguments of the {@link Secret} component. */
export interface SecretArgs extends BaseArgs {
    /** ARN of the customer-managed KMS key that encrypts the secret (for example a {@link KmsKey}'s `keyArn`). */
    readonly kmsKeyArn: pulumi.Input<string>;
    /**
     * Description shown in the console.
     * @default "Groundwork <name> secret"
     */
    readonly description?: string;
    /**
     * Length of the generated value, 16 to 128.
     * @default 32
     */
    readonly length?: number;
    /**
     * Special characters the generated value may contain; empty for letters and digits only.
     * @default DEFAULT_SPECIAL_CHARACTERS
     */
    readonly specialCharacters?: string;
    /**
     * ARN of the Lambda function that rotates the secret. Exactly one of `rotationLambdaArn` and
     * `noRotationReason` must be given.
     * @default - none: then `noRotationReason` is required
     */
    readonly rotationLambdaArn?: pulumi.Input<string>;
    /**
     * Days between rotations, 1 to 1000 (only with `rotationLambdaArn`).
     * @default 30
     */
    readonly rotationDays?: number;
    /**
     * Explicit opt-out of rotation: why no rotation mechanism exists for this secret (at least 10 characters,
     * characters AWS accepts in tag values). Becomes the tag `exempt.groundwork.dev/aws-secretsmanager-secret-enable-rotation`,
     * which the policy pack reads as the exemption's reason.
     * @default - none: then `rotationLambdaArn` is required
     */
    readonly noRotationReason?: string;
    /**
     * Days Secrets Manager keeps a deleted secret recoverable, 7 to 30.
     * @default 30
     */
    readonly recoveryWindowInDays?: number;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: SecretTransforms;
}

/** Per-child {@link Transform}s of a {@link Secret}. */
export interface SecretTransforms {
    /** The `aws.secretsmanager.Secret`. */
    readonly secret?: Transform<aws.secretsmanager.SecretArgs>;
    /** Its resource policy (`aws.secretsmanager.SecretPolicy`). */
    readonly policy?: Transform<aws.secretsmanager.SecretPolicyArgs>;
    /** The generator of the value (`random.RandomPassword`). */
    readonly value?: Transform<random.RandomPasswordArgs>;
    /** The rotation schedule (`aws.secretsmanager.SecretRotation`), with `rotationLambdaArn`. */
    readonly rotation?: Transform<aws.secretsmanager.SecretRotationArgs>;
}

/**
 * A Secrets Manager secret with a generated value: encrypted with a customer-managed key, a resource policy that
 * blocks public access and denies other accounts, rotation by a Lambda function or an explicit, reasoned opt-out.
 * The value is a Pulumi secret end to end. Type token `groundwork:secrets:Secret`.
 */
export class Secret extends GroundworkComponent {
    /** ARN of the secret. */
    public readonly arn: pulumi.Output<string>;
    /** Name of the secret. */
    public readonly name: pulumi.Output<string>;
    /** ARN of the KMS key that encrypts it. */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** The generated value, a Pulumi secret (for components that must hand it to AWS, such as an AUTH token). */
    public readonly value: pulumi.Output<string>;
    /** Whether a rotation schedule is attached. */
    public readonly rotationEnabled: boolean;

    constructor(name: string, args: SecretArgs, opts?: pulumi.ComponentResourceOptions) {
        super("secrets", "Secret", name, args, opts);
        const who = `Secret '${name}'`;
        const description = args.description ?? `Groundwork ${name} secret`;
        const length = args.length ?? 32;
        const specialCharacters = args.specialCharacters ?? DEFAULT_SPECIAL_CHARACTERS;
        const rotationDays = args.rotationDays ?? 30;
        const recoveryWindowInDays = args.recoveryWindowInDays ?? 30;
        const noRotationReason = args.noRotationReason?.trim();

        if (!Number.isInteger(length) || length < 16 || length > 128) {
            throw new ArgumentError(who, "length", `${length} is outside 16..128`, "pass a whole number from 16 to 128");
        }
        if (args.rotationLambdaArn !== undefined && noRotationReason !== undefined) {
            throw new ArgumentError(who, "noRotationReason", "both a rotation function and an opt-out are given", "pass either rotationLambdaArn or noRotationReason, not both");
        }
        if (args.rotationLambdaArn === undefined && noRotationReason === undefined) {
            throw new ArgumentError(
                who,
                "rotationLambdaArn",
                "no rotation function and no opt-out",
                "pass rotationLambdaArn (and rotationDays), or noRotationReason saying why no rotation mechanism exists",
            );
        }
        if (noRotationReason !== undefined && (noRotationReason.length < 10 || noRotationReason.length > 256 || !TAG_VALUE.test(noRotationReason))) {
            throw new ArgumentError(
                who,
                "noRotationReason",
                "the reason must be 10 to 256 characters that AWS accepts in a tag value",
                "write a sentence of letters, digits, spaces and _ . : / = + - @",
            );
        }
        if (!Number.isInteger(rotationDays) || rotationDays < 1 || rotationDays > 1000) {
            throw new ArgumentError(who, "rotationDays", `${rotationDays} is outside 1..1000`, "pass a whole number of days from 1 to 1000");
        }
        if (!Number.isInteger(recoveryWindowInDays) || recoveryWindowInDays < 7 || recoveryWindowInDays > 30) {
            throw new ArgumentError(who, "recoveryWindowInDays", `${recoveryWindowInDays} is outside 7..30`, "pass a whole number of days from 7 to 30");
        }

        const ctx = awsContext(this);
        const tags: Record<string, string> = this.childTags("secret");
        if (noRotationReason !== undefined) tags[EXEMPTION_TAG_PREFIX + SECRET_ROTATION_POLICY] = noRotationReason;

        const t = args.transform ?? {};
        const secret = new aws.secretsmanager.Secret(
            ...applyTransform(
                t.secret,
                this.childName("secret"),
                { description, kmsKeyId: args.kmsKeyArn, recoveryWindowInDays, tags },
                this.childOpts(),
            ),
        );
        new aws.secretsmanager.SecretPolicy(
            ...applyTransform(
                t.policy,
                this.childName("policy"),
                {
                    secretArn: secret.arn,
                    blockPublicPolicy: true,
                    policy: ctx.accountId.apply((accountId) => JSON.stringify(secretResourcePolicy(accountId))),
                },
                this.childOpts(),
            ),
        );
        const password = new random.RandomPassword(
            ...applyTransform(
                t.value,
                this.childName("value"),
                {
                    length,
                    special: specialCharacters.length > 0,
                    overrideSpecial: specialCharacters.length > 0 ? specialCharacters : undefined,
                    minLower: 1,
                    minUpper: 1,
                    minNumeric: 1,
                },
                this.childOpts({ additionalSecretOutputs: ["result", "bcryptHash"] }),
            ),
        );
        const value = pulumi.secret(password.result);
        const version = new aws.secretsmanager.SecretVersion(
            this.childName("version"),
            { secretId: secret.id, secretString: value },
            this.childOpts({ additionalSecretOutputs: ["secretString"] }),
        );
        if (args.rotationLambdaArn !== undefined) {
            new aws.secretsmanager.SecretRotation(
                ...applyTransform(
                    t.rotation,
                    this.childName("rotation"),
                    { secretId: secret.id, rotationLambdaArn: args.rotationLambdaArn, rotationRules: { automaticallyAfterDays: rotationDays } },
                    this.childOpts({ dependsOn: [version] }),
                ),
            );
        }

        this.arn = secret.arn;
        this.name = secret.name;
        this.kmsKeyArn = pulumi.output(args.kmsKeyArn);
        this.value = value;
        this.rotationEnabled = args.rotationLambdaArn !== undefined;
        this.registerOutputs({ arn: this.arn, name: this.name, kmsKeyArn: this.kmsKeyArn });
    }

    /**
     * Lets `identity` read this secret's value and nothing else: `secretsmanager:GetSecretValue` on this secret's ARN
     * and `kms:Decrypt` on its key through Secrets Manager in this region. What an SDK read of the value needs;
     * {@link grantRead} adds `DescribeSecret`, which the Secrets Store CSI provider calls too.
     */
    public grantGetValue(identity: Grantable): void {
        const sid = sidOf(this.baseName);
        identity.addStatements(`${this.baseName}-get-value`, [
            { sid: `${sid}GetSecretValue`, actions: ["secretsmanager:GetSecretValue"], resources: [this.arn] },
            { sid: `${sid}DecryptSecret`, actions: ["kms:Decrypt"], resources: [this.kmsKeyArn], condition: viaServiceCondition("secretsmanager") },
        ]);
    }

    /**
     * Lets `identity` read this secret: `secretsmanager:GetSecretValue` and `DescribeSecret` on this secret's ARN,
     * and `kms:Decrypt` on its key only, when called through Secrets Manager in this region.
     */
    public grantRead(identity: Grantable): void {
        const sid = sidOf(this.baseName);
        identity.addStatements(`${this.baseName}-read`, [
            { sid: `${sid}ReadSecret`, actions: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], resources: [this.arn] },
            { sid: `${sid}DecryptSecret`, actions: ["kms:Decrypt"], resources: [this.kmsKeyArn], condition: viaServiceCondition("secretsmanager") },
        ]);
    }
}
