import { fakeResource, mockInvoke, policyDocumentFromArgs } from "../../tools/plan/mocks";

// The offline stand-in for aws.iam.getPolicyDocument must render every form the provider renders, or a rule reading
// NotAction, NotResource or NotPrincipal would pass a document offline that it fails under the real provider.
describe("getPolicyDocument as the plan tool renders it", () => {
    it("renders the not* forms and a principal of type * as Principal \"*\"", () => {
        const doc = policyDocumentFromArgs({
            statements: [
                { effect: "Allow", notActions: ["iam:*"], notResources: ["arn:aws:s3:::logs"], principals: [{ type: "*", identifiers: ["*"] }] },
                { effect: "Deny", actions: ["s3:GetObject", "s3:PutObject"], resources: ["arn:aws:s3:::b/*"], notPrincipals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:role/admin"] }] },
            ],
        });
        expect(doc.Statement).toEqual([
            { Effect: "Allow", NotAction: "iam:*", NotResource: "arn:aws:s3:::logs", Principal: "*" },
            { Effect: "Deny", Action: ["s3:GetObject", "s3:PutObject"], Resource: "arn:aws:s3:::b/*", NotPrincipal: { AWS: "arn:aws:iam::123456789012:role/admin" } },
        ]);
    });

    it("keeps typed principals and conditions", () => {
        const doc = policyDocumentFromArgs({
            statements: [{ actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:us-east-1:123456789012:q"], principals: [{ type: "Service", identifiers: ["sns.amazonaws.com"] }], conditions: [{ test: "ArnEquals", variable: "aws:SourceArn", values: ["arn:aws:sns:us-east-1:123456789012:t"] }] }],
        });
        expect(doc.Statement[0]).toEqual({
            Effect: "Allow",
            Action: "sqs:SendMessage",
            Resource: "arn:aws:sqs:us-east-1:123456789012:q",
            Principal: { Service: "sns.amazonaws.com" },
            Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:us-east-1:123456789012:t" } },
        });
    });
});

describe("kubernetes:yaml:decode as the plan tool answers it", () => {
    it("decodes every document of a multi-document YAML text, skipping empty ones", () => {
        const text = "apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n---\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: b, namespace: a }\ndata: { k: v }\n";
        expect(mockInvoke("kubernetes:yaml:decode", { text }, "us-east-1", "123456789012")).toEqual({
            result: [
                { apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } },
                { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "b", namespace: "a" }, data: { k: "v" } },
            ],
        });
    });

    it("does not pretend to render Helm charts (helm.v3.Chart needs the helm binary)", () => {
        expect(mockInvoke("kubernetes:helm:template", { jsonOpts: "{}" }, "us-east-1", "123456789012")).toBeUndefined();
    });
});

// Alarms name a load balancer by its ARN suffix and Prometheus writes to AMP by the workspace's `aps` ARN: the doubles
// must give both in AWS's forms, or the alarm-coverage rule and the remote-write grant would be judged on shapes that
// AWS never returns. Shared by the mock engine and the real engine's stand-in provider.
describe("computed attributes of load balancers and AMP workspaces", () => {
    it("a load balancer's ARN ends with its ARN suffix app/<name>/<16 hex>; a target group's with targetgroup/<name>/<16 hex>", () => {
        const lb = fakeResource({ type: "aws:lb/loadBalancer:LoadBalancer", name: "api-lb-alb", inputs: { loadBalancerType: "application" } }, "us-east-1").state;
        expect(lb.arnSuffix).toMatch(/^app\/api-lb-alb-[0-9a-f]{7}\/[0-9a-f]{16}$/);
        expect(lb.arn).toBe(`arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/${lb.arnSuffix}`);
        const internal = fakeResource({ type: "aws:lb/loadBalancer:LoadBalancer", name: "x", inputs: { internal: true, loadBalancerType: "network" } }, "us-east-1").state;
        expect(internal.arnSuffix).toMatch(/^net\//);
        expect(internal.dnsName).toMatch(/^internal-/);
        const tg = fakeResource({ type: "aws:lb/targetGroup:TargetGroup", name: "api-lb-targets", inputs: {} }, "us-east-1").state;
        expect(tg.arn).toBe(`arn:aws:elasticloadbalancing:us-east-1:123456789012:${tg.arnSuffix}`);
        expect(tg.arnSuffix).toMatch(/^targetgroup\/api-lb-targets-[0-9a-f]{7}\/[0-9a-f]{16}$/);
    });

    it("an AMP workspace is ws-<id>, with an aps ARN and its Prometheus endpoint", () => {
        const ws = fakeResource({ type: "aws:amp/workspace:Workspace", name: "metrics", inputs: { alias: "m" } }, "eu-west-1");
        expect(ws.id).toMatch(/^ws-/);
        expect(ws.state.arn).toBe(`arn:aws:aps:eu-west-1:123456789012:workspace/${ws.id}`);
        expect(ws.state.prometheusEndpoint).toBe(`https://aps-workspaces.eu-west-1.amazonaws.com/workspaces/${ws.id}/`);
    });
});

// The data tier's Aurora form reads these computed outputs: the cluster's master secret and resource id (its
// rds-db:connect ARN), the proxy's prx- resource id (the ARN's last part) and endpoints.
describe("Aurora and RDS Proxy as the plan tool fakes them", () => {
    it("gives a cluster with a managed password its secret, resource id and reader endpoint", () => {
        const c = fakeResource({ type: "aws:rds/cluster:Cluster", name: "db-cluster", inputs: { clusterIdentifier: "gw-prod-db", manageMasterUserPassword: true } }, "us-east-1").state;
        expect(c.clusterResourceId).toMatch(/^cluster-[0-9A-F]{26}$/);
        expect(c.readerEndpoint).toMatch(/^gw-prod-db\.cluster-ro-c[0-9a-f]+\.us-east-1\.rds\.amazonaws\.com$/);
        expect(c.masterUserSecrets[0].secretArn).toMatch(/^arn:aws:secretsmanager:us-east-1:\d{12}:secret:rds!cluster-/);
    });

    it("gives a proxy an ARN ending with its prx- resource id and an endpoint; a read-only endpoint its own", () => {
        const p = fakeResource({ type: "aws:rds/proxy:Proxy", name: "db-proxy", inputs: { name: "gw-prod-db-proxy" } }, "us-east-1");
        expect(p.id).toBe("gw-prod-db-proxy");
        expect(p.state.arn).toMatch(/^arn:aws:rds:us-east-1:\d{12}:db-proxy:prx-[0-9a-f]{17}$/);
        expect(p.state.endpoint).toMatch(/^gw-prod-db-proxy\.proxy-c[0-9a-f]+\.us-east-1\.rds\.amazonaws\.com$/);
        const e = fakeResource({ type: "aws:rds/proxyEndpoint:ProxyEndpoint", name: "db-proxy-read", inputs: { dbProxyName: "gw-prod-db-proxy", dbProxyEndpointName: "gw-prod-db-ro", targetRole: "READ_ONLY" } }, "us-east-1").state;
        expect(e.endpoint).toMatch(/^gw-prod-db-ro\.endpoint\.proxy-c[0-9a-f]+\.us-east-1\.rds\.amazonaws\.com$/);
        expect(fakeResource({ type: "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup", name: "db-proxy-pool", inputs: { dbProxyName: "p" } }, "us-east-1").state.name).toBe("default");
    });

    it("names a reader scaling target by its resource id", () => {
        const t = fakeResource({ type: "aws:appautoscaling/target:Target", name: "db-readers", inputs: { resourceId: "cluster:gw-prod-db", serviceNamespace: "rds" } }, "us-east-1");
        expect(t.id).toBe("cluster:gw-prod-db");
    });
});
