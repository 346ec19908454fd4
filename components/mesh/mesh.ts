import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, BaseArgs, GroundworkComponent, Transform } from "../base";
import { CONTAINER_SECURITY_CONTEXT, POD_SECURITY_CONTEXT, type PinnedChart } from "../cluster/charts";
import { meshPrincipal } from "./constants";
import { MESH_CHARTS } from "./versions";

/** Name (release, Deployment, Service and ServiceAccount) of the ingress gateway. */
export const INGRESS_GATEWAY_NAME = "istio-ingressgateway";
/** Labels of the ingress gateway's pods: its Gateway's selector and other workloads' NetworkPolicy peer. */
export const INGRESS_GATEWAY_POD_LABELS = { istio: "ingressgateway" } as const;
/** Port the ingress gateway serves HTTPS on (Service and pods): the load balancer's target port. */
export const INGRESS_GATEWAY_HTTPS_PORT = 443;
/** Name of the Secret cert-manager keeps the gateway's serving certificate in (it writes it; the program never does). */
export const INGRESS_GATEWAY_CERT_SECRET = "ingress-gateway-tls";
/** Name of the Istio `Gateway` (networking.istio.io/v1) that a VirtualService binds to as `<namespace>/<name>`. */
export const INGRESS_GATEWAY_RESOURCE = "ingress";

/** What a workload's NetworkPolicy and AuthorizationPolicy need to admit a mesh client. */
export interface MeshPeer {
    /** Namespace the client pods run in. */
    readonly namespace: string;
    /** Labels selecting the client pods. */
    readonly podLabels: Record<string, string>;
    /** The client's mesh identity (`cluster.local/ns/<ns>/sa/<sa>`). */
    readonly principal: string;
}

/** The mesh's ingress gateway: the load balancer's target, in the mesh. */
export interface MeshIngressGatewayArgs {
    /**
     * ARN of the IP target group (`LoadBalancer.targetGroupArn`, protocol HTTPS) the gateway's pods are registered in,
     * through a TargetGroupBinding.
     * @default - required
     */
    readonly targetGroupArn: pulumi.Input<string>;
    /**
     * Host name of the gateway's serving certificate (the load balancer's `host`; the ALB does not check the name, the
     * certificate only encrypts the hop).
     * @default - required
     */
    readonly host: string;
}

/** Per-child {@link Transform}s of a {@link Mesh}. */
export interface MeshTransforms {
    /** Every Helm release (`name` tells them apart: `<name>-base`, `<name>-istiod`, `<name>-cni`, `<name>-ztunnel`, `<name>-gateway`, `<name>-cert-manager`). */
    readonly release?: Transform<kubernetes.helm.v3.ReleaseArgs>;
    /** Every Namespace the component creates. */
    readonly namespace?: Transform<kubernetes.core.v1.NamespaceArgs>;
    /** Every custom resource (issuers, certificates, the Gateway, the TargetGroupBinding). */
    readonly customResource?: Transform<kubernetes.apiextensions.CustomResourceArgs>;
}

/** Arguments of a {@link Mesh}. */
export interface MeshArgs extends BaseArgs {
    /**
     * The Kubernetes provider of the cluster (`Cluster.provider`).
     * @default - required
     */
    readonly kubernetesProvider: kubernetes.Provider;
    /**
     * What the mesh's objects are created after (the cluster's add-ons: the load balancer controller owns the
     * TargetGroupBinding CRD).
     * @default []
     */
    readonly kubernetesDependsOn?: pulumi.Resource[];
    /**
     * Replicas of istiod and the ingress gateway (2 keeps them available through node drains).
     * @default 2
     */
    readonly replicas?: number;
    /**
     * The ingress gateway the program's load balancer targets over HTTPS.
     * @default - no ingress gateway (no cert-manager either)
     */
    readonly ingressGateway?: MeshIngressGatewayArgs;
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: MeshTransforms;
}

const HOST = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/**
 * Istio in ambient mode: mutual TLS between every pod of the enrolled namespaces, without sidecars. Pinned Helm
 * releases (`kubernetes.helm.v3.Release`): `base` (CRDs), `istiod` (control plane and CA, profile ambient), `cni`
 * (istio-cni node agent, profile ambient: redirects an enrolled pod's traffic to the node's ztunnel) and `ztunnel`
 * (the per-node L4 proxy that speaks HBONE, mTLS on 15008), in `istio-system`, labelled for Pod Security
 * `privileged` because istio-cni and ztunnel are privileged, host-network DaemonSets.
 *
 * With `ingressGateway`, the mesh's entry for the load balancer: the Istio `gateway` chart in `istio-ingress`
 * (ClusterIP, the ALB registers its pods through a TargetGroupBinding), serving HTTPS on 443 with a certificate that
 * cert-manager issues from a private CA in the cluster and renews (cert-manager writes the Secret; the program
 * never holds the key), and forwarding to the workloads over mTLS (HBONE). The gateway's identity is
 * {@link ingressGatewayPeer}: the principal workloads' AuthorizationPolicies admit.
 *
 * Namespaces join the mesh by their `istio.io/dataplane-mode: ambient` label with a STRICT PeerAuthentication
 * (`NamespaceIsolation` `mesh`, `ClusterTelemetry` `mesh`), not here. Type token `groundwork:mesh:Mesh`.
 */
export class Mesh extends GroundworkComponent {
    /** Namespace of the control plane, istio-cni and ztunnel (excluded from enrollment). */
    public readonly systemNamespace: string;
    /** The release whose CRDs (PeerAuthentication, AuthorizationPolicy) the mesh's policies need: depend on it. */
    public readonly crds: kubernetes.helm.v3.Release;
    /** Every release of the mesh (for `dependsOn` of enrolled workloads: ztunnel must run before they start). */
    public readonly releases: kubernetes.helm.v3.Release[];
    /** The ingress gateway as a peer (namespace, pod labels, principal); undefined without `ingressGateway`. */
    public readonly ingressGatewayPeer?: MeshPeer;
    /** `<namespace>/<name>` of the Istio Gateway a VirtualService binds to; undefined without `ingressGateway`. */
    public readonly ingressGatewayRef?: string;
    /** Helm release names by part. */
    public readonly releaseNames: pulumi.Output<Record<string, string>>;

    constructor(name: string, args: MeshArgs, opts?: pulumi.ComponentResourceOptions) {
        super("mesh", "Mesh", name, args, opts);
        const who = `Mesh '${name}'`;

        // Defaults.
        const replicas = args.replicas ?? 2;
        const after = args.kubernetesDependsOn ?? [];
        const gw = args.ingressGateway;
        const t = args.transform ?? {};

        // Validation, before any resource.
        if (!args.kubernetesProvider) throw new ArgumentError(who, "kubernetesProvider", "no Kubernetes provider is given", "pass the cluster's provider (Cluster.provider)");
        if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) throw new ArgumentError(who, "replicas", `${replicas} is out of range`, "use 1 to 5 (2 in production)");
        if (gw) {
            if (gw.targetGroupArn === undefined || gw.targetGroupArn === "") throw new ArgumentError(who, "ingressGateway.targetGroupArn", "no target group ARN is given", "pass LoadBalancer.targetGroupArn");
            if (!gw.host || !HOST.test(gw.host)) throw new ArgumentError(who, "ingressGateway.host", `'${gw.host}' is not a host name`, "pass the load balancer's host, like api-origin.example.com");
        }

        const k8s = (dependsOn: pulumi.Resource[] = []) => this.childOpts({ provider: args.kubernetesProvider, dependsOn: [...after, ...dependsOn] });
        const labels = { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "mesh" };
        const namespace = (ns: string, podSecurity: Record<string, string>) =>
            new kubernetes.core.v1.Namespace(...applyTransform(t.namespace, this.childName(`${ns}-namespace`), { metadata: { name: ns, labels: { ...labels, ...podSecurity } } }, k8s()));
        const release = (part: string, chart: PinnedChart, values: Record<string, unknown>, dependsOn: pulumi.Resource[], releaseName: string = chart.chart) =>
            new kubernetes.helm.v3.Release(
                ...applyTransform(
                    t.release,
                    this.childName(part),
                    {
                        name: releaseName,
                        chart: chart.chart,
                        version: chart.version,
                        repositoryOpts: { repo: chart.repo },
                        namespace: chart.namespace,
                        createNamespace: false,
                        atomic: true,
                        cleanupOnFail: true,
                        maxHistory: 5,
                        timeout: 600,
                        values,
                    },
                    k8s(dependsOn),
                ),
            );
        const custom = (part: string, body: Record<string, unknown>, dependsOn: pulumi.Resource[]) =>
            new kubernetes.apiextensions.CustomResource(...applyTransform(t.customResource, this.childName(part), body as kubernetes.apiextensions.CustomResourceArgs, k8s(dependsOn)));
        const resources = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { memory } });

        // istio-cni and ztunnel run privileged on the host network (they program each pod's redirection): their
        // namespace enforces `privileged` and audits/warns at `baseline`, and holds nothing else but istiod.
        this.systemNamespace = MESH_CHARTS.istiod.namespace;
        const system = namespace(this.systemNamespace, {
            "pod-security.kubernetes.io/enforce": "privileged",
            "pod-security.kubernetes.io/audit": "baseline",
            "pod-security.kubernetes.io/warn": "baseline",
        });
        this.crds = release("base", MESH_CHARTS.base, { defaultRevision: "default" }, [system], "istio-base");
        const istiod = release(
            "istiod",
            MESH_CHARTS.istiod,
            { profile: "ambient", pilot: { autoscaleMin: replicas, resources: { requests: { cpu: "100m", memory: "256Mi" } } }, global: { istioNamespace: this.systemNamespace } },
            [this.crds],
        );
        const cni = release("cni", MESH_CHARTS.cni, { profile: "ambient", cni: { resources: { requests: { cpu: "50m", memory: "64Mi" } } } }, [istiod], "istio-cni");
        const ztunnel = release("ztunnel", MESH_CHARTS.ztunnel, { profile: "ambient", resources: { requests: { cpu: "50m", memory: "64Mi" } } }, [cni]);
        this.releases = [this.crds, istiod, cni, ztunnel];

        if (gw) {
            const gwNs = MESH_CHARTS.gateway.namespace;
            const certNs = MESH_CHARTS.certManager.namespace;
            const restricted = { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" };
            // The gateway binds 443 without privileges (net.ipv4.ip_unprivileged_port_start, a safe sysctl): baseline enforced, restricted warned.
            const ingressNs = namespace(gwNs, { "pod-security.kubernetes.io/enforce": "baseline", "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted" });
            const certManagerNs = namespace(certNs, restricted);
            // cert-manager's webhook is called by the API server (outside the mesh): its namespace is not enrolled.
            const certManager = release(
                "cert-manager",
                MESH_CHARTS.certManager,
                {
                    crds: { enabled: true, keep: true },
                    replicaCount: replicas,
                    podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
                    securityContext: POD_SECURITY_CONTEXT,
                    containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
                    resources: resources("50m", "128Mi"),
                    webhook: { replicaCount: replicas, resources: resources("20m", "64Mi") },
                    cainjector: { replicaCount: 1, resources: resources("20m", "128Mi") },
                },
                [certManagerNs],
            );
            const gateway = release(
                "gateway",
                MESH_CHARTS.gateway,
                {
                    labels: { ...INGRESS_GATEWAY_POD_LABELS },
                    serviceAccount: { create: true, name: INGRESS_GATEWAY_NAME },
                    // Reached only through the TargetGroupBinding (pod IPs): no cloud load balancer of its own.
                    service: {
                        type: "ClusterIP",
                        ports: [
                            { name: "status-port", port: 15021, targetPort: 15021, protocol: "TCP" },
                            { name: "https", port: INGRESS_GATEWAY_HTTPS_PORT, targetPort: INGRESS_GATEWAY_HTTPS_PORT, protocol: "TCP" },
                        ],
                    },
                    autoscaling: { enabled: true, minReplicas: replicas, maxReplicas: Math.max(replicas, 5) },
                    podDisruptionBudget: { maxUnavailable: 1 },
                    resources: resources("100m", "128Mi"),
                    securityContext: { ...POD_SECURITY_CONTEXT, sysctls: [{ name: "net.ipv4.ip_unprivileged_port_start", value: "0" }] },
                    containerSecurityContext: CONTAINER_SECURITY_CONTEXT,
                },
                [ingressNs, istiod],
                INGRESS_GATEWAY_NAME,
            );
            this.releases.push(gateway, certManager);

            // A private CA in the cluster (self-signed root, kept by cert-manager) issues the gateway's certificate and
            // renews it a month before it expires; the ALB encrypts to the gateway but does not check the chain, so no
            // public certificate is needed and no key ever passes through the program.
            const meta = (n: string) => ({ name: n, namespace: gwNs, labels });
            const selfSigned = custom("selfsigned-issuer", { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta("selfsigned"), spec: { selfSigned: {} } }, [certManager, ingressNs]);
            const caCert = custom(
                "ca-certificate",
                {
                    apiVersion: "cert-manager.io/v1",
                    kind: "Certificate",
                    metadata: meta("ingress-ca"),
                    spec: {
                        isCA: true,
                        commonName: "groundwork ingress CA",
                        secretName: "ingress-ca",
                        duration: "87600h",
                        privateKey: { algorithm: "ECDSA", size: 256 },
                        issuerRef: { name: "selfsigned", kind: "Issuer", group: "cert-manager.io" },
                    },
                },
                [selfSigned],
            );
            const ca = custom("ca-issuer", { apiVersion: "cert-manager.io/v1", kind: "Issuer", metadata: meta("ingress-ca"), spec: { ca: { secretName: "ingress-ca" } } }, [caCert]);
            const serving = custom(
                "gateway-certificate",
                {
                    apiVersion: "cert-manager.io/v1",
                    kind: "Certificate",
                    metadata: meta(INGRESS_GATEWAY_CERT_SECRET),
                    spec: {
                        secretName: INGRESS_GATEWAY_CERT_SECRET,
                        dnsNames: [gw.host],
                        duration: "2160h",
                        renewBefore: "720h",
                        privateKey: { algorithm: "ECDSA", size: 256, rotationPolicy: "Always" },
                        issuerRef: { name: "ingress-ca", kind: "Issuer", group: "cert-manager.io" },
                    },
                },
                [ca],
            );
            // HTTPS on 443 with that certificate (the gateway reloads it on renewal). Any Host: the load balancer's rule
            // already requires the host and CloudFront's origin-verify header, and its health checks name the pod's IP.
            custom(
                "gateway",
                {
                    apiVersion: "networking.istio.io/v1",
                    kind: "Gateway",
                    metadata: meta(INGRESS_GATEWAY_RESOURCE),
                    spec: {
                        selector: { ...INGRESS_GATEWAY_POD_LABELS },
                        servers: [
                            {
                                port: { number: INGRESS_GATEWAY_HTTPS_PORT, name: "https", protocol: "HTTPS" },
                                hosts: ["*"],
                                tls: { mode: "SIMPLE", credentialName: INGRESS_GATEWAY_CERT_SECRET, minProtocolVersion: "TLSV1_2" },
                            },
                        ],
                    },
                },
                [gateway, serving],
            );
            // The load balancer controller registers the gateway's pod IPs in the program's (HTTPS) target group.
            custom(
                "target-group-binding",
                {
                    apiVersion: "elbv2.k8s.aws/v1beta1",
                    kind: "TargetGroupBinding",
                    metadata: meta(INGRESS_GATEWAY_NAME),
                    spec: { serviceRef: { name: INGRESS_GATEWAY_NAME, port: INGRESS_GATEWAY_HTTPS_PORT }, targetGroupARN: gw.targetGroupArn, targetType: "ip" },
                },
                [gateway],
            );
            this.ingressGatewayPeer = { namespace: gwNs, podLabels: { ...INGRESS_GATEWAY_POD_LABELS }, principal: meshPrincipal(gwNs, INGRESS_GATEWAY_NAME) };
            this.ingressGatewayRef = `${gwNs}/${INGRESS_GATEWAY_RESOURCE}`;
        }

        const parts = ["base", "istiod", "cni", "ztunnel", ...(gw ? ["gateway", "certManager"] : [])];
        this.releaseNames = pulumi.all(Object.fromEntries(this.releases.map((r, i) => [parts[i], r.name]))) as pulumi.Output<Record<string, string>>;
        this.registerOutputs({ releaseNames: this.releaseNames });
    }
}
