import type { ResourceRule } from "@groundwork/policy-kit";
import { K8S } from "../shared";

/**
 * Services are not of type NodePort (a port open on every node, around the load balancer and its TLS).
 * Also judges ServicePatch (a patch of a Service created elsewhere, e.g. by a Helm chart): a value it sets is deployed.
 *
 * Severity: low. Level: advisory.
 * Controls: kube-score service-type, KSV-0108.
 */
export const serviceDisallowNodePort: ResourceRule = {
    kind: "resource",
    name: "k8s-service-disallow-node-port",
    description: "Services are not NodePort.",
    controls: ["kube-score service-type", "KSV-0108"],
    severity: "low",
    level: "advisory",
    remediation: "Use a ClusterIP Service behind an Ingress (ALB, target-type ip).",
    resourceTypes: [K8S.service, K8S.servicePatch],
    check: (props) => (props.spec?.type === "NodePort" ? ["the Service is of type NodePort"] : []),
};
