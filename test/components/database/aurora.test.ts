import { AuroraDatabase, AuroraDatabaseArgs, auroraAlarmSpecs, isAuroraPostgresClass, postgresMaxConnections, proxyResourceId } from "../../../components/database";
import { grantDocument, RecordingIdentity } from "../../support/grants";
import { evaluateGraph, mandatory } from "../../support/policy";
import { runPulumi } from "../../support/pulumi";

/** Alarm coverage judges a whole stack (a lone component has no topic): test/infra covers it. */
const componentOnly = <T extends { policy: string }>(violations: T[]): T[] => violations.filter((v) => v.policy !== "aws-cloudwatch-metricalarm-enforce-coverage");

const base: AuroraDatabaseArgs = {
    vpcId: "vpc-0abc",
    vpcCidrBlock: "10.20.0.0/16",
    subnetIds: ["subnet-iso-a", "subnet-iso-b", "subnet-iso-c"],
    availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"],
    allowedSecurityGroupIds: ["sg-nodes"],
};

describe("AuroraDatabase", () => {
    it("declares a TLS-only, encrypted, IAM-authenticated cluster with a writer and readers across the AZs, reader auto scaling and RDS Proxy", async () => {
        // GIVEN the prod-like args WHEN the program runs
        let db!: AuroraDatabase;
        const g = await runPulumi(() => (db = new AuroraDatabase("db", { ...base, readerMinCount: 2, readerMaxCount: 6, proxyMaxConnectionsPercent: 75, proxyBorrowTimeoutSeconds: 120 })), { stack: "prod" });
        const key = g.one("aws:kms/key:Key");
        const cluster = g.one("aws:rds/cluster:Cluster");
        // THEN the cluster is encrypted with its key, IAM-authenticated, backed up, protected, its master secret managed by RDS
        expect(cluster.inputs).toMatchObject({
            clusterIdentifier: "groundwork-prod-db",
            engine: "aurora-postgresql",
            engineVersion: "17.4",
            storageEncrypted: true,
            kmsKeyId: key.outputs.arn,
            manageMasterUserPassword: true,
            masterUserSecretKmsKeyId: key.outputs.arn,
            iamDatabaseAuthenticationEnabled: true,
            backupRetentionPeriod: 7,
            deletionProtection: true,
            skipFinalSnapshot: false,
            enabledCloudwatchLogsExports: ["postgresql"],
        });
        expect(cluster.protect).toBe(true);
        // AND its cluster parameter group forces TLS
        const params = g.one("aws:rds/clusterParameterGroup:ClusterParameterGroup");
        expect(cluster.inputs.dbClusterParameterGroupName).toBe(params.outputs.name);
        expect(params.inputs.family).toBe("aurora-postgresql17");
        expect(params.inputs.parameters).toContainEqual({ name: "rds.force_ssl", value: "1", applyMethod: "immediate" });
        // AND a writer plus two readers, one per AZ, with Performance Insights on the cluster's key
        const instances = g.byType("aws:rds/clusterInstance:ClusterInstance");
        expect(instances.map((i) => [i.name, i.inputs.availabilityZone, i.inputs.promotionTier])).toEqual([
            ["db-writer", "us-east-1a", 0],
            ["db-reader-1", "us-east-1b", 1],
            ["db-reader-2", "us-east-1c", 1],
        ]);
        for (const i of instances) {
            expect(i.inputs).toMatchObject({ clusterIdentifier: cluster.outputs.id, instanceClass: "db.r7g.large", publiclyAccessible: false, performanceInsightsEnabled: true, performanceInsightsKmsKeyId: key.outputs.arn });
            expect(i.protect).toBe(true);
        }
        // AND reader auto scaling from 2 to 6 readers on the readers' average CPU
        const target = g.one("aws:appautoscaling/target:Target");
        expect(target.inputs).toMatchObject({ serviceNamespace: "rds", scalableDimension: "rds:cluster:ReadReplicaCount", resourceId: "cluster:groundwork-prod-db", minCapacity: 2, maxCapacity: 6 });
        const policy = g.one("aws:appautoscaling/policy:Policy");
        expect(policy.inputs).toMatchObject({ policyType: "TargetTrackingScaling", resourceId: "cluster:groundwork-prod-db" });
        expect(policy.inputs.targetTrackingScalingPolicyConfiguration).toMatchObject({ predefinedMetricSpecification: { predefinedMetricType: "RDSReaderAverageCPUUtilization" }, targetValue: 60 });
        // AND the proxy requires TLS and IAM, reads the master secret through its own role, pools 75% with a 120 s borrow timeout
        const proxy = g.one("aws:rds/proxy:Proxy");
        const role = g.one("aws:iam/role:Role", "db-proxy-role");
        expect(proxy.inputs).toMatchObject({ engineFamily: "POSTGRESQL", requireTls: true, defaultAuthScheme: "IAM_AUTH", roleArn: role.outputs.arn });
        expect(proxy.inputs.auths).toEqual([{ authScheme: "SECRETS", iamAuth: "REQUIRED", secretArn: cluster.outputs.masterUserSecrets[0].secretArn, description: "Admin of db" }]);
        expect(JSON.parse(role.inputs.assumeRolePolicy).Statement[0].Principal).toEqual({ Service: "rds.amazonaws.com" });
        const secretPolicy = JSON.parse(g.one("aws:iam/rolePolicy:RolePolicy", "db-proxy-secret").inputs.policy);
        expect(secretPolicy.Statement[0]).toMatchObject({ Action: ["secretsmanager:GetSecretValue"], Resource: [cluster.outputs.masterUserSecrets[0].secretArn] });
        expect(g.one("aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup").inputs.connectionPoolConfig).toEqual({ maxConnectionsPercent: 75, maxIdleConnectionsPercent: 37, connectionBorrowTimeout: 120 });
        expect(g.one("aws:rds/proxyTarget:ProxyTarget").inputs).toMatchObject({ dbProxyName: proxy.outputs.name, dbClusterIdentifier: "groundwork-prod-db" });
        // AND a read-only proxy endpoint for the readers
        const ro = g.one("aws:rds/proxyEndpoint:ProxyEndpoint");
        expect(ro.inputs).toMatchObject({ dbProxyName: proxy.outputs.name, targetRole: "READ_ONLY" });
        // AND the proxy's own security group admits only the nodes on 5432; the cluster admits the proxy and the nodes
        const proxySg = g.one("aws:ec2/securityGroup:SecurityGroup", "db-proxy-sg");
        const ingress = g.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
        expect(proxy.inputs.vpcSecurityGroupIds).toEqual([proxySg.outputs.id]);
        expect(ingress.filter((r) => r.inputs.securityGroupId === proxySg.outputs.id).map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort])).toEqual([["sg-nodes", 5432]]);
        const clusterSg = g.one("aws:ec2/securityGroup:SecurityGroup", "db-sg");
        expect(ingress.filter((r) => r.inputs.securityGroupId === clusterSg.outputs.id).map((r) => r.inputs.referencedSecurityGroupId).sort()).toEqual([proxySg.outputs.id, "sg-nodes"].sort());
        // AND the app's hosts are the proxy's endpoints
        const [address, readAddress] = await new Promise<[string, string]>((resolve) => require("@pulumi/pulumi").all([db.address, db.readAddress]).apply(resolve));
        expect(address).toBe(proxy.outputs.endpoint);
        expect(readAddress).toBe(ro.outputs.endpoint);
        expect(db.connectionLimits).toEqual({ maxConnections: postgresMaxConnections("db.r7g.large"), instanceClass: "db.r7g.large", proxyMaxConnectionsPercent: 75 });
        // AND no mandatory finding in prod
        expect(mandatory(componentOnly(await evaluateGraph(g, { tier: "prod" })))).toEqual([]);
    });

    it("grantConnect names the proxy's prx- user ARN and the cluster's, and lets the proxy log in as that user", async () => {
        const identity = new RecordingIdentity();
        const g = await runPulumi(() => new AuroraDatabase("db", { ...base, kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/given" }).grantConnect(identity, "app"));
        const prx = proxyResourceId(g.one("aws:rds/proxy:Proxy").outputs.arn);
        expect(prx).toMatch(/^prx-/);
        const clusterId = g.one("aws:rds/cluster:Cluster").outputs.clusterResourceId;
        expect(grantDocument(g, "db-connect-app")).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DbConnectApp",
                    Effect: "Allow",
                    Action: ["rds-db:connect"],
                    Resource: [`arn:aws:rds-db:us-east-1:123456789012:dbuser:${prx}/app`, `arn:aws:rds-db:us-east-1:123456789012:dbuser:${clusterId}/app`],
                },
            ],
        });
        expect(JSON.parse(g.one("aws:iam/rolePolicy:RolePolicy", "db-proxy-connect-app").inputs.policy).Statement[0].Resource).toEqual([`arn:aws:rds-db:us-east-1:123456789012:dbuser:${clusterId}/app`]);
    });

    it("derives its alarms from the cluster: writer connections at 80% of max_connections, the proxy's at 80% of its share", () => {
        const specs = auroraAlarmSpecs({ clusterIdentifier: "c", instanceClass: "db.r7g.large", readerMaxCount: 6, proxyName: "c-proxy", proxyMaxConnectionsPercent: 75 });
        const by = (part: string) => specs.find((s) => s.part === part)!;
        expect(by("connections")).toMatchObject({ dimensions: { DBClusterIdentifier: "c", Role: "WRITER" }, threshold: Math.floor(1802 * 0.8) });
        expect(by("proxy-connections")).toMatchObject({ dimensions: { ProxyName: "c-proxy" }, threshold: Math.floor(Math.floor(1802 * 0.75) * 0.8) });
        expect(by("reader-cpu").dimensions).toEqual({ DBClusterIdentifier: "c", Role: "READER" });
        expect(specs.map((s) => s.part)).toEqual(["writer-cpu", "reader-cpu", "connections", "freeable-memory", "replica-lag", "proxy-connections"]);
    });

    it.each<[string, Partial<AuroraDatabaseArgs>, string]>([
        ["one AZ", { availabilityZones: ["us-east-1a"] }, "invalid 'availabilityZones'"],
        ["a class Aurora does not offer", { instanceClass: "db.m7g.large" }, "invalid 'instanceClass': 'db.m7g.large' is not an Aurora PostgreSQL class"],
        ["no reader", { readerMinCount: 0 }, "invalid 'readerMinCount'"],
        ["max below min", { readerMinCount: 3, readerMaxCount: 2 }, "invalid 'readerMaxCount'"],
        ["a proxy share above 100%", { proxyMaxConnectionsPercent: 120 }, "invalid 'proxyMaxConnectionsPercent'"],
        ["a major-only version", { engineVersion: "17" }, "invalid 'engineVersion'"],
        ["a default admin name", { username: "postgres" }, "invalid 'username'"],
    ])("refuses %s before declaring anything", async (_what, extra, message) => {
        await expect(runPulumi(() => new AuroraDatabase("db", { ...base, ...extra }))).rejects.toThrow(`AuroraDatabase 'db': ${message}`);
    });

    it.each([
        ["db.r7g.large", true],
        ["db.t4g.medium", true],
        ["db.t4g.micro", false],
        ["db.m7g.large", false],
    ])("isAuroraPostgresClass(%s) is %s", (c, expected) => {
        expect(isAuroraPostgresClass(c)).toBe(expected);
    });
});
