import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { EXEMPTION_PREFIX } from "@groundwork/policy-kit/facts";
import { applyTransform, GroundworkComponent } from "../base";
import { TARGET_GROUP_BINDING_TAG } from "../cluster/controllerPolicies";
import { declareAlarms, type AlarmOptions, type AlarmSpec, type AlarmTarget, type Observable } from "../observe/alarms";
import { LISTENER_SSL_POLICY, resolveLoadBalancerArgs, type LoadBalancerArgs } from "./args";
import { loadBalancerAlarmSpecs, type LoadBalancerAlarmInput } from "./alarms";

/**
 * An application load balancer the program owns, in front of one workload's pods: HTTPS only (TLS 1.2+) from clients
 * and HTTPS to the targets (health checks too), invalid
 * header fields dropped, deletion protection, and one rule that forwards requests for `host` (carrying
 * `requiredHeader` when given) to an IP target group; everything else gets 404. The pods are registered by the AWS
 * Load Balancer Controller through a `TargetGroupBinding` (`Service`'s `targetGroup`), so the controller creates no
 * load balancer, and the program knows its ARN: its alarms ({@link alarmSpecs}) and the packs see it.
 *
 * Its own security group allows only egress to `targetSecurityGroupId` on the target and health-check ports, and that
 * group admits it on those ports. Type token `groundwork:loadbalancer:LoadBalancer`.
 */
export class LoadBalancer extends GroundworkComponent implements Observable {
    /** ARN of the load balancer. */
    public readonly arn: pulumi.Output<string>;
    /** ARN suffix of the load balancer (`app/<name>/<id>`), the `LoadBalancer` dimension of its metrics. */
    public readonly arnSuffix: pulumi.Output<string>;
    /** DNS name of the load balancer: the target of the `host`'s DNS record. */
    public readonly dnsName: pulumi.Output<string>;
    /** Route 53 hosted zone of the load balancer's DNS name, for an alias record. */
    public readonly zoneId: pulumi.Output<string>;
    /** ARN of the IP target group the pods are registered in (`Service`'s `targetGroup.arn`). */
    public readonly targetGroupArn: pulumi.Output<string>;
    /** ARN of the HTTPS listener. */
    public readonly listenerArn: pulumi.Output<string>;
    /** Id of the load balancer's own security group (egress to the targets only). */
    public readonly securityGroupId: pulumi.Output<string>;
    /** Host name the forwarding rule matches. */
    public readonly host: string;
    private readonly alarmInput: LoadBalancerAlarmInput;

    constructor(name: string, args: LoadBalancerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("loadbalancer", "LoadBalancer", name, args, opts);
        const r = resolveLoadBalancerArgs(name, args);
        const t = args.transform ?? {};
        const ports = [...new Set([args.targetPort, r.healthCheckPort])].sort((a, b) => a - b);

        const sg = new aws.ec2.SecurityGroup(
            ...applyTransform(
                t.securityGroup,
                this.childName("to-targets"),
                { vpcId: args.vpcId, description: `Load balancer ${name}: to its targets on ${ports.join(", ")} only`, tags: this.childTags("to-targets") },
                this.childOpts(),
            ),
        );
        for (const port of ports) {
            new aws.vpc.SecurityGroupEgressRule(
                this.childName(`egress-${port}`),
                { securityGroupId: sg.id, referencedSecurityGroupId: args.targetSecurityGroupId, ipProtocol: "tcp", fromPort: port, toPort: port, description: `To the targets on ${port}`, tags: this.childTags(`egress-${port}`) },
                this.childOpts(),
            );
            new aws.vpc.SecurityGroupIngressRule(
                this.childName(`targets-${port}`),
                { securityGroupId: args.targetSecurityGroupId, referencedSecurityGroupId: sg.id, ipProtocol: "tcp", fromPort: port, toPort: port, description: `From load balancer ${name} on ${port}`, tags: this.childTags(`targets-${port}`) },
                this.childOpts(),
            );
        }

        const lb = new aws.lb.LoadBalancer(
            ...applyTransform(
                t.loadBalancer,
                this.childName("alb"),
                {
                    loadBalancerType: "application",
                    internal: r.scheme === "internal",
                    subnets: args.subnetIds,
                    securityGroups: [...args.clientSecurityGroupIds, sg.id],
                    // Requests with header names that are not valid HTTP are dropped, not forwarded (request smuggling).
                    dropInvalidHeaderFields: true,
                    desyncMitigationMode: "strictest",
                    enableDeletionProtection: r.deletionProtection,
                    idleTimeout: r.idleTimeoutSeconds,
                    tags: this.childTags("alb"),
                },
                this.childOpts(),
            ),
        );
        const tg = new aws.lb.TargetGroup(
            ...applyTransform(
                t.targetGroup,
                this.childName("targets"),
                {
                    vpcId: args.vpcId,
                    targetType: "ip",
                    port: args.targetPort,
                    protocol: r.targetProtocol,
                    deregistrationDelay: r.deregistrationDelaySeconds,
                    healthCheck: {
                        enabled: true,
                        path: r.healthCheckPath,
                        port: String(r.healthCheckPort),
                        protocol: r.targetProtocol,
                        matcher: "200",
                        interval: 10,
                        timeout: 5,
                        healthyThreshold: 2,
                        unhealthyThreshold: 2,
                    },
                    // The controller's role may register targets only in groups carrying this tag (Cluster's add-ons).
                    tags: {
                        ...this.childTags("targets"),
                        [TARGET_GROUP_BINDING_TAG]: args.bindingClusterName,
                        ...(r.targetProtocol === "HTTP" ? { [`${EXEMPTION_PREFIX}aws-lb-targetgroup-enforce-tls`]: args.plaintextTargetsReason!.trim() } : {}),
                    },
                },
                this.childOpts(),
            ),
        );
        const listener = new aws.lb.Listener(
            ...applyTransform(
                t.listener,
                this.childName("https"),
                {
                    loadBalancerArn: lb.arn,
                    port: 443,
                    protocol: "HTTPS",
                    sslPolicy: LISTENER_SSL_POLICY,
                    certificateArn: args.certificateArn,
                    // Only the rule below forwards: a request for another host, or without the required header, ends here.
                    defaultActions: [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404", messageBody: "Not Found" } }],
                    tags: this.childTags("https"),
                },
                this.childOpts(),
            ),
        );
        const header = args.requiredHeader;
        new aws.lb.ListenerRule(
            ...applyTransform(
                t.listenerRule,
                this.childName("forward"),
                {
                    listenerArn: listener.arn,
                    priority: 10,
                    conditions: [
                        { hostHeader: { values: [args.host] } },
                        // The value is a shared secret (CloudFront's origin-verify header): kept secret in state and plans.
                        ...(header ? [{ httpHeader: { httpHeaderName: header.name, values: [pulumi.secret(header.value)] } }] : []),
                    ],
                    actions: [{ type: "forward", targetGroupArn: tg.arn }],
                    tags: this.childTags("forward"),
                },
                this.childOpts(),
            ),
        );

        this.arn = lb.arn;
        this.arnSuffix = lb.arnSuffix;
        this.dnsName = lb.dnsName;
        this.zoneId = lb.zoneId;
        this.targetGroupArn = tg.arn;
        this.listenerArn = listener.arn;
        this.securityGroupId = sg.id;
        this.host = args.host;
        this.alarmInput = { loadBalancer: lb.arnSuffix, targetGroup: tg.arnSuffix, target5xxPerMinute: r.target5xxPerMinute, p99ResponseSeconds: r.p99ResponseSeconds };
        this.registerOutputs({ arn: this.arn, arnSuffix: this.arnSuffix, dnsName: this.dnsName, zoneId: this.zoneId, targetGroupArn: this.targetGroupArn, listenerArn: this.listenerArn });
    }

    /**
     * The alarms this load balancer derives from its configuration ({@link loadBalancerAlarmSpecs}): target 5xx, p99
     * response time, unhealthy targets, and no healthy target. Pure data; {@link alarms} declares them.
     */
    public alarmSpecs(): AlarmSpec[] {
        return loadBalancerAlarmSpecs(this.alarmInput);
    }

    /** Declares the {@link alarmSpecs} as `aws.cloudwatch.MetricAlarm` children notifying `target` on ALARM and OK. */
    public alarms(target: AlarmTarget, opts?: AlarmOptions): aws.cloudwatch.MetricAlarm[] {
        return declareAlarms(this.childScope(), this.alarmSpecs(), target, opts);
    }
}
