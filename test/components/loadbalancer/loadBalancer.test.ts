import { LISTENER_SSL_POLICY, LoadBalancer, LoadBalancerArgs, loadBalancerAlarmSpecs, resolveLoadBalancerArgs } from "../../../components/loadbalancer";
import { TARGET_GROUP_BINDING_TAG } from "../../../components/cluster/controllerPolicies";
import { AlertTopic } from "../../../components/observe";
import { evaluateGraph } from "../../support/policy";
import { runPulumi } from "../../support/pulumi";

const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000";
const args: LoadBalancerArgs = {
    vpcId: "vpc-0123",
    subnetIds: ["subnet-a", "subnet-b"],
    scheme: "internet-facing",
    clientSecurityGroupIds: ["sg-clients"],
    certificateArn: CERT,
    host: "api-origin.example.com",
    requiredHeader: { name: "X-Origin-Verify", value: "s3cr3t" },
    targetPort: 8080,
    healthCheckPath: "/readyz",
    targetSecurityGroupId: "sg-nodes",
    bindingClusterName: "groundwork-prod",
};

describe("resolveLoadBalancerArgs", () => {
    it("applies the defaults: internal, deletion protection, health check on the target port", () => {
        expect(resolveLoadBalancerArgs("api", { ...args, scheme: undefined, healthCheckPath: undefined })).toEqual({
            scheme: "internal",
            targetProtocol: "HTTPS",
            healthCheckPath: "/",
            healthCheckPort: 8080,
            deletionProtection: true,
            idleTimeoutSeconds: 60,
            deregistrationDelaySeconds: 30,
            target5xxPerMinute: 5,
            p99ResponseSeconds: 1,
        });
    });

    it.each<[string, Partial<LoadBalancerArgs>, string]>([
        ["subnetIds", { subnetIds: ["subnet-a"] }, "at least two Availability Zones"],
        ["clientSecurityGroupIds", { clientSecurityGroupIds: [] }, "nobody could reach the listener"],
        ["host", { host: "Not A Host" }, "is not a host name"],
        ["certificateArn", { certificateArn: "" }, "HTTPS only"],
        ["certificateArn", { certificateArn: "arn:aws:iam::123456789012:server-certificate/x" }, "is not an ACM certificate ARN"],
        ["targetPort", { targetPort: 70000 }, "is not a port"],
        ["healthCheckPath", { healthCheckPath: "readyz" }, "is not an absolute path"],
        ["bindingClusterName", { bindingClusterName: "" }, "no controller may register the pods"],
        ["requiredHeader.name", { requiredHeader: { name: "", value: "v" } }, "no header name"],
        ["idleTimeoutSeconds", { idleTimeoutSeconds: 0 }, "out of range"],
        ["alarmThresholds.p99ResponseSeconds", { alarmThresholds: { p99ResponseSeconds: 0 } }, "is not a duration"],
        ["targetProtocol", { targetProtocol: "HTTP" }, "in plaintext, and no plaintextTargetsReason"],
        ["targetProtocol", { targetProtocol: "HTTP", plaintextTargetsReason: "legacy" }, "in plaintext, and no plaintextTargetsReason"],
        ["targetProtocol", { targetProtocol: "TCP" as never }, "is not a protocol"],
        ["plaintextTargetsReason", { plaintextTargetsReason: "the targets serve plain HTTP only" }, "no plaintext to explain"],
    ])("refuses a bad %s, naming it and the fix", (field, bad, problem) => {
        expect(() => resolveLoadBalancerArgs("api", { ...args, ...bad })).toThrow(new RegExp(`LoadBalancer 'api'.*invalid '${field.replace(/\./g, "\\.")}'.*${problem}.*Fix: `));
    });

    it("refuses bad args before declaring any resource", async () => {
        let declared = 0;
        await expect(
            runPulumi(() => {
                new LoadBalancer("api", { ...args, subnetIds: ["only-one"] });
                declared++;
            }),
        ).rejects.toThrow(/subnetIds/);
        expect(declared).toBe(0);
    });
});

describe("LoadBalancer", () => {
    it("HTTPS only with a TLS 1.2+ policy, invalid headers dropped, deletion protection, one rule forwarding the host with the header", async () => {
        const g = await runPulumi(() => new LoadBalancer("api", args));
        const lb = g.one("aws:lb/loadBalancer:LoadBalancer");
        expect(lb.inputs).toMatchObject({ loadBalancerType: "application", internal: false, dropInvalidHeaderFields: true, enableDeletionProtection: true, desyncMitigationMode: "strictest", subnets: ["subnet-a", "subnet-b"] });
        const own = g.one("aws:ec2/securityGroup:SecurityGroup").outputs.id;
        expect(lb.inputs.securityGroups).toEqual(["sg-clients", own]);
        const listeners = g.byType("aws:lb/listener:Listener");
        expect(listeners).toHaveLength(1);
        expect(listeners[0].inputs).toMatchObject({ port: 443, protocol: "HTTPS", sslPolicy: LISTENER_SSL_POLICY, certificateArn: CERT });
        // Nothing is forwarded by default: another host, or a request without the header, gets 404.
        expect(listeners[0].inputs.defaultActions).toEqual([expect.objectContaining({ type: "fixed-response", fixedResponse: expect.objectContaining({ statusCode: "404" }) })]);
        const rule = g.one("aws:lb/listenerRule:ListenerRule");
        const tg = g.one("aws:lb/targetGroup:TargetGroup");
        expect(rule.inputs.actions).toEqual([expect.objectContaining({ type: "forward", targetGroupArn: tg.outputs.arn })]);
        expect(rule.inputs.conditions[0]).toMatchObject({ hostHeader: { values: ["api-origin.example.com"] } });
        // The header's value is the origin secret: the plan records it only as a secret.
        expect(rule.inputs.conditions[1].httpHeader.httpHeaderName).toBe("X-Origin-Verify");
        expect(JSON.stringify(rule.inputs)).not.toContain("s3cr3t");
    });

    it("an IP target group reached over HTTPS and checked over HTTPS on the readiness path, tagged so only the bound cluster's controller registers pods in it", async () => {
        const g = await runPulumi(() => new LoadBalancer("api", args));
        const tg = g.one("aws:lb/targetGroup:TargetGroup").inputs;
        expect(tg).toMatchObject({ targetType: "ip", port: 8080, protocol: "HTTPS", vpcId: "vpc-0123", healthCheck: { enabled: true, path: "/readyz", port: "8080", protocol: "HTTPS", matcher: "200" } });
        expect(tg.tags[TARGET_GROUP_BINDING_TAG]).toBe("groundwork-prod");
        expect(Object.keys(tg.tags).filter((k) => k.startsWith("exempt."))).toEqual([]);
    });

    it("plaintext to the targets only with a reason, which becomes the target group's exemption from the TLS rule", async () => {
        const reason = "targets are a legacy fleet without TLS, retired in Q3";
        const g = await runPulumi(() => new LoadBalancer("api", { ...args, targetProtocol: "HTTP", plaintextTargetsReason: reason }));
        const tg = g.one("aws:lb/targetGroup:TargetGroup").inputs;
        expect(tg).toMatchObject({ protocol: "HTTP", healthCheck: { protocol: "HTTP" } });
        expect(tg.tags["exempt.groundwork.dev/aws-lb-targetgroup-enforce-tls"]).toBe(reason);
    });

    it("its own security group reaches only the targets' group, on the target and health ports, and that group admits only it", async () => {
        const g = await runPulumi(() => new LoadBalancer("api", { ...args, healthCheckPort: 9090 }));
        const own = g.one("aws:ec2/securityGroup:SecurityGroup").outputs.id;
        const egress = g.byType("aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").map((r) => r.inputs);
        const ingress = g.byType("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").map((r) => r.inputs);
        expect(egress.map((r) => [r.securityGroupId, r.referencedSecurityGroupId, r.fromPort, r.toPort])).toEqual([
            [own, "sg-nodes", 8080, 8080],
            [own, "sg-nodes", 9090, 9090],
        ]);
        expect(ingress.map((r) => [r.securityGroupId, r.referencedSecurityGroupId, r.fromPort, r.toPort])).toEqual([
            ["sg-nodes", own, 8080, 8080],
            ["sg-nodes", own, 9090, 9090],
        ]);
        for (const r of [...egress, ...ingress]) expect(r.cidrIpv4).toBeUndefined();
    });

    it("its defaults pass the prod security pack, alarm coverage included once its alarms notify a topic", async () => {
        const g = await runPulumi(() => new LoadBalancer("api", args).alarms(new AlertTopic("alerts")), { stack: "prod" });
        expect(await evaluateGraph(g, { tier: "prod" })).toEqual([]);
    });

    it("without alarms, the prod pack reports the load balancer as unwatched", async () => {
        const g = await runPulumi(() => new LoadBalancer("api", args), { stack: "prod" });
        const found = (await evaluateGraph(g, { tier: "prod" })).filter((v) => v.policy === "aws-cloudwatch-metricalarm-enforce-coverage");
        expect(found).toHaveLength(1);
        expect(found[0].message).toMatch(/load balancer/);
    });
});

describe("LoadBalancer alarms", () => {
    it("target 5xx, p99 and unhealthy targets on the load balancer's and target group's ARN suffixes, notifying the topic", async () => {
        const g = await runPulumi(() => new LoadBalancer("api", { ...args, alarmThresholds: { p99ResponseSeconds: 0.5, target5xxPerMinute: 20 } }).alarms(new AlertTopic("alerts")));
        const lb = g.one("aws:lb/loadBalancer:LoadBalancer").outputs;
        const tg = g.one("aws:lb/targetGroup:TargetGroup").outputs;
        const topic = g.one("aws:sns/topic:Topic").outputs.arn;
        const alarm = (part: string) => g.one("aws:cloudwatch/metricAlarm:MetricAlarm", `api-alarm-${part}`).inputs;
        expect(lb.arnSuffix).toMatch(/^app\/api-alb-[0-9a-f]+\/[0-9a-f]{16}$/);
        expect(alarm("target-5xx")).toMatchObject({ namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: { LoadBalancer: lb.arnSuffix }, threshold: 20 });
        expect(alarm("p99-latency")).toMatchObject({ metricName: "TargetResponseTime", extendedStatistic: "p99", threshold: 0.5 });
        expect(alarm("unhealthy-targets")).toMatchObject({ metricName: "UnHealthyHostCount", dimensions: { LoadBalancer: lb.arnSuffix, TargetGroup: tg.arnSuffix } });
        expect(alarm("no-healthy-targets")).toMatchObject({ metricName: "HealthyHostCount", comparisonOperator: "LessThanThreshold", threshold: 1, treatMissingData: "breaching" });
        for (const a of g.byType("aws:cloudwatch/metricAlarm:MetricAlarm")) expect(a.inputs).toMatchObject({ alarmActions: [topic], okActions: [topic] });
    });

    it("each alarm says what to check first", () => {
        for (const s of loadBalancerAlarmSpecs({ loadBalancer: "app/x/1", targetGroup: "targetgroup/x/1", target5xxPerMinute: 5, p99ResponseSeconds: 1 })) {
            expect(s.description).toMatch(/Check first: /);
        }
    });
});
