/**
 * The facts Groundwork's components share with its policy packs, importable without the CrossGuard SDK
 * (`@groundwork/policy-kit/facts`): the exemption convention and the IAM actions that cannot be scoped. A component
 * library that imports only this loads no `@pulumi/policy`, at run time or in its declarations.
 */
export * from "./unscopable";

/**
 * Exemption tag / annotation prefix. A resource is exempt from policy P when it carries the tag (AWS) or
 * annotation (Kubernetes) `exempt.groundwork.dev/P` whose value is the reason. Valid in both systems'
 * key syntax. A blank reason does not exempt, and is itself reported.
 */
export const EXEMPTION_PREFIX = "exempt.groundwork.dev/";

/** Shortest reason accepted for an exemption: a reason must say why, not just "ok". */
export const MIN_REASON_LENGTH = 10;

/**
 * Annotation that says why a NetworkPolicy opens egress to the internet: the `Service` component's `internetEgress`
 * writes it, the Kubernetes pack's `k8s-networkpolicy-configure-internet-egress` reads it.
 */
export const INTERNET_EGRESS_REASON_ANNOTATION = "groundwork.dev/internet-egress-reason";
