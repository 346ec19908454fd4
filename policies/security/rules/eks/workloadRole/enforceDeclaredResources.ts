import { asArray, MIN_REASON_LENGTH, parsePolicy, statementsOf, type GraphResource, type StackFinding, type StackRule } from "@groundwork/policy-kit";
import { knownString, readKnown, refersTo } from "@groundwork/policy-kit";
import { ALLOWED_AWS_MANAGED_WORKLOAD_POLICIES, EKS_TYPES, isWorkloadTrust, statementLabel, WORKLOAD_UNSCOPABLE_ACTIONS } from "../shared";

/** Policy name of this rule: the key of its policy config. */
const POLICY = "aws-iam-role-enforce-workload-declared-resources";
/** Policy-config property listing resources of other stacks by exact ARN. */
export const EXTERNAL_RESOURCES_KEY = "externalResources";
/** Type token of a StackReference; its `outputs` are the referenced stack's outputs. */
export const STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference";

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/;
/** ARN pattern pinned to partition, service, region and account (wildcards only in the resource part). */
const PINNED_PATTERN = /^arn:[a-z-]+:[a-z0-9-]+:[a-z0-9-]*:\d{12}:.+$/;
/** An ARN: `arn:<partition>:<service>:<region>:<account>:<resource>`. */
const ARN = /^arn:[^:]+:[^:]+:[^:]*:[^:]*:.+$/;

/** True when an IAM resource string holds a wildcard (`*` or `?`). */
function hasWildcard(r: string): boolean {
    return r.includes("*") || r.includes("?");
}

/** One entry of the `externalResources` policy config. */
export interface ExternalResource {
    /** Exact ARN of a resource another stack declares. */
    arn: string;
    /** Why workloads of this stack may use it (at least MIN_REASON_LENGTH characters). */
    reason: string;
}

/**
 * Reads the `externalResources` of this rule's policy config: the exact ARNs it accepts, and one problem (naming the
 * entry and its fix) per entry it ignores: no ARN, not an ARN, a wildcard, or a reason shorter than
 * MIN_REASON_LENGTH. Pure.
 */
export function readExternalResources(config: Record<string, unknown> | undefined): { arns: Set<string>; problems: string[] } {
    const arns = new Set<string>();
    const problems: string[] = [];
    const list = config?.[EXTERNAL_RESOURCES_KEY];
    if (list === undefined || list === null) return { arns, problems };
    const at = `policy config of ${POLICY}: ${EXTERNAL_RESOURCES_KEY}`;
    if (!Array.isArray(list)) {
        return { arns, problems: [`${at} is not a list, so it is ignored. Fix: give a list of { "arn": "<exact ARN>", "reason": "<why>" } entries.`] };
    }
    list.forEach((entry: unknown, i) => {
        const arn = entry && typeof entry === "object" ? (entry as Record<string, unknown>).arn : undefined;
        if (typeof arn !== "string" || arn.trim() === "") {
            problems.push(`${at}[${i}] has no "arn", so it is ignored. Fix: give the exact ARN of the other stack's resource.`);
            return;
        }
        const where = `${at}[${i}] (${arn})`;
        if (!ARN.test(arn)) {
            problems.push(`${where} is not an ARN, so it is ignored. Fix: give the resource's exact ARN (arn:<partition>:<service>:<region>:<account>:<resource>).`);
        } else if (hasWildcard(arn)) {
            problems.push(`${where} contains a wildcard, so it is ignored: only exact ARNs can be listed, and a grant on a pattern stays a violation. Fix: list the exact ARN of each resource.`);
        } else if (String((entry as Record<string, unknown>).reason ?? "").trim().length < MIN_REASON_LENGTH) {
            problems.push(`${where} has no reason (at least ${MIN_REASON_LENGTH} characters), so it is ignored. Fix: say why this stack's workloads may use that resource.`);
        } else {
            arns.add(arn);
        }
    });
    return { arns, problems };
}

/**
 * The exact ARNs among the outputs of the graph's StackReferences, nested values included. Only a graph built from a
 * stack's state carries StackReferences (`pulumi policy analyze`): `pulumi preview`/`up` pass stack policies only
 * the resources the program registers, and reads such as a StackReference are not among them. Pure.
 */
export function stackReferenceArns(resources: GraphResource[]): Set<string> {
    const arns = new Set<string>();
    const visit = (v: unknown, depth: number): void => {
        if (depth > 20) return;
        if (typeof v === "string") {
            if (ARN.test(v) && !hasWildcard(v)) arns.add(v);
        } else if (Array.isArray(v)) {
            for (const x of v) visit(x, depth + 1);
        } else if (v && typeof v === "object") {
            for (const x of Object.values(v)) visit(x, depth + 1);
        }
    };
    for (const r of resources) if (r.type === STACK_REFERENCE_TYPE) visit(readKnown(() => r.props?.outputs), 0);
    return arns;
}

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

/** The finding for an exact ARN that is neither declared in the stack nor listed as another stack's. */
function undeclaredMessage(label: string, arn: string): string {
    const entry = JSON.stringify({ [POLICY]: { [EXTERNAL_RESOURCES_KEY]: [{ arn, reason: "<why this workload uses it>" }] } });
    return (
        `${label} names ${arn}, which is not a resource declared in this stack. If another stack declares it, ` +
        `list it in the policy config as ${entry}, or read the ARN from an output of a StackReference ` +
        "(recognised only where the engine passes StackReferences to stack policies, as `pulumi policy analyze` does; " +
        "`pulumi preview`/`up` and the offline plan do not)"
    );
}

/**
 * Problems of one permissions document of a workload role. Each Allow statement's resources are exact ARNs of
 * resources declared in the stack (or their sub-resources), exact ARNs of other stacks' resources (`external`:
 * listed in the policy config or read from a StackReference, or their sub-resources without a wildcard), `*` only
 * for actions on the unscopable allow-list, or ARN patterns pinned to an account and scoped by a tag condition.
 * Pure.
 */
export function documentProblems(doc: unknown, where: string, declared: Set<string>, external: Set<string> = new Set()): string[] {
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
            } else if (hasWildcard(r)) {
                if (!(PINNED_PATTERN.test(r) && !r.split(":").slice(0, 5).some(hasWildcard) && isTagScoped(stmt))) {
                    messages.push(`${label} names the pattern ${r} without pinning the account and a StringEquals aws:ResourceTag/aws:RequestTag condition`);
                }
            } else if (!isDeclared(r, external)) {
                messages.push(undeclaredMessage(label, r));
            }
        }
    });
    return messages;
}

/**
 * Every IAM role used by a workload (trusted by an EKS OIDC provider or by `pods.eks.amazonaws.com`) has
 * permissions naming only exact ARNs of resources declared in the stack, exact ARNs of other stacks' resources,
 * `*` only for actions AWS cannot scope (documented allow-list, `rules/eks/shared.ts`), or tag-scoped ARN
 * patterns for resources a controller creates itself; AWS-managed policies only from the documented allow-list.
 * Inline role policies, `inlinePolicies`, `managedPolicyArns`, RolePolicyAttachments and customer-managed Policies
 * are all read. Under the mock engine stack policies see mock outputs, which carry every resource's `arn`.
 *
 * An exact ARN with exact actions is least privilege wherever the resource lives (AWS, CIS and cdk-nag forbid
 * wildcards, not cross-stack references), so another stack's resource is accepted when the policy config lists
 * its exact ARN with a reason, `{ "aws-iam-role-enforce-workload-declared-resources": { "externalResources":
 * [{ "arn": "...", "reason": "..." }] } }`, or when the ARN equals an output (nested values included) of a
 * `pulumi:pulumi:StackReference` in the graph. The engine hands stack policies StackReferences only when it
 * analyses a stack's state (`pulumi policy analyze`); `pulumi preview`/`up`, and the offline plan that mirrors
 * them, pass only registered resources, so there the config entry is the way. An entry without a reason of at
 * least MIN_REASON_LENGTH characters, or whose ARN is not exact, is reported and ignored; a wildcard Resource stays
 * a violation whatever is listed.
 *
 * Severity: high. Level: mandatory.
 * Controls: CKV_AWS_355, AWS-0057, AwsSolutions-IAM5.
 */
export const iamRoleEnforceWorkloadDeclaredResources: StackRule = {
    kind: "stack",
    name: POLICY,
    description:
        "Workload IAM roles (IRSA / Pod Identity) are granted only on exact ARNs of resources declared in the stack or listed as other stacks' (policy config `externalResources`, with a reason), plus documented unscopable actions.",
    controls: ["CKV_AWS_355", "AWS-0057", "AwsSolutions-IAM5"],
    severity: "high",
    level: "mandatory",
    remediation:
        "Grant with the owning component's verbs (`queue.grantConsume(identity)`), which name exact ARNs; list another stack's resource by its exact ARN with a reason under `externalResources` in this policy's config; attach AWS-managed policies only from the documented allow-list.",
    config: {
        properties: {
            [EXTERNAL_RESOURCES_KEY]: {
                type: "array",
                default: [],
                items: {
                    type: "object",
                    properties: { arn: { type: "string" }, reason: { type: "string" } },
                    required: ["arn"],
                },
            },
        },
        problems: (config) => readExternalResources(config).problems,
    },
    check(resources: GraphResource[], ctx): StackFinding[] {
        const external = new Set([...readExternalResources(ctx?.config).arns, ...stackReferenceArns(resources)]);
        const declared = new Set(resources.map((r) => knownString(() => r.props?.arn)).filter((a): a is string => a !== undefined));
        // IAM database authentication names the instance (cluster, proxy) by its resource id, not its ARN:
        // arn:<partition>:rds-db:<region>:<account>:dbuser:<resourceId>/<user> belongs to the declared instance.
        for (const r of resources) {
            if (r.type !== "aws:rds/instance:Instance" && r.type !== "aws:rds/cluster:Cluster" && r.type !== "aws:rds/proxy:Proxy") continue;
            const arn = knownString(() => r.props?.arn);
            // An RDS Proxy's resource id (prx-...) is the last part of its ARN (`...:db-proxy:prx-...`).
            const resourceId = r.type === "aws:rds/proxy:Proxy" ? arn?.split(":").pop() : knownString(() => r.props?.resourceId ?? r.props?.clusterResourceId);
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
            const problems = doc === undefined ? [] : documentProblems(doc, `policy ${policy.name}`, declared, external);
            return problems.length > 0 ? problems.join("; ") : undefined;
        };

        for (const role of roles) {
            const where = `workload role ${role.name}`;
            for (const [i, p] of asArray<any>(readKnown(() => role.props?.inlinePolicies)).entries()) {
                const doc = readKnown(() => p?.policy);
                if (doc !== undefined) for (const m of documentProblems(doc, `${where} inlinePolicies[${i}]`, declared, external)) findings.push({ urn: role.urn, message: m });
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
                for (const m of documentProblems(doc, `${r.name} (on workload role ${role.name})`, declared, external)) findings.push({ urn: r.urn, message: m });
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
