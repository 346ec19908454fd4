import type { Rule } from "../../../lib/rule";

/** Rules for rds, in the order the pack lists them. */
export const rules: Rule[] = [];
