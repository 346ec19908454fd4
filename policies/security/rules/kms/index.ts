import type { Rule } from "@groundwork/policy-kit";
import { kmsKeyDisallowWildcardPrincipal } from "./key/disallowWildcardPrincipal";
import { kmsKeyEnableRotation } from "./key/enableRotation";

/** Rules for kms, in the order the pack lists them. */
export const rules: Rule[] = [kmsKeyEnableRotation, kmsKeyDisallowWildcardPrincipal];
