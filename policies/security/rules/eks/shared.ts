/**
 * Shared facts of the EKS rules. The lists mirror the component library's (the pack cannot import
 * `components/`, it ships on its own); test/policies/eks.test.ts keeps each pair equal.
 */
import { UNSCOPABLE_ACTIONS } from "@groundwork/policy-kit";
import { asArray } from "@groundwork/policy-kit";

/** Pulumi type tokens the EKS rules read. */
export const EKS_TYPES = {
    cluster: "aws:eks/cluster:Cluster",
    nodeGroup: "aws:eks/nodeGroup:NodeGroup",
    role: "aws:iam/role:Role",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
    rolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    policy: "aws:iam/policy:Policy",
} as const;

/**
 * Kubernetes minor versions EKS supports (standard or extended support) on 2026-11-25, newest first
 * (https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html). Mirrors
 * `SUPPORTED_KUBERNETES_VERSIONS` of components/cluster/versions.ts.
 */
export const SUPPORTED_EKS_VERSIONS: readonly string[] = ["1.35", "1.34", "1.33", "1.32"];

/** The five control-plane log types. */
export const CONTROL_PLANE_LOG_TYPES: readonly string[] = ["api", "audit", "authenticator", "controllerManager", "scheduler"];

/** The audience of EKS service-account tokens for STS. */
export const IRSA_AUDIENCE = "sts.amazonaws.com";

/** Service principal of EKS Pod Identity. */
export const POD_IDENTITY_PRINCIPAL = "pods.eks.amazonaws.com";

/**
 * Actions AWS cannot scope to a resource, so `Resource: "*"` is their only form: the same documented allow-list
 * the statement builder uses (components/identity/unscopable.ts), not a copy.
 */
export const WORKLOAD_UNSCOPABLE_ACTIONS: readonly string[] = UNSCOPABLE_ACTIONS;

/**
 * AWS-managed policies a workload role may carry (path after `arn:<partition>:iam::aws:policy/`), each for the
 * one AWS add-on whose permissions AWS maintains. Mirrors components/identity/managedPolicies.ts.
 */
export const ALLOWED_AWS_MANAGED_WORKLOAD_POLICIES: readonly string[] = ["AmazonEKS_CNI_Policy", "service-role/AmazonEBSCSIDriverPolicy"];

/** `Statement[i] (Sid)` label used in messages. */
export function statementLabel(stmt: any, i: number): string {
    return typeof stmt?.Sid === "string" && stmt.Sid !== "" ? `Statement[${i}] (${stmt.Sid})` : `Statement[${i}]`;
}

/** OIDC provider ARNs among a statement's federated principals. */
export function oidcPrincipals(stmt: any): string[] {
    const p = stmt?.Principal;
    if (!p || typeof p !== "object") return [];
    return asArray<unknown>(p.Federated).filter((f): f is string => typeof f === "string" && f.includes(":oidc-provider/"));
}

/** True when a statement's actions include `action` (directly, or through `*` / `service:*`). */
export function allowsAction(stmt: any, action: string): boolean {
    const service = action.split(":")[0];
    return asArray<unknown>(stmt?.Action).some((a) => a === action || a === "*" || a === `${service}:*`);
}

/** True when a trust policy makes the role a workload role: trusted by an OIDC provider or by EKS Pod Identity. */
export function isWorkloadTrust(statements: any[]): boolean {
    return statements.some((s) => {
        if (s?.Effect !== "Allow") return false;
        if (oidcPrincipals(s).length > 0) return true;
        const service = s?.Principal && typeof s.Principal === "object" ? asArray<unknown>(s.Principal.Service) : [];
        return service.includes(POD_IDENTITY_PRINCIPAL);
    });
}
