import { PolicyPack } from "@pulumi/policy";
import { exemptionReasonRule, toPolicy } from "@groundwork/policy-kit";
import { allRules } from "./rules";

// Served over gRPC by the Pulumi CLI (`pulumi preview --policy-pack policies/security`), or driven
// in-process by the offline plan tool, which calls the same analyzer handlers.
new PolicyPack("groundwork-security", {
    policies: [...allRules.map(toPolicy), exemptionReasonRule(allRules.map((r) => r.name), { foreignPrefixes: ["k8s-"] })],
});
