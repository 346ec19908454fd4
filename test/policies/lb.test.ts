import { unknownCheckingProxy } from "@pulumi/policy";
import type { GraphResource, StackFinding } from "@groundwork/policy-kit";
import { UNKNOWN } from "../../tools/plan/mocks";
import { lbListenerEnforceTls, TLS_POLICY_ALLOW_LIST } from "../../policies/security/rules/lb/listener/enforceTls";
import { lbLoadBalancerEnableDeletionProtection } from "../../policies/security/rules/lb/loadBalancer/enableDeletionProtection";
import { lbLoadBalancerEnableDropInvalidHeaders } from "../../policies/security/rules/lb/loadBalancer/enableDropInvalidHeaders";
import { lbTargetGroupEnforceTls } from "../../policies/security/rules/lb/targetGroup/enforceTls";
import { checkResource, checkStack, graphResource } from "../support/policy";
import { ruleTable } from "../support/ruleTable";

const LB = "aws:lb/loadBalancer:LoadBalancer";
const LISTENER = "aws:lb/listener:Listener";
const RULE = "aws:lb/listenerRule:ListenerRule";
const LB_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web/50dc6c495c0c9188";
const TG_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/73e2d6bc24d8a067";
const CERT = "arn:aws:acm:eu-west-1:111122223333:certificate/12345678-1234-1234-1234-123456789012";
const HTTPS_LISTENER_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/50dc6c495c0c9188/f2f7dc8efc522ab2";
const HTTP_LISTENER_ARN = "arn:aws:elasticloadbalancing:eu-west-1:111122223333:listener/app/web/50dc6c495c0c9188/0467ef3c8400ae65";

const forward = { type: "forward", targetGroupArn: TG_ARN };
const toHttps = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } };

/** A compliant ALB: HTTPS listener with an allow-listed policy, HTTP listener redirecting, a rule on the HTTPS listener. */
function albGraph(): { lb: GraphResource; https: GraphResource; http: GraphResource; rule: GraphResource } {
    const lb = graphResource(LB, "web", { arn: LB_ARN, loadBalancerType: "application", dropInvalidHeaderFields: true, enableDeletionProtection: true });
    const https = graphResource(
        LISTENER,
        "web-https",
        { arn: HTTPS_LISTENER_ARN, loadBalancerArn: LB_ARN, port: 443, protocol: "HTTPS", sslPolicy: "ELBSecurityPolicy-TLS13-1-2-2021-06", certificateArn: CERT, defaultActions: [forward] },
        { dependencyUrns: [lb.urn] },
    );
    const http = graphResource(
        LISTENER,
        "web-http",
        { arn: HTTP_LISTENER_ARN, loadBalancerArn: LB_ARN, port: 80, protocol: "HTTP", defaultActions: [toHttps] },
        { dependencyUrns: [lb.urn] },
    );
    const rule = graphResource(RULE, "web-api", { listenerArn: HTTPS_LISTENER_ARN, priority: 10, actions: [forward], conditions: [{ pathPattern: { values: ["/api/*"] } }] }, { dependencyUrns: [https.urn] });
    return { lb, https, http, rule };
}

/** A copy of `r` with `change` applied to a deep copy of its props. */
function withProps(r: GraphResource, change: (p: Record<string, any>) => void): GraphResource {
    const props = structuredClone(r.props);
    change(props);
    return { ...r, props };
}

describe("aws-lb-listener-enforce-tls", () => {
    const g = albGraph();
    const finding = (r: GraphResource, message: string): StackFinding => ({ urn: r.urn, message });

    it.each<[string, () => GraphResource[], StackFinding[]]>([
        ["passes: HTTPS with an allow-listed policy, HTTP redirecting to HTTPS, a forwarding rule on the HTTPS listener", () => [g.lb, g.https, g.http, g.rule], []],
        ["passes: the legacy aws.alb types", () => [{ ...g.lb, type: "aws:alb/loadBalancer:LoadBalancer" }, { ...g.https, type: "aws:alb/listener:Listener" }, { ...g.http, type: "aws:alb/listener:Listener" }], []],
        ["passes: HTTP answering with a fixed response", () => [g.lb, withProps(g.http, (p) => (p.defaultActions = [{ type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "404" } }]))], []],
        ["passes: HTTPS redirect written in lower case", () => [g.lb, withProps(g.http, (p) => (p.defaultActions[0].redirect.protocol = "https"))], []],
        ["passes: NLB TLS listener with a TLS 1.3-only policy", () => [g.lb, withProps(g.https, (p) => ((p.protocol = "TLS"), (p.sslPolicy = "ELBSecurityPolicy-TLS13-1-3-2021-06")))], []],
        ["passes: NLB TCP listener (passthrough, TLS end to end or not the load balancer's)", () => [g.lb, withProps(g.http, (p) => ((p.protocol = "TCP"), (p.defaultActions = [forward])))], []],
        [
            "passes: Gateway Load Balancer listener (no protocol, GENEVE)",
            () => [withProps(g.lb, (p) => (p.loadBalancerType = "gateway")), withProps(g.http, (p) => (delete p.protocol, (p.defaultActions = [forward])))],
            [],
        ],
        [
            "passes: a listener of an external Gateway Load Balancer, known by its ARN",
            () => [withProps(g.http, (p) => (delete p.protocol, (p.loadBalancerArn = LB_ARN.replace("/app/", "/gwy/")), (p.defaultActions = [forward])))],
            [],
        ],
        [
            "HTTP listener forwarding to targets",
            () => [g.lb, withProps(g.http, (p) => (p.defaultActions = [forward]))],
            [finding(g.http, "listener 'web-http' serves plain HTTP and defaultActions[0] forwards to targets: requests and responses travel unencrypted")],
        ],
        [
            "listener without protocol on an ALB (AWS's default is HTTP) forwarding",
            () => [g.lb, withProps(g.http, (p) => (delete p.protocol, (p.defaultActions = [forward])))],
            [finding(g.http, "listener 'web-http' serves plain HTTP (protocol not set: AWS's default) and defaultActions[0] forwards to targets: requests and responses travel unencrypted")],
        ],
        [
            "redirect that keeps HTTP",
            () => [g.lb, withProps(g.http, (p) => (p.defaultActions[0].redirect.protocol = "HTTP"))],
            [finding(g.http, "listener 'web-http' serves plain HTTP and defaultActions[0] redirects with protocol 'HTTP' instead of HTTPS: requests and responses travel unencrypted")],
        ],
        [
            "redirect without protocol (#{protocol}: HTTP stays HTTP)",
            () => [g.lb, withProps(g.http, (p) => delete p.defaultActions[0].redirect.protocol)],
            [finding(g.http, "listener 'web-http' serves plain HTTP and defaultActions[0] redirects without a protocol (#{protocol} keeps HTTP): requests and responses travel unencrypted")],
        ],
        [
            "a listener rule forwarding on the HTTP listener, whose default redirects",
            () => [g.lb, g.https, g.http, withProps(g.rule, (p) => (p.listenerArn = HTTP_LISTENER_ARN))],
            [finding(g.rule, "listener rule 'web-api' of plain-HTTP listener 'web-http': actions[0] forwards to targets, so requests and responses travel unencrypted")],
        ],
        [
            "HTTPS listener without sslPolicy (AWS applies ELBSecurityPolicy-2016-08)",
            () => [g.lb, withProps(g.https, (p) => delete p.sslPolicy)],
            [finding(g.https, "listener 'web-https' (HTTPS) has no sslPolicy: AWS applies ELBSecurityPolicy-2016-08, which accepts TLS 1.0 and 1.1")],
        ],
        [
            "HTTPS listener with ELBSecurityPolicy-2016-08",
            () => [g.lb, withProps(g.https, (p) => (p.sslPolicy = "ELBSecurityPolicy-2016-08"))],
            [finding(g.https, "listener 'web-https' (HTTPS) uses sslPolicy 'ELBSecurityPolicy-2016-08', which accepts TLS versions below 1.2")],
        ],
        [
            "TLS listener with a TLS 1.3 policy that still accepts TLS 1.1",
            () => [g.lb, withProps(g.https, (p) => ((p.protocol = "TLS"), (p.sslPolicy = "ELBSecurityPolicy-TLS13-1-1-2021-06")))],
            [finding(g.https, "listener 'web-https' (TLS) uses sslPolicy 'ELBSecurityPolicy-TLS13-1-1-2021-06', which accepts TLS versions below 1.2")],
        ],
        [
            "HTTPS listener with an Ext policy (legacy CBC/SHA-1 ciphers)",
            () => [g.lb, withProps(g.https, (p) => (p.sslPolicy = "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06"))],
            [
                finding(
                    g.https,
                    "listener 'web-https' (HTTPS) uses sslPolicy 'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06', which is not on the allow-list (TLS 1.2 minimum with TLS 1.3, no legacy CBC/SHA-1 cipher suites)",
                ),
            ],
        ],
        [
            "both listeners wrong at once",
            () => [g.lb, withProps(g.https, (p) => (p.sslPolicy = "ELBSecurityPolicy-TLS-1-0-2015-04")), withProps(g.http, (p) => (p.defaultActions = [forward]))],
            [
                finding(g.https, "listener 'web-https' (HTTPS) uses sslPolicy 'ELBSecurityPolicy-TLS-1-0-2015-04', which accepts TLS versions below 1.2"),
                finding(g.http, "listener 'web-http' serves plain HTTP and defaultActions[0] forwards to targets: requests and responses travel unencrypted"),
            ],
        ],
    ])("%s", (_label, resources, expected) => {
        expect(checkStack(lbListenerEnforceTls, resources())).toEqual(expected);
    });

    it.each(TLS_POLICY_ALLOW_LIST.map((p) => [p]))("accepts %s", (policy) => {
        expect(checkStack(lbListenerEnforceTls, [g.lb, withProps(g.https, (p) => (p.sslPolicy = policy))])).toEqual([]);
    });

    describe("in the preview of a new stack (ARNs unknown)", () => {
        const unknown = (r: GraphResource, keys: string[]): GraphResource => ({
            ...r,
            props: unknownCheckingProxy({ ...r.props, ...Object.fromEntries(keys.map((k) => [k, UNKNOWN])) }),
        });
        it("finds a listener rule's listener through its dependency and judges it", () => {
            // GIVEN the listener ARNs unknown: the rule depends on the HTTP listener, whose default redirects
            const http = unknown(g.http, ["arn", "loadBalancerArn"]);
            const rule = unknown({ ...g.rule, dependencyUrns: [http.urn] }, ["listenerArn"]);
            // THEN the forwarding rule is still reported against that listener
            expect(checkStack(lbListenerEnforceTls, [unknown(g.lb, ["arn"]), unknown(g.https, ["arn", "loadBalancerArn"]), http, rule])).toEqual([
                finding(g.rule, "listener rule 'web-api' of plain-HTTP listener 'web-http': actions[0] forwards to targets, so requests and responses travel unencrypted"),
            ]);
        });
        it("does not judge what is unknown (protocol, sslPolicy)", () => {
            expect(checkStack(lbListenerEnforceTls, [g.lb, unknown(g.http, ["protocol"]), unknown(withProps(g.https, (p) => delete p.sslPolicy), ["sslPolicy"])])).toEqual([]);
        });
    });
});

describe("aws-lb-targetgroup-enforce-tls", () => {
    const plaintext = (t: string) => `protocol is HTTP: the load balancer sends requests to its ${t} targets in plaintext`;
    ruleTable(lbTargetGroupEnforceTls, { targetType: "ip", port: 443, protocol: "HTTPS", vpcId: "vpc-1", healthCheck: { enabled: true, path: "/readyz", protocol: "HTTPS" } }, [
        ["HTTP to pod IPs", (p) => (p.protocol = "HTTP"), [plaintext("ip")]],
        ["lower-case http", (p) => (p.protocol = "http"), [plaintext("ip")]],
        ["HTTP to instances (targetType unset means instance)", (p) => (delete p.targetType, (p.protocol = "HTTP")), [plaintext("instance")]],
        ["protocol not set", (p) => delete p.protocol, ["protocol is not set: the target group cannot tell whether the load balancer encrypts to its targets"]],
        ["HTTPS but health checks over HTTP", (p) => (p.healthCheck.protocol = "HTTP"), ["healthCheck.protocol is HTTP: health checks need a plaintext port on the targets"]],
        ["passes: HTTPS, health check protocol unset", (p) => delete p.healthCheck.protocol, []],
        ["passes: TLS (an NLB re-encrypting)", (p) => ((p.protocol = "TLS"), (p.healthCheck.protocol = "TCP")), []],
        ["passes: TCP passthrough (TLS end to end, not terminated)", (p) => (p.protocol = "TCP"), []],
        ["passes: GENEVE (a gateway load balancer)", (p) => (p.protocol = "GENEVE"), []],
        ["passes: Lambda targets (no protocol)", (p) => ((p.targetType = "lambda"), delete p.protocol), []],
        ["passes: an ALB as the target of an NLB", (p) => ((p.targetType = "alb"), (p.protocol = "TCP")), []],
    ]);
    it("judges the legacy aws.alb type too", () => {
        expect(checkResource(lbTargetGroupEnforceTls, { targetType: "ip", protocol: "HTTP" }, { type: "aws:alb/targetGroup:TargetGroup" })).toEqual([plaintext("ip")]);
    });
    it("does not judge a protocol unknown during preview", () => {
        expect(checkResource(lbTargetGroupEnforceTls, unknownCheckingProxy({ targetType: "ip", protocol: UNKNOWN }), { type: "aws:lb/targetGroup:TargetGroup" })).toEqual([]);
    });
});

describe("aws-lb-loadbalancer-enable-drop-invalid-headers", () => {
    ruleTable(lbLoadBalancerEnableDropInvalidHeaders, { loadBalancerType: "application", internal: false, dropInvalidHeaderFields: true }, [
        [
            "not set",
            (p) => delete p.dropInvalidHeaderFields,
            ["dropInvalidHeaderFields is not set (AWS's default is false): the load balancer passes header fields with invalid names on to the targets"],
        ],
        ["false", (p) => (p.dropInvalidHeaderFields = false), ["dropInvalidHeaderFields is false: the load balancer passes header fields with invalid names on to the targets"]],
        [
            "type unset (an application load balancer) and not set",
            (p) => (delete p.loadBalancerType, delete p.dropInvalidHeaderFields),
            ["dropInvalidHeaderFields is not set (AWS's default is false): the load balancer passes header fields with invalid names on to the targets"],
        ],
        ["passes: a network load balancer (does not parse HTTP)", (p) => ((p.loadBalancerType = "network"), delete p.dropInvalidHeaderFields), []],
        ["passes: a gateway load balancer", (p) => ((p.loadBalancerType = "gateway"), delete p.dropInvalidHeaderFields), []],
    ]);
    it("judges the legacy aws.alb type too", () => {
        expect(checkResource(lbLoadBalancerEnableDropInvalidHeaders, {}, { type: "aws:alb/loadBalancer:LoadBalancer" })).toEqual([
            "dropInvalidHeaderFields is not set (AWS's default is false): the load balancer passes header fields with invalid names on to the targets",
        ]);
    });
});

describe("aws-lb-loadbalancer-enable-deletion-protection", () => {
    ruleTable(lbLoadBalancerEnableDeletionProtection, { loadBalancerType: "application", enableDeletionProtection: true }, [
        ["not set", (p) => delete p.enableDeletionProtection, ["enableDeletionProtection is not set: the load balancer, its listeners and its DNS name can be deleted by one API call"]],
        ["false", (p) => (p.enableDeletionProtection = false), ["enableDeletionProtection is false: the load balancer, its listeners and its DNS name can be deleted by one API call"]],
        [
            "a network load balancer too",
            (p) => ((p.loadBalancerType = "network"), (p.enableDeletionProtection = false)),
            ["enableDeletionProtection is false: the load balancer, its listeners and its DNS name can be deleted by one API call"],
        ],
    ]);
    it("is mandatory in prod only", () => expect(lbLoadBalancerEnableDeletionProtection.level).toBe("mandatory-prod"));
});
