import type * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { HBONE_PORT, PROBE_SNAT_CIDR } from "../mesh/constants";
import { SECRET_MOUNT_PATH, type ResolvedServiceArgs } from "./args";
import type { EgressRule, IngressPeer } from "./types";

/**
 * Pure builders of the Kubernetes object specs the {@link Service} component declares. Secure settings are
 * constants here, not knobs: every value below passes the groundwork-kubernetes pack.
 */

/** Name of the single application container. */
export const CONTAINER_NAME = "app";

/** Label Kubernetes sets on every namespace with its name (used to select namespaces in NetworkPolicies). */
export const NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

/** Labels that select the workload's pods (Deployment selector, Service, PDB, NetworkPolicy). */
export function selectorLabels(name: string): Record<string, string> {
    return { "app.kubernetes.io/name": name, "app.kubernetes.io/instance": name };
}

/** Labels of every object of the workload: the caller's, then the standard ones, then the selector labels. */
export function objectLabels(name: string, project: string, extra: Record<string, string>): Record<string, string> {
    return { ...extra, "app.kubernetes.io/part-of": project, "app.kubernetes.io/managed-by": "pulumi", ...selectorLabels(name) };
}

/** Pod-level security context: non-root numeric ids, group-owned volumes, RuntimeDefault seccomp. */
export function podSecurityContext(uid: number, gid: number): kubernetes.types.input.core.v1.PodSecurityContext {
    return { runAsNonRoot: true, runAsUser: uid, runAsGroup: gid, fsGroup: gid, seccompProfile: { type: "RuntimeDefault" } };
}

/** Container security context of the PSS `restricted` profile, plus a read-only root filesystem. */
export function containerSecurityContext(uid: number, gid: number): kubernetes.types.input.core.v1.SecurityContext {
    return {
        runAsNonRoot: true,
        runAsUser: uid,
        runAsGroup: gid,
        allowPrivilegeEscalation: false,
        privileged: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
    };
}

/** The pod template's spec for resolved args and a (validated) image. */
export function podSpec(name: string, r: ResolvedServiceArgs, image: pulumi.Input<string>, extra: { command?: pulumi.Input<string>[]; commandArgs?: pulumi.Input<string>[]; env: Record<string, pulumi.Input<string>> }): kubernetes.types.input.core.v1.PodSpec {
    const selector = selectorLabels(name);
    const ports: kubernetes.types.input.core.v1.ContainerPort[] = [];
    if (r.port !== undefined) ports.push({ name: "http", containerPort: r.port, protocol: "TCP" });
    if (r.healthPort !== r.port) ports.push({ name: "health", containerPort: r.healthPort, protocol: "TCP" });
    const probe = (path: string, periodSeconds: number, failureThreshold: number) => ({
        httpGet: { path, port: r.healthPort, scheme: "HTTP" },
        periodSeconds,
        timeoutSeconds: 2,
        failureThreshold,
    });
    return {
        serviceAccountName: r.serviceAccountName,
        automountServiceAccountToken: r.automountServiceAccountToken,
        enableServiceLinks: false,
        hostNetwork: false,
        hostPID: false,
        hostIPC: false,
        securityContext: podSecurityContext(r.runAsUser, r.runAsGroup),
        terminationGracePeriodSeconds: r.terminationGracePeriodSeconds,
        ...(Object.keys(r.nodeSelector).length > 0 ? { nodeSelector: { ...r.nodeSelector } } : {}),
        ...(r.tolerations.length > 0 ? { tolerations: r.tolerations.map((t) => ({ operator: "Equal", ...t })) } : {}),
        topologySpreadConstraints: [
            { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
            { maxSkew: 1, topologyKey: "kubernetes.io/hostname", whenUnsatisfiable: "ScheduleAnyway", labelSelector: { matchLabels: selector } },
        ],
        containers: [
            {
                name: CONTAINER_NAME,
                image,
                imagePullPolicy: "IfNotPresent",
                ...(extra.command ? { command: extra.command } : {}),
                ...(extra.commandArgs ? { args: extra.commandArgs } : {}),
                ports,
                env: Object.keys(extra.env)
                    .sort()
                    .map((k) => ({ name: k, value: extra.env[k] })),
                resources: { requests: { cpu: r.cpuRequest, memory: r.memoryRequest }, limits: { memory: r.memoryLimit } },
                // Startup covers slow boots so liveness can stay strict; readiness gates traffic on dependencies.
                startupProbe: probe(r.livenessPath, 2, 30),
                readinessProbe: probe(r.readinessPath, 5, 3),
                livenessProbe: probe(r.livenessPath, 10, 3),
                securityContext: containerSecurityContext(r.runAsUser, r.runAsGroup),
                volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, ...(r.secretMounts.length > 0 ? [{ name: SECRETS_VOLUME, mountPath: SECRET_MOUNT_PATH, readOnly: true }] : [])],
            },
        ],
        volumes: [
            { name: "tmp", emptyDir: { sizeLimit: r.tmpSizeLimit } },
            ...(r.secretMounts.length > 0 ? [{ name: SECRETS_VOLUME, csi: { driver: SECRETS_STORE_CSI_DRIVER, readOnly: true, volumeAttributes: { secretProviderClass: name } } }] : []),
        ],
    };
}

/** Name of the volume holding {@link ResolvedServiceArgs.secretMounts}. */
export const SECRETS_VOLUME = "secrets";
/** The Secrets Store CSI driver's name (its `CSIDriver` object). */
export const SECRETS_STORE_CSI_DRIVER = "secrets-store.csi.k8s.io";

/**
 * The SecretProviderClass (secrets-store.csi.x-k8s.io/v1) of the secret mounts: the AWS provider fetches each secret
 * by ARN with the pod's IRSA role and writes it to `<fileName>`; no `secretObjects`, so no Kubernetes Secret is
 * synced from it. Pure.
 */
export function secretProviderClassSpec(r: ResolvedServiceArgs): Record<string, unknown> {
    const objects = pulumi
        .all(r.secretMounts.map((m) => pulumi.output(m.secretArn)))
        .apply((arns) => arns.map((arn, i) => `- objectName: "${arn}"\n  objectAlias: "${r.secretMounts[i].fileName}"`).join("\n"));
    return { provider: "aws", parameters: { objects, usePodIdentity: "false" } };
}

/**
 * The AuthorizationPolicy (security.istio.io/v1, ALLOW) of a mesh workload: one rule per ingress peer, its principal
 * on its ports, the same peers and ports as {@link allowPolicySpec}. With no peer, an ALLOW policy without rules
 * admits nobody. Pure.
 */
export function authorizationPolicySpec(name: string, r: ResolvedServiceArgs): Record<string, unknown> {
    const defaultPort = r.port ?? r.healthPort;
    return {
        selector: { matchLabels: selectorLabels(name) },
        action: "ALLOW",
        rules: r.ingressFrom.map((p: IngressPeer) => ({
            from: [{ source: { principals: [p.principal!] } }],
            to: [{ operation: { ports: (p.ports ?? [defaultPort]).map(String) } }],
        })),
    };
}

function peerSelector(p: { namespace?: string; podLabels?: Record<string, string>; cidr?: pulumi.Input<string> }, ownNamespace: string): kubernetes.types.input.networking.v1.NetworkPolicyPeer {
    if (p.cidr !== undefined) return { ipBlock: { cidr: p.cidr } };
    const out: kubernetes.types.input.networking.v1.NetworkPolicyPeer = {};
    // Without a namespaceSelector, a podSelector means "pods of this namespace".
    if (p.namespace !== undefined && p.namespace !== ownNamespace) out.namespaceSelector = { matchLabels: { [NAMESPACE_NAME_LABEL]: p.namespace } };
    if (p.podLabels !== undefined) out.podSelector = { matchLabels: { ...p.podLabels } };
    if (out.namespaceSelector === undefined && out.podSelector === undefined) out.podSelector = {};
    return out;
}

/** DNS to kube-dns (CoreDNS in kube-system), UDP and TCP 53: every workload needs it. */
export const DNS_EGRESS = {
    to: [{ namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: "kube-system" } }, podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
    ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
    ],
};

/**
 * IPv4 ranges that are not the public internet: private (RFC 1918), shared/CGNAT, loopback, link-local (instance
 * metadata at 169.254.169.254), "this network", IETF protocol assignments, benchmarking, multicast and reserved.
 * `internetEgress` excepts them, so it never opens a path into the VPC, a peered network or the metadata service.
 */
export const NON_PUBLIC_IPV4 = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "224.0.0.0/4",
    "240.0.0.0/4",
] as const;

/** Annotation carrying an `internetEgress` reason, on the workload's NetworkPolicy (the Kubernetes pack reads it). */
export { INTERNET_EGRESS_REASON_ANNOTATION } from "@groundwork/policy-kit/facts";

/**
 * The egress rule of `internetEgress`: public IPv4 addresses (everything but {@link NON_PUBLIC_IPV4}) on the given
 * TCP ports. The cluster is IPv4 (the VPC CNI's default), so no IPv6 range is opened. Pure.
 */
export function internetEgressRule(ports: number[]): kubernetes.types.input.networking.v1.NetworkPolicyEgressRule {
    return { to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...NON_PUBLIC_IPV4] } }], ports: ports.map((port) => ({ protocol: "TCP", port })) };
}

/** The workload's allow policy: its ports from the given peers; egress to DNS and the given destinations. */
export function allowPolicySpec(name: string, r: ResolvedServiceArgs): kubernetes.types.input.networking.v1.NetworkPolicySpec {
    const defaultPort = r.port ?? r.healthPort;
    // In the mesh, a pod peer's connections arrive on (and leave for) the HBONE port, whatever the original port.
    const hbone = (p: { cidr?: unknown }) => (r.mesh && p.cidr === undefined ? [HBONE_PORT] : []);
    return {
        podSelector: { matchLabels: selectorLabels(name) },
        policyTypes: ["Ingress", "Egress"],
        ingress: [
            ...r.ingressFrom.map((p: IngressPeer) => ({
                from: [peerSelector(p, r.namespace)],
                ports: [...(p.ports ?? [defaultPort]), ...hbone(p)].map((port) => ({ protocol: "TCP", port })),
            })),
            // The kubelet's probes, which istio-cni rewrites to a link-local source, on the health port only.
            ...(r.mesh ? [{ from: [{ ipBlock: { cidr: PROBE_SNAT_CIDR } }], ports: [{ protocol: "TCP", port: r.healthPort }] }] : []),
        ],
        egress: [
            DNS_EGRESS,
            ...r.egressTo.map((e: EgressRule) => ({
                to: [peerSelector(e, r.namespace)],
                ports: [...e.ports.map((port) => ({ protocol: e.protocol ?? "TCP", port })), ...hbone(e).map((port) => ({ protocol: "TCP", port }))],
            })),
            ...(r.internetEgress ? [internetEgressRule(r.internetEgress.ports)] : []),
        ],
    };
}

/** The default-deny policy of a namespace: selects every pod, allows nothing in either direction. */
export const DEFAULT_DENY_SPEC = { podSelector: {}, policyTypes: ["Ingress", "Egress"] };

/** TLS policy of the ALB's HTTPS listener: TLS 1.3 and 1.2 only. */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * Annotations of the AWS Load Balancer Controller for an HTTPS-only ALB (HTTP answers with a redirect), with the
 * given security groups and, when a header is required, a condition on the rule that routes to `serviceName`.
 */
export function albAnnotations(r: ResolvedServiceArgs, serviceName: string): Record<string, pulumi.Input<string>> {
    const ing = r.ingress!;
    const sgs = ing.securityGroupIds;
    const header = ing.requiredHeader;
    return {
        "alb.ingress.kubernetes.io/scheme": ing.scheme,
        "alb.ingress.kubernetes.io/target-type": "ip",
        "alb.ingress.kubernetes.io/listen-ports": JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
        "alb.ingress.kubernetes.io/ssl-redirect": "443",
        "alb.ingress.kubernetes.io/certificate-arn": ing.certificateArn,
        "alb.ingress.kubernetes.io/ssl-policy": ALB_SSL_POLICY,
        "alb.ingress.kubernetes.io/healthcheck-path": r.readinessPath,
        "alb.ingress.kubernetes.io/healthcheck-port": String(r.healthPort),
        "alb.ingress.kubernetes.io/load-balancer-attributes": "routing.http.drop_invalid_header_fields.enabled=true",
        ...(ing.groupName ? { "alb.ingress.kubernetes.io/group.name": ing.groupName } : {}),
        ...(sgs && sgs.length > 0
            ? {
                  "alb.ingress.kubernetes.io/security-groups": pulumiAll(sgs).apply((ids) => ids.join(",")),
                  "alb.ingress.kubernetes.io/manage-backend-security-group-rules": "true",
              }
            : {}),
        ...(header
            ? {
                  [`alb.ingress.kubernetes.io/conditions.${serviceName}`]: pulumiAll([header.name, header.value]).apply(([name, value]) =>
                      JSON.stringify([{ field: "http-header", httpHeaderConfig: { httpHeaderName: name, values: [value] } }]),
                  ),
              }
            : {}),
    };
}

function pulumiAll<T>(values: pulumi.Input<T>[]): pulumi.Output<T[]> {
    return pulumi.all(values) as pulumi.Output<T[]>;
}

/** The AWS region in an SQS queue URL (`https://sqs.<region>.amazonaws.com/...`), or undefined. Pure. */
export function regionOfQueueUrl(url: string): string | undefined {
    return /^https:\/\/sqs\.([a-z0-9-]+)\.amazonaws\.com/.exec(url)?.[1];
}
