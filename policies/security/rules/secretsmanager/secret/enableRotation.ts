import type { GraphResource, StackFinding, StackRule } from "@groundwork/policy-kit";

/** Pulumi type tokens this rule reads. */
export const SECRETS_TYPES = { secret: "aws:secretsmanager/secret:Secret", rotation: "aws:secretsmanager/secretRotation:SecretRotation" } as const;

/**
 * True when a SecretRotation targets `secret`: its `secretId` equals the secret's `arn`, `id` or `name`, or, when
 * `secretId` is not comparable, it depends on the secret.
 */
export function rotationTargets(rotation: GraphResource, secret: GraphResource): boolean {
    const id = rotation.props.secretId;
    if (typeof id === "string" && id !== "" && [secret.props.arn, secret.props.id, secret.props.name].includes(id)) return true;
    return rotation.dependencyUrns.includes(secret.urn);
}

/**
 * Secrets Manager secrets rotate: an `aws.secretsmanager.SecretRotation` of the stack targets the secret and is not
 * `rotationEnabled: false`. Where no rotation mechanism exists, the secret carries the exemption tag
 * `exempt.groundwork.dev/aws-secretsmanager-secret-enable-rotation` with the reason (the Secret component's
 * `noRotationReason`). Mandatory in prod.
 *
 * Severity: medium. Level: mandatory-prod.
 * Controls: FSBP SecretsManager.1, CKV2_AWS_57, AwsSolutions-SMG4.
 */
export const secretEnableRotation: StackRule = {
    kind: "stack",
    name: "aws-secretsmanager-secret-enable-rotation",
    description: "Secrets Manager secrets have automatic rotation configured (where a rotation mechanism exists).",
    controls: ["FSBP SecretsManager.1", "CKV2_AWS_57", "AwsSolutions-SMG4"],
    severity: "medium",
    level: "mandatory-prod",
    remediation:
        "Add an `aws.secretsmanager.SecretRotation` with a rotation Lambda (Secret `rotationLambdaArn`), or, where none exists, tag the secret `exempt.groundwork.dev/aws-secretsmanager-secret-enable-rotation` with the reason (Secret `noRotationReason`).",
    check(resources) {
        const rotations = resources.filter((r) => r.type === SECRETS_TYPES.rotation);
        const findings: StackFinding[] = [];
        for (const secret of resources.filter((r) => r.type === SECRETS_TYPES.secret)) {
            const mine = rotations.filter((r) => rotationTargets(r, secret));
            if (mine.some((r) => r.props.rotationEnabled !== false && r.props.rotationEnabled !== "false")) continue;
            findings.push({
                urn: secret.urn,
                message:
                    mine.length > 0
                        ? `secret '${secret.name}' has its SecretRotation turned off (rotationEnabled false): its value never changes`
                        : `secret '${secret.name}' has no SecretRotation: its value never changes`,
            });
        }
        return findings;
    },
};
