import * as pulumi from "@pulumi/pulumi";
import { AUTH_TOKEN_NO_ROTATION_REASON, Cache, CacheArgs, clusterNodeIds, DISABLED_ACCESS_STRING } from "../../../components/cache";
import { SECRET_ROTATION_POLICY } from "../../../components/secrets";
import { grantDocument, RecordingIdentity } from "../../support/grants";
import { evaluateGraph, mandatory } from "../../support/policy";
import { generatedValue, runPulumi } from "../../support/pulumi";

/**
 * The pack's findings without the alarm-coverage policy, which judges a whole stack: a lone component has no alarm
 * topic, so its database, cache, queues or distribution are rightly reported. test/components/observe shows the
 * component with its `alarms(topic)` passing the prod pack, alarm coverage included.
 */
const componentOnly = <T extends { policy: string }>(violations: T[]): T[] => violations.filter((v) => v.policy !== "aws-cloudwatch-metricalarm-enforce-coverage");

const GROUP = "aws:elasticache/replicationGroup:ReplicationGroup";
const USER = "aws:elasticache/user:User";
const INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/given";
const base: CacheArgs = { vpcId: "vpc-0abc", subnetIds: ["subnet-iso-a", "subnet-iso-b", "subnet-iso-c"], allowedSecurityGroupIds: ["sg-app"] };
/** The prod preset recommended for infra. */
const prod: CacheArgs = { ...base, nodeType: "cache.m7g.large", snapshotRetentionDays: 7, logRetentionDays: 365 };
/** The dev preset recommended for infra. */
const dev: CacheArgs = { ...base, nodeType: "cache.t4g.micro", highAvailability: false, snapshotRetentionDays: 1, protect: false };

function resolve<T>(o: pulumi.Output<T>): Promise<T> {
    return new Promise((r) => o.apply(r));
}

describe("Cache", () => {
    it("declares an encrypted, TLS-required, RBAC-authenticated Valkey with one replica per extra AZ", async () => {
        // GIVEN the prod preset (IAM auth, own key, three AZs) WHEN the program runs
        let cache!: Cache;
        const identity = new RecordingIdentity();
        const g = await runPulumi(() => {
            cache = new Cache("cache", prod);
            cache.grantConnect(identity);
        }, { stack: "prod" });
        const group = g.one(GROUP);
        const key = g.one("aws:kms/key:Key");
        // THEN the group is encrypted at rest with its own key and in transit (required), fails over across AZs
        expect(group.inputs).toMatchObject({
            replicationGroupId: "groundwork-prod-cache",
            engine: "valkey",
            engineVersion: "8.1",
            nodeType: "cache.m7g.large",
            port: 6379,
            clusterMode: "disabled",
            numCacheClusters: 3,
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            atRestEncryptionEnabled: true,
            kmsKeyId: key.outputs.arn,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            snapshotRetentionLimit: 7,
            autoMinorVersionUpgrade: true,
        });
        expect(group.inputs.authToken).toBeUndefined();
        expect([group.protect, group.retainOnDelete, key.protect]).toEqual([true, true, true]);
        // AND it uses its own subnet group of exactly the given subnets and a security group open to sg-app on 6379 only
        const subnets = g.one("aws:elasticache/subnetGroup:SubnetGroup");
        expect(subnets.inputs.subnetIds).toEqual(base.subnetIds);
        expect(group.inputs.subnetGroupName).toBe(subnets.outputs.name);
        const sg = g.one("aws:ec2/securityGroup:SecurityGroup");
        expect(group.inputs.securityGroupIds).toEqual([sg.outputs.id]);
        expect(g.byType(INGRESS).map((r) => [r.inputs.securityGroupId, r.inputs.referencedSecurityGroupId, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])).toEqual([
            [sg.outputs.id, "sg-app", 6379, 6379, undefined],
        ]);
        // AND RBAC: an IAM user for the app, a disabled replacement "default" user with a secret password, both in the attached group
        const app = g.one(USER, "cache-app-user");
        expect(app.inputs).toMatchObject({ userId: "groundwork-prod-cache-app", userName: "groundwork-prod-cache-app", engine: "valkey", authenticationMode: { type: "iam" } });
        const def = g.one(USER, "cache-default-user");
        expect(def.inputs).toMatchObject({ userId: "groundwork-prod-cache-default", userName: "default", engine: "valkey", accessString: DISABLED_ACCESS_STRING });
        expect(def.inputs.authenticationMode).toEqual({ type: "password", passwords: ["[secret]"] });
        const users = g.one("aws:elasticache/userGroup:UserGroup");
        expect(users.inputs).toMatchObject({ engine: "valkey", userIds: ["groundwork-prod-cache-default", "groundwork-prod-cache-app"] });
        expect(group.inputs.userGroupIds).toEqual([users.inputs.userGroupId]);
        // AND slow and engine logs go to log groups with retention, encrypted with the own key
        const logs = g.byType("aws:cloudwatch/logGroup:LogGroup");
        expect(logs.map((l) => [l.inputs.name, l.inputs.retentionInDays, l.inputs.kmsKeyId])).toEqual([
            ["/aws/elasticache/groundwork-prod-cache/slow-log", 365, key.outputs.arn],
            ["/aws/elasticache/groundwork-prod-cache/engine-log", 365, key.outputs.arn],
        ]);
        expect(group.inputs.logDeliveryConfigurations).toEqual([
            { destination: logs[0].outputs.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" },
            { destination: logs[1].outputs.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "engine-log" },
        ]);
        // AND grantConnect names this group's and this user's ARNs only
        expect(grantDocument(g, "cache-connect")).toEqual({
            Version: "2012-10-17",
            Statement: [{ Sid: "CacheConnect", Effect: "Allow", Action: ["elasticache:Connect"], Resource: [group.outputs.arn, app.outputs.arn] }],
        });
        // AND the outputs name the user, no token secret
        expect(await resolve(pulumi.all([cache.userId!, cache.userName!, cache.primaryEndpoint, cache.port, cache.securityGroupId]))).toEqual([
            "groundwork-prod-cache-app",
            "groundwork-prod-cache-app",
            group.outputs.primaryEndpointAddress,
            6379,
            sg.outputs.id,
        ]);
        expect(cache.authTokenSecretArn).toBeUndefined();
        // AND the prod pack raises nothing
        expect(componentOnly(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
    });

    it("authToken mode keeps a generated token in a Secret encrypted with the cache key, and grants read on it", async () => {
        const identity = new RecordingIdentity();
        let cache!: Cache;
        const g = await runPulumi(() => {
            cache = new Cache("cache", { ...base, auth: "authToken", kmsKeyArn: KEY_ARN });
            cache.grantConnect(identity);
        }, { stack: "prod" });
        const group = g.one(GROUP);
        expect(group.inputs.authToken).toBe("[secret]");
        expect(group.inputs.authTokenUpdateStrategy).toBe("ROTATE");
        expect(group.inputs.userGroupIds).toBeUndefined();
        expect(g.byType(USER)).toEqual([]);
        const secret = g.one("aws:secretsmanager/secret:Secret");
        expect(secret.inputs.kmsKeyId).toBe(KEY_ARN);
        expect(secret.inputs.tags[`exempt.groundwork.dev/${SECRET_ROTATION_POLICY}`]).toBe(AUTH_TOKEN_NO_ROTATION_REASON);
        expect(g.one("random:index/randomPassword:RandomPassword").inputs).toMatchObject({ length: 64, overrideSpecial: "!&#$^<>-" });
        expect(JSON.stringify(g.resources.map((r) => r.inputs))).not.toContain(generatedValue(g));
        expect(await resolve(cache.authTokenSecretArn!)).toBe(secret.outputs.arn);
        expect(grantDocument(g, "cache-auth-token-read")).toMatchObject({ Statement: [{ Resource: [secret.outputs.arn] }, { Action: ["kms:Decrypt"], Resource: [KEY_ARN] }] });
        expect(mandatory(componentOnly(await evaluateGraph(g, { tier: "prod" })))).toEqual([]);
    });

    it("dev preset: one node without failover, redis engine matching across users, no mandatory violation in dev", async () => {
        const g = await runPulumi(() => { new Cache("cache", { ...dev, engine: "redis" }); }, { stack: "dev" });
        const group = g.one(GROUP);
        expect(group.inputs).toMatchObject({ engine: "redis", engineVersion: "7.1", numCacheClusters: 1, automaticFailoverEnabled: false, multiAzEnabled: false, snapshotRetentionLimit: 1 });
        expect(g.byType(USER).map((u) => u.inputs.engine)).toEqual(["redis", "redis"]);
        expect(g.one("aws:elasticache/userGroup:UserGroup").inputs.engine).toBe("redis");
        expect(group.protect).toBe(false);
        expect(mandatory(await evaluateGraph(g, { tier: "dev" }))).toEqual([]);
    });

    it.each<[string, Partial<CacheArgs>, string]>([
        ["subnetIds", { subnetIds: ["subnet-a"] }, "invalid 'subnetIds': highAvailability needs at least two subnets in different AZs, 1 given"],
        ["subnetIds", { subnetIds: [], highAvailability: false }, "invalid 'subnetIds': no subnets given"],
        ["allowedSecurityGroupIds", { allowedSecurityGroupIds: [] }, "invalid 'allowedSecurityGroupIds': no security group may connect"],
        ["engine", { engine: "memcached" as never }, "invalid 'engine': 'memcached' is not supported"],
        ["engineVersion", { engineVersion: "6.2" }, "invalid 'engineVersion': '6.2' is not a supported valkey version"],
        ["engineVersion", { engine: "valkey", engineVersion: "7.1" }, "invalid 'engineVersion': '7.1' is not a supported valkey version"],
        ["nodeType", { nodeType: "m7g.large" }, "invalid 'nodeType': 'm7g.large' is not a node type"],
        ["snapshotRetentionDays", { snapshotRetentionDays: 36 }, "invalid 'snapshotRetentionDays': 36 is outside 0..35"],
        ["auth", { auth: "none" as never }, "invalid 'auth': 'none' is not an auth mode"],
        ["accessString", { accessString: "off ~* +@all" }, "invalid 'accessString': 'off ~* +@all' does not enable the user"],
        ["logRetentionDays", { logRetentionDays: 0 }, "invalid 'logRetentionDays': 0 is not a retention CloudWatch accepts"],
        ["replicationGroupId", { replicationGroupId: "a-very-long-replication-group-id" }, "invalid 'replicationGroupId': 'a-very-long-replication-group-id' is not a valid replication group id"],
    ])("rejects a bad %s", async (_field, change, message) => {
        await expect(runPulumi(() => { new Cache("cache", { ...base, ...change }); })).rejects.toThrow(`Cache 'cache': ${message}`);
    });
});

describe("Cache in cluster mode", () => {
    it("shards the keyspace: cluster mode on, node groups and replicas per shard, the engine's cluster-enabled parameters, TLS and IAM kept", async () => {
        // GIVEN three shards of a primary and a replica WHEN the program runs
        let cache!: Cache;
        const g = await runPulumi(() => (cache = new Cache("cache", { ...base, shards: 3, replicasPerShard: 1 })), { stack: "prod" });
        const rg = g.one("aws:elasticache/replicationGroup:ReplicationGroup");
        // THEN the group runs in cluster mode with failover in every shard, still encrypted and IAM-authenticated
        expect(rg.inputs).toMatchObject({
            clusterMode: "enabled",
            numNodeGroups: 3,
            replicasPerNodeGroup: 1,
            parameterGroupName: "default.valkey8.cluster.on",
            automaticFailoverEnabled: true,
            multiAzEnabled: true,
            transitEncryptionEnabled: true,
            transitEncryptionMode: "required",
            atRestEncryptionEnabled: true,
        });
        expect(rg.inputs.numCacheClusters).toBeUndefined();
        expect(rg.inputs.userGroupIds).toEqual([g.one("aws:elasticache/userGroup:UserGroup").outputs.id]);
        // AND clients reach it through the configuration endpoint
        expect(cache.clusterMode).toBe(true);
        const endpoint = await new Promise((resolve) => cache.primaryEndpoint.apply(resolve));
        expect(endpoint).toBe(rg.outputs.configurationEndpointAddress);
        // AND the alarms watch every node of every shard, replication lag included
        const specs = cache.alarmSpecs();
        expect([...new Set(specs.map((s) => s.dimensions.CacheClusterId))]).toEqual(clusterNodeIds(rg.outputs.replicationGroupId, 3, 1));
        expect(specs.filter((s) => s.metricName === "ReplicationLag")).toHaveLength(6);
        expect(specs.map((s) => s.part)).toContain("node3-2-engine-cpu");
    });

    it.each<[string, Partial<CacheArgs>, string]>([
        ["negative shards", { shards: -1 }, "invalid 'shards'"],
        ["six replicas per shard", { shards: 2, replicasPerShard: 6 }, "invalid 'replicasPerShard'"],
        ["failover without a replica", { shards: 2, replicasPerShard: 0, highAvailability: true }, "invalid 'replicasPerShard': highAvailability needs a replica"],
    ])("refuses %s", async (_what, extra, message) => {
        await expect(runPulumi(() => new Cache("cache", { ...base, ...extra }))).rejects.toThrow(`Cache 'cache': ${message}`);
    });
});
