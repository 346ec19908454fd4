import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, statefulOptions, Transform } from "../base";
import type { Grantable } from "../identity/statements";
import { KmsKey, KmsKeyTransforms } from "../secrets/kmsKey";

/** Arguments of the {@link ContainerRegistry} component. */
export interface ContainerRegistryArgs extends BaseArgs {
    /**
     * Tagged images kept; older ones expire (untagged images expire after a day). 1 to 1000.
     * @default 50
     */
    readonly keepImages?: number;
    /**
     * Customer-managed KMS key for the images; the component creates one (rotation on) when not given.
     * @default - a KmsKey of its own
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Protect the repository (and its key) from deletion (`protect`, `retainOnDelete`).
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: ContainerRegistryTransforms;
}

/** Per-child {@link Transform}s of a {@link ContainerRegistry}. */
export interface ContainerRegistryTransforms {
    /** The ECR repository. */
    readonly repository?: Transform<aws.ecr.RepositoryArgs>;
    /** Its lifecycle policy. */
    readonly lifecyclePolicy?: Transform<aws.ecr.LifecyclePolicyArgs>;
    /** The {@link KmsKey} the component creates without `kmsKeyArn`: its own per-child transforms. */
    readonly key?: KmsKeyTransforms;
}

/**
 * An ECR repository for a workload's image: tags immutable (a tag can never point at other bytes, so a deployed
 * tag is what was tested), scanned on push, encrypted with a customer-managed key, old images expired.
 * Nodes pull with their AWS-managed ECR pull policy; CI pushes with {@link ContainerRegistry.grantPush}.
 */
export class ContainerRegistry extends GroundworkComponent {
    /** Repository URL (`<account>.dkr.ecr.<region>.amazonaws.com/<name>`), the image name to push and deploy. */
    public readonly repositoryUrl: pulumi.Output<string>;
    /** Repository ARN. */
    public readonly repositoryArn: pulumi.Output<string>;
    /** KMS key encrypting the images. */
    public readonly kmsKeyArn: pulumi.Output<string>;

    constructor(name: string, args: ContainerRegistryArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const keepImages = args.keepImages ?? 50;
        const protect = args.protect ?? true;
        if (!Number.isInteger(keepImages) || keepImages < 1 || keepImages > 1000) {
            throw new ArgumentError(`ContainerRegistry '${name}'`, "keepImages", `${keepImages} is not a whole number from 1 to 1000`, "keep between 1 and 1000 tagged images");
        }
        super("registry", "ContainerRegistry", name, args, opts);
        const stateful = statefulOptions(protect);
        const t = args.transform ?? {};
        const keyArn =
            args.kmsKeyArn ?? new KmsKey(this.childName("key"), { description: `Groundwork ${name} container images`, protect, tags: args.tags, transform: t.key }, { parent: this }).keyArn;
        const repo = new aws.ecr.Repository(
            ...applyTransform(
                t.repository,
                this.childName("repo"),
                {
                    imageTagMutability: "IMMUTABLE",
                    imageScanningConfiguration: { scanOnPush: true },
                    encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: keyArn }],
                    forceDelete: !protect,
                    tags: this.childTags("repo"),
                },
                this.childOpts(stateful),
            ),
        );
        new aws.ecr.LifecyclePolicy(
            ...applyTransform(
                t.lifecyclePolicy,
                this.childName("lifecycle"),
                { repository: repo.name, policy: JSON.stringify(lifecyclePolicy(keepImages)) },
                this.childOpts(),
            ),
        );
        this.repositoryUrl = repo.repositoryUrl;
        this.repositoryArn = repo.arn;
        this.kmsKeyArn = pulumi.output(keyArn);
        this.registerOutputs({ repositoryUrl: this.repositoryUrl, repositoryArn: this.repositoryArn, kmsKeyArn: this.kmsKeyArn });
    }

    /** Lets `identity` (the CI role) push images to this repository only, plus the unscopable login call. */
    public grantPush(identity: Grantable): void {
        identity.addStatements(`${this.baseName}-push`, [
            { sid: "EcrLogin", actions: ["ecr:GetAuthorizationToken"], resources: ["*"] },
            {
                sid: "EcrPush",
                actions: ["ecr:BatchCheckLayerAvailability", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload", "ecr:PutImage", "ecr:BatchGetImage"],
                resources: [this.repositoryArn],
            },
            { sid: "EcrKey", actions: ["kms:GenerateDataKey", "kms:Decrypt"], resources: [this.kmsKeyArn] },
        ]);
    }
}

/** The repository's lifecycle rules: untagged images after a day, tagged ones beyond the newest `keep`. Pure. */
export function lifecyclePolicy(keep: number): { rules: object[] } {
    return {
        rules: [
            { rulePriority: 1, description: "untagged images after 1 day", selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 1 }, action: { type: "expire" } },
            { rulePriority: 2, description: `keep the newest ${keep} images`, selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep }, action: { type: "expire" } },
        ],
    };
}
