import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, Transform } from "../base";

/** Which of the two cluster security groups a rule belongs to or points at. */
export type ClusterSgRole = "cluster" | "node";

/** One security-group rule of the cluster, before ids are known. */
export interface SgRuleSpec {
    /** Logical name suffix of the rule resource. */
    part: string;
    /** Group the rule is on. */
    on: ClusterSgRole;
    /** Ingress or egress. */
    direction: "ingress" | "egress";
    /** Peer: the other group, the same group, the VPC CIDR, or the internet (egress only). */
    peer: ClusterSgRole | "vpc" | "internet";
    /** IP protocol (`tcp`, `udp`, `-1`). */
    protocol: string;
    /** First port (omitted for protocol -1). */
    fromPort?: number;
    /** Last port (omitted for protocol -1). */
    toPort?: number;
    /** Why the rule exists. */
    description: string;
}

/**
 * The rules of the cluster and node security groups (the EKS-documented minimum, as terraform-aws-eks
 * applies it). No ingress from outside the VPC; the only internet-bound rule is node egress on 443 (AWS
 * APIs, ECR, image registries through the NAT gateways). Pure.
 */
export function clusterSecurityGroupRules(): SgRuleSpec[] {
    return [
        { part: "cluster-in-https-nodes", on: "cluster", direction: "ingress", peer: "node", protocol: "tcp", fromPort: 443, toPort: 443, description: "Nodes and pods to the Kubernetes API" },
        { part: "cluster-out-https-nodes", on: "cluster", direction: "egress", peer: "node", protocol: "tcp", fromPort: 443, toPort: 443, description: "Control plane to admission webhooks on 443" },
        { part: "cluster-out-ephemeral-nodes", on: "cluster", direction: "egress", peer: "node", protocol: "tcp", fromPort: 1025, toPort: 65535, description: "Control plane to kubelets (10250) and extension API servers/webhooks" },
        { part: "node-in-https-cluster", on: "node", direction: "ingress", peer: "cluster", protocol: "tcp", fromPort: 443, toPort: 443, description: "Control plane to admission webhooks on 443" },
        { part: "node-in-ephemeral-cluster", on: "node", direction: "ingress", peer: "cluster", protocol: "tcp", fromPort: 1025, toPort: 65535, description: "Control plane to kubelets (10250) and extension API servers/webhooks" },
        { part: "node-in-self", on: "node", direction: "ingress", peer: "node", protocol: "-1", description: "Node to node and pod to pod (VPC CNI pods share the node security group)" },
        { part: "node-out-self", on: "node", direction: "egress", peer: "node", protocol: "-1", description: "Node to node and pod to pod" },
        { part: "node-out-https-cluster", on: "node", direction: "egress", peer: "cluster", protocol: "tcp", fromPort: 443, toPort: 443, description: "Nodes and pods to the Kubernetes API" },
        { part: "node-out-vpc", on: "node", direction: "egress", peer: "vpc", protocol: "-1", description: "Pods to data-tier services and the VPC DNS resolver inside the VPC" },
        { part: "node-out-https-internet", on: "node", direction: "egress", peer: "internet", protocol: "tcp", fromPort: 443, toPort: 443, description: "AWS APIs, ECR and image registries over HTTPS through NAT" },
    ];
}

/** The two security groups and their rules, created as children of a component. */
export interface ClusterSecurityGroups {
    /** Security group attached to the control-plane ENIs. */
    cluster: aws.ec2.SecurityGroup;
    /** Security group of every node (and, with the VPC CNI, of every pod). */
    node: aws.ec2.SecurityGroup;
}

/** Declares the cluster and node security groups with the rules of {@link clusterSecurityGroupRules}. */
export function createClusterSecurityGroups(
    name: (part: string) => string,
    tags: (part: string) => Record<string, string>,
    opts: pulumi.CustomResourceOptions,
    args: { vpcId: pulumi.Input<string>; vpcCidrBlock: pulumi.Input<string>; clusterName: string },
    transform?: Transform<aws.ec2.SecurityGroupArgs>,
): ClusterSecurityGroups {
    const cluster = new aws.ec2.SecurityGroup(
        ...applyTransform(
            transform,
            name("cluster-sg"),
            { vpcId: args.vpcId, description: `EKS control plane of ${args.clusterName}`, revokeRulesOnDelete: true, tags: tags("cluster-sg") },
            opts,
        ),
    );
    const node = new aws.ec2.SecurityGroup(
        ...applyTransform(
            transform,
            name("node-sg"),
            {
                vpcId: args.vpcId,
                description: `EKS nodes and pods of ${args.clusterName}`,
                revokeRulesOnDelete: true,
                // The AWS Load Balancer Controller manages backend rules on the one group tagged for the cluster.
                tags: { ...tags("node-sg"), [`kubernetes.io/cluster/${args.clusterName}`]: "owned" },
            },
            opts,
        ),
    );
    const groups = { cluster, node };
    for (const r of clusterSecurityGroupRules()) {
        const peer: Record<string, pulumi.Input<string>> =
            r.peer === "vpc" ? { cidrIpv4: args.vpcCidrBlock } : r.peer === "internet" ? { cidrIpv4: "0.0.0.0/0" } : { referencedSecurityGroupId: groups[r.peer].id };
        const common = {
            securityGroupId: groups[r.on].id,
            ipProtocol: r.protocol,
            fromPort: r.fromPort,
            toPort: r.toPort,
            description: r.description,
            tags: tags(r.part),
            ...peer,
        };
        if (r.direction === "ingress") new aws.vpc.SecurityGroupIngressRule(name(r.part), common, opts);
        else new aws.vpc.SecurityGroupEgressRule(name(r.part), common, opts);
    }
    return groups;
}
