import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, statefulOptions } from "../base";
import { DataStoreComponent } from "../datastore";
import { Grantable } from "../identity/statements";
import { AwsContext, awsContext, sidOf } from "../secrets/context";
import { viaServiceCondition } from "../secrets/secret";
import { declareAlarms, type AlarmOptions, type AlarmSpec, type AlarmTarget, type Observable } from "../observe/alarms";
import { AuroraDatabaseArgs, resolveAuroraDatabaseArgs } from "./auroraArgs";
import { auroraAlarmSpecs, type AuroraAlarmInput } from "./auroraAlarms";
import type { ConnectionLimits } from "./budget";
import { monitoringTrustPolicy, POSTGRES_PARAMETERS, POSTGRES_PORT, RDS_MONITORING_POLICY, type Database } from "./database";
import { postgresMaxConnections } from "./maxConnections";

/** Logs an Aurora PostgreSQL cluster exports to CloudWatch (with an explicit log group and retention). */
export const AURORA_LOG_EXPORTS: readonly string[] = ["postgresql"];

/** Trust policy of the proxy's role: only RDS, only for this account. Pure. */
export function proxyTrustPolicy(accountId: string): object {
    return {
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "rds.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": accountId } } }],
    };
}

/** The proxy's resource id (`prx-...`, the part of its `rds-db:connect` ARNs), read from its ARN `...:db-proxy:prx-...`. Pure. */
export function proxyResourceId(proxyArn: string): string {
    return proxyArn.slice(proxyArn.lastIndexOf(":") + 1);
}

/**
 * Aurora PostgreSQL behind RDS Proxy, in isolated subnets: a cluster (KMS-encrypted storage, IAM database
 * authentication, RDS-managed master secret, a cluster parameter group forcing TLS, backups, deletion protection,
 * final snapshot, the postgresql log exported to a log group with retention), a writer and `readerMinCount` readers
 * spread over the AZs (Performance Insights, enhanced monitoring), reader auto scaling on the readers' average CPU up
 * to `readerMaxCount`, and an RDS Proxy (TLS required, IAM authentication required from clients and end to end to the
 * database, its own security group reachable only from `allowedSecurityGroupIds`) with a read/write endpoint on the
 * writer and a read-only endpoint on the readers. Type token `groundwork:database:AuroraDatabase`.
 */
export class AuroraDatabase extends DataStoreComponent implements Observable {
    /** DNS name of the proxy's default (read/write, writer) endpoint: the app's `DATABASE_HOST`. */
    public readonly address: pulumi.Output<string>;
    /** True: the readers serve a read pool through the proxy's read-only endpoint. */
    public readonly hasReaders = true;
    /** DNS name of the proxy's read-only endpoint (the readers): the app's `DATABASE_READ_HOST`. */
    public readonly readAddress: pulumi.Output<string>;
    /** DNS name of the cluster's writer endpoint, for the migrations job that logs in with the master secret. */
    public readonly directAddress: pulumi.Output<string>;
    /** DNS name of the cluster's reader endpoint. */
    public readonly readerEndpoint: pulumi.Output<string>;
    /** `address:port` of the proxy's default endpoint. */
    public readonly endpoint: pulumi.Output<string>;
    /** Port, always 5432. */
    public readonly port: pulumi.Output<number>;
    /** Name of the database created in the cluster. */
    public readonly dbName: pulumi.Output<string>;
    /** Admin user name. */
    public readonly username: pulumi.Output<string>;
    /** ARN of the RDS-managed Secrets Manager secret holding the admin password. */
    public readonly masterSecretArn: pulumi.Output<string>;
    /** Id of the cluster's security group (admits the proxy and the allowed groups). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** Id of the proxy's security group (admits the allowed groups only). */
    public readonly proxySecurityGroupId: pulumi.Output<string>;
    /** ARN of the cluster. */
    public readonly clusterArn: pulumi.Output<string>;
    /** Cluster identifier. */
    public readonly clusterIdentifier: pulumi.Output<string>;
    /** Cluster resource id (`cluster-...`), the part of the cluster's `rds-db:connect` ARNs. */
    public readonly clusterResourceId: pulumi.Output<string>;
    /** ARN of the proxy. */
    public readonly proxyArn: pulumi.Output<string>;
    /** Name of the proxy. */
    public readonly proxyName: pulumi.Output<string>;
    /** ARN of the KMS key that encrypts storage, the master secret and Performance Insights. */
    public readonly kmsKeyArn: pulumi.Output<string>;
    /** `max_connections` of the writer's class (see `postgresMaxConnections`). */
    public readonly maxConnections: pulumi.Output<number>;
    /** What the app's pools are budgeted against: the writer's `max_connections` and the proxy's share of it. */
    public readonly connectionLimits: ConnectionLimits;
    /** The cluster instances, writer first. */
    public readonly instances: aws.rds.ClusterInstance[];
    private readonly ctx: AwsContext;
    private readonly alarmInput: AuroraAlarmInput;
    private readonly proxyRole: aws.iam.Role;
    private readonly proxyUsers = new Set<string>();

    constructor(name: string, args: AuroraDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
        super("database", "AuroraDatabase", name, args, opts);
        const r = resolveAuroraDatabaseArgs(name, args);

        this.ctx = awsContext(this);
        const stateful = statefulOptions(r.protect);
        const t = args.transform ?? {};
        const { kmsKeyArn, logKmsKeyArn } = this.storeKeys("database", args, r.protect, args.tags, t.key);
        const id = r.clusterIdentifier;

        const subnetGroup = new aws.rds.SubnetGroup(this.childName("subnets"), { description: `Isolated subnets of ${name}`, subnetIds: args.subnetIds, tags: this.childTags("subnets") }, this.childOpts());
        // The proxy's group: 5432 from the clients only; out to the cluster and to Secrets Manager's endpoint.
        const proxySg = new aws.ec2.SecurityGroup(
            this.childName("proxy-sg"),
            { vpcId: args.vpcId, description: `RDS Proxy ${name}: ${POSTGRES_PORT} from the allowed security groups only`, tags: this.childTags("proxy-sg") },
            this.childOpts(),
        );
        args.allowedSecurityGroupIds.forEach((source, i) => {
            new aws.vpc.SecurityGroupIngressRule(
                this.childName(`proxy-ingress-${i}`),
                { securityGroupId: proxySg.id, referencedSecurityGroupId: source, ipProtocol: "tcp", fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT, description: `PostgreSQL from allowed security group ${i}`, tags: this.childTags(`proxy-ingress-${i}`) },
                this.childOpts(),
            );
        });
        // The cluster admits the proxy and the clients (the migrations job logs in directly with the master secret).
        const sg = this.admittingSecurityGroup(args.vpcId, POSTGRES_PORT, [proxySg.id, ...args.allowedSecurityGroupIds], "PostgreSQL");
        new aws.vpc.SecurityGroupEgressRule(
            this.childName("proxy-to-cluster"),
            { securityGroupId: proxySg.id, referencedSecurityGroupId: sg.id, ipProtocol: "tcp", fromPort: POSTGRES_PORT, toPort: POSTGRES_PORT, description: "PostgreSQL to the cluster", tags: this.childTags("proxy-to-cluster") },
            this.childOpts(),
        );
        new aws.vpc.SecurityGroupEgressRule(
            this.childName("proxy-to-endpoints"),
            { securityGroupId: proxySg.id, cidrIpv4: args.vpcCidrBlock, ipProtocol: "tcp", fromPort: 443, toPort: 443, description: "HTTPS to the VPC's interface endpoints (Secrets Manager)", tags: this.childTags("proxy-to-endpoints") },
            this.childOpts(),
        );

        const parameterGroup = new aws.rds.ClusterParameterGroup(
            ...applyTransform(
                t.parameterGroup,
                this.childName("params"),
                {
                    family: `aurora-postgresql${r.major}`,
                    description: `Aurora PostgreSQL ${r.major} for ${name}: TLS forced, connection and slow-statement logging`,
                    parameters: POSTGRES_PARAMETERS.map((p) => ({ ...p, applyMethod: "immediate" })),
                    tags: this.childTags("params"),
                },
                this.childOpts(),
            ),
        );
        const logGroups = AURORA_LOG_EXPORTS.map(
            (log) =>
                new aws.cloudwatch.LogGroup(
                    this.childName(`log-${log}`),
                    { name: `/aws/rds/cluster/${id}/${log}`, retentionInDays: r.logRetentionDays, kmsKeyId: logKmsKeyArn, tags: this.childTags(`log-${log}`) },
                    this.childOpts(stateful),
                ),
        );
        let monitoringRoleArn: pulumi.Output<string> | undefined;
        if (r.monitoringIntervalSeconds > 0) {
            const role = new aws.iam.Role(
                this.childName("monitoring"),
                { description: `Enhanced monitoring of ${name}`, assumeRolePolicy: this.ctx.accountId.apply((a) => JSON.stringify(monitoringTrustPolicy(a))), tags: this.childTags("monitoring") },
                this.childOpts(),
            );
            const attachment = new aws.iam.RolePolicyAttachment(
                this.childName("monitoring-policy"),
                { role: role.name, policyArn: pulumi.interpolate`arn:${this.ctx.partition}:iam::aws:policy/${RDS_MONITORING_POLICY}` },
                this.childOpts(),
            );
            monitoringRoleArn = pulumi.all([role.arn, attachment.id]).apply(([arn]) => arn);
        }

        const cluster = new aws.rds.Cluster(
            ...applyTransform(
                t.cluster,
                this.childName("cluster"),
                {
                    clusterIdentifier: id,
                    engine: "aurora-postgresql",
                    engineVersion: r.engineVersion,
                    databaseName: r.dbName,
                    masterUsername: r.username,
                    manageMasterUserPassword: true,
                    masterUserSecretKmsKeyId: kmsKeyArn,
                    port: POSTGRES_PORT,
                    dbSubnetGroupName: subnetGroup.name,
                    vpcSecurityGroupIds: [sg.id],
                    dbClusterParameterGroupName: parameterGroup.name,
                    storageEncrypted: true,
                    kmsKeyId: kmsKeyArn,
                    iamDatabaseAuthenticationEnabled: true,
                    backupRetentionPeriod: r.backupRetentionDays,
                    copyTagsToSnapshot: true,
                    deletionProtection: r.deletionProtection,
                    skipFinalSnapshot: false,
                    finalSnapshotIdentifier: `${id}-final`,
                    allowMajorVersionUpgrade: false,
                    enabledCloudwatchLogsExports: [...AURORA_LOG_EXPORTS],
                    tags: this.childTags("cluster"),
                },
                this.childOpts({ ...stateful, dependsOn: logGroups }),
            ),
        );
        // Writer first (promotion tier 0), then the readers; instance i in AZ i modulo the AZs.
        this.instances = Array.from({ length: 1 + r.readerMinCount }, (_, i) => {
            const part = i === 0 ? "writer" : `reader-${i}`;
            return new aws.rds.ClusterInstance(
                ...applyTransform(
                    t.instance,
                    this.childName(part),
                    {
                        identifier: `${id}-${i + 1}`,
                        clusterIdentifier: cluster.id,
                        engine: "aurora-postgresql",
                        engineVersion: cluster.engineVersion,
                        instanceClass: r.instanceClass,
                        availabilityZone: args.availabilityZones[i % args.availabilityZones.length],
                        promotionTier: i === 0 ? 0 : 1,
                        dbSubnetGroupName: subnetGroup.name,
                        publiclyAccessible: false,
                        autoMinorVersionUpgrade: true,
                        performanceInsightsEnabled: r.performanceInsights,
                        performanceInsightsKmsKeyId: r.performanceInsights ? kmsKeyArn : undefined,
                        performanceInsightsRetentionPeriod: r.performanceInsights ? 7 : undefined,
                        monitoringInterval: r.monitoringIntervalSeconds,
                        monitoringRoleArn,
                        copyTagsToSnapshot: true,
                        tags: this.childTags(part),
                    },
                    this.childOpts(stateful),
                ),
            );
        });

        // Reader auto scaling: Application Auto Scaling adds Aurora Replicas to hold the readers' average CPU at the target.
        const scaling = new aws.appautoscaling.Target(
            this.childName("readers"),
            {
                serviceNamespace: "rds",
                scalableDimension: "rds:cluster:ReadReplicaCount",
                resourceId: pulumi.interpolate`cluster:${cluster.clusterIdentifier}`,
                minCapacity: r.readerMinCount,
                maxCapacity: r.readerMaxCount,
                tags: this.childTags("readers"),
            },
            this.childOpts({ dependsOn: this.instances }),
        );
        new aws.appautoscaling.Policy(
            this.childName("readers-cpu"),
            {
                policyType: "TargetTrackingScaling",
                serviceNamespace: scaling.serviceNamespace,
                scalableDimension: scaling.scalableDimension,
                resourceId: scaling.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    predefinedMetricSpecification: { predefinedMetricType: "RDSReaderAverageCPUUtilization" },
                    targetValue: r.readerTargetCpuPercent,
                    scaleOutCooldown: 300,
                    scaleInCooldown: 600,
                },
            },
            this.childOpts(),
        );

        this.masterSecretArn = cluster.masterUserSecrets.apply((s) => s?.[0]?.secretArn ?? "");
        // The proxy's role: reads the master secret (the SECRETS auth entry) and logs in end to end with IAM as each
        // user a grantConnect names (statements added per user).
        this.proxyRole = new aws.iam.Role(
            this.childName("proxy-role"),
            {
                description: `RDS Proxy of ${name}: reads the master secret, connects with IAM`,
                assumeRolePolicy: this.ctx.accountId.apply((a) => JSON.stringify(proxyTrustPolicy(a))),
                tags: this.childTags("proxy-role"),
            },
            this.childOpts(),
        );
        const secretPolicy = new aws.iam.RolePolicy(
            this.childName("proxy-secret"),
            {
                role: this.proxyRole.name,
                policy: pulumi.all([this.masterSecretArn, kmsKeyArn]).apply(([secretArn, keyArn]) =>
                    JSON.stringify({
                        Version: "2012-10-17",
                        Statement: [
                            { Sid: "MasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretArn] },
                            { Sid: "MasterSecretKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [keyArn], Condition: viaServiceCondition("secretsmanager") },
                        ],
                    }),
                ),
            },
            this.childOpts(),
        );
        const proxy = new aws.rds.Proxy(
            ...applyTransform(
                t.proxy,
                this.childName("proxy"),
                {
                    name: `${id}-proxy`,
                    engineFamily: "POSTGRESQL",
                    roleArn: this.proxyRole.arn,
                    vpcSubnetIds: args.subnetIds,
                    vpcSecurityGroupIds: [proxySg.id],
                    requireTls: true,
                    debugLogging: false,
                    idleClientTimeout: 1800,
                    // End-to-end IAM: clients present IAM tokens, the proxy logs in to the cluster with IAM too.
                    defaultAuthScheme: "IAM_AUTH",
                    // The admin's secret, for a client that logs in as the admin through the proxy: IAM token required as well.
                    auths: [{ authScheme: "SECRETS", iamAuth: "REQUIRED", secretArn: this.masterSecretArn, description: `Admin of ${name}` }],
                    tags: this.childTags("proxy"),
                },
                this.childOpts({ dependsOn: [secretPolicy] }),
            ),
        );
        const targetGroup = new aws.rds.ProxyDefaultTargetGroup(
            this.childName("proxy-pool"),
            {
                dbProxyName: proxy.name,
                connectionPoolConfig: {
                    maxConnectionsPercent: r.proxyMaxConnectionsPercent,
                    maxIdleConnectionsPercent: Math.floor(r.proxyMaxConnectionsPercent / 2),
                    connectionBorrowTimeout: r.proxyBorrowTimeoutSeconds,
                },
            },
            this.childOpts(),
        );
        new aws.rds.ProxyTarget(
            this.childName("proxy-target"),
            { dbProxyName: proxy.name, targetGroupName: targetGroup.name, dbClusterIdentifier: cluster.clusterIdentifier },
            this.childOpts({ dependsOn: this.instances }),
        );
        const readEndpoint = new aws.rds.ProxyEndpoint(
            this.childName("proxy-read"),
            { dbProxyName: proxy.name, dbProxyEndpointName: `${id}-ro`, vpcSubnetIds: args.subnetIds, vpcSecurityGroupIds: [proxySg.id], targetRole: "READ_ONLY", tags: this.childTags("proxy-read") },
            this.childOpts(),
        );

        this.address = proxy.endpoint;
        this.readAddress = readEndpoint.endpoint;
        this.directAddress = cluster.endpoint;
        this.readerEndpoint = cluster.readerEndpoint;
        this.port = pulumi.output(POSTGRES_PORT);
        this.endpoint = pulumi.interpolate`${proxy.endpoint}:${POSTGRES_PORT}`;
        this.dbName = pulumi.output(r.dbName);
        this.username = pulumi.output(r.username);
        this.securityGroupId = sg.id;
        this.proxySecurityGroupId = proxySg.id;
        this.clusterArn = cluster.arn;
        this.clusterIdentifier = cluster.clusterIdentifier;
        this.clusterResourceId = cluster.clusterResourceId;
        this.proxyArn = proxy.arn;
        this.proxyName = proxy.name;
        this.kmsKeyArn = kmsKeyArn;
        this.maxConnections = pulumi.output(postgresMaxConnections(r.instanceClass));
        this.connectionLimits = { maxConnections: postgresMaxConnections(r.instanceClass), instanceClass: r.instanceClass, proxyMaxConnectionsPercent: r.proxyMaxConnectionsPercent };
        this.alarmInput = { clusterIdentifier: id, instanceClass: r.instanceClass, readerMaxCount: r.readerMaxCount, proxyName: `${id}-proxy`, proxyMaxConnectionsPercent: r.proxyMaxConnectionsPercent };
        this.registerOutputs({
            address: this.address,
            readAddress: this.readAddress,
            directAddress: this.directAddress,
            port: this.port,
            masterSecretArn: this.masterSecretArn,
            clusterArn: this.clusterArn,
            clusterResourceId: this.clusterResourceId,
            proxyArn: this.proxyArn,
            maxConnections: this.maxConnections,
        });
    }

    /** The alarms derived from the cluster and proxy configuration ({@link auroraAlarmSpecs}). Pure data. */
    public alarmSpecs(): AlarmSpec[] {
        return auroraAlarmSpecs(this.alarmInput);
    }

    /** Declares the {@link alarmSpecs} as `aws.cloudwatch.MetricAlarm` children notifying `target` on ALARM and OK. */
    public alarms(target: AlarmTarget, opts?: AlarmOptions): aws.cloudwatch.MetricAlarm[] {
        return declareAlarms(this.childScope(), this.alarmSpecs(), target, opts);
    }

    /** The `rds-db:connect` ARN of one database user of the cluster (`dbuser:<clusterResourceId>/<user>`). */
    public dbUserArn(dbUser: string): pulumi.Output<string> {
        return pulumi.interpolate`arn:${this.ctx.partition}:rds-db:${this.ctx.region}:${this.ctx.accountId}:dbuser:${this.clusterResourceId}/${dbUser}`;
    }

    /** The `rds-db:connect` ARN of one database user through the proxy (`dbuser:<prx-id>/<user>`). */
    public proxyDbUserArn(dbUser: string): pulumi.Output<string> {
        return pulumi.interpolate`arn:${this.ctx.partition}:rds-db:${this.ctx.region}:${this.ctx.accountId}:dbuser:${this.proxyArn.apply(proxyResourceId)}/${dbUser}`;
    }

    /**
     * Lets `identity` log in as `dbUser` with an IAM token, through the proxy (`dbuser:<prx-id>/<dbUser>`) and to the
     * cluster (`dbuser:<clusterResourceId>/<dbUser>`), and lets the proxy log in as `dbUser` to the cluster (end-to-end IAM).
     */
    public grantConnect(identity: Grantable, dbUser: string): void {
        if (!/^[A-Za-z][A-Za-z0-9_]{0,62}$/.test(dbUser)) {
            throw new ArgumentError(`AuroraDatabase '${this.baseName}'`, "dbUser", `'${dbUser}' is not a valid PostgreSQL user name`, "use letters, digits and '_', starting with a letter");
        }
        // Grant names are lower-case letters, digits and '-'; PostgreSQL folds unquoted names to lower case anyway.
        identity.addStatements(`${this.baseName}-connect-${dbUser.toLowerCase().replace(/_/g, "-")}`, [
            { sid: sidOf(this.baseName, "connect", dbUser), actions: ["rds-db:connect"], resources: [this.proxyDbUserArn(dbUser), this.dbUserArn(dbUser)] },
        ]);
        if (this.proxyUsers.has(dbUser)) return;
        this.proxyUsers.add(dbUser);
        new aws.iam.RolePolicy(
            this.childName(`proxy-connect-${dbUser.toLowerCase().replace(/_/g, "-")}`),
            {
                role: this.proxyRole.name,
                policy: this.dbUserArn(dbUser).apply((arn) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "ConnectAs", Effect: "Allow", Action: ["rds-db:connect"], Resource: [arn] }] })),
            },
            this.childOpts(),
        );
    }

    /**
     * Lets `identity` read the RDS-managed master credentials (the migrations job, which logs in to the cluster's
     * writer endpoint directly): `GetSecretValue` on the secret and `kms:Decrypt` through Secrets Manager only.
     */
    public grantReadMasterSecret(identity: Grantable): void {
        identity.addStatements(`${this.baseName}-master-secret`, [
            { sid: sidOf(this.baseName, "master", "secret"), actions: ["secretsmanager:GetSecretValue"], resources: [this.masterSecretArn] },
            { sid: sidOf(this.baseName, "master", "key"), actions: ["kms:Decrypt"], resources: [this.kmsKeyArn], condition: viaServiceCondition("secretsmanager") },
        ]);
    }
}

/** Either PostgreSQL form: what infra wires the app to (host, read host, connection budget, grants). */
export type PostgresDatabase = Database | AuroraDatabase;
