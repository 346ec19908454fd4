import type { Rule } from "../../../lib/rule";

/** Rules for iam, in the order the pack lists them. */
export const rules: Rule[] = [];
