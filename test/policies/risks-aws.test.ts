/**
 * Risks written by someone else (issue point 5, AWS half): plain @pulumi/aws programs under
 * test/fixtures/programs/risks/aws, written from the risk rather than from the rules, in the forms users write them
 * (standalone rules, other resource types, string / object / invoke documents, StackReferences). Each insecure one
 * must be rejected for its actual flaw (policy + resource + message); no compliant one may be rejected.
 *
 * Each fixture is planned exactly once (jest caches the program module): under the prod stack (prod tier config),
 * and the recorded graph is then judged again with the dev tier config to check the dev level.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { analyzeGraph, LoadedPack, loadPack, PolicyPackConfig, Violation } from "../../tools/plan/analyzer";
import { plan, REPO_ROOT } from "../../tools/plan/plan";

const RISKS = path.join(REPO_ROOT, "test", "fixtures", "programs", "risks", "aws");
const SECURITY_PACK = path.join(REPO_ROOT, "policies", "security");
const isolate = (fn: () => void) => jest.isolateModules(fn);
const devConfig: PolicyPackConfig = JSON.parse(fs.readFileSync(path.join(SECURITY_PACK, "config", "dev.json"), "utf8"));

/** Outputs of the other stacks the fixtures read with StackReference (shared with the coverage tool). */
const STACK_REFERENCES = JSON.parse(fs.readFileSync(path.join(RISKS, "..", "stack-references.json"), "utf8"));

interface Expected {
    /** Policy that must report the flaw. */
    policy: string;
    /** Logical name of the resource it must name. */
    resource: string;
    /** What the message must say about the flaw. */
    flaw: RegExp;
    /** Level under the dev tier: "mandatory" unless the rule is mandatory in prod only. */
    dev?: "mandatory" | "advisory";
}

const SSH = "aws-ec2-securitygroup-disallow-world-ssh-rdp";
const OPEN = "aws-ec2-securitygroup-disallow-world-open-ports";
const S3_PUBLIC = "aws-s3-bucketpolicy-disallow-public-principal";
const KMS_PUBLIC = "aws-kms-key-disallow-wildcard-principal";
const SQS_PUBLIC = "aws-sqs-queuepolicy-disallow-wildcard-access";
const LB_TLS = "aws-lb-listener-enforce-tls";

const INSECURE: [string, Expected[]][] = [
    ["sg-ingress-rule-ssh", [{ policy: SSH, resource: "ssh-from-anywhere", flaw: /ingress rule opens port 22 to 0\.0\.0\.0\/0/ }]],
    ["sg-rule-rdp-ipv6", [{ policy: SSH, resource: "rdp-v6", flaw: /ingress rule opens port 3389 to ::\/0/ }]],
    ["sg-all-traffic", [{ policy: OPEN, resource: "everything-in", flaw: /ingress rule opens all traffic to 0\.0\.0\.0\/0/ }]],
    ["sg-inline-postgres", [{ policy: OPEN, resource: "db-access", flaw: /ingress\[0\] opens tcp port 5432 to 0\.0\.0\.0\/0/ }]],
    ["stackref-sg-rdp", [{ policy: SSH, resource: "rdp-for-vendor", flaw: /ingress rule opens port 3389 to 0\.0\.0\.0\/0/ }]],
    ["default-sg-rules", [{ policy: "aws-ec2-defaultsecuritygroup-disallow-rules", resource: "default", flaw: /ingress\[0\] allows all traffic/ }]],
    ["aurora-unencrypted", [{ policy: "aws-rds-instance-enable-storage-encryption", resource: "reporting-db", flaw: /storageEncrypted is not set/ }]],
    ["aurora-public-instance", [{ policy: "aws-rds-instance-disallow-public-access", resource: "analytics-writer", flaw: /publiclyAccessible is true/ }]],
    ["rds-instance-public", [{ policy: "aws-rds-instance-disallow-public-access", resource: "legacy-mysql", flaw: /publiclyAccessible is true/ }]],
    ["memcached-plaintext", [{ policy: "aws-elasticache-replicationgroup-enable-transit-encryption", resource: "sessions", flaw: /transitEncryptionEnabled is not set/ }]],
    ["redis-single-node", [{ policy: "aws-elasticache-replicationgroup-enable-transit-encryption", resource: "rate-limiter", flaw: /transitEncryptionEnabled is false/ }]],
    ["redis-group-no-at-rest", [{ policy: "aws-elasticache-replicationgroup-enable-at-rest-encryption", resource: "cart-cache", flaw: /atRestEncryptionEnabled is false/ }]],
    ["s3-policy-string-public", [{ policy: S3_PUBLIC, resource: "assets-policy", flaw: /Statement\[1\] \(PublicRead\) allows Principal "\*"/ }]],
    ["s3-policy-object-public", [{ policy: S3_PUBLIC, resource: "downloads-policy", flaw: /Statement\[1\] \(Everyone\) allows Principal "\*"/ }]],
    ["s3-policy-invoke-public", [{ policy: S3_PUBLIC, resource: "uploads-policy", flaw: /Statement\[1\] \(AnyoneUploads\) allows Principal "\*"/ }]],
    ["s3-public-access-block-off", [{ policy: "aws-s3-bucketpublicaccessblock-enable-all-flags", resource: "website-pab", flaw: /blockPublicPolicy, restrictPublicBuckets are not true/ }]],
    ["iam-notaction-allow", [{ policy: "aws-iam-policy-disallow-wildcard-actions", resource: "power-user", flaw: /Statement\[0\] allows with NotAction/ }]],
    [
        "iam-rolepolicy-s3-star",
        [
            { policy: "aws-iam-policy-disallow-wildcard-actions", resource: "etl-s3", flaw: /Statement\[0\] allows wildcard action "s3:\*"/ },
            { policy: "aws-iam-policy-disallow-wildcard-resources", resource: "etl-s3", flaw: /Statement\[0\] allows scopable actions on Resource "\*": s3:\*/ },
        ],
    ],
    ["iam-policy-attached-wildcard-resource", [{ policy: "aws-iam-policy-disallow-wildcard-resources", resource: "reader-policy", flaw: /allows scopable actions on Resource "\*": s3:GetObject, s3:ListBucket/ }]],
    ["iam-inline-policies-admin", [{ policy: "aws-iam-policy-disallow-full-admin", resource: "ci-deployer", flaw: /inlinePolicies\[0\] \(deploy-anything\) Statement\[0\] allows Action "\*" on Resource "\*"/ }]],
    ["iam-admin-attached", [{ policy: "aws-iam-attachment-disallow-administrator-access", resource: "ops-admin", flaw: /policyArn is AdministratorAccess/ }]],
    ["iam-passrole-any", [{ policy: "aws-iam-policy-disallow-passrole-wildcard", resource: "developers-passrole", flaw: /\(LaunchWithRoles\) allows iam:PassRole on Resource "\*"/ }]],
    ["iam-trust-anyone", [{ policy: "aws-iam-role-disallow-wildcard-principal", resource: "partner-access", flaw: /assumeRolePolicy Statement\[0\] allows Principal "\*"/ }]],
    ["kms-key-policy-wildcard", [{ policy: KMS_PUBLIC, resource: "shared-data-key", flaw: /Statement\[1\] \(AnyoneDecrypts\) allows Principal "\*" without a condition/ }]],
    ["kms-keypolicy-resource-wildcard", [{ policy: KMS_PUBLIC, resource: "backup-key-policy", flaw: /Statement\[1\] \(Everyone\) allows Principal "\*" without a condition/ }]],
    ["kms-no-rotation", [{ policy: "aws-kms-key-enable-rotation", resource: "app-secrets-key", flaw: /enableKeyRotation is not set/ }]],
    ["sqs-queue-policy-public", [{ policy: SQS_PUBLIC, resource: "webhooks-policy", flaw: /Statement\[0\] \(PartnersSend\) allows Principal "\*"/ }]],
    ["sqs-inline-policy-public", [{ policy: SQS_PUBLIC, resource: "events", flaw: /Statement\[0\] allows Principal "\*"/ }]],
    ["sqs-unencrypted", [{ policy: "aws-sqs-queue-enable-encryption", resource: "payments", flaw: /sqsManagedSseEnabled is false and kmsMasterKeyId is not set/ }]],
    ["cloudfront-http-viewer", [{ policy: "aws-cloudfront-distribution-enforce-https-viewer", resource: "site-cdn", flaw: /orderedCacheBehaviors\[0\].*allow-all/ }]],
    ["ebs-unencrypted", [{ policy: "aws-ec2-volume-enable-encryption", resource: "scratch-data", flaw: /encrypted is not set/ }]],
    ["launch-template-imdsv1", [{ policy: "aws-ec2-launchtemplate-enforce-imdsv2", resource: "workers-lt", flaw: /metadataOptions\.httpTokens is 'optional'/ }]],
    ["subnet-public-ip", [{ policy: "aws-ec2-subnet-disallow-public-ip-on-launch", resource: "public-a", flaw: /mapPublicIpOnLaunch is true/ }]],
    ["instance-public-ip", [{ policy: "aws-ec2-instance-disallow-public-ip", resource: "build-agent", flaw: /associatePublicIpAddress is true/ }]],
    ["log-group-no-retention", [{ policy: "aws-logs-loggroup-configure-retention", resource: "app-logs", flaw: /retentionInDays is not set/ }]],
    ["secret-no-rotation", [{ policy: "aws-secretsmanager-secret-enable-rotation", resource: "db-password", flaw: /secret 'db-password' has no SecretRotation/, dev: "advisory" }]],
    ["eks-public-endpoint", [{ policy: "aws-eks-cluster-disallow-public-endpoint", resource: "dev-cluster", flaw: /endpointPublicAccess is true and publicAccessCidrs is not set/ }]],
    ["spot-instance-imdsv1", [{ policy: "aws-ec2-instance-enforce-imdsv2", resource: "batch-spot", flaw: /metadataOptions\.httpTokens is 'optional'/ }]],
    ["instance-unencrypted-root", [{ policy: "aws-ec2-instance-enable-ebs-encryption", resource: "reporting-host", flaw: /rootBlockDevice\.encrypted is false/ }]],
    ["instance-imds-default", [{ policy: "aws-ec2-instance-enforce-imdsv2", resource: "legacy-app", flaw: /metadataOptions is not set: httpTokens defaults to 'optional'/ }]],
    [
        "sg-port-range-world",
        [
            { policy: SSH, resource: "game-servers", flaw: /ingress\[0\] opens ports 22 and 3389 to 0\.0\.0\.0\/0 \(tcp ports 0-65535\)/ },
            { policy: OPEN, resource: "game-servers", flaw: /ingress\[0\] opens tcp ports 0-65535 to 0\.0\.0\.0\/0/ },
        ],
    ],
    ["sg-ingress-rule-ssh-ipv6", [{ policy: SSH, resource: "ssh-v6", flaw: /ingress rule opens port 22 to ::\/0/ }]],
    ["launch-template-public-ip", [{ policy: "aws-ec2-launchtemplate-disallow-public-ip", resource: "edge-lt", flaw: /networkInterfaces\[0\]\.associatePublicIpAddress is true/ }]],
    ["eks-nodegroup-ssh", [{ policy: "aws-eks-nodegroup-disallow-ssh-from-world", resource: "workers", flaw: /remoteAccess\.ec2SshKey is set without sourceSecurityGroupIds/ }]],
    ["s3-bucket-inline-policy-public", [{ policy: S3_PUBLIC, resource: "legacy-site", flaw: /Statement\[1\] \(PublicRead\) allows Principal "\*"/ }]],
    ["s3-policy-notprincipal", [{ policy: S3_PUBLIC, resource: "exports-policy", flaw: /Statement\[1\] \(AllButAuditor\).*NotPrincipal/ }]],
    ["iam-managed-arns-admin", [{ policy: "aws-iam-attachment-disallow-administrator-access", resource: "break-glass", flaw: /managedPolicyArns includes AdministratorAccess/ }]],
    ["iam-userpolicy-object-star", [{ policy: "aws-iam-policy-disallow-full-admin", resource: "deploy-bot-all", flaw: /Statement\[0\] allows Action "\*" on Resource "\*"/ }]],
    ["iam-trust-string-star", [{ policy: "aws-iam-role-disallow-wildcard-principal", resource: "cross-account-reader", flaw: /assumeRolePolicy Statement\[0\] allows Principal "\*"/ }]],
    ["sqs-policy-invoke-public", [{ policy: SQS_PUBLIC, resource: "jobs-policy", flaw: /Statement\[0\] \(AnyoneReceives\) allows Principal "\*"/ }]],
    ["vpc-no-flow-logs", [{ policy: "aws-vpc-vpc-enable-flow-logs", resource: "sandbox", flaw: /VPC 'sandbox' has no flow log/ }]],
    ["default-subnet-public", [{ policy: "aws-ec2-subnet-disallow-public-ip-on-launch", resource: "default-az-a", flaw: /mapPublicIpOnLaunch is not set on a default subnet/ }]],
    ["kms-replica-key-wildcard", [{ policy: KMS_PUBLIC, resource: "orders-key-eu", flaw: /Statement\[1\] \(AnyoneDecrypts\) allows Principal "\*" without a condition/ }]],
    ["aurora-short-backups", [{ policy: "aws-rds-instance-configure-backup-retention", resource: "inventory-db", flaw: /backupRetentionPeriod is not set: fewer than 7 days/ }]],
    [
        "aurora-no-deletion-protection",
        [{ policy: "aws-rds-instance-enable-deletion-protection", resource: "billing-db", flaw: /deletionProtection is not set/, dev: "advisory" }],
    ],
    ["default-vpc-no-flow-logs", [{ policy: "aws-vpc-vpc-enable-flow-logs", resource: "default-vpc", flaw: /VPC 'default-vpc' has no flow log/ }]],
    ["iam-single-statement-object", [{ policy: "aws-iam-policy-disallow-wildcard-actions", resource: "ec2-operator", flaw: /Statement\[0\] allows wildcard action "ec2:\*"/ }]],
    ["sg-protocol-number", [{ policy: SSH, resource: "ssh-proto-6", flaw: /ingress rule opens port 22 to 0\.0\.0\.0\/0/ }]],
    // The same flaws through other resource types: network ACLs, bucket and object ACLs, the account's EBS default, snapshot copies, launch configurations.
    ["nacl-inline-ssh", [{ policy: "aws-ec2-networkacl-disallow-world-ssh-rdp", resource: "public-acl", flaw: /ingress\[1\] \(rule 110\) opens port 22 to 0\.0\.0\.0\/0/ }]],
    ["nacl-rule-rdp-ipv6", [{ policy: "aws-ec2-networkacl-disallow-world-ssh-rdp", resource: "rdp-v6-in", flaw: /ingress rule 110 opens port 3389 to ::\/0/ }]],
    ["default-nacl-all-traffic", [{ policy: "aws-ec2-networkacl-disallow-world-ssh-rdp", resource: "default-acl", flaw: /ingress\[0\] \(rule 100\) opens ports 22 and 3389 to 0\.0\.0\.0\/0 \(all traffic\)/ }]],
    ["s3-bucketacl-public-read", [{ policy: "aws-s3-bucketacl-disallow-public-grants", resource: "downloads-acl", flaw: /acl is 'public-read': the AllUsers group \(anyone on the internet\) gets READ/ }]],
    [
        "s3-bucketacl-grant-allusers",
        [{ policy: "aws-s3-bucketacl-disallow-public-grants", resource: "media-acl", flaw: /accessControlPolicy\.grants\[1\]\.grantee\.uri is the AllUsers group \(anyone on the internet\), granted READ/ }],
    ],
    ["s3-object-public-read", [{ policy: "aws-s3-bucketacl-disallow-public-grants", resource: "press-release", flaw: /acl is 'public-read': the AllUsers group \(anyone on the internet\) gets READ/ }]],
    ["ebs-default-encryption-off", [{ policy: "aws-ec2-volume-enable-encryption", resource: "ebs-default-encryption", flaw: /enabled is false: EBS encryption by default is switched off/ }]],
    ["ebs-snapshot-copy-unencrypted", [{ policy: "aws-ec2-volume-enable-encryption", resource: "db-snapshot-dr", flaw: /encrypted is not set: the snapshot copy is unencrypted/ }]],
    ["launch-configuration-imdsv1", [{ policy: "aws-ec2-instance-enforce-imdsv2", resource: "legacy-workers-lc", flaw: /metadataOptions\.httpTokens is 'optional'/ }]],
    ["launch-configuration-unencrypted", [{ policy: "aws-ec2-instance-enable-ebs-encryption", resource: "batch-lc", flaw: /ebsBlockDevices\[0\]\.encrypted is not set/ }]],
    ["launch-configuration-public-ip", [{ policy: "aws-ec2-instance-disallow-public-ip", resource: "edge-lc", flaw: /associatePublicIpAddress is true: every instance launched from this configuration gets a public IPv4 address/ }]],
    ["log-group-retention-zero", [{ policy: "aws-logs-loggroup-configure-retention", resource: "audit-trail-logs", flaw: /retentionInDays is 0: logs are kept forever/ }]],
    [
        "iam-notresource-allow",
        [{ policy: "aws-iam-policy-disallow-wildcard-resources", resource: "analyst-read", flaw: /Statement\[0\] \(ReadAllButPayroll\) allows scopable actions with NotResource/ }],
    ],
    [
        "memcached-default-subnets",
        [{ policy: "aws-elasticache-replicationgroup-configure-subnet-group", resource: "catalog-cache", flaw: /subnetGroupName is not set: the cache lands in the default subnet group/ }],
    ],
    [
        "s3-access-point-public",
        [
            { policy: S3_PUBLIC, resource: "media-share", flaw: /Statement\[0\] \(AnyoneReads\) allows Principal "\*"/ },
            { policy: "aws-s3-bucketpublicaccessblock-enable-all-flags", resource: "media-share", flaw: /publicAccessBlockConfiguration: blockPublicPolicy, restrictPublicBuckets are false/ },
        ],
    ],
    [
        "cloudfront-multitenant-http",
        [{ policy: "aws-cloudfront-distribution-enforce-https-viewer", resource: "tenant-edge", flaw: /cacheBehaviors\[0\] \(\/legacy\/\*\) has viewerProtocolPolicy "allow-all"/ }],
    ],
    ["waf-acl-no-logging", [{ policy: "aws-wafv2-webacl-enable-logging", resource: "storefront-acl", flaw: /web ACL 'storefront-acl' has no logging configuration/ }]],
    [
        "cloudfront-oac-never-signs",
        [{ policy: "aws-cloudfront-distribution-enforce-origin-access-control", resource: "assets-oac", flaw: /signingBehavior is "never"/ }],
    ],
    [
        "elasticache-user-nopass",
        [{ policy: "aws-elasticache-replicationgroup-enable-auth", resource: "sessions-default", flaw: /user 'default' needs no password and its accessString is on/ }],
    ],
    [
        "iam-notresource-admin",
        [{ policy: "aws-iam-policy-disallow-full-admin", resource: "ops-almost-admin", flaw: /Statement\[0\] \(AllButAudit\) allows Action "\*" on every resource except its NotResource/ }],
    ],
    [
        "iam-notaction-passrole",
        [{ policy: "aws-iam-policy-disallow-passrole-wildcard", resource: "ci-runner-everything-else", flaw: /Statement\[0\] \(NoData\) allows iam:PassRole \(through NotAction\) on Resource "\*"/ }],
    ],
    ["eip-on-instance", [{ policy: "aws-ec2-instance-disallow-public-ip", resource: "reporting-ip-assoc", flaw: /instanceId is set: the Elastic IP gives the instance a public IPv4 address/ }]],
    ["imds-defaults-optional", [{ policy: "aws-ec2-instance-enforce-imdsv2", resource: "account-imds", flaw: /httpTokens is 'optional': the account default/ }]],
    ["spot-fleet-public", [{ policy: "aws-ec2-instance-disallow-public-ip", resource: "render-fleet", flaw: /launchSpecifications\[0\]\.associatePublicIpAddress is true/ }]],
    // RDS: the cluster forms and the proxy carry the same TLS, logging and encryption risks as an instance.
    ["aurora-pg-no-force-ssl", [{ policy: "aws-rds-instance-enforce-ssl", resource: "orders-db", flaw: /cluster 'orders-db' uses parameter group 'orders-db-params', which does not set rds\.force_ssl to 1/ }]],
    ["rds-proxy-plaintext", [{ policy: "aws-rds-instance-enforce-ssl", resource: "api-proxy", flaw: /proxy 'api-proxy' has requireTls false: clients may connect in plaintext/ }]],
    ["aurora-no-log-exports", [{ policy: "aws-rds-instance-enable-log-exports", resource: "events-db", flaw: /enabledCloudwatchLogsExports is not set/ }]],
    ["global-cluster-unencrypted", [{ policy: "aws-rds-instance-enable-storage-encryption", resource: "payments-global", flaw: /storageEncrypted is not set/ }]],
    // Load balancers: plaintext listeners (by default action, by listener rule), the API's default TLS policy, header validation, deletion.
    ["alb-http-forward", [{ policy: LB_TLS, resource: "shop-http", flaw: /listener 'shop-http' serves plain HTTP and defaultActions\[0\] forwards to targets/ }]],
    ["alb-https-default-tls-policy", [{ policy: LB_TLS, resource: "billing-https", flaw: /listener 'billing-https' \(HTTPS\) has no sslPolicy: AWS applies ELBSecurityPolicy-2016-08/ }]],
    [
        "alb-http-listener-rule-forward",
        [{ policy: LB_TLS, resource: "partners-webhooks", flaw: /listener rule 'partners-webhooks' of plain-HTTP listener 'partners-http': actions\[0\] forwards to targets/ }],
    ],
    ["alb-invalid-headers", [{ policy: "aws-lb-loadbalancer-enable-drop-invalid-headers", resource: "catalog", flaw: /dropInvalidHeaderFields is not set/ }]],
    [
        "alb-no-deletion-protection",
        [{ policy: "aws-lb-loadbalancer-enable-deletion-protection", resource: "checkout", flaw: /enableDeletionProtection is false/, dev: "advisory" }],
    ],
    // Zero trust: the load balancer re-encrypts to its targets.
    ["alb-target-group-http", [{ policy: "aws-lb-targetgroup-enforce-tls", resource: "orders-pods", flaw: /protocol is HTTP: the load balancer sends requests to its ip targets in plaintext/ }]],
];

const COMPLIANT = ["ok-private-ssh", "ok-private-bucket", "ok-scoped-iam", "ok-kms-and-logs", "ok-queue-with-policy", "ok-compute", "ok-aurora-and-cache", "ok-secret-rotated", "ok-rds-proxy-tls", "ok-bucket-v2-configs", "ok-nacl-restricted", "ok-bucket-acl-private", "ok-ebs-and-launch-configuration", "ok-queue-redrive-resource", "ok-alb-https", "ok-nlb-tls"];

let securityPack: LoadedPack;
beforeAll(async () => {
    securityPack = await loadPack(SECURITY_PACK, isolate);
});

/** Plans a fixture under the prod tier and judges the same graph with the dev tier config. */
async function judge(fixture: string): Promise<{ prod: Violation[]; dev: Violation[]; urnOf: (name: string) => string | undefined }> {
    const result = await plan({ stack: "prod", program: path.join(RISKS, `${fixture}.ts`), stackReferences: STACK_REFERENCES, isolate });
    expect(result.tier).toBe("prod");
    const dev = await analyzeGraph(securityPack, result.graph, devConfig);
    const urnOf = (name: string) => result.graph.resources.find((r) => r.name === name)?.urn;
    return { prod: result.violations, dev, urnOf };
}

describe("insecure AWS programs written from the risk are rejected for their flaw", () => {
    it.each(INSECURE)("%s", async (fixture, expected) => {
        const { prod, dev, urnOf } = await judge(fixture);
        for (const e of expected) {
            const urn = urnOf(e.resource);
            expect([e.resource, urn]).toEqual([e.resource, expect.any(String)]);
            const inProd = prod.filter((v) => v.policy === e.policy && v.urn === urn);
            if (process.env.RISKS_DUMP) console.log(fixture, e.policy, inProd.map((v) => v.message));
            const levels = (vs: Violation[]) => [...new Set(vs.map((v) => v.enforcementLevel))];
            expect({ policy: e.policy, resource: e.resource, levels: levels(inProd), messages: inProd.map((v) => v.message) }).toEqual({
                policy: e.policy,
                resource: e.resource,
                levels: ["mandatory"],
                messages: expect.arrayContaining([expect.stringMatching(e.flaw)]),
            });
            const inDev = dev.filter((v) => v.policy === e.policy && v.urn === urn);
            expect({ policy: e.policy, resource: e.resource, levels: levels(inDev) }).toEqual({ policy: e.policy, resource: e.resource, levels: [e.dev ?? "mandatory"] });
        }
    });
});

describe("compliant AWS programs written from the risk are not rejected", () => {
    it.each(COMPLIANT)("%s", async (fixture) => {
        const { prod } = await judge(fixture);
        expect(prod.filter((v) => v.enforcementLevel === "mandatory").map((v) => `${v.policy}: ${v.message}`)).toEqual([]);
    });
});
