import { secretConfigureKmsKey } from "../../policies/security/rules/secretsmanager/secret/configureKmsKey";
import { SECRETS_TYPES, secretEnableRotation } from "../../policies/security/rules/secretsmanager/secret/enableRotation";
import type { GraphResource, StackFinding } from "@groundwork/policy-kit";
import { SECRET_ROTATION_POLICY } from "../../components/secrets/secret";
import { checkStack, graphResource } from "../support/policy";
import { ruleTable } from "../support/ruleTable";

const KEY = "arn:aws:kms:eu-west-1:111122223333:key/1111";
const SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:app-abc123";

describe("aws-secretsmanager-secret-enable-rotation", () => {
    const secret = graphResource(SECRETS_TYPES.secret, "app-secret", { kmsKeyId: KEY });
    const rotation = graphResource(SECRETS_TYPES.rotation, "app-rotation", { secretId: SECRET_ARN, rotationLambdaArn: "arn:aws:lambda:eu-west-1:111122223333:function:rotate", rotationRules: { automaticallyAfterDays: 30 } }, { dependencyUrns: [secret.urn] });
    const none = { urn: secret.urn, message: "secret 'app-secret' has no SecretRotation: its value never changes" };
    it.each<[string, GraphResource[], StackFinding[]]>([
        ["passes: a rotation depends on the secret", [secret, rotation], []],
        ["passes: a rotation names the secret's ARN (outputs known)", [{ ...secret, props: { ...secret.props, arn: SECRET_ARN } }, { ...rotation, dependencyUrns: [] }], []],
        ["no rotation", [secret], [none]],
        ["a rotation of another secret", [secret, { ...rotation, dependencyUrns: ["urn:other"] }], [none]],
        [
            "rotation turned off",
            [secret, { ...rotation, props: { secretId: SECRET_ARN, rotationEnabled: false } }],
            [{ urn: secret.urn, message: "secret 'app-secret' has its SecretRotation turned off (rotationEnabled false): its value never changes" }],
        ],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(secretEnableRotation, resources)).toEqual(expected);
    });
    it("is the policy the Secret component's noRotationReason exempts from", () => {
        expect(secretEnableRotation.name).toBe(SECRET_ROTATION_POLICY);
        expect(secretEnableRotation.level).toBe("mandatory-prod");
    });
});

describe("aws-secretsmanager-secret-configure-kms-key", () => {
    ruleTable(secretConfigureKmsKey, { kmsKeyId: KEY, recoveryWindowInDays: 30 }, [
        ["not set", (p) => delete p.kmsKeyId, ["kmsKeyId is not set: the secret is encrypted with the AWS-managed key aws/secretsmanager"]],
        ["AWS-managed alias", (p) => (p.kmsKeyId = "alias/aws/secretsmanager"), ["kmsKeyId is the AWS-managed key aws/secretsmanager, not a customer-managed key"]],
        ["AWS-managed alias ARN", (p) => (p.kmsKeyId = "arn:aws:kms:eu-west-1:111122223333:alias/aws/secretsmanager"), ["kmsKeyId is the AWS-managed key aws/secretsmanager, not a customer-managed key"]],
        ["passes: customer alias", (p) => (p.kmsKeyId = "alias/groundwork-prod-data"), []],
    ]);
});
