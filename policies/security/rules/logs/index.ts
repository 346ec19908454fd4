import type { Rule } from "../../../lib/rule";
import { logGroupConfigureRetention } from "./logGroup/configureRetention";
import { logGroupEnableKmsEncryption } from "./logGroup/enableKmsEncryption";

/** Rules for logs, in the order the pack lists them. */
export const rules: Rule[] = [logGroupConfigureRetention, logGroupEnableKmsEncryption];
