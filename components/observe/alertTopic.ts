import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArgumentError, BaseArgs, GroundworkComponent } from "../base";
import { awsContext } from "../secrets/context";
import { KmsKey, KmsKeyContext, KmsKeyPolicyDocument } from "../secrets/kmsKey";
import type { AlarmTarget } from "./alarms";

/** Protocols an alert subscription may use: email for people, HTTPS for chat and paging webhooks. */
export const ALERT_PROTOCOLS = ["email", "https"] as const;

/** A protocol of {@link ALERT_PROTOCOLS}. */
export type AlertProtocol = (typeof ALERT_PROTOCOLS)[number];

/** One subscriber of the alert topic. */
export interface AlertSubscription {
    /** `email` or `https` (plain `http` is refused: alerts name the platform's resources). */
    readonly protocol: AlertProtocol;
    /** The mail address (`email`) or the `https://` URL (`https`). */
    readonly endpoint: string;
}

/** The service principal of CloudWatch alarms. */
export const CLOUDWATCH_ALARMS_PRINCIPAL = "cloudwatch.amazonaws.com";

/** Actions CloudWatch alarms need on the topic's key to publish to an encrypted topic. */
export const ALARM_KEY_ACTIONS: readonly string[] = ["kms:Decrypt", "kms:GenerateDataKey"];

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The problem with one subscription, with its fix; undefined when it is valid. Pure: the stack model
 * (`groundwork:alertSubscriptions`) and {@link AlertTopic} give the same answer.
 */
export function alertSubscriptionProblem(s: { protocol?: unknown; endpoint?: unknown }): { problem: string; fix: string } | undefined {
    if (!ALERT_PROTOCOLS.includes(s.protocol as AlertProtocol)) {
        return { problem: `protocol '${String(s.protocol)}' is not one of ${ALERT_PROTOCOLS.join(", ")}`, fix: "use email (a mail address) or https (a webhook URL)" };
    }
    const endpoint = typeof s.endpoint === "string" ? s.endpoint : "";
    if (s.protocol === "email" && !EMAIL.test(endpoint)) {
        return { problem: `endpoint '${endpoint}' is not a mail address`, fix: "give an address such as ops@example.com" };
    }
    if (s.protocol === "https") {
        let url: URL | undefined;
        try {
            url = new URL(endpoint);
        } catch {
            url = undefined;
        }
        if (url?.protocol !== "https:" || url.hostname === "") {
            return { problem: `endpoint '${endpoint}' is not an https:// URL`, fix: "give the webhook's https:// URL (plain http is refused)" };
        }
    }
    return undefined;
}

/**
 * Key policy of an alert topic's key: the account root administers it, and CloudWatch alarms of this account and
 * region (`aws:SourceAccount`, `aws:SourceArn` of an alarm) may use it to publish to the encrypted topic. SNS itself
 * needs no statement: it uses the key on the publisher's behalf. Pure.
 */
export function alertKeyPolicy(ctx: KmsKeyContext): KmsKeyPolicyDocument {
    return {
        Version: "2012-10-17",
        Statement: [
            { Sid: "AccountRootAdministersKey", Effect: "Allow", Principal: { AWS: `arn:${ctx.partition}:iam::${ctx.accountId}:root` }, Action: "kms:*", Resource: "*" },
            {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: CLOUDWATCH_ALARMS_PRINCIPAL },
                Action: [...ALARM_KEY_ACTIONS],
                Resource: "*",
                Condition: {
                    StringEquals: { "aws:SourceAccount": ctx.accountId },
                    ArnLike: { "aws:SourceArn": `arn:${ctx.partition}:cloudwatch:${ctx.region}:${ctx.accountId}:alarm:*` },
                },
            },
        ],
    };
}

/**
 * Topic policy of an alert topic: every request not made over TLS is denied, and CloudWatch alarms of this account
 * (`aws:SourceAccount`) may publish. Pure.
 */
export function alertTopicPolicy(topicArn: string, accountId: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "DenyInsecureTransport",
                Effect: "Deny",
                Principal: "*",
                Action: ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes", "sns:SetTopicAttributes"],
                Resource: topicArn,
                Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
            {
                Sid: "CloudWatchAlarmsPublish",
                Effect: "Allow",
                Principal: { Service: CLOUDWATCH_ALARMS_PRINCIPAL },
                Action: "sns:Publish",
                Resource: topicArn,
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/** Arguments of the {@link AlertTopic} component. */
export interface AlertTopicArgs extends BaseArgs {
    /**
     * Who is told: email addresses and https webhooks. Email subscribers must confirm the mail SNS sends them.
     * @default [] (alarms still change state and show on the dashboard, but nobody is told)
     */
    readonly subscriptions?: readonly AlertSubscription[];
    /**
     * Regions besides the stack's that hold alarms (CloudFront and its WAF publish metrics in us-east-1 only, and an
     * alarm can only notify a topic in its own region): each gets a topic, key and subscriptions of its own.
     * @default []
     */
    readonly additionalRegions?: readonly string[];
    /**
     * Protect the topics' keys from `pulumi destroy` and retain them on delete. Infra passes the tier's value.
     * @default true
     */
    readonly protect?: boolean;
}

/** The children of one region's topic. */
interface RegionalTopic {
    readonly topic: aws.sns.Topic;
    readonly key: KmsKey;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * Where the platform's alarms go: an SNS topic encrypted with its own KMS key (CloudWatch alarms of this account may
 * use it), a topic policy that denies non-TLS requests and lets only this account's CloudWatch alarms publish, and
 * the given email and https subscriptions. One such topic per region that holds alarms. Type token
 * `groundwork:observe:AlertTopic`.
 *
 * Costs nothing at rest: SNS charges per notification (email: first 1,000 a month free), the key $1/month per region.
 */
export class AlertTopic extends GroundworkComponent implements AlarmTarget {
    /** ARN of the topic in the stack's region. */
    public readonly topicArn: pulumi.Output<string>;
    /** ARNs of every region's topic, keyed by region name (`""` for the stack's region). */
    public readonly topicArns: pulumi.Output<Record<string, string>>;
    /** ARN of the KMS key of the stack region's topic. */
    public readonly kmsKeyArn: pulumi.Output<string>;
    private readonly byRegion: Map<string, RegionalTopic>;
    private readonly homeRegion: string | undefined;

    constructor(name: string, args: AlertTopicArgs = {}, opts?: pulumi.ComponentResourceOptions) {
        const who = `AlertTopic '${name}'`;
        const subscriptions = args.subscriptions ?? [];
        subscriptions.forEach((s, i) => {
            const p = alertSubscriptionProblem(s);
            if (p) throw new ArgumentError(who, `subscriptions[${i}]`, p.problem, p.fix);
        });
        const extra = [...new Set(args.additionalRegions ?? [])];
        for (const r of extra) {
            if (!REGION.test(r)) throw new ArgumentError(who, "additionalRegions", `'${r}' is not a region name`, "give region names such as us-east-1");
        }
        super("observe", "AlertTopic", name, args, opts);
        const protect = args.protect ?? true;
        // The stack's region when the provider config names it (it does for every Groundwork stack): an additional
        // region equal to it needs no second topic.
        this.homeRegion = aws.config.region;
        const ctx = awsContext(this);

        this.byRegion = new Map();
        const regions = ["", ...extra.filter((r) => r !== this.homeRegion)];
        for (const region of regions) {
            const suffix = region === "" ? "" : `-${region}`;
            const inRegion = region === "" ? {} : { region };
            const key = new KmsKey(
                this.childName(`key${suffix}`),
                {
                    description: `Groundwork ${name} alert topic${suffix ? ` (${region})` : ""}`,
                    ...(region === "" ? {} : { region }),
                    policy: alertKeyPolicy,
                    protect,
                    tags: args.tags,
                },
                { parent: this },
            );
            const topic = new aws.sns.Topic(
                this.childName(`topic${suffix}`),
                { ...inRegion, kmsMasterKeyId: key.keyArn, displayName: `${pulumi.getProject()}-${pulumi.getStack()} alerts`, tags: this.childTags(`topic${suffix}`) },
                this.childOpts(),
            );
            new aws.sns.TopicPolicy(
                this.childName(`topic-policy${suffix}`),
                { ...inRegion, arn: topic.arn, policy: pulumi.all([topic.arn, ctx.accountId]).apply(([arn, account]) => JSON.stringify(alertTopicPolicy(arn, account))) },
                this.childOpts(),
            );
            subscriptions.forEach((s, i) => {
                new aws.sns.TopicSubscription(
                    this.childName(`subscription-${i}${suffix}`),
                    { ...inRegion, topic: topic.arn, protocol: s.protocol, endpoint: s.endpoint, ...(s.protocol === "https" ? { endpointAutoConfirms: false } : {}) },
                    this.childOpts(),
                );
            });
            this.byRegion.set(region, { topic, key });
        }

        const home = this.byRegion.get("") as RegionalTopic;
        this.topicArn = home.topic.arn;
        this.kmsKeyArn = home.key.keyArn;
        this.topicArns = pulumi.all(Object.fromEntries([...this.byRegion.entries()].map(([r, t]) => [r, t.topic.arn])));
        this.registerOutputs({ topicArn: this.topicArn, topicArns: this.topicArns, kmsKeyArn: this.kmsKeyArn });
    }

    /**
     * ARN of the topic alarms in `region` notify: the stack region's topic for undefined or the stack's region, else
     * the topic of that additional region. Throws, naming the fix, for a region without a topic.
     */
    public topicArnFor(region?: string): pulumi.Output<string> {
        const key = region === undefined || region === this.homeRegion ? "" : region;
        const t = this.byRegion.get(key);
        if (!t) {
            throw new ArgumentError(`AlertTopic '${this.baseName}'`, "additionalRegions", `an alarm in ${region} has no topic to notify (alarms only notify topics of their region)`, `add '${region}' to additionalRegions`);
        }
        return t.topic.arn;
    }
}
