import type * as kubernetes from "@pulumi/kubernetes";
import type * as pulumi from "@pulumi/pulumi";
import type { BaseArgs, Transform } from "../base";
import type { NamespaceIsolationTransforms } from "./isolation";

/*
 * The public arguments of the Service component, with their TSDoc. Defaults are applied and checked by
 * `resolveServiceArgs` (args.ts), whose result type is derived from these interfaces.
 */

/** CPU-based horizontal scaling with a HorizontalPodAutoscaler (autoscaling/v2). */
export interface HpaScaling {
    /** Discriminator. */
    readonly kind: "hpa";
    /**
     * Fewest replicas, at least 1 (2 or more in production: the `k8s-deployment-enforce-replicas` rule).
     * @default 2
     */
    readonly min?: number;
    /**
     * Most replicas, at least `min`.
     * @default 4
     */
    readonly max?: number;
    /**
     * Target average CPU utilisation, percent of the CPU request, 10 to 95.
     * @default 70
     */
    readonly cpuUtilization?: number;
}

/** Queue-depth scaling with a KEDA ScaledObject on an SQS queue (`aws-sqs-queue` trigger). */
export interface QueueScaling {
    /** Discriminator. */
    readonly kind: "queue";
    /**
     * URL of the SQS queue whose depth drives the replica count (`Queue.url`).
     * @default - required
     */
    readonly queueUrl: pulumi.Input<string>;
    /**
     * Fewest replicas; 0 lets KEDA scale the worker to zero on an empty queue (a dev choice: production wants 2).
     * @default 2
     */
    readonly min?: number;
    /**
     * Most replicas, at least `min` and at least 1.
     * @default 10
     */
    readonly max?: number;
    /**
     * Messages one replica works through: KEDA's `queueLength` target (visible plus in-flight messages per replica).
     * @default 5
     */
    readonly messagesPerReplica?: number;
    /**
     * AWS region of the queue.
     * @default - the stack's `aws:region`
     */
    readonly awsRegion?: pulumi.Input<string>;
    /**
     * Whose IAM identity KEDA uses to read the queue depth: `keda` (the KEDA operator's own role, which the cluster
     * component grants `sqs:GetQueueAttributes` on the queues it is given) or `workload` (this workload's role, whose
     * `grantConsume` includes `GetQueueAttributes`). Both are scoped to the queue ARN.
     * @default "keda"
     */
    readonly identityOwner?: "keda" | "workload";
}

/** How the replica count is managed. An autoscaler always owns it: the Deployment never sets `replicas`. */
export type ServiceScaling = HpaScaling | QueueScaling;

/** A source allowed to reach this workload (one NetworkPolicy ingress rule). Give pods/namespaces, or a CIDR. */
export interface IngressPeer {
    /**
     * Namespace the clients run in (matched by its `kubernetes.io/metadata.name` label).
     * @default - this workload's namespace when `podLabels` is given
     */
    readonly namespace?: string;
    /**
     * Labels of the client pods.
     * @default - every pod of `namespace`
     */
    readonly podLabels?: Record<string, string>;
    /**
     * Source address range, e.g. the VPC CIDR for an ALB that targets pod IPs. Never `0.0.0.0/0`.
     * @default - none
     */
    readonly cidr?: pulumi.Input<string>;
    /**
     * Ports of this workload the peer may reach.
     * @default - [port] (or [healthPort] when the workload serves no port)
     */
    readonly ports?: number[];
    /**
     * The peer's mesh identity (`cluster.local/ns/<namespace>/sa/<serviceAccount>`, `meshPrincipal()`): with `mesh`,
     * the AuthorizationPolicy admits it on `ports`, and required for every peer (a CIDR peer cannot be in the mesh).
     * @default - none (required with `mesh`)
     */
    readonly principal?: string;
}

/** A destination this workload may reach (one NetworkPolicy egress rule). Give a CIDR, or pods/namespaces. */
export interface EgressRule {
    /**
     * Destination address range, e.g. the VPC CIDR for RDS (5432), Redis (6379) and interface endpoints (443).
     * Never `0.0.0.0/0`.
     * @default - none
     */
    readonly cidr?: pulumi.Input<string>;
    /**
     * Destination namespace (matched by its `kubernetes.io/metadata.name` label).
     * @default - this workload's namespace when `podLabels` is given
     */
    readonly namespace?: string;
    /**
     * Labels of the destination pods.
     * @default - every pod of `namespace`
     */
    readonly podLabels?: Record<string, string>;
    /**
     * Destination ports, at least one.
     * @default - required
     */
    readonly ports: number[];
    /**
     * Protocol of the ports.
     * @default "TCP"
     */
    readonly protocol?: "TCP" | "UDP";
}

/**
 * Egress to public internet addresses, for a workload whose callers choose where it connects (webhook receivers,
 * partner APIs): every IPv4 address except the private, shared (CGNAT), loopback, link-local (instance metadata),
 * multicast and reserved ranges, on `ports` only, through the VPC's NAT gateway. A named opt-out: `reason` is
 * recorded on the workload's NetworkPolicy (annotation `groundwork.dev/internet-egress-reason`), where the Kubernetes pack
 * asks for it.
 */
export interface InternetEgress {
    /**
     * Destination TCP ports, at least one (443 for HTTPS receivers).
     * @default - required
     */
    readonly ports: number[];
    /**
     * Why the workload must reach the internet, in a sentence of at least 10 characters (the packs' `MIN_REASON_LENGTH`,
     * as for an exemption).
     * @default - required
     */
    readonly reason: string;
}

/** An AWS Load Balancer Controller Ingress in front of the workload's Service: HTTPS only, HTTP redirected. */
export interface ServiceIngressArgs {
    /**
     * Host name the Ingress serves (also the TLS host).
     * @default - required
     */
    readonly host: string;
    /**
     * ARN of the ACM certificate for `host`. TLS is not optional: an Ingress without a certificate is refused.
     * @default - required
     */
    readonly certificateArn: pulumi.Input<string>;
    /**
     * `internal` (reached from the VPC, e.g. a CloudFront VPC origin) or `internet-facing`.
     * @default "internal"
     */
    readonly scheme?: "internal" | "internet-facing";
    /**
     * ALB group, to share one load balancer between Ingresses.
     * @default - an ALB of its own
     */
    readonly groupName?: string;
    /**
     * Path prefix routed to the workload.
     * @default "/"
     */
    readonly path?: string;
    /**
     * Security groups of the ALB (e.g. `Cdn.originSecurityGroupId`: 443 from CloudFront only). The controller then
     * manages the backend rules from the ALB to the pods.
     * @default - the controller creates a security group open to the listen ports
     */
    readonly securityGroupIds?: pulumi.Input<string>[];
    /**
     * A header every forwarded request must carry (e.g. CloudFront's `X-Origin-Verify` secret); other requests get
     * the ALB's default 404. The value is stored in the Ingress's annotations.
     * @default - no header condition
     */
    readonly requiredHeader?: { name: pulumi.Input<string>; value: pulumi.Input<string> };
}

/** A target group a {@link ServiceArgs.targetGroup} binding registers the pods in. */
export interface ServiceTargetGroupArgs {
    /**
     * ARN of the target group; its target type must be `ip` and its port the workload's `port`.
     * @default - required
     */
    readonly arn: pulumi.Input<string>;
}

/** A toleration of a node taint (Kubernetes `Toleration`, the fields Groundwork uses). */
export interface ServiceToleration {
    /** Taint key. */
    readonly key: string;
    /** `Equal` (with `value`) or `Exists`. @default "Equal" */
    readonly operator?: "Equal" | "Exists";
    /** Taint value (with `Equal`). @default - none */
    readonly value?: string;
    /** Taint effect tolerated. @default - all effects */
    readonly effect?: "NoSchedule" | "PreferNoSchedule" | "NoExecute";
}

/** Arguments of the {@link Service} component. */
export interface ServiceArgs extends BaseArgs {
    /**
     * The Kubernetes provider of the target cluster (`Cluster.provider`).
     * @default - required
     */
    readonly provider: kubernetes.Provider;
    /**
     * Namespace of the workload (a plain string: the IRSA trust policy pins it).
     * @default - required
     */
    readonly namespace: string;
    /**
     * Create the namespace, with Pod Security Admission `restricted` labels and a default-deny NetworkPolicy (a
     * {@link NamespaceIsolation} child). Leave false when several workloads share a namespace: create one
     * `NamespaceIsolation` and pass it in `dependsOn`.
     * @default false
     */
    readonly createNamespace?: boolean;
    /**
     * Container image, pinned: `repo@sha256:<digest>` (preferred) or `repo:<tag>` with a tag other than `latest`.
     * @default - required
     */
    readonly image: pulumi.Input<string>;
    /**
     * Entrypoint override (`["node", "dist/worker.js"]`).
     * @default - the image's entrypoint
     */
    readonly command?: pulumi.Input<string>[];
    /**
     * Arguments to the entrypoint.
     * @default - the image's command
     */
    readonly commandArgs?: pulumi.Input<string>[];
    /**
     * Port the workload serves. When given, a ClusterIP Service exposes it under the workload's name.
     * @default - no Service (a worker)
     */
    readonly port?: number;
    /**
     * Port of the health endpoints. Required when `port` is not given.
     * @default - port
     */
    readonly healthPort?: number;
    /**
     * Readiness endpoint (traffic stops while it fails). Must differ from `livenessPath`.
     * @default "/readyz"
     */
    readonly readinessPath?: string;
    /**
     * Liveness endpoint (the container restarts while it fails). Must differ from `readinessPath`.
     * @default "/healthz"
     */
    readonly livenessPath?: string;
    /**
     * Environment variables (plain values; secrets come from Secrets Manager through the workload identity).
     * @default {}
     */
    readonly env?: Record<string, pulumi.Input<string>>;
    /**
     * IAM role for the pods (`WorkloadIdentity.roleArn`, IRSA): set as the ServiceAccount's
     * `eks.amazonaws.com/role-arn` annotation. Omit for EKS Pod Identity (the association names the service account).
     * @default - no AWS identity
     */
    readonly roleArn?: pulumi.Input<string>;
    /**
     * Name of the ServiceAccount this component creates (a plain string: the IRSA trust policy pins it).
     * @default - the component's name
     */
    readonly serviceAccountName?: string;
    /**
     * Mount the Kubernetes API token. Only for workloads that call the Kubernetes API: IRSA and EKS Pod Identity
     * tokens are projected by EKS's webhook into a volume of their own, whatever this says.
     * @default false
     */
    readonly automountServiceAccountToken?: boolean;
    /**
     * Numeric, non-zero user id the containers run as (the image's USER must be numeric too).
     * @default 10001
     */
    readonly runAsUser?: number;
    /**
     * Numeric, non-zero group id the containers run as (also the fsGroup).
     * @default 10001
     */
    readonly runAsGroup?: number;
    /**
     * CPU request (Kubernetes quantity). No CPU limit is set: limits throttle, requests schedule.
     * @default "100m"
     */
    readonly cpuRequest?: string;
    /**
     * Memory request (Kubernetes quantity).
     * @default "128Mi"
     */
    readonly memoryRequest?: string;
    /**
     * Memory limit (Kubernetes quantity), at least the request.
     * @default "256Mi"
     */
    readonly memoryLimit?: string;
    /**
     * Size limit of the writable `/tmp` emptyDir (the root filesystem is read-only).
     * @default "64Mi"
     */
    readonly tmpSizeLimit?: string;
    /**
     * Replica management: CPU HPA, or KEDA on an SQS queue for workers.
     * @default { kind: "hpa", min: 2, max: 4, cpuUtilization: 70 }
     */
    readonly scaling?: ServiceScaling;
    /**
     * Who may connect (NetworkPolicy ingress). The namespace's default deny blocks everyone else.
     * @default [] (no inbound traffic)
     */
    readonly ingressFrom?: IngressPeer[];
    /**
     * Where the workload may connect besides DNS (kube-dns, 53 UDP/TCP, always allowed).
     * @default [] (DNS only)
     */
    readonly egressTo?: EgressRule[];
    /**
     * Egress to public internet addresses on the given ports, with the reason (see {@link InternetEgress}). Pods reach
     * AWS APIs through the VPC's endpoints (`egressTo` the VPC CIDR), so only a workload that calls third parties
     * needs this.
     * @default - none (no internet egress)
     */
    readonly internetEgress?: InternetEgress;
    /**
     * An ALB Ingress (HTTPS with an ACM certificate, HTTP redirected). Needs `port` and an `ingressFrom` CIDR peer
     * (the ALB reaches pod IPs from VPC addresses).
     * @default - no Ingress
     * @deprecated The ALB forwards to the pods in plaintext, which the pack's mandatory
     * `k8s-ingress-enforce-backend-tls` rejects, and the mesh (`mesh`) refuses. Own the load balancer with
     * `LoadBalancer` (HTTPS to the mesh's ingress gateway, `Mesh` `ingressGateway`) and route to the workload there.
     * Kept for programs that declare it today; removed in a later minor version.
     */
    readonly ingress?: ServiceIngressArgs;
    /**
     * An existing IP target group (for example `LoadBalancer.targetGroupArn`) the pods are registered in, through a
     * `TargetGroupBinding` the AWS Load Balancer Controller acts on: the program owns the load balancer, the
     * controller only moves pods in and out. Needs `port` and an `ingressFrom` CIDR peer (the load balancer reaches
     * pod IPs from VPC addresses); exclusive with `ingress`.
     * @default - no binding
     */
    readonly targetGroup?: ServiceTargetGroupArgs;
    /**
     * The pods are in the ambient mesh (their namespace is enrolled with STRICT mTLS: `NamespaceIsolation` `mesh`).
     * The NetworkPolicy then admits each pod peer on the HBONE port (15008) too, and the kubelet's probes from the
     * address istio-cni rewrites them to (169.254.7.127) on the health port, and an AuthorizationPolicy admits each
     * peer's `principal` on its ports only (every other caller is refused by ztunnel). Exclusive with `ingress` and
     * `targetGroup`: a load balancer is outside the mesh, so it reaches the workload through the mesh's gateway.
     * @default false
     */
    readonly mesh?: boolean;
    /**
     * Secrets Manager secrets mounted as files through the Secrets Store CSI driver and its AWS provider, fetched with
     * the pods' own IAM role (`roleArn`, which needs `secretsmanager:GetSecretValue` on each): a SecretProviderClass
     * and a read-only `csi` volume at `mountPath`, one file per secret named `fileName`. Never a Kubernetes Secret.
     * @default [] (none)
     */
    readonly secretMounts?: SecretMount[];
    /**
     * Extra labels for every object and the pods (the selector labels win).
     * @default {}
     */
    readonly labels?: Record<string, string>;
    /**
     * Seconds a pod gets to finish in-flight work after SIGTERM (the app's graceful shutdown).
     * @default 30
     */
    readonly terminationGracePeriodSeconds?: number;
    /**
     * Node labels the pods require (e.g. `{ "groundwork.dev/workload": "queue-worker" }` for the Spot worker group).
     * @default {}
     */
    readonly nodeSelector?: Record<string, string>;
    /**
     * Taints the pods tolerate (e.g. the worker group's `groundwork.dev/queue-worker=true:NoSchedule`).
     * @default []
     */
    readonly tolerations?: ServiceToleration[];
    /**
     * Changes to the args and options of child resources just before they are declared, by child ({@link Transform}):
     * the escape hatch for settings this component does not expose. The result is not validated again; the policy
     * packs judge the declared resources.
     * @default - none
     */
    readonly transform?: ServiceTransforms;
}

/** One Secrets Manager secret mounted as a file (`<mountPath>/<fileName>`). */
export interface SecretMount {
    /**
     * ARN of the secret (a name would be resolved in the pod's account and region; the ARN pins it).
     * @default - required
     */
    readonly secretArn: pulumi.Input<string>;
    /**
     * File name under the mount path.
     * @default - required
     */
    readonly fileName: string;
}

/** Per-child {@link Transform}s of a {@link Service}. */
export interface ServiceTransforms {
    /** The ServiceAccount. */
    readonly serviceAccount?: Transform<kubernetes.core.v1.ServiceAccountArgs>;
    /** The Deployment (its pod template is `spec.template`). */
    readonly deployment?: Transform<kubernetes.apps.v1.DeploymentArgs>;
    /** The PodDisruptionBudget. */
    readonly podDisruptionBudget?: Transform<kubernetes.policy.v1.PodDisruptionBudgetArgs>;
    /** The workload's allow NetworkPolicy. */
    readonly networkPolicy?: Transform<kubernetes.networking.v1.NetworkPolicyArgs>;
    /** The HorizontalPodAutoscaler, with `hpa` scaling. */
    readonly horizontalPodAutoscaler?: Transform<kubernetes.autoscaling.v2.HorizontalPodAutoscalerArgs>;
    /** The KEDA TriggerAuthentication, with `queue` scaling. */
    readonly triggerAuthentication?: Transform<kubernetes.apiextensions.CustomResourceArgs>;
    /** The KEDA ScaledObject, with `queue` scaling. */
    readonly scaledObject?: Transform<kubernetes.apiextensions.CustomResourceArgs>;
    /** The ClusterIP Service, with `port`. */
    readonly service?: Transform<kubernetes.core.v1.ServiceArgs>;
    /** The ALB Ingress, with `ingress`. */
    readonly ingress?: Transform<kubernetes.networking.v1.IngressArgs>;
    /** The AuthorizationPolicy, with `mesh`. */
    readonly authorizationPolicy?: Transform<kubernetes.apiextensions.CustomResourceArgs>;
    /** The SecretProviderClass, with `secretMounts`. */
    readonly secretProviderClass?: Transform<kubernetes.apiextensions.CustomResourceArgs>;
    /** The TargetGroupBinding, with `targetGroup`. */
    readonly targetGroupBinding?: Transform<kubernetes.apiextensions.CustomResourceArgs>;
    /** The `NamespaceIsolation` created with `createNamespace`: its own per-child transforms. */
    readonly namespace?: NamespaceIsolationTransforms;
}
