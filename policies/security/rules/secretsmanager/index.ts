import type { Rule } from "@groundwork/policy-kit";
import { secretConfigureKmsKey } from "./secret/configureKmsKey";
import { secretEnableRotation } from "./secret/enableRotation";

/** Rules for secretsmanager, in the order the pack lists them. */
export const rules: Rule[] = [secretEnableRotation, secretConfigureKmsKey];
