import type { Rule } from "@groundwork/policy-kit";
import { lbListenerEnforceTls } from "./listener/enforceTls";
import { lbLoadBalancerEnableDeletionProtection } from "./loadBalancer/enableDeletionProtection";
import { lbLoadBalancerEnableDropInvalidHeaders } from "./loadBalancer/enableDropInvalidHeaders";
import { lbTargetGroupEnforceTls } from "./targetGroup/enforceTls";

/** Rules for Elastic Load Balancing v2 (`aws.lb`, `aws.alb`), in the order the pack lists them. */
export const rules: Rule[] = [lbListenerEnforceTls, lbTargetGroupEnforceTls, lbLoadBalancerEnableDropInvalidHeaders, lbLoadBalancerEnableDeletionProtection];
