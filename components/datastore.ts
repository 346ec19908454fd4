import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, GroundworkComponent, Transform } from "./base";
import { KmsKey, KmsKeyTransforms } from "./secrets/kmsKey";

/** The keys a data store encrypts with: its storage key and the key of its log groups. */
export interface DataStoreKeys {
    /** Key of the stored data (given, or the store's own). */
    readonly kmsKeyArn: pulumi.Output<string>;
    /** Key of the log groups (given, else the store's own key when it created one, else none). */
    readonly logKmsKeyArn?: pulumi.Input<string>;
}

/**
 * Base of the stateful stores in the isolated subnets (Database, Cache): the same key handling and the same
 * "admit only these security groups on one port" security group, written once.
 */
export abstract class DataStoreComponent extends GroundworkComponent {
    /** Uses the given key, or creates a rotating KmsKey of its own that CloudWatch Logs may also use. */
    protected storeKeys(
        what: string,
        given: { kmsKeyArn?: pulumi.Input<string>; logKmsKeyArn?: pulumi.Input<string> },
        protect: boolean,
        tags?: Record<string, string>,
        transform?: KmsKeyTransforms,
    ): DataStoreKeys {
        const ownKey =
            given.kmsKeyArn === undefined
                ? new KmsKey(this.childName("key"), { description: `Groundwork ${this.baseName} ${what} key`, allowCloudWatchLogs: true, protect, tags, transform }, { parent: this })
                : undefined;
        return {
            kmsKeyArn: ownKey ? ownKey.keyArn : pulumi.output(given.kmsKeyArn as pulumi.Input<string>),
            logKmsKeyArn: given.logKmsKeyArn ?? ownKey?.keyArn,
        };
    }

    /** A security group admitting TCP `port` only from `sources` (no CIDR rule), one described rule per source. */
    protected admittingSecurityGroup(
        vpcId: pulumi.Input<string>,
        port: number,
        sources: pulumi.Input<string>[],
        label: string,
        transform?: Transform<aws.ec2.SecurityGroupArgs>,
    ): aws.ec2.SecurityGroup {
        const sg = new aws.ec2.SecurityGroup(
            ...applyTransform(
                transform,
                this.childName("sg"),
                { vpcId, description: `${label} ${this.baseName}: ${port} from the allowed security groups only`, tags: this.childTags("sg") },
                this.childOpts(),
            ),
        );
        sources.forEach((source, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                this.childName(`ingress-${i}`),
                {
                    securityGroupId: sg.id,
                    referencedSecurityGroupId: source,
                    ipProtocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    description: `${label} from allowed security group ${i}`,
                    tags: this.childTags(`ingress-${i}`),
                },
                this.childOpts(),
            );
        });
        return sg;
    }
}
