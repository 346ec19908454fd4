import { poolSizePerPod, RESERVED_DB_CONNECTIONS } from "../../infra/app";
import { connectionBudget } from "../../components/database";
import { REPO_ROOT } from "../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { Graph, runPulumi } from "../support/pulumi";

const program: () => Promise<Record<string, unknown>> = require("../../infra");
const stackConfig = (stack: string) => readStackConfig(resolveProject(REPO_ROOT), stack).config;

describe("poolSizePerPod: every pod at full scale fits in max_connections", () => {
    it.each([
        // max_connections, max pods, expected pool per pod
        [112, 7, Math.floor((112 - RESERVED_DB_CONNECTIONS) / 7)],
        [901, 30, 29],
        [5000, 30, 50], // capped: a bigger pool only queues inside PostgreSQL
        [20, 10, 1],
    ])("max_connections %i over %i pods -> %i each", (max, pods, expected) => {
        expect(poolSizePerPod(max, pods)).toBe(expected);
        expect(poolSizePerPod(max, pods) * pods).toBeLessThanOrEqual(max - RESERVED_DB_CONNECTIONS);
    });

    it("refuses a scale the database cannot serve, naming the keys to change", () => {
        expect(() => poolSizePerPod(40, 31)).toThrow(/groundwork:dbInstanceClass .* groundwork:apiMaxReplicas/);
    });
});

describe("the reference app on the prod stack", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(program, { stack: "prod", config: stackConfig("prod") });
    });
    const container = (name: string) => g.one("kubernetes:apps/v1:Deployment", `${name}-deployment`).inputs.spec.template.spec.containers[0];
    const env = (name: string) => Object.fromEntries(container(name).env.map((e: any) => [e.name, e.value]));

    test("both workloads run the pinned image and authenticate to PostgreSQL (through RDS Proxy) and Valkey with IAM, not passwords", () => {
        // prod runs Aurora: writes and read-after-write on the proxy's default endpoint, lag-tolerant reads on its read-only one
        const proxy = g.one("aws:rds/proxy:Proxy");
        const readOnly = g.one("aws:rds/proxyEndpoint:ProxyEndpoint");
        for (const name of ["api", "worker"]) {
            expect(container(name).image).toBe(stackConfig("prod")["groundwork:appImage"]);
            expect(env(name)).toMatchObject({
                DATABASE_IAM_AUTH: "true",
                DATABASE_HOST: proxy.outputs.endpoint,
                DATABASE_READ_HOST: readOnly.outputs.endpoint,
                DATABASE_USER: "app",
                REDIS_IAM_AUTH: "true",
                JOB_MAX_RECEIVES: "5",
                // prod's cache runs in cluster mode: the configuration endpoint and the cluster client
                REDIS_CLUSTER: "true",
                REDIS_URL: `rediss://${g.one("aws:elasticache/replicationGroup:ReplicationGroup").outputs.configurationEndpointAddress}:6379`,
            });
            // No password or secret value: the one secret-named variable is the ARN of the webhook key, read with the role.
            expect(Object.keys(env(name)).filter((k) => /PASSWORD|SECRET/.test(k))).toEqual(["WEBHOOK_SECRET_KEY_SECRET_ARN"]);
            expect(env(name).WEBHOOK_SECRET_KEY_SECRET_ARN).toBe(g.one("aws:secretsmanager/secret:Secret", "webhook-key-secret").outputs.arn);
        }
    });

    test("each pod's pool is sized so all pods at maximum scale fit in the proxy's pinned maximum", () => {
        const maxConnections = g.outputs.databaseMaxConnections as number;
        const budget = connectionBudget({ maxConnections, instanceClass: "db.r7g.large", proxyMaxConnectionsPercent: 75 }, 10 + 20);
        expect(budget).toEqual({ poolSize: 45, limit: Math.floor(maxConnections * 0.75), binding: "proxy" });
        expect(Number(env("api").DB_POOL_MAX)).toBe(budget.poolSize);
        expect(g.one("aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup").inputs.connectionPoolConfig.maxConnectionsPercent).toBe(75);
    });

    test("the service accounts carry the IRSA roles that hold the grants", () => {
        const sa = (name: string) => g.one("kubernetes:core/v1:ServiceAccount", `${name}-sa`);
        expect(sa("api").inputs.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(g.one("aws:iam/role:Role", "api-role").outputs.arn);
        expect(sa("worker").inputs.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(g.one("aws:iam/role:Role", "worker-role").outputs.arn);
    });

    test("the API's load balancer only admits CloudFront: origin security group, the origin domain's certificate and the origin-verify header", () => {
        const lb = g.one("aws:lb/loadBalancer:LoadBalancer");
        expect(lb.inputs).toMatchObject({ internal: false, dropInvalidHeaderFields: true, enableDeletionProtection: true });
        expect(lb.inputs.securityGroups).toContain(g.one("aws:ec2/securityGroup:SecurityGroup", "edge-origin").outputs.id);
        expect(g.one("aws:lb/listener:Listener").inputs).toMatchObject({ protocol: "HTTPS", port: 443, certificateArn: stackConfig("prod")["groundwork:apiOriginCertificateArn"] });
        const rule = g.one("aws:lb/listenerRule:ListenerRule").inputs;
        expect(rule.conditions[0].hostHeader.values).toEqual([stackConfig("prod")["groundwork:apiOriginDomain"]]);
        // The header condition carries the origin secret, so the plan records it only as a secret.
        expect(rule.conditions[1].httpHeader.values).toEqual(["[secret]"]);
        expect(g.byType("kubernetes:networking.k8s.io/v1:Ingress")).toEqual([]);
        // The origin domain resolves to the load balancer (prod's zone holds it)
        const record = g.one("aws:route53/record:Record", "api-origin-record").inputs;
        expect(record).toMatchObject({ name: stackConfig("prod")["groundwork:apiOriginDomain"], type: "A", aliases: [{ name: lb.outputs.dnsName, zoneId: lb.outputs.zoneId, evaluateTargetHealth: true }] });
    });

    test("the load balancer and the mesh's ingress gateway agree: HTTPS, binding, port, health check path, security groups; the gateway routes to the API", () => {
        const tg = g.one("aws:lb/targetGroup:TargetGroup");
        const tgb = g.one("kubernetes:elbv2.k8s.aws/v1beta1:TargetGroupBinding");
        const release = g.one("kubernetes:helm.sh/v3:Release", "mesh-gateway").inputs;
        const gatewayPort = release.values.service.ports.find((p: any) => p.name === "https");
        const gateway = g.one("kubernetes:networking.istio.io/v1:Gateway").inputs;
        // HTTPS from the load balancer to its targets, health checks included; the gateway serves TLS there
        expect(tg.inputs).toMatchObject({ protocol: "HTTPS", targetType: "ip", healthCheck: { protocol: "HTTPS" } });
        expect(gateway.spec.servers).toEqual([expect.objectContaining({ port: { number: tg.inputs.port, name: "https", protocol: "HTTPS" }, tls: expect.objectContaining({ mode: "SIMPLE" }) })]);
        // The binding fills this very group with the gateway Service's endpoints (in the gateway's namespace), on the port the pods serve
        expect(tgb.inputs.metadata.namespace).toBe(release.namespace);
        expect(tgb.inputs.spec).toEqual({ serviceRef: { name: release.name, port: gatewayPort.port }, targetGroupARN: tg.outputs.arn, targetType: "ip" });
        expect(tg.inputs.port).toBe(gatewayPort.targetPort);
        expect(Number(tg.inputs.healthCheck.port)).toBe(tg.inputs.port);
        // The gateway's certificate is issued in the cluster by cert-manager: its Secret is named, never written by the program
        const cert = g.byType("kubernetes:cert-manager.io/v1:Certificate").find((c) => c.inputs.spec.secretName === gateway.spec.servers[0].tls.credentialName)!;
        expect(cert.inputs.spec).toMatchObject({ dnsNames: [stackConfig("prod")["groundwork:apiOriginDomain"]], renewBefore: "720h" });
        expect(g.byType("kubernetes:core/v1:Secret")).toEqual([]);
        // The gateway forwards to the API's Service and port; the health check's path is the API's readiness probe's
        const route = g.one("kubernetes:networking.istio.io/v1:VirtualService").inputs.spec;
        const svc = g.byType("kubernetes:core/v1:Service").find((s) => s.name === "api-svc")!.inputs;
        const container = g.one("kubernetes:apps/v1:Deployment", "api-deployment").inputs.spec.template.spec.containers[0];
        expect(route.gateways).toEqual([`${release.namespace}/${gateway.metadata.name}`]);
        expect(route.http[0].route[0].destination).toEqual({ host: `${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local`, port: { number: svc.spec.ports[0].port } });
        expect(tg.inputs.healthCheck.path).toBe(container.readinessProbe.httpGet.path);
        expect(container.ports.map((p: any) => p.containerPort)).toContain(svc.spec.ports[0].targetPort);
        // Security groups: the load balancer's own group reaches the nodes' group (the gateway's pods) on that port, which admits it
        const nodeSg = g.outputs.nodeSecurityGroupId;
        const lbSg = g.one("aws:ec2/securityGroup:SecurityGroup", "api-lb-to-targets").outputs.id;
        const egress = g.byType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) => r.inputs.securityGroupId === lbSg);
        expect(egress.map((r) => [r.inputs.referencedSecurityGroupId, r.inputs.fromPort])).toEqual([[nodeSg, tg.inputs.port]]);
        const ingress = g.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.inputs.referencedSecurityGroupId === lbSg);
        expect(ingress.map((r) => [r.inputs.securityGroupId, r.inputs.fromPort, r.inputs.toPort])).toEqual([[nodeSg, tg.inputs.port, tg.inputs.port]]);
        // And the api's NetworkPolicy admits the gateway's pods (not VPC addresses) on the API port and on HBONE
        const np = g.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", "api-netpol").inputs.spec;
        expect(np.ingress).toContainEqual({
            from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": release.namespace } }, podSelector: { matchLabels: release.values.labels } }],
            ports: [{ protocol: "TCP", port: svc.spec.ports[0].targetPort }, { protocol: "TCP", port: 15008 }],
        });
        expect(JSON.stringify(np.ingress)).not.toContain(g.outputs.vpcCidr as string);
    });

    test("the app's, Prometheus's and the collector's namespaces are enrolled in the ambient mesh, each with a namespace-wide STRICT PeerAuthentication", () => {
        const namespaces = g.byType("kubernetes:core/v1:Namespace").map((n) => n.inputs.metadata);
        const enrolled = namespaces.filter((m) => m.labels?.["istio.io/dataplane-mode"] === "ambient").map((m) => m.name).sort();
        expect(enrolled).toEqual(["app", "monitoring", "telemetry"]);
        const strict = g.byType("kubernetes:security.istio.io/v1:PeerAuthentication").map((p) => p.inputs);
        for (const ns of enrolled) expect(strict).toContainEqual(expect.objectContaining({ metadata: expect.objectContaining({ namespace: ns }), spec: { mtls: { mode: "STRICT" } } }));
        expect(strict.every((p) => p.spec.selector === undefined && p.spec.portLevelMtls === undefined)).toBe(true);
        // The mesh's own namespace runs istio-cni and ztunnel (privileged, host network): Pod Security privileged, not enrolled
        const system = namespaces.find((m) => m.name === "istio-system")!;
        expect(system.labels).toMatchObject({ "pod-security.kubernetes.io/enforce": "privileged" });
        expect(system.labels["istio.io/dataplane-mode"]).toBeUndefined();
        // The Prometheus Operator (its webhook is called by the API server, which has no mesh identity) stays out of the mesh
        const metrics = g.one("kubernetes:helm.sh/v3:Release", "telemetry-metrics").inputs.values;
        expect(metrics.prometheusOperator.podLabels).toEqual({ "istio.io/dataplane-mode": "none" });
    });

    test("AuthorizationPolicies and NetworkPolicies agree: each workload admits the same callers on the same ports, the callers' principals derived from their service accounts", () => {
        const release = (n: string) => g.one("kubernetes:helm.sh/v3:Release", n).inputs;
        const prometheusSa = `cluster.local/ns/${release("telemetry-metrics").namespace}/sa/${release("telemetry-metrics").values.prometheus.serviceAccount.name}`;
        const gatewaySa = `cluster.local/ns/${release("mesh-gateway").namespace}/sa/${release("mesh-gateway").values.serviceAccount.name}`;
        const expected: Record<string, string[]> = { api: [gatewaySa, prometheusSa], worker: [prometheusSa] };
        for (const name of ["api", "worker"]) {
            const ap = g.one("kubernetes:security.istio.io/v1:AuthorizationPolicy", `${name}-authz`).inputs;
            const np = g.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${name}-netpol`).inputs.spec;
            expect(ap.spec.action).toBe("ALLOW");
            expect(ap.spec.selector).toEqual(np.podSelector);
            expect(ap.spec.rules.map((r: any) => r.from[0].source.principals[0])).toEqual(expected[name]);
            // Pod peers of the NetworkPolicy (the probe rule aside), in order: the same ports, plus HBONE (15008) which carries them
            const peers = np.ingress.filter((r: any) => r.from[0].ipBlock === undefined);
            expect(peers).toHaveLength(ap.spec.rules.length);
            peers.forEach((rule: any, i: number) => {
                const apPorts = ap.spec.rules[i].to[0].operation.ports.map(Number);
                expect(rule.ports.map((p: any) => p.port)).toEqual([...apPorts, 15008]);
                // The NetworkPolicy names the principal's namespace
                expect(rule.from[0].namespaceSelector.matchLabels["kubernetes.io/metadata.name"]).toBe(ap.spec.rules[i].from[0].source.principals[0].split("/")[2]);
            });
        }
    });

    test("health probes keep working in the mesh: their ports and paths are untouched, and only the kubelet's rewritten source reaches the health port in plaintext", () => {
        for (const [name, port, readiness] of [["api", 8080, "/readyz"], ["worker", 9091, "/readyz"]] as const) {
            const container = g.one("kubernetes:apps/v1:Deployment", `${name}-deployment`).inputs.spec.template.spec.containers[0];
            for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) expect(container[probe].httpGet).toMatchObject({ port, scheme: "HTTP" });
            expect(container.readinessProbe.httpGet.path).toBe(readiness);
            expect(container.livenessProbe.httpGet.path).toBe("/healthz");
            const np = g.one("kubernetes:networking.k8s.io/v1:NetworkPolicy", `${name}-netpol`).inputs.spec;
            expect(np.ingress.filter((r: any) => r.from[0].ipBlock)).toEqual([{ from: [{ ipBlock: { cidr: "169.254.7.127/32" } }], ports: [{ protocol: "TCP", port }] }]);
        }
    });

    test("the load balancer's alarms notify the alert topic and are part of the service-health composite", () => {
        const topic = g.outputs.alertTopicArn;
        const lbAlarms = g.byType("aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) => a.name.startsWith("api-lb-alarm-"));
        expect(lbAlarms.map((a) => a.name).sort()).toEqual(["api-lb-alarm-no-healthy-targets", "api-lb-alarm-p99-latency", "api-lb-alarm-target-5xx", "api-lb-alarm-unhealthy-targets"]);
        const suffix = g.one("aws:lb/loadBalancer:LoadBalancer").outputs.arnSuffix;
        for (const a of lbAlarms) {
            expect(a.inputs).toMatchObject({ alarmActions: [topic], okActions: [topic] });
            expect(a.inputs.dimensions.LoadBalancer).toBe(suffix);
        }
        const composite = g.one("aws:cloudwatch/compositeAlarm:CompositeAlarm").inputs.alarmRule as string;
        for (const a of lbAlarms) expect(composite).toContain(`ALARM("${a.outputs.name ?? a.inputs.name}")`);
    });

    test("a migrations Job with the master secret (its own role) runs before the workloads roll out", () => {
        const job = g.one("kubernetes:batch/v1:Job");
        const env = Object.fromEntries(job.inputs.spec.template.spec.containers[0].env.map((e: any) => [e.name, e.value]));
        const db = g.one("aws:rds/cluster:Cluster");
        // The master password logs in to the cluster's writer directly: the proxy requires IAM tokens.
        expect(env).toMatchObject({ DATABASE_HOST: db.outputs.endpoint, DATABASE_SECRET_ARN: db.outputs.masterUserSecrets[0].secretArn, DATABASE_TLS: "true", DATABASE_IAM_BOOTSTRAP_ROLE: "app" });
        expect(env.DATABASE_IAM_AUTH).toBeUndefined();
        expect(job.inputs.spec.template.spec.containers[0].command).toEqual(["node", "dist/migrate.js"]);
        expect(g.one("kubernetes:core/v1:ServiceAccount", "migrate-sa").inputs.metadata.annotations["eks.amazonaws.com/role-arn"]).toBe(g.one("aws:iam/role:Role", "migrate-role").outputs.arn);
        // Only the migrations role may read the master secret (and the RDS Proxy's own role, trusted by rds.amazonaws.com
        // only); api and worker read the webhook key alone.
        const masterArn = db.outputs.masterUserSecrets[0].secretArn;
        const secretGrants = g.byType("aws:iam/rolePolicy:RolePolicy").filter((p) => p.inputs.policy.includes("secretsmanager:GetSecretValue"));
        expect(secretGrants.filter((p) => p.inputs.policy.includes(masterArn)).map((p) => p.name).sort()).toEqual(["db-proxy-secret", "migrate-db-master-secret"]);
        expect(secretGrants.filter((p) => !p.inputs.policy.includes(masterArn)).map((p) => p.name).sort()).toEqual(["api-webhook-key-get-value", "worker-webhook-key-get-value"]);
        for (const d of ["api-deployment", "worker-deployment"]) expect(g.one("kubernetes:apps/v1:Deployment", d).dependencies).toContain(job.urn);
    });

    test("the worker scales on the jobs queue with KEDA and runs on the Spot queue-worker nodes", () => {
        const so = g.one("kubernetes:keda.sh/v1alpha1:ScaledObject");
        expect(so.inputs.spec.triggers[0]).toMatchObject({ type: "aws-sqs-queue", metadata: expect.objectContaining({ queueURL: g.one("aws:sqs/queue:Queue", "jobs-queue").outputs.url }) });
        expect(so.inputs.spec).toMatchObject({ minReplicaCount: 2, maxReplicaCount: 20 });
        const pod = g.one("kubernetes:apps/v1:Deployment", "worker-deployment").inputs.spec.template.spec;
        expect(pod.nodeSelector).toEqual({ "groundwork.dev/workload": "queue-worker" });
        expect(g.one("kubernetes:apps/v1:Deployment", "worker-deployment").inputs.spec.replicas).toBeUndefined();
    });
});

describe("a scale the RDS Proxy cannot serve", () => {
    it("fails the plan with the proxy's numbers and says the proxy binds", async () => {
        // GIVEN prod on a small writer (max_connections 450, the proxy may open 75% = 337) and 400 + 20 pods
        const config = { ...stackConfig("prod"), "groundwork:dbInstanceClass": "db.t4g.medium", "groundwork:apiMaxReplicas": "400" };
        // THEN the program refuses, with the numbers and the keys to change
        await expect(runPulumi(program, { stack: "prod", config })).rejects.toThrow(
            /the RDS Proxy can open 337 database connections \(75% of max_connections 450 on db\.t4g\.medium; the proxy binds, not the instance\) but the app may run 420 pods, each needing at least one connection \(420 > 337\)\. Fix: choose a larger groundwork:dbInstanceClass/,
        );
    });
});

describe("without groundwork:appImage", () => {
    it("declares the platform without app workloads", async () => {
        const { ["groundwork:appImage"]: _image, ...config } = stackConfig("dev");
        const g = await runPulumi(program, { stack: "dev", config });
        expect(g.byType("kubernetes:apps/v1:Deployment").filter((d) => ["api-deployment", "worker-deployment"].includes(d.name))).toEqual([]);
        expect(g.byType("aws:eks/cluster:Cluster")).toHaveLength(1);
    });
});
