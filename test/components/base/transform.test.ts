import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../../../components/base";
import { Cache } from "../../../components/cache";
import { Cdn, CdnArgs, WebAcl } from "../../../components/cdn";
import { Cluster, ClusterAddons, NodeGroup } from "../../../components/cluster";
import { Database } from "../../../components/database";
import { WorkloadIdentity } from "../../../components/identity";
import { Network } from "../../../components/network";
import { Queue } from "../../../components/queue";
import { ContainerRegistry } from "../../../components/registry";
import { KmsKey, Secret } from "../../../components/secrets";
import { NamespaceIsolation, Service } from "../../../components/service";
import { evaluateGraph, mandatory } from "../../support/policy";
import { Graph, runPulumi } from "../../support/pulumi";

describe("applyTransform", () => {
    const opts = { parent: undefined, dependsOn: [] as pulumi.Resource[] };

    it("hands back the very same name, args and options when there is no transform", () => {
        const args = { tags: { a: "b" } };
        const [n, a, o] = applyTransform<{ tags: Record<string, string> }>(undefined, "x", args, opts);
        expect(n).toBe("x");
        expect(a).toBe(args);
        expect(o).toBe(opts);
    });

    it("lets the transform change copies: the caller's objects (shared constants) stay as they were", () => {
        const shared = { policyTypes: ["Ingress", "Egress"], podSelector: {} };
        const args = { spec: shared, tags: { a: "b" } };
        const seen: string[] = [];
        const t: Transform<typeof args> = (a, o, name) => {
            seen.push(name);
            a.spec.policyTypes.push("Other");
            a.tags.a = "changed";
            o.protect = true;
        };
        const [, a, o] = applyTransform(t, "child", args, opts);
        expect(seen).toEqual(["child"]);
        expect(a.spec.policyTypes).toEqual(["Ingress", "Egress", "Other"]);
        expect(a.tags).toEqual({ a: "changed" });
        expect(o.protect).toBe(true);
        expect(shared.policyTypes).toEqual(["Ingress", "Egress"]);
        expect(args.tags).toEqual({ a: "b" });
        expect(opts).toEqual({ parent: undefined, dependsOn: [] });
    });

    it("shares Outputs and other class instances instead of copying them", () => {
        const out = pulumi.output("v");
        const args = { value: out, list: [out] };
        const [, a] = applyTransform<typeof args>((x) => void x, "c", args, {});
        expect(a.value).toBe(out);
        expect(a.list[0]).toBe(out);
        expect(a.list).not.toBe(args.list);
    });
});

const cdnArgs: CdnArgs = {
    apiOriginDomain: "api-origin.dev.example.com",
    vpcId: "vpc-0123456789abcdef0",
    defaultCertificateReason: "dev stack has no domain; served on the cloudfront.net name only",
    protect: false,
};

describe("Cdn transform", () => {
    let plain: Graph;
    let transformed: Graph;
    beforeAll(async () => {
        plain = await runPulumi(() => {
            new Cdn("edge", cdnArgs);
        });
        transformed = await runPulumi(() => {
            new Cdn("edge", {
                ...cdnArgs,
                transform: {
                    distribution: (args) => {
                        args.comment = "edge: changed by a transform";
                        args.priceClass = "PriceClass_All";
                    },
                    staticBucket: (_args, opts) => {
                        opts.ignoreChanges = ["tags"];
                    },
                    cachePolicy: (args, _opts, name) => {
                        if (name === "edge-api-cache") args.comment = "api cache, transformed";
                    },
                    webAcl: { logKey: { key: (args) => void (args.description = "WAF log key, transformed") } },
                },
            });
        });
    });

    it("changes the declared child's args", () => {
        const d = transformed.one("aws:cloudfront/distribution:Distribution");
        expect(d.inputs.comment).toBe("edge: changed by a transform");
        expect(d.inputs.priceClass).toBe("PriceClass_All");
        expect(plain.one("aws:cloudfront/distribution:Distribution").inputs).toMatchObject({ comment: "edge: API and static assets", priceClass: "PriceClass_100" });
        // Everything else the component set is still there.
        expect(d.inputs.defaultCacheBehavior.viewerProtocolPolicy).toBe("redirect-to-https");
    });

    it("changes the declared child's options", () => {
        expect(transformed.named("edge-static").raw.ignoreChanges).toEqual(["tags"]);
        expect(transformed.named("edge-logs").raw.ignoreChanges).toEqual([]);
    });

    it("is called with the child's name, so one transform can tell children of a kind apart", () => {
        expect(transformed.named("edge-api-cache").inputs.comment).toBe("api cache, transformed");
        expect(transformed.named("edge-static-cache").inputs.comment).toBe(plain.named("edge-static-cache").inputs.comment);
    });

    it("reaches children of child components (Cdn -> WebAcl -> KmsKey -> key)", () => {
        const key = transformed.byType("aws:kms/key:Key").filter((k) => k.name === "edge-waf-logs-key-key");
        expect(key.map((k) => k.inputs.description)).toEqual(["WAF log key, transformed"]);
    });

    it("changes nothing else: a transform that changes nothing declares the graph of no transform", async () => {
        const noop = () => undefined;
        const g = await runPulumi(() => {
            new Cdn("edge", {
                ...cdnArgs,
                transform: { distribution: noop, staticBucket: noop, logBucket: noop, publicAccessBlock: noop, cachePolicy: noop, logBucketPolicy: noop, staticBucketPolicy: noop, webAcl: { webAcl: noop } },
            });
        });
        const shape = (x: Graph) => x.resources.map((r) => JSON.stringify([r.urn, r.parent, r.inputs, r.dependencies, r.protect, r.retainOnDelete, r.raw.ignoreChanges])).sort();
        expect(shape(g)).toEqual(shape(plain));
        expect(transformed.resources.map((r) => r.urn).sort()).toEqual(plain.resources.map((r) => r.urn).sort());
    });
});

describe("transformed args are not validated again: the packs judge them", () => {
    it("a transform that opens a bucket's Block Public Access is declared as asked, and the security pack fails it", async () => {
        const g = await runPulumi(() => {
            new Cdn("edge", {
                ...cdnArgs,
                transform: {
                    publicAccessBlock: (args, _opts, name) => {
                        if (name === "edge-static-public-access-block") args.blockPublicPolicy = false;
                    },
                },
            });
        });
        const bpa = g.named("edge-static-public-access-block");
        expect(bpa.inputs.blockPublicPolicy).toBe(false);
        const failing = mandatory(await evaluateGraph(g, { tier: "prod" })).filter((v) => v.policy === "aws-s3-bucketpublicaccessblock-enable-all-flags");
        expect(failing.map((v) => v.urn)).toEqual([bpa.urn]);
    });

    it("without the transform the same stack passes that rule", async () => {
        const g = await runPulumi(() => {
            new Cdn("edge", cdnArgs);
        });
        expect(mandatory(await evaluateGraph(g, { tier: "prod" })).filter((v) => v.policy === "aws-s3-bucketpublicaccessblock-enable-all-flags")).toEqual([]);
    });
});

/** A tag every transform below adds, to find the child it reached. */
const MARK = { "transformed-by": "test" };
const mark = (args: { tags?: pulumi.Input<Record<string, pulumi.Input<string>> | undefined> }) => {
    args.tags = { ...(args.tags as Record<string, string>), ...MARK };
};
const markK8s = (args: { metadata?: pulumi.Input<kubernetes.types.input.meta.v1.ObjectMeta | undefined> }) => {
    const m = args.metadata as kubernetes.types.input.meta.v1.ObjectMeta;
    m.annotations = { ...(m.annotations as Record<string, string>), ...MARK };
};

describe("every component takes a transform for its main children", () => {
    let g: Graph;
    beforeAll(async () => {
        g = await runPulumi(() => {
            const network = new Network("net", { availabilityZones: ["us-east-1a", "us-east-1b"], transform: { vpc: mark, flowLog: mark, endpoint: mark } });
            new Database("db", { vpcId: network.vpcId, subnetIds: ["subnet-a", "subnet-b"], allowedSecurityGroupIds: ["sg-app"], transform: { instance: mark, key: { key: mark } } });
            new Cache("cache", { vpcId: network.vpcId, subnetIds: ["subnet-a", "subnet-b"], allowedSecurityGroupIds: ["sg-app"], transform: { replicationGroup: mark, securityGroup: mark } });
            new Queue("jobs", { transform: { queue: mark, deadLetterQueue: mark } });
            new ContainerRegistry("images", { transform: { repository: mark } });
            new KmsKey("data", { transform: { key: mark } });
            new Secret("token", { kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k", noRotationReason: "the vendor has no rotation API", transform: { secret: mark } });
            new WebAcl("waf", { transform: { webAcl: mark, logGroup: mark } });
            const cluster = new Cluster("platform", {
                vpcId: network.vpcId,
                vpcCidrBlock: "10.0.0.0/16",
                privateSubnetIds: ["subnet-a", "subnet-b"],
                adminRoleArns: ["arn:aws:iam::123456789012:role/admin"],
                transform: { cluster: mark, logGroup: mark, addon: mark, key: { key: mark }, nodeGroup: { launchTemplate: mark, nodeGroup: mark } },
            });
            new NodeGroup("extra", {
                clusterName: "c",
                kubernetesVersion: "1.35",
                privateSubnetIds: ["subnet-a"],
                nodeRoleArn: "arn:aws:iam::123456789012:role/node",
                nodeSecurityGroupId: "sg-node",
                kmsKeyArn: "arn:aws:kms:us-east-1:123456789012:key/k",
                transform: { nodeGroup: mark },
            });
            new ClusterAddons("addons", {
                clusterName: "groundwork-test-platform",
                kubernetesVersion: "1.35",
                kubernetesProvider: cluster.provider,
                oidcProviderArn: cluster.oidcProviderArn,
                oidcIssuer: cluster.oidcIssuer,
                vpcId: network.vpcId,
                nodeSecurityGroupArn: cluster.nodeSecurityGroupArn,
                nodeGroupArns: Object.values(cluster.nodeGroups).map((n) => n.nodeGroupArn),
                transform: { release: (args) => void (args.description = "transformed"), identity: { role: mark } },
            });
            new WorkloadIdentity("api-id", { namespace: "app", serviceAccountName: "api", oidcProviderArn: cluster.oidcProviderArn, oidcIssuer: cluster.oidcIssuer, transform: { role: mark } });
            new NamespaceIsolation("iso", { provider: cluster.provider, namespace: "other", transform: { namespace: markK8s, defaultDenyPolicy: markK8s } });
            new Service("api", {
                provider: cluster.provider,
                namespace: "app",
                createNamespace: true,
                image: "repo/api@sha256:" + "a".repeat(64),
                port: 8080,
                transform: { deployment: markK8s, service: markK8s, networkPolicy: markK8s, namespace: { namespace: markK8s } },
            });
        });
    });
    const marked = () =>
        g.resources
            .filter((r) => r.inputs.tags?.["transformed-by"] === "test" || r.inputs.metadata?.annotations?.["transformed-by"] === "test" || r.inputs.description === "transformed")
            .map((r) => r.name)
            .sort();

    it("reaches exactly the children the transforms name, in every component", () => {
        expect(marked()).toEqual(
            [
                "net-vpc",
                "net-flow-log",
                "net-s3-endpoint",
                ...["ecr-api", "ecr-dkr", "sts", "secretsmanager", "sqs", "logs"].map((s) => `net-${s}-endpoint`),
                "db-instance",
                "db-key-key",
                "cache-group",
                "cache-sg",
                "jobs-queue",
                "jobs-dlq",
                "images-repo",
                "data-key",
                "token-secret",
                "waf-acl",
                "waf-logs",
                "platform-eks",
                "platform-logs",
                ...["vpc-cni", "kube-proxy", "eks-pod-identity-agent", "coredns", "aws-ebs-csi-driver"].map((a) => `platform-${a}`),
                "platform-key-key",
                "platform-system-lt",
                "platform-system-ng",
                "extra-ng",
                "addons-lbc",
                "addons-cluster-autoscaler",
                "addons-keda",
                "addons-metrics-server",
                "addons-secrets-store-csi",
                "addons-secrets-store-csi-aws",
                "addons-lbc-role",
                "addons-cluster-autoscaler-role",
                "addons-keda-role",
                "api-id-role",
                "iso-ns",
                "iso-default-deny",
                "api-deployment",
                "api-svc",
                "api-netpol",
                "api-namespace-ns",
            ].sort(),
        );
    });
});
