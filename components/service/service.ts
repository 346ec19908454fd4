import * as kubernetes from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { applyTransform, ArgumentError, GroundworkComponent } from "../base";
import { resolveServiceArgs } from "./args";
import type { ServiceArgs } from "./types";
import { imagePinProblem } from "./image";
import { NamespaceIsolation } from "./isolation";
import { dependsOnList } from "./options";
import { albAnnotations, allowPolicySpec, authorizationPolicySpec, INTERNET_EGRESS_REASON_ANNOTATION, objectLabels, podSpec, regionOfQueueUrl, secretProviderClassSpec, selectorLabels } from "./manifests";

/**
 * One workload of the app on the cluster, hardened by construction (PSS `restricted` plus a read-only root
 * filesystem), and checked by the groundwork-kubernetes pack:
 * - a ServiceAccount (no API token; annotated with the IRSA role when `roleArn` is given);
 * - a Deployment without static `replicas` (the autoscaler owns them), rolling with `maxUnavailable: 0`, spread
 *   across zones, with distinct readiness and liveness probes, resource requests and a memory limit;
 * - a PodDisruptionBudget (`maxUnavailable: 1`, so node drains proceed);
 * - a HorizontalPodAutoscaler (CPU), or a KEDA ScaledObject plus TriggerAuthentication on an SQS queue;
 * - a NetworkPolicy allowing only the given peers in, and DNS plus the given destinations out (the namespace's
 *   default deny, from {@link NamespaceIsolation}, blocks the rest);
 * - with `port`, a ClusterIP Service; with `ingress`, an HTTPS-only ALB Ingress; with `targetGroup`, a
 *   TargetGroupBinding registering the pods in a load balancer the program owns;
 * - with `mesh`, an Istio AuthorizationPolicy admitting each ingress peer's principal on its ports (the
 *   NetworkPolicy's peers, authenticated by their mesh certificates);
 * - with `secretMounts`, a SecretProviderClass and a read-only CSI volume of Secrets Manager secrets;
 * - with `internetEgress`, egress to public IPv4 addresses on its ports, its reason annotated on the NetworkPolicy.
 *
 * Every Kubernetes object is named after the component (`metadata.name = name`), so the Service's DNS name is
 * stable: `<name>.<namespace>.svc.cluster.local`.
 */
export class Service extends GroundworkComponent {
    /** Namespace of the workload. */
    public readonly namespace: pulumi.Output<string>;
    /** Name of the Deployment. */
    public readonly deploymentName: pulumi.Output<string>;
    /** Name of the ServiceAccount the pods run as. */
    public readonly serviceAccountName: pulumi.Output<string>;
    /** Name of the ClusterIP Service; undefined for workloads without `port`. */
    public readonly serviceName: pulumi.Output<string> | undefined;
    /** In-cluster URL of the Service (`http://<name>.<namespace>.svc.cluster.local:<port>`); undefined without `port`. */
    public readonly url: pulumi.Output<string> | undefined;
    /** Host name of the Ingress; undefined without `ingress`. */
    public readonly ingressHost: pulumi.Output<string> | undefined;
    /** Labels selecting the workload's pods (for other workloads' NetworkPolicy peers). */
    public readonly selectorLabels: Record<string, string>;

    constructor(name: string, args: ServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("service", "Service", name, args, opts);
        const who = `Service '${name}'`;
        // Defaults and validation, before any resource.
        const r = resolveServiceArgs(name, args);
        if (r.ingress) {
            pulumi.log.warn(
                `Service '${name}': \`ingress\` is deprecated: the ALB reaches the pods in plaintext, which k8s-ingress-enforce-backend-tls rejects. Use LoadBalancer with the mesh's ingress gateway (Mesh ingressGateway) instead.`,
                this,
            );
        }

        const selector = selectorLabels(name);
        const labels = objectLabels(name, pulumi.getProject(), r.labels);
        const image =
            typeof r.image === "string"
                ? r.image
                : pulumi.output(r.image).apply((img) => {
                      const problem = imagePinProblem(img);
                      if (problem) throw new ArgumentError(who, "image", problem, "pin the image by digest (`repo@sha256:<digest>`) or by a version tag");
                      return img;
                  });

        const t = args.transform ?? {};
        let isolation: NamespaceIsolation | undefined;
        if (r.createNamespace) {
            isolation = new NamespaceIsolation(this.childName("namespace"), { provider: args.provider, namespace: r.namespace, tags: args.tags, transform: t.namespace }, { parent: this });
        }
        // The component's own dependsOn (e.g. a NamespaceIsolation, the KEDA release) is not inherited by children
        // in the registrations the engine orders by, so every child carries it explicitly.
        const inherited = [...dependsOnList(opts?.dependsOn), ...(isolation ? [isolation] : [])];
        const k8s = (extra?: pulumi.CustomResourceOptions) =>
            this.childOpts({ provider: args.provider, ...extra, dependsOn: [...inherited, ...dependsOnList(extra?.dependsOn)] });
        const meta = (annotations?: Record<string, pulumi.Input<string>>) => ({ name, namespace: r.namespace, labels, ...(annotations ? { annotations } : {}) });

        // Identity: the pods' own ServiceAccount. IRSA's web-identity token is projected by EKS's pod identity
        // webhook into its own volume (aws-iam-token), independent of automountServiceAccountToken.
        const sa = new kubernetes.core.v1.ServiceAccount(
            ...applyTransform(
                t.serviceAccount,
                this.childName("sa"),
                {
                    metadata: {
                        name: r.serviceAccountName,
                        namespace: r.namespace,
                        labels,
                        ...(args.roleArn !== undefined ? { annotations: { "eks.amazonaws.com/role-arn": args.roleArn, "eks.amazonaws.com/sts-regional-endpoints": "true" } } : {}),
                    },
                    automountServiceAccountToken: r.automountServiceAccountToken,
                },
                k8s(),
            ),
        );

        // Secrets Manager secrets as files, fetched by the CSI driver's AWS provider with the pods' role.
        const spc =
            r.secretMounts.length > 0
                ? [
                      new kubernetes.apiextensions.CustomResource(
                          ...applyTransform(
                              t.secretProviderClass,
                              this.childName("secrets"),
                              { apiVersion: "secrets-store.csi.x-k8s.io/v1", kind: "SecretProviderClass", metadata: meta(), spec: secretProviderClassSpec(r) },
                              k8s(),
                          ),
                      ),
                  ]
                : [];

        // The workload. No `replicas`: the HPA or KEDA owns the count (a static value would fight it on every update).
        const deployment = new kubernetes.apps.v1.Deployment(
            ...applyTransform(
                t.deployment,
                this.childName("deployment"),
                {
                    metadata: meta(),
                    spec: {
                        selector: { matchLabels: selector },
                        revisionHistoryLimit: 5,
                        progressDeadlineSeconds: 600,
                        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 0, maxSurge: 1 } },
                        template: {
                            metadata: { labels },
                            spec: podSpec(name, r, image, { command: args.command, commandArgs: args.commandArgs, env: args.env ?? {} }),
                        },
                    },
                },
                k8s({ dependsOn: [sa, ...spc] }),
            ),
        );

        new kubernetes.policy.v1.PodDisruptionBudget(
            ...applyTransform(
                t.podDisruptionBudget,
                this.childName("pdb"),
                { metadata: meta(), spec: { maxUnavailable: 1, selector: { matchLabels: selector }, unhealthyPodEvictionPolicy: "AlwaysAllow" } },
                k8s(),
            ),
        );

        new kubernetes.networking.v1.NetworkPolicy(...applyTransform(t.networkPolicy, this.childName("netpol"), { metadata: meta(r.internetEgress ? { [INTERNET_EGRESS_REASON_ANNOTATION]: r.internetEgress.reason } : undefined), spec: allowPolicySpec(name, r) }, k8s()));
        if (r.mesh) {
            // ztunnel admits only these principals on these ports: the NetworkPolicy's peers, authenticated.
            new kubernetes.apiextensions.CustomResource(
                ...applyTransform(
                    t.authorizationPolicy,
                    this.childName("authz"),
                    { apiVersion: "security.istio.io/v1", kind: "AuthorizationPolicy", metadata: meta(), spec: authorizationPolicySpec(name, r) },
                    k8s(),
                ),
            );
        }

        const target = { apiVersion: "apps/v1", kind: "Deployment", name };
        const s = r.scaling;
        if (s.kind === "hpa") {
            new kubernetes.autoscaling.v2.HorizontalPodAutoscaler(
                ...applyTransform(
                    t.horizontalPodAutoscaler,
                    this.childName("hpa"),
                    {
                        metadata: meta(),
                        spec: {
                            scaleTargetRef: target,
                            minReplicas: s.min,
                            maxReplicas: s.max,
                            metrics: [{ type: "Resource", resource: { name: "cpu", target: { type: "Utilization", averageUtilization: s.cpuUtilization } } }],
                            behavior: { scaleDown: { stabilizationWindowSeconds: 300 } },
                        },
                    },
                    k8s({ dependsOn: [deployment] }),
                ),
            );
        } else {
            const auth = new kubernetes.apiextensions.CustomResource(
                ...applyTransform(
                    t.triggerAuthentication,
                    this.childName("trigger-auth"),
                    { apiVersion: "keda.sh/v1alpha1", kind: "TriggerAuthentication", metadata: meta(), spec: { podIdentity: { provider: "aws", identityOwner: s.identityOwner } } },
                    k8s(),
                ),
            );
            const queueUrl = pulumi.output(s.queueUrl);
            const region = s.awsRegion !== undefined ? pulumi.output(s.awsRegion) : queueUrl.apply((u) => regionOfQueueUrl(u) ?? "");
            new kubernetes.apiextensions.CustomResource(
                ...applyTransform(
                    t.scaledObject,
                    this.childName("scaledobject"),
                    {
                        apiVersion: "keda.sh/v1alpha1",
                        kind: "ScaledObject",
                        metadata: meta(),
                        spec: {
                            scaleTargetRef: target,
                            minReplicaCount: s.min,
                            maxReplicaCount: s.max,
                            pollingInterval: 15,
                            cooldownPeriod: 300,
                            triggers: [
                                {
                                    type: "aws-sqs-queue",
                                    authenticationRef: { name },
                                    metadata: { queueURL: queueUrl, queueLength: String(s.messagesPerReplica), awsRegion: region },
                                },
                            ],
                        },
                    },
                    k8s({ dependsOn: [deployment, auth] }),
                ),
            );
        }

        let svc: kubernetes.core.v1.Service | undefined;
        if (r.port !== undefined) {
            svc = new kubernetes.core.v1.Service(
                ...applyTransform(
                    t.service,
                    this.childName("svc"),
                    { metadata: meta(), spec: { type: "ClusterIP", selector, ports: [{ name: "http", port: r.port, targetPort: r.port, protocol: "TCP" }] } },
                    k8s(),
                ),
            );
        }
        let ingress: kubernetes.networking.v1.Ingress | undefined;
        if (r.ingress && svc) {
            ingress = new kubernetes.networking.v1.Ingress(
                ...applyTransform(
                    t.ingress,
                    this.childName("ingress"),
                    {
                        metadata: meta(albAnnotations(r, name)),
                        spec: {
                            ingressClassName: "alb",
                            tls: [{ hosts: [r.ingress.host] }],
                            rules: [
                                {
                                    host: r.ingress.host,
                                    http: { paths: [{ path: r.ingress.path, pathType: "Prefix", backend: { service: { name, port: { number: r.port! } } } }] },
                                },
                            ],
                        },
                    },
                    k8s({ dependsOn: [svc] }),
                ),
            );
        }

        if (args.targetGroup !== undefined && svc) {
            // Program-owned load balancer: the controller registers the Service's endpoints (pod IPs) in the group.
            new kubernetes.apiextensions.CustomResource(
                ...applyTransform(
                    t.targetGroupBinding,
                    this.childName("target-group-binding"),
                    {
                        apiVersion: "elbv2.k8s.aws/v1beta1",
                        kind: "TargetGroupBinding",
                        metadata: meta(),
                        spec: { serviceRef: { name, port: r.port! }, targetGroupARN: args.targetGroup.arn, targetType: "ip" },
                    },
                    k8s({ dependsOn: [svc] }),
                ),
            );
        }

        this.namespace = deployment.metadata.namespace;
        this.deploymentName = deployment.metadata.name;
        this.serviceAccountName = sa.metadata.name;
        this.serviceName = svc?.metadata.name;
        this.url = svc ? pulumi.interpolate`http://${svc.metadata.name}.${svc.metadata.namespace}.svc.cluster.local:${r.port}` : undefined;
        this.ingressHost = ingress ? pulumi.output(r.ingress!.host) : undefined;
        this.selectorLabels = selector;
        this.registerOutputs({
            namespace: this.namespace,
            deploymentName: this.deploymentName,
            serviceAccountName: this.serviceAccountName,
            serviceName: this.serviceName,
            url: this.url,
            ingressHost: this.ingressHost,
        });
    }
}

