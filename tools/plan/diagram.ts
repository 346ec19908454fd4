import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import { createHash } from "node:crypto";
import type { RecordedGraph, RecordedResource } from "./engine";
import { UNKNOWN_MARK } from "./engine";

/**
 * A picture of a stack (README "Diagrams and plan diffs"): Groundwork components as clusters, the resources that
 * matter inside them, and the edges that say who can reach or use whom. Built from the recorded graph of a plan,
 * so it shows what the program declares, as the mock engine answered it.
 *
 * Unknown values (`--preview`): an edge whose endpoint is named by a value that is still unknown is drawn from the
 * property's dependencies when they name exactly the resources of the expected kind (security group rules, CDN
 * origins, and IAM grants, whose verbs are then unknown); a NetworkPolicy whose spec is unknown draws nothing.
 */

/** What an edge stands for. */
export type EdgeKind =
    /** A security group rule lets the source group's members reach the target group's. */
    | "network"
    /** A Kubernetes NetworkPolicy allows traffic from one set of pods (or addresses) to another. */
    | "netpol"
    /** A role's policy allows actions on a resource. */
    | "iam"
    /** A CloudFront distribution fetches from an origin. */
    | "cdn";

/** One box of the diagram. */
export interface DiagramNode {
    /** Stable id (derived from the URN, or from the description of an external peer). */
    id: string;
    /** URN of the resource; null for a peer outside the program (a domain, an address block, pods of a chart). */
    urn: string | null;
    /** Pulumi type token; `external` for a peer outside the program. */
    type: string;
    /** Label lines: what it is and its name, then a detail line when there is one. */
    label: string[];
    /** Id of the component cluster holding it; null at the top level. */
    cluster: string | null;
}

/** A Groundwork component drawn as a cluster around its key resources. */
export interface DiagramCluster {
    /** Stable id derived from the URN. */
    id: string;
    /** URN of the component. */
    urn: string;
    /** Label: the component's class and name. */
    label: string;
    /** Id of the enclosing component's cluster; null at the top level. */
    parent: string | null;
}

/** One arrow of the diagram. */
export interface DiagramEdge {
    /** Id of the source node. */
    from: string;
    /** Id of the target node. */
    to: string;
    /** What the edge stands for. */
    kind: EdgeKind;
    /** Label: ports for network edges, verbs for IAM grants, the origin id for CDN origins. */
    label: string;
    /** For an IAM grant on an SQS queue: the role sends (producer), receives/deletes (consumer) or both. */
    queue?: "producer" | "consumer" | "producer, consumer";
}

/** The diagram of one stack, sorted for stable output. */
export interface Diagram {
    /** Project name. */
    project: string;
    /** Stack name. */
    stack: string;
    /** Component clusters, sorted by id. */
    clusters: DiagramCluster[];
    /** Nodes, sorted by id. */
    nodes: DiagramNode[];
    /** Edges, sorted by source, target, kind and label. */
    edges: DiagramEdge[];
}

/** The resource types drawn, with the words their label starts with. */
const KEY_TYPES: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "VPC",
    "aws:ec2/securityGroup:SecurityGroup": "security group",
    "aws:eks/cluster:Cluster": "EKS cluster",
    "aws:eks/nodeGroup:NodeGroup": "node group",
    "aws:rds/instance:Instance": "RDS instance",
    "aws:rds/cluster:Cluster": "RDS cluster",
    "aws:elasticache/replicationGroup:ReplicationGroup": "ElastiCache group",
    "aws:elasticache/cluster:Cluster": "ElastiCache cluster",
    "aws:sqs/queue:Queue": "SQS queue",
    "aws:sns/topic:Topic": "SNS topic",
    "aws:kms/key:Key": "KMS key",
    "aws:secretsmanager/secret:Secret": "secret",
    "aws:s3/bucket:Bucket": "S3 bucket",
    "aws:s3/bucketV2:BucketV2": "S3 bucket",
    "aws:cloudfront/distribution:Distribution": "CloudFront",
    "aws:wafv2/webAcl:WebAcl": "WAF web ACL",
    "aws:lb/loadBalancer:LoadBalancer": "load balancer",
    "aws:alb/loadBalancer:LoadBalancer": "load balancer",
    "aws:iam/role:Role": "IAM role",
    "kubernetes:apps/v1:Deployment": "Deployment",
    "kubernetes:apps/v1:StatefulSet": "StatefulSet",
    "kubernetes:apps/v1:DaemonSet": "DaemonSet",
    "kubernetes:batch/v1:Job": "Job",
    "kubernetes:batch/v1:CronJob": "CronJob",
    "kubernetes:core/v1:Service": "Service",
    "kubernetes:networking.k8s.io/v1:NetworkPolicy": "NetworkPolicy",
};

const SG = "aws:ec2/securityGroup:SecurityGroup";
const ROLE = "aws:iam/role:Role";
const QUEUE = "aws:sqs/queue:Queue";
const BUCKETS = ["aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"];
const LBS = ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"];
const WORKLOADS = ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1:DaemonSet", "kubernetes:batch/v1:Job", "kubernetes:batch/v1:CronJob"];
const NETPOL = "kubernetes:networking.k8s.io/v1:NetworkPolicy";
/** Roles of workloads are drawn even without a grant edge; other roles only when they have one. */
const WORKLOAD_IDENTITY = "groundwork:identity:WorkloadIdentity";

const hash = (s: string, n = 6) => createHash("sha256").update(s).digest("hex").slice(0, n);
const slug = (s: string) => {
    const t = s.replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 40);
    return /^[A-Za-z]/.test(t) ? t : `r_${t}`;
};
/** Stable id of a resource: readable name plus a hash of its URN (names repeat across types and components). */
const idOf = (urn: string) => `${slug(urn.split("::").pop() ?? "r")}_${hash(urn)}`;
const isKnown = (v: unknown): v is string => typeof v === "string" && v !== UNKNOWN_MARK && v.length > 0;
const asArray = <T>(v: T | T[] | undefined | null): T[] => (v === undefined || v === null ? [] : Array.isArray(v) ? v : [v]);

/** Glob match as IAM does it (`*` any run, `?` one character), case-sensitive for resources. */
function globMatch(pattern: string, value: string, ignoreCase = false): boolean {
    if (!pattern.includes("*") && !pattern.includes("?")) return ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
    const re = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".");
    return new RegExp(`^${re}$`, ignoreCase ? "i" : "").test(value);
}

/** A label's port part: `tcp/443`, `tcp/1025-65535`, `all traffic`. */
export function portLabel(protocol: unknown, from: unknown, to: unknown): string {
    const p = String(protocol ?? "-1").toLowerCase();
    if (p === "-1" || p === "all") return "all traffic";
    if (from === undefined || from === null) return p;
    return from === to || to === undefined || to === null ? `${p}/${from}` : `${p}/${from}-${to}`;
}

/** Parses a policy document given as JSON text or an object; null when unknown or unreadable. */
function policyStatements(doc: unknown): { actions: string[]; resources: string[] }[] | null {
    let d: any = doc;
    if (typeof d === "string") {
        if (d.includes(UNKNOWN_MARK)) return null;
        try {
            d = JSON.parse(d);
        } catch {
            return null;
        }
    }
    if (!d || typeof d !== "object") return null;
    return asArray<any>(d.Statement)
        .filter((s) => s && s.Effect === "Allow" && s.Action !== undefined && s.Resource !== undefined)
        .map((s) => ({ actions: asArray<string>(s.Action).filter(isKnown), resources: asArray<string>(s.Resource).filter(isKnown) }));
}

/** Whether a label selector (`matchLabels`, `matchExpressions`) selects these labels; an empty selector selects all. */
export function selects(selector: any, labels: Record<string, string>): boolean {
    if (!selector || typeof selector !== "object") return false;
    for (const [k, v] of Object.entries(selector.matchLabels ?? {})) if (labels[k] !== v) return false;
    for (const e of asArray<any>(selector.matchExpressions)) {
        const has = e.key in labels;
        const inValues = asArray<string>(e.values).includes(labels[e.key]);
        if (e.operator === "In" && !(has && inValues)) return false;
        if (e.operator === "NotIn" && has && inValues) return false;
        if (e.operator === "Exists" && !has) return false;
        if (e.operator === "DoesNotExist" && has) return false;
    }
    return true;
}

/** A selector in words: `k=v, k2 in (a,b)`; `all` when empty. */
function selectorText(selector: any): string {
    const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
    for (const e of asArray<any>(selector?.matchExpressions)) parts.push(`${e.key} ${String(e.operator).toLowerCase()}${e.values ? ` (${asArray(e.values).join(",")})` : ""}`);
    return parts.length > 0 ? parts.sort().join(", ") : "all";
}

/** A verb list for a label: the service prefix once when they share it, at most five verbs, then how many more. */
export function verbsLabel(actions: string[]): string {
    const sorted = [...new Set(actions)].sort();
    const services = new Set(sorted.map((a) => a.split(":")[0]));
    const shown = services.size === 1 && sorted.every((a) => a.includes(":")) ? sorted.map((a, i) => (i === 0 ? a : a.slice(a.indexOf(":") + 1))) : sorted;
    return shown.length <= 5 ? shown.join(", ") : `${shown.slice(0, 5).join(", ")} +${shown.length - 5}`;
}

/**
 * Whether a policy's Resource entry names this ARN: the ARN itself, something under it (`<bucket ARN>/*`), or a
 * pattern whose literal part reaches into the resource's own name (`...:secret:db-master-??????`). Patterns that
 * leave the name to a wildcard (`arn:aws:ec2:*:*:security-group/*`, `*`) name no resource in particular: not drawn.
 */
export function namesArn(pattern: string, arn: string): boolean {
    if (pattern === arn || pattern.startsWith(`${arn}/`)) return true;
    const wild = pattern.search(/[*?]/);
    if (wild < 0 || !globMatch(pattern, arn)) return false;
    return wild > Math.max(arn.lastIndexOf("/"), arn.lastIndexOf(":")) + 1;
}

/** Two labels of one edge as one: `sg: tcp/443` and `sg: tcp/8080` give `sg: tcp/443, tcp/8080`. */
export function mergeLabels(a: string, b: string): string {
    const byPrefix = new Map<string, Set<string>>();
    for (const entry of [...a.split("; "), ...b.split("; ")]) {
        const i = entry.indexOf(": ");
        const [prefix, rest] = i < 0 ? [entry, ""] : [entry.slice(0, i), entry.slice(i + 2)];
        const set = byPrefix.get(prefix) ?? new Set<string>();
        for (const part of rest.split(", ")) if (part) set.add(part);
        byPrefix.set(prefix, set);
    }
    const numeric = (x: string, y: string) => x.localeCompare(y, "en", { numeric: true });
    return [...byPrefix]
        .sort((x, y) => numeric(x[0], y[0]))
        .map(([prefix, parts]) => (parts.size > 0 ? `${prefix}: ${[...parts].sort(numeric).join(", ")}` : prefix))
        .join("; ");
}

/** Builds the diagram of a recorded graph: key resources in their components, and the edges between them. */
export function buildDiagram(graph: RecordedGraph): Diagram {
    const byUrn = new Map(graph.resources.map((r) => [r.urn, r]));
    const ofType = (types: string[]) => graph.resources.filter((r) => types.includes(r.type));
    const componentOf = (r: RecordedResource): RecordedResource | undefined => {
        for (let p = r.parent ? byUrn.get(r.parent) : undefined; p; p = p.parent ? byUrn.get(p.parent) : undefined) {
            if (!p.custom && p.type.startsWith("groundwork:")) return p;
        }
        return undefined;
    };

    const nodes = new Map<string, DiagramNode>();
    const edges = new Map<string, DiagramEdge>();
    const candidates = new Set<string>(); // URNs of key resources (roles join when they have a grant)
    for (const r of graph.resources) {
        if (!(r.type in KEY_TYPES) || !r.custom) continue;
        if (r.type === ROLE && componentOf(r)?.type !== WORKLOAD_IDENTITY) continue;
        candidates.add(r.urn);
    }
    const addEdge = (e: DiagramEdge) => {
        const key = `${e.from}\u0000${e.to}\u0000${e.kind}`;
        const prev = edges.get(key);
        if (!prev) {
            edges.set(key, e);
            return;
        }
        prev.label = mergeLabels(prev.label, e.label);
        if (e.queue && prev.queue !== e.queue) prev.queue = prev.queue ? "producer, consumer" : e.queue;
    };
    const external = (description: string): string => {
        const id = `x_${slug(description).slice(0, 24)}_${hash(description)}`;
        if (!nodes.has(id)) nodes.set(id, { id, urn: null, type: "external", label: [description], cluster: null });
        return id;
    };

    // A property naming another resource: by value (id, ARN, name) when known; from the property's dependencies
    // when the value is unknown (preview), if they name resources of the expected types.
    const resolve = (r: RecordedResource, prop: string, value: unknown, types: string[], fields = ["id", "arn", "name"]): RecordedResource[] => {
        if (isKnown(value)) {
            return graph.resources.filter((c) => types.includes(c.type) && fields.some((f) => c.outputs?.[f] === value));
        }
        if (value !== UNKNOWN_MARK) return [];
        return (r.propertyDependencies[prop] ?? []).map((u) => byUrn.get(u)).filter((c): c is RecordedResource => !!c && types.includes(c.type));
    };

    // Security groups: who can reach whom (ingress rules naming another group; egress rules are not drawn).
    const sgEdge = (source: RecordedResource, target: RecordedResource, label: string) => addEdge({ from: idOf(source.urn), to: idOf(target.urn), kind: "network", label: `sg: ${label}` });
    for (const r of graph.resources) {
        const i = r.inputs;
        if (r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule" && i.referencedSecurityGroupId !== undefined) {
            const ports = portLabel(i.ipProtocol, i.fromPort, i.toPort);
            for (const t of resolve(r, "securityGroupId", i.securityGroupId, [SG])) for (const s of resolve(r, "referencedSecurityGroupId", i.referencedSecurityGroupId, [SG])) sgEdge(s, t, ports);
        } else if (r.type === "aws:ec2/securityGroupRule:SecurityGroupRule" && i.type === "ingress") {
            const ports = portLabel(i.protocol, i.fromPort, i.toPort);
            const targets = resolve(r, "securityGroupId", i.securityGroupId, [SG]);
            const sources = i.self === true ? targets : i.sourceSecurityGroupId !== undefined ? resolve(r, "sourceSecurityGroupId", i.sourceSecurityGroupId, [SG]) : [];
            for (const t of targets) for (const s of sources) sgEdge(s, t, ports);
        } else if (r.type === SG && Array.isArray(i.ingress)) {
            for (const rule of i.ingress) {
                const ports = portLabel(rule.protocol, rule.fromPort, rule.toPort);
                if (rule.self === true) sgEdge(r, r, ports);
                for (const ref of asArray<string>(rule.securityGroups)) for (const s of resolve(r, "ingress", ref, [SG])) sgEdge(s, r, ports);
            }
        }
    }

    // IAM grants: the Allow statements of each role's policies whose Resource names a key resource's ARN.
    const arnTargets = graph.resources.filter((r) => r.type in KEY_TYPES && r.custom && isKnown(r.outputs?.arn));
    const grants = new Map<string, { role: RecordedResource; target: RecordedResource; actions: Set<string> }>();
    const grant = (role: RecordedResource, doc: unknown, deps: string[]) => {
        const statements = policyStatements(doc);
        if (statements === null) {
            if (doc !== UNKNOWN_MARK) return;
            // Preview: the document waits on ARNs; its dependencies still say which resources it is about.
            for (const u of deps) {
                const t = byUrn.get(u);
                if (!t || !candidates.has(t.urn) || t.type === ROLE) continue;
                candidates.add(role.urn);
                addEdge({ from: idOf(role.urn), to: idOf(t.urn), kind: "iam", label: "iam: actions unknown in preview" });
            }
            return;
        }
        for (const s of statements) {
            for (const pattern of s.resources) {
                for (const t of arnTargets) {
                    if (!namesArn(pattern, t.outputs.arn as string)) continue;
                    const key = `${role.urn}\u0000${t.urn}`;
                    const g = grants.get(key) ?? { role, target: t, actions: new Set<string>() };
                    for (const a of s.actions) g.actions.add(a);
                    grants.set(key, g);
                }
            }
        }
    };
    const roleOf = (r: RecordedResource, prop: string) => resolve(r, prop, r.inputs[prop], [ROLE], ["name", "id", "arn"]);
    for (const r of graph.resources) {
        if (r.type === "aws:iam/rolePolicy:RolePolicy") {
            for (const role of roleOf(r, "role")) grant(role, r.inputs.policy, r.propertyDependencies.policy ?? []);
        } else if (r.type === ROLE) {
            for (const p of asArray<any>(r.inputs.inlinePolicies)) grant(r, p?.policy, r.propertyDependencies.inlinePolicies ?? []);
        } else if (r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment") {
            for (const policy of resolve(r, "policyArn", r.inputs.policyArn, ["aws:iam/policy:Policy"], ["arn"])) {
                for (const role of roleOf(r, "role")) grant(role, policy.inputs.policy, policy.propertyDependencies.policy ?? []);
            }
        }
    }

    for (const { role, target, actions } of grants.values()) {
        let queue: DiagramEdge["queue"];
        if (target.type === QUEUE) {
            const does = (verb: string) => [...actions].some((a) => globMatch(a, verb, true));
            const producer = does("sqs:SendMessage");
            const consumer = does("sqs:ReceiveMessage") || does("sqs:DeleteMessage");
            queue = producer && consumer ? "producer, consumer" : producer ? "producer" : consumer ? "consumer" : undefined;
        }
        candidates.add(role.urn);
        candidates.add(target.urn);
        addEdge({ from: idOf(role.urn), to: idOf(target.urn), kind: "iam", label: `${queue ?? "iam"}: ${verbsLabel([...actions])}`, ...(queue ? { queue } : {}) });
    }

    // CDN origins: a bucket or load balancer of the program by its domain name, directly or through a Route 53
    // alias record of the program (an origin name pointing at the load balancer), otherwise the domain itself.
    const byDomain = (domain: string) =>
        graph.resources.find((c) => [...BUCKETS, ...LBS].includes(c.type) && [c.outputs?.bucketRegionalDomainName, c.outputs?.bucketDomainName, c.outputs?.dnsName].includes(domain));
    const fqdn = (n: unknown) => (isKnown(n) ? n.toLowerCase().replace(/\.$/, "") : "");
    const originTarget = (domain: string): RecordedResource | undefined => {
        const direct = byDomain(domain);
        if (direct) return direct;
        for (const rec of ofType(["aws:route53/record:Record"])) {
            if (fqdn(rec.inputs.name) !== fqdn(domain)) continue;
            const names = [...asArray<any>(rec.inputs.aliases).map((a) => a?.name), ...asArray<string>(rec.inputs.records)].filter(isKnown);
            for (const n of names) {
                const t = byDomain(n) ?? byDomain(fqdn(n));
                if (t) return t;
            }
            // Preview: the alias's name is unknown, its dependencies are not.
            const [dep] = [...resolve(rec, "aliases", UNKNOWN_MARK, [...BUCKETS, ...LBS]), ...resolve(rec, "records", UNKNOWN_MARK, [...BUCKETS, ...LBS])];
            if (dep) return dep;
        }
        return undefined;
    };
    for (const d of ofType(["aws:cloudfront/distribution:Distribution"])) {
        const origins = d.inputs.origins;
        if (origins === UNKNOWN_MARK || (Array.isArray(origins) && origins.some((o) => !isKnown(o?.domainName)))) {
            for (const t of resolve(d, "origins", UNKNOWN_MARK, [...BUCKETS, ...LBS])) {
                candidates.add(t.urn);
                addEdge({ from: idOf(d.urn), to: idOf(t.urn), kind: "cdn", label: "origin" });
            }
        }
        for (const o of asArray<any>(Array.isArray(origins) ? origins : [])) {
            if (!isKnown(o?.domainName)) continue;
            const label = `origin ${isKnown(o.originId) ? o.originId : ""}`.trim();
            const t = originTarget(o.domainName);
            if (t) candidates.add(t.urn);
            addEdge({ from: idOf(d.urn), to: t ? idOf(t.urn) : external(`domain ${o.domainName}`), kind: "cdn", label });
        }
    }

    // NetworkPolicies: the pods they select, and the peers their ingress and egress rules allow.
    const namespaces = new Map<string, Record<string, string>>();
    for (const n of ofType(["kubernetes:core/v1:Namespace"])) {
        const name = n.inputs.metadata?.name;
        if (isKnown(name)) namespaces.set(name, { ...(n.inputs.metadata?.labels ?? {}), "kubernetes.io/metadata.name": name });
    }
    const workloads = ofType(WORKLOADS).map((w) => {
        const template = w.type === "kubernetes:batch/v1:CronJob" ? w.inputs.spec?.jobTemplate?.spec?.template : w.inputs.spec?.template;
        const namespace: string = w.inputs.metadata?.namespace ?? "default";
        if (!namespaces.has(namespace)) namespaces.set(namespace, { "kubernetes.io/metadata.name": namespace });
        return { r: w, namespace, labels: (template?.metadata?.labels ?? {}) as Record<string, string> };
    });
    for (const np of ofType([NETPOL])) {
        const spec = np.inputs.spec;
        if (!spec || typeof spec !== "object" || !spec.podSelector || typeof spec.podSelector !== "object") continue;
        const ns: string = np.inputs.metadata?.namespace ?? "default";
        const policyName: string = np.inputs.metadata?.name ?? np.name;
        const selected = workloads.filter((w) => w.namespace === ns && selects(spec.podSelector, w.labels)).map((w) => idOf(w.r.urn));
        // A policy that selects none of the program's workloads stands for the pods it selects itself.
        const ends = selected.length > 0 ? selected : [idOf(np.urn)];
        for (const w of workloads) if (selected.includes(idOf(w.r.urn))) candidates.add(w.r.urn);
        const peersOf = (peers: any[] | undefined): string[] => {
            if (!peers || peers.length === 0) return [external("any address")];
            return peers.flatMap((peer: any) => {
                if (peer.ipBlock) {
                    // The VPC's own block stands for "anything in the VPC": drawn as the VPC.
                    const vpc = ofType(["aws:ec2/vpc:Vpc"]).find((v) => v.inputs.cidrBlock === peer.ipBlock.cidr && !peer.ipBlock.except);
                    if (vpc) {
                        candidates.add(vpc.urn);
                        return [idOf(vpc.urn)];
                    }
                    return [external(`ipBlock ${peer.ipBlock.cidr}${peer.ipBlock.except ? ` except ${asArray(peer.ipBlock.except).join(",")}` : ""}`)];
                }
                const inNamespaces = peer.namespaceSelector ? [...namespaces].filter(([, labels]) => selects(peer.namespaceSelector, labels)).map(([n]) => n) : [ns];
                const podSelector = peer.podSelector ?? {};
                const matched = workloads.filter((w) => inNamespaces.includes(w.namespace) && selects(podSelector, w.labels));
                for (const w of matched) candidates.add(w.r.urn);
                if (matched.length > 0) return matched.map((w) => idOf(w.r.urn));
                const where = peer.namespaceSelector
                    ? peer.namespaceSelector.matchLabels?.["kubernetes.io/metadata.name"] && Object.keys(peer.namespaceSelector.matchLabels).length === 1
                        ? `ns ${peer.namespaceSelector.matchLabels["kubernetes.io/metadata.name"]}`
                        : `namespaces ${selectorText(peer.namespaceSelector)}`
                    : `ns ${ns}`;
                return [external(`pods ${selectorText(podSelector)} in ${where}`)];
            });
        };
        const ports = (rule: any) => {
            const list = asArray<any>(rule.ports).map((p) => `${String(p.protocol ?? "TCP").toLowerCase()}/${p.port ?? "all"}${p.endPort ? `-${p.endPort}` : ""}`);
            return list.length > 0 ? [...new Set(list)].sort().join(", ") : "all ports";
        };
        for (const rule of asArray<any>(spec.ingress)) {
            for (const from of peersOf(rule.from)) for (const to of ends) addEdge({ from, to, kind: "netpol", label: `netpol ${policyName}: ${ports(rule)}` });
        }
        for (const rule of asArray<any>(spec.egress)) {
            for (const from of ends) for (const to of peersOf(rule.to)) addEdge({ from, to, kind: "netpol", label: `netpol ${policyName}: ${ports(rule)}` });
        }
    }

    // Nodes: every candidate with its label, in the cluster of its nearest Groundwork component.
    const clusters = new Map<string, DiagramCluster>();
    const clusterOf = (r: RecordedResource): string | null => {
        const c = componentOf(r);
        if (!c) return null;
        const id = idOf(c.urn);
        if (!clusters.has(id)) {
            const parent = clusterOf(c);
            clusters.set(id, { id, urn: c.urn, label: `${c.type.split(":").pop()}: ${c.name}`, parent });
        }
        return id;
    };
    const subnets = ofType(["aws:ec2/subnet:Subnet"]);
    for (const urn of candidates) {
        const r = byUrn.get(urn)!;
        const label = [`${KEY_TYPES[r.type]} ${r.name}`];
        if (r.type === "aws:ec2/vpc:Vpc") {
            // Subnets are summarised on their VPC: how many of each tier (the `tier` tag Network sets).
            const mine = subnets.filter((s) => (isKnown(r.outputs?.id) && s.inputs.vpcId === r.outputs.id) || s.dependencies.includes(r.urn));
            const tiers = new Map<string, number>();
            for (const s of mine) {
                const tier = s.inputs.tags?.tier ?? (s.inputs.mapPublicIpOnLaunch === true ? "public" : "subnets");
                tiers.set(tier, (tiers.get(tier) ?? 0) + 1);
            }
            const detail = [...tiers].sort((a, b) => a[0].localeCompare(b[0])).map(([t, n]) => `${n} ${t}`).join(", ");
            label.push(`${isKnown(r.inputs.cidrBlock) ? r.inputs.cidrBlock + " · " : ""}${mine.length} subnets${detail ? `: ${detail}` : ""}`);
        } else if (r.type.startsWith("kubernetes:") && isKnown(r.inputs.metadata?.name)) {
            label.push(`${r.inputs.metadata.namespace ?? "default"}/${r.inputs.metadata.name}`);
        }
        nodes.set(idOf(urn), { id: idOf(urn), urn, type: r.type, label, cluster: clusterOf(r) });
    }
    const edgeList = [...edges.values()].filter((e) => nodes.has(e.from) && nodes.has(e.to));
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return {
        project: graph.project,
        stack: graph.stack,
        clusters: [...clusters.values()].sort((a, b) => cmp(a.id, b.id)),
        nodes: [...nodes.values()].sort((a, b) => cmp(a.id, b.id)),
        edges: edgeList.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.kind, b.kind) || cmp(a.label, b.label)),
    };
}

/** Escapes text for a quoted Mermaid label: entity codes for the characters Mermaid or HTML would read. */
export function mermaidEscape(text: string): string {
    const codes: Record<string, string> = { "#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;", "|": "#124;", "`": "#96;" };
    return text.replace(/[\r\n]+/g, " ").replace(/[#"<>&|`]/g, (c) => codes[c]);
}

/** Escapes text for a double-quoted DOT string. */
export function dotEscape(text: string): string {
    return text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/[\r\n]+/g, " ");
}

const MERMAID_ARROW: Record<EdgeKind, string> = { network: "-->", netpol: "-.->", iam: "==>", cdn: "-->" };
const DOT_STYLE: Record<EdgeKind, string> = {
    network: 'color="#1f77b4"',
    netpol: 'color="#2ca02c", style=dashed',
    iam: 'color="#d62728", penwidth=1.6',
    cdn: 'color="#9467bd"',
};
const DATA_STORES = new Set(["aws:rds/instance:Instance", "aws:rds/cluster:Cluster", "aws:elasticache/replicationGroup:ReplicationGroup", "aws:elasticache/cluster:Cluster", ...BUCKETS]);

function header(d: Diagram, comment: string): string[] {
    return [
        `${comment} Groundwork stack '${d.stack}' (project ${d.project}): ${d.nodes.length} nodes, ${d.edges.length} edges.`,
        `${comment} Generated by the plan tool (npm run docs:diagram, or npm run plan -- --diagram); do not edit by hand.`,
        `${comment} Edges: sg = security group ingress, netpol = NetworkPolicy, iam / producer / consumer = IAM grants, origin = CloudFront origin.`,
    ];
}

/** Renders the diagram as a Mermaid flowchart (nested subgraphs for components). */
export function toMermaid(d: Diagram): string {
    const lines = [...header(d, "%%"), "flowchart LR"];
    const node = (n: DiagramNode) => {
        const text = `"${n.label.map(mermaidEscape).join("<br/>")}"`;
        if (n.type === "external") return `${n.id}([${text}])`;
        if (DATA_STORES.has(n.type)) return `${n.id}[(${text})]`;
        if (n.type === QUEUE || n.type === "aws:sns/topic:Topic") return `${n.id}[[${text}]]`;
        return `${n.id}[${text}]`;
    };
    const emit = (cluster: string | null, indent: string) => {
        for (const c of d.clusters.filter((x) => x.parent === cluster)) {
            lines.push(`${indent}subgraph ${c.id}["${mermaidEscape(c.label)}"]`);
            emit(c.id, indent + "  ");
            lines.push(`${indent}end`);
        }
        for (const n of d.nodes.filter((x) => x.cluster === cluster)) lines.push(`${indent}${node(n)}`);
    };
    emit(null, "  ");
    for (const e of d.edges) lines.push(`  ${e.from} ${MERMAID_ARROW[e.kind]}|"${mermaidEscape(e.label)}"| ${e.to}`);
    return lines.join("\n") + "\n";
}

/** Renders the diagram as Graphviz DOT (clusters for components), for `dot -Tsvg`. */
export function toDot(d: Diagram): string {
    const lines = [
        ...header(d, "//"),
        `digraph "${dotEscape(`${d.project}-${d.stack}`)}" {`,
        '  graph [rankdir=LR, fontname="Helvetica", fontsize=11, compound=true, nodesep=0.25, ranksep=0.9];',
        '  node [shape=box, style="rounded,filled", fillcolor="#f7f7f7", fontname="Helvetica", fontsize=10];',
        '  edge [fontname="Helvetica", fontsize=9];',
    ];
    const node = (n: DiagramNode) => {
        const shape = n.type === "external" ? ', shape=ellipse, style="dashed"' : DATA_STORES.has(n.type) ? ", shape=cylinder" : "";
        return `"${n.id}" [label="${n.label.map(dotEscape).join("\\n")}"${shape}];`;
    };
    const emit = (cluster: string | null, indent: string) => {
        for (const c of d.clusters.filter((x) => x.parent === cluster)) {
            lines.push(`${indent}subgraph "cluster_${c.id}" {`, `${indent}  label="${dotEscape(c.label)}"; style="rounded"; color="#888888";`);
            emit(c.id, indent + "  ");
            lines.push(`${indent}}`);
        }
        for (const n of d.nodes.filter((x) => x.cluster === cluster)) lines.push(`${indent}${node(n)}`);
    };
    emit(null, "  ");
    for (const e of d.edges) lines.push(`  "${e.from}" -> "${e.to}" [label="${dotEscape(e.label)}", ${DOT_STYLE[e.kind]}];`);
    lines.push("}");
    return lines.join("\n") + "\n";
}

/** The comment an SVG carries with the hash of the DOT it was rendered from (the staleness check compares it). */
export const SVG_SOURCE_MARK = "groundwork-diagram dot-sha256:";

/** The hash of a DOT text as written into the SVG. */
export function dotHash(dot: string): string {
    return createHash("sha256").update(dot).digest("hex");
}

/**
 * Renders DOT to SVG with Graphviz's `dot -Tsvg`. The output is normalised: Graphviz's version comment is dropped
 * and the hash of the DOT source is recorded instead, so a committed SVG can be checked against the current DOT
 * without depending on the Graphviz version's layout. Throws with what to install when `dot` is missing.
 */
export function renderSvg(dot: string): string {
    const r = spawnSync("dot", ["-Tsvg"], { input: dot, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    if (r.error && (r.error as NodeJS.ErrnoException).code === "ENOENT") {
        throw new Error("Graphviz's `dot` is not installed: `apt-get install graphviz` (tools/setup.sh installs it)");
    }
    if (r.error || r.status !== 0) throw new Error(`dot -Tsvg failed: ${r.error?.message ?? r.stderr.trim()}`);
    return r.stdout.replace(/<!-- Generated by graphviz version [^>]*-->\n?/, `<!-- ${SVG_SOURCE_MARK} ${dotHash(dot)} -->\n`);
}

/** Whether Graphviz's `dot` can be run here. */
export function hasDot(): boolean {
    const r = spawnSync("dot", ["-V"], { encoding: "utf8" });
    return !r.error && r.status === 0;
}

/** Writes the diagram of a graph as Mermaid and/or SVG (either file optional); returns what it wrote, for the log. */
export function writeDiagrams(graph: RecordedGraph, files: { mermaid?: string; svg?: string }): string[] {
    if (!files.mermaid && !files.svg) return [];
    const d = buildDiagram(graph);
    const wrote: string[] = [];
    if (files.mermaid) {
        fs.writeFileSync(files.mermaid, toMermaid(d));
        wrote.push(files.mermaid);
    }
    if (files.svg) {
        fs.writeFileSync(files.svg, renderSvg(toDot(d)));
        wrote.push(files.svg);
    }
    return [`Diagram: ${d.nodes.length} nodes, ${d.edges.length} edges, ${d.clusters.length} components; wrote ${wrote.join(", ")}`];
}
