import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { applyTransform, statefulOptions } from "../base";
import { DataStoreComponent } from "../datastore";
import { Grantable } from "../identity/statements";
import { sidOf } from "../secrets/context";
import { Secret } from "../secrets/secret";
import { CacheArgs, resolveCacheArgs } from "./args";
import { declareAlarms, type AlarmOptions, type AlarmSpec, type AlarmTarget, type Observable } from "../observe/alarms";
import { cacheAlarmSpecs, type CacheAlarmInput } from "./alarms";

/** Redis/Valkey port: a constant, the security group admits only this port. */
export const CACHE_PORT = 6379;

/** Access string of the user that replaces `default`: disabled, no commands. */
export const DISABLED_ACCESS_STRING = "off -@all";

/** Special characters ElastiCache accepts in an AUTH token. */
export const AUTH_TOKEN_SPECIAL_CHARACTERS = "!&#$^<>-";

/** Why an AUTH token secret has no Secrets Manager rotation (becomes its exemption reason). */
export const AUTH_TOKEN_NO_ROTATION_REASON =
    "ElastiCache AUTH tokens rotate through ModifyReplicationGroup with the ROTATE strategy - no Secrets Manager rotation function exists for them";

/** Log types delivered to CloudWatch Logs. */
export const CACHE_LOG_TYPES: readonly string[] = ["slow-log", "engine-log"];

/** The engine's default parameter group with cluster-enabled yes, e.g. `default.valkey8.cluster.on`. Pure. */
export function clusterParameterGroup(engine: string, engineVersion: string): string {
    return `default.${engine}${engineVersion.split(".")[0]}.cluster.on`;
}

/**
 * ElastiCache (Valkey or Redis) replication group in isolated subnets: own subnet group and security group (6379 from
 * the given security groups only), encrypted at rest with a KMS key and in transit (required), authenticated with RBAC
 * (IAM user for the app, `default` disabled) or a generated AUTH token in a Secret, failover and Multi-AZ with one
 * replica per extra AZ, snapshots, slow and engine logs in CloudWatch. Type token `groundwork:cache:Cache`.
 */
export class Cache extends DataStoreComponent implements Observable {
    /** Primary endpoint address (writes). */
    public readonly primaryEndpoint: pulumi.Output<string>;
    /** True in cluster mode (`shards` > 0): `primaryEndpoint` is the configuration endpoint and clients use the cluster protocol. */
    public readonly clusterMode: boolean;
    /** Reader endpoint address (reads across replicas). */
    public readonly readerEndpoint: pulumi.Output<string>;
    /** Port, always 6379. */
    public readonly port: pulumi.Output<number>;
    /** Id of the cache's security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** ARN of the replication group. */
    public readonly replicationGroupArn: pulumi.Output<string>;
    /** Replication group id. */
    public readonly replicationGroupId: pulumi.Output<string>;
    /** ARN of the KMS key that encrypts data at rest. */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** IAM auth: id of the app user (equal to its name). Undefined with `authToken`. */
    public readonly userId: pulumi.Output<string> | undefined;
    /** IAM auth: name of the app user, the user name clients sign IAM tokens for. Undefined with `authToken`. */
    public readonly userName: pulumi.Output<string> | undefined;
    /** IAM auth: ARN of the app user. Undefined with `authToken`. */
    public readonly userArn: pulumi.Output<string> | undefined;
    /** `authToken` auth: ARN of the Secret holding the AUTH token. Undefined with IAM auth. */
    public readonly authTokenSecretArn: pulumi.Output<string> | undefined;
    private readonly authTokenSecret: Secret | undefined;
    private readonly alarmInput: CacheAlarmInput;

    constructor(name: string, args: CacheArgs, opts?: pulumi.ComponentResourceOptions) {
        super("cache", "Cache", name, args, opts);
        const r = resolveCacheArgs(name, args);

        const stateful = statefulOptions(r.protect);
        const t = args.transform ?? {};
        const { kmsKeyArn, logKmsKeyArn } = this.storeKeys("cache", args, r.protect, args.tags, t.key);

        const subnetGroup = new aws.elasticache.SubnetGroup(
            ...applyTransform(
                t.subnetGroup,
                this.childName("subnets"),
                { description: `Isolated subnets of ${name}`, subnetIds: args.subnetIds, tags: this.childTags("subnets") },
                this.childOpts(),
            ),
        );
        const sg = this.admittingSecurityGroup(args.vpcId, CACHE_PORT, args.allowedSecurityGroupIds, r.engine, t.securityGroup);
        // Log groups are stateful: they outlive a replaced instance, as its audit trail.
        const logGroups = CACHE_LOG_TYPES.map(
            (logType) =>
                new aws.cloudwatch.LogGroup(
                    ...applyTransform(
                        t.logGroup,
                        this.childName(logType),
                        { name: `/aws/elasticache/${r.replicationGroupId}/${logType}`, retentionInDays: r.logRetentionDays, kmsKeyId: logKmsKeyArn, tags: this.childTags(logType) },
                        this.childOpts(stateful),
                    ),
                ),
        );

        let userGroupIds: pulumi.Input<string>[] | undefined;
        let authToken: pulumi.Output<string> | undefined;
        if (r.auth === "iam") {
            const appUser = new aws.elasticache.User(
                ...applyTransform(
                    t.user,
                    this.childName("app-user"),
                    {
                        userId: r.appUserId,
                        userName: r.appUserId,
                        engine: r.engine,
                        accessString: r.accessString,
                        authenticationMode: { type: "iam" },
                        tags: this.childTags("app-user"),
                    },
                    this.childOpts(),
                ),
            );
            const defaultPassword = new random.RandomPassword(
                this.childName("default-user-password"),
                { length: 64, special: false },
                this.childOpts({ additionalSecretOutputs: ["result", "bcryptHash"] }),
            );
            const defaultUser = new aws.elasticache.User(
                ...applyTransform(
                    t.user,
                    this.childName("default-user"),
                    {
                        userId: r.defaultUserId,
                        userName: "default",
                        engine: r.engine,
                        accessString: DISABLED_ACCESS_STRING,
                        authenticationMode: { type: "password", passwords: [pulumi.secret(defaultPassword.result)] },
                        tags: this.childTags("default-user"),
                    },
                    this.childOpts(),
                ),
            );
            const userGroup = new aws.elasticache.UserGroup(
                ...applyTransform(
                    t.userGroup,
                    this.childName("users"),
                    { userGroupId: r.userGroupId, engine: r.engine, userIds: [defaultUser.userId, appUser.userId], tags: this.childTags("users") },
                    this.childOpts(),
                ),
            );
            userGroupIds = [userGroup.userGroupId];
            this.userId = appUser.userId;
            this.userName = appUser.userName;
            this.userArn = appUser.arn;
        } else {
            this.authTokenSecret = new Secret(
                this.childName("auth-token"),
                {
                    kmsKeyArn,
                    description: `AUTH token of the ${name} cache`,
                    length: 64,
                    specialCharacters: AUTH_TOKEN_SPECIAL_CHARACTERS,
                    noRotationReason: AUTH_TOKEN_NO_ROTATION_REASON,
                    tags: args.tags,
                    transform: t.authToken,
                },
                { parent: this },
            );
            authToken = this.authTokenSecret.value;
            this.authTokenSecretArn = this.authTokenSecret.arn;
        }

        const group = new aws.elasticache.ReplicationGroup(
            ...applyTransform(
                t.replicationGroup,
                this.childName("group"),
                {
                    replicationGroupId: r.replicationGroupId,
                    description: `Groundwork ${name} cache (${r.engine})`,
                    engine: r.engine,
                    engineVersion: r.engineVersion,
                    nodeType: r.nodeType,
                    port: CACHE_PORT,
                    // Cluster mode: shards of a primary and its replicas, on the engine's cluster-enabled default parameters.
                    ...(r.shards > 0
                        ? {
                              clusterMode: "enabled",
                              numNodeGroups: r.shards,
                              replicasPerNodeGroup: r.replicasPerShard,
                              parameterGroupName: clusterParameterGroup(r.engine, r.engineVersion),
                              automaticFailoverEnabled: r.replicasPerShard > 0,
                              multiAzEnabled: r.highAvailability && r.replicasPerShard > 0,
                          }
                        : { clusterMode: "disabled", numCacheClusters: r.numCacheClusters, automaticFailoverEnabled: r.highAvailability, multiAzEnabled: r.highAvailability }),
                    subnetGroupName: subnetGroup.name,
                    securityGroupIds: [sg.id],
                    atRestEncryptionEnabled: true,
                    kmsKeyId: kmsKeyArn,
                    transitEncryptionEnabled: true,
                    transitEncryptionMode: "required",
                    userGroupIds,
                    authToken,
                    authTokenUpdateStrategy: authToken !== undefined ? "ROTATE" : undefined,
                    snapshotRetentionLimit: r.snapshotRetentionDays,
                    autoMinorVersionUpgrade: true,
                    logDeliveryConfigurations: logGroups.map((lg, i) => ({
                        destination: lg.name,
                        destinationType: "cloudwatch-logs",
                        logFormat: "json",
                        logType: CACHE_LOG_TYPES[i],
                    })),
                    tags: this.childTags("group"),
                },
                this.childOpts({ ...stateful, additionalSecretOutputs: ["authToken"] }),
            ),
        );

        // In cluster mode clients discover the shards from the configuration endpoint; there is no primary endpoint.
        this.clusterMode = r.shards > 0;
        this.primaryEndpoint = this.clusterMode ? group.configurationEndpointAddress : group.primaryEndpointAddress;
        this.readerEndpoint = this.clusterMode ? group.configurationEndpointAddress : group.readerEndpointAddress;
        this.port = pulumi.output(CACHE_PORT);
        this.securityGroupId = sg.id;
        this.replicationGroupArn = group.arn;
        this.replicationGroupId = group.replicationGroupId;
        this.kmsKeyArn = kmsKeyArn;
        this.alarmInput = { replicationGroupId: r.replicationGroupId, numCacheClusters: r.numCacheClusters, nodeType: r.nodeType, shards: r.shards, replicasPerShard: r.replicasPerShard };
        this.registerOutputs({
            primaryEndpoint: this.primaryEndpoint,
            readerEndpoint: this.readerEndpoint,
            port: this.port,
            securityGroupId: this.securityGroupId,
            replicationGroupArn: this.replicationGroupArn,
            userId: this.userId,
            userName: this.userName,
            authTokenSecretArn: this.authTokenSecretArn,
        });
    }

    /**
     * The alarms this cache derives from its configuration ({@link cacheAlarmSpecs}), per node: engine CPU, memory,
     * evictions, connections against maxclients, and replication lag when the group has replicas. Pure data;
     * {@link alarms} declares them.
     */
    public alarmSpecs(): AlarmSpec[] {
        return cacheAlarmSpecs(this.alarmInput);
    }

    /** Declares the {@link alarmSpecs} as `aws.cloudwatch.MetricAlarm` children notifying `target` on ALARM and OK. */
    public alarms(target: AlarmTarget, opts?: AlarmOptions): aws.cloudwatch.MetricAlarm[] {
        return declareAlarms(this.childScope(), this.alarmSpecs(), target, opts);
    }

    /**
     * Lets `identity` connect. IAM auth: `elasticache:Connect` on the replication group's ARN and the app user's ARN
     * only. `authToken` auth: read access to the token's Secret (see `Secret.grantRead`).
     */
    public grantConnect(identity: Grantable): void {
        if (this.authTokenSecret !== undefined) {
            this.authTokenSecret.grantRead(identity);
            return;
        }
        identity.addStatements(`${this.baseName}-connect`, [
            { sid: sidOf(this.baseName, "connect"), actions: ["elasticache:Connect"], resources: [this.replicationGroupArn, this.userArn as pulumi.Output<string>] },
        ]);
    }
}
