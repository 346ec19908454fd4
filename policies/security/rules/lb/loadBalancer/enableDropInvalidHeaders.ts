import type { ResourceRule } from "@groundwork/policy-kit";
import { LB_TYPES, loadBalancerKind } from "../shared";

/**
 * Application Load Balancers drop HTTP header fields with invalid names: `dropInvalidHeaderFields: true` (AWS's
 * default is false, so unset is reported). Targets then never see headers that proxies and frameworks parse
 * differently, a path to request smuggling and header injection. Network and Gateway Load Balancers do not parse
 * HTTP and are not judged.
 *
 * Severity: medium. Level: mandatory.
 * Controls: FSBP ELB.4, CKV_AWS_131, AWS-0052.
 */
export const lbLoadBalancerEnableDropInvalidHeaders: ResourceRule = {
    kind: "resource",
    name: "aws-lb-loadbalancer-enable-drop-invalid-headers",
    description: "Application Load Balancers drop HTTP header fields with invalid names before they reach the targets.",
    controls: ["FSBP ELB.4", "CKV_AWS_131", "AWS-0052"],
    severity: "medium",
    level: "mandatory",
    remediation: "Set `dropInvalidHeaderFields: true` on the load balancer.",
    resourceTypes: [...LB_TYPES.loadBalancer],
    check(props) {
        if (loadBalancerKind(props) !== "application") return [];
        const v = props.dropInvalidHeaderFields;
        if (v === true || v === "true") return [];
        const consequence = "the load balancer passes header fields with invalid names on to the targets";
        if (v === undefined || v === null) return [`dropInvalidHeaderFields is not set (AWS's default is false): ${consequence}`];
        return [`dropInvalidHeaderFields is ${JSON.stringify(v)}: ${consequence}`];
    },
};
