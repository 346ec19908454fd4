import { Database, DatabaseArgs, monitoringTrustPolicy, POSTGRES_PARAMETERS } from "../../../components/database";
import { WorkloadIdentity } from "../../../components/identity";
import { KmsKey } from "../../../components/secrets";
import { grantDocument, RecordingIdentity } from "../../support/grants";
import { evaluateGraph, mandatory } from "../../support/policy";
import { runPulumi } from "../../support/pulumi";

/**
 * The pack's findings without the alarm-coverage policy, which judges a whole stack: a lone component has no alarm
 * topic, so its database, cache, queues or distribution are rightly reported. test/components/observe shows the
 * component with its `alarms(topic)` passing the prod pack, alarm coverage included.
 */
const componentOnly = <T extends { policy: string }>(violations: T[]): T[] => violations.filter((v) => v.policy !== "aws-cloudwatch-metricalarm-enforce-coverage");

const INSTANCE = "aws:rds/instance:Instance";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/given";
const base: DatabaseArgs = { vpcId: "vpc-0abc", subnetIds: ["subnet-iso-a", "subnet-iso-b", "subnet-iso-c"], allowedSecurityGroupIds: ["sg-app", "sg-worker"] };

/** The prod preset recommended for infra. */
const prod: DatabaseArgs = { ...base, instanceClass: "db.m7g.large", allocatedStorage: 50, maxAllocatedStorage: 500, backupRetentionDays: 14, logRetentionDays: 365 };
/** The dev preset recommended for infra. */
const dev: DatabaseArgs = {
    ...base,
    instanceClass: "db.t4g.micro",
    maxAllocatedStorage: 50,
    multiAz: false,
    deletionProtection: false,
    performanceInsights: false,
    monitoringIntervalSeconds: 0,
    protect: false,
};

describe("Database", () => {
    it("declares a private, encrypted, TLS-only PostgreSQL 17 reachable from the given security groups only", async () => {
        // GIVEN the prod preset with a key of its own WHEN the program runs
        let db!: Database;
        const g = await runPulumi(() => (db = new Database("app-db", prod)), { stack: "prod" });
        const instance = g.one(INSTANCE);
        // THEN the instance is private, encrypted with its own key, with RDS managing the master password with that key
        const key = g.one("aws:kms/key:Key");
        expect(instance.inputs).toMatchObject({
            identifier: "groundwork-prod-app-db",
            engine: "postgres",
            engineVersion: "17",
            instanceClass: "db.m7g.large",
            publiclyAccessible: false,
            storageEncrypted: true,
            kmsKeyId: key.outputs.arn,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: key.outputs.arn,
            performanceInsightsKmsKeyId: key.outputs.arn,
            iamDatabaseAuthenticationEnabled: true,
            username: "groundwork_admin",
            port: 5432,
            allocatedStorage: 50,
            maxAllocatedStorage: 500,
            storageType: "gp3",
            backupRetentionPeriod: 14,
            multiAz: true,
            deletionProtection: true,
            skipFinalSnapshot: false,
            finalSnapshotIdentifier: "groundwork-prod-app-db-final",
            autoMinorVersionUpgrade: true,
            enabledCloudwatchLogsExports: ["postgresql", "upgrade"],
            performanceInsightsEnabled: true,
            monitoringInterval: 60,
        });
        expect(instance.inputs.password).toBeUndefined();
        expect([instance.protect, instance.retainOnDelete, key.protect]).toEqual([true, true, true]);
        // AND it sits in its own subnet group of exactly the given subnets
        const subnets = g.one("aws:rds/subnetGroup:SubnetGroup");
        expect(subnets.inputs.subnetIds).toEqual(base.subnetIds);
        expect(instance.inputs.dbSubnetGroupName).toBe(subnets.outputs.name);
        // AND its security group admits 5432 only from the given security groups, with no CIDR ingress
        const sg = g.one("aws:ec2/securityGroup:SecurityGroup");
        expect(instance.inputs.vpcSecurityGroupIds).toEqual([sg.outputs.id]);
        expect(sg.inputs.ingress).toBeUndefined();
        expect(
            g.byType(INGRESS).map((r) => ({ sg: r.inputs.securityGroupId, from: r.inputs.referencedSecurityGroupId, ports: [r.inputs.fromPort, r.inputs.toPort], cidr: r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6 })),
        ).toEqual([
            { sg: sg.outputs.id, from: "sg-app", ports: [5432, 5432], cidr: undefined },
            { sg: sg.outputs.id, from: "sg-worker", ports: [5432, 5432], cidr: undefined },
        ]);
        // AND the parameter group it uses forces TLS
        const params = g.one("aws:rds/parameterGroup:ParameterGroup");
        expect(params.inputs.family).toBe("postgres17");
        expect(params.inputs.parameters).toEqual(POSTGRES_PARAMETERS.map((p) => ({ ...p, applyMethod: "immediate" })));
        expect(instance.inputs.parameterGroupName).toBe(params.outputs.name);
        // AND the exported logs land in log groups with retention, created before the instance
        const logs = g.byType("aws:cloudwatch/logGroup:LogGroup");
        expect(logs.map((l) => [l.inputs.name, l.inputs.retentionInDays, l.inputs.kmsKeyId])).toEqual([
            ["/aws/rds/instance/groundwork-prod-app-db/postgresql", 365, key.outputs.arn],
            ["/aws/rds/instance/groundwork-prod-app-db/upgrade", 365, key.outputs.arn],
        ]);
        // (the own key lets CloudWatch Logs use it for this account's log groups)
        expect(JSON.parse(key.inputs.policy).Statement.map((st: { Sid: string }) => st.Sid)).toEqual(["AccountRootAdministersKey", "CloudWatchLogsUsesKeyForAccountLogGroups"]);
        for (const l of logs) expect(instance.dependencies).toContain(l.urn);
        // AND enhanced monitoring uses a role RDS monitoring alone may assume, with the AWS-managed policy
        const role = g.one("aws:iam/role:Role");
        expect(JSON.parse(role.inputs.assumeRolePolicy)).toEqual(monitoringTrustPolicy("123456789012"));
        expect(g.one("aws:iam/rolePolicyAttachment:RolePolicyAttachment").inputs).toEqual({ role: role.outputs.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" });
        expect(instance.inputs.monitoringRoleArn).toBe(role.outputs.arn);
        // AND the outputs come from the instance
        const out = await new Promise<unknown[]>((resolve) =>
            require("@pulumi/pulumi").all([db.masterSecretArn, db.maxConnections, db.port, db.resourceId, db.securityGroupId]).apply(resolve),
        );
        expect(out).toEqual([instance.outputs.masterUserSecrets[0].secretArn, 901, 5432, instance.outputs.resourceId, sg.outputs.id]);
        // AND the prod pack raises nothing at all
        expect(componentOnly(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
    });

    it("encrypts storage, master secret and Performance Insights with a given key and creates none", async () => {
        const g = await runPulumi(() => new Database("app-db", { ...base, kmsKeyArn: KEY_ARN }));
        expect(g.byType("aws:kms/key:Key")).toEqual([]);
        expect(g.one(INSTANCE).inputs).toMatchObject({ kmsKeyId: KEY_ARN, masterUserSecretKmsKeyId: KEY_ARN, performanceInsightsKmsKeyId: KEY_ARN });
        // a given key may not allow CloudWatch Logs: the log groups are not encrypted with it unless logKmsKeyArn says so
        expect(g.byType("aws:cloudwatch/logGroup:LogGroup").map((l) => l.inputs.kmsKeyId)).toEqual([undefined, undefined]);
    });

    it("encrypts the log groups with logKmsKeyArn when given", async () => {
        const logKey = "arn:aws:kms:us-east-1:123456789012:key/logs";
        const g = await runPulumi(() => new Database("app-db", { ...base, kmsKeyArn: KEY_ARN, logKmsKeyArn: logKey }));
        expect(g.byType("aws:cloudwatch/logGroup:LogGroup").map((l) => l.inputs.kmsKeyId)).toEqual([logKey, logKey]);
    });

    it("encrypts with a KmsKey component's key when one is handed over", async () => {
        const g = await runPulumi(() => {
            const key = new KmsKey("data", { protect: false });
            new Database("app-db", { ...base, kmsKeyArn: key.keyArn, protect: false });
        });
        expect(g.byType("aws:kms/key:Key")).toHaveLength(1);
        expect(g.one(INSTANCE).inputs.kmsKeyId).toBe(g.one("aws:kms/key:Key").outputs.arn);
    });

    it("dev preset: single AZ, no PI/monitoring, unprotected, and still no mandatory violation in dev", async () => {
        const g = await runPulumi(() => new Database("app-db", dev), { stack: "dev" });
        const instance = g.one(INSTANCE);
        expect(instance.inputs).toMatchObject({ multiAz: false, deletionProtection: false, performanceInsightsEnabled: false, monitoringInterval: 0, skipFinalSnapshot: false });
        expect(instance.inputs.performanceInsightsKmsKeyId).toBeUndefined();
        expect([instance.protect, g.one("aws:kms/key:Key").protect]).toEqual([false, false]);
        expect(g.byType("aws:iam/role:Role")).toEqual([]);
        expect(mandatory(await evaluateGraph(g, { tier: "dev" }))).toEqual([]);
        // and the prod pack would refuse exactly the two prod-only properties
        expect(mandatory(componentOnly(await evaluateGraph(g, { tier: "prod" }))).map((v) => v.policy).sort()).toEqual([
            "aws-rds-instance-enable-deletion-protection",
            "aws-rds-instance-enable-multi-az",
        ]);
    });

    it("grantConnect names the rds-db:connect ARN of the user on this instance only", async () => {
        const identity = new RecordingIdentity();
        const g = await runPulumi(() => new Database("app-db", { ...base, kmsKeyArn: KEY_ARN }).grantConnect(identity, "app_user"));
        const resourceId = g.one(INSTANCE).outputs.resourceId;
        expect(grantDocument(g, "app-db-connect-app-user")).toEqual({
            Version: "2012-10-17",
            Statement: [{ Sid: "AppDbConnectAppUser", Effect: "Allow", Action: ["rds-db:connect"], Resource: [`arn:aws:rds-db:us-east-1:123456789012:dbuser:${resourceId}/app_user`] }],
        });
    });

    it("grantReadMasterSecret names the master secret and the database key (through Secrets Manager) only", async () => {
        const g = await runPulumi(() => new Database("app-db", { ...base, kmsKeyArn: KEY_ARN }).grantReadMasterSecret(new RecordingIdentity()));
        const secretArn = g.one(INSTANCE).outputs.masterUserSecrets[0].secretArn;
        expect(grantDocument(g, "app-db-master-secret")).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Sid: "AppDbMasterSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secretArn] },
                { Sid: "AppDbMasterKey", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [KEY_ARN], Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } },
            ],
        });
    });

    it("grantConnect to a user name with '_' works with a real WorkloadIdentity (its grant names allow only '-')", async () => {
        const g = await runPulumi(() => {
            const identity = new WorkloadIdentity("api", { namespace: "app", serviceAccountName: "api", oidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/ABC", oidcIssuer: "https://oidc.eks.us-east-1.amazonaws.com/id/ABC" });
            new Database("app-db", { ...base, kmsKeyArn: KEY_ARN }).grantConnect(identity, "app_user");
        });
        const policy = JSON.parse(g.one("aws:iam/rolePolicy:RolePolicy", "api-app-db-connect-app-user").inputs.policy);
        expect(policy.Statement[0].Resource[0]).toMatch(/:dbuser:.*\/app_user$/);
    });

    it("grantConnect rejects a bad user name", async () => {
        await expect(runPulumi(() => new Database("app-db", base).grantConnect(new RecordingIdentity(), "app-user;drop"))).rejects.toThrow(
            "Database 'app-db': invalid 'dbUser': 'app-user;drop' is not a valid PostgreSQL user name",
        );
    });

    it.each<[string, Partial<DatabaseArgs>, string]>([
        ["subnetIds", { subnetIds: ["subnet-a"] }, "invalid 'subnetIds': 1 subnet(s) given"],
        ["allowedSecurityGroupIds", { allowedSecurityGroupIds: [] }, "invalid 'allowedSecurityGroupIds': no security group may connect"],
        ["instanceClass", { instanceClass: "db.t2.micro" }, "invalid 'instanceClass': 'db.t2.micro' is not a known RDS PostgreSQL class"],
        ["engineVersion", { engineVersion: "13" }, "invalid 'engineVersion': '13' is not a current PostgreSQL version"],
        ["engineVersion", { engineVersion: "latest" }, "invalid 'engineVersion': 'latest' is not a current PostgreSQL version"],
        ["username", { username: "postgres" }, "invalid 'username': 'postgres' is a default admin user name"],
        ["username", { username: "Admin" }, "invalid 'username': 'Admin' is a default admin user name"],
        ["username", { username: "1admin" }, "invalid 'username': '1admin' is not a valid user name"],
        ["dbName", { dbName: "app-db" }, "invalid 'dbName': 'app-db' is not a valid database name"],
        ["allocatedStorage", { allocatedStorage: 10 }, "invalid 'allocatedStorage': 10 is outside 20..65536 GiB"],
        ["maxAllocatedStorage", { allocatedStorage: 100, maxAllocatedStorage: 100 }, "invalid 'maxAllocatedStorage': 100 GiB does not exceed allocatedStorage (100 GiB)"],
        ["backupRetentionDays", { backupRetentionDays: 0 }, "invalid 'backupRetentionDays': 0 is outside 1..35 (0 would turn backups off)"],
        ["monitoringIntervalSeconds", { monitoringIntervalSeconds: 20 }, "invalid 'monitoringIntervalSeconds': 20 is not an interval RDS accepts"],
        ["logRetentionDays", { logRetentionDays: 2 }, "invalid 'logRetentionDays': 2 is not a retention CloudWatch accepts"],
        ["identifier", { identifier: "Bad_Id" }, "invalid 'identifier': 'Bad_Id' is not a valid RDS identifier"],
        ["identifier", { identifier: "double--hyphen" }, "invalid 'identifier': 'double--hyphen' is not a valid RDS identifier"],
    ])("rejects a bad %s before declaring anything", async (_field, change, message) => {
        await expect(runPulumi(() => new Database("app-db", { ...base, ...change }))).rejects.toThrow(`Database 'app-db': ${message}`);
    });
});
