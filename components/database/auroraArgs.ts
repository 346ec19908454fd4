import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { ArgumentError, BaseArgs, LOG_RETENTION_DAYS, Transform } from "../base";
import type { KmsKeyTransforms } from "../secrets/kmsKey";
import { stableName } from "../secrets/context";
import { MIN_POSTGRES_MAJOR, MONITORING_INTERVALS, RESERVED_USERNAMES } from "./args";
import { instanceClassMemoryGib } from "./maxConnections";

/** Instance families Aurora PostgreSQL runs on (burstable only in medium and large), among the classes Groundwork knows. */
const AURORA_CLASS = /^db\.((t3|t4g)\.(medium|large)|(r5|r6g|r6i|r7g|r7i|r8g|x2g)\.[0-9a-z]+)$/;

/** True when Aurora PostgreSQL offers `instanceClass` and its memory (hence `max_connections`) is known. Pure. */
export function isAuroraPostgresClass(instanceClass: string): boolean {
    return AURORA_CLASS.test(instanceClass) && instanceClassMemoryGib(instanceClass) !== undefined;
}

/** Most Aurora Replicas a cluster holds. */
export const MAX_AURORA_READERS = 15;

/** Arguments of the {@link AuroraDatabase} component. */
export interface AuroraDatabaseArgs extends BaseArgs {
    /** VPC of the cluster's and the proxy's security groups. */
    readonly vpcId: pulumi.Input<string>;
    /** IPv4 block of the VPC: the proxy reaches Secrets Manager through the VPC's interface endpoints on 443. */
    readonly vpcCidrBlock: pulumi.Input<string>;
    /** Isolated subnets, at least two in different AZs, for the cluster's subnet group and the proxy. */
    readonly subnetIds: pulumi.Input<string>[];
    /**
     * AZ names the instances are spread over, writer first (instance i in `availabilityZones[i % n]`), at least two.
     * Plain strings so the plan shows where each instance runs.
     */
    readonly availabilityZones: string[];
    /** Security groups whose members may connect to the proxy on 5432 (the cluster admits only the proxy and these). At least one. */
    readonly allowedSecurityGroupIds: pulumi.Input<string>[];
    /**
     * ARN of the KMS key that encrypts storage, the RDS-managed master secret and Performance Insights.
     * @default - the component creates its own {@link KmsKey}
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Class of the writer and the readers; an Aurora PostgreSQL class whose memory sets `max_connections`.
     * @default "db.r7g.large"
     */
    readonly instanceClass?: string;
    /**
     * Aurora PostgreSQL version `major.minor`, major >= 16; the cluster parameter group family follows the major.
     * @default "17.4"
     */
    readonly engineVersion?: string;
    /**
     * Name of the database created in the cluster.
     * @default "app"
     */
    readonly dbName?: string;
    /**
     * Admin user name, not a default such as `postgres`; its password is generated and kept in Secrets Manager by RDS.
     * @default "groundwork_admin"
     */
    readonly username?: string;
    /**
     * Days of automated backups, 7 to 35.
     * @default 7
     */
    readonly backupRetentionDays?: number;
    /**
     * Refuse `DeleteDBCluster` until turned off.
     * @default true
     */
    readonly deletionProtection?: boolean;
    /**
     * Performance Insights on every instance, encrypted with the cluster's key (7 days, the free tier).
     * @default true
     */
    readonly performanceInsights?: boolean;
    /**
     * Enhanced-monitoring interval in seconds (0, 1, 5, 10, 15, 30, 60); 0 turns it off.
     * @default 60
     */
    readonly monitoringIntervalSeconds?: number;
    /**
     * Readers declared with the cluster, and the fewest the reader auto scaling keeps; at least 1.
     * @default 2
     */
    readonly readerMinCount?: number;
    /**
     * Most readers the reader auto scaling adds, at most 15.
     * @default 5
     */
    readonly readerMaxCount?: number;
    /**
     * Average reader CPU (%) the reader auto scaling tracks (`RDSReaderAverageCPUUtilization`), 10 to 90.
     * @default 60
     */
    readonly readerTargetCpuPercent?: number;
    /**
     * Share of the writer's `max_connections` the RDS Proxy may open (its target group's `maxConnectionsPercent`), 10 to
     * 100: the app's pools are budgeted against it.
     * @default 75
     */
    readonly proxyMaxConnectionsPercent?: number;
    /**
     * Seconds a client waits for the proxy to lend it a database connection before the proxy fails the request, 1 to 3600.
     * @default 120
     */
    readonly proxyBorrowTimeoutSeconds?: number;
    /**
     * ARN of the KMS key that encrypts the log group; its policy must let `logs.<region>.amazonaws.com` use it.
     * @default - the component's own key when it creates one; none when `kmsKeyArn` is given
     */
    readonly logKmsKeyArn?: pulumi.Input<string>;
    /**
     * Retention of the exported PostgreSQL log group, in days (a value CloudWatch accepts).
     * @default 30
     */
    readonly logRetentionDays?: number;
    /**
     * Cluster identifier (also the prefix of the instances' and the proxy's names): lower-case letters, digits and
     * single `-`, at most 50, starting with a letter. Fixed because the log group's name contains it.
     * @default "<project>-<stack>-<name>" (cut to 50 characters)
     */
    readonly clusterIdentifier?: string;
    /**
     * Protect the cluster, its instances (and its own key) from `pulumi destroy` and retain them on delete.
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Changes to the args and options of child resources just before they are declared ({@link Transform}).
     * @default - none
     */
    readonly transform?: AuroraDatabaseTransforms;
}

/** Per-child {@link Transform}s of an {@link AuroraDatabase}. */
export interface AuroraDatabaseTransforms {
    /** The cluster. */
    readonly cluster?: Transform<aws.rds.ClusterArgs>;
    /** Every cluster instance, writer and readers (`name` tells them apart). */
    readonly instance?: Transform<aws.rds.ClusterInstanceArgs>;
    /** The cluster parameter group. */
    readonly parameterGroup?: Transform<aws.rds.ClusterParameterGroupArgs>;
    /** The RDS Proxy. */
    readonly proxy?: Transform<aws.rds.ProxyArgs>;
    /** The {@link KmsKey} the component creates without `kmsKeyArn`. */
    readonly key?: KmsKeyTransforms;
}

/** {@link AuroraDatabaseArgs} with every default applied and validated. */
export interface ResolvedAuroraDatabaseArgs {
    /** Instance class. */
    instanceClass: string;
    /** Engine version. */
    engineVersion: string;
    /** Major version. */
    major: number;
    /** Database name. */
    dbName: string;
    /** Admin user. */
    username: string;
    /** Backup retention, days. */
    backupRetentionDays: number;
    /** Deletion protection. */
    deletionProtection: boolean;
    /** Performance Insights. */
    performanceInsights: boolean;
    /** Enhanced monitoring interval. */
    monitoringIntervalSeconds: number;
    /** Fewest readers. */
    readerMinCount: number;
    /** Most readers. */
    readerMaxCount: number;
    /** Reader CPU target. */
    readerTargetCpuPercent: number;
    /** Proxy's share of max_connections. */
    proxyMaxConnectionsPercent: number;
    /** Proxy borrow timeout. */
    proxyBorrowTimeoutSeconds: number;
    /** Log retention, days. */
    logRetentionDays: number;
    /** Cluster identifier. */
    clusterIdentifier: string;
    /** Protect stateful children. */
    protect: boolean;
}

const IDENT = /^[a-z](?!.*--)[a-z0-9-]{0,49}$/;
const USER = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/** Applies the defaults of {@link AuroraDatabaseArgs} and validates them, throwing an {@link ArgumentError} naming the field. */
export function resolveAuroraDatabaseArgs(name: string, args: AuroraDatabaseArgs): ResolvedAuroraDatabaseArgs {
    const who = `AuroraDatabase '${name}'`;
    const fail = (field: string, problem: string, fix: string): never => {
        throw new ArgumentError(who, field, problem, fix);
    };
    const r: ResolvedAuroraDatabaseArgs = {
        instanceClass: args.instanceClass ?? "db.r7g.large",
        engineVersion: args.engineVersion ?? "17.4",
        major: 0,
        dbName: args.dbName ?? "app",
        username: args.username ?? "groundwork_admin",
        backupRetentionDays: args.backupRetentionDays ?? 7,
        deletionProtection: args.deletionProtection ?? true,
        performanceInsights: args.performanceInsights ?? true,
        monitoringIntervalSeconds: args.monitoringIntervalSeconds ?? 60,
        readerMinCount: args.readerMinCount ?? 2,
        readerMaxCount: args.readerMaxCount ?? 5,
        readerTargetCpuPercent: args.readerTargetCpuPercent ?? 60,
        proxyMaxConnectionsPercent: args.proxyMaxConnectionsPercent ?? 75,
        proxyBorrowTimeoutSeconds: args.proxyBorrowTimeoutSeconds ?? 120,
        logRetentionDays: args.logRetentionDays ?? 30,
        clusterIdentifier: args.clusterIdentifier ?? stableName([pulumi.getProject(), pulumi.getStack(), name], 50),
        protect: args.protect ?? true,
    };
    if (args.subnetIds.length < 2) fail("subnetIds", `${args.subnetIds.length} subnet(s) given`, "pass the isolated subnets of at least two AZs");
    if (args.availabilityZones.length < 2) fail("availabilityZones", `${args.availabilityZones.length} AZ(s) given`, "pass the AZ names of the subnets (at least two), so writer and readers run in different AZs");
    if (args.allowedSecurityGroupIds.length === 0) {
        fail("allowedSecurityGroupIds", "no security group may connect", "pass the security group ids of the clients (the app's security group)");
    }
    if (!isAuroraPostgresClass(r.instanceClass)) {
        fail("instanceClass", `'${r.instanceClass}' is not an Aurora PostgreSQL class Groundwork knows`, "use db.t4g.medium, db.t4g.large or an r-family class such as db.r7g.large");
    }
    const version = /^(\d+)\.(\d+)$/.exec(r.engineVersion);
    r.major = version ? Number(version[1]) : 0;
    if (!version || r.major < MIN_POSTGRES_MAJOR) fail("engineVersion", `'${r.engineVersion}' is not a current Aurora PostgreSQL version`, `pass major.minor with major >= ${MIN_POSTGRES_MAJOR}, such as "17.4"`);
    if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(r.dbName)) fail("dbName", `'${r.dbName}' is not a valid database name`, "use letters, digits and '_', starting with a letter");
    if (!USER.test(r.username)) fail("username", `'${r.username}' is not a valid user name`, "use letters, digits and '_', starting with a letter, at most 63");
    if (RESERVED_USERNAMES.includes(r.username.toLowerCase())) fail("username", `'${r.username}' is a default admin user name`, "choose a non-default name such as 'groundwork_admin'");
    if (!Number.isInteger(r.backupRetentionDays) || r.backupRetentionDays < 7 || r.backupRetentionDays > 35) {
        fail("backupRetentionDays", `${r.backupRetentionDays} is outside 7..35`, "pass 7 to 35 days");
    }
    if (!MONITORING_INTERVALS.includes(r.monitoringIntervalSeconds)) {
        fail("monitoringIntervalSeconds", `${r.monitoringIntervalSeconds} is not an interval RDS accepts`, `use one of ${MONITORING_INTERVALS.join(", ")}`);
    }
    if (!Number.isInteger(r.readerMinCount) || r.readerMinCount < 1 || r.readerMinCount > MAX_AURORA_READERS) {
        fail("readerMinCount", `${r.readerMinCount} is outside 1..${MAX_AURORA_READERS}`, "pass at least one reader (a failover target and the read endpoint's server)");
    }
    if (!Number.isInteger(r.readerMaxCount) || r.readerMaxCount < r.readerMinCount || r.readerMaxCount > MAX_AURORA_READERS) {
        fail("readerMaxCount", `${r.readerMaxCount} is not between readerMinCount (${r.readerMinCount}) and ${MAX_AURORA_READERS}`, `pass readerMinCount to ${MAX_AURORA_READERS}`);
    }
    if (!Number.isInteger(r.readerTargetCpuPercent) || r.readerTargetCpuPercent < 10 || r.readerTargetCpuPercent > 90) {
        fail("readerTargetCpuPercent", `${r.readerTargetCpuPercent} is outside 10..90`, "pass a CPU target such as 60");
    }
    if (!Number.isInteger(r.proxyMaxConnectionsPercent) || r.proxyMaxConnectionsPercent < 10 || r.proxyMaxConnectionsPercent > 100) {
        fail("proxyMaxConnectionsPercent", `${r.proxyMaxConnectionsPercent} is outside 10..100`, "pass a share such as 75 (leave room for the admin and RDS's agents)");
    }
    if (!Number.isInteger(r.proxyBorrowTimeoutSeconds) || r.proxyBorrowTimeoutSeconds < 1 || r.proxyBorrowTimeoutSeconds > 3600) {
        fail("proxyBorrowTimeoutSeconds", `${r.proxyBorrowTimeoutSeconds} is outside 1..3600`, "pass seconds such as 120");
    }
    if (!LOG_RETENTION_DAYS.includes(r.logRetentionDays)) fail("logRetentionDays", `${r.logRetentionDays} is not a retention CloudWatch accepts`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    if (!IDENT.test(r.clusterIdentifier) || r.clusterIdentifier.endsWith("-")) {
        fail("clusterIdentifier", `'${r.clusterIdentifier}' is not a valid cluster identifier`, "use 1 to 50 lower-case letters, digits and single hyphens, starting with a letter");
    }
    return r;
}
