import type { Rule } from "@groundwork/policy-kit";
import { logGroupConfigureRetention } from "./logGroup/configureRetention";
import { logGroupEnableKmsEncryption } from "./logGroup/enableKmsEncryption";

/** Rules for logs, in the order the pack lists them. */
export const rules: Rule[] = [logGroupConfigureRetention, logGroupEnableKmsEncryption];
