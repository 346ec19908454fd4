import { KmsKey, kmsKeyPolicy, Secret, SECRET_ROTATION_POLICY, secretResourcePolicy, viaServiceCondition } from "../../../components/secrets";
import { sidOf, stableName } from "../../../components/secrets/context";
import { evaluateGraph, mandatory } from "../../support/policy";
import { grantDocument, RecordingIdentity } from "../../support/grants";
import { generatedValue, runPulumi } from "../../support/pulumi";

const ACCOUNT = "123456789012";
const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/given";
const LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:rotate";
const KEY = "aws:kms/key:Key";
const SECRET = "aws:secretsmanager/secret:Secret";

describe("stableName", () => {
    it.each<[string[], number, string]>([
        [["groundwork", "prod", "db"], 63, "groundwork-prod-db"],
        [["Groundwork", "Prod_1", "My DB"], 63, "groundwork-prod-1-my-db"],
        [["1st", "db"], 63, "x1st-db"],
        [["groundwork", "prod", "cache"], 12, "groundwork-p"],
        [["ab", "--cd--"], 5, "ab-cd"],
        [["abcd", "efgh"], 5, "abcd"],
    ])("%j cut to %i is %s", (parts, max, expected) => expect(stableName(parts, max)).toBe(expected));
});

describe("sidOf", () => {
    it.each<[string[], string]>([
        [["jobs"], "Jobs"],
        [["app-db", "connect", "app_user"], "AppDbConnectAppUser"],
    ])("%j is %s", (parts, expected) => expect(sidOf(...parts)).toBe(expected));
});

describe("kmsKeyPolicy", () => {
    it("names the account root and pins every service principal to the account", () => {
        expect(
            kmsKeyPolicy({ accountId: ACCOUNT, partition: "aws" }, [
                { service: "logs.us-east-1.amazonaws.com" },
                { service: "sns.amazonaws.com", actions: ["kms:Decrypt"], viaService: "sns.us-east-1.amazonaws.com" },
            ]),
        ).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Sid: "AccountRootAdministersKey", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
                {
                    Sid: "ServiceUsesKey0",
                    Effect: "Allow",
                    Principal: { Service: "logs.us-east-1.amazonaws.com" },
                    Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
                },
                {
                    Sid: "ServiceUsesKey1",
                    Effect: "Allow",
                    Principal: { Service: "sns.amazonaws.com" },
                    Action: ["kms:Decrypt"],
                    Resource: "*",
                    Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT, "kms:ViaService": "sns.us-east-1.amazonaws.com" } },
                },
            ],
        });
    });
});

describe("kmsKeyPolicy with allowCloudWatchLogs", () => {
    it("adds the regional CloudWatch Logs principal, limited to this account's log groups in the region", () => {
        expect(kmsKeyPolicy({ accountId: ACCOUNT, partition: "aws", region: "eu-west-1" }, [], true).Statement[1]).toEqual({
            Sid: "CloudWatchLogsUsesKeyForAccountLogGroups",
            Effect: "Allow",
            Principal: { Service: "logs.eu-west-1.amazonaws.com" },
            Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"],
            Resource: "*",
            Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:eu-west-1:${ACCOUNT}:log-group:*` } },
        });
    });
    it("needs the region", () => {
        expect(() => kmsKeyPolicy({ accountId: ACCOUNT, partition: "aws" }, [], true)).toThrow("allowCloudWatchLogs needs the region");
    });
});

describe("KmsKey", () => {
    it("declares a rotating key with the account-root policy, an alias and protection", async () => {
        // GIVEN a KmsKey with one service principal WHEN the program runs
        const g = await runPulumi(() => new KmsKey("data", { servicePrincipals: [{ service: "logs.us-east-1.amazonaws.com" }] }), { stack: "prod" });
        // THEN the key rotates yearly, its policy is the pure document, it is protected and retained
        const key = g.one(KEY, "data-key");
        expect(key.inputs).toMatchObject({ enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30, keyUsage: "ENCRYPT_DECRYPT" });
        expect(JSON.parse(key.inputs.policy)).toEqual(kmsKeyPolicy({ accountId: ACCOUNT, partition: "aws" }, [{ service: "logs.us-east-1.amazonaws.com" }]));
        expect([key.protect, key.retainOnDelete]).toEqual([true, true]);
        // AND the alias is alias/<project>-<stack>-<name> and targets this key
        const alias = g.one("aws:kms/alias:Alias", "data-alias");
        expect(alias.inputs.name).toBe("alias/groundwork-prod-data");
        expect(alias.dependencies).toContain(key.urn);
        expect(mandatory(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
    });

    it("is not protected when protect is false", async () => {
        const g = await runPulumi(() => new KmsKey("data", { protect: false }));
        expect(g.one(KEY).protect).toBe(false);
    });

    it.each<[string, Record<string, unknown>, string]>([
        ["aliasName", { aliasName: "aws/mine" }, "invalid 'aliasName'"],
        ["aliasName", { aliasName: "has space" }, "invalid 'aliasName'"],
        ["rotationPeriodInDays", { rotationPeriodInDays: 30 }, "invalid 'rotationPeriodInDays': 30 is outside 90..2560"],
        ["deletionWindowInDays", { deletionWindowInDays: 3 }, "invalid 'deletionWindowInDays': 3 is outside 7..30"],
        ["servicePrincipals", { servicePrincipals: [{ service: "*" }] }, "invalid 'servicePrincipals': '*' is not a service principal"],
        ["servicePrincipals", { servicePrincipals: [{ service: "logs.amazonaws.com", actions: ["kms:*"] }] }, "invalid 'servicePrincipals': action 'kms:*'"],
    ])("rejects a bad %s", async (_field, args, message) => {
        await expect(runPulumi(() => new KmsKey("data", args))).rejects.toThrow(`KmsKey 'data': ${message}`);
    });
});

describe("secretResourcePolicy", () => {
    it("only denies other accounts (no Allow)", () => {
        expect(secretResourcePolicy(ACCOUNT)).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "DenyOtherAccounts",
                    Effect: "Deny",
                    Principal: "*",
                    Action: "secretsmanager:*",
                    Resource: "*",
                    Condition: { StringNotEquals: { "aws:PrincipalAccount": ACCOUNT }, Bool: { "aws:PrincipalIsAWSService": "false" } },
                },
            ],
        });
    });
});

describe("viaServiceCondition", () => {
    it.each<[string | undefined, object]>([
        ["eu-west-1", { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } }],
        [undefined, { StringLike: { "kms:ViaService": "secretsmanager.*.amazonaws.com" } }],
    ])("region %s", (region, expected) => expect(viaServiceCondition("secretsmanager", region ?? "")).toEqual(expected));
});

describe("Secret", () => {
    it("encrypts with the given key, blocks public policies, generates a secret value and rotates", async () => {
        // GIVEN a secret with a rotation function
        const identity = new RecordingIdentity();
        const g = await runPulumi(() => {
            const s = new Secret("api-key", { kmsKeyArn: KEY_ARN, rotationLambdaArn: LAMBDA, rotationDays: 14 });
            s.grantRead(identity);
        });
        // THEN the secret uses the given key and has a blocking resource policy
        const secret = g.one(SECRET, "api-key-secret");
        expect(secret.inputs.kmsKeyId).toBe(KEY_ARN);
        expect(secret.inputs.recoveryWindowInDays).toBe(30);
        const policy = g.one("aws:secretsmanager/secretPolicy:SecretPolicy", "api-key-policy");
        expect(policy.inputs.blockPublicPolicy).toBe(true);
        expect(JSON.parse(policy.inputs.policy)).toEqual(secretResourcePolicy(ACCOUNT));
        expect(policy.dependencies).toContain(secret.urn);
        // AND the value is generated and a Pulumi secret where it lands
        expect(g.one("random:index/randomPassword:RandomPassword", "api-key-value").inputs).toMatchObject({ length: 32, special: true, minNumeric: 1 });
        const version = g.one("aws:secretsmanager/secretVersion:SecretVersion", "api-key-version");
        expect(version.inputs.secretString).toBe("[secret]");
        expect(version.outputs.secretString).toBe("[secret]");
        // AND rotation targets the secret with the function and schedule given
        const rotation = g.one("aws:secretsmanager/secretRotation:SecretRotation", "api-key-rotation");
        expect(rotation.inputs).toMatchObject({ rotationLambdaArn: LAMBDA, rotationRules: { automaticallyAfterDays: 14 } });
        expect(rotation.dependencies).toContain(secret.urn);
        // AND grantRead names this secret's ARN and decrypt on its key only, through Secrets Manager in the region
        expect(grantDocument(g, "api-key-read")).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Sid: "ApiKeyReadSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"], Resource: [secret.outputs.arn] },
                {
                    Sid: "ApiKeyDecryptSecret",
                    Effect: "Allow",
                    Action: ["kms:Decrypt"],
                    Resource: [KEY_ARN],
                    Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
                },
            ],
        });
        // AND the pack finds nothing mandatory in prod, nor any violation at all
        expect(await evaluateGraph(g, { tier: "prod" })).toEqual([]);
    });

    it("grantGetValue grants the value read alone: GetSecretValue on this secret and decrypt through Secrets Manager", async () => {
        const identity = new RecordingIdentity();
        const g = await runPulumi(() => new Secret("webhook-key", { kmsKeyArn: KEY_ARN, noRotationReason: "No rotation function for this key" }).grantGetValue(identity));
        const secret = g.one(SECRET, "webhook-key-secret");
        expect((grantDocument(g, "webhook-key-get-value") as { Statement: unknown[] }).Statement).toEqual([
            { Sid: "WebhookKeyGetSecretValue", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secret.outputs.arn] },
            { Sid: "WebhookKeyDecryptSecret", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [KEY_ARN], Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } } },
        ]);
    });

    it("without a rotation function carries the exemption tag with the reason, which the pack honours", async () => {
        const reason = "Third-party API key - the vendor offers no rotation API";
        const g = await runPulumi(() => new Secret("vendor", { kmsKeyArn: KEY_ARN, noRotationReason: reason }));
        expect(g.byType("aws:secretsmanager/secretRotation:SecretRotation")).toEqual([]);
        expect(g.one(SECRET).inputs.tags[`exempt.groundwork.dev/${SECRET_ROTATION_POLICY}`]).toBe(reason);
        expect(mandatory(await evaluateGraph(g, { tier: "prod" }))).toEqual([]);
    });

    it("never passes the generated value in the clear to another resource", async () => {
        // GIVEN the fake random provider's value (tools/plan/mocks.ts fakeRandomValue) WHEN a Secret is declared
        const g = await runPulumi(() => new Secret("vendor", { kmsKeyArn: KEY_ARN, noRotationReason: "No rotation function for this vendor key" }));
        // THEN no resource's inputs hold it: the SecretVersion receives a Pulumi secret
        expect(JSON.stringify(g.resources.map((r) => r.inputs))).not.toContain(generatedValue(g));
        expect(g.one("aws:secretsmanager/secretVersion:SecretVersion").inputs.secretString).toBe("[secret]");
    });

    it.each<[string, Record<string, unknown>, string]>([
        ["rotationLambdaArn", {}, "invalid 'rotationLambdaArn': no rotation function and no opt-out"],
        ["noRotationReason", { rotationLambdaArn: LAMBDA, noRotationReason: "both given here" }, "invalid 'noRotationReason': both a rotation function and an opt-out are given"],
        ["noRotationReason", { noRotationReason: "short" }, "invalid 'noRotationReason': the reason must be 10 to 256 characters"],
        ["noRotationReason", { noRotationReason: "not allowed (parentheses) in tags" }, "invalid 'noRotationReason'"],
        ["length", { rotationLambdaArn: LAMBDA, length: 8 }, "invalid 'length': 8 is outside 16..128"],
        ["rotationDays", { rotationLambdaArn: LAMBDA, rotationDays: 0 }, "invalid 'rotationDays': 0 is outside 1..1000"],
        ["recoveryWindowInDays", { rotationLambdaArn: LAMBDA, recoveryWindowInDays: 0 }, "invalid 'recoveryWindowInDays': 0 is outside 7..30"],
    ])("rejects a bad %s", async (_field, args, message) => {
        await expect(runPulumi(() => new Secret("s", { kmsKeyArn: KEY_ARN, ...args }))).rejects.toThrow(`Secret 's': ${message}`);
    });
});
