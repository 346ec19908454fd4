/**
 * Least-privilege IAM statements of the cluster controllers, as pure builders (tested document by document).
 *
 * Three kinds of `Resource` appear, and only these:
 * - exact ARNs of resources the stack declares (node security group, VPC, node groups, queues);
 * - `*` for actions on the `UNSCOPABLE_ACTIONS` allow-list (Describe/List calls IAM cannot scope);
 * - ARN patterns pinned to this partition/region/account **and** a `StringEquals` tag condition naming this
 *   cluster (`aws:ResourceTag/...` or `aws:RequestTag/...`), for resources the controller creates itself
 *   (load balancers, target groups, their security groups) or that EKS creates (node-group Auto Scaling
 *   groups). The controller can only touch what carries this cluster's tag.
 */
import * as pulumi from "@pulumi/pulumi";
import { StatementInput } from "../identity/statements";

/** Account facts the builders need (outputs or plain strings). */
export interface AccountFacts {
    /** AWS partition. */
    partition: pulumi.Input<string>;
    /** Region. */
    region: pulumi.Input<string>;
    /** Account id. */
    accountId: pulumi.Input<string>;
}

function arn(f: AccountFacts, service: string, resource: string): pulumi.Output<string> {
    return pulumi.interpolate`arn:${f.partition}:${service}:${f.region}:${f.accountId}:${resource}`;
}

/** Tag the AWS Load Balancer Controller puts on everything it creates; its value is the cluster name. */
export const LBC_CLUSTER_TAG = "elbv2.k8s.aws/cluster";

/**
 * Tag of a target group the program owns and the controller fills through a `TargetGroupBinding` (`LoadBalancer`):
 * its value is the cluster's name. The controller may register and deregister targets in such a group, nothing more.
 */
export const TARGET_GROUP_BINDING_TAG = "groundwork.dev/target-group-binding";

/** What {@link loadBalancerControllerStatements} needs. */
export interface LoadBalancerControllerPolicyInput extends AccountFacts {
    /** EKS cluster name (tag value). */
    clusterName: string;
    /** ARN of the VPC the controller creates security groups in. */
    vpcArn: pulumi.Input<string>;
    /** ARN of the node security group (the controller adds backend rules to it). */
    nodeSecurityGroupArn: pulumi.Input<string>;
}

/**
 * The AWS Load Balancer Controller's permissions: AWS's published policy (v2.x `iam_policy.json`) narrowed.
 * Dropped: `iam:CreateServiceLinkedRole` (the ELB service-linked role exists once any load balancer was
 * created; create it once per account otherwise), WAF Classic/WAFv2/Shield (turned off in the chart values),
 * Cognito. Unconditioned `Resource: "*"` grants of the published policy (CreateSecurityGroup, listener and
 * rule changes, Register/DeregisterTargets, backend security-group rules) are pinned to the VPC, the node
 * security group, or this cluster's tag.
 */
export function loadBalancerControllerStatements(i: LoadBalancerControllerPolicyInput): StatementInput[] {
    // Not granted: certificate discovery (acm:ListCertificates/DescribeCertificate, iam:*ServerCertificate*), since
    // the Service component's Ingresses always name their certificate (alb.ingress.kubernetes.io/certificate-arn),
    // and Outposts customer-owned IP pools (ec2:DescribeCoipPools/GetCoipPoolUsage), which the platform never uses.
    const ownTag = { [`aws:ResourceTag/${LBC_CLUSTER_TAG}`]: i.clusterName };
    const requestTag = { [`aws:RequestTag/${LBC_CLUSTER_TAG}`]: i.clusterName };
    const securityGroups = arn(i, "ec2", "security-group/*");
    const loadBalancers = [arn(i, "elasticloadbalancing", "loadbalancer/app/*/*"), arn(i, "elasticloadbalancing", "loadbalancer/net/*/*")];
    const targetGroups = arn(i, "elasticloadbalancing", "targetgroup/*/*");
    const listeners = [
        arn(i, "elasticloadbalancing", "listener/app/*/*/*"),
        arn(i, "elasticloadbalancing", "listener/net/*/*/*"),
        arn(i, "elasticloadbalancing", "listener-rule/app/*/*/*/*"),
        arn(i, "elasticloadbalancing", "listener-rule/net/*/*/*/*"),
    ];
    return [
        {
            sid: "Discover",
            actions: [
                "ec2:DescribeAccountAttributes",
                "ec2:DescribeAddresses",
                "ec2:DescribeAvailabilityZones",
                "ec2:DescribeInternetGateways",
                "ec2:DescribeVpcs",
                "ec2:DescribeVpcPeeringConnections",
                "ec2:DescribeSubnets",
                "ec2:DescribeSecurityGroups",
                "ec2:DescribeInstances",
                "ec2:DescribeNetworkInterfaces",
                "ec2:DescribeTags",
                "ec2:DescribeRouteTables",
                "ec2:DescribeIpamPools",
                "elasticloadbalancing:DescribeLoadBalancers",
                "elasticloadbalancing:DescribeLoadBalancerAttributes",
                "elasticloadbalancing:DescribeListeners",
                "elasticloadbalancing:DescribeListenerCertificates",
                "elasticloadbalancing:DescribeListenerAttributes",
                "elasticloadbalancing:DescribeSSLPolicies",
                "elasticloadbalancing:DescribeRules",
                "elasticloadbalancing:DescribeTargetGroups",
                "elasticloadbalancing:DescribeTargetGroupAttributes",
                "elasticloadbalancing:DescribeTargetHealth",
                "elasticloadbalancing:DescribeTags",
                "elasticloadbalancing:DescribeTrustStores",
                "elasticloadbalancing:DescribeCapacityReservation",
            ],
            resources: ["*"],
        },
        // A read IAM can scope (Service Authorization Reference: resource type vpc), on the cluster's VPC.
        { sid: "DiscoverVpcSecurityGroups", actions: ["ec2:GetSecurityGroupsForVpc"], resources: [i.vpcArn] },
        { sid: "BackendRulesOnNodeGroup", actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"], resources: [i.nodeSecurityGroupArn] },
        { sid: "CreateSecurityGroupInVpc", actions: ["ec2:CreateSecurityGroup"], resources: [i.vpcArn] },
        { sid: "CreateTaggedSecurityGroup", actions: ["ec2:CreateSecurityGroup"], resources: [securityGroups], condition: { StringEquals: requestTag } },
        {
            sid: "TagSecurityGroupOnCreate",
            actions: ["ec2:CreateTags"],
            resources: [securityGroups],
            condition: { StringEquals: { "ec2:CreateAction": "CreateSecurityGroup", ...requestTag } },
        },
        {
            sid: "ManageOwnSecurityGroups",
            actions: ["ec2:CreateTags", "ec2:DeleteTags", "ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
            resources: [securityGroups],
            condition: { StringEquals: ownTag },
        },
        {
            sid: "CreateTaggedLoadBalancers",
            actions: ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
            resources: [...loadBalancers, targetGroups],
            condition: { StringEquals: requestTag },
        },
        {
            sid: "TagOnCreate",
            actions: ["elasticloadbalancing:AddTags"],
            resources: [...loadBalancers, targetGroups, ...listeners],
            condition: {
                StringEquals: {
                    "elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer", "CreateListener", "CreateRule"],
                    ...requestTag,
                },
            },
        },
        {
            sid: "ManageOwnLoadBalancers",
            actions: [
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:RemoveTags",
                "elasticloadbalancing:ModifyLoadBalancerAttributes",
                "elasticloadbalancing:SetIpAddressType",
                "elasticloadbalancing:SetSecurityGroups",
                "elasticloadbalancing:SetSubnets",
                "elasticloadbalancing:DeleteLoadBalancer",
                "elasticloadbalancing:ModifyTargetGroup",
                "elasticloadbalancing:ModifyTargetGroupAttributes",
                "elasticloadbalancing:DeleteTargetGroup",
                "elasticloadbalancing:RegisterTargets",
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:CreateListener",
                "elasticloadbalancing:ModifyCapacityReservation",
                "elasticloadbalancing:ModifyIpPools",
            ],
            resources: [...loadBalancers, targetGroups],
            condition: { StringEquals: ownTag },
        },
        {
            // Target groups a LoadBalancer component owns: the controller only moves pods in and out of them.
            sid: "RegisterIntoBoundTargetGroups",
            actions: ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
            resources: [targetGroups],
            condition: { StringEquals: { [`aws:ResourceTag/${TARGET_GROUP_BINDING_TAG}`]: i.clusterName } },
        },
        {
            sid: "ManageOwnListeners",
            actions: [
                "elasticloadbalancing:AddTags",
                "elasticloadbalancing:RemoveTags",
                "elasticloadbalancing:ModifyListener",
                "elasticloadbalancing:ModifyListenerAttributes",
                "elasticloadbalancing:DeleteListener",
                "elasticloadbalancing:AddListenerCertificates",
                "elasticloadbalancing:RemoveListenerCertificates",
                "elasticloadbalancing:CreateRule",
                "elasticloadbalancing:ModifyRule",
                "elasticloadbalancing:DeleteRule",
                "elasticloadbalancing:SetRulePriorities",
            ],
            resources: listeners,
            condition: { StringEquals: ownTag },
        },
    ];
}

/** What {@link clusterAutoscalerStatements} needs. */
export interface ClusterAutoscalerPolicyInput extends AccountFacts {
    /** EKS cluster name (EKS tags node-group ASGs `k8s.io/cluster-autoscaler/<name>: owned`). */
    clusterName: string;
    /** ARNs of the managed node groups. */
    nodeGroupArns: pulumi.Input<string>[];
}

/**
 * Cluster Autoscaler's permissions (its documented minimal policy): discovery on `*` (unscopable), describe
 * of the cluster's node groups by ARN, and scaling only of Auto Scaling groups tagged as owned by this cluster.
 */
export function clusterAutoscalerStatements(i: ClusterAutoscalerPolicyInput): StatementInput[] {
    return [
        {
            sid: "Discover",
            actions: [
                "autoscaling:DescribeAutoScalingGroups",
                "autoscaling:DescribeAutoScalingInstances",
                "autoscaling:DescribeLaunchConfigurations",
                "autoscaling:DescribeScalingActivities",
                "autoscaling:DescribeTags",
                "ec2:DescribeImages",
                "ec2:DescribeInstanceTypes",
                "ec2:DescribeLaunchTemplateVersions",
                "ec2:GetInstanceTypesFromInstanceRequirements",
            ],
            resources: ["*"],
        },
        { sid: "DescribeNodeGroups", actions: ["eks:DescribeNodegroup"], resources: [...i.nodeGroupArns] },
        {
            sid: "ScaleOwnNodeGroups",
            actions: ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
            resources: [arn(i, "autoscaling", "autoScalingGroup:*:autoScalingGroupName/*")],
            condition: { StringEquals: { [`aws:ResourceTag/k8s.io/cluster-autoscaler/${i.clusterName}`]: "owned" } },
        },
    ];
}

/** KEDA operator's permissions: read the depth of the given queues only. */
export function kedaOperatorStatements(queueArns: pulumi.Input<string>[]): StatementInput[] {
    return queueArns.length === 0 ? [] : [{ sid: "ReadQueueDepth", actions: ["sqs:GetQueueAttributes"], resources: [...queueArns] }];
}
