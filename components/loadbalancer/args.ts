import type * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { ArgumentError, BaseArgs, Transform } from "../base";

/**
 * TLS policy of the HTTPS listener: TLS 1.3 and 1.2 with forward-secret ciphers only. A constant, not a knob: every
 * client Groundwork puts in front of the load balancer (CloudFront, browsers) speaks TLS 1.2+.
 */
export const LISTENER_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** Per-child changes of a {@link LoadBalancer}'s resources (see {@link Transform}). */
export interface LoadBalancerTransforms {
    /** The application load balancer. */
    readonly loadBalancer?: Transform<aws.lb.LoadBalancerArgs>;
    /** The target group the workload's pods are registered in. */
    readonly targetGroup?: Transform<aws.lb.TargetGroupArgs>;
    /** The HTTPS listener (its default action answers 404). */
    readonly listener?: Transform<aws.lb.ListenerArgs>;
    /** The rule forwarding matching requests to the target group. */
    readonly listenerRule?: Transform<aws.lb.ListenerRuleArgs>;
    /** The load balancer's own security group (egress to the targets only). */
    readonly securityGroup?: Transform<aws.ec2.SecurityGroupArgs>;
}

/** Alarm thresholds of a {@link LoadBalancer}; the rest of each alarm follows from the configuration. */
export interface LoadBalancerAlarmThresholds {
    /**
     * Target (application) 5xx responses per minute that count as a breaching minute (3 of 5 raise the alarm).
     * @default 5
     */
    readonly target5xxPerMinute?: number;
    /**
     * p99 of the targets' response time, in seconds, above which a minute breaches (5 in a row raise the alarm).
     * @default 1
     */
    readonly p99ResponseSeconds?: number;
}

/** Arguments of a {@link LoadBalancer}. */
export interface LoadBalancerArgs extends BaseArgs {
    /**
     * VPC of the load balancer and its targets.
     * @default - required
     */
    readonly vpcId: pulumi.Input<string>;
    /**
     * Subnets of the load balancer, in at least two Availability Zones (public subnets for `internet-facing`).
     * @default - required
     */
    readonly subnetIds: pulumi.Input<string>[];
    /**
     * `internal` (reached from the VPC) or `internet-facing` (for example a CloudFront origin whose security group
     * admits only CloudFront's origin-facing addresses).
     * @default "internal"
     */
    readonly scheme?: "internal" | "internet-facing";
    /**
     * Security groups that admit the load balancer's clients on 443 (for example `Cdn.originSecurityGroupId`). The
     * component adds one of its own for the way to the targets.
     * @default - required, at least one
     */
    readonly clientSecurityGroupIds: pulumi.Input<string>[];
    /**
     * ARN of the ACM certificate for `host`, served by the HTTPS listener.
     * @default - required
     */
    readonly certificateArn: pulumi.Input<string>;
    /**
     * Host name requests must carry (`Host` header) to be forwarded; others get 404.
     * @default - required
     */
    readonly host: string;
    /**
     * A header every forwarded request must carry (for example CloudFront's origin-verify secret); others get 404.
     * @default - no header condition
     */
    readonly requiredHeader?: { readonly name: pulumi.Input<string>; readonly value: pulumi.Input<string> };
    /**
     * Port the targets (the pods) serve on.
     * @default - required
     */
    readonly targetPort: number;
    /**
     * Protocol from the load balancer to its targets, health checks included. `HTTPS` needs targets that serve TLS
     * (the mesh's ingress gateway does; the ALB encrypts but does not verify the target's certificate). `HTTP` is
     * plaintext inside the VPC and needs `plaintextTargetsReason`.
     * @default "HTTPS"
     */
    readonly targetProtocol?: "HTTPS" | "HTTP";
    /**
     * Why the targets may be reached in plaintext (at least 20 characters), required with `targetProtocol: "HTTP"`: it
     * becomes the target group's exemption from `aws-lb-targetgroup-enforce-tls`.
     * @default - none
     */
    readonly plaintextTargetsReason?: string;
    /**
     * Path of the targets' readiness endpoint, probed by the load balancer.
     * @default "/"
     */
    readonly healthCheckPath?: string;
    /**
     * Port of the readiness endpoint.
     * @default - targetPort
     */
    readonly healthCheckPort?: number;
    /**
     * Security group of the targets (under the VPC CNI, pods share their node's group): it gets ingress from the load
     * balancer's own group on the target and health-check ports, and nothing else is opened.
     * @default - required
     */
    readonly targetSecurityGroupId: pulumi.Input<string>;
    /**
     * Name of the EKS cluster whose AWS Load Balancer Controller registers the pods (a `TargetGroupBinding`). The
     * target group is tagged for it, and the controller's role may register and deregister targets in tagged groups
     * only (`Cluster`'s add-ons); it cannot change or delete them.
     * @default - required
     */
    readonly bindingClusterName: string;
    /**
     * Deletion protection of the load balancer: a `pulumi destroy` or a replacement fails until it is turned off.
     * @default true
     */
    readonly deletionProtection?: boolean;
    /**
     * Seconds a connection may idle; longer than the app's slowest response, shorter than CloudFront's keep-alive.
     * @default 60
     */
    readonly idleTimeoutSeconds?: number;
    /**
     * Seconds a deregistered target keeps its in-flight requests: the pods' `SHUTDOWN_DRAIN_DELAY_MS` or longer.
     * @default 30
     */
    readonly deregistrationDelaySeconds?: number;
    /**
     * Alarm thresholds.
     * @default {}
     */
    readonly alarmThresholds?: LoadBalancerAlarmThresholds;
    /**
     * Changes to the args and options of child resources just before they are declared (see {@link Transform}).
     * @default - none
     */
    readonly transform?: LoadBalancerTransforms;
}

/** {@link LoadBalancerArgs} with every default applied. */
export interface ResolvedLoadBalancerArgs {
    /** See {@link LoadBalancerArgs.scheme}. */
    readonly scheme: "internal" | "internet-facing";
    /** See {@link LoadBalancerArgs.targetProtocol}. */
    readonly targetProtocol: "HTTPS" | "HTTP";
    /** See {@link LoadBalancerArgs.healthCheckPath}. */
    readonly healthCheckPath: string;
    /** See {@link LoadBalancerArgs.healthCheckPort}. */
    readonly healthCheckPort: number;
    /** See {@link LoadBalancerArgs.deletionProtection}. */
    readonly deletionProtection: boolean;
    /** See {@link LoadBalancerArgs.idleTimeoutSeconds}. */
    readonly idleTimeoutSeconds: number;
    /** See {@link LoadBalancerArgs.deregistrationDelaySeconds}. */
    readonly deregistrationDelaySeconds: number;
    /** See {@link LoadBalancerAlarmThresholds.target5xxPerMinute}. */
    readonly target5xxPerMinute: number;
    /** See {@link LoadBalancerAlarmThresholds.p99ResponseSeconds}. */
    readonly p99ResponseSeconds: number;
}

const HOST = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const isPort = (p: number) => Number.isInteger(p) && p >= 1 && p <= 65535;

/** Applies the defaults of {@link LoadBalancerArgs} and validates them; throws {@link ArgumentError} before any resource. */
export function resolveLoadBalancerArgs(name: string, args: LoadBalancerArgs): ResolvedLoadBalancerArgs {
    const who = `LoadBalancer '${name}'`;
    const fail = (field: string, problem: string, fix: string): never => {
        throw new ArgumentError(who, field, problem, fix);
    };
    const r: ResolvedLoadBalancerArgs = {
        scheme: args.scheme ?? "internal",
        targetProtocol: args.targetProtocol ?? "HTTPS",
        healthCheckPath: args.healthCheckPath ?? "/",
        healthCheckPort: args.healthCheckPort ?? args.targetPort,
        deletionProtection: args.deletionProtection ?? true,
        idleTimeoutSeconds: args.idleTimeoutSeconds ?? 60,
        deregistrationDelaySeconds: args.deregistrationDelaySeconds ?? 30,
        target5xxPerMinute: args.alarmThresholds?.target5xxPerMinute ?? 5,
        p99ResponseSeconds: args.alarmThresholds?.p99ResponseSeconds ?? 1,
    };
    if (r.scheme !== "internal" && r.scheme !== "internet-facing") fail("scheme", `'${r.scheme as string}' is not a scheme`, "use 'internal' or 'internet-facing'");
    if (!Array.isArray(args.subnetIds) || args.subnetIds.length < 2) fail("subnetIds", "an application load balancer needs subnets in at least two Availability Zones", "pass one subnet per AZ, at least two");
    if (!Array.isArray(args.clientSecurityGroupIds) || args.clientSecurityGroupIds.length === 0) {
        fail("clientSecurityGroupIds", "no security group admits clients, so nobody could reach the listener", "pass the group that admits your clients on 443 (e.g. Cdn.originSecurityGroupId)");
    }
    if (!args.host || !HOST.test(args.host)) fail("host", `'${args.host}' is not a host name`, "use a DNS name like api.example.com");
    if (args.certificateArn === undefined || args.certificateArn === "") fail("certificateArn", "no certificate is given, and the listener is HTTPS only", "pass the ACM certificate ARN for the host");
    if (typeof args.certificateArn === "string" && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(args.certificateArn)) {
        fail("certificateArn", `'${args.certificateArn}' is not an ACM certificate ARN`, "pass the certificate's ARN (arn:aws:acm:<region>:<account>:certificate/<id>)");
    }
    if (r.targetProtocol !== "HTTPS" && r.targetProtocol !== "HTTP") fail("targetProtocol", `'${r.targetProtocol as string}' is not a protocol`, "use 'HTTPS' (or 'HTTP' with plaintextTargetsReason)");
    if (r.targetProtocol === "HTTP" && (args.plaintextTargetsReason ?? "").trim().length < 20) {
        fail("targetProtocol", "HTTP sends requests and health checks to the targets in plaintext, and no plaintextTargetsReason says why", "serve TLS on the targets (the mesh's ingress gateway) and keep 'HTTPS', or give plaintextTargetsReason (20 characters or more)");
    }
    if (r.targetProtocol === "HTTPS" && args.plaintextTargetsReason !== undefined) fail("plaintextTargetsReason", "the targets are reached over HTTPS, so there is no plaintext to explain", "drop plaintextTargetsReason");
    if (!isPort(args.targetPort)) fail("targetPort", `${args.targetPort} is not a port`, "use a whole number from 1 to 65535");
    if (!isPort(r.healthCheckPort)) fail("healthCheckPort", `${r.healthCheckPort} is not a port`, "use a whole number from 1 to 65535");
    if (!r.healthCheckPath.startsWith("/")) fail("healthCheckPath", `'${r.healthCheckPath}' is not an absolute path`, "start it with '/'");
    if (!args.bindingClusterName) fail("bindingClusterName", "no cluster is named, so no controller may register the pods", "pass the EKS cluster's name (Cluster.knownClusterName)");
    if (args.requiredHeader && !args.requiredHeader.name) fail("requiredHeader.name", "no header name is given", "pass the header's name (Cdn.originVerifyHeaderName)");
    if (!Number.isInteger(r.idleTimeoutSeconds) || r.idleTimeoutSeconds < 1 || r.idleTimeoutSeconds > 4000) fail("idleTimeoutSeconds", `${r.idleTimeoutSeconds} is out of range`, "use 1 to 4000 seconds");
    if (!Number.isInteger(r.deregistrationDelaySeconds) || r.deregistrationDelaySeconds < 0 || r.deregistrationDelaySeconds > 3600) {
        fail("deregistrationDelaySeconds", `${r.deregistrationDelaySeconds} is out of range`, "use 0 to 3600 seconds");
    }
    if (!(r.target5xxPerMinute >= 0)) fail("alarmThresholds.target5xxPerMinute", `${r.target5xxPerMinute} is not a count`, "use 0 or more");
    if (!(r.p99ResponseSeconds > 0)) fail("alarmThresholds.p99ResponseSeconds", `${r.p99ResponseSeconds} is not a duration`, "use a number of seconds above 0");
    return r;
}
