import type { ResourceRule } from "@groundwork/policy-kit";
import { LB_TYPES } from "../shared";

/**
 * Load balancers (application, network and gateway) have deletion protection: `enableDeletionProtection: true`
 * (unset means off). Deleting one drops every listener and its DNS name, which clients and alias records point at;
 * a new one gets another name. Mandatory in prod.
 *
 * Severity: medium. Level: mandatory-prod.
 * Controls: FSBP ELB.6, CKV_AWS_150.
 */
export const lbLoadBalancerEnableDeletionProtection: ResourceRule = {
    kind: "resource",
    name: "aws-lb-loadbalancer-enable-deletion-protection",
    description: "Load balancers have deletion protection enabled.",
    controls: ["FSBP ELB.6", "CKV_AWS_150"],
    severity: "medium",
    level: "mandatory-prod",
    remediation: "Set `enableDeletionProtection: true` (turn it off in a separate update before deleting the load balancer on purpose).",
    resourceTypes: [...LB_TYPES.loadBalancer],
    check(props) {
        const v = props.enableDeletionProtection;
        if (v === true || v === "true") return [];
        const consequence = "the load balancer, its listeners and its DNS name can be deleted by one API call";
        if (v === undefined || v === null) return [`enableDeletionProtection is not set: ${consequence}`];
        return [`enableDeletionProtection is ${JSON.stringify(v)}: ${consequence}`];
    },
};
