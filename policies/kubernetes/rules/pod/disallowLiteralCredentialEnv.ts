import type { ResourceRule } from "@groundwork/policy-kit";
import { perContainer, POD_PATCH_TYPES, POD_TYPES, readKnown } from "../shared";

/** Env names that hold a credential by convention: password, secret, token, key (api key, access key, private key...). */
const CREDENTIAL_NAME = /(pass(word|wd)?|secret|token|(^|[_-])key($|[_-])|apikey|credential|private[_-]?key)/i;

/**
 * Names of the same words that, by convention, carry a reference or a setting, not the credential itself: the ARN or
 * name of a secret in a secrets manager, a file the credential is mounted at, a key id, a TTL or a length.
 */
const REFERENCE_NAME = /(_|-)(ARN|NAME|ID|FILE|PATH|DIR|URL_FILE|TTL(_S|_SECONDS|_MS)?|SECONDS|MS|LENGTH|LEN|HEADER|ENABLED|AUTH|MODE|REGION|FIELD)$/i;

/** A URL with a password in its user info (`scheme://user:password@host`): a credential whatever the variable's name. */
const URL_WITH_PASSWORD = /^[a-z][a-z0-9+.-]*:\/\/[^/@\s:]*:[^/@\s]+@/i;

/**
 * Why a literal env value is, or is not, a credential. Literal references (an ARN, an absolute file path), booleans
 * and numbers are settings even under a credential-like name; anything else under such a name, and any URL with a
 * password, is a credential written into the pod spec, where `kubectl get`, the API server's etcd and every plan and
 * state file show it. Pure.
 */
export function literalCredentialProblem(name: string, value: unknown): string | undefined {
    if (typeof value !== "string" || value === "") return undefined;
    if (URL_WITH_PASSWORD.test(value)) return `env ${name} is a URL with a password in it`;
    if (!CREDENTIAL_NAME.test(name) || REFERENCE_NAME.test(name)) return undefined;
    if (/^arn:aws[a-z-]*:/.test(value) || value.startsWith("/") || /^(true|false|yes|no|on|off)$/i.test(value) || /^-?\d+(\.\d+)?$/.test(value)) return undefined;
    return `env ${name} holds a literal value under a credential's name`;
}

/**
 * No container carries a credential as a literal environment value: a variable named like a password, secret, token
 * or key with a literal value (not `valueFrom`), or any URL with a password in it. Credentials come from a secrets
 * manager (the Secrets Store CSI driver, or an IAM token the workload computes), never from the program's text.
 * References by name (`*_ARN`, `*_FILE`, `*_NAME`, ...), file paths, booleans and numbers are not flagged.
 * Also judges the patches of pod-bearing objects (a value a patch sets is deployed). A value unknown during preview
 * (another resource's output) is not a literal and is not judged.
 *
 * Severity: high. Level: mandatory.
 * Controls: CKV_K8S_35 (secrets as files rather than env), Groundwork ZT.2.
 */
export const podDisallowLiteralCredentialEnv: ResourceRule = {
    kind: "resource",
    name: "k8s-pod-disallow-literal-credential-env",
    description: "No container env value is a literal credential (password, secret, token or key names; URLs with passwords).",
    controls: ["CKV_K8S_35", "Groundwork ZT.2"],
    severity: "high",
    level: "mandatory",
    remediation:
        "Mount the credential from AWS Secrets Manager with the Secrets Store CSI driver (a SecretProviderClass and a csi volume), or let the workload fetch it with its own IAM role; pass only the secret's ARN or the mounted file's path in env.",
    resourceTypes: [...POD_TYPES, ...POD_PATCH_TYPES],
    check: (props, ctx) =>
        perContainer(ctx.type, props, ({ c, label }) =>
            (Array.isArray(c.env) ? c.env : [])
                // A value unknown during preview is another resource's output, not a literal the program wrote.
                .map((e: Record<string, any>) => (e && readKnown(() => e.valueFrom) === undefined ? literalCredentialProblem(String(readKnown(() => e.name) ?? ""), readKnown(() => e.value)) : undefined))
                .filter((m: string | undefined): m is string => m !== undefined)
                .map((m: string) => `${label}: ${m}`),
        ),
};
