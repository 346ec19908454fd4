import type { Rule } from "../../../lib/rule";

/** Rules for sqs, in the order the pack lists them. */
export const rules: Rule[] = [];
