import type { Rule } from "@groundwork/policy-kit";
import { eksClusterConfigureSupportedVersion } from "./cluster/configureSupportedVersion";
import { eksClusterDisallowPublicEndpoint } from "./cluster/disallowPublicEndpoint";
import { eksClusterEnableAuditLogging } from "./cluster/enableAuditLogging";
import { eksClusterEnableControlPlaneLogs } from "./cluster/enableControlPlaneLogs";
import { eksClusterEnableSecretsEncryption } from "./cluster/enableSecretsEncryption";
import { iamRoleEnforceIrsaTrustConditions } from "./iamRole/enforceIrsaTrustConditions";
import { eksNodeGroupDisallowSshFromWorld } from "./nodeGroup/disallowSshFromWorld";
import { iamRoleEnforceWorkloadDeclaredResources } from "./workloadRole/enforceDeclaredResources";

/** Rules for eks (and the IRSA / workload-role IAM rules, kept here by agreement with the IAM rules), in pack order. */
export const rules: Rule[] = [
    eksClusterDisallowPublicEndpoint,
    eksClusterEnableSecretsEncryption,
    eksClusterEnableAuditLogging,
    eksClusterEnableControlPlaneLogs,
    eksClusterConfigureSupportedVersion,
    eksNodeGroupDisallowSshFromWorld,
    iamRoleEnforceIrsaTrustConditions,
    iamRoleEnforceWorkloadDeclaredResources,
];
