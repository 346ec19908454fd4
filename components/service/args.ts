import { MIN_REASON_LENGTH } from "@groundwork/policy-kit/facts";
import { ArgumentError } from "../base";
import { imagePinProblem } from "./image";
import type { HpaScaling, InternetEgress, QueueScaling, ServiceArgs, ServiceIngressArgs } from "./types";

/**
 * `T` with every field required and writable, except the `Optional` ones, which stay optional: the shape of
 * arguments once their defaults are applied.
 */
export type Resolved<T, Optional extends keyof T = never> = Flat<{ -readonly [K in Exclude<keyof T, Optional>]-?: Exclude<T[K], undefined> } & { -readonly [K in Optional]?: T[K] }>;

/** One object type from an intersection (what editors show, and what type equality compares). */
type Flat<T> = { [K in keyof T]: T[K] };

/** `ServiceScaling` with every default applied (a queue's `awsRegion` stays optional: the URL names it). */
export type ResolvedScaling = Resolved<HpaScaling> | Resolved<QueueScaling, "awsRegion">;

/** {@link ServiceIngressArgs} with `scheme` and `path` defaulted. */
export type ResolvedIngress = ServiceIngressArgs & Resolved<Pick<ServiceIngressArgs, "scheme" | "path">>;

/**
 * Fields of {@link ServiceArgs} that the component reads as given, with no default to apply: the provider, the
 * container's command, arguments and environment, the IRSA role, the tags and the transforms.
 */
export type UnresolvedServiceFields = "provider" | "command" | "commandArgs" | "env" | "roleArn" | "tags" | "transform" | "targetGroup" | "internetEgress";

/** Where {@link ServiceArgs.secretMounts} are mounted in the container (read-only). */
export const SECRET_MOUNT_PATH = "/mnt/secrets";

/**
 * {@link ServiceArgs} with every default applied and validated: every field required except `port` (a worker serves
 * none) and `ingress`; `scaling` and `ingress` with their own defaults.
 */
export type ResolvedServiceArgs = Resolved<Omit<ServiceArgs, UnresolvedServiceFields | "scaling" | "ingress">, "port"> & {
    /** Internet egress, its reason trimmed; undefined without one. */
    internetEgress?: InternetEgress;
    /** Scaling with defaults applied. */
    scaling: ResolvedScaling;
    /** The Ingress with `scheme` and `path` defaulted; undefined without one. */
    ingress?: ResolvedIngress;
};

const K8S_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;
const UNITS: Record<string, number> = { "": 1, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 };
const WORLD = new Set(["0.0.0.0/0", "::/0"]);

/** Value of a Kubernetes quantity (`250m`, `128Mi`), or undefined when it is not one. Pure. */
export function parseQuantity(q: string): number | undefined {
    const m = typeof q === "string" ? QUANTITY.exec(q) : null;
    return m ? Number(m[1]) * UNITS[m[3] ?? ""] : undefined;
}

/** True for a valid Kubernetes object name (DNS-1123 label, at most 63 characters). Pure. */
export function isK8sName(value: unknown): value is string {
    return typeof value === "string" && value.length <= 63 && K8S_NAME.test(value);
}

/**
 * Applies the defaults of {@link ServiceArgs} and validates them; throws an {@link ArgumentError} naming the
 * field and the fix. Pure (plain-string images are checked here; Output images when they resolve).
 */
export function resolveServiceArgs(name: string, args: ServiceArgs): ResolvedServiceArgs {
    const who = `Service '${name}'`;
    const fail = (field: string, problem: string, fix: string): never => {
        throw new ArgumentError(who, field, problem, fix);
    };
    const port = (field: string, v: number | undefined) => {
        if (v !== undefined && !(Number.isInteger(v) && v >= 1 && v <= 65535)) fail(field, `${v} is not a port`, "use an integer from 1 to 65535");
    };

    // Defaults.
    const r: ResolvedServiceArgs = {
        namespace: args.namespace,
        createNamespace: args.createNamespace ?? false,
        image: args.image,
        port: args.port,
        healthPort: args.healthPort ?? (args.port as number),
        readinessPath: args.readinessPath ?? "/readyz",
        livenessPath: args.livenessPath ?? "/healthz",
        serviceAccountName: args.serviceAccountName ?? name,
        automountServiceAccountToken: args.automountServiceAccountToken ?? false,
        runAsUser: args.runAsUser ?? 10001,
        runAsGroup: args.runAsGroup ?? 10001,
        cpuRequest: args.cpuRequest ?? "100m",
        memoryRequest: args.memoryRequest ?? "128Mi",
        memoryLimit: args.memoryLimit ?? "256Mi",
        tmpSizeLimit: args.tmpSizeLimit ?? "64Mi",
        scaling:
            args.scaling?.kind === "queue"
                ? {
                      kind: "queue",
                      queueUrl: args.scaling.queueUrl,
                      min: args.scaling.min ?? 2,
                      max: args.scaling.max ?? 10,
                      messagesPerReplica: args.scaling.messagesPerReplica ?? 5,
                      awsRegion: args.scaling.awsRegion,
                      identityOwner: args.scaling.identityOwner ?? "keda",
                  }
                : { kind: "hpa", min: args.scaling?.min ?? 2, max: args.scaling?.max ?? 4, cpuUtilization: args.scaling?.cpuUtilization ?? 70 },
        ingressFrom: args.ingressFrom ?? [],
        egressTo: args.egressTo ?? [],
        ingress: args.ingress ? { ...args.ingress, scheme: args.ingress.scheme ?? "internal", path: args.ingress.path ?? "/" } : undefined,
        labels: args.labels ?? {},
        terminationGracePeriodSeconds: args.terminationGracePeriodSeconds ?? 30,
        nodeSelector: args.nodeSelector ?? {},
        tolerations: args.tolerations ?? [],
        mesh: args.mesh ?? false,
        secretMounts: args.secretMounts ?? [],
        internetEgress: args.internetEgress ? { ports: args.internetEgress.ports, reason: typeof args.internetEgress.reason === "string" ? args.internetEgress.reason.trim() : args.internetEgress.reason } : undefined,
    };

    // Validation.
    if (!isK8sName(name)) fail("name", `'${name}' is not a Kubernetes name`, "use lower-case letters, digits and '-', at most 63 characters");
    if (!args.provider) fail("provider", "no Kubernetes provider is given", "pass the cluster's provider (Cluster.provider)");
    if (!isK8sName(r.namespace)) fail("namespace", `'${String(r.namespace)}' is not a Kubernetes name`, "use lower-case letters, digits and '-', at most 63 characters");
    if (!isK8sName(r.serviceAccountName)) fail("serviceAccountName", `'${r.serviceAccountName}' is not a Kubernetes name`, "use lower-case letters, digits and '-'");
    if (r.serviceAccountName === "default") fail("serviceAccountName", "the namespace's default service account is shared by every pod", "leave it unset (the component's name is used)");
    if (typeof r.image === "string") {
        const problem = imagePinProblem(r.image);
        if (problem) fail("image", problem, "pin the image by digest (`repo@sha256:<digest>`, preferred) or by a version tag (`repo:1.4.2`)");
    } else if (r.image === undefined || r.image === null) {
        fail("image", "no image is given", "pass the image pinned by digest (`repo@sha256:<digest>`)");
    }
    port("port", r.port);
    port("healthPort", args.healthPort);
    if (r.healthPort === undefined) fail("healthPort", "a workload without `port` has no port for its probes", "set healthPort to the port serving /healthz and /readyz (the worker's WORKER_METRICS_PORT)");
    for (const [field, path] of [["readinessPath", r.readinessPath], ["livenessPath", r.livenessPath]] as const) {
        if (!path.startsWith("/")) fail(field, `'${path}' is not an absolute path`, "start it with '/'");
    }
    if (r.readinessPath === r.livenessPath) {
        fail("livenessPath", `readiness and liveness probes both use '${r.livenessPath}'`, "use distinct endpoints (/readyz checks dependencies, /healthz only the process), or a restart loop follows a dependency outage");
    }
    for (const [field, id] of [["runAsUser", r.runAsUser], ["runAsGroup", r.runAsGroup]] as const) {
        if (!Number.isInteger(id) || id <= 0) fail(field, `${id} is not a non-zero numeric id`, "use a numeric id above 0 (10001 by default), matching the image's USER");
    }
    for (const [field, q] of [["cpuRequest", r.cpuRequest], ["memoryRequest", r.memoryRequest], ["memoryLimit", r.memoryLimit], ["tmpSizeLimit", r.tmpSizeLimit]] as const) {
        const v = parseQuantity(q);
        if (v === undefined || v <= 0) fail(field, `'${q}' is not a positive Kubernetes quantity`, "use a quantity like '250m' (CPU) or '256Mi' (memory)");
    }
    if (parseQuantity(r.memoryLimit)! < parseQuantity(r.memoryRequest)!) {
        fail("memoryLimit", `${r.memoryLimit} is below the memory request ${r.memoryRequest}`, "set memoryLimit at least to memoryRequest");
    }
    const s = r.scaling;
    const lowest = s.kind === "hpa" ? 1 : 0;
    if (!Number.isInteger(s.min) || s.min < lowest) fail("scaling.min", `${s.min} is not an integer of at least ${lowest}`, s.kind === "hpa" ? "use 2 or more (1 only in dev)" : "use 0 (scale to zero) or more");
    if (!Number.isInteger(s.max) || s.max < 1) fail("scaling.max", `${s.max} is not a positive integer`, "use 1 or more");
    if (s.min > s.max) fail("scaling.min", `min ${s.min} is greater than max ${s.max}`, "lower min or raise max");
    if (s.kind === "hpa" && !(Number.isInteger(s.cpuUtilization) && s.cpuUtilization >= 10 && s.cpuUtilization <= 95)) {
        fail("scaling.cpuUtilization", `${s.cpuUtilization} is not a percentage from 10 to 95`, "use a CPU target like 70");
    }
    if (s.kind === "queue") {
        if (s.queueUrl === undefined || s.queueUrl === "") fail("scaling.queueUrl", "no queue URL is given", "pass the queue's URL (Queue.url)");
        if (typeof s.queueUrl === "string" && !/^https:\/\/sqs\.[a-z0-9-]+\.amazonaws\.com(\.cn)?\/\d{12}\/[A-Za-z0-9_-]+(\.fifo)?$/.test(s.queueUrl)) {
            fail("scaling.queueUrl", `'${s.queueUrl}' is not an SQS queue URL`, "pass Queue.url (https://sqs.<region>.amazonaws.com/<account>/<name>)");
        }
        if (!Number.isInteger(s.messagesPerReplica) || s.messagesPerReplica < 1) fail("scaling.messagesPerReplica", `${s.messagesPerReplica} is not a positive integer`, "use the messages one replica works through, like 5");
        if (s.identityOwner !== "keda" && s.identityOwner !== "workload") fail("scaling.identityOwner", `'${s.identityOwner as string}' is not an identity owner`, "use 'keda' or 'workload'");
        if (s.identityOwner === "workload" && args.roleArn === undefined) fail("scaling.identityOwner", "'workload' reads the queue depth with the workload's role, but no roleArn is given", "pass roleArn, or use 'keda'");
    }
    r.ingressFrom.forEach((p, i) => {
        const field = `ingressFrom[${i}]`;
        const byPods = p.namespace !== undefined || p.podLabels !== undefined;
        if (byPods === (p.cidr !== undefined)) fail(field, "a peer needs either pods/namespace or a CIDR, not both or neither", "give `namespace` and/or `podLabels`, or `cidr`");
        if (typeof p.cidr === "string" && WORLD.has(p.cidr)) fail(`${field}.cidr`, `${p.cidr} admits the whole internet`, "use the VPC CIDR (an ALB reaches pods from it) or the clients' range");
        if (p.namespace !== undefined && !isK8sName(p.namespace)) fail(`${field}.namespace`, `'${p.namespace}' is not a Kubernetes name`, "use the namespace's name");
        (p.ports ?? []).forEach((v) => port(`${field}.ports`, v));
    });
    r.egressTo.forEach((e, i) => {
        const field = `egressTo[${i}]`;
        const byPods = e.namespace !== undefined || e.podLabels !== undefined;
        if (byPods === (e.cidr !== undefined)) fail(field, "a destination needs either pods/namespace or a CIDR, not both or neither", "give `cidr`, or `namespace` and/or `podLabels`");
        if (typeof e.cidr === "string" && WORLD.has(e.cidr)) fail(`${field}.cidr`, `${e.cidr} allows the whole internet`, "name the destination range (the VPC CIDR reaches RDS, Redis and the VPC endpoints), or use internetEgress with a reason for public receivers");
        if (e.namespace !== undefined && !isK8sName(e.namespace)) fail(`${field}.namespace`, `'${e.namespace}' is not a Kubernetes name`, "use the namespace's name");
        if (!Array.isArray(e.ports) || e.ports.length === 0) fail(`${field}.ports`, "no port is given", "list the destination ports, like [5432]");
        e.ports.forEach((v) => port(`${field}.ports`, v));
        if (e.protocol !== undefined && e.protocol !== "TCP" && e.protocol !== "UDP") fail(`${field}.protocol`, `'${e.protocol as string}' is not a protocol`, "use 'TCP' or 'UDP'");
    });
    if (r.internetEgress) {
        const ie = r.internetEgress;
        if (!Array.isArray(ie.ports) || ie.ports.length === 0) fail("internetEgress.ports", "no port is given", "list the ports the receivers listen on, like [443]");
        ie.ports.forEach((v) => port("internetEgress.ports", v));
        if (typeof ie.reason !== "string" || ie.reason.length < MIN_REASON_LENGTH) {
            fail("internetEgress.reason", `internet egress needs a reason of at least ${MIN_REASON_LENGTH} characters (the packs' minimum)`, "say why the workload calls the internet, e.g. 'delivers signed webhooks to customer endpoints'");
        }
    }
    if (r.mesh) {
        if (r.ingress) fail("ingress", "an ALB Ingress reaches the pods in plaintext from outside the mesh, which STRICT mTLS refuses", "route the load balancer to the mesh's ingress gateway (Mesh ingressGateway) and drop ingress");
        if (args.targetGroup !== undefined) fail("targetGroup", "the load balancer is outside the mesh, so STRICT mTLS refuses its connections to the pods", "register the mesh's ingress gateway in the target group (Mesh ingressGateway) and admit its principal in ingressFrom");
        r.ingressFrom.forEach((p, i) => {
            if (p.cidr !== undefined) fail(`ingressFrom[${i}].cidr`, "an address range is not a mesh identity, and STRICT mTLS refuses connections from outside the mesh", "name the peer's pods and its `principal` (meshPrincipal(namespace, serviceAccount))");
            if (!p.principal || !/^[^/\s]+\/ns\/[a-z0-9-]+\/sa\/[a-z0-9.-]+$/.test(p.principal)) {
                fail(`ingressFrom[${i}].principal`, `'${p.principal ?? ""}' is not a mesh principal`, "pass meshPrincipal(<namespace>, <service account>) of the peer's pods");
            }
        });
    }
    if (r.ingress) {
        if (r.port === undefined) fail("ingress", "an Ingress needs a Service, which needs `port`", "set port, or drop ingress");
        if (!r.ingress.host || !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(r.ingress.host)) fail("ingress.host", `'${r.ingress.host}' is not a host name`, "use a DNS name like api.example.com");
        if (r.ingress.certificateArn === undefined || r.ingress.certificateArn === "") fail("ingress.certificateArn", "no certificate is given, and an Ingress without TLS is not allowed", "pass the ACM certificate ARN for the host");
        if (typeof r.ingress.certificateArn === "string" && !/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[A-Za-z0-9-]+$/.test(r.ingress.certificateArn)) {
            fail("ingress.certificateArn", `'${r.ingress.certificateArn}' is not an ACM certificate ARN`, "pass the certificate's ARN (arn:aws:acm:<region>:<account>:certificate/<id>)");
        }
        if (r.ingress.scheme !== "internal" && r.ingress.scheme !== "internet-facing") fail("ingress.scheme", `'${r.ingress.scheme as string}' is not a scheme`, "use 'internal' or 'internet-facing'");
        if (!r.ingress.path.startsWith("/")) fail("ingress.path", `'${r.ingress.path}' is not an absolute path`, "start it with '/'");
        if (!r.ingressFrom.some((p) => p.cidr !== undefined)) {
            fail("ingressFrom", "the ALB reaches the pods from VPC addresses, which no ingressFrom peer admits", "add `{ cidr: <VPC CIDR> }` to ingressFrom");
        }
    }
    if (args.targetGroup !== undefined) {
        if (r.ingress) fail("targetGroup", "a workload is exposed either by an Ingress (the controller's load balancer) or by a target group (yours), not both", "drop ingress or targetGroup");
        if (r.port === undefined) fail("targetGroup", "the binding registers the Service's endpoints, and a Service needs `port`", "set port, or drop targetGroup");
        if (args.targetGroup.arn === undefined || args.targetGroup.arn === "") fail("targetGroup.arn", "no target group ARN is given", "pass LoadBalancer.targetGroupArn");
        if (typeof args.targetGroup.arn === "string" && !/^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:targetgroup\/[^/]+\/[0-9a-f]+$/.test(args.targetGroup.arn)) {
            fail("targetGroup.arn", `'${args.targetGroup.arn}' is not a target group ARN`, "pass the ARN (arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>)");
        }
        if (!r.ingressFrom.some((p) => p.cidr !== undefined)) {
            fail("ingressFrom", "the load balancer reaches the pods from VPC addresses, which no ingressFrom peer admits", "add `{ cidr: <VPC CIDR> }` to ingressFrom");
        }
    }
    if (r.secretMounts.length > 0 && args.roleArn === undefined) fail("secretMounts", "the AWS provider fetches the secrets with the pods' IAM role, and no roleArn is given", "pass roleArn (a WorkloadIdentity granted read on each secret)");
    const files = new Set<string>();
    r.secretMounts.forEach((m, i) => {
        if (m.secretArn === undefined || m.secretArn === "") fail(`secretMounts[${i}].secretArn`, "no secret ARN is given", "pass the Secrets Manager secret's ARN");
        if (typeof m.secretArn === "string" && !/^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:.+$/.test(m.secretArn)) {
            fail(`secretMounts[${i}].secretArn`, `'${m.secretArn}' is not a Secrets Manager secret ARN`, "pass the ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)");
        }
        if (!/^[A-Za-z0-9._-]+$/.test(m.fileName ?? "") || m.fileName.startsWith(".")) fail(`secretMounts[${i}].fileName`, `'${m.fileName}' is not a plain file name`, "use letters, digits, '.', '_' and '-', not starting with '.'");
        if (files.has(m.fileName)) fail(`secretMounts[${i}].fileName`, `'${m.fileName}' is mounted twice`, "give each secret its own file name");
        files.add(m.fileName);
    });
    r.tolerations.forEach((t, i) => {
        if (!t.key) fail(`tolerations[${i}].key`, "no taint key is given", "name the taint's key");
        if (t.operator === "Exists" && t.value !== undefined) fail(`tolerations[${i}].value`, "operator Exists takes no value", "drop value, or use operator Equal");
    });
    if (r.ingress?.requiredHeader && !r.ingress.requiredHeader.name) fail("ingress.requiredHeader.name", "no header name is given", "pass the header's name (Cdn.originVerifyHeaderName)");
    if (!Number.isInteger(r.terminationGracePeriodSeconds) || r.terminationGracePeriodSeconds < 1) {
        fail("terminationGracePeriodSeconds", `${r.terminationGracePeriodSeconds} is not a positive integer`, "use the seconds the app needs to drain, like 30");
    }
    return r;
}
