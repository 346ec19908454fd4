import type { ResourceRule } from "@groundwork/policy-kit";
import { K8S } from "../shared";

/**
 * Services set no `externalIPs` (any address routed to a node is then answered by the Service: CVE-2020-8554).
 * Also judges ServicePatch (a patch of a Service created elsewhere, e.g. by a Helm chart): a value it sets is deployed.
 *
 * Severity: medium. Level: advisory.
 * Controls: KSV-0108.
 */
export const serviceDisallowExternalIps: ResourceRule = {
    kind: "resource",
    name: "k8s-service-disallow-external-ips",
    description: "Services set no externalIPs.",
    controls: ["KSV-0108"],
    severity: "medium",
    level: "advisory",
    remediation: "Remove `spec.externalIPs`; expose the Service through an Ingress.",
    resourceTypes: [K8S.service, K8S.servicePatch],
    check: (props) => (Array.isArray(props.spec?.externalIPs) && props.spec.externalIPs.length > 0 ? [`the Service sets externalIPs (${props.spec.externalIPs.join(", ")})`] : []),
};
