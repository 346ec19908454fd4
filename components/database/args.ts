import * as pulumi from "@pulumi/pulumi";
import type * as aws from "@pulumi/aws";
import { ArgumentError, BaseArgs, LOG_RETENTION_DAYS, Transform } from "../base";
import type { KmsKeyTransforms } from "../secrets/kmsKey";
import { stableName } from "../secrets/context";
import { instanceClassMemoryGib } from "./maxConnections";

/** Admin user names the Database refuses: the engine's and RDS's defaults, the first names attackers try. */
export const RESERVED_USERNAMES: readonly string[] = ["postgres", "admin", "administrator", "root", "rdsadmin", "master", "rds_superuser", "sa"];

/** Enhanced-monitoring intervals RDS accepts (0 turns it off). */
export const MONITORING_INTERVALS: readonly number[] = [0, 1, 5, 10, 15, 30, 60];

/** Lowest PostgreSQL major version the Database accepts (current majors only). */
export const MIN_POSTGRES_MAJOR = 16;

/** Arguments of the {@link Database} component. */
export interface DatabaseArgs extends BaseArgs {
    /** VPC of the database's security group. */
    readonly vpcId: pulumi.Input<string>;
    /** Isolated subnets (no route to the internet), at least two in different AZs, for the database's own subnet group. */
    readonly subnetIds: pulumi.Input<string>[];
    /** Security groups whose members may connect on 5432 (the only ingress; no CIDR ingress exists). At least one. */
    readonly allowedSecurityGroupIds: pulumi.Input<string>[];
    /**
     * ARN of the KMS key that encrypts storage, the RDS-managed master secret and Performance Insights.
     * @default - the Database creates its own {@link KmsKey}
     */
    readonly kmsKeyArn?: pulumi.Input<string>;
    /**
     * Instance class; must be in `INSTANCE_CLASS_MEMORY_GIB` (its memory sets `maxConnections`). A plain string.
     * @default "db.t4g.medium"
     */
    readonly instanceClass?: string;
    /**
     * PostgreSQL version, major (`"17"`, RDS picks the minor and upgrades it) or `major.minor`; major >= 16.
     * The parameter group family follows the major (`postgres17`).
     * @default "17"
     */
    readonly engineVersion?: string;
    /**
     * Name of the database created in the instance.
     * @default "app"
     */
    readonly dbName?: string;
    /**
     * Admin user name: letters, digits and `_`, starting with a letter, not a default such as `postgres` or `admin`.
     * Its password is generated and kept in Secrets Manager by RDS.
     * @default "groundwork_admin"
     */
    readonly username?: string;
    /**
     * Initial storage in GiB, 20 to 65536.
     * @default 20
     */
    readonly allocatedStorage?: number;
    /**
     * Storage autoscaling limit in GiB; must exceed `allocatedStorage`.
     * @default 100
     */
    readonly maxAllocatedStorage?: number;
    /**
     * Days of automated backups, 1 to 35 (the policy pack requires at least 7).
     * @default 7
     */
    readonly backupRetentionDays?: number;
    /**
     * A standby in a second AZ with automatic failover.
     * @default true
     */
    readonly multiAz?: boolean;
    /**
     * Refuse `DeleteDBInstance` until turned off.
     * @default true
     */
    readonly deletionProtection?: boolean;
    /**
     * Performance Insights, encrypted with the database's key (7 days, the free tier).
     * @default true
     */
    readonly performanceInsights?: boolean;
    /**
     * Enhanced-monitoring interval in seconds (0, 1, 5, 10, 15, 30, 60); 0 turns it off, anything else creates the
     * monitoring role.
     * @default 60
     */
    readonly monitoringIntervalSeconds?: number;
    /**
     * ARN of the KMS key that encrypts the log groups; its policy must let `logs.<region>.amazonaws.com` use it.
     * @default - the component's own key when it creates one (its policy allows CloudWatch Logs); none when `kmsKeyArn` is given
     */
    readonly logKmsKeyArn?: pulumi.Input<string>;
    /**
     * Retention of the exported PostgreSQL and upgrade log groups, in days (a value CloudWatch accepts).
     * @default 30
     */
    readonly logRetentionDays?: number;
    /**
     * RDS instance identifier: lower-case letters, digits and `-`, at most 63, starting with a letter. Fixed because the
     * log groups' names contain it (`/aws/rds/instance/<identifier>/postgresql`).
     * @default "<project>-<stack>-<name>"
     */
    readonly identifier?: string;
    /**
     * Protect the instance (and its own key) from `pulumi destroy` and retain them on delete. Infra passes the tier's value.
     * @default true
     */
    readonly protect?: boolean;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: DatabaseTransforms;
}

/** Per-child {@link Transform}s of a {@link Database}. */
export interface DatabaseTransforms {
    /** The RDS instance. */
    readonly instance?: Transform<aws.rds.InstanceArgs>;
    /** The parameter group. */
    readonly parameterGroup?: Transform<aws.rds.ParameterGroupArgs>;
    /** The subnet group. */
    readonly subnetGroup?: Transform<aws.rds.SubnetGroupArgs>;
    /** The security group. */
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
    /** Every exported log group (`name` tells them apart). */
    readonly logGroup?: Transform<aws.cloudwatch.LogGroupArgs>;
    /** The enhanced monitoring role. */
    readonly monitoringRole?: Transform<aws.iam.RoleArgs>;
    /** The {@link KmsKey} the component creates without `kmsKeyArn`: its own per-child transforms. */
    readonly key?: KmsKeyTransforms;
}

/** {@link DatabaseArgs} with every default applied and validated. */
export interface ResolvedDatabaseArgs {
    /** Instance class. */
    instanceClass: string;
    /** Engine version as given. */
    engineVersion: string;
    /** Major version, e.g. 17. */
    major: number;
    /** Database name. */
    dbName: string;
    /** Admin user. */
    username: string;
    /** Initial storage, GiB. */
    allocatedStorage: number;
    /** Autoscaling limit, GiB. */
    maxAllocatedStorage: number;
    /** Backup retention, days. */
    backupRetentionDays: number;
    /** Multi-AZ. */
    multiAz: boolean;
    /** Deletion protection. */
    deletionProtection: boolean;
    /** Performance Insights. */
    performanceInsights: boolean;
    /** Enhanced monitoring interval. */
    monitoringIntervalSeconds: number;
    /** Log retention, days. */
    logRetentionDays: number;
    /** Instance identifier. */
    identifier: string;
    /** Protect stateful children. */
    protect: boolean;
}

const IDENT = /^[a-z](?!.*--)[a-z0-9-]{0,62}$/;
const USER = /^[A-Za-z][A-Za-z0-9_]{0,62}$/;

/**
 * Applies the defaults of {@link DatabaseArgs} and validates them, throwing an {@link ArgumentError} that names the
 * field. Pure apart from reading the project and stack names for the default identifier.
 */
export function resolveDatabaseArgs(name: string, args: DatabaseArgs): ResolvedDatabaseArgs {
    const who = `Database '${name}'`;
    const r: ResolvedDatabaseArgs = {
        instanceClass: args.instanceClass ?? "db.t4g.medium",
        engineVersion: args.engineVersion ?? "17",
        major: 0,
        dbName: args.dbName ?? "app",
        username: args.username ?? "groundwork_admin",
        allocatedStorage: args.allocatedStorage ?? 20,
        maxAllocatedStorage: args.maxAllocatedStorage ?? 100,
        backupRetentionDays: args.backupRetentionDays ?? 7,
        multiAz: args.multiAz ?? true,
        deletionProtection: args.deletionProtection ?? true,
        performanceInsights: args.performanceInsights ?? true,
        monitoringIntervalSeconds: args.monitoringIntervalSeconds ?? 60,
        logRetentionDays: args.logRetentionDays ?? 30,
        identifier: args.identifier ?? stableName([pulumi.getProject(), pulumi.getStack(), name], 63),
        protect: args.protect ?? true,
    };
    const fail = (field: string, problem: string, fix: string): never => {
        throw new ArgumentError(who, field, problem, fix);
    };
    if (args.subnetIds.length < 2) fail("subnetIds", `${args.subnetIds.length} subnet(s) given`, "pass the isolated subnets of at least two AZs");
    if (args.allowedSecurityGroupIds.length === 0) {
        fail("allowedSecurityGroupIds", "no security group may connect", "pass the security group ids of the clients (the app's security group)");
    }
    if (instanceClassMemoryGib(r.instanceClass) === undefined) {
        fail("instanceClass", `'${r.instanceClass}' is not a known RDS PostgreSQL class`, "use a class such as db.t4g.medium, db.m7g.large or db.r7g.large (INSTANCE_CLASS_MEMORY_GIB)");
    }
    const version = /^(\d+)(\.\d+)?$/.exec(r.engineVersion);
    r.major = version ? Number(version[1]) : 0;
    if (!version || r.major < MIN_POSTGRES_MAJOR) {
        fail("engineVersion", `'${r.engineVersion}' is not a current PostgreSQL version`, `pass a major (>= ${MIN_POSTGRES_MAJOR}) such as "17", or "17.6"`);
    }
    if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(r.dbName)) fail("dbName", `'${r.dbName}' is not a valid database name`, "use letters, digits and '_', starting with a letter");
    if (!USER.test(r.username)) fail("username", `'${r.username}' is not a valid user name`, "use letters, digits and '_', starting with a letter, at most 63");
    if (RESERVED_USERNAMES.includes(r.username.toLowerCase())) {
        fail("username", `'${r.username}' is a default admin user name`, "choose a non-default name such as 'groundwork_admin'");
    }
    if (!Number.isInteger(r.allocatedStorage) || r.allocatedStorage < 20 || r.allocatedStorage > 65536) {
        fail("allocatedStorage", `${r.allocatedStorage} is outside 20..65536 GiB`, "pass a whole number of GiB from 20 to 65536");
    }
    if (!Number.isInteger(r.maxAllocatedStorage) || r.maxAllocatedStorage <= r.allocatedStorage || r.maxAllocatedStorage > 65536) {
        fail("maxAllocatedStorage", `${r.maxAllocatedStorage} GiB does not exceed allocatedStorage (${r.allocatedStorage} GiB)`, "pass a limit above allocatedStorage, at most 65536");
    }
    if (!Number.isInteger(r.backupRetentionDays) || r.backupRetentionDays < 1 || r.backupRetentionDays > 35) {
        fail("backupRetentionDays", `${r.backupRetentionDays} is outside 1..35 (0 would turn backups off)`, "pass 1 to 35 days; prod needs at least 7");
    }
    if (!MONITORING_INTERVALS.includes(r.monitoringIntervalSeconds)) {
        fail("monitoringIntervalSeconds", `${r.monitoringIntervalSeconds} is not an interval RDS accepts`, `use one of ${MONITORING_INTERVALS.join(", ")}`);
    }
    if (!LOG_RETENTION_DAYS.includes(r.logRetentionDays)) {
        fail("logRetentionDays", `${r.logRetentionDays} is not a retention CloudWatch accepts`, `use one of ${LOG_RETENTION_DAYS.join(", ")}`);
    }
    if (!IDENT.test(r.identifier) || r.identifier.endsWith("-")) {
        fail("identifier", `'${r.identifier}' is not a valid RDS identifier`, "use 1 to 63 lower-case letters, digits and single hyphens, starting with a letter");
    }
    return r;
}
