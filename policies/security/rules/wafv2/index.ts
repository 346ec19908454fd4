import type { Rule } from "@groundwork/policy-kit";
import { webAclEnableLogging } from "./webAcl/enableLogging";

/** Rules for wafv2, in the order the pack lists them. */
export const rules: Rule[] = [webAclEnableLogging];
