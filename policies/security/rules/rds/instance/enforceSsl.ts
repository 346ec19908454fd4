import { asArray, type GraphResource, type StackFinding, type StackRule } from "@groundwork/policy-kit";

/** Pulumi type tokens this rule reads. */
export const RDS_TYPES = { instance: "aws:rds/instance:Instance", parameterGroup: "aws:rds/parameterGroup:ParameterGroup" } as const;

/** True when a parameter group's `parameters` set `rds.force_ssl` to 1. */
export function forcesSsl(parameters: unknown): boolean {
    return asArray<any>(parameters as any).some((p) => p && p.name === "rds.force_ssl" && String(p.value).trim() === "1");
}

/**
 * The parameter group an instance uses: the stack's `aws:rds/parameterGroup:ParameterGroup` whose `name` equals the
 * instance's `parameterGroupName`, or else (autonamed groups have no `name` input) the one parameter group the instance
 * depends on.
 */
export function parameterGroupOf(instance: GraphResource, resources: GraphResource[]): GraphResource | undefined {
    const groups = resources.filter((r) => r.type === RDS_TYPES.parameterGroup);
    const wanted = instance.props.parameterGroupName;
    const byName = groups.find((g) => typeof wanted === "string" && wanted !== "" && g.props.name === wanted);
    if (byName) return byName;
    const deps = groups.filter((g) => instance.dependencyUrns.includes(g.urn));
    return deps.length === 1 ? deps[0] : undefined;
}

/**
 * RDS PostgreSQL instances force TLS: the instance names a parameter group of this stack (`parameterGroupName`) whose
 * parameters set `rds.force_ssl` to `1`. A default or external group cannot be verified and is reported. Instances of
 * other engines are not checked.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP RDS.38, CKV2_AWS_69.
 */
export const rdsInstanceEnforceSsl: StackRule = {
    kind: "stack",
    name: "aws-rds-instance-enforce-ssl",
    description: "RDS PostgreSQL instances use a parameter group that sets rds.force_ssl to 1.",
    controls: ["FSBP RDS.38", "CKV2_AWS_69"],
    severity: "high",
    level: "mandatory",
    remediation: 'Give the instance its own parameter group (family postgres<major>) with `{ name: "rds.force_ssl", value: "1" }` and set `parameterGroupName` to it.',
    check(resources) {
        const findings: StackFinding[] = [];
        for (const instance of resources.filter((r) => r.type === RDS_TYPES.instance)) {
            const engine = instance.props.engine;
            if (typeof engine === "string" && !engine.startsWith("postgres")) continue;
            const wanted = instance.props.parameterGroupName;
            const group = parameterGroupOf(instance, resources);
            if (!group) {
                findings.push({
                    urn: instance.urn,
                    message:
                        wanted === undefined || wanted === null || wanted === ""
                            ? `instance '${instance.name}' has no parameterGroupName: the default parameter group cannot be shown to force TLS`
                            : `instance '${instance.name}' uses parameter group '${wanted}', which is not declared in this stack: rds.force_ssl cannot be verified`,
                });
            } else if (!forcesSsl(group.props.parameters)) {
                findings.push({ urn: instance.urn, message: `instance '${instance.name}' uses parameter group '${group.name}', which does not set rds.force_ssl to 1` });
            }
        }
        return findings;
    },
};
