/**
 * @groundwork/policy-kit: what Groundwork's CrossGuard packs share, so each pack loads and publishes from its own
 * folder with this package as an ordinary dependency. Rules are pure checks ({@link ResourceRule},
 * {@link StackRule}); {@link toPolicy} turns one into a CrossGuard policy with tier-dependent enforcement and
 * exemptions; the graph helpers read resource properties that may still be unknown in a preview; and
 * {@link UNSCOPABLE_ACTIONS} is the IAM fact that both the packs and Groundwork's statement builder trust. The
 * components import those facts from `@groundwork/policy-kit/facts`, which needs no CrossGuard SDK.
 */
export * from "./rule";
export * from "./pack";
export * from "./graph";
export * from "./facts";
