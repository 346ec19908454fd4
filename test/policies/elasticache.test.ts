import { replicationGroupConfigureSubnetGroup } from "../../policies/security/rules/elasticache/replicationGroup/configureSubnetGroup";
import { replicationGroupEnableAtRestEncryption } from "../../policies/security/rules/elasticache/replicationGroup/enableAtRestEncryption";
import { replicationGroupEnableAuth } from "../../policies/security/rules/elasticache/replicationGroup/enableAuth";
import { replicationGroupEnableAutoMinorUpgrade } from "../../policies/security/rules/elasticache/replicationGroup/enableAutoMinorUpgrade";
import { replicationGroupEnableMultiAz } from "../../policies/security/rules/elasticache/replicationGroup/enableMultiAz";
import { replicationGroupEnableSnapshots } from "../../policies/security/rules/elasticache/replicationGroup/enableSnapshots";
import { replicationGroupEnableTransitEncryption } from "../../policies/security/rules/elasticache/replicationGroup/enableTransitEncryption";
import { ruleTable, type Props } from "../support/ruleTable";

/** A replication group as the Cache component declares it (IAM auth through a user group). */
const good: Props = {
    replicationGroupId: "groundwork-prod-cache",
    description: "cache",
    engine: "valkey",
    engineVersion: "8.1",
    nodeType: "cache.m7g.large",
    port: 6379,
    numCacheClusters: 3,
    automaticFailoverEnabled: true,
    multiAzEnabled: true,
    subnetGroupName: "cache-subnets-abc",
    securityGroupIds: ["sg-0cache"],
    atRestEncryptionEnabled: true,
    kmsKeyId: "arn:aws:kms:eu-west-1:111122223333:key/1111",
    transitEncryptionEnabled: true,
    transitEncryptionMode: "required",
    userGroupIds: ["groundwork-prod-cache-users"],
    snapshotRetentionLimit: 7,
    autoMinorVersionUpgrade: true,
};

describe("aws-elasticache-replicationgroup-enable-at-rest-encryption", () => {
    ruleTable(replicationGroupEnableAtRestEncryption, good, [
        ["not set", (p) => delete p.atRestEncryptionEnabled, ["atRestEncryptionEnabled is not set: data and snapshots are not encrypted at rest"]],
        ["false", (p) => (p.atRestEncryptionEnabled = false), ["atRestEncryptionEnabled is false: data and snapshots are not encrypted at rest"]],
        ["passes: \"true\"", (p) => (p.atRestEncryptionEnabled = "true"), []],
    ]);
});

describe("aws-elasticache-replicationgroup-enable-transit-encryption", () => {
    ruleTable(replicationGroupEnableTransitEncryption, good, [
        ["not set", (p) => delete p.transitEncryptionEnabled, ["transitEncryptionEnabled is not set: clients connect in plaintext"]],
        ["false", (p) => (p.transitEncryptionEnabled = false), ["transitEncryptionEnabled is false: clients connect in plaintext"]],
        ["string \"false\"", (p) => (p.transitEncryptionEnabled = "false"), ['transitEncryptionEnabled is "false": clients connect in plaintext']],
        ["disabled, whatever the mode", (p) => ((p.transitEncryptionEnabled = false), (p.transitEncryptionMode = "required")), ["transitEncryptionEnabled is false: clients connect in plaintext"]],
        ["enabled, mode preferred", (p) => (p.transitEncryptionMode = "preferred"), ['transitEncryptionMode is "preferred": plaintext connections are not refused']],
        ["enabled as \"true\", mode preferred", (p) => ((p.transitEncryptionEnabled = "true"), (p.transitEncryptionMode = "preferred")), ['transitEncryptionMode is "preferred": plaintext connections are not refused']],
        ["passes: enabled, mode not set (a new group's mode is required)", (p) => delete p.transitEncryptionMode, []],
        ["passes: enabled, mode required", (p) => (p.transitEncryptionMode = "required"), []],
        ["passes: enabled as \"true\", mode not set", (p) => ((p.transitEncryptionEnabled = "true"), delete p.transitEncryptionMode), []],
    ]);
});

describe("aws-elasticache-replicationgroup-enable-transit-encryption: standalone cache clusters (aws.elasticache.Cluster), and their subnet group", () => {
    const memcached: Props = { engine: "memcached", nodeType: "cache.t4g.small", numCacheNodes: 2, subnetGroupName: "private-cache-subnets", transitEncryptionEnabled: true };
    ruleTable(
        replicationGroupEnableTransitEncryption,
        memcached,
        [
            ["Memcached, not set", (p) => delete p.transitEncryptionEnabled, ["transitEncryptionEnabled is not set: clients connect in plaintext"]],
            ["single Redis node, false", (p) => ((p.engine = "redis"), (p.numCacheNodes = 1), (p.transitEncryptionEnabled = false)), ["transitEncryptionEnabled is false: clients connect in plaintext"]],
            ["passes: a member of a replication group (judged on the group)", (p) => (delete p.transitEncryptionEnabled, (p.replicationGroupId = "sessions")), []],
        ],
        { type: "aws:elasticache/cluster:Cluster" },
    );
    ruleTable(
        replicationGroupConfigureSubnetGroup,
        memcached,
        [
            ["subnetGroupName not set", (p) => delete p.subnetGroupName, ["subnetGroupName is not set: the cache lands in the default subnet group"]],
            ["passes: a member of a replication group (judged on the group)", (p) => (delete p.subnetGroupName, (p.replicationGroupId = "sessions")), []],
        ],
        { type: "aws:elasticache/cluster:Cluster" },
    );
});

describe("aws-elasticache-replicationgroup-enable-auth", () => {
    const none = ["neither authToken nor userGroupIds is set: any client that reaches the port can run commands"];
    ruleTable(replicationGroupEnableAuth, good, [
        ["no user group, no token", (p) => delete p.userGroupIds, none],
        ["empty user group list", (p) => (p.userGroupIds = []), none],
        ["empty token", (p) => (delete p.userGroupIds, (p.authToken = "")), none],
        ["passes: AUTH token", (p) => (delete p.userGroupIds, (p.authToken = "[secret]")), []],
        ["passes: write-only AUTH token", (p) => (delete p.userGroupIds, (p.authTokenWo = "[secret]")), []],
    ]);
});

describe("aws-elasticache-replicationgroup-enable-auth: the users of a user group", () => {
    const open = ["user 'default' needs no password and its accessString is on: any client that reaches the port can sign in as it"];
    ruleTable(
        replicationGroupEnableAuth,
        { userId: "app-default", userName: "default", engine: "redis", accessString: "off ~* -@all", noPasswordRequired: true },
        [
            ["the default user switched on without a password", (p) => (p.accessString = "on ~* +@all"), open],
            ["authenticationMode no-password-required", (p) => ((p.accessString = "on ~* +@all"), delete p.noPasswordRequired, (p.authenticationMode = { type: "no-password-required" })), open],
            ["passes: an IAM-authenticated user", (p) => ((p.accessString = "on ~app:* +@read"), delete p.noPasswordRequired, (p.authenticationMode = { type: "iam" })), []],
            ["passes: a password user", (p) => ((p.accessString = "on ~* +@all"), delete p.noPasswordRequired, (p.authenticationMode = { type: "password", passwords: ["[secret]"] })), []],
        ],
        { type: "aws:elasticache/user:User" },
    );
});

describe("aws-elasticache-replicationgroup-enable-multi-az", () => {
    ruleTable(replicationGroupEnableMultiAz, good, [
        [
            "both off (single node)",
            (p) => ((p.automaticFailoverEnabled = false), (p.multiAzEnabled = false)),
            ["automaticFailoverEnabled is false: a failed primary is not replaced", "multiAzEnabled is false: the nodes may share one AZ"],
        ],
        ["failover not set", (p) => delete p.automaticFailoverEnabled, ["automaticFailoverEnabled is not set: a failed primary is not replaced"]],
        ["multi-AZ not set", (p) => delete p.multiAzEnabled, ["multiAzEnabled is not set: the nodes may share one AZ"]],
    ]);
    it("is mandatory in prod only", () => expect(replicationGroupEnableMultiAz.level).toBe("mandatory-prod"));
});

describe("aws-elasticache-replicationgroup-configure-subnet-group", () => {
    ruleTable(replicationGroupConfigureSubnetGroup, good, [
        ["not set", (p) => delete p.subnetGroupName, ["subnetGroupName is not set: the cache lands in the default subnet group"]],
        ["empty", (p) => (p.subnetGroupName = ""), ["subnetGroupName is not set: the cache lands in the default subnet group"]],
    ]);
});

describe("aws-elasticache-replicationgroup-enable-snapshots", () => {
    ruleTable(replicationGroupEnableSnapshots, good, [
        ["not set", (p) => delete p.snapshotRetentionLimit, ["snapshotRetentionLimit is not set: no automatic snapshots"]],
        ["0", (p) => (p.snapshotRetentionLimit = 0), ["snapshotRetentionLimit is 0: no automatic snapshots"]],
        ["passes: 1 day", (p) => (p.snapshotRetentionLimit = 1), []],
    ]);
});

describe("aws-elasticache-replicationgroup-enable-auto-minor-upgrade", () => {
    ruleTable(replicationGroupEnableAutoMinorUpgrade, good, [
        ["false", (p) => (p.autoMinorVersionUpgrade = false), ["autoMinorVersionUpgrade is false: engine security patches are not applied"]],
        ["passes: not set", (p) => delete p.autoMinorVersionUpgrade, []],
    ]);
});
