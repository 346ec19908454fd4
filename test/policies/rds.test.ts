import { rdsInstanceConfigureBackupRetention } from "../../policies/security/rules/rds/instance/configureBackupRetention";
import { rdsInstanceDisallowDefaultUsername } from "../../policies/security/rules/rds/instance/disallowDefaultUsername";
import { rdsInstanceDisallowPublicAccess } from "../../policies/security/rules/rds/instance/disallowPublicAccess";
import { rdsInstanceEnableAutoMinorUpgrade } from "../../policies/security/rules/rds/instance/enableAutoMinorUpgrade";
import { rdsInstanceEnableDeletionProtection } from "../../policies/security/rules/rds/instance/enableDeletionProtection";
import { rdsInstanceEnableEnhancedMonitoring } from "../../policies/security/rules/rds/instance/enableEnhancedMonitoring";
import { rdsInstanceEnableIamAuthentication } from "../../policies/security/rules/rds/instance/enableIamAuthentication";
import { rdsInstanceEnableLogExports } from "../../policies/security/rules/rds/instance/enableLogExports";
import { rdsInstanceEnableMultiAz } from "../../policies/security/rules/rds/instance/enableMultiAz";
import { rdsInstanceEnablePerformanceInsights } from "../../policies/security/rules/rds/instance/enablePerformanceInsights";
import { rdsInstanceEnableStorageEncryption } from "../../policies/security/rules/rds/instance/enableStorageEncryption";
import { RDS_TYPES, rdsInstanceEnforceSsl } from "../../policies/security/rules/rds/instance/enforceSsl";
import { checkResource, checkStack, graphResource } from "../support/policy";
import { ruleTable, type Props } from "../support/ruleTable";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/1111-2222";

/** An instance as the Database component declares it. */
const good: Props = {
    identifier: "groundwork-prod-db",
    engine: "postgres",
    engineVersion: "17",
    instanceClass: "db.m7g.large",
    username: "groundwork_admin",
    manageMasterUserPassword: true,
    publiclyAccessible: false,
    storageEncrypted: true,
    kmsKeyId: KEY,
    backupRetentionPeriod: 7,
    multiAz: true,
    deletionProtection: true,
    parameterGroupName: "db-params-abc123",
    enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
    autoMinorVersionUpgrade: true,
    iamDatabaseAuthenticationEnabled: true,
    performanceInsightsEnabled: true,
    performanceInsightsKmsKeyId: KEY,
    monitoringInterval: 60,
    monitoringRoleArn: "arn:aws:iam::111122223333:role/db-monitoring",
};

describe("aws-rds-instance-disallow-public-access", () => {
    ruleTable(rdsInstanceDisallowPublicAccess, good, [
        ["publiclyAccessible true", (p) => (p.publiclyAccessible = true), ["publiclyAccessible is true: the instance gets a public IP address"]],
        ["publiclyAccessible \"true\"", (p) => (p.publiclyAccessible = "true"), ["publiclyAccessible is true: the instance gets a public IP address"]],
        ["passes: not set (private by default)", (p) => delete p.publiclyAccessible, []],
    ]);
});

describe("aws-rds-instance-enable-storage-encryption", () => {
    ruleTable(rdsInstanceEnableStorageEncryption, good, [
        ["not set", (p) => delete p.storageEncrypted, ["storageEncrypted is not set: storage is not encrypted"]],
        ["false", (p) => (p.storageEncrypted = false), ["storageEncrypted is false: storage is not encrypted"]],
        ["passes: read replica (inherits its source's encryption)", (p) => (delete p.storageEncrypted, (p.replicateSourceDb = "arn:aws:rds:eu-west-1:111122223333:db:src")), []],
    ]);
});

/** An Aurora cluster and one of its members, as a user writes them with plain @pulumi/aws. */
const goodCluster: Props = {
    engine: "aurora-postgresql",
    engineVersion: "16.4",
    masterUsername: "ledger",
    manageMasterUserPassword: true,
    storageEncrypted: true,
    kmsKeyId: KEY,
    backupRetentionPeriod: 7,
    dbSubnetGroupName: "private-db-subnets",
};
const goodClusterInstance: Props = { clusterIdentifier: "ledger", instanceClass: "db.r6g.large", engine: "aurora-postgresql", publiclyAccessible: false };

describe("aws-rds-instance-disallow-public-access: Aurora cluster members", () => {
    ruleTable(
        rdsInstanceDisallowPublicAccess,
        goodClusterInstance,
        [
            ["ClusterInstance publiclyAccessible true", (p) => (p.publiclyAccessible = true), ["publiclyAccessible is true: the instance gets a public IP address"]],
            ["passes: ClusterInstance publiclyAccessible not set", (p) => delete p.publiclyAccessible, []],
        ],
        { type: "aws:rds/clusterInstance:ClusterInstance" },
    );
});

describe("aws-rds-instance-enable-storage-encryption: Aurora and Multi-AZ DB clusters", () => {
    ruleTable(
        rdsInstanceEnableStorageEncryption,
        goodCluster,
        [
            ["Cluster storageEncrypted not set", (p) => delete p.storageEncrypted, ["storageEncrypted is not set: storage is not encrypted"]],
            ["Cluster storageEncrypted false", (p) => (p.storageEncrypted = false), ["storageEncrypted is false: storage is not encrypted"]],
            ["passes: Aurora Serverless v1 (always encrypted)", (p) => (delete p.storageEncrypted, (p.engineMode = "serverless")), []],
            ["still fails: provisioned engine mode, not set", (p) => (delete p.storageEncrypted, (p.engineMode = "provisioned")), ["storageEncrypted is not set: storage is not encrypted"]],
        ],
        { type: "aws:rds/cluster:Cluster" },
    );
});

describe("aws-rds-instance-configure-backup-retention and -enable-deletion-protection: Aurora and Multi-AZ DB clusters", () => {
    const cluster = { ...goodCluster, deletionProtection: true };
    ruleTable(
        rdsInstanceConfigureBackupRetention,
        cluster,
        [
            ["backupRetentionPeriod not set (Aurora keeps 1 day)", (p) => delete p.backupRetentionPeriod, ["backupRetentionPeriod is not set: fewer than 7 days of backups"]],
            ["backupRetentionPeriod 1", (p) => (p.backupRetentionPeriod = 1), ["backupRetentionPeriod is 1: fewer than 7 days of backups"]],
        ],
        { type: "aws:rds/cluster:Cluster" },
    );
    ruleTable(
        rdsInstanceEnableDeletionProtection,
        cluster,
        [["deletionProtection not set", (p) => delete p.deletionProtection, ["deletionProtection is not set: the instance can be deleted by one API call"]]],
        { type: "aws:rds/cluster:Cluster" },
    );
});

describe("aws-rds-instance-configure-backup-retention", () => {
    ruleTable(rdsInstanceConfigureBackupRetention, good, [
        ["not set", (p) => delete p.backupRetentionPeriod, ["backupRetentionPeriod is not set: fewer than 7 days of backups"]],
        ["0 (backups off)", (p) => (p.backupRetentionPeriod = 0), ["backupRetentionPeriod is 0: automated backups are off"]],
        ["1 day", (p) => (p.backupRetentionPeriod = 1), ["backupRetentionPeriod is 1: fewer than 7 days of backups"]],
        ["not a number", (p) => (p.backupRetentionPeriod = "week"), ['backupRetentionPeriod is "week": not a number of days']],
        ["passes: 35 days", (p) => (p.backupRetentionPeriod = 35), []],
        ["passes: read replica", (p) => (delete p.backupRetentionPeriod, (p.replicateSourceDb = "src")), []],
    ]);
    it("applies 7 days in dev as well (retention >= 7 is mandatory in every tier)", () => {
        expect(checkResource(rdsInstanceConfigureBackupRetention, { ...good, backupRetentionPeriod: 3 }, { tier: "dev" })).toEqual([
            "backupRetentionPeriod is 3: fewer than 7 days of backups",
        ]);
    });
});

describe("aws-rds-instance-enable-multi-az", () => {
    ruleTable(rdsInstanceEnableMultiAz, good, [
        ["not set", (p) => delete p.multiAz, ["multiAz is not set: the instance runs in a single AZ"]],
        ["false", (p) => (p.multiAz = false), ["multiAz is false: the instance runs in a single AZ"]],
    ]);
    it("is mandatory in prod only", () => expect(rdsInstanceEnableMultiAz.level).toBe("mandatory-prod"));
});

describe("aws-rds-instance-enable-deletion-protection", () => {
    ruleTable(rdsInstanceEnableDeletionProtection, good, [
        ["not set", (p) => delete p.deletionProtection, ["deletionProtection is not set: the instance can be deleted by one API call"]],
        ["false", (p) => (p.deletionProtection = false), ["deletionProtection is false: the instance can be deleted by one API call"]],
    ]);
    it("is mandatory in prod only", () => expect(rdsInstanceEnableDeletionProtection.level).toBe("mandatory-prod"));
});

describe("aws-rds-instance-enable-log-exports", () => {
    ruleTable(rdsInstanceEnableLogExports, good, [
        ["not set", (p) => delete p.enabledCloudwatchLogsExports, ["enabledCloudwatchLogsExports is not set: database logs stay on the instance"]],
        ["empty", (p) => (p.enabledCloudwatchLogsExports = []), ["enabledCloudwatchLogsExports is not set: database logs stay on the instance"]],
        ["upgrade only", (p) => (p.enabledCloudwatchLogsExports = ["upgrade"]), ['enabledCloudwatchLogsExports is ["upgrade"]: the postgresql log is not exported']],
        ["passes: postgresql only", (p) => (p.enabledCloudwatchLogsExports = ["postgresql"]), []],
        ["passes: another engine exporting its own log", (p) => ((p.engine = "mysql"), (p.enabledCloudwatchLogsExports = ["error"])), []],
    ]);
});

describe("aws-rds-instance-enable-auto-minor-upgrade", () => {
    ruleTable(rdsInstanceEnableAutoMinorUpgrade, good, [
        ["false", (p) => (p.autoMinorVersionUpgrade = false), ["autoMinorVersionUpgrade is false: security patches of the engine are not applied"]],
        ["passes: not set (AWS default on)", (p) => delete p.autoMinorVersionUpgrade, []],
    ]);
});

describe("aws-rds-instance-enable-iam-authentication", () => {
    ruleTable(rdsInstanceEnableIamAuthentication, good, [
        ["not set", (p) => delete p.iamDatabaseAuthenticationEnabled, ["iamDatabaseAuthenticationEnabled is not set: only passwords can authenticate"]],
        ["false", (p) => (p.iamDatabaseAuthenticationEnabled = false), ["iamDatabaseAuthenticationEnabled is false: only passwords can authenticate"]],
    ]);
});

describe("aws-rds-instance-enable-performance-insights", () => {
    ruleTable(rdsInstanceEnablePerformanceInsights, good, [
        ["not set", (p) => delete p.performanceInsightsEnabled, ["performanceInsightsEnabled is not set: no query-level performance data"]],
        ["false", (p) => (p.performanceInsightsEnabled = false), ["performanceInsightsEnabled is false: no query-level performance data"]],
        ["no customer key", (p) => delete p.performanceInsightsKmsKeyId, ["performanceInsightsKmsKeyId is not set: Performance Insights data is encrypted with the AWS-managed key"]],
    ]);
});

describe("aws-rds-instance-enable-enhanced-monitoring", () => {
    ruleTable(rdsInstanceEnableEnhancedMonitoring, good, [
        ["not set", (p) => delete p.monitoringInterval, ["monitoringInterval is not set: enhanced monitoring is off"]],
        ["0", (p) => (p.monitoringInterval = 0), ["monitoringInterval is 0: enhanced monitoring is off"]],
        ["no role", (p) => delete p.monitoringRoleArn, ["monitoringRoleArn is not set: enhanced monitoring cannot publish"]],
    ]);
});

describe("aws-rds-instance-disallow-default-username", () => {
    ruleTable(rdsInstanceDisallowDefaultUsername, good, [
        ["postgres", (p) => (p.username = "postgres"), ["username is 'postgres': a default admin user name"]],
        ["Admin (any case)", (p) => (p.username = "Admin"), ["username is 'Admin': a default admin user name"]],
        ["not set", (p) => delete p.username, ["username is not set: the admin user name is not chosen"]],
        ["passes: restored from a snapshot (user inherited)", (p) => (delete p.username, (p.snapshotIdentifier = "snap-1")), []],
    ]);
});

describe("aws-rds-instance-enforce-ssl", () => {
    const forced = { family: "postgres17", name: "db-params-abc123", parameters: [{ name: "log_connections", value: "1" }, { name: "rds.force_ssl", value: "1" }] };
    const pg = graphResource(RDS_TYPES.parameterGroup, "db-params", forced);
    const db = graphResource(RDS_TYPES.instance, "db-instance", { ...good }, { dependencyUrns: [pg.urn] });
    const msg = (m: string) => [{ urn: db.urn, message: m }];

    it.each<[string, ReturnType<typeof graphResource>[], { urn?: string; message: string }[]]>([
        ["passes: the group of the same name forces TLS", [pg, db], []],
        [
            "passes: autonamed group (no name input) found through the dependency",
            [graphResource(RDS_TYPES.parameterGroup, "db-params", { ...forced, name: undefined }), { ...db, props: { ...good, parameterGroupName: "db-params-abc123" } }],
            [],
        ],
        ["passes: numeric value 1", [graphResource(RDS_TYPES.parameterGroup, "db-params", { ...forced, parameters: [{ name: "rds.force_ssl", value: 1 }] }), db], []],
        ["passes: a mysql instance is not checked", [graphResource(RDS_TYPES.instance, "my", { engine: "mysql" })], []],
        [
            "rds.force_ssl 0",
            [graphResource(RDS_TYPES.parameterGroup, "db-params", { ...forced, parameters: [{ name: "rds.force_ssl", value: "0" }] }), db],
            msg("instance 'db-instance' uses parameter group 'db-params', which does not set rds.force_ssl to 1"),
        ],
        [
            "rds.force_ssl missing",
            [graphResource(RDS_TYPES.parameterGroup, "db-params", { ...forced, parameters: [{ name: "log_connections", value: "1" }] }), db],
            msg("instance 'db-instance' uses parameter group 'db-params', which does not set rds.force_ssl to 1"),
        ],
        [
            "no parameterGroupName (default group)",
            [{ ...db, props: { ...good, parameterGroupName: undefined }, dependencyUrns: [] }],
            msg("instance 'db-instance' has no parameterGroupName: the default parameter group cannot be shown to force TLS"),
        ],
        [
            "a group not declared in the stack",
            [{ ...db, props: { ...good, parameterGroupName: "shared-pg" }, dependencyUrns: [] }],
            msg("instance 'db-instance' uses parameter group 'shared-pg', which is not declared in this stack: rds.force_ssl cannot be verified"),
        ],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(rdsInstanceEnforceSsl, resources)).toEqual(expected);
    });
});

describe("the cluster forms and the proxy (the same risks, other resource types)", () => {
    const CLUSTER = "aws:rds/cluster:Cluster";
    const MEMBER = "aws:rds/clusterInstance:ClusterInstance";
    const full: Props = { ...goodCluster, enabledCloudwatchLogsExports: ["postgresql"], iamDatabaseAuthenticationEnabled: true };

    describe("aws-rds-instance-enable-log-exports on a cluster", () => {
        ruleTable(
            rdsInstanceEnableLogExports,
            full,
            [
                ["not set", (p) => delete p.enabledCloudwatchLogsExports, ["enabledCloudwatchLogsExports is not set: database logs stay on the instance"]],
                ["aurora-postgresql without the postgresql log", (p) => (p.enabledCloudwatchLogsExports = ["instance"]), ['enabledCloudwatchLogsExports is ["instance"]: the postgresql log is not exported']],
                ["passes: aurora-mysql exporting its audit log", (p) => ((p.engine = "aurora-mysql"), (p.enabledCloudwatchLogsExports = ["audit"])), []],
            ],
            { type: CLUSTER },
        );
    });
    describe("aws-rds-instance-enable-iam-authentication on a cluster", () => {
        ruleTable(rdsInstanceEnableIamAuthentication, full, [["not set", (p) => delete p.iamDatabaseAuthenticationEnabled, ["iamDatabaseAuthenticationEnabled is not set: only passwords can authenticate"]]], { type: CLUSTER });
    });
    describe("member settings on aws.rds.ClusterInstance", () => {
        const member: Props = { ...goodClusterInstance, performanceInsightsEnabled: true, performanceInsightsKmsKeyId: KEY, monitoringInterval: 30, monitoringRoleArn: "arn:aws:iam::111122223333:role/mon" };
        ruleTable(rdsInstanceEnablePerformanceInsights, member, [["performanceInsightsEnabled not set", (p) => delete p.performanceInsightsEnabled, ["performanceInsightsEnabled is not set: no query-level performance data"]]], { type: MEMBER });
        ruleTable(rdsInstanceEnableEnhancedMonitoring, member, [["monitoringInterval 0", (p) => (p.monitoringInterval = 0), ["monitoringInterval is 0: enhanced monitoring is off"]]], { type: MEMBER });
        ruleTable(rdsInstanceEnableAutoMinorUpgrade, member, [["autoMinorVersionUpgrade false", (p) => (p.autoMinorVersionUpgrade = false), ["autoMinorVersionUpgrade is false: security patches of the engine are not applied"]]], { type: MEMBER });
    });
    describe("aws-rds-instance-disallow-default-username on a cluster (masterUsername)", () => {
        ruleTable(
            rdsInstanceDisallowDefaultUsername,
            full,
            [
                ["masterUsername postgres", (p) => (p.masterUsername = "postgres"), ["masterUsername is 'postgres': a default admin user name"]],
                ["masterUsername not set", (p) => delete p.masterUsername, ["masterUsername is not set: the admin user name is not chosen"]],
                ["passes: a secondary cluster of a global database", (p) => (delete p.masterUsername, (p.globalClusterIdentifier = "payments-global")), []],
                ["passes: a cross-region replica cluster", (p) => (delete p.masterUsername, (p.replicationSourceIdentifier = "arn:aws:rds:eu-west-1:111122223333:cluster:src")), []],
            ],
            { type: CLUSTER },
        );
    });
    describe("aws-rds-instance-enable-storage-encryption on a global database", () => {
        ruleTable(
            rdsInstanceEnableStorageEncryption,
            { globalClusterIdentifier: "payments", engine: "aurora-postgresql", storageEncrypted: true },
            [
                ["created empty, storageEncrypted not set", (p) => delete p.storageEncrypted, ["storageEncrypted is not set: storage is not encrypted"]],
                ["passes: built from an existing cluster (inherits its encryption)", (p) => (delete p.storageEncrypted, (p.sourceDbClusterIdentifier = "arn:aws:rds:eu-west-1:111122223333:cluster:src")), []],
            ],
            { type: "aws:rds/globalCluster:GlobalCluster" },
        );
    });

    describe("aws-rds-instance-enforce-ssl on clusters and proxies", () => {
        const forced = { family: "aurora-postgresql16", name: "ledger-params", parameters: [{ name: "rds.force_ssl", value: "1" }] };
        const cpg = graphResource(RDS_TYPES.clusterParameterGroup, "ledger-params", forced);
        const cluster = graphResource(RDS_TYPES.cluster, "ledger", { ...full, dbClusterParameterGroupName: "ledger-params" });
        const proxy = graphResource(RDS_TYPES.proxy, "ledger-proxy", { engineFamily: "POSTGRESQL", requireTls: true });
        it.each<[string, ReturnType<typeof graphResource>[], { urn?: string; message: string }[]]>([
            ["passes: the cluster parameter group forces TLS and the proxy requires it", [cpg, cluster, proxy], []],
            ["passes: an aurora-mysql cluster is not checked", [graphResource(RDS_TYPES.cluster, "my", { engine: "aurora-mysql" })], []],
            [
                "cluster parameter group without rds.force_ssl",
                [graphResource(RDS_TYPES.clusterParameterGroup, "ledger-params", { ...forced, parameters: [] }), cluster],
                [{ urn: cluster.urn, message: "cluster 'ledger' uses parameter group 'ledger-params', which does not set rds.force_ssl to 1" }],
            ],
            [
                "a DB parameter group forcing TLS does not count for a cluster",
                [graphResource(RDS_TYPES.parameterGroup, "ledger-params", { ...forced, family: "postgres16" }), cluster],
                [{ urn: cluster.urn, message: "cluster 'ledger' uses parameter group 'ledger-params', which is not declared in this stack: rds.force_ssl cannot be verified" }],
            ],
            [
                "cluster without dbClusterParameterGroupName",
                [{ ...cluster, props: { ...full } }],
                [{ urn: cluster.urn, message: "cluster 'ledger' has no dbClusterParameterGroupName: the default parameter group cannot be shown to force TLS" }],
            ],
            ["proxy requireTls not set", [{ ...proxy, props: { engineFamily: "POSTGRESQL" } }], [{ urn: proxy.urn, message: "proxy 'ledger-proxy' has requireTls not set: clients may connect in plaintext" }]],
            ["proxy requireTls false (any engine)", [{ ...proxy, props: { engineFamily: "MYSQL", requireTls: false } }], [{ urn: proxy.urn, message: "proxy 'ledger-proxy' has requireTls false: clients may connect in plaintext" }]],
        ])("%s", (_label, resources, expected) => {
            expect(checkStack(rdsInstanceEnforceSsl, resources)).toEqual(expected);
        });
    });
});
