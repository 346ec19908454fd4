import type { ResourceRule } from "@groundwork/policy-kit";

/** The AWS Load Balancer Controller's listeners of an Ingress: `listen-ports`, else HTTPS with a certificate, else HTTP. */
export function albListeners(annotations: Record<string, string>): string[] | undefined {
    const raw = annotations["alb.ingress.kubernetes.io/listen-ports"];
    if (raw === undefined) return annotations["alb.ingress.kubernetes.io/certificate-arn"] ? ["HTTPS"] : ["HTTP"];
    try {
        const parsed = JSON.parse(raw);
        return Array.isArray(parsed) ? parsed.flatMap((o) => Object.keys(o ?? {})) : undefined;
    } catch {
        return undefined;
    }
}

const INGRESS_PATCH = "kubernetes:networking.k8s.io/v1:IngressPatch";

/**
 * Every Ingress terminates TLS: `spec.tls` lists its hosts, or (AWS Load Balancer Controller) a certificate ARN
 * with an HTTPS listener. An ALB that also listens on HTTP must redirect it to HTTPS (`ssl-redirect`); an
 * ingress-nginx Ingress must not turn its default redirect off (`nginx.ingress.kubernetes.io/ssl-redirect: "false"`
 * without `force-ssl-redirect: "true"`). A patch of an Ingress declared elsewhere (`IngressPatch`, server-side apply)
 * is judged by what it sets: emptying `spec.tls`, or turning the nginx redirect off.
 *
 * Severity: high. Level: mandatory.
 * Controls: Polaris tlsSettingsMissing, CKV_K8S_153.
 */
export const ingressEnforceTls: ResourceRule = {
    kind: "resource",
    name: "k8s-ingress-enforce-tls",
    description: "Ingresses serve HTTPS (spec.tls or an ALB certificate) and redirect plain HTTP.",
    controls: ["Polaris tlsSettingsMissing", "CKV_K8S_153"],
    severity: "high",
    level: "mandatory",
    remediation: "Set `spec.tls: [{ hosts: [...] }]` and, for an ALB, the annotations `certificate-arn`, `listen-ports: [{\"HTTP\":80},{\"HTTPS\":443}]` and `ssl-redirect: \"443\"`.",
    resourceTypes: ["kubernetes:networking.k8s.io/v1:Ingress", "kubernetes:networking.k8s.io/v1beta1:Ingress", "kubernetes:extensions/v1beta1:Ingress", INGRESS_PATCH],
    check(props, ctx) {
        const annotations: Record<string, string> = props.metadata?.annotations ?? {};
        if (ctx.type === INGRESS_PATCH) {
            const out: string[] = [];
            if (Array.isArray(props.spec?.tls) && props.spec.tls.length === 0) out.push("the patch empties spec.tls: the Ingress loses its TLS");
            const redirect = String(annotations["nginx.ingress.kubernetes.io/ssl-redirect"] ?? "").toLowerCase();
            const forced = String(annotations["nginx.ingress.kubernetes.io/force-ssl-redirect"] ?? "").toLowerCase();
            if (redirect === "false" && forced !== "true") out.push('the patch makes the Ingress serve plain HTTP: nginx.ingress.kubernetes.io/ssl-redirect is "false"');
            return out;
        }
        const alb = props.spec?.ingressClassName === "alb" || annotations["kubernetes.io/ingress.class"] === "alb";
        const tls = Array.isArray(props.spec?.tls) && props.spec.tls.length > 0;
        const listeners = alb ? albListeners(annotations) : undefined;
        const out: string[] = [];
        const albHttps = alb && !!annotations["alb.ingress.kubernetes.io/certificate-arn"] && (listeners ?? []).includes("HTTPS");
        if (!tls && !albHttps) out.push("the Ingress has no TLS (spec.tls is empty and no ALB certificate with an HTTPS listener)");
        if (alb && (tls || albHttps) && (listeners ?? []).includes("HTTP") && !annotations["alb.ingress.kubernetes.io/ssl-redirect"]) {
            out.push("the ALB listens on plain HTTP without ssl-redirect");
        }
        // ingress-nginx redirects HTTP to HTTPS once a host has TLS, unless an annotation turns the redirect off.
        const nginx = (key: string) => String(annotations[`nginx.ingress.kubernetes.io/${key}`] ?? "").toLowerCase();
        if (tls && nginx("ssl-redirect") === "false" && nginx("force-ssl-redirect") !== "true") {
            out.push('the Ingress serves plain HTTP: nginx.ingress.kubernetes.io/ssl-redirect is "false"');
        }
        return out;
    },
};
