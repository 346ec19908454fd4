import { albListeners, ingressEnforceTls } from "../../policies/kubernetes/rules/ingress/enforceTls";
import { serviceDisallowExternalIps } from "../../policies/kubernetes/rules/service/disallowExternalIps";
import { serviceDisallowNodePort } from "../../policies/kubernetes/rules/service/disallowNodePort";
import { checkResource } from "../support/policy";
import { ruleTable } from "../support/ruleTable";

const ann = "alb.ingress.kubernetes.io/";
const goodIngress = {
    metadata: {
        name: "api",
        namespace: "app",
        annotations: {
            [`${ann}certificate-arn`]: "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            [`${ann}listen-ports`]: '[{"HTTP":80},{"HTTPS":443}]',
            [`${ann}ssl-redirect`]: "443",
        },
    },
    spec: {
        ingressClassName: "alb",
        tls: [{ hosts: ["api.example.com"] }],
        rules: [{ host: "api.example.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { number: 8080 } } } }] } }],
    },
};

describe("k8s-ingress-enforce-tls", () => {
    ruleTable(ingressEnforceTls, goodIngress, [
        ["ALB certificate without spec.tls", (p) => delete p.spec.tls, []],
        ["spec.tls without an ALB certificate (discovered by host)", (p) => delete p.metadata.annotations[`${ann}certificate-arn`], []],
        ["neither spec.tls nor a certificate", (p) => (delete p.spec.tls, delete p.metadata.annotations[`${ann}certificate-arn`]), ["the Ingress has no TLS (spec.tls is empty and no ALB certificate with an HTTPS listener)"]],
        ["empty spec.tls and HTTP-only listener", (p) => ((p.spec.tls = []), (p.metadata.annotations[`${ann}listen-ports`] = '[{"HTTP":80}]')), ["the Ingress has no TLS (spec.tls is empty and no ALB certificate with an HTTPS listener)"]],
        ["ALB on HTTP without ssl-redirect", (p) => delete p.metadata.annotations[`${ann}ssl-redirect`], ["the ALB listens on plain HTTP without ssl-redirect"]],
        ["ALB on HTTPS only, no redirect needed", (p) => ((p.metadata.annotations[`${ann}listen-ports`] = '[{"HTTPS":443}]'), delete p.metadata.annotations[`${ann}ssl-redirect`]), []],
        ["nginx class with spec.tls", (p) => ((p.spec.ingressClassName = "nginx"), (p.metadata.annotations = {})), []],
        [
            "nginx class with spec.tls and its redirect turned off",
            (p) => ((p.spec.ingressClassName = "nginx"), (p.metadata.annotations = { "nginx.ingress.kubernetes.io/ssl-redirect": "false" })),
            ['the Ingress serves plain HTTP: nginx.ingress.kubernetes.io/ssl-redirect is "false"'],
        ],
        [
            "nginx redirect off but forced back on",
            (p) => ((p.spec.ingressClassName = "nginx"), (p.metadata.annotations = { "nginx.ingress.kubernetes.io/ssl-redirect": "false", "nginx.ingress.kubernetes.io/force-ssl-redirect": "true" })),
            [],
        ],
        ["nginx redirect left on explicitly", (p) => ((p.spec.ingressClassName = "nginx"), (p.metadata.annotations = { "nginx.ingress.kubernetes.io/ssl-redirect": "true" })), []],
        ["nginx class without TLS", (p) => ((p.spec.ingressClassName = "nginx"), (p.metadata.annotations = {}), delete p.spec.tls), ["the Ingress has no TLS (spec.tls is empty and no ALB certificate with an HTTPS listener)"]],
        ["legacy ingress.class annotation", (p) => (delete p.spec.ingressClassName, (p.metadata.annotations["kubernetes.io/ingress.class"] = "alb"), delete p.metadata.annotations[`${ann}ssl-redirect`]), ["the ALB listens on plain HTTP without ssl-redirect"]],
    ]);

    it.each<[Record<string, string>, string[] | undefined]>([
        [{}, ["HTTP"]],
        [{ [`${ann}certificate-arn`]: "arn" }, ["HTTPS"]],
        [{ [`${ann}listen-ports`]: '[{"HTTP":80},{"HTTPS":443}]' }, ["HTTP", "HTTPS"]],
        [{ [`${ann}listen-ports`]: "not json" }, undefined],
    ])("albListeners(%j)", (annotations, expected) => {
        expect(albListeners(annotations)).toEqual(expected);
    });
});

const goodService = { metadata: { name: "api", namespace: "app" }, spec: { type: "ClusterIP", selector: { app: "api" }, ports: [{ port: 8080 }] } };

describe("k8s-service-disallow-node-port (advisory)", () => {
    ruleTable(serviceDisallowNodePort, goodService, [
        ["NodePort", (p) => (p.spec.type = "NodePort"), ["the Service is of type NodePort"]],
        ["type unset (ClusterIP)", (p) => delete p.spec.type, []],
    ]);
});

describe("k8s-service-disallow-external-ips (advisory)", () => {
    ruleTable(serviceDisallowExternalIps, goodService, [
        ["externalIPs", (p) => (p.spec.externalIPs = ["203.0.113.7"]), ["the Service sets externalIPs (203.0.113.7)"]],
        ["empty externalIPs", (p) => (p.spec.externalIPs = []), []],
    ]);
});

describe("service rules on a ServicePatch (a Service created elsewhere, e.g. by a Helm chart)", () => {
    const type = "kubernetes:core/v1:ServicePatch";
    it("flag the NodePort type and the externalIPs the patch sets", () => {
        const props = { metadata: { name: "ingress-nginx-controller", namespace: "ingress" }, spec: { type: "NodePort", externalIPs: ["203.0.113.7"] } };
        expect(checkResource(serviceDisallowNodePort, props, { type })).toEqual(["the Service is of type NodePort"]);
        expect(checkResource(serviceDisallowExternalIps, props, { type })).toEqual(["the Service sets externalIPs (203.0.113.7)"]);
    });
    it("pass a patch that sets neither", () => {
        const props = { metadata: { name: "ingress-nginx-controller", namespace: "ingress" }, spec: { sessionAffinity: "ClientIP" } };
        expect(checkResource(serviceDisallowNodePort, props, { type })).toEqual([]);
        expect(checkResource(serviceDisallowExternalIps, props, { type })).toEqual([]);
    });
});

describe("k8s-ingress-enforce-tls on an IngressPatch (an Ingress declared elsewhere)", () => {
    const type = "kubernetes:networking.k8s.io/v1:IngressPatch";
    ruleTable(
        ingressEnforceTls,
        { metadata: { name: "shop", namespace: "web", annotations: { "nginx.ingress.kubernetes.io/proxy-body-size": "8m" } } },
        [
            ["the patch turns the nginx redirect off", (p) => (p.metadata.annotations["nginx.ingress.kubernetes.io/ssl-redirect"] = "false"), ['the patch makes the Ingress serve plain HTTP: nginx.ingress.kubernetes.io/ssl-redirect is "false"']],
            ["passes: ...while forcing the redirect", (p) => Object.assign(p.metadata.annotations, { "nginx.ingress.kubernetes.io/ssl-redirect": "false", "nginx.ingress.kubernetes.io/force-ssl-redirect": "true" }), []],
            ["the patch empties spec.tls", (p) => (p.spec = { tls: [] }), ["the patch empties spec.tls: the Ingress loses its TLS"]],
            ["passes: a patch that leaves TLS alone (no spec.tls at all)", (p) => (p.spec = { rules: [] }), []],
        ],
        { type },
    );
});
