import { asArray, parsePolicy, statementsOf, type GraphResource, type StackFinding, type StackRule } from "@groundwork/policy-kit";
import { knownString, readKnown, refersTo } from "@groundwork/policy-kit";
import { ALLOWED_AWS_MANAGED_WORKLOAD_POLICIES, EKS_TYPES, isWorkloadTrust, statementLabel, WORKLOAD_UNSCOPABLE_ACTIONS } from "../shared";

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/;
/** ARN pattern pinned to partition, service, region and account (wildcards only in the resource part). */
const PINNED_PATTERN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/;

/** True when a statement is scoped by a tag condition (`StringEquals` on `aws:ResourceTag/...` or `aws:RequestTag/...`, no wildcard value). */
export function isTagScoped(stmt: any): boolean {
    const eq = stmt?.Condition?.StringEquals;
    if (!eq || typeof eq !== "object") return false;
    return Object.entries(eq).some(
        ([k, v]) => /^aws:(ResourceTag|RequestTag)\/.+/.test(k) && asArray<unknown>(v as any).length > 0 && asArray<unknown>(v as any).every((x) => typeof x === "string" && x !== "" && !x.includes("*")),
    );
}

/** True when `arn` is a declared ARN or a sub-resource of one (`<arn>/...`, `<arn>:...`). */
function isDeclared(arn: string, declared: Set<string>): boolean {
    if (declared.has(arn)) return true;
    for (const d of declared) if (arn.startsWith(`${d}/`) || arn.startsWith(`${d}:`)) return true;
    return false;
}

/**
 * Problems of one permissions document of a workload role. Each Allow statement's resources are exact ARNs of
 * resources declared in the stack (or their sub-resources), `*` only for actions on the unscopable allow-list, or
 * ARN patterns pinned to an account and scoped by a tag condition. Pure.
 */
export function documentProblems(doc: unknown, where: string, declared: Set<string>): string[] {
    if (parsePolicy(doc) === undefined) return [`${where} is not valid JSON, so its resources cannot be checked`];
    const messages: string[] = [];
    statementsOf(doc).forEach((stmt, i) => {
        if (stmt?.Effect !== "Allow") return;
        const label = `${where} ${statementLabel(stmt, i)}`;
        if (stmt.NotResource !== undefined) {
            messages.push(`${label} uses NotResource: it grants every resource but the listed ones`);
            return;
        }
        const actions = asArray<unknown>(stmt.Action).map(String);
        for (const r of asArray<unknown>(stmt.Resource).map(String)) {
            if (r === "*") {
                const scopable = actions.filter((a) => !WORKLOAD_UNSCOPABLE_ACTIONS.includes(a));
                if (scopable.length > 0) messages.push(`${label} grants ${scopable.join(", ")} on Resource "*": these actions can be scoped to ARNs`);
            } else if (isDeclared(r, declared)) {
                continue;
            } else if (r.includes("*")) {
                if (!(PINNED_PATTERN.test(r) && !r.split(":").slice(0, 5).some((part) => part.includes("*")) && isTagScoped(stmt))) {
                    messages.push(`${label} names the pattern ${r} without pinning the account and a StringEquals aws:ResourceTag/aws:RequestTag condition`);
                }
            } else {
                messages.push(`${label} names ${r}, which is not a resource declared in this stack`);
            }
        }
    });
    return messages;
}

/**
 * Every IAM role used by a workload (trusted by an EKS OIDC provider or by `pods.eks.amazonaws.com`) has
 * permissions naming only ARNs of resources declared in the stack, `*` only for actions AWS cannot scope
 * (documented allow-list, `rules/eks/shared.ts`), or tag-scoped ARN patterns for resources a controller creates
 * itself; AWS-managed policies only from the documented allow-list. Inline role policies, `inlinePolicies`,
 * `managedPolicyArns`, RolePolicyAttachments and customer-managed Policies are all read. Under the mock engine
 * stack policies see mock outputs, which carry every resource's `arn`.
 *
 * Severity: high. Level: mandatory.
 * Controls: CKV_AWS_355, AWS-0057, AwsSolutions-IAM5.
 */
export const iamRoleEnforceWorkloadDeclaredResources: StackRule = {
    kind: "stack",
    name: "aws-iam-role-enforce-workload-declared-resources",
    description: "Workload IAM roles (IRSA / Pod Identity) are granted only on resources declared in the stack, plus documented unscopable actions.",
    controls: ["CKV_AWS_355", "AWS-0057", "AwsSolutions-IAM5"],
    severity: "high",
    level: "mandatory",
    remediation:
        "Grant with the owning component's verbs (`queue.grantConsume(identity)`), which name exact ARNs; attach AWS-managed policies only from the documented allow-list.",
    check(resources: GraphResource[]): StackFinding[] {
        const declared = new Set(resources.map((r) => knownString(() => r.props?.arn)).filter((a): a is string => a !== undefined));
        // IAM database authentication names the instance by its resource id, not its ARN:
        // arn:<partition>:rds-db:<region>:<account>:dbuser:<resourceId>/<user> belongs to the declared instance.
        for (const r of resources) {
            if (r.type !== "aws:rds/instance:Instance" && r.type !== "aws:rds/cluster:Cluster") continue;
            const arn = knownString(() => r.props?.arn);
            const resourceId = knownString(() => r.props?.resourceId ?? r.props?.clusterResourceId);
            const m = arn === undefined ? null : /^arn:([^:]+):rds:([^:]+):(\d{12}):/.exec(arn);
            if (m && resourceId) declared.add(`arn:${m[1]}:rds-db:${m[2]}:${m[3]}:dbuser:${resourceId}`);
            // The master secret RDS manages for the instance (manageMasterUserPassword) is declared with it.
            for (const secret of readKnown(() => r.props?.masterUserSecrets) ?? []) {
                const secretArn = knownString(() => secret?.secretArn);
                if (secretArn) declared.add(secretArn);
            }
        }
        const roles = resources.filter((r) => r.type === EKS_TYPES.role && isWorkloadTrust(readKnown(() => statementsOf(r.props?.assumeRolePolicy)) ?? []));
        const findings: StackFinding[] = [];
        const attachedTo = (from: GraphResource) =>
            roles.find((role) => refersTo(from, () => from.props?.role, role, [() => role.props?.name, () => role.props?.id, () => role.props?.arn]));
        const managedProblem = (policyArn: string, where: string): string | undefined => {
            const m = AWS_MANAGED.exec(policyArn);
            if (m) {
                return ALLOWED_AWS_MANAGED_WORKLOAD_POLICIES.includes(m[1])
                    ? undefined
                    : `${where} attaches the AWS-managed policy ${m[1]}, which is not on the workload allow-list (${ALLOWED_AWS_MANAGED_WORKLOAD_POLICIES.join(", ")})`;
            }
            const policy = resources.find((p) => p.type === EKS_TYPES.policy && knownString(() => p.props?.arn) === policyArn);
            if (!policy) return `${where} attaches ${policyArn}, which is not a policy declared in this stack`;
            const doc = readKnown(() => policy.props?.policy);
            const problems = doc === undefined ? [] : documentProblems(doc, `policy ${policy.name}`, declared);
            return problems.length > 0 ? problems.join("; ") : undefined;
        };

        for (const role of roles) {
            const where = `workload role ${role.name}`;
            for (const [i, p] of asArray<any>(readKnown(() => role.props?.inlinePolicies)).entries()) {
                const doc = readKnown(() => p?.policy);
                if (doc !== undefined) for (const m of documentProblems(doc, `${where} inlinePolicies[${i}]`, declared)) findings.push({ urn: role.urn, message: m });
            }
            for (const arn of asArray<unknown>(readKnown(() => role.props?.managedPolicyArns))) {
                if (typeof arn !== "string") continue;
                const m = managedProblem(arn, where);
                if (m) findings.push({ urn: role.urn, message: m });
            }
        }
        for (const r of resources) {
            if (r.type !== EKS_TYPES.rolePolicy && r.type !== EKS_TYPES.rolePolicyAttachment) continue;
            const role = attachedTo(r);
            if (!role) continue;
            if (r.type === EKS_TYPES.rolePolicy) {
                const doc = readKnown(() => r.props?.policy);
                if (doc === undefined) continue;
                for (const m of documentProblems(doc, `${r.name} (on workload role ${role.name})`, declared)) findings.push({ urn: r.urn, message: m });
            } else {
                const arn = knownString(() => r.props?.policyArn);
                if (arn === undefined) continue;
                const m = managedProblem(arn, `${r.name} (on workload role ${role.name})`);
                if (m) findings.push({ urn: r.urn, message: m });
            }
        }
        return findings;
    },
};
