import { asArray, type GraphResource, type StackFinding, type StackRule } from "@groundwork/policy-kit";

/** Pulumi type tokens this rule reads. */
export const RDS_TYPES = {
    instance: "aws:rds/instance:Instance",
    parameterGroup: "aws:rds/parameterGroup:ParameterGroup",
    cluster: "aws:rds/cluster:Cluster",
    clusterParameterGroup: "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    proxy: "aws:rds/proxy:Proxy",
} as const;

/** True when a parameter group's `parameters` set `rds.force_ssl` to 1. */
export function forcesSsl(parameters: unknown): boolean {
    return asArray<any>(parameters as any).some((p) => p && p.name === "rds.force_ssl" && String(p.value).trim() === "1");
}

/** Where each database form names its parameter group: instances a DB parameter group, clusters a cluster one. */
const GROUP_OF: Record<string, { type: string; field: string }> = {
    [RDS_TYPES.instance]: { type: RDS_TYPES.parameterGroup, field: "parameterGroupName" },
    [RDS_TYPES.cluster]: { type: RDS_TYPES.clusterParameterGroup, field: "dbClusterParameterGroupName" },
};

/**
 * The parameter group a database uses: for an instance, the stack's `aws:rds/parameterGroup:ParameterGroup` whose
 * `name` equals its `parameterGroupName`; for a cluster, the `aws:rds/clusterParameterGroup:ClusterParameterGroup`
 * named by `dbClusterParameterGroupName`; or else (autonamed groups have no `name` input) the one group of that type
 * the database depends on.
 */
export function parameterGroupOf(instance: GraphResource, resources: GraphResource[]): GraphResource | undefined {
    const { type, field } = GROUP_OF[instance.type] ?? GROUP_OF[RDS_TYPES.instance];
    const groups = resources.filter((r) => r.type === type);
    const wanted = instance.props[field];
    const byName = groups.find((g) => typeof wanted === "string" && wanted !== "" && g.props.name === wanted);
    if (byName) return byName;
    const deps = groups.filter((g) => instance.dependencyUrns.includes(g.urn));
    return deps.length === 1 ? deps[0] : undefined;
}

/**
 * Connections to RDS PostgreSQL are TLS only, on every path a program can open to the database:
 * - an instance (`aws.rds.Instance`) names a parameter group of this stack (`parameterGroupName`) whose parameters set
 *   `rds.force_ssl` to `1`;
 * - an Aurora PostgreSQL or Multi-AZ DB cluster (`aws.rds.Cluster`, where the cluster parameter group governs every
 *   member) names a cluster parameter group of this stack (`dbClusterParameterGroupName`) that sets it;
 * - an RDS Proxy (`aws.rds.Proxy`, any engine) has `requireTls: true`, or clients reach the database through it in
 *   plaintext whatever the database enforces.
 * A default or external group cannot be verified and is reported. Instances and clusters of other engines are not
 * checked.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP RDS.38, CKV2_AWS_69.
 */
export const rdsInstanceEnforceSsl: StackRule = {
    kind: "stack",
    name: "aws-rds-instance-enforce-ssl",
    description: "RDS PostgreSQL instances and clusters use a parameter group that sets rds.force_ssl to 1, and RDS proxies require TLS.",
    controls: ["FSBP RDS.38", "CKV2_AWS_69"],
    severity: "high",
    level: "mandatory",
    remediation:
        'Give the instance its own parameter group (family postgres<major>) with `{ name: "rds.force_ssl", value: "1" }` and set `parameterGroupName` to it; for a cluster, an `aws.rds.ClusterParameterGroup` (family aurora-postgresql<major> or postgres<major>) named by `dbClusterParameterGroupName`; for a proxy, `requireTls: true`.',
    check(resources) {
        const findings: StackFinding[] = [];
        for (const db of resources.filter((r) => r.type === RDS_TYPES.instance || r.type === RDS_TYPES.cluster)) {
            const engine = db.props.engine;
            if (typeof engine === "string" && !engine.includes("postgres")) continue;
            const kind = db.type === RDS_TYPES.cluster ? "cluster" : "instance";
            const field = GROUP_OF[db.type].field;
            const wanted = db.props[field];
            const group = parameterGroupOf(db, resources);
            if (!group) {
                findings.push({
                    urn: db.urn,
                    message:
                        wanted === undefined || wanted === null || wanted === ""
                            ? `${kind} '${db.name}' has no ${field}: the default parameter group cannot be shown to force TLS`
                            : `${kind} '${db.name}' uses parameter group '${wanted}', which is not declared in this stack: rds.force_ssl cannot be verified`,
                });
            } else if (!forcesSsl(group.props.parameters)) {
                findings.push({ urn: db.urn, message: `${kind} '${db.name}' uses parameter group '${group.name}', which does not set rds.force_ssl to 1` });
            }
        }
        for (const proxy of resources.filter((r) => r.type === RDS_TYPES.proxy)) {
            const v = proxy.props.requireTls;
            if (v === true || v === "true") continue;
            findings.push({ urn: proxy.urn, message: `proxy '${proxy.name}' has requireTls ${v === undefined || v === null ? "not set" : JSON.stringify(v)}: clients may connect in plaintext` });
        }
        return findings;
    },
};
