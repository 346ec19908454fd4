import { literalCredentialProblem, podDisallowLiteralCredentialEnv } from "../../policies/kubernetes/rules/pod/disallowLiteralCredentialEnv";
import { secretDisallowLiteralData } from "../../policies/kubernetes/rules/secret/disallowLiteralData";
import { goodContainer, goodDeployment } from "../support/k8sFixtures";
import { checkResource } from "../support/policy";
import { Props, ruleTable } from "../support/ruleTable";

const pod = (p: Props) => p.spec.template.spec;
const env = (p: Props, ...vars: Record<string, unknown>[]) => {
    pod(p).containers[0].env = [...(pod(p).containers[0].env ?? []), ...vars];
};

describe("k8s-pod-disallow-literal-credential-env", () => {
    const good = goodDeployment();
    env(good, { name: "DATABASE_HOST", value: "db.internal" }, { name: "DATABASE_SECRET_ARN", value: "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf" });
    ruleTable(podDisallowLiteralCredentialEnv, good, [
        ["a password literal", (p) => env(p, { name: "DB_PASSWORD", value: "hunter2" }), ["container 'app': env DB_PASSWORD holds a literal value under a credential's name"]],
        ["a token literal", (p) => env(p, { name: "GITHUB_TOKEN", value: "ghp_abc" }), ["container 'app': env GITHUB_TOKEN holds a literal value under a credential's name"]],
        ["an API key literal", (p) => env(p, { name: "STRIPE_API_KEY", value: "sk_live_x" }), ["container 'app': env STRIPE_API_KEY holds a literal value under a credential's name"]],
        ["a client secret literal", (p) => env(p, { name: "oauth-client-secret", value: "s" }), ["container 'app': env oauth-client-secret holds a literal value under a credential's name"]],
        ["a URL with a password under any name", (p) => env(p, { name: "DATABASE_URL", value: "postgres://app:hunter2@db:5432/app" }), ["container 'app': env DATABASE_URL is a URL with a password in it"]],
        ["in an init container too", (p) => (pod(p).initContainers = [{ ...goodContainer("migrate"), env: [{ name: "PGPASSWORD", value: "x" }] }]), ["initContainer 'migrate': env PGPASSWORD holds a literal value under a credential's name"]],
        ["from a Secret reference (valueFrom)", (p) => env(p, { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } }), []],
        ["a secret's ARN, a mounted file, a key id", (p) => env(p, { name: "API_KEY_FILE", value: "/mnt/secrets/api-key" }, { name: "KMS_KEY_ID", value: "mrk-123" }, { name: "TOKEN_TTL_SECONDS", value: "900" }), []],
        ["booleans and numbers under such names", (p) => env(p, { name: "REDIS_IAM_TOKEN", value: "true" }, { name: "SECRET_ROTATION", value: "30" }), []],
        ["a URL without a password", (p) => env(p, { name: "REDIS_URL", value: "rediss://cache:6379" }, { name: "QUEUE_URL", value: "https://sqs.us-east-1.amazonaws.com/1/q" }), []],
        ["an empty value", (p) => env(p, { name: "DB_PASSWORD", value: "" }), []],
        ["names that only contain the word inside another (monkey, keyspace)", (p) => env(p, { name: "MONKEY", value: "x" }, { name: "KEYSPACE", value: "x" }), []],
    ]);

    it("judges the patch of a pod-bearing object by what it sets", () => {
        const patch = { spec: { template: { spec: { containers: [{ name: "app", env: [{ name: "ADMIN_PASSWORD", value: "pw" }] }] } } } };
        expect(checkResource(podDisallowLiteralCredentialEnv, patch, { type: "kubernetes:apps/v1:DeploymentPatch" })).toEqual(["container 'app': env ADMIN_PASSWORD holds a literal value under a credential's name"]);
    });

    it.each<[string, unknown, boolean]>([
        ["PASSWORD", "x", true],
        ["PASSWD", "x", true],
        ["SECRET_ARN", "x", false],
        ["ACCESS_KEY", "AKIA", true],
        ["AWS_ACCESS_KEY_ID", "AKIA", false],
        ["PRIVATE_KEY", "-----BEGIN", true],
        ["TOKEN_PATH", "/var/run/token", false],
        ["ANY", "amqp://u:p@host", true],
        ["PASSWORD", 42, false],
    ])("literalCredentialProblem(%s, %s) flags: %s", (name, value, flagged) => {
        expect(literalCredentialProblem(name, value) !== undefined).toBe(flagged);
    });
});

describe("k8s-secret-disallow-literal-data", () => {
    // A Secret a controller fills (a service-account token): declared without data.
    const good = { apiVersion: "v1", kind: "Secret", metadata: { name: "sa-token", annotations: { "kubernetes.io/service-account.name": "api" } }, type: "kubernetes.io/service-account-token" };
    ruleTable(secretDisallowLiteralData, good, [
        ["stringData from the program", (p) => (p.stringData = { password: "hunter2" }), ["the Secret's stringData holds 1 literal value(s) (password)"]],
        ["data from the program", (p) => (p.data = { "tls.key": "LS0t", "tls.crt": "LS0t" }), ["the Secret's data holds 2 literal value(s) (tls.crt, tls.key)"]],
        ["both", (p) => ((p.data = { a: "YQ==" }), (p.stringData = { b: "b" })), ["the Secret's data holds 1 literal value(s) (a)", "the Secret's stringData holds 1 literal value(s) (b)"]],
        ["empty data", (p) => (p.data = {}), []],
    ]);

    it("judges a SecretPatch that writes data", () => {
        expect(checkResource(secretDisallowLiteralData, { metadata: { name: "x" }, stringData: { token: "t" } }, { type: "kubernetes:core/v1:SecretPatch" })).toEqual(["the Secret's stringData holds 1 literal value(s) (token)"]);
    });
});

describe("k8s-pod-disallow-literal-credential-env during preview", () => {
    it("does not judge a value unknown during preview (another resource's output), and still judges the known literals", () => {
        const unknown = () => {
            throw Object.assign(new Error("string value at .spec... can't be known during preview"), { name: "UnknownValueError" });
        };
        const p = goodDeployment();
        const c = p.spec.template.spec.containers[0];
        c.env = [{ name: "DB_PASSWORD", value: "literal" }];
        Object.defineProperty(c.env, 1, { get: () => ({ name: "API_TOKEN", get value() { return unknown(); } }), enumerable: true });
        c.env.length = 2;
        expect(checkResource(podDisallowLiteralCredentialEnv, p)).toEqual(["container 'app': env DB_PASSWORD holds a literal value under a credential's name"]);
    });
});
