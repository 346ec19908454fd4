import type { Rule } from "../../../lib/rule";
import { secretConfigureKmsKey } from "./secret/configureKmsKey";
import { secretEnableRotation } from "./secret/enableRotation";

/** Rules for secretsmanager, in the order the pack lists them. */
export const rules: Rule[] = [secretEnableRotation, secretConfigureKmsKey];
