/**
 * Helpers shared by the Elastic Load Balancing v2 rules (`aws.lb`, and its legacy alias `aws.alb`): type tokens, the
 * load balancer's kind, and which listener or load balancer a resource belongs to. Pure functions, no rules here.
 */
import { knownString, refersTo, type GraphResource } from "@groundwork/policy-kit";

/** Pulumi type tokens of the lb rules: each `aws.lb` type and its `aws.alb` alias (same resource, older module). */
export const LB_TYPES = {
    loadBalancer: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    listener: ["aws:lb/listener:Listener", "aws:alb/listener:Listener"],
    listenerRule: ["aws:lb/listenerRule:ListenerRule", "aws:alb/listenerRule:ListenerRule"],
    targetGroup: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"],
} as const;

/** True for a resource of one of `types`. */
export function isOneOf(r: GraphResource, types: readonly string[]): boolean {
    return types.includes(r.type);
}

/** `loadBalancerType` as the program gives it, lower-cased; AWS's default when unset is `application`. */
export function loadBalancerKind(props: Record<string, any>): string {
    return (knownString(() => props.loadBalancerType) ?? "application").toLowerCase();
}

/** The in-stack load balancer a listener's `loadBalancerArn` designates (by ARN or id, else by dependency). */
export function loadBalancerOf(listener: GraphResource, resources: GraphResource[]): GraphResource | undefined {
    return resources.find(
        (r) => isOneOf(r, LB_TYPES.loadBalancer) && refersTo(listener, () => listener.props.loadBalancerArn, r, [() => r.props.arn, () => r.props.id]),
    );
}

/** The in-stack listener a listener rule's `listenerArn` designates (by ARN or id, else by dependency). */
export function listenerOf(rule: GraphResource, resources: GraphResource[]): GraphResource | undefined {
    return resources.find((r) => isOneOf(r, LB_TYPES.listener) && refersTo(rule, () => rule.props.listenerArn, r, [() => r.props.arn, () => r.props.id]));
}
