import type { Rule } from "@groundwork/policy-kit";
import { iamAttachmentDisallowAdministratorAccess } from "./attachment/disallowAdministratorAccess";
import { iamPolicyDisallowFullAdmin } from "./policy/disallowFullAdmin";
import { iamPolicyDisallowPassRoleWildcard } from "./policy/disallowPassRoleWildcard";
import { iamPolicyDisallowWildcardActions } from "./policy/disallowWildcardActions";
import { iamPolicyDisallowWildcardResources } from "./policy/disallowWildcardResources";
import { iamRoleDisallowWildcardPrincipal } from "./role/disallowWildcardPrincipal";

/** Rules for iam, in the order the pack lists them. */
export const rules: Rule[] = [
    iamPolicyDisallowFullAdmin,
    iamAttachmentDisallowAdministratorAccess,
    iamPolicyDisallowWildcardActions,
    iamPolicyDisallowWildcardResources,
    iamPolicyDisallowPassRoleWildcard,
    iamRoleDisallowWildcardPrincipal,
];
