import { flowLogGroupName, flowLogKeyPolicy, flowLogRolePolicy, flowLogTrustPolicy } from "../../../components/network/documents";

const ctx = { partition: "aws", accountId: "123456789012", region: "eu-west-1", logGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:/groundwork/prod/network/vpc-flow-logs" };

describe("flow-log documents", () => {
    test("key policy: account root administers, CloudWatch Logs uses it only for this log group, no wildcard principal", () => {
        const doc = flowLogKeyPolicy(ctx);
        expect(doc.Statement.map((s) => s.Principal)).toEqual([{ AWS: "arn:aws:iam::123456789012:root" }, { Service: "logs.eu-west-1.amazonaws.com" }]);
        const logs = doc.Statement[1];
        expect(logs.Condition).toEqual({ ArnEquals: { "kms:EncryptionContext:aws:logs:arn": ctx.logGroupArn } });
        expect(logs.Action).not.toContain("kms:*");
        expect(JSON.stringify(doc)).not.toMatch(/"Principal":"\*"|"AWS":"\*"/);
    });

    test("trust policy: only vpc-flow-logs.amazonaws.com, pinned to the account and its flow logs", () => {
        expect(flowLogTrustPolicy(ctx)).toEqual({
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "VpcFlowLogsAssumeRole",
                    Effect: "Allow",
                    Principal: { Service: "vpc-flow-logs.amazonaws.com" },
                    Action: "sts:AssumeRole",
                    Condition: {
                        StringEquals: { "aws:SourceAccount": "123456789012" },
                        ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
                    },
                },
            ],
        });
    });

    test("role policy: writes only to the one log group; Resource * only for the unscopable DescribeLogGroups", () => {
        const doc = flowLogRolePolicy(ctx.logGroupArn);
        expect(doc.Statement[0]).toEqual({
            Sid: "WriteFlowLogGroup",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            Resource: [ctx.logGroupArn, `${ctx.logGroupArn}:log-stream:*`],
        });
        expect(doc.Statement[1]).toMatchObject({ Action: ["logs:DescribeLogGroups"], Resource: ["*"] });
        expect(JSON.stringify(doc)).not.toContain("CreateLogGroup");
    });

    test("log group name is fixed per project, stack and component", () => {
        expect(flowLogGroupName("groundwork", "prod", "network")).toBe("/groundwork/prod/network/vpc-flow-logs");
    });
});
