import type { Rule } from "@groundwork/policy-kit";
import { vpcEnableFlowLogs } from "./vpc/enableFlowLogs";

/** Rules for vpc, in the order the pack lists them. */
export const rules: Rule[] = [vpcEnableFlowLogs];
