import * as aws from "@pulumi/aws";
import { Cache, CacheArgs, Database, DatabaseArgs, Queue, QueueArgs } from "../../../components";
import { RecordingIdentity } from "../../support/grants";
import { evaluateGraph, mandatory } from "../../support/policy";
import { runPulumi } from "../../support/pulumi";

/**
 * The pack's findings without the alarm-coverage policy, which judges a whole stack: a lone component has no alarm
 * topic, so its database, cache, queues or distribution are rightly reported. test/components/observe shows the
 * component with its `alarms(topic)` passing the prod pack, alarm coverage included.
 */
const componentOnly = <T extends { policy: string }>(violations: T[]): T[] => violations.filter((v) => v.policy !== "aws-cloudwatch-metricalarm-enforce-coverage");

// The data tier as the recommended infra wiring declares it (report of issue 3): per-tier presets, a placeholder app
// security group, grants for the api and worker identities. Both tiers pass the pack with no mandatory violation.

type Preset = { database: Partial<DatabaseArgs>; cache: Partial<CacheArgs>; queue: QueueArgs; protect: boolean };
const PRESETS: Record<"dev" | "prod", Preset> = {
    dev: {
        protect: false,
        database: { instanceClass: "db.t4g.micro", allocatedStorage: 20, maxAllocatedStorage: 50, backupRetentionDays: 7, multiAz: false, deletionProtection: false, performanceInsights: false, monitoringIntervalSeconds: 0, logRetentionDays: 30 },
        cache: { nodeType: "cache.t4g.micro", highAvailability: false, snapshotRetentionDays: 1, logRetentionDays: 30 },
        queue: { maxProcessingSeconds: 60, maxReceiveCount: 5 },
    },
    prod: {
        protect: true,
        database: { instanceClass: "db.m7g.large", allocatedStorage: 50, maxAllocatedStorage: 500, backupRetentionDays: 14, multiAz: true, deletionProtection: true, performanceInsights: true, monitoringIntervalSeconds: 60, logRetentionDays: 365 },
        cache: { nodeType: "cache.m7g.large", highAvailability: true, snapshotRetentionDays: 7, logRetentionDays: 365 },
        queue: { maxProcessingSeconds: 60, maxReceiveCount: 5 },
    },
};

describe.each(["dev", "prod"] as const)("data tier, %s", (tier) => {
    it("raises no mandatory violation and grants only exact ARNs", async () => {
        const p = PRESETS[tier];
        const api = new RecordingIdentity();
        const worker = new RecordingIdentity("worker-");
        const g = await runPulumi(() => {
            const vpcId = "vpc-0abc";
            const isolated = ["subnet-iso-a", "subnet-iso-b", "subnet-iso-c"];
            const app = new aws.ec2.SecurityGroup("app-placeholder", { vpcId, description: "App pods (placeholder until the cluster exists)" });
            const net = { vpcId, subnetIds: isolated, allowedSecurityGroupIds: [app.id] };
            const db = new Database("db", { ...net, ...p.database, protect: p.protect });
            const cache = new Cache("cache", { ...net, ...p.cache, protect: p.protect });
            const jobs = new Queue("jobs", p.queue);
            db.grantConnect(api, "app");
            cache.grantConnect(api);
            jobs.grantSend(api);
            db.grantConnect(worker, "app");
            jobs.grantConsume(worker);
        }, { stack: tier });
        expect(mandatory(componentOnly(await evaluateGraph(g, { tier })))).toEqual([]);
        // every grant policy names concrete ARNs, never "*"
        for (const r of g.byType("aws:iam/rolePolicy:RolePolicy")) {
            for (const s of JSON.parse(r.inputs.policy).Statement) expect(s.Resource).not.toContain("*");
        }
        expect([...api.grants, ...worker.grants]).toEqual(["db-connect-app", "cache-connect", "jobs-send", "db-connect-app", "jobs-consume"]);
    });
});
