import type { Rule } from "../../../lib/rule";

/** Rules for vpc, in the order the pack lists them. */
export const rules: Rule[] = [];
