import { LOG_RETENTION_DAYS, statefulOptions } from "../../../components/base";
import { CDN_LOG_RETENTION_DAYS } from "../../../components/cdn/args";
import { EKS_LOG_RETENTION_DAYS } from "../../../components/cluster/cluster";
import { autoscalingServiceRoleArn, clusterKeyPolicy } from "../../../components/cluster/keyPolicy";
import { LOG_RETENTION_DAYS as NETWORK_LOG_RETENTION_DAYS } from "../../../components/network/args";
import { flowLogKeyPolicy } from "../../../components/network/documents";
import { KMS_SERVICE_ACTIONS, kmsKeyPolicy } from "../../../components/secrets/kmsKey";

describe("statefulOptions", () => {
    it("protects and retains a stateful child when protect is on", () => {
        expect(statefulOptions(true)).toEqual({ protect: true, retainOnDelete: true });
    });

    it("sets nothing when protect is off, so a protect inherited from the component still applies", () => {
        expect(statefulOptions(false)).toEqual({});
    });
});

describe("one list of CloudWatch Logs retention values", () => {
    it("is the list CloudWatch accepts, without 0 (never expire)", () => {
        expect(LOG_RETENTION_DAYS).toEqual([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]);
    });

    it("is the same array under every older name (no copy to drift)", () => {
        expect(NETWORK_LOG_RETENTION_DAYS).toBe(LOG_RETENTION_DAYS);
        expect(CDN_LOG_RETENTION_DAYS).toBe(LOG_RETENTION_DAYS);
        expect(EKS_LOG_RETENTION_DAYS).toBe(LOG_RETENTION_DAYS);
    });
});

describe("one list of KMS key-use actions", () => {
    const ctx = { partition: "aws", accountId: "123456789012", region: "eu-west-1" };

    it("is data-key use only, no administration", () => {
        expect([...KMS_SERVICE_ACTIONS].sort()).toEqual(
            ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:ReEncryptFrom", "kms:ReEncryptTo"].sort(),
        );
        expect(KMS_SERVICE_ACTIONS.some((a) => /Create|Delete|Put|Schedule|Disable|\*/.test(a))).toBe(false);
    });

    it("is what the cluster, flow-log and KmsKey policies grant for key use", () => {
        const cluster = clusterKeyPolicy({ ...ctx, logGroupName: "/aws/eks/c/cluster" }).Statement as { Sid: string; Action: unknown }[];
        expect(cluster.find((s) => s.Sid === "CloudWatchLogsControlPlaneLogGroup")!.Action).toEqual([...KMS_SERVICE_ACTIONS]);
        expect(cluster.find((s) => s.Sid === "AutoScalingEncryptsNodeVolumes")!.Action).toEqual([...KMS_SERVICE_ACTIONS]);
        const flow = flowLogKeyPolicy({ ...ctx, logGroupArn: "arn:aws:logs:eu-west-1:123456789012:log-group:g" }).Statement;
        expect(flow.filter((s) => "Service" in s.Principal).map((s) => s.Action)).toEqual([[...KMS_SERVICE_ACTIONS]]);
        const kms = kmsKeyPolicy(ctx, [{ service: "sns.amazonaws.com" }], true).Statement;
        expect(kms.slice(1).map((s) => s.Action)).toEqual([[...KMS_SERVICE_ACTIONS], [...KMS_SERVICE_ACTIONS]]);
        expect(autoscalingServiceRoleArn("aws", "123456789012")).toContain("AWSServiceRoleForAutoScaling");
    });
});
