import type { Rule } from "../../../lib/rule";

/** Rules for s3, in the order the pack lists them. */
export const rules: Rule[] = [];
