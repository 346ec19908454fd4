import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { ArgumentError, BaseArgs, LOG_RETENTION_DAYS, Transform } from "../base";
import type { KmsKeyTransforms } from "../secrets/kmsKey";
import type { SecretTransforms } from "../secrets/secret";
import { stableName } from "../secrets/context";

/** Cache engines the Cache supports. */
export type CacheEngine = "valkey" | "redis";

/**
 * How clients authenticate: `iam` (RBAC: an IAM-authenticated user for the app, the default user disabled) or
 * `authToken` (a generated AUTH token kept in a {@link Secret}).
 */
export type CacheAuth = "iam" | "authToken";

/** Default engine version per engine. */
export const DEFAULT_CACHE_ENGINE_VERSION: Readonly<Record<CacheEngine, string>> = { valkey: "8.1", redis: "7.1" };

/** Most nodes a replication group without cluster mode holds (primary + 5 replicas). */
export const MAX_CACHE_NODES = 6;

/** Arguments of the {@link Cache} component. */
export interface CacheArgs extends BaseArgs {
    /** VPC of the cache's security group. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets, one per AZ the nodes may use; with `highAvailability`, one node per subnet (at least two). */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security groups whose members may connect on 6379 (the only ingress; no CIDR ingress exists). At least one. */
    readonly allowedSecurityGroupIds: pulumi.Input<string>[];
    /**
     * ARN of the KMS key that encrypts data at rest (and the AUTH token secret).
     * @default - the Cache creates its own {@link KmsKey}
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Engine.
     * @default "valkey"
     */
    readonly engine?: CacheEngine;
    /**
     * Engine version, major 7 or later (IAM authentication needs Valkey 7.2+ or Redis 7+).
     * @default "8.1" for valkey, "7.1" for redis
     */
    readonly engineVersion?: string;
    /**
     * Node type.
     * @default "cache.t4g.small"
     */
    readonly nodeType?: string;
    /**
     * Automatic failover and Multi-AZ, with one node per subnet (a primary plus one replica per extra AZ).
     * Off: one node, no failover.
     * @default true
     */
    readonly highAvailability?: boolean;
    /**
     * Cluster mode: the keyspace split over this many shards (node groups), each a primary with `replicasPerShard`
     * replicas, 1 to 500. 0 keeps one shard without cluster mode (`highAvailability` decides its replicas). Clients must
     * speak the cluster protocol (the app: REDIS_CLUSTER=true) and keep multi-key commands within one hash slot.
     * @default 0
     */
    readonly shards?: number;
    /**
     * With `shards`: replicas per shard, 0 to 5; at least 1 with `highAvailability` (failover needs one).
     * @default 1 with highAvailability, else 0
     */
    readonly replicasPerShard?: number;
    /**
     * Days of automatic snapshots, 0 (off) to 35.
     * @default 7
     */
    readonly snapshotRetentionDays?: number;
    /**
     * How clients authenticate.
     * @default "iam"
     */
    readonly auth?: CacheAuth;
    /**
     * Access string of the app user (IAM auth).
     * @default "on ~* +@all -@dangerous"
     */
    readonly accessString?: string;
    /**
     * ARN of the KMS key that encrypts the log groups; its policy must let `logs.<region>.amazonaws.com` use it.
     * @default - the component's own key when it creates one (its policy allows CloudWatch Logs); none when `kmsKeyArn` is given
     */
    readonly logKmsKeyArn?: pulumi.Input<string>;
    /**
     * Retention of the slow-log and engine-log groups, in days (a value CloudWatch accepts).
     * @default 30
     */
    readonly logRetentionDays?: number;
    /**
     * Replication group id, also the prefix of the user, user group and log group names: lower-case letters, digits
     * and single `-`, at most 31 (user ids append `-default`), starting with a letter.
     * @default "<project>-<stack>-<name>" (cut to 31 characters)
     */
    readonly replicationGroupId?: string;
    /**
     * Protect the replication group (and its own key) from `pulumi destroy` and retain them on delete.
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: CacheTransforms;
}

/** Per-child {@link Transform}s of a {@link Cache}. */
export interface CacheTransforms {
    /** The replication group. */
    readonly replicationGroup?: Transform<aws.elasticache.ReplicationGroupArgs>;
    /** The subnet group. */
    readonly subnetGroup?: Transform<aws.elasticache.SubnetGroupArgs>;
    /** The security group. */
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** Both log groups, slow and engine log (`name` tells them apart). */
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** Both users under IAM auth, the app user and the disabled default user (`name` tells them apart). */
    readonly user?: Transform<aws.elasticache.UserArgs>;
    /** The user group under IAM auth. */
    readonly userGroup?: Transform<aws.elasticache.UserGroupArgs>;
    /** The {@link KmsKey} the component creates without `kmsKeyArn`: its own per-child transforms. */
    readonly key?: KmsKeyTransforms;
    /** The AUTH token {@link Secret} under `authToken` auth: its own per-child transforms. */
    readonly authToken?: SecretTransforms;
}

/** {@link CacheArgs} with every default applied and validated. */
export interface ResolvedCacheArgs {
    /** Engine. */
    engine: CacheEngine;
    /** Engine version. */
    engineVersion: string;
    /** Node type. */
    nodeType: string;
    /** Failover + Multi-AZ. */
    highAvailability: boolean;
    /** Nodes: one per subnet with HA, else one. */
    numCacheClusters: number;
    /** Shards in cluster mode; 0 without cluster mode. */
    shards: number;
    /** Replicas per shard in cluster mode. */
    replicasPerShard: number;
    /** Snapshot retention. */
    snapshotRetentionDays: number;
    /** Auth mode. */
    auth: CacheAuth;
    /** App user's access string. */
    accessString: string;
    /** Log retention. */
    logRetentionDays: number;
    /** Replication group id. */
    replicationGroupId: string;
    /** App user id and name (identical, as IAM auth requires). */
    appUserId: string;
    /** Id of the user that replaces `default`. */
    defaultUserId: string;
    /** User group id. */
    userGroupId: string;
    /** Protect stateful children. */
    protect: boolean;
}

const ID = /^[a-z](?!.*--)[a-z0-9-]{0,30}$/;

/** Applies the defaults of {@link CacheArgs} and validates them; throws an {@link ArgumentError} naming the field. */
export function resolveCacheArgs(name: string, args: CacheArgs): ResolvedCacheArgs {
    const who = `Cache '${name}'`;
    const fail = (field: string, problem: string, fix: string): never => {
        throw new ArgumentError(who, field, problem, fix);
    };
    const engine = args.engine ?? "valkey";
    if (engine !== "valkey" && engine !== "redis") fail("engine", `'${String(engine)}' is not supported`, "use 'valkey' or 'redis'");
    const highAvailability = args.highAvailability ?? true;
    const replicationGroupId = args.replicationGroupId ?? stableName([pulumi.getProject(), pulumi.getStack(), name], 31);
    const r: ResolvedCacheArgs = {
        engine,
        engineVersion: args.engineVersion ?? DEFAULT_CACHE_ENGINE_VERSION[engine],
        nodeType: args.nodeType ?? "cache.t4g.small",
        highAvailability,
        numCacheClusters: highAvailability ? Math.min(args.subnetIds.length, MAX_CACHE_NODES) : 1,
        shards: args.shards ?? 0,
        replicasPerShard: args.replicasPerShard ?? (highAvailability ? 1 : 0),
        snapshotRetentionDays: args.snapshotRetentionDays ?? 7,
        auth: args.auth ?? "iam",
        accessString: args.accessString ?? "on ~* +@all -@dangerous",
        logRetentionDays: args.logRetentionDays ?? 30,
        replicationGroupId,
        appUserId: stableName([replicationGroupId, "app"], 40),
        defaultUserId: stableName([replicationGroupId, "default"], 40),
        userGroupId: stableName([replicationGroupId, "users"], 40),
        protect: args.protect ?? true,
    };
    if (args.subnetIds.length === 0) fail("subnetIds", "no subnets given", "pass the isolated subnets of the AZs the cache may use");
    if (r.highAvailability && args.subnetIds.length < 2) {
        fail("subnetIds", `highAvailability needs at least two subnets in different AZs, ${args.subnetIds.length} given`, "pass isolated subnets of two or more AZs, or set highAvailability false");
    }
    if (args.allowedSecurityGroupIds.length === 0) {
        fail("allowedSecurityGroupIds", "no security group may connect", "pass the security group ids of the clients (the app's security group)");
    }
    const version = /^(\d+)\.(\d+)$/.exec(r.engineVersion);
    if (!version || Number(version[1]) < 7 || (r.engine === "valkey" && Number(version[1]) === 7 && Number(version[2]) < 2)) {
        fail("engineVersion", `'${r.engineVersion}' is not a supported ${r.engine} version`, `use major.minor, Valkey 7.2+ or Redis 7.0+ (default ${DEFAULT_CACHE_ENGINE_VERSION[r.engine]})`);
    }
    if (!/^cache\.[a-z0-9]+\.[a-z0-9]+$/.test(r.nodeType)) fail("nodeType", `'${r.nodeType}' is not a node type`, "use a node type such as cache.t4g.small or cache.r7g.large");
    if (!Number.isInteger(r.shards) || r.shards < 0 || r.shards > 500) fail("shards", `${r.shards} is outside 0..500`, "pass 0 (no cluster mode) or the number of shards, such as 3");
    if (r.shards > 0 && (!Number.isInteger(r.replicasPerShard) || r.replicasPerShard < 0 || r.replicasPerShard > 5)) {
        fail("replicasPerShard", `${r.replicasPerShard} is outside 0..5`, "pass 0 to 5 replicas per shard");
    }
    if (r.shards > 0 && r.highAvailability && r.replicasPerShard < 1) {
        fail("replicasPerShard", "highAvailability needs a replica in every shard to fail over to", "pass replicasPerShard 1 or more, or set highAvailability false");
    }
    if (!Number.isInteger(r.snapshotRetentionDays) || r.snapshotRetentionDays < 0 || r.snapshotRetentionDays > 35) {
        fail("snapshotRetentionDays", `${r.snapshotRetentionDays} is outside 0..35`, "pass 0 (off) to 35 days");
    }
    if (r.auth !== "iam" && r.auth !== "authToken") fail("auth", `'${String(r.auth)}' is not an auth mode`, "use 'iam' (RBAC with IAM authentication) or 'authToken'");
    if (!/^on\b/.test(r.accessString)) fail("accessString", `'${r.accessString}' does not enable the user`, "start the access string with 'on', for example 'on ~* +@all -@dangerous'");
    if (!LOG_RETENTION_DAYS.includes(r.logRetentionDays)) {
        fail("logRetentionDays", `${r.logRetentionDays} is not a retention CloudWatch accepts`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    if (!ID.test(r.replicationGroupId) || r.replicationGroupId.endsWith("-")) {
        fail("replicationGroupId", `'${r.replicationGroupId}' is not a valid replication group id`, "use 1 to 31 lower-case letters, digits and single hyphens, starting with a letter (user ids append up to 9 characters)");
    }
    return r;
}
