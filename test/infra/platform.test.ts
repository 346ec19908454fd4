import { API_METRICS_PORT, API_PORT } from "../../infra/app";
import { proxyResourceId } from "../../components/database";
import { buildPlatform } from "../../infra/platform";
import APP_CONTRACT from "../../app/src/contract.json";
import { CREDENTIAL_HEADER as APP_CREDENTIAL_HEADER } from "../../app/src/platform/contract";
import { REPO_ROOT } from "../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { ConfigError, parsePlatformSpec } from "../../stacks";
import { evaluateGraph, mandatory } from "../support/policy";
import { Graph, runExpectingError, runPulumi } from "../support/pulumi";

// The real program (infra/index.ts): an async function Pulumi calls and awaits.
const program: () => Promise<Record<string, unknown>> = require("../../infra");

/** The stack file's config, as the CLI passes it (read by the plan tool's YAML reader). */
function stackConfig(stack: string): Record<string, string> {
    return readStackConfig(resolveProject(REPO_ROOT), stack).config;
}

const count = (g: Graph, type: string) => g.byType(type).length;

describe.each([
    // stack, AZs, subnets, NATs, interface endpoints, protected (dev: only those the app's workloads call)
    ["dev", 2, 6, 1, 3, false],
    ["prod", 3, 9, 3, 6, true],
] as const)("infra program, stack %s", (stack, azs, subnets, nats, interfaceEndpoints, protect) => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack, config: stackConfig(stack) });
    });

    test(`${azs} AZs, ${subnets} subnets, ${nats} NAT gateway(s), ${interfaceEndpoints} interface endpoints`, () => {
        expect(g.outputs.availabilityZones).toHaveLength(azs);
        expect(count(g, "aws:ec2/subnet:Subnet")).toBe(subnets);
        expect(count(g, "aws:ec2/natGateway:NatGateway")).toBe(nats);
        expect(g.byType("aws:ec2/vpcEndpoint:VpcEndpoint").filter((e) => e.inputs.vpcEndpointType === "Interface")).toHaveLength(interfaceEndpoints);
    });

    test("one flow log on the one VPC; the default security group has no rules", () => {
        const vpc = g.one("aws:ec2/vpc:Vpc");
        expect(g.one("aws:ec2/flowLog:FlowLog").propertyDependencies.vpcId).toEqual([vpc.urn]);
        expect(g.one("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup").inputs).toMatchObject({ ingress: [], egress: [] });
    });

    test("the stack file's CIDR reaches the VPC; the Network is named 'network' under the stack", () => {
        expect(g.one("aws:ec2/vpc:Vpc").inputs.cidrBlock).toBe(stackConfig(stack)["groundwork:vpcCidr"]);
        const network = g.one("groundwork:network:Network", "network");
        expect(g.byUrn(network.parent as string).type).toBe("pulumi:pulumi:Stack");
    });

    test(`stateful children ${protect ? "are" : "are not"} protected`, () => {
        for (const type of ["aws:kms/key:Key", "aws:cloudwatch/logGroup:LogGroup", "aws:s3/bucket:Bucket"]) {
            expect(g.byType(type).length).toBeGreaterThan(0);
            for (const r of g.byType(type)) expect([r.name, r.protect]).toEqual([r.name, protect]);
        }
    });

    test("the groundwork-security pack raises no mandatory violation", async () => {
        const violations = await evaluateGraph(g, { tier: stack });
        expect(mandatory(violations)).toEqual([]);
    });

    test("stack outputs: tier, region and the network's ids", () => {
        expect(g.outputs).toMatchObject({ tier: stack, region: "us-east-1" });
        expect(g.outputs.privateSubnetIds).toHaveLength(azs);
        expect(g.outputs.natGatewayIds).toHaveLength(nats);
        expect(g.outputs.networkKmsKeyArn).toMatch(/^arn:aws:kms:us-east-1:123456789012:key\//);
    });
});

describe("infra program, bad config", () => {
    test("a bad key fails the program with a ConfigError naming it, before any resource", async () => {
        // GIVEN the dev config with a /28 VPC
        const { error: caught, graph: g } = await runExpectingError(program, { stack: "dev", config: { ...stackConfig("dev"), "groundwork:vpcCidr": "10.0.0.0/28" } });
        // THEN the error names the key and value, and nothing but the stack was registered
        expect(caught).toBeInstanceOf(ConfigError);
        expect((caught as Error).message).toContain('groundwork:vpcCidr = "10.0.0.0/28": is too small');
        expect(g.resources.map((r) => r.type)).toEqual(["pulumi:pulumi:Stack"]);
    });
});

describe("infra program, the edge", () => {
    test("dev has no domain: the distribution uses the default certificate through a reasoned exemption tag", async () => {
        const g = await runPulumi(program, { stack: "dev", config: stackConfig("dev") });
        const dist = g.one("aws:cloudfront/distribution:Distribution");
        expect(dist.inputs.viewerCertificate).toMatchObject({ cloudfrontDefaultCertificate: true });
        expect(dist.inputs.tags["exempt.groundwork.dev/aws-cloudfront-distribution-configure-viewer-tls"]).toMatch(/has no groundwork:domain/);
        expect(dist.inputs.origins.map((o: any) => o.domainName)).toContain(stackConfig("dev")["groundwork:apiOriginDomain"]);
    });

    test("prod serves its own domain with TLSv1.2_2021 on an ACM certificate validated in the hosted zone", async () => {
        const g = await runPulumi(program, { stack: "prod", config: stackConfig("prod") });
        const dist = g.one("aws:cloudfront/distribution:Distribution");
        const cert = g.one("aws:acm/certificate:Certificate");
        expect(dist.inputs.aliases).toEqual([stackConfig("prod")["groundwork:domain"]]);
        expect(dist.inputs.viewerCertificate).toMatchObject({ acmCertificateArn: expect.stringMatching(/^arn:aws:acm:/), minimumProtocolVersion: "TLSv1.2_2021", sslSupportMethod: "sni-only" });
        expect(cert.inputs).toMatchObject({ domainName: stackConfig("prod")["groundwork:domain"], validationMethod: "DNS", region: "us-east-1" });
        expect(dist.inputs.webAclId).toBe(g.one("aws:wafv2/webAcl:WebAcl").outputs.arn);
        expect(g.outputs.cdnUrl).toBe(`https://${stackConfig("prod")["groundwork:domain"]}`);
    });
});

describe("infra program, the cluster (prod)", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack: "prod", config: stackConfig("prod") });
    });

    test("private endpoint, secrets encrypted with the cluster's key, all five control-plane logs", () => {
        const cluster = g.one("aws:eks/cluster:Cluster");
        expect(cluster.inputs.vpcConfig).toMatchObject({ endpointPrivateAccess: true, endpointPublicAccess: false });
        expect(cluster.inputs.encryptionConfig).toEqual({ resources: ["secrets"], provider: { keyArn: expect.stringMatching(/^arn:aws:kms:/) } });
        expect([...cluster.inputs.enabledClusterLogTypes].sort()).toEqual(["api", "audit", "authenticator", "controllerManager", "scheduler"]);
        expect(cluster.inputs.accessConfig).toMatchObject({ authenticationMode: "API" });
        expect(g.byType("aws:eks/accessEntry:AccessEntry").map((e) => e.inputs.principalArn)).toEqual(JSON.parse(stackConfig("prod")["groundwork:clusterAdminRoleArns"]));
    });

    test("node groups only in the network's private subnets, from launch templates requiring IMDSv2", () => {
        const privateSubnets = g.byType("aws:ec2/subnet:Subnet").filter((s) => s.name.startsWith("network-private-")).map((s) => s.outputs.id);
        const groups = g.byType("aws:eks/nodeGroup:NodeGroup");
        expect(groups.map((n) => n.inputs.capacityType).sort()).toEqual(["ON_DEMAND", "SPOT"]);
        for (const n of groups) expect([...n.inputs.subnetIds].sort()).toEqual([...privateSubnets].sort());
        for (const lt of g.byType("aws:ec2/launchTemplate:LaunchTemplate")) {
            expect(lt.inputs.metadataOptions).toMatchObject({ httpTokens: "required" });
        }
    });

    test("cluster add-ons are pinned Helm releases on the cluster's provider", () => {
        const provider = g.one("pulumi:providers:kubernetes");
        const releases = g.byType("kubernetes:helm.sh/v3:Release");
        expect(releases.map((r) => r.inputs.chart).sort()).toEqual([
            "aws-load-balancer-controller",
            // Istio ambient (the mesh) and its ingress gateway, with cert-manager for the gateway's certificate
            "base",
            "cert-manager",
            "cluster-autoscaler",
            "cni",
            "gateway",
            "istiod",
            "keda",
            "kube-prometheus-stack",
            "metrics-server",
            "opentelemetry-collector",
            "secrets-store-csi-driver",
            "secrets-store-csi-driver-provider-aws",
            "ztunnel",
        ]);
        for (const r of releases) {
            // Exact versions (cert-manager's charts carry a leading "v")
            expect(r.inputs.version).toMatch(/^v?\d+\.\d+\.\d+$/);
            expect(r.provider).toBe(provider.urn);
        }
    });
});

describe.each([["dev", false], ["prod", true]] as const)("infra program, the data tier (%s)", (stack, ha) => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack, config: stackConfig(stack) });
    });

    // The prod preset runs Aurora behind RDS Proxy (groundwork:dbEngine), dev one RDS instance.
    const aurora = stack === "prod";
    /** The rds-db:connect ARNs of the app user: the instance's, or the proxy's (prx-) and the cluster's. */
    const dbUserArns = (): string[] => {
        const dbuser = (id: string) => `arn:aws:rds-db:us-east-1:123456789012:dbuser:${id}/app`;
        if (!aurora) return [dbuser(g.one("aws:rds/instance:Instance").outputs.resourceId)];
        return [dbuser(proxyResourceId(g.one("aws:rds/proxy:Proxy").outputs.arn)), dbuser(g.one("aws:rds/cluster:Cluster").outputs.clusterResourceId)];
    };
    const database = () => (aurora ? g.one("aws:rds/cluster:Cluster") : g.one("aws:rds/instance:Instance"));

    test("PostgreSQL: encrypted, private, managed master secret, TLS forced; Multi-AZ (or readers across AZs) and deletion protection by tier", () => {
        if (aurora) {
            const cluster = g.one("aws:rds/cluster:Cluster");
            expect(cluster.inputs).toMatchObject({ engine: "aurora-postgresql", storageEncrypted: true, manageMasterUserPassword: true, iamDatabaseAuthenticationEnabled: true, deletionProtection: true });
            expect(cluster.inputs.backupRetentionPeriod).toBeGreaterThanOrEqual(7);
            const cpg = g.one("aws:rds/clusterParameterGroup:ClusterParameterGroup");
            expect(cpg.inputs.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "rds.force_ssl", value: "1" })]));
            expect(cluster.inputs.dbClusterParameterGroupName).toBe(cpg.outputs.name);
            expect(cluster.protect).toBe(true);
            // A writer and at least two readers, in three different AZs, never public
            const instances = g.byType("aws:rds/clusterInstance:ClusterInstance");
            expect(instances.length).toBeGreaterThanOrEqual(3);
            expect(new Set(instances.map((i) => i.inputs.availabilityZone)).size).toBe(3);
            for (const i of instances) expect(i.inputs.publiclyAccessible).toBe(false);
            expect(g.one("aws:appautoscaling/target:Target").inputs).toMatchObject({ scalableDimension: "rds:cluster:ReadReplicaCount", minCapacity: 2, maxCapacity: 6 });
            expect(g.one("aws:rds/proxy:Proxy").inputs).toMatchObject({ requireTls: true, defaultAuthScheme: "IAM_AUTH", auths: [expect.objectContaining({ authScheme: "SECRETS", iamAuth: "REQUIRED" })] });
            expect(g.one("aws:rds/proxyEndpoint:ProxyEndpoint").inputs.targetRole).toBe("READ_ONLY");
            expect(g.byType("aws:rds/instance:Instance")).toEqual([]);
            return;
        }
        const db = g.one("aws:rds/instance:Instance");
        expect(db.inputs).toMatchObject({ storageEncrypted: true, publiclyAccessible: false, manageMasterUserPassword: true, iamDatabaseAuthenticationEnabled: true, multiAz: ha, deletionProtection: ha });
        expect(db.inputs.backupRetentionPeriod).toBeGreaterThanOrEqual(7);
        const pg = g.one("aws:rds/parameterGroup:ParameterGroup");
        expect(pg.inputs.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: "rds.force_ssl", value: "1" })]));
        expect(db.inputs.parameterGroupName).toBe(pg.outputs.name);
        expect(db.protect).toBe(ha);
        expect(g.byType("aws:rds/proxy:Proxy")).toEqual([]);
    });

    test("cache: encrypted at rest and in transit (required), IAM-authenticated users; failover by tier", () => {
        const rg = g.one("aws:elasticache/replicationGroup:ReplicationGroup");
        expect(rg.inputs).toMatchObject({ atRestEncryptionEnabled: true, transitEncryptionEnabled: true, transitEncryptionMode: "required", automaticFailoverEnabled: ha, multiAzEnabled: ha });
        expect(rg.inputs.userGroupIds).toEqual([g.one("aws:elasticache/userGroup:UserGroup").outputs.id]);
        // prod shards the keyspace (cluster mode, three shards of a primary and a replica); dev keeps one node
        expect(rg.inputs).toMatchObject(aurora ? { clusterMode: "enabled", numNodeGroups: 3, replicasPerNodeGroup: 1, parameterGroupName: "default.valkey8.cluster.on" } : { clusterMode: "disabled", numCacheClusters: 1 });
    });

    test("the database and cache admit only the cluster nodes' security group", () => {
        const nodeSg = g.byType("aws:ec2/securityGroup:SecurityGroup").find((sg) => sg.name === "cluster-node-sg")!;
        const ingress = [...g.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"), ...g.byType("aws:ec2/securityGroupRule:SecurityGroupRule")].filter(
            (r) => r.name.startsWith("db-") || r.name.startsWith("cache-"),
        );
        expect(ingress.length).toBeGreaterThanOrEqual(2);
        // With Aurora the cluster also admits its RDS Proxy, whose own group admits only the nodes.
        const proxySg = g.byType("aws:ec2/securityGroup:SecurityGroup").find((sg) => sg.name === "db-proxy-sg");
        expect(proxySg !== undefined).toBe(aurora);
        for (const r of ingress) {
            expect(r.inputs.cidrIpv4 ?? r.inputs.cidrBlocks).toBeUndefined();
            expect([nodeSg.outputs.id, proxySg?.outputs.id]).toContain(r.inputs.referencedSecurityGroupId ?? r.inputs.sourceSecurityGroupId);
            if (r.inputs.securityGroupId === proxySg?.outputs.id) expect(r.inputs.referencedSecurityGroupId).toBe(nodeSg.outputs.id);
        }
    });

    test("jobs queue: encrypted, redrives to its DLQ; the worker may consume (and its outbox relay send), the API only read attributes, on those ARNs only", () => {
        const main = g.one("aws:sqs/queue:Queue", "jobs-queue");
        const dlq = g.one("aws:sqs/queue:Queue", "jobs-dlq");
        expect(main.inputs.sqsManagedSseEnabled ?? main.inputs.kmsMasterKeyId).toBeTruthy();
        expect(JSON.parse(main.inputs.redrivePolicy)).toEqual({ deadLetterTargetArn: dlq.outputs.arn, maxReceiveCount: 5 });
        const policyOf = (name: string) => JSON.parse(g.named(name).inputs.policy);
        expect(policyOf("worker-jobs-consume").Statement.flatMap((st: any) => st.Resource)).toEqual([main.outputs.arn]);
        // The API commits jobs to the outbox in PostgreSQL; it never sends to SQS (readiness and the depth gauge read attributes).
        const api = policyOf("api-jobs-attributes");
        expect(api.Statement.flatMap((st: any) => st.Resource)).toEqual([main.outputs.arn]);
        expect(api.Statement.flatMap((st: any) => st.Action)).toEqual(["sqs:GetQueueAttributes"]);
        expect(policyOf("worker-jobs-send").Statement.flatMap((st: any) => st.Resource)).toEqual([main.outputs.arn]);
        expect(policyOf("api-db-connect-app").Statement[0].Resource).toEqual(dbUserArns());
    });

    test("each workload role is granted exactly the AWS calls its entry point makes (app/src/contract.json): nothing missing, nothing extra", async () => {
        // GIVEN the resources the contract names, as ARNs of this stack
        const db = database();
        const arns: Record<string, string[]> = {
            "jobs-queue": [g.one("aws:sqs/queue:Queue", "jobs-queue").outputs.arn],
            "jobs-dlq": [g.one("aws:sqs/queue:Queue", "jobs-dlq").outputs.arn],
            "database-user": dbUserArns(),
            "cache-user": [g.one("aws:elasticache/replicationGroup:ReplicationGroup").outputs.arn, g.one("aws:elasticache/user:User", "cache-app-user").outputs.arn],
            "database-master-secret": [db.outputs.masterUserSecrets[0].secretArn],
            "database-key": [db.inputs.kmsKeyId],
            "webhook-key": [g.one("aws:secretsmanager/secret:Secret", "webhook-key-secret").outputs.arn],
            "webhook-kms-key": [g.one("aws:kms/key:Key", "app-secrets-key").outputs.arn],
        };
        const expected = (entry: string): string[] =>
            Object.entries((APP_CONTRACT.awsCalls as Record<string, Record<string, string[]>>)[entry]).flatMap(([res, actions]) => {
                expect(arns[res]).toBeDefined();
                return actions.flatMap((a) => arns[res].map((arn) => `${a} ${arn}`));
            });
        // WHEN the statements of every inline policy on each workload's role are read
        const granted = (entry: string): string[] => {
            const role = g.one("aws:iam/role:Role", `${entry}-role`);
            const docs = g.byType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.parent === role.parent).map((p) => JSON.parse(p.inputs.policy));
            return docs.flatMap((d) => d.Statement.flatMap((st: any) => [st.Action].flat().flatMap((a: string) => [st.Resource].flat().map((r: string) => `${a} ${r}`))));
        };
        // THEN they are the same sets
        for (const entry of ["api", "worker", "migrate"]) {
            expect([entry, [...new Set(granted(entry))].sort()]).toEqual([entry, [...new Set(expected(entry))].sort()]);
        }
    });

    test("the API's metrics port is exposed by no Service, Ingress or CDN behaviour, and by NetworkPolicies only to Prometheus's pods", () => {
        const deployment = g.one("kubernetes:apps/v1:Deployment", "api-deployment");
        const env = Object.fromEntries(deployment.inputs.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
        expect([env.PORT, env.METRICS_PORT]).toEqual([String(API_PORT), String(API_METRICS_PORT)]);
        for (const svc of g.byType("kubernetes:core/v1:Service")) {
            for (const p of svc.inputs.spec.ports) expect([svc.name, p.port, p.targetPort]).not.toContainEqual(API_METRICS_PORT);
        }
        for (const ing of g.byType("kubernetes:networking.k8s.io/v1:Ingress")) expect(JSON.stringify(ing.inputs.spec)).not.toContain(String(API_METRICS_PORT));
        // The scraper is the cluster's Prometheus (components/telemetry): the one peer admitted on the metrics port.
        const prometheus = g.one("kubernetes:helm.sh/v3:Release", "telemetry-metrics");
        const scraper = { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": prometheus.inputs.namespace } }, podSelector: { matchLabels: prometheus.inputs.values.prometheus.prometheusSpec.podMetadata.labels } };
        for (const np of g.byType("kubernetes:networking.k8s.io/v1:NetworkPolicy")) {
            for (const r of np.inputs.spec.ingress ?? []) {
                if ((r.ports ?? []).some((p: any) => p.port === API_METRICS_PORT)) expect([np.name, r.from]).toEqual([np.name, [scraper]]);
            }
        }
        const dist = g.one("aws:cloudfront/distribution:Distribution").inputs;
        expect((dist.orderedCacheBehaviors ?? []).map((b: any) => b.pathPattern)).not.toEqual(expect.arrayContaining([expect.stringMatching(/metrics/)]));
    });

    test("the edge agrees with the app on its credential header: WAF logs redact it, the API cache keys on it, and caches nothing the API does not allow", () => {
        // GIVEN the header the app authenticates with, as the app itself reads it (app/src/platform/contract.ts)
        const header = APP_CREDENTIAL_HEADER;
        expect(header).toBe("x-api-key");
        // THEN the WAF logging configuration redacts it (and Authorization and cookies) ...
        const redacted = g.one("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration").inputs.redactedFields.map((f: any) => f.singleHeader.name);
        expect(redacted).toEqual(expect.arrayContaining([header, "authorization", "cookie"]));
        // ... the API cache policy keys on it, so one key's cacheable response is never another's ...
        const apiCache = g.one("aws:cloudfront/cachePolicy:CachePolicy", "edge-api-cache").inputs;
        const keyed = apiCache.parametersInCacheKeyAndForwardedToOrigin.headersConfig.headers.items.map((h: string) => h.toLowerCase());
        expect(keyed).toEqual(expect.arrayContaining([header, "authorization"]));
        // ... and stores nothing unless the response's Cache-Control allows it (the app sends private/no-store on
        // authenticated routes, which CloudFront does not cache: app/test checks those headers)
        expect([apiCache.defaultTtl, apiCache.minTtl]).toEqual([0, 0]);
    });
});

describe("buildPlatform", () => {
    test("can be called directly with a parsed spec (the extension point for later components)", async () => {
        const spec = parsePlatformSpec(
            {
                "aws:region": "eu-west-1",
                "groundwork:tier": "prod",
                "groundwork:natMode": "single",
                "groundwork:tags": "{\"owner\":\"platform\"}",
                "groundwork:domain": "shop.example.org",
                "groundwork:hostedZoneId": "Z0123456789ABCDEFGHIJ",
                "groundwork:apiOriginDomain": "origin.shop.example.org",
                "groundwork:clusterAdminRoleArns": '["arn:aws:iam::210987654321:role/ops"]',
            },
            { stack: "prod", availabilityZones: ["eu-west-1a", "eu-west-1b", "eu-west-1c"] },
        );
        const g = await runPulumi(() => buildPlatform(spec).outputs, { stack: "prod", config: { "aws:region": "eu-west-1" } });
        expect(count(g, "aws:ec2/natGateway:NatGateway")).toBe(1);
        expect(g.named("network-private-a").inputs.availabilityZone).toBe("eu-west-1a");
        expect(g.one("aws:ec2/vpc:Vpc").inputs.tags).toMatchObject({ owner: "platform", stack: "prod" });
    });
});
