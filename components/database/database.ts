import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, statefulOptions } from "../base";
import { DataStoreComponent } from "../datastore";
import { Grantable } from "../identity/statements";
import { AwsContext, awsContext, sidOf } from "../secrets/context";
import { viaServiceCondition } from "../secrets/secret";
import { DatabaseArgs, resolveDatabaseArgs } from "./args";
import { postgresMaxConnections } from "./maxConnections";
import { declareAlarms, type AlarmOptions, type AlarmSpec, type AlarmTarget, type Observable } from "../observe/alarms";
import { databaseAlarmSpecs, type DatabaseAlarmInput } from "./alarms";
import type { ConnectionLimits } from "./budget";

/** PostgreSQL port: a constant, the security group admits only this port. */
export const POSTGRES_PORT = 5432;

/** Logs the instance exports to CloudWatch (each gets an explicit log group with retention). */
export const POSTGRES_LOG_EXPORTS: readonly string[] = ["postgresql", "upgrade"];

/**
 * Parameters of the Database's parameter group: TLS forced (`rds.force_ssl`), connections, disconnections, lock
 * waits, DDL and statements slower than one second logged. All are dynamic parameters.
 */
export const POSTGRES_PARAMETERS: ReadonlyArray<{ name: string; value: string }> = [
    { name: "rds.force_ssl", value: "1" },
    { name: "log_connections", value: "1" },
    { name: "log_disconnections", value: "1" },
    { name: "log_lock_waits", value: "1" },
    { name: "log_statement", value: "ddl" },
    { name: "log_min_duration_statement", value: "1000" },
];

/** AWS-managed policy of the enhanced-monitoring role (scoped by AWS to publishing RDS OS metrics). */
export const RDS_MONITORING_POLICY = "service-role/AmazonRDSEnhancedMonitoringRole";

/** Trust policy of the enhanced-monitoring role: only RDS monitoring, only for this account. Pure. */
export function monitoringTrustPolicy(accountId: string): object {
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Effect: "Allow",
                Principal: { Service: "monitoring.rds.amazonaws.com" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}

/**
 * RDS PostgreSQL in isolated subnets: own subnet group and security group (5432 from the given security groups only),
 * storage, master secret and Performance Insights encrypted with a KMS key, TLS forced, IAM database authentication,
 * automated backups, Multi-AZ, deletion protection, final snapshot, logs exported to log groups with retention.
 * Type token `groundwork:database:Database`.
 */
export class Database extends DataStoreComponent implements Observable {
    /** `address:port` of the instance. */
    public readonly endpoint: pulumi.Output<string>;
    /** DNS name of the instance. */
    public readonly address: pulumi.Output<string>;
    /** Port, always 5432. */
    public readonly port: pulumi.Output<number>;
    /** Name of the database created in the instance. */
    public readonly dbName: pulumi.Output<string>;
    /** Admin user name. */
    public readonly username: pulumi.Output<string>;
    /** ARN of the RDS-managed Secrets Manager secret holding the admin password. */
    public readonly masterSecretArn: pulumi.Output<string>;
    /** Id of the database's security group. */
    public readonly securityGroupId: pulumi.Output<string>;
    /** ARN of the instance. */
    public readonly instanceArn: pulumi.Output<string>;
    /** Instance identifier. */
    public readonly identifier: pulumi.Output<string>;
    /** Resource id (`db-...`), the part of `rds-db:connect` ARNs. */
    public readonly resourceId: pulumi.Output<string>;
    /** ARN of the KMS key that encrypts storage, the master secret and Performance Insights. */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** PostgreSQL's default `max_connections` for the instance class (see `postgresMaxConnections`). */
    public readonly maxConnections: pulumi.Output<number>;
    /** False: a single instance has no reader, so the app opens no read pool. */
    public readonly hasReaders = false;
    /** DNS name reads go to: the instance itself (a single instance has no reader). */
    public readonly readAddress: pulumi.Output<string>;
    /** DNS name the migrations job logs in to with the master secret: the instance itself. */
    public readonly directAddress: pulumi.Output<string>;
    /** What the app's pools are budgeted against: the class's `max_connections` (no proxy). */
    public readonly connectionLimits: ConnectionLimits;
    private readonly ctx: AwsContext;
    private readonly alarmInput: DatabaseAlarmInput;

    constructor(name: string, args: DatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("database", "Database", name, args, opts);
        const r = resolveDatabaseArgs(name, args);

        this.ctx = awsContext(this);
        const stateful = statefulOptions(r.protect);
        const t = args.transform ?? {};
        const { kmsKeyArn, logKmsKeyArn } = this.storeKeys("database", args, r.protect, args.tags, t.key);

        const subnetGroup = new aws.rds.SubnetGroup(
            ...applyTransform(
                t.subnetGroup,
                this.childName("subnets"),
                { description: `Isolated subnets of ${name}`, subnetIds: args.subnetIds, tags: this.childTags("subnets") },
                this.childOpts(),
            ),
        );
        const sg = this.admittingSecurityGroup(args.vpcId, POSTGRES_PORT, args.allowedSecurityGroupIds, "PostgreSQL", t.securityGroup);
        const parameterGroup = new aws.rds.ParameterGroup(
            ...applyTransform(
                t.parameterGroup,
                this.childName("params"),
                {
                    family: `postgres${r.major}`,
                    description: `PostgreSQL ${r.major} for ${name}: TLS forced, connection and slow-statement logging`,
                    parameters: POSTGRES_PARAMETERS.map((p) => ({ ...p, applyMethod: "immediate" })),
                    tags: this.childTags("params"),
                },
                this.childOpts(),
            ),
        );
        // Log groups are stateful: they outlive a replaced instance, as its audit trail.
        const logGroups = POSTGRES_LOG_EXPORTS.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    ...applyTransform(
                        t.logGroup,
                        this.childName(`log-${log}`),
                        { name: `/aws/rds/instance/${r.identifier}/${log}`, retentionInDays: r.logRetentionDays, kmsKeyId: logKmsKeyArn, tags: this.childTags(`log-${log}`) },
                        this.childOpts(stateful),
                    ),
                ),
        );
        let monitoringRoleArn: pulumi.Output<string> | undefined;
        if (r.monitoringIntervalSeconds > 0) {
            const role = new aws.iam.Role(
                ...applyTransform(
                    t.monitoringRole,
                    this.childName("monitoring"),
                    {
                        description: `Enhanced monitoring of ${name}`,
                        assumeRolePolicy: this.ctx.accountId.apply((a) => JSON.stringify(monitoringTrustPolicy(a))),
                        tags: this.childTags("monitoring"),
                    },
                    this.childOpts(),
                ),
            );
            const attachment = new aws.iam.RolePolicyAttachment(
                this.childName("monitoring-policy"),
                { role: role.name, policyArn: pulumi.interpolate`arn:${this.ctx.partition}:iam::aws:policy/${RDS_MONITORING_POLICY}` },
                this.childOpts(),
            );
            monitoringRoleArn = pulumi.all([role.arn, attachment.id]).apply(([arn]) => arn);
        }

        const instance = new aws.rds.Instance(
            ...applyTransform(
                t.instance,
                this.childName("instance"),
                {
                    identifier: r.identifier,
                    engine: "postgres",
                    engineVersion: r.engineVersion,
                    instanceClass: r.instanceClass,
                    dbName: r.dbName,
                    username: r.username,
                    manageMasterUserPassword: true,
                    masterUserSecretKmsKeyId: kmsKeyArn,
                    port: POSTGRES_PORT,
                    dbSubnetGroupName: subnetGroup.name,
                    vpcSecurityGroupIds: [sg.id],
                    publiclyAccessible: false,
                    parameterGroupName: parameterGroup.name,
                    storageType: "gp3",
                    allocatedStorage: r.allocatedStorage,
                    maxAllocatedStorage: r.maxAllocatedStorage,
                    storageEncrypted: true,
                    kmsKeyId: kmsKeyArn,
                    iamDatabaseAuthenticationEnabled: true,
                    backupRetentionPeriod: r.backupRetentionDays,
                    copyTagsToSnapshot: true,
                    multiAz: r.multiAz,
                    deletionProtection: r.deletionProtection,
                    skipFinalSnapshot: false,
                    finalSnapshotIdentifier: `${r.identifier}-final`,
                    autoMinorVersionUpgrade: true,
                    allowMajorVersionUpgrade: false,
                    enabledCloudwatchLogsExports: [...POSTGRES_LOG_EXPORTS],
                    performanceInsightsEnabled: r.performanceInsights,
                    performanceInsightsKmsKeyId: r.performanceInsights ? kmsKeyArn : undefined,
                    performanceInsightsRetentionPeriod: r.performanceInsights ? 7 : undefined,
                    monitoringInterval: r.monitoringIntervalSeconds,
                    monitoringRoleArn,
                    tags: this.childTags("instance"),
                },
                this.childOpts({ ...stateful, dependsOn: logGroups }),
            ),
        );

        this.endpoint = instance.endpoint;
        this.address = instance.address;
        this.port = instance.port;
        this.dbName = pulumi.output(r.dbName);
        this.username = pulumi.output(r.username);
        this.masterSecretArn = instance.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? "");
        this.securityGroupId = sg.id;
        this.instanceArn = instance.arn;
        this.identifier = instance.identifier;
        this.resourceId = instance.resourceId;
        this.kmsKeyArn = kmsKeyArn;
        this.maxConnections = pulumi.output(postgresMaxConnections(r.instanceClass));
        this.readAddress = instance.address;
        this.directAddress = instance.address;
        this.connectionLimits = { maxConnections: postgresMaxConnections(r.instanceClass), instanceClass: r.instanceClass };
        this.alarmInput = { identifier: r.identifier, instanceClass: r.instanceClass, allocatedStorage: r.allocatedStorage, maxAllocatedStorage: r.maxAllocatedStorage };
        this.registerOutputs({
            endpoint: this.endpoint,
            address: this.address,
            port: this.port,
            dbName: this.dbName,
            masterSecretArn: this.masterSecretArn,
            securityGroupId: this.securityGroupId,
            instanceArn: this.instanceArn,
            resourceId: this.resourceId,
            maxConnections: this.maxConnections,
        });
    }

    /**
     * The alarms this database derives from its configuration ({@link databaseAlarmSpecs}): CPU, free storage under
     * 10% of the allocated storage, connections at 80% of the class's `max_connections`, freeable memory, read and
     * write latency. Pure data; {@link alarms} declares them.
     */
    public alarmSpecs(): AlarmSpec[] {
        return databaseAlarmSpecs(this.alarmInput);
    }

    /** Declares the {@link alarmSpecs} as `aws.cloudwatch.MetricAlarm` children notifying `target` on ALARM and OK. */
    public alarms(target: AlarmTarget, opts?: AlarmOptions): aws.cloudwatch.MetricAlarm[] {
        return declareAlarms(this.childScope(), this.alarmSpecs(), target, opts);
    }

    /** The `rds-db:connect` ARN of one database user of this instance. */
    public dbUserArn(dbUser: string): pulumi.Output<string> {
        return pulumi.interpolate`arn:${this.ctx.partition}:rds-db:${this.ctx.region}:${this.ctx.accountId}:dbuser:${this.resourceId}/${dbUser}`;
    }

    /**
     * Lets `identity` log in as `dbUser` with an IAM authentication token: `rds-db:connect` on
     * `arn:<partition>:rds-db:<region>:<account>:dbuser:<resourceId>/<dbUser>` only.
     */
    public grantConnect(identity: Grantable, dbUser: string): void {
        if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(dbUser)) {
            throw new ArgumentError(`Database '${this.baseName}'`, "dbUser", `'${dbUser}' is not a valid PostgreSQL user name`, "use letters, digits and '_', starting with a letter");
        }
        // Grant names are lower-case letters, digits and '-'; PostgreSQL folds unquoted names to lower case anyway.
        identity.addStatements(`${this.baseName}-connect-${dbUser.toLowerCase().replace(/_/g, "-")}`, [
            { sid: sidOf(this.baseName, "connect", dbUser), actions: ["rds-db:connect"], resources: [this.dbUserArn(dbUser)] },
        ]);
    }

    /**
     * Lets `identity` read the RDS-managed master credentials (for a migrations job that creates tables and the
     * app's IAM role): `GetSecretValue` on the master secret's ARN and `kms:Decrypt` on the
     * database's key through Secrets Manager only. Workloads serving traffic should use {@link grantConnect}.
     */
    public grantReadMasterSecret(identity: Grantable): void {
        identity.addStatements(`${this.baseName}-master-secret`, [
            { sid: sidOf(this.baseName, "master", "secret"), actions: ["secretsmanager:GetSecretValue"], resources: [this.masterSecretArn] },
            { sid: sidOf(this.baseName, "master", "key"), actions: ["kms:Decrypt"], resources: [this.kmsKeyArn], condition: viaServiceCondition("secretsmanager") },
        ]);
    }
}
