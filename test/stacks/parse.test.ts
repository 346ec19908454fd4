import { REPO_ROOT } from "../../tools/plan/plan";
import { readStackConfig, resolveProject } from "../../tools/plan/project";
import { ConfigError, parsePlatformSpec, parseStackConfig, PRESETS, RawConfig } from "../../stacks";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d"];
const parse = (raw: RawConfig, zones: readonly string[] = ZONES) => parsePlatformSpec(raw, { stack: "test", availabilityZones: zones });
const ADMINS = '["arn:aws:iam::123456789012:role/platform-admin"]';
const base: RawConfig = { "aws:region": "us-east-1", "groundwork:tier": "dev", "groundwork:apiOriginDomain": "origin.example.com", "groundwork:clusterAdminRoleArns": ADMINS };
/** The edge keys a prod stack must add: its own domain and hosted zone. */
const prodEdge: RawConfig = { "groundwork:domain": "app.example.com", "groundwork:hostedZoneId": "Z0123456789ABCDEFGHIJ" };

/** Runs `fn`, expects a ConfigError, returns it. */
function configError(fn: () => unknown): ConfigError {
    try {
        fn();
    } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return e as ConfigError;
    }
    throw new Error("expected a ConfigError");
}

describe("parsePlatformSpec: bad config fails with the key, the value and what is allowed", () => {
    describe.each<[string, RawConfig, string, RegExp]>([
        ["tier missing", { "aws:region": "us-east-1", "groundwork:apiOriginDomain": "origin.example.com", "groundwork:clusterAdminRoleArns": ADMINS }, "groundwork:tier", /is not set \(allowed: dev, prod\)/],
        ["unknown tier", { ...base, "groundwork:tier": "staging" }, "groundwork:tier", /"staging": is not allowed \(allowed: dev, prod\)/],
        ["CIDR not IPv4", { ...base, "groundwork:vpcCidr": "10.0.0/16" }, "groundwork:vpcCidr", /"10\.0\.0\/16": is not an IPv4 CIDR block/],
        ["CIDR octet above 255", { ...base, "groundwork:vpcCidr": "10.300.0.0/16" }, "groundwork:vpcCidr", /not a valid IPv4 address/],
        ["CIDR prefix above 32", { ...base, "groundwork:vpcCidr": "10.0.0.0/33" }, "groundwork:vpcCidr", /prefix length above 32/],
        ["CIDR not network-aligned", { ...base, "groundwork:vpcCidr": "10.0.1.0/16" }, "groundwork:vpcCidr", /not aligned to its \/16 network .*10\.0\.0\.0\/16/],
        ["VPC /28 too small for the subnets", { ...base, "groundwork:vpcCidr": "10.0.0.0/28" }, "groundwork:vpcCidr", /too small .*use a \/24 or larger/],
        ["VPC /25 too small for the subnets", { ...base, "groundwork:vpcCidr": "10.0.0.0/25" }, "groundwork:vpcCidr", /would be \/29, smaller than AWS's minimum \/28/],
        ["VPC larger than AWS allows", { ...base, "groundwork:vpcCidr": "10.0.0.0/8" }, "groundwork:vpcCidr", /prefix \/8; AWS VPCs take \/16 to \/28/],
        ["VPC in a public range", { ...base, "groundwork:vpcCidr": "8.8.0.0/16" }, "groundwork:vpcCidr", /not in a private range/],
        ["AZ count not a number", { ...base, "groundwork:azCount": "three" }, "groundwork:azCount", /"three": is not allowed \(allowed: a whole number from 2 to 6\)/],
        ["AZ count above 6", { ...base, "groundwork:azCount": "7" }, "groundwork:azCount", /allowed: a whole number from 2 to 6/],
        ["AZ count of 1", { ...base, "groundwork:azCount": "1" }, "groundwork:azCount", /allowed: a whole number from 2 to 6/],
        ["unknown NAT mode", { ...base, "groundwork:natMode": "perazz" }, "groundwork:natMode", /"perazz": is not allowed \(allowed: perAz, single, none\)/],
        ["boolean not true/false", { ...base, "groundwork:interfaceEndpoints": "yes" }, "groundwork:interfaceEndpoints", /allowed: true or false/],
        ["retention not a CloudWatch value", { ...base, "groundwork:flowLogRetentionDays": "100" }, "groundwork:flowLogRetentionDays", /allowed: one of 1, 3, 5, 7, 14, 30, .*365/],
        ["retention of 0 (never expire)", { ...base, "groundwork:flowLogRetentionDays": "0" }, "groundwork:flowLogRetentionDays", /allowed: one of 1, 3/],
        ["unknown (typo) key", { ...base, "groundwork:vpcCird": "10.0.0.0/16" }, "groundwork:vpcCird", /is not a known key \(allowed: .*groundwork:vpcCidr/],
        ["prod unprotected", { ...base, ...prodEdge, "groundwork:tier": "prod", "groundwork:protect": "false" }, "groundwork:protect", /cannot be false on tier prod/],
        ["region missing", { "groundwork:tier": "dev", "groundwork:apiOriginDomain": "origin.example.com", "groundwork:clusterAdminRoleArns": ADMINS }, "aws:region", /is not set \(allowed: a region name/],
        ["API origin missing", { "aws:region": "us-east-1", "groundwork:tier": "dev", "groundwork:clusterAdminRoleArns": ADMINS }, "groundwork:apiOriginDomain", /is not set \(allowed: a DNS name such as app.example.com\)/],
        ["API origin is a URL", { ...base, "groundwork:apiOriginDomain": "https://origin.example.com/" }, "groundwork:apiOriginDomain", /is not allowed \(allowed: a lower-case DNS name/],
        ["prod without a domain", { ...base, "groundwork:tier": "prod" }, "groundwork:domain", /is required on tier prod/],
        ["domain without hosted zone", { ...base, "groundwork:domain": "app.example.com" }, "groundwork:hostedZoneId", /is required with groundwork:domain/],
        ["hosted zone id malformed", { ...base, ...prodEdge, "groundwork:hostedZoneId": "zone-1" }, "groundwork:hostedZoneId", /a Route 53 hosted zone id/],
        ["unknown price class", { ...base, "groundwork:cdnPriceClass": "PriceClass_Cheap" }, "groundwork:cdnPriceClass", /PriceClass_100, PriceClass_200, PriceClass_All/],
        ["cluster admins missing", { "aws:region": "us-east-1", "groundwork:tier": "dev", "groundwork:apiOriginDomain": "origin.example.com" }, "groundwork:clusterAdminRoleArns", /is not set/],
        ["cluster admins empty", { ...base, "groundwork:clusterAdminRoleArns": "[]" }, "groundwork:clusterAdminRoleArns", /a list of IAM role ARNs/],
        ["cluster admin not a role ARN", { ...base, "groundwork:clusterAdminRoleArns": '["arn:aws:iam::123456789012:user/alice"]' }, "groundwork:clusterAdminRoleArns", /'arn:aws:iam::123456789012:user\/alice' is not an IAM role ARN/],
        ["public endpoint open to the world", { ...base, "groundwork:clusterPublicAccessCidrs": '["0.0.0.0/0"]' }, "groundwork:clusterPublicAccessCidrs", /never 0\.0\.0\.0\/0/],
        ["unsupported Kubernetes version", { ...base, "groundwork:kubernetesVersion": "1.20" }, "groundwork:kubernetesVersion", /'1\.20' is not a Kubernetes version EKS supports/],
        ["node minimum above maximum", { ...base, "groundwork:nodeMinSize": "5", "groundwork:nodeMaxSize": "3" }, "groundwork:nodeMaxSize", /minimum \(5\) larger than its maximum \(3\)/],
        ["deploy runner repository without its connection", { ...base, "groundwork:deployRunnerRepository": "https://github.com/acme/platform" }, "groundwork:deployRunnerConnectionArn", /is needed with groundwork:deployRunnerRepository.*set both keys, or neither/],
        ["deploy runner connection without its repository", { ...base, "groundwork:deployRunnerConnectionArn": "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" }, "groundwork:deployRunnerRepository", /is needed with groundwork:deployRunnerConnectionArn/],
        ["deploy runner repository is a .git URL", { ...base, "groundwork:deployRunnerRepository": "https://github.com/acme/platform.git/", "groundwork:deployRunnerConnectionArn": "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" }, "groundwork:deployRunnerRepository", /without \.git or a trailing \//],
        ["deploy runner connection is not a connection ARN", { ...base, "groundwork:deployRunnerRepository": "https://github.com/acme/platform", "groundwork:deployRunnerConnectionArn": "arn:aws:iam::123456789012:role/x" }, "groundwork:deployRunnerConnectionArn", /a connection ARN such as/],
        ["one system node", { ...base, "groundwork:nodeMinSize": "1" }, "groundwork:nodeMinSize", /a whole number from 2 to 100/],
        ["unknown RDS instance class", { ...base, "groundwork:dbInstanceClass": "db.x99.mega" }, "groundwork:dbInstanceClass", /'db\.x99\.mega' is not an RDS instance class Groundwork knows/],
        ["unknown database engine", { ...base, "groundwork:dbEngine": "aurora" }, "groundwork:dbEngine", /"aurora": is not allowed \(allowed: postgres \(one RDS instance\) or aurora-postgresql .*Fix: set groundwork:dbEngine to one of them/],
        ["Aurora on the dev preset's class", { ...base, "groundwork:dbEngine": "aurora-postgresql" }, "groundwork:dbInstanceClass", /"db\.t4g\.micro": is not an Aurora PostgreSQL class \(from the dev preset\).*db\.t4g\.medium/],
        ["Aurora on a class Aurora does not offer", { ...base, "groundwork:dbEngine": "aurora-postgresql", "groundwork:dbInstanceClass": "db.m7g.large" }, "groundwork:dbInstanceClass", /is not an Aurora PostgreSQL class, and groundwork:dbEngine is aurora-postgresql/],
        ["backups shorter than 7 days", { ...base, "groundwork:dbBackupRetentionDays": "3" }, "groundwork:dbBackupRetentionDays", /a whole number from 7 to 35/],
        ["storage limit not above allocation", { ...base, "groundwork:dbAllocatedStorage": "100", "groundwork:dbMaxAllocatedStorage": "100" }, "groundwork:dbMaxAllocatedStorage", /leaves no room for storage autoscaling/],
        ["cache node type malformed", { ...base, "groundwork:cacheNodeType": "t4g.small" }, "groundwork:cacheNodeType", /an ElastiCache node type/],
        ["job longer than two hours", { ...base, "groundwork:jobsMaxProcessingSeconds": "9000" }, "groundwork:jobsMaxProcessingSeconds", /a whole number from 1 to 7200/],
        ["app image on latest", { ...base, "groundwork:appImage": "registry.example.com/app:latest" }, "groundwork:appImage", /use repo@sha256/],
        ["app image by tag on prod", { ...base, ...prodEdge, "groundwork:tier": "prod", "groundwork:appImage": "registry.example.com/app:1.4.2" }, "groundwork:appImage", /not pinned by digest on tier prod/],
        ["origin certificate not an ACM ARN", { ...base, "groundwork:apiOriginCertificateArn": "cert-123" }, "groundwork:apiOriginCertificateArn", /an ACM certificate ARN/],
        ["API maximum below the tier's minimum", { ...base, "groundwork:apiMaxReplicas": "2", "groundwork:tier": "prod", ...prodEdge }, "groundwork:apiMaxReplicas", /below the prod minimum of 3 API pods/],
        ["WAF rate limit below AWS's minimum", { ...base, "groundwork:wafRateLimit": "5" }, "groundwork:wafRateLimit", /a whole number from 10 to 2000000000/],
        ["region malformed", { ...base, "aws:region": "US East" }, "aws:region", /"US East": is not an AWS region name/],
        ["tags not a map", { ...base, "groundwork:tags": "[\"a\"]" }, "groundwork:tags", /allowed: a map of tag names/],
        ["tags with an aws: key", { ...base, "groundwork:tags": "{\"aws:owner\":\"x\"}" }, "groundwork:tags", /not starting with aws:/],
    ])("%s", (_title, raw, key, message) => {
        test(`names ${key}`, () => {
            // WHEN the config is parsed THEN it fails with one issue on that key, and the message says why
            const err = configError(() => parse(raw));
            expect(err.issues.map((i) => i.key)).toEqual([key]);
            expect(err.message).toContain(key);
            expect(err.message).toMatch(message);
            expect(err.message).toContain("Pulumi.test.yaml");
        });
    });

    test("AZ count above what the region has names groundwork:azCount, the region's zones and the limit", () => {
        // GIVEN a prod stack (3 AZs by preset) in a region with two available zones
        const raw = { ...prodEdge, "aws:region": "us-west-1", "groundwork:tier": "prod", "groundwork:apiOriginDomain": "origin.example.com", "groundwork:clusterAdminRoleArns": ADMINS };
        // WHEN parsed THEN the error names the key, says the 3 came from the preset, and lists the zones
        const err = configError(() => parse(raw, ["us-west-1a", "us-west-1c"]));
        expect(err.issues).toEqual([
            {
                key: "groundwork:azCount",
                value: "3",
                problem: "asks for 3 AZs (from the prod preset) but us-west-1 has 2 available (us-west-1a, us-west-1c)",
                allowed: "2 to 2 in us-west-1",
            },
        ]);
    });

    test("an explicit AZ count above the region's zones is reported without the preset note", () => {
        const err = configError(() => parse({ ...base, "groundwork:azCount": "5" }));
        expect(err.message).toContain('groundwork:azCount = "5": asks for 5 AZs but us-east-1 has 4 available');
    });

    test("every problem is reported at once, sorted by key", () => {
        const err = configError(() => parse({ "groundwork:tier": "qa", "groundwork:natMode": "many", "aws:region": "moon", "groundwork:apiOriginDomain": "origin.example.com", "groundwork:clusterAdminRoleArns": ADMINS }));
        expect(err.issues.map((i) => i.key)).toEqual(["aws:region", "groundwork:natMode", "groundwork:tier"]);
    });

    test("a secret value never appears in the message", () => {
        const err = configError(() =>
            parsePlatformSpec({ ...base, "groundwork:dbPassword": "hunter2" }, { stack: "test", availabilityZones: ZONES, secretKeys: ["groundwork:dbPassword"] }),
        );
        expect(err.message).not.toContain("hunter2");
        expect(err.message).toContain('groundwork:dbPassword = "[secret]": is not a known key');
    });

    test("a bad config fails in phase 1, before the AZ lookup is needed", () => {
        expect(() => parseStackConfig({ ...base, "groundwork:vpcCidr": "10.0.0.0/28" }, { stack: "dev" })).toThrow(ConfigError);
    });
});

describe("parsePlatformSpec: presets and overrides", () => {
    test("dev preset: 2 AZs, single NAT, no interface endpoints, nothing protected", () => {
        const spec = parse(base);
        expect(spec).toMatchObject({
            project: "groundwork",
            stack: "test",
            tier: "dev",
            region: "us-east-1",
            settings: { protect: false, multiAz: false },
            tags: {},
            network: {
                vpcCidr: "10.0.0.0/16",
                azCount: 2,
                availabilityZones: ["us-east-1a", "us-east-1b"],
                natMode: "single",
                interfaceEndpoints: false,
                flowLogRetentionDays: 30,
            },
        });
    });

    test("prod preset: 3 AZs, NAT per AZ, interface endpoints, protected and Multi-AZ", () => {
        const spec = parse({ ...base, ...prodEdge, "groundwork:tier": "prod" });
        expect(spec.settings).toEqual({ protect: true, multiAz: true });
        expect(spec.network).toMatchObject({ azCount: 3, natMode: "perAz", interfaceEndpoints: true, flowLogRetentionDays: 365 });
        expect(spec.network.availabilityZones).toEqual(["us-east-1a", "us-east-1b", "us-east-1c"]);
        expect(spec.network.subnets.private).toEqual(["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"]);
    });

    describe.each<[string, RawConfig, (spec: ReturnType<typeof parse>) => unknown, unknown]>([
        ["vpcCidr", { "groundwork:vpcCidr": "172.20.0.0/20" }, (s) => s.network.vpcCidr, "172.20.0.0/20"],
        ["azCount", { "groundwork:azCount": "4" }, (s) => s.network.availabilityZones, ZONES],
        ["natMode", { "groundwork:natMode": "perAz" }, (s) => s.network.natMode, "perAz"],
        ["natMode none", { "groundwork:natMode": "none" }, (s) => s.network.natMode, "none"],
        ["interfaceEndpoints", { "groundwork:interfaceEndpoints": "true" }, (s) => s.network.interfaceEndpoints, true],
        ["flowLogRetentionDays", { "groundwork:flowLogRetentionDays": "365" }, (s) => s.network.flowLogRetentionDays, 365],
        ["protect", { "groundwork:protect": "true" }, (s) => s.settings, { protect: true, multiAz: false }],
        ["tags", { "groundwork:tags": "{\"owner\":\"platform\",\"cost-center\":\"42\"}" }, (s) => s.tags, { owner: "platform", "cost-center": "42" }],
        ["domain + hostedZoneId", prodEdge, (s) => [s.cdn.domain, s.cdn.hostedZoneId], ["app.example.com", "Z0123456789ABCDEFGHIJ"]],
        ["cdnPriceClass", { "groundwork:cdnPriceClass": "PriceClass_200" }, (s) => s.cdn.priceClass, "PriceClass_200"],
        ["wafRateLimit", { "groundwork:wafRateLimit": "500" }, (s) => s.cdn.wafRateLimit, 500],
        ["kubernetesVersion", { "groundwork:kubernetesVersion": "1.34" }, (s) => s.cluster.kubernetesVersion, "1.34"],
        ["clusterPublicAccessCidrs", { "groundwork:clusterPublicAccessCidrs": '["203.0.113.0/24"]' }, (s) => s.cluster.publicAccessCidrs, ["203.0.113.0/24"]],
        ["nodeInstanceTypes", { "groundwork:nodeInstanceTypes": '["m7g.large","m6g.large"]' }, (s) => s.cluster.nodeInstanceTypes, ["m7g.large", "m6g.large"]],
        ["deploy runner", { "groundwork:deployRunnerRepository": "https://github.com/acme/platform", "groundwork:deployRunnerConnectionArn": "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" }, (s) => s.cluster.deployRunner, { repositoryUrl: "https://github.com/acme/platform", connectionArn: "arn:aws:codeconnections:us-east-1:123456789012:connection/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d" }],
        ["node sizes", { "groundwork:nodeMinSize": "3", "groundwork:nodeMaxSize": "9", "groundwork:workerMaxSize": "12" }, (s) => [s.cluster.nodeMinSize, s.cluster.nodeMaxSize, s.cluster.workerMaxSize], [3, 9, 12]],
        ["dbInstanceClass", { "groundwork:dbInstanceClass": "db.r7g.large" }, (s) => s.data.dbInstanceClass, "db.r7g.large"],
        ["dbEngine", { "groundwork:dbEngine": "aurora-postgresql", "groundwork:dbInstanceClass": "db.t4g.medium" }, (s) => s.data.dbEngine, "aurora-postgresql"],
        ["db storage", { "groundwork:dbAllocatedStorage": "100", "groundwork:dbMaxAllocatedStorage": "400" }, (s) => [s.data.dbAllocatedStorage, s.data.dbMaxAllocatedStorage], [100, 400]],
        ["dbBackupRetentionDays", { "groundwork:dbBackupRetentionDays": "30" }, (s) => s.data.dbBackupRetentionDays, 30],
        ["cacheNodeType", { "groundwork:cacheNodeType": "cache.r7g.large" }, (s) => s.data.cacheNodeType, "cache.r7g.large"],
        ["jobs settings", { "groundwork:jobsMaxProcessingSeconds": "300", "groundwork:jobsMaxReceiveCount": "3" }, (s) => [s.data.jobsMaxProcessingSeconds, s.data.jobsMaxReceiveCount], [300, 3]],
    ])("override %s on dev", (_key, overrides, pick, expected) => {
        test("wins over the preset; other values keep the preset", () => {
            const spec = parse({ ...base, ...overrides });
            expect(pick(spec)).toEqual(expected);
            expect(spec.tier).toBe("dev");
        });
    });

    test("keys of other namespaces (aws:profile) are ignored; undefined values count as unset", () => {
        const spec = parse({ ...base, "aws:profile": "sandbox", "groundwork:natMode": undefined });
        expect(spec.network.natMode).toBe("single");
    });

    test("the region comes from the default when aws:region is unset", () => {
        const spec = parsePlatformSpec({ "groundwork:tier": "dev", "groundwork:apiOriginDomain": "origin.example.com", "groundwork:clusterAdminRoleArns": ADMINS }, { stack: "t", availabilityZones: ZONES, defaultRegion: "eu-west-1" });
        expect(spec.region).toBe("eu-west-1");
    });

    test("the spec and the presets are frozen", () => {
        const spec = parse(base);
        expect(Object.isFrozen(spec)).toBe(true);
        expect(Object.isFrozen(spec.network)).toBe(true);
        expect(Object.isFrozen(spec.network.availabilityZones)).toBe(true);
        expect(Object.isFrozen(spec.network.subnets.public)).toBe(true);
        expect(Object.isFrozen(PRESETS.prod.network)).toBe(true);
        expect(() => {
            (spec.network as any).natMode = "none";
        }).toThrow(TypeError);
    });

    test("the Pulumi.<stack>.yaml files of this project parse", () => {
        // GIVEN the committed stack files, read as the CLI passes them (the plan tool's YAML reader)
        for (const stack of ["dev", "prod"]) {
            const raw = readStackConfig(resolveProject(REPO_ROOT), stack).config;
            expect(raw["groundwork:tier"]).toBe(stack);
            // WHEN parsed THEN the tier matches the stack name
            expect(parse(raw).tier).toBe(stack);
        }
    });
});
