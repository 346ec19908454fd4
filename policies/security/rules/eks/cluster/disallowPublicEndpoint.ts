import { asArray, type ResourceRule } from "@groundwork/policy-kit";
import { EKS_TYPES } from "../shared";

const WORLD = /\/0$/;

function isTrue(v: unknown): boolean {
    return v === true || v === "true";
}

/**
 * The Kubernetes API endpoint is private, or public only for an explicit allow-list of CIDRs that is not the
 * whole internet. A missing `endpointPublicAccess` is AWS's default `true`, and missing `publicAccessCidrs` is
 * AWS's default `0.0.0.0/0`: both are violations. The private endpoint must be on so nodes and pods reach the API
 * inside the VPC.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EKS.1, CKV_AWS_39, CKV_AWS_38, AWS-0040, AWS-0041, AwsSolutions-EKS1.
 */
export const eksClusterDisallowPublicEndpoint: ResourceRule = {
    kind: "resource",
    name: "aws-eks-cluster-disallow-public-endpoint",
    description: "EKS API endpoints are private, or public only to an allow-list of CIDRs without 0.0.0.0/0 or ::/0.",
    controls: ["FSBP EKS.1", "CKV_AWS_39", "CKV_AWS_38", "AWS-0040", "AWS-0041", "AwsSolutions-EKS1"],
    severity: "high",
    level: "mandatory",
    remediation:
        "Set `vpcConfig.endpointPrivateAccess: true` and `vpcConfig.endpointPublicAccess: false`; if a public endpoint is required, list only the CIDRs that need it in `vpcConfig.publicAccessCidrs`.",
    resourceTypes: [EKS_TYPES.cluster],
    check(props) {
        const vc = props.vpcConfig ?? {};
        const messages: string[] = [];
        const pub = vc.endpointPublicAccess;
        if (pub === undefined || pub === null || isTrue(pub)) {
            const how = pub === undefined || pub === null ? "is not set (AWS default: true)" : "is true";
            const cidrs = asArray<unknown>(vc.publicAccessCidrs).map(String);
            if (cidrs.length === 0) {
                messages.push(`vpcConfig.endpointPublicAccess ${how} and publicAccessCidrs is not set (AWS default: 0.0.0.0/0): the Kubernetes API is open to the internet`);
            }
            for (const c of cidrs.filter((c) => WORLD.test(c))) {
                messages.push(`vpcConfig.publicAccessCidrs contains ${c}: the Kubernetes API is open to the internet`);
            }
        }
        if (!isTrue(vc.endpointPrivateAccess)) {
            messages.push("vpcConfig.endpointPrivateAccess is not true: nodes and pods reach the Kubernetes API over the public endpoint");
        }
        return messages;
    },
};
