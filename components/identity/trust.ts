/**
 * Trust policies of workload roles: pure functions, so the exact documents are unit-tested and the policy
 * pack's IRSA rule can be checked against what the component really emits.
 */

/** The audience EKS-issued service-account tokens carry for STS (IRSA). */
export const IRSA_AUDIENCE = "sts.amazonaws.com";

/** Service principal EKS Pod Identity assumes roles with. */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/** A trust policy document (the `assumeRolePolicy` of a role). */
export interface TrustPolicyDocument {
    /** Always `2012-10-17`. */
    Version: "2012-10-17";
    /** The trust statements. */
    Statement: TrustStatement[];
}

/** One trust statement. */
export interface TrustStatement {
    /** Statement id. */
    Sid: string;
    /** Always Allow. */
    Effect: "Allow";
    /** Who may assume the role: exactly one federated provider or one service. */
    Principal: { Federated: string } | { Service: string };
    /** The STS actions allowed. */
    Action: string | string[];
    /** Conditions pinning the caller. */
    Condition: Record<string, Record<string, string>>;
}

/** What {@link irsaTrustPolicy} needs, all resolved. */
export interface IrsaTrustInput {
    /** ARN of the cluster's IAM OIDC provider. */
    oidcProviderArn: string;
    /** OIDC issuer host and path, without `https://`, e.g. `oidc.eks.eu-west-1.amazonaws.com/id/ABC`. */
    oidcIssuer: string;
    /** Kubernetes namespace of the service account. */
    namespace: string;
    /** Name of the service account. */
    serviceAccount: string;
}

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** Removes a leading `https://` from an OIDC issuer URL. Pure. */
export function stripIssuerScheme(issuer: string): string {
    return issuer.replace(/^https:\/\//, "");
}

/**
 * The IRSA trust policy of a role for one Kubernetes service account: the OIDC provider is the only
 * (federated) principal, the action is `sts:AssumeRoleWithWebIdentity`, and `StringEquals` pins
 * `<issuer>:sub` to `system:serviceaccount:<ns>:<sa>` and `<issuer>:aud` to `sts.amazonaws.com`.
 * Throws when a name is empty or not a Kubernetes DNS label (a `*` would widen the trust). Pure.
 */
export function irsaTrustPolicy(input: IrsaTrustInput): TrustPolicyDocument {
    for (const [field, value] of [
        ["namespace", input.namespace],
        ["serviceAccount", input.serviceAccount],
    ] as const) {
        if (!K8S_NAME.test(value) || value.length > 63) {
            throw new Error(
                `IRSA trust: ${field} '${value}' is not a Kubernetes name (lower-case letters, digits and '-'; no wildcards). Fix: name one exact ${field}.`,
            );
        }
    }
    const issuer = stripIssuerScheme(input.oidcIssuer);
    if (issuer.length === 0 || issuer.includes("*")) {
        throw new Error(`IRSA trust: oidcIssuer '${input.oidcIssuer}' is empty or has a wildcard. Fix: pass the cluster's issuer.`);
    }
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "ServiceAccountWebIdentity",
                Effect: "Allow",
                Principal: { Federated: input.oidcProviderArn },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                    StringEquals: {
                        [`${issuer}:sub`]: `system:serviceaccount:${input.namespace}:${input.serviceAccount}`,
                        [`${issuer}:aud`]: IRSA_AUDIENCE,
                    },
                },
            },
        ],
    };
}

/**
 * The EKS Pod Identity trust policy: only `pods.eks.amazonaws.com` may assume the role (with
 * `sts:AssumeRole` and `sts:TagSession`), and only on behalf of clusters of this account
 * (`aws:SourceAccount`). Which service account gets the role is fixed by the PodIdentityAssociation. Pure.
 */
export function podIdentityTrustPolicy(accountId: string): TrustPolicyDocument {
    if (!/^\d{12}$/.test(accountId)) {
        throw new Error(`Pod Identity trust: account id '${accountId}' is not 12 digits. Fix: pass the AWS account id.`);
    }
    return {
        Version: "2012-10-17",
        Statement: [
            {
                Sid: "EksPodIdentity",
                Effect: "Allow",
                Principal: { Service: POD_IDENTITY_PRINCIPAL },
                Action: ["sts:AssumeRole", "sts:TagSession"],
                Condition: { StringEquals: { "aws:SourceAccount": accountId } },
            },
        ],
    };
}
