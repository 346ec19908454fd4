import * as yaml from "js-yaml";
import { allRules } from "../../policies/kubernetes/rules";
import { parseKubeScoreJson } from "../../tools/kube-score/kubescore";
import { buildCheckMapping, kubeScoreChecksOf, parseCheckList } from "../../tools/kube-score/mapping";
import { apiVersionOf, parseTypeToken, PlanResource, renderPlan, resourceKey, toYaml } from "../../tools/kube-score/render";
import { compare, globMatches, KubeScoreObject, PackViolation, ReviewedEntry, summaryLine, validateReviewed } from "../../tools/kube-score/verdict";

// The pure parts of `npm run test:kube-score` (tools/kube-score): rendering plan resources to manifests, the
// kube-score check <-> rule mapping read from the rules' `controls`, and the per-object verdict and its figures.
// The binary itself runs in `npm run test:kube-score`, not here.

const res = (type: string, name: string, inputs: Record<string, unknown>): PlanResource => ({
    urn: `urn:pulumi:dev::groundwork::${type}::${name}`,
    type,
    name,
    parent: null,
    inputs,
    dependencies: [],
    provider: null,
    protect: false,
});

const deployment = res("kubernetes:apps/v1:Deployment", "web-deployment", {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "shop", labels: { app: "web" } },
    spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } },
});
const service = res("kubernetes:core/v1:Service", "web-svc", { apiVersion: "v1", kind: "Service", metadata: { name: "web", namespace: "shop" }, spec: { selector: { app: "web" }, ports: [{ port: 80 }] } });
const job = res("kubernetes:batch/v1:Job", "migrate", { apiVersion: "batch/v1", kind: "Job", metadata: { namespace: "shop" }, spec: { template: { spec: { restartPolicy: "Never", containers: [] } } } });
const ingress = res("kubernetes:networking.k8s.io/v1:Ingress", "web-ing", { metadata: { name: "web" }, spec: { rules: [] } });
const namespace = res("kubernetes:core/v1:Namespace", "shop-ns", { metadata: { name: "shop" } });
const release = res("kubernetes:helm.sh/v3:Release", "keda", { chart: "keda", namespace: "keda" });
const scaled = res("kubernetes:keda.sh/v1alpha1:ScaledObject", "web-scaled", { metadata: { name: "web", namespace: "shop" }, spec: {} });
const patch = res("kubernetes:apps/v1:DeploymentPatch", "coredns-patch", { metadata: { name: "coredns", namespace: "kube-system" } });
const bucket = res("aws:s3/bucket:Bucket", "logs", {});

describe("rendering plan resources to manifests", () => {
    it("takes apiVersion and kind from the type token (the core group has none)", () => {
        expect(parseTypeToken("kubernetes:networking.k8s.io/v1:Ingress")).toEqual({ group: "networking.k8s.io", version: "v1", kind: "Ingress" });
        expect(parseTypeToken("kubernetes:helm.sh/v3:Release")).toEqual({ group: "helm.sh", version: "v3", kind: "Release" });
        expect(parseTypeToken("kubernetes:yaml/v2:ConfigGroup")).toEqual({ group: "yaml", version: "v2", kind: "ConfigGroup" });
        expect(parseTypeToken("aws:s3/bucket:Bucket")).toBeUndefined();
        expect(apiVersionOf("core", "v1")).toBe("v1");
        expect(apiVersionOf("apps", "v1")).toBe("apps/v1");
    });

    it("renders every built-in object from its inputs, skips Helm releases, custom resources and patches with the reason, and ignores other providers", () => {
        const { objects, skipped } = renderPlan([namespace, deployment, service, job, ingress, release, scaled, patch, bucket]);
        expect(objects.map((o) => `${o.kind}/${o.namespace}/${o.name}`)).toEqual(["Namespace/-/shop", "Deployment/shop/web", "Service/shop/web", "Job/shop/migrate", "Ingress/default/web"]);
        expect(objects[1].manifest).toEqual({ apiVersion: "apps/v1", kind: "Deployment", metadata: deployment.inputs.metadata, spec: deployment.inputs.spec });
        // Inputs without apiVersion/kind still get them from the type token.
        expect(objects[4].manifest).toMatchObject({ apiVersion: "networking.k8s.io/v1", kind: "Ingress", spec: { rules: [] } });
        // An unnamed object is auto-named by Pulumi at create time: the manifest carries the logical name.
        expect(objects[3]).toMatchObject({ autonamed: true, name: "migrate", manifest: { metadata: { name: "migrate", namespace: "shop" } } });
        expect(skipped.map((s) => [s.resourceName, s.reason.split(":")[0]])).toEqual([
            ["keda", "Helm release"],
            ["web-scaled", "custom resource (keda.sh)"],
            ["coredns-patch", "server-side apply patch of an object that exists already, not a whole object"],
        ]);
        expect(resourceKey(scaled)).toBe("ScaledObject/shop/web");
        expect(resourceKey(release)).toBe("Release/keda/keda");
    });

    it("writes one multi-document YAML, each object headed by its URN", () => {
        const { objects } = renderPlan([deployment, service]);
        const text = toYaml(objects);
        expect(text.split("\n")[0]).toBe(`# ${deployment.urn}`);
        expect(yaml.loadAll(text)).toEqual(objects.map((o) => o.manifest));
    });

    it("refuses two resources that would be the same object", () => {
        expect(() => renderPlan([deployment, { ...deployment, urn: `${deployment.urn}-2` }])).toThrow(/same object Deployment\/shop\/web/);
    });
});

describe("the check mapping, read from the rules' controls metadata", () => {
    const mapping = buildCheckMapping(allRules);

    it("maps each `kube-score <id>` control to its rule, both ways", () => {
        expect(mapping.rulesOfCheck.get("container-resources")).toEqual(["k8s-pod-configure-resources"]);
        expect(mapping.rulesOfCheck.get("pod-probes-identical")).toEqual(["k8s-pod-configure-probes"]);
        expect(mapping.checksOfRule.get("k8s-deployment-enforce-replicas")).toEqual(["deployment-replicas", "horizontalpodautoscaler-replicas"]);
        // A rule whose controls name no kube-score check has no counterpart.
        expect(mapping.checksOfRule.get("k8s-pod-disallow-privilege-escalation")).toEqual([]);
        expect(mapping.checksOfRule.size).toBe(allRules.length);
    });

    it("is exactly the rules' metadata, not a copy", () => {
        for (const rule of allRules) {
            const ids = rule.controls.filter((c) => c.startsWith("kube-score ")).map((c) => c.slice("kube-score ".length));
            expect(mapping.checksOfRule.get(rule.name)).toEqual(ids);
            for (const id of ids) expect(mapping.rulesOfCheck.get(id)).toContain(rule.name);
        }
        expect(kubeScoreChecksOf(["PSS baseline", "kube-score pod-probes", "CKV_K8S_8"])).toEqual(["pod-probes"]);
    });

    it("fails on a control naming a check the kube-score binary does not list", () => {
        const list = "container-resources,Pod,Makes sure...,default\npod-probes,Pod,Makes sure...,default\n";
        expect(parseCheckList(list)).toEqual(["container-resources", "pod-probes"]);
        expect(() => buildCheckMapping([{ name: "k8s-x", controls: ["kube-score pod-probez"] }], parseCheckList(list))).toThrow(/k8s-x: kube-score pod-probez/);
    });
});

describe("the verdict", () => {
    const mapping = buildCheckMapping([
        { name: "k8s-pod-configure-resources", controls: ["kube-score container-resources"] },
        { name: "k8s-pod-configure-probes", controls: ["kube-score pod-probes"] },
        { name: "k8s-pod-disallow-privilege-escalation", controls: ["PSS allowPrivilegeEscalation"] },
    ]);
    const web = "Deployment/shop/web";
    const objectOfUrn = new Map([[deployment.urn, web]]);
    const check = (id: string, grade: number, summaries: string[] = [], skipped = false) => ({ id, grade, skipped, comments: summaries.map((summary) => ({ path: "web", summary })) });
    const ks = (...checks: ReturnType<typeof check>[]): KubeScoreObject[] => [{ key: web, checks }];
    const v = (policy: string, level = "mandatory", pack = "groundwork-kubernetes", urn: string | null = deployment.urn): PackViolation => ({ pack, policy, enforcementLevel: level, urn, message: `${policy} says no` });

    it("agrees when both sides raise the mapped pair on the same object, counting each rule once per object", () => {
        const r = compare({
            kubeScore: ks(check("container-resources", 1, ["Memory limit is not set"]), check("pod-probes", 10)),
            violations: [v("k8s-pod-configure-resources"), v("k8s-pod-configure-resources")],
            objectOfUrn,
            mapping,
            reviewed: [],
        });
        expect(r.kubeScore).toEqual([expect.objectContaining({ check: "container-resources", status: "agreed", matchedBy: ["k8s-pod-configure-resources"] })]);
        expect(r.pack).toEqual([expect.objectContaining({ rule: "k8s-pod-configure-resources", status: "agreed", matchedBy: ["container-resources"], messages: expect.any(Array) })]);
        expect(r.pack[0].messages).toHaveLength(2);
        expect(r.figures).toEqual({ objectsJudged: 1, kubeScoreCriticals: 1, packFindings: 1, agreedKubeScore: 1, agreedPack: 1, reviewed: 0, unreviewed: 0 });
        expect(summaryLine(r.figures)).toBe("kube-score: 2 agreed, 0 reviewed, 0 unreviewed");
    });

    it("fails an unreviewed disagreement either way: a kube-score critical no rule raised, a pack finding kube-score graded less than critical", () => {
        const r = compare({
            kubeScore: ks(check("container-image-pull-policy", 1, ["ImagePullPolicy is not set to Always"]), check("pod-probes", 10, [], true)),
            violations: [v("k8s-pod-configure-probes")],
            objectOfUrn,
            mapping,
            reviewed: [],
        });
        expect(r.kubeScore.map((f) => [f.check, f.status])).toEqual([["container-image-pull-policy", "unreviewed"]]);
        expect(r.pack.map((f) => [f.rule, f.status, f.kubeScoreView])).toEqual([["k8s-pod-configure-probes", "unreviewed", ["pod-probes: SKIPPED"]]]);
        expect(r.figures.unreviewed).toBe(2);
        expect(summaryLine(r.figures)).toBe("kube-score: 0 agreed, 0 reviewed, 2 unreviewed");
    });

    it("accepts a disagreement on the reviewed list: by check or rule and object pattern, and only for the listed summaries", () => {
        const reviewed: ReviewedEntry[] = [
            { check: "container-resources", object: "*/*/*", summaries: ["CPU limit is not set"], reason: "no CPU limit by design" },
            { check: "k8s-pod-disallow-privilege-escalation", object: ["Deployment/shop/*"], reason: "no kube-score check" },
        ];
        const cpuOnly = compare({ kubeScore: ks(check("container-resources", 1, ["CPU limit is not set"])), violations: [v("k8s-pod-disallow-privilege-escalation")], objectOfUrn, mapping, reviewed });
        expect([...cpuOnly.kubeScore, ...cpuOnly.pack].map((f) => [f.status, f.reviewed])).toEqual([
            ["reviewed", 0],
            ["reviewed", 1],
        ]);
        expect(cpuOnly.usedReviewed).toEqual(new Set([0, 1]));
        expect(summaryLine(cpuOnly.figures)).toBe("kube-score: 0 agreed, 2 reviewed, 0 unreviewed");
        // The same check complaining about something else too is not covered.
        const more = compare({ kubeScore: ks(check("container-resources", 1, ["CPU limit is not set", "Memory limit is not set"])), violations: [], objectOfUrn, mapping, reviewed });
        expect(more.kubeScore[0].status).toBe("unreviewed");
        // A pattern for another namespace does not cover the object.
        const elsewhere = compare({ kubeScore: [], violations: [v("k8s-pod-disallow-privilege-escalation")], objectOfUrn, mapping, reviewed: [{ ...reviewed[1], object: "Deployment/other/*" }] });
        expect(elsewhere.pack[0].status).toBe("unreviewed");
    });

    it("ignores warnings, skipped checks, other packs, disabled policies and findings on no Kubernetes object", () => {
        const r = compare({
            kubeScore: ks(check("deployment-has-host-podantiaffinity", 5, ["no anti-affinity"]), check("container-seccomp-profile", 1, ["Skipped because it is ignored"], true)),
            violations: [v("aws-s3-bucket-enable-versioning", "mandatory", "groundwork-security"), v("k8s-pod-configure-probes", "disabled"), v("k8s-pod-configure-probes", "mandatory", "groundwork-kubernetes", null), v("k8s-pod-configure-probes", "mandatory", "groundwork-kubernetes", "urn:pulumi:dev::groundwork::aws:s3/bucket:Bucket::logs")],
            objectOfUrn,
            mapping,
            reviewed: [],
        });
        expect(r.figures).toEqual({ objectsJudged: 1, kubeScoreCriticals: 0, packFindings: 0, agreedKubeScore: 0, agreedPack: 0, reviewed: 0, unreviewed: 0 });
    });

    it("checks the reviewed list's entries", () => {
        const known = { checks: new Set(["container-resources"]), rules: new Set(["k8s-pod-configure-probes"]) };
        expect(validateReviewed([{ check: "container-resources", object: "Deployment/app/*", reason: "a reason long enough to say why it stands here" }], known)).toEqual([]);
        const problems = validateReviewed(
            [
                { check: "containr-resources", object: "Deployment/app/*", reason: "a reason long enough to say why it stands here" },
                { check: "k8s-pod-configure-probes", object: "app", reason: "because" },
                { check: "k8s-pod-configure-probes", object: "Deployment/app/x", summaries: ["x"], reason: "a reason long enough to say why it stands here" },
            ],
            known,
        );
        expect(problems).toEqual([
            expect.stringMatching(/^entry 0 \(containr-resources\): `check`/),
            expect.stringMatching(/^entry 1 .*`object`/),
            expect.stringMatching(/^entry 1 .*`reason`/),
            expect.stringMatching(/^entry 2 .*`summaries`/),
        ]);
        expect(globMatches("Deployment/*/web", "Deployment/shop/web")).toBe(true);
        expect(globMatches("Deployment/*/web", "Deployment/shop/web2")).toBe(false);
    });
});

describe("kube-score's JSON output", () => {
    it("reads the v2 objects into Kind/namespace/name keys and check results", () => {
        const text = JSON.stringify([
            {
                object_name: "Deployment/apps/v1/shop/web",
                type_meta: { kind: "Deployment", apiVersion: "apps/v1" },
                object_meta: { name: "web", namespace: "shop" },
                checks: [{ check: { id: "container-resources", name: "Container Resources" }, grade: 1, skipped: false, comments: [{ path: "web", summary: "CPU limit is not set", description: "" }] }],
            },
            { type_meta: { kind: "Service", apiVersion: "v1" }, object_meta: { name: "web" }, checks: null },
        ]);
        expect(parseKubeScoreJson(text)).toEqual([
            { key: "Deployment/shop/web", checks: [{ id: "container-resources", grade: 1, skipped: false, comments: [{ path: "web", summary: "CPU limit is not set" }] }] },
            { key: "Service/default/web", checks: [] },
        ]);
    });
});
