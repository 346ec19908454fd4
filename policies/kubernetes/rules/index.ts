import type { Rule } from "@groundwork/policy-kit";
import { deploymentEnforceReplicas } from "./deployment/enforceReplicas";
import { deploymentMissingPodDisruptionBudget } from "./deployment/missingPodDisruptionBudget";
import { ingressEnforceBackendTls } from "./ingress/enforceBackendTls";
import { ingressEnforceTls } from "./ingress/enforceTls";
import { namespaceEnforceMeshMtls } from "./namespace/enforceMeshMtls";
import { podConfigureProbes } from "./pod/configureProbes";
import { podConfigureResources } from "./pod/configureResources";
import { podConfigureSeccompProfile } from "./pod/configureSeccompProfile";
import { podDisallowDefaultServiceAccount } from "./pod/disallowDefaultServiceAccount";
import { podDisallowHostNamespaces } from "./pod/disallowHostNamespaces";
import { podDisallowHostPath } from "./pod/disallowHostPath";
import { podDisallowHostPort } from "./pod/disallowHostPort";
import { podDisallowPrivileged } from "./pod/disallowPrivileged";
import { podDisallowPrivilegeEscalation } from "./pod/disallowPrivilegeEscalation";
import { podDisallowServiceAccountTokenAutomount } from "./pod/disallowServiceAccountTokenAutomount";
import { podEnforceDropAllCapabilities } from "./pod/enforceDropAllCapabilities";
import { podEnforceImageDigest } from "./pod/enforceImageDigest";
import { podEnforceImagePinned } from "./pod/enforceImagePinned";
import { podEnforceReadOnlyRootFilesystem } from "./pod/enforceReadOnlyRootFilesystem";
import { podEnforceRunAsNonRoot } from "./pod/enforceRunAsNonRoot";
import { podMissingNetworkPolicy } from "./pod/missingNetworkPolicy";
import { podDisallowLiteralCredentialEnv } from "./pod/disallowLiteralCredentialEnv";
import { secretDisallowLiteralData } from "./secret/disallowLiteralData";
import { serviceDisallowExternalIps } from "./service/disallowExternalIps";
import { serviceDisallowNodePort } from "./service/disallowNodePort";
import { networkPolicyConfigureInternetEgress } from "./networkpolicy/configureInternetEgress";

/** Policy-name prefixes of the other Groundwork packs: their exemption marks are theirs to check. */
export const FOREIGN_POLICY_PREFIXES = ["aws-"];

/** Every rule of the groundwork-kubernetes pack (listed in ../RULES.md), in pack order. */
export const allRules: Rule[] = [
    // Pod security (PSS restricted/baseline), per container of every pod-bearing type.
    podEnforceRunAsNonRoot,
    podDisallowPrivilegeEscalation,
    podEnforceDropAllCapabilities,
    podConfigureSeccompProfile,
    podDisallowPrivileged,
    podDisallowHostNamespaces,
    podDisallowHostPath,
    podDisallowHostPort,
    podEnforceReadOnlyRootFilesystem,
    // Reliability of the pods.
    podConfigureResources,
    podConfigureProbes,
    podEnforceImagePinned,
    podEnforceImageDigest,
    // Relations between objects (stack rules).
    deploymentMissingPodDisruptionBudget,
    podMissingNetworkPolicy,
    deploymentEnforceReplicas,
    // Exposure.
    ingressEnforceTls,
    serviceDisallowNodePort,
    serviceDisallowExternalIps,
    // Identity.
    podDisallowServiceAccountTokenAutomount,
    podDisallowDefaultServiceAccount,
    // Secrets: from a secrets manager, never literal in the program.
    podDisallowLiteralCredentialEnv,
    secretDisallowLiteralData,
    // Zero trust inside the cluster: mTLS between pods, TLS to the backends.
    namespaceEnforceMeshMtls,
    ingressEnforceBackendTls,
    // Egress to the internet: by exception, narrow and reasoned.
    networkPolicyConfigureInternetEgress,
];
