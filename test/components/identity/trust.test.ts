import { buildPolicyDocument, irsaTrustPolicy, podIdentityTrustPolicy, stripIssuerScheme } from "../../../components/identity";

const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789";
const PROVIDER = `arn:aws:iam::123456789012:oidc-provider/${ISSUER}`;

describe("irsaTrustPolicy", () => {
    it("pins :sub to the one service account and :aud to STS with StringEquals", () => {
        expect(irsaTrustPolicy({ oidcProviderArn: PROVIDER, oidcIssuer: ISSUER, namespace: "jobs", serviceAccount: "worker" })).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "ServiceAccountWebIdentity",
                    Effect: "Allow",
                    Principal: { Federated: PROVIDER },
                    Action: "sts:AssumeRoleWithWebIdentity",
                    Condition: {
                        StringEquals: {
                            [`${ISSUER}:sub`]: "system:serviceaccount:jobs:worker",
                            [`${ISSUER}:aud`]: "sts.amazonaws.com",
                        },
                    },
                },
            ],
        });
    });

    it("accepts the issuer with its https:// scheme and strips it from the condition keys", () => {
        const doc = irsaTrustPolicy({ oidcProviderArn: PROVIDER, oidcIssuer: `https://${ISSUER}`, namespace: "jobs", serviceAccount: "worker" });
        expect(Object.keys(doc.Statement[0].Condition.StringEquals)).toEqual([`${ISSUER}:sub`, `${ISSUER}:aud`]);
    });

    it.each([
        ["namespace", { namespace: "*", serviceAccount: "worker" }, "IRSA trust: namespace '*' is not a Kubernetes name (lower-case letters, digits and '-'; no wildcards). Fix: name one exact namespace."],
        ["service account", { namespace: "jobs", serviceAccount: "work*" }, "IRSA trust: serviceAccount 'work*' is not a Kubernetes name (lower-case letters, digits and '-'; no wildcards). Fix: name one exact serviceAccount."],
        ["empty namespace", { namespace: "", serviceAccount: "worker" }, "IRSA trust: namespace '' is not a Kubernetes name (lower-case letters, digits and '-'; no wildcards). Fix: name one exact namespace."],
    ])("refuses a wildcard or empty %s", (_l, names, message) => {
        expect(() => irsaTrustPolicy({ oidcProviderArn: PROVIDER, oidcIssuer: ISSUER, ...names })).toThrow(message);
    });

    it("refuses an empty issuer", () => {
        expect(() => irsaTrustPolicy({ oidcProviderArn: PROVIDER, oidcIssuer: "", namespace: "a", serviceAccount: "b" })).toThrow("IRSA trust: oidcIssuer '' is empty or has a wildcard");
    });
});

describe("podIdentityTrustPolicy", () => {
    it("trusts only pods.eks.amazonaws.com of this account, with AssumeRole and TagSession", () => {
        expect(podIdentityTrustPolicy("123456789012")).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "EksPodIdentity",
                    Effect: "Allow",
                    Principal: { Service: "pods.eks.amazonaws.com" },
                    Action: ["sts:AssumeRole", "sts:TagSession"],
                    Condition: { StringEquals: { "aws:SourceAccount": "123456789012" } },
                },
            ],
        });
    });
    it("refuses a malformed account id", () => {
        expect(() => podIdentityTrustPolicy("*")).toThrow("Pod Identity trust: account id '*' is not 12 digits");
    });
});

describe("stripIssuerScheme", () => {
    it.each([
        [`https://${ISSUER}`, ISSUER],
        [ISSUER, ISSUER],
    ])("%s -> %s", (input, out) => expect(stripIssuerScheme(input)).toBe(out));
});

describe("buildPolicyDocument (the grant builder)", () => {
    const QUEUE = "arn:aws:sqs:eu-west-1:123456789012:jobs";
    it("emits exactly the granted statements, in order, with exact ARNs", () => {
        expect(
            buildPolicyDocument([
                { sid: "JobsConsume", actions: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], resources: [QUEUE] },
                { sid: "WhoAmI", actions: ["sts:GetCallerIdentity"], resources: ["*"] },
            ]),
        ).toEqual({
            Version: "2012-10-17",
            Statement: [
                { Sid: "JobsConsume", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes"], Resource: [QUEUE] },
                { Sid: "WhoAmI", Effect: "Allow", Action: ["sts:GetCallerIdentity"], Resource: ["*"] },
            ],
        });
    });
    it("refuses Resource * on sqs:ReceiveMessage", () => {
        expect(() => buildPolicyDocument([{ sid: "JobsConsume", actions: ["sqs:ReceiveMessage"], resources: ["*"] }])).toThrow(
            "IAM statement 'JobsConsume': Resource '*' on scopable actions (sqs:ReceiveMessage). Fix: name the exact ARNs.",
        );
    });
    it("accepts * for every Cluster Autoscaler discovery action added to the allow-list", () => {
        const actions = ["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeAutoScalingInstances", "autoscaling:DescribeLaunchConfigurations", "autoscaling:DescribeScalingActivities", "autoscaling:DescribeTags", "ec2:DescribeLaunchTemplateVersions", "ec2:GetInstanceTypesFromInstanceRequirements"];
        expect(buildPolicyDocument([{ sid: "Discover", actions, resources: ["*"] }]).Statement[0].Resource).toEqual(["*"]);
    });
});
