import { PolicyPack } from "@pulumi/policy";
import { exemptionReasonRule, toPolicy } from "@groundwork/policy-kit";
import { allRules, FOREIGN_POLICY_PREFIXES } from "./rules";

// Served over gRPC by the Pulumi CLI (`pulumi preview --policy-pack policies/kubernetes`), or driven
// in-process by the offline plan tool (each pack in its own module registry), which calls the same handlers.
new PolicyPack("groundwork-kubernetes", {
    policies: [...allRules.map(toPolicy), exemptionReasonRule(allRules.map((r) => r.name), { foreignPrefixes: FOREIGN_POLICY_PREFIXES })],
});
