import type { Rule } from "../../../lib/rule";

/** Rules for wafv2, in the order the pack lists them. */
export const rules: Rule[] = [];
