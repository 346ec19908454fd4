import { createHash } from "node:crypto";
import * as yaml from "js-yaml";
import type * as pulumi from "@pulumi/pulumi";

/** The engine's wire marker for a value not known yet (`pulumi.runtime.unknownValue`), kept here so this table needs no SDK import. */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Fake account the mock engine runs in (AWS's documentation account id). */
export const MOCK_ACCOUNT_ID = "123456789012";

/**
 * The value the fake `random` provider generates for a resource: distinctive and stable per type and name, so a
 * test can search outputs, state files and reports for it and prove it never appears in the clear.
 */
export function fakeRandomValue(type: string, name: string, length: number): string {
    const len = Math.max(1, Math.min(length, 64));
    return createHash("sha256").update(`random-value::${type}::${name}`).digest("base64url").slice(0, len).padEnd(len, "q");
}

/** Returns a short stable hex digest of a string, for deterministic fake ids. */
export function digest(s: string, length = 8): string {
    return createHash("sha256").update(s).digest("hex").slice(0, length);
}

/** `aws:ec2/securityGroup:SecurityGroup` -> `{ module: "ec2", resource: "securityGroup" }`. */
function splitType(type: string): { pkg: string; module: string; resource: string } {
    const [pkg, middle = "", cls = ""] = type.split(":");
    const [module, resource] = middle.includes("/") ? middle.split("/") : [middle, cls];
    return { pkg, module, resource: resource ?? cls };
}

const ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:amp/workspace:Workspace": "ws-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
    "aws:ec2/flowLog:FlowLog": "fl-",
    "aws:ec2/launchTemplate:LaunchTemplate": "lt-",
    "aws:ec2/securityGroupRule:SecurityGroupRule": "sgrule-",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr-",
};

/** Options of the mock engine. */
export interface MockOptions {
    /** Region the fake ARNs and endpoints use. */
    region: string;
    /**
     * Outputs of the stacks the program reads through `pulumi.StackReference`, by fully qualified stack name
     * (`organization/<project>/<stack>`, as the program passes it). A stack the program reads but that is not
     * listed is an error naming the stack.
     */
    stackReferences?: Record<string, Record<string, unknown>>;
    /**
     * Answer as a provider does in the preview of a new stack: no id, and every output the program did not set
     * unknown. `unknownInputs(type, name)` names the inputs the program passed as unknown, which the mock
     * engine hides from `newResource` (it decodes them as undefined).
     */
    preview?: {
        unknownInputs(type: string, name: string): string[];
        /**
         * True when the provider reference (`<urn>::<id>`) names a provider whose own config is unknown in this
         * preview (a Kubernetes provider fed by a cluster that does not exist yet). The engine does not configure
         * such a provider: its resources' checked inputs are the program's, and their outputs are empty.
         */
        providerUnknown(providerRef: string): boolean;
    };
}

/**
 * The outputs a provider reports for a resource it has not created yet (a preview): the known inputs as given,
 * and every other property of its real state unknown. `unknown` is the engine's marker value.
 */
export function previewState(state: Record<string, any>, knownInputs: Record<string, any>, unknownKeys: string[], unknown: string): Record<string, any> {
    const out: Record<string, any> = {};
    for (const [k, v] of Object.entries(knownInputs)) if (v !== undefined) out[k] = v;
    for (const k of Object.keys(state)) if (!(k in out)) out[k] = unknown;
    for (const k of unknownKeys) out[k] = unknown;
    return out;
}

/** The errors the mocks ran into; a throw inside a mock would hang the program, so they are collected. */
export interface MockRecorder {
    /** Problems found while mocking (unknown invokes, mock bugs). */
    errors: string[];
}

/**
 * Pulumi mocks that return what real providers return for the resources Groundwork uses: autonames,
 * ids with the right prefixes, ARNs in each service's format, endpoints. Inputs resolving to `undefined`
 * would otherwise drop their dependency edges.
 */
export function createMocks(opts: MockOptions, recorder: MockRecorder): pulumi.runtime.Mocks {
    const region = opts.region;
    const acct = MOCK_ACCOUNT_ID;
    return {
        newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, any> } {
            if (args.type === "pulumi:pulumi:StackReference") {
                const stack = String(args.inputs.name ?? args.name);
                const outputs = opts.stackReferences?.[stack];
                if (!outputs) {
                    recorder.errors.push(
                        `the program reads stack '${stack}' through a StackReference, and no outputs were given for it. ` +
                            `Fix: pass --stack-reference ${stack}=<outputs.json> (for example the file \`pulumi stack output --json --stack ${stack}\` writes) ` +
                            `or --stack-output ${stack}:<name>=<value>.`,
                    );
                }
                return { id: stack, state: { name: stack, outputs: outputs ?? {}, secretOutputNames: [] } };
            }
            try {
                const r = fakeResource(args, region, acct);
                if (r.id) r.state.id = r.id; // the id attribute is the resource id, as providers return it
                if (opts.preview && args.custom !== false) {
                    if (args.provider && opts.preview.providerUnknown(args.provider)) return { id: undefined as unknown as string, state: {} };
                    const unknownKeys = opts.preview.unknownInputs(args.type, args.name);
                    // A resource that does not exist yet has no id (the engine shows it as unknown); its physical name
                    // is known, since the provider chooses it in Check, before the preview.
                    return { id: undefined as unknown as string, state: previewState(r.state, checkedInputs(args.type, args.name, args.inputs), unknownKeys, UNKNOWN) };
                }
                return r;
            } catch (e) {
                recorder.errors.push(`mock for ${args.type} '${args.name}' failed: ${(e as Error).message}`);
                return { id: `${args.name}-id`, state: { ...args.inputs } };
            }
        },
        call(args: pulumi.runtime.MockCallArgs): Record<string, any> {
            const result = mockInvoke(args.token, args.inputs, region, acct);
            if (result === undefined && args.token === "kubernetes:helm:template") {
                recorder.errors.push(
                    "the program renders a chart with helm.v3.Chart, which runs the helm binary inside the provider; the offline engine cannot. " +
                        "Fix: plan it with the real engine (npm run test:engine), or declare the chart as helm.v3.Release or helm.v4.Chart, which the offline plan records as one resource.",
                );
                return {};
            }
            if (result === undefined) {
                recorder.errors.push(
                    `the program calls data source '${args.token}', which the offline engine does not know. ` +
                        "Fix: add it to tools/plan/mocks.ts (mockInvoke) with the fields real AWS returns.",
                );
                return {};
            }
            return result;
        },
    };
}

/**
 * The fake provider answer for one resource: its id and output state, computed deterministically from its type,
 * logical name and inputs. Shared by the mock engine and the stand-in provider plugins of the real-engine tests
 * (tools/engine/standin), so both see the same ids, ARNs and endpoints.
 */
export function fakeResource(
    args: { type: string; name: string; inputs: Record<string, any>; custom?: boolean },
    stackRegion: string,
    acct: string = MOCK_ACCOUNT_ID,
): { id: string; state: Record<string, any> } {
    const inputs = { ...args.inputs } as Record<string, any>;
    // AWS provider v7 resources may name their own region; their ARNs and endpoints are in it.
    const region: string = typeof inputs.region === "string" ? inputs.region : stackRegion;
    const type = args.type;
    const { pkg, module, resource } = splitType(type);
    const h = digest(`${type}::${args.name}`);
    // Components have no provider; their "outputs" are whatever registerOutputs reports.
    if (args.custom === false) return { id: "", state: {} };
    if (pkg === "kubernetes") {
        const metadata = { ...(inputs.metadata ?? {}) };
        metadata.name = metadata.name ?? `${args.name}-${h.slice(0, 8)}`;
        if (!type.includes("Namespace") && !type.startsWith("kubernetes:rbac.authorization.k8s.io/v1:Cluster") && metadata.namespace === undefined && !type.includes("CustomResourceDefinition")) {
            metadata.namespace = "default";
        }
        const state: Record<string, any> = { ...inputs, metadata };
        if (type === "kubernetes:helm.sh/v3:Release") {
            state.name = inputs.name ?? `${args.name}-${h.slice(0, 8)}`;
            state.status = { status: "deployed", namespace: inputs.namespace ?? "default", version: inputs.version };
        }
        return { id: `${metadata.namespace ? metadata.namespace + "/" : ""}${metadata.name}`, state };
    }
    if (pkg === "pulumi" && module === "providers") {
        return { id: `${args.name}-provider-id`, state: inputs };
    }
    if (pkg === "random") {
        const value = fakeRandomValue(type, args.name, Number(inputs.length ?? 32));
        return { id: `${args.name}-id`, state: { ...inputs, result: value, hex: h, b64Std: h, b64Url: h, dec: "1", id: `${args.name}-id` } };
    }
    if (pkg === "tls") {
        return { id: `${args.name}-id`, state: { ...inputs, privateKeyPem: "-----BEGIN PRIVATE KEY-----mock", publicKeyOpenssh: "ssh-ed25519 mock" } };
    }
    // AWS: autoname the physical name the way the provider does, then add computed attributes.
    const physical: string = inputs.name ?? autoName(type, args.name);
    const id = ID_PREFIX[type] ? `${ID_PREFIX[type]}${digest(type + args.name, 17)}` : (inputs.name ?? `${args.name}-${h}`);
    const state: Record<string, any> = { ...inputs, id };
    if (inputs.name === undefined && resourceHasName(type)) state.name = physical;
    const arnBase = `arn:aws:${module}:${region}:${acct}`;
    state.arn = inputs.arn ?? `${arnBase}:${resource}/${state.name ?? id}`;
    if (inputs.tags !== undefined) state.tagsAll = inputs.tags;
    switch (type) {
        case "aws:ec2/vpc:Vpc":
            state.defaultSecurityGroupId = `sg-${digest("default" + args.name, 17)}`;
            state.mainRouteTableId = `rtb-${digest("main" + args.name, 17)}`;
            state.defaultNetworkAclId = `acl-${digest("acl" + args.name, 17)}`;
            state.arn = `${arnBase}:vpc/${id}`;
            break;
        case "aws:ec2/subnet:Subnet":
        case "aws:ec2/securityGroup:SecurityGroup":
        case "aws:ec2/routeTable:RouteTable":
        case "aws:ec2/natGateway:NatGateway":
        case "aws:ec2/launchTemplate:LaunchTemplate":
            state.arn = `${arnBase}:${resource.replace(/[A-Z]/g, (c) => "-" + c.toLowerCase())}/${id}`;
            if (type === "aws:ec2/launchTemplate:LaunchTemplate") state.latestVersion = 1;
            break;
        case "aws:ec2/eip:Eip":
            state.publicIp = "203.0.113.10";
            state.allocationId = id;
            break;
        case "aws:iam/role:Role":
            state.arn = `arn:aws:iam::${acct}:role/${state.name}`;
            state.uniqueId = `AROA${digest(args.name, 16).toUpperCase()}`;
            break;
        case "aws:iam/policy:Policy":
            state.arn = `arn:aws:iam::${acct}:policy/${state.name}`;
            break;
        case "aws:iam/openIdConnectProvider:OpenIdConnectProvider":
            state.arn = `arn:aws:iam::${acct}:oidc-provider/${String(inputs.url ?? "").replace(/^https:\/\//, "")}`;
            break;
        case "aws:iam/instanceProfile:InstanceProfile":
            state.arn = `arn:aws:iam::${acct}:instance-profile/${state.name}`;
            break;
        case "aws:kms/key:Key": {
            const keyId = `${digest(args.name, 8)}-${digest("b" + args.name, 4)}-${digest("c" + args.name, 4)}-${digest("d" + args.name, 4)}-${digest("e" + args.name, 12)}`;
            state.id = keyId;
            state.keyId = keyId;
            state.arn = `${arnBase}:key/${keyId}`;
            return { id: keyId, state };
        }
        case "aws:kms/alias:Alias":
            state.arn = `${arnBase}:${inputs.name ?? "alias/" + args.name}`;
            state.targetKeyArn = inputs.targetKeyId;
            break;
        case "aws:cloudwatch/logGroup:LogGroup":
            state.arn = `arn:aws:logs:${region}:${acct}:log-group:${state.name}`;
            break;
        case "aws:sqs/queue:Queue":
            state.arn = `arn:aws:sqs:${region}:${acct}:${state.name}`;
            state.url = `https://sqs.${region}.amazonaws.com/${acct}/${state.name}`;
            state.id = state.url;
            return { id: state.url, state };
        case "aws:secretsmanager/secret:Secret":
            state.arn = `arn:aws:secretsmanager:${region}:${acct}:secret:${state.name}-${h.slice(0, 6)}`;
            return { id: state.arn, state };
        case "aws:rds/instance:Instance": {
            const ident = inputs.identifier ?? physical;
            state.identifier = ident;
            state.address = `${ident}.c${h}.${region}.rds.amazonaws.com`;
            state.port = inputs.port ?? 5432;
            state.endpoint = `${state.address}:${state.port}`;
            state.resourceId = `db-${digest("rid" + args.name, 26).toUpperCase()}`;
            state.arn = `arn:aws:rds:${region}:${acct}:db:${ident}`;
            if (inputs.manageMasterUserPassword) {
                state.masterUserSecrets = [
                    { secretArn: `arn:aws:secretsmanager:${region}:${acct}:secret:rds!db-${h}-abcdef`, kmsKeyId: inputs.masterUserSecretKmsKeyId, secretStatus: "active" },
                ];
            }
            return { id: ident, state };
        }
        case "aws:rds/cluster:Cluster": {
            // Aurora and Multi-AZ DB clusters: the provider autonames clusterIdentifier, which is also the id.
            const ident = inputs.clusterIdentifier ?? physical;
            state.clusterIdentifier = ident;
            state.endpoint = `${ident}.cluster-c${h}.${region}.rds.amazonaws.com`;
            state.readerEndpoint = `${ident}.cluster-ro-c${h}.${region}.rds.amazonaws.com`;
            state.port = inputs.port ?? 5432;
            state.clusterResourceId = `cluster-${digest("crid" + args.name, 26).toUpperCase()}`;
            state.arn = `arn:aws:rds:${region}:${acct}:cluster:${ident}`;
            if (inputs.manageMasterUserPassword) {
                state.masterUserSecrets = [
                    { secretArn: `arn:aws:secretsmanager:${region}:${acct}:secret:rds!cluster-${h}-abcdef`, kmsKeyId: inputs.masterUserSecretKmsKeyId, secretStatus: "active" },
                ];
            }
            return { id: ident, state };
        }
        case "aws:rds/clusterParameterGroup:ClusterParameterGroup":
            state.arn = `arn:aws:rds:${region}:${acct}:cluster-pg:${state.name}`;
            return { id: state.name, state };
        case "aws:rds/proxy:Proxy": {
            // The ARN ends with the proxy's resource id (prx-...), the part of its rds-db:connect ARNs; the id is the name.
            state.arn = `arn:aws:rds:${region}:${acct}:db-proxy:prx-${digest("prx" + args.name, 17)}`;
            state.endpoint = `${state.name}.proxy-c${h}.${region}.rds.amazonaws.com`;
            return { id: state.name, state };
        }
        case "aws:rds/proxyEndpoint:ProxyEndpoint":
            state.arn = `arn:aws:rds:${region}:${acct}:db-proxy-endpoint:prx-endpoint-${digest("prxe" + args.name, 17)}`;
            state.endpoint = `${inputs.dbProxyEndpointName}.endpoint.proxy-c${h}.${region}.rds.amazonaws.com`;
            state.isDefault = false;
            return { id: `${inputs.dbProxyName}/${inputs.dbProxyEndpointName}`, state };
        case "aws:rds/proxyDefaultTargetGroup:ProxyDefaultTargetGroup":
            state.name = "default";
            state.arn = `arn:aws:rds:${region}:${acct}:target-group:prx-tg-${digest("prxtg" + args.name, 17)}`;
            return { id: inputs.dbProxyName, state };
        case "aws:rds/proxyTarget:ProxyTarget":
            state.type = "TRACKED_CLUSTER";
            return { id: `${inputs.dbProxyName},${inputs.targetGroupName},RDS_SERVERLESS_ENDPOINT,${inputs.dbClusterIdentifier}`, state };
        case "aws:appautoscaling/target:Target":
            state.arn = `arn:aws:application-autoscaling:${region}:${acct}:scalable-target/056${digest("sct" + args.name, 25)}`;
            return { id: inputs.resourceId, state };
        case "aws:appautoscaling/policy:Policy":
            state.arn = `arn:aws:autoscaling:${region}:${acct}:scalingPolicy:${digest("pol" + args.name, 8)}-${digest("pol2" + args.name, 4)}-${digest("pol3" + args.name, 4)}-${digest("pol4" + args.name, 4)}-${digest("pol5" + args.name, 12)}:resource/${inputs.serviceNamespace}/${inputs.resourceId}:policyName/${state.name}`;
            state.alarmArns = [];
            return { id: state.name, state };
        case "aws:rds/clusterInstance:ClusterInstance": {
            const ident = inputs.identifier ?? physical;
            state.identifier = ident;
            state.endpoint = `${ident}.c${h}.${region}.rds.amazonaws.com`;
            state.arn = `arn:aws:rds:${region}:${acct}:db:${ident}`;
            return { id: ident, state };
        }
        case "aws:elasticache/cluster:Cluster": {
            const cid = inputs.clusterId ?? physical;
            state.clusterId = cid;
            state.cacheNodes = [{ id: "0001", address: `${cid}.${h.slice(0, 6)}.0001.use1.cache.amazonaws.com`, port: inputs.port ?? 6379 }];
            state.arn = `arn:aws:elasticache:${region}:${acct}:cluster:${cid}`;
            return { id: cid, state };
        }
        case "aws:rds/subnetGroup:SubnetGroup":
        case "aws:rds/parameterGroup:ParameterGroup":
            state.arn = `arn:aws:rds:${region}:${acct}:${type.includes("subnet") ? "subgrp" : "pg"}:${state.name}`;
            return { id: state.name, state };
        case "aws:elasticache/replicationGroup:ReplicationGroup": {
            const rg = inputs.replicationGroupId ?? physical;
            state.replicationGroupId = rg;
            state.primaryEndpointAddress = `master.${rg}.${h.slice(0, 6)}.use1.cache.amazonaws.com`;
            state.readerEndpointAddress = `replica.${rg}.${h.slice(0, 6)}.use1.cache.amazonaws.com`;
            state.configurationEndpointAddress = inputs.clusterMode === "enabled" ? `clustercfg.${rg}.${h.slice(0, 6)}.use1.cache.amazonaws.com` : undefined;
            state.port = inputs.port ?? 6379;
            state.arn = `arn:aws:elasticache:${region}:${acct}:replicationgroup:${rg}`;
            return { id: rg, state };
        }
        case "aws:elasticache/user:User":
            state.arn = `arn:aws:elasticache:${region}:${acct}:user:${inputs.userId}`;
            return { id: inputs.userId ?? id, state };
        case "aws:elasticache/userGroup:UserGroup":
            state.arn = `arn:aws:elasticache:${region}:${acct}:usergroup:${inputs.userGroupId}`;
            return { id: inputs.userGroupId ?? id, state };
        case "aws:elasticache/subnetGroup:SubnetGroup":
            state.arn = `arn:aws:elasticache:${region}:${acct}:subnetgroup:${state.name}`;
            return { id: state.name, state };
        case "aws:eks/cluster:Cluster": {
            const oidc = `oidc.eks.${region}.amazonaws.com/id/${digest("oidc" + args.name, 32).toUpperCase()}`;
            state.endpoint = `https://${digest("ep" + args.name, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
            state.certificateAuthority = { data: Buffer.from("mock-ca").toString("base64") };
            state.identities = [{ oidcs: [{ issuer: `https://${oidc}` }] }];
            state.arn = `arn:aws:eks:${region}:${acct}:cluster/${state.name}`;
            state.vpcConfig = { ...(inputs.vpcConfig ?? {}), clusterSecurityGroupId: `sg-${digest("eks" + args.name, 17)}`, vpcId: "vpc-mock" };
            state.status = "ACTIVE";
            return { id: state.name, state };
        }
        case "aws:eks/nodeGroup:NodeGroup":
            state.arn = `arn:aws:eks:${region}:${acct}:nodegroup/${inputs.clusterName}/${inputs.nodeGroupName ?? physical}/${h}`;
            state.nodeGroupName = inputs.nodeGroupName ?? physical;
            break;
        case "aws:eks/addon:Addon":
            state.arn = `arn:aws:eks:${region}:${acct}:addon/${inputs.clusterName}/${inputs.addonName}/${h}`;
            break;
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2": {
            const bucket = inputs.bucket ?? `${args.name}-${h}`.toLowerCase();
            state.bucket = bucket;
            state.arn = `arn:aws:s3:::${bucket}`;
            state.bucketDomainName = `${bucket}.s3.amazonaws.com`;
            state.bucketRegionalDomainName = `${bucket}.s3.${region}.amazonaws.com`;
            state.region = region;
            return { id: bucket, state };
        }
        case "aws:cloudfront/distribution:Distribution": {
            const did = `E${digest(args.name, 13).toUpperCase()}`;
            state.id = did; // the id property a stack policy reads is the distribution id, as the ARN ends with
            state.arn = `arn:aws:cloudfront::${acct}:distribution/${did}`;
            state.domainName = `d${h}.cloudfront.net`;
            state.hostedZoneId = "Z2FDTNDATAQYW2";
            state.etag = "E" + h;
            return { id: did, state };
        }
        case "aws:cloudfront/originAccessControl:OriginAccessControl":
        case "aws:cloudfront/cachePolicy:CachePolicy":
        case "aws:cloudfront/originRequestPolicy:OriginRequestPolicy":
        case "aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy":
            state.etag = "E" + h;
            state.arn = `arn:aws:cloudfront::${acct}:${resource}/${id}`;
            break;
        case "aws:acm/certificate:Certificate":
            state.arn = `arn:aws:acm:${region}:${acct}:certificate/${digest(args.name, 8)}-0000-0000-0000-${digest("c" + args.name, 12)}`;
            state.domainValidationOptions = [inputs.domainName, ...(inputs.subjectAlternativeNames ?? [])].map((d: string) => ({
                domainName: d,
                resourceRecordName: `_${h}.${d}.`,
                resourceRecordType: "CNAME",
                resourceRecordValue: `_${h}.acm-validations.aws.`,
            }));
            return { id: state.arn, state };
        case "aws:wafv2/webAcl:WebAcl":
            state.arn = `arn:aws:wafv2:${region}:${acct}:${String(inputs.scope ?? "REGIONAL").toLowerCase() === "cloudfront" ? "global" : "regional"}/webacl/${state.name}/${h}`;
            state.capacity = 700;
            break;
        case "aws:ecr/repository:Repository":
            state.arn = `arn:aws:ecr:${region}:${acct}:repository/${state.name}`;
            state.repositoryUrl = `${acct}.dkr.ecr.${region}.amazonaws.com/${state.name}`;
            state.registryId = acct;
            return { id: state.name, state };
        case "aws:route53/record:Record":
            state.fqdn = String(inputs.name ?? args.name).replace(/\.$/, "");
            return { id: `${inputs.zoneId}_${state.fqdn}_${inputs.type}`, state };
        case "aws:lb/loadBalancer:LoadBalancer":
        case "aws:alb/loadBalancer:LoadBalancer": {
            const kind = inputs.loadBalancerType === "network" ? "net" : inputs.loadBalancerType === "gateway" ? "gwy" : "app";
            const h16 = digest(`${type}::${args.name}`, 16);
            // The ARN suffix is what CloudWatch's LoadBalancer dimension names: `app/<name>/<16 hex>`.
            state.arnSuffix = `${kind}/${state.name}/${h16}`;
            state.arn = `arn:aws:elasticloadbalancing:${region}:${acct}:loadbalancer/${state.arnSuffix}`;
            state.dnsName = `${inputs.internal ? "internal-" : ""}${state.name}-${h16.slice(0, 10)}.${region}.elb.amazonaws.com`;
            state.zoneId = "Z35SXDOTRQ7X7K";
            break;
        }
        case "aws:amp/workspace:Workspace":
            // AMP names its resources by the workspace id: `arn:aws:aps:<region>:<account>:workspace/ws-...`.
            state.arn = `arn:aws:aps:${region}:${acct}:workspace/${id}`;
            state.prometheusEndpoint = `https://aps-workspaces.${region}.amazonaws.com/workspaces/${id}/`;
            break;
        case "aws:lb/targetGroup:TargetGroup":
        case "aws:alb/targetGroup:TargetGroup":
            state.arnSuffix = `targetgroup/${state.name}/${digest(`${type}::${args.name}`, 16)}`;
            state.arn = `arn:aws:elasticloadbalancing:${region}:${acct}:${state.arnSuffix}`;
            break;
        case "aws:lb/listener:Listener":
        case "aws:alb/listener:Listener":
            state.arn = `${String(inputs.loadBalancerArn ?? "").replace(":loadbalancer/", ":listener/")}/${digest(`${type}::${args.name}`, 16)}`;
            break;
        case "aws:lb/listenerRule:ListenerRule":
        case "aws:alb/listenerRule:ListenerRule":
            state.arn = `${String(inputs.listenerArn ?? "").replace(":listener/", ":listener-rule/")}/${digest(`${type}::${args.name}`, 16)}`;
            break;
        default:
            break;
    }
    return { id, state };
}

/** The physical name the provider gives a resource that names none: `<logical name>-<7 hex>`, stable per type and name. */
export function autoName(type: string, name: string): string {
    return `${name}-${digest(`${type}::${name}`).slice(0, 7)}`;
}

/** Inputs as an AWS provider's Check returns them: with the physical name it chose where the program set none. */
export function checkedInputs(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
    if (!type.startsWith("aws:") || !resourceHasName(type) || inputs.name !== undefined || inputs.namePrefix !== undefined) return inputs;
    return { ...inputs, name: autoName(type, name) };
}

/** Resource types that carry an autonamed `name` property. */
export function resourceHasName(type: string): boolean {
    return !/^aws:(ec2\/(vpc|subnet|routeTable|route|routeTableAssociation|internetGateway|natGateway|eip|flowLog|vpcEndpoint|defaultSecurityGroup|securityGroupRule|mainRouteTableAssociation)|vpc\/|s3\/|cloudfront\/distribution|acm\/|route53\/record|kms\/key:|iam\/rolePolicyAttachment|eks\/(addon|accessEntry|accessPolicyAssociation|podIdentityAssociation)|rds\/(instance|cluster|clusterInstance):|elasticache\/(replicationGroup|user:|userGroup|cluster:))/.test(
        type,
    );
}

const AZ_SUFFIXES = ["a", "b", "c", "d", "e", "f"];

/** What real AWS data sources return for the invokes Groundwork programs make; undefined for unknown ones. */
export function mockInvoke(token: string, inputs: Record<string, any>, region: string, acct: string): Record<string, any> | undefined {
    switch (token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones":
            return {
                id: region,
                names: AZ_SUFFIXES.map((s) => `${region}${s}`),
                zoneIds: AZ_SUFFIXES.map((_, i) => `use1-az${i + 1}`),
                groupNames: [region],
            };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return { accountId: acct, arn: `arn:aws:iam::${acct}:user/offline`, userId: "AIDAOFFLINE", id: acct };
        case "aws:index/getRegion:getRegion":
            return { name: region, region, id: region, description: region, endpoint: `ec2.${region}.amazonaws.com` };
        case "aws:index/getPartition:getPartition":
            return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
        case "aws:ec2/getManagedPrefixList:getManagedPrefixList":
            return { id: "pl-3b927c52", name: inputs.name, addressFamily: "IPv4", maxEntries: 55, entries: [], ownerId: "AWS", arn: `arn:aws:ec2:${region}:aws:prefix-list/pl-3b927c52` };
        case "aws:ssm/getParameter:getParameter":
            return { name: inputs.name, type: "String", value: "ami-0123456789abcdef0", version: 1, id: inputs.name, arn: `arn:aws:ssm:${region}:${acct}:parameter${inputs.name}` };
        case "aws:eks/getAddonVersion:getAddonVersion":
            return { addonName: inputs.addonName, kubernetesVersion: inputs.kubernetesVersion, version: "v0.0.0-eksbuild.1", id: inputs.addonName };
        case "aws:route53/getZone:getZone":
            return { zoneId: inputs.zoneId ?? "Z0123456789ABCDEFGHIJ", name: inputs.name ?? "example.com.", id: inputs.zoneId ?? "Z0123456789ABCDEFGHIJ" };
        case "aws:iam/getPolicyDocument:getPolicyDocument":
            return { json: JSON.stringify(policyDocumentFromArgs(inputs)), id: "policy-document" };
        case "kubernetes:yaml:decode":
            // yaml.ConfigFile / yaml.ConfigGroup (v1) decode manifests through the provider, then declare each object
            // in the program: decoding here makes those objects visible to the packs, as under the real engine.
            return { result: yaml.loadAll(String(inputs.text ?? "")).filter((d) => d !== null && d !== undefined) };
        case "kubernetes:helm:template":
            return undefined;
        default:
            return undefined;
    }
}

/**
 * Renders `aws.iam.getPolicyDocument` args the way the provider does: actions, resources and principals with their
 * `not*` forms, and a principal of type `*` as `"Principal": "*"` (the provider's rendering of "everyone").
 */
export function policyDocumentFromArgs(inputs: Record<string, any>): Record<string, any> {
    const one = (list: string[]) => (list.length === 1 ? list[0] : list);
    const principalsOf = (list: { type: string; identifiers: string[] }[]) => {
        if (list.some((p) => p.type === "*")) return "*";
        const out: Record<string, any> = {};
        for (const p of list) out[p.type] = one(p.identifiers);
        return out;
    };
    const statements = (inputs.statements ?? []).map((s: any) => {
        const out: Record<string, any> = { Effect: s.effect ?? "Allow" };
        if (s.sid) out.Sid = s.sid;
        if (s.actions) out.Action = one(s.actions);
        if (s.notActions) out.NotAction = one(s.notActions);
        if (s.resources) out.Resource = one(s.resources);
        if (s.notResources) out.NotResource = one(s.notResources);
        if (s.principals) out.Principal = principalsOf(s.principals);
        if (s.notPrincipals) out.NotPrincipal = principalsOf(s.notPrincipals);
        if (s.conditions) {
            out.Condition = {};
            for (const c of s.conditions) {
                out.Condition[c.test] = { ...(out.Condition[c.test] ?? {}), [c.variable]: c.values.length === 1 ? c.values[0] : c.values };
            }
        }
        return out;
    });
    return { Version: "2012-10-17", Statement: statements };
}
