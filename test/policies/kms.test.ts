import { kmsKeyDisallowWildcardPrincipal, restrictsPrincipal } from "../../policies/security/rules/kms/key/disallowWildcardPrincipal";
import { kmsKeyEnableRotation } from "../../policies/security/rules/kms/key/enableRotation";
import { checkResource } from "../support/policy";
import { ruleTable, type Props } from "../support/ruleTable";

const ACCOUNT = "111122223333";
const notRestricted = (label: string) => `${label} allows Principal "*" without a condition restricting the caller`;

describe("aws-kms-key-enable-rotation", () => {
    const notSet = "enableKeyRotation is not set: the key is never rotated";
    ruleTable(kmsKeyEnableRotation, { description: "data key", enableKeyRotation: true, deletionWindowInDays: 30 }, [
        ["enableKeyRotation not set", (p) => delete p.enableKeyRotation, [notSet]],
        ["enableKeyRotation false", (p) => (p.enableKeyRotation = false), ["enableKeyRotation is false: the key is never rotated"]],
        ["explicitly symmetric, rotation not set", (p) => (Object.assign(p, { customerMasterKeySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT" }), delete p.enableKeyRotation), [notSet]],
        ["passes: enableKeyRotation \"true\"", (p) => (p.enableKeyRotation = "true"), []],
        ["passes: asymmetric signing key (AWS cannot rotate it)", (p) => (Object.assign(p, { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" }), delete p.enableKeyRotation), []],
        ["passes: HMAC key", (p) => (Object.assign(p, { customerMasterKeySpec: "HMAC_256", keyUsage: "GENERATE_VERIFY_MAC" }), delete p.enableKeyRotation), []],
        ["passes: key in a custom key store", (p) => ((p.customKeyStoreId = "cks-0abc"), delete p.enableKeyRotation), []],
    ]);
});

describe("aws-kms-key-disallow-wildcard-principal", () => {
    /** A typical key policy: the account root, use through Secrets Manager by callers of this account, a TLS deny. */
    const goodKey: Props = {
        description: "flow logs",
        enableKeyRotation: true,
        policy: {
            Version: "2012-10-17",
            Statement: [
                { Sid: "RootAccount", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
                {
                    Sid: "ViaSecretsManager",
                    Effect: "Allow",
                    Principal: { AWS: "*" },
                    Action: ["kms:Decrypt", "kms:DescribeKey"],
                    Resource: "*",
                    Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" } },
                },
                { Sid: "DenyInsecureTransport", Effect: "Deny", Principal: "*", Action: "kms:*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
            ],
        },
    };
    const withCondition = (condition: unknown) => (p: Props) => (p.policy.Statement[1].Condition = condition);

    ruleTable(kmsKeyDisallowWildcardPrincipal, goodKey, [
        ["condition removed from a wildcard statement", (p) => delete p.policy.Statement[1].Condition, [notRestricted("Statement[1] (ViaSecretsManager)")]],
        ["Principal \"*\" for the root statement", (p) => (p.policy.Statement[0].Principal = "*"), [notRestricted("Statement[0] (RootAccount)")]],
        ["\"*\" among several AWS principals", (p) => (p.policy.Statement[0].Principal = { AWS: [`arn:aws:iam::${ACCOUNT}:root`, "*"] }), [notRestricted("Statement[0] (RootAccount)")]],
        ["negated operator (StringNotEquals)", withCondition({ StringNotEquals: { "kms:CallerAccount": "999999999999" } }), [notRestricted("Statement[1] (ViaSecretsManager)")]],
        ["...IfExists operator (true when the key is absent)", withCondition({ StringEqualsIfExists: { "aws:PrincipalAccount": ACCOUNT } }), [notRestricted("Statement[1] (ViaSecretsManager)")]],
        ["ForAllValues: operator (true when the key is absent)", withCondition({ "ForAllValues:StringEquals": { "aws:PrincipalOrgID": "o-abc123" } }), [notRestricted("Statement[1] (ViaSecretsManager)")]],
        ["wildcard condition value", withCondition({ StringLike: { "aws:PrincipalOrgID": "*" } }), [notRestricted("Statement[1] (ViaSecretsManager)")]],
        ["a condition that does not restrict the caller", withCondition({ Bool: { "aws:SecureTransport": "true" } }), [notRestricted("Statement[1] (ViaSecretsManager)")]],
        [
            "NotPrincipal on an Allow statement",
            (p) => (delete p.policy.Statement[0].Principal, (p.policy.Statement[0].NotPrincipal = { AWS: `arn:aws:iam::${ACCOUNT}:role/admin` })),
            ["Statement[0] (RootAccount) allows with NotPrincipal (every other principal) without a condition restricting the caller"],
        ],
        ["a single statement object without Sid", (p) => (p.policy = { Statement: { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" } }), [notRestricted("Statement[0]")]],
        ["policy that is not JSON", (p) => (p.policy = "{not json"), ["policy is not valid JSON, so its principals cannot be checked"]],
        ["passes: policy given as a JSON string", (p) => (p.policy = JSON.stringify(p.policy)), []],
        ["passes: policy not set (AWS's default key policy: the account root)", (p) => delete p.policy, []],
        ["passes: aws:PrincipalOrgID", withCondition({ StringEquals: { "aws:PrincipalOrgID": "o-abc123" } }), []],
        ["passes: ForAnyValue:StringLike on org paths", withCondition({ "ForAnyValue:StringLike": { "aws:PrincipalOrgPaths": ["o-abc123/r-ab12/ou-ab12-11111111/*"] } }), []],
        ["passes: condition keys are case-insensitive", withCondition({ ArnLike: { "AWS:SourceArn": `arn:aws:logs:eu-west-1:${ACCOUNT}:*` } }), []],
        ["passes: Deny with Principal \"*\" and no condition", (p) => delete p.policy.Statement[2].Condition, []],
    ]);

    it("checks aws.kms.KeyPolicy resources too", () => {
        // GIVEN a KeyPolicy resource granting everyone decrypt, as the provider receives it (a JSON string)
        const props = { keyId: "key-0abc", policy: JSON.stringify({ Statement: [{ Sid: "Everyone", Effect: "Allow", Principal: "*", Action: "kms:Decrypt", Resource: "*" }] }) };
        // WHEN the rule runs on it THEN the statement is reported
        expect(checkResource(kmsKeyDisallowWildcardPrincipal, props, { type: "aws:kms/keyPolicy:KeyPolicy" })).toEqual([notRestricted("Statement[0] (Everyone)")]);
    });

    it.each<[string, unknown, boolean]>([
        ["kms:CallerAccount", { StringEquals: { "kms:CallerAccount": ACCOUNT } }, true],
        ["aws:SourceAccount list", { StringEquals: { "aws:SourceAccount": [ACCOUNT, "444455556666"] } }, true],
        ["one wildcard among the values", { StringLike: { "aws:PrincipalArn": [`arn:aws:iam::${ACCOUNT}:role/app`, "*"] } }, false],
        ["empty values", { StringEquals: { "aws:PrincipalAccount": [] } }, false],
        ["no condition", undefined, false],
    ])("restrictsPrincipal: %s", (_label, condition, expected) => {
        expect(restrictsPrincipal(condition)).toBe(expected);
    });
});

describe("aws-kms-key-disallow-wildcard-principal: replica keys and keys of imported material", () => {
    const policy = (principal: unknown) =>
        JSON.stringify({
            Version: "2012-10-17",
            Statement: [
                { Sid: "Root", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
                { Sid: "Use", Effect: "Allow", Principal: principal, Action: ["kms:Decrypt"], Resource: "*" },
            ],
        });
    for (const type of ["aws:kms/replicaKey:ReplicaKey", "aws:kms/externalKey:ExternalKey", "aws:kms/replicaExternalKey:ReplicaExternalKey"]) {
        ruleTable(
            kmsKeyDisallowWildcardPrincipal,
            { description: "replica", policy: policy({ AWS: `arn:aws:iam::${ACCOUNT}:role/app` }) },
            [['Principal { AWS: "*" } without a condition', (p) => (p.policy = policy({ AWS: "*" })), [notRestricted("Statement[1] (Use)")]]],
            { type },
        );
    }
});
