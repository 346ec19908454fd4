import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { allRules } from "../../policies/kubernetes/rules";
import { EXEMPTION_POLICY_NAME, EXEMPTION_PREFIX } from "@groundwork/policy-kit";
import { renderTierConfig } from "../../tools/policy-config/generate";
import { analyzeGraph, loadPack } from "../../tools/plan/analyzer";
import { plan, REPO_ROOT } from "../../tools/plan/plan";
import { KUBERNETES_PACK } from "../support/kubernetesPolicy";
import { SECURITY_PACK } from "../support/policy";
import { runPulumi } from "../support/pulumi";
import { describeRuleQuality, filesUnder } from "../support/ruleMeta";
import * as kubernetes from "@pulumi/kubernetes";

// Code-quality checks over every rule of the groundwork-kubernetes pack (the counterpart of rules-meta.test.ts),
// the pack as CrossGuard sees it, its tier files, and the plan tool loading it next to groundwork-security.

describeRuleQuality({
    pack: "groundwork-kubernetes",
    rules: allRules,
    rulesDir: path.join(KUBERNETES_PACK, "rules"),
    ruleFileDepth: 2,
    name: /^k8s-[a-z0-9]+(-[a-z0-9]+)+$/,
    verbIndex: 2,
    /**
     * Control id formats of the Kubernetes benchmarks: PSS, kube-score, Polaris, Checkov, Trivy, and `Groundwork ZT.n`
     * for a zero-trust rule no public benchmark states as such (see RULES.md).
     */
    control: /^(PSS [A-Za-z_]+|kube-score [a-z-]+|Polaris [A-Za-z]+|CKV2?_K8S_\d+|KSV-\d{4}|Groundwork [A-Z]+\.\d+)$/,
    type: /^kubernetes:[a-z0-9.]+\/v[0-9a-z]+:[A-Z][A-Za-z]+$/,
    testFiles: filesUnder(__dirname, (f) => /k8s-.*\.test\.ts$/.test(f) && path.basename(f) !== "k8s-meta.test.ts"),
});

describe("groundwork-kubernetes coverage of its rule table", () => {
    it("implements every row of the Kubernetes workloads table (one rule per control family at least)", () => {
        const controls = new Set(allRules.flatMap((r) => r.controls));
        for (const id of ["KSV-0012", "KSV-0001", "KSV-0003", "KSV-0030", "KSV-0017", "KSV-0014", "CKV_K8S_10", "CKV_K8S_8", "KSV-0013", "Polaris missingPodDisruptionBudget", "CKV2_K8S_6", "Polaris hpaMinAvailability", "CKV_K8S_153", "kube-score service-type", "KSV-0036"]) {
            expect([id, controls.has(id)]).toEqual([id, true]);
        }
    });

});

describe("policies/kubernetes/config/<tier>.json", () => {
    it.each(["dev", "prod"] as const)("%s.json is in sync with the rules (run `npm run policy:config`)", (tier) => {
        expect(fs.readFileSync(path.join(KUBERNETES_PACK, "config", `${tier}.json`), "utf8")).toBe(renderTierConfig(tier, allRules));
    });

    it("downgrades exactly the mandatory-prod rules in dev", () => {
        const dev = JSON.parse(renderTierConfig("dev", allRules));
        expect(Object.keys(dev).filter((k) => dev[k].enforcementLevel === "advisory")).toEqual(["k8s-deployment-enforce-replicas", "k8s-namespace-enforce-mesh-mtls"]);
    });
});

const isolate = (fn: () => void) => jest.isolateModules(fn);

describe("the groundwork-kubernetes pack under CrossGuard's analyzer handlers", () => {
    it("reports its name, package version and every rule plus the exemption policy", async () => {
        const pack = await loadPack(KUBERNETES_PACK, isolate);
        const version = JSON.parse(fs.readFileSync(path.join(KUBERNETES_PACK, "package.json"), "utf8")).version;
        expect(pack.info).toMatchObject({ name: "groundwork-kubernetes", version });
        expect(pack.info.policies.map((p) => p.name)).toEqual([...allRules.map((r) => r.name), EXEMPTION_POLICY_NAME]);
        const levels = Object.fromEntries(pack.info.policies.map((p) => [p.name, p.enforcementLevel]));
        expect(levels["k8s-pod-enforce-image-digest"]).toBe("advisory");
        expect(levels["k8s-deployment-enforce-replicas"]).toBe("mandatory");
    });

    /** A bare Deployment breaking several rules, optionally with annotations. */
    const legacy = (annotations: Record<string, string>) => () => {
        const provider = new kubernetes.Provider("k8s", { kubeconfig: "{}" });
        new kubernetes.apps.v1.Deployment(
            "legacy",
            { metadata: { name: "legacy", namespace: "legacy", annotations }, spec: { selector: { matchLabels: { app: "legacy" } }, template: { metadata: { labels: { app: "legacy" } }, spec: { containers: [{ name: "web", image: "nginx:1.27" }] } } } },
            { provider },
        );
        new kubernetes.core.v1.ConfigMap("tagged", { metadata: { name: "cfg", namespace: "legacy", annotations: { [`${EXEMPTION_PREFIX}aws-s3-bucket-enable-versioning`]: "an AWS pack's exemption, not ours" } }, data: {} }, { provider });
    };

    it("an annotation with a reason exempts one resource from one policy; an AWS exemption is left to the AWS pack", async () => {
        const pack = await loadPack(KUBERNETES_PACK, isolate);
        const before = await analyzeGraph(pack, await runPulumi(legacy({})));
        expect(before.filter((v) => v.policy === "k8s-pod-enforce-read-only-root-filesystem")).toHaveLength(1);
        const after = await analyzeGraph(pack, await runPulumi(legacy({ [`${EXEMPTION_PREFIX}k8s-pod-enforce-read-only-root-filesystem`]: "nginx writes its cache under /var/cache/nginx" })));
        expect(after.filter((v) => v.policy === "k8s-pod-enforce-read-only-root-filesystem")).toEqual([]);
        expect(after.filter((v) => v.policy === EXEMPTION_POLICY_NAME)).toEqual([]);
        // The stack rules honour the annotation too (the finding names the Deployment).
        const pdbExempt = await analyzeGraph(pack, await runPulumi(legacy({ [`${EXEMPTION_PREFIX}k8s-deployment-missing-pod-disruption-budget`]: "a singleton migration runner, never drained" })));
        expect(pdbExempt.filter((v) => v.policy === "k8s-deployment-missing-pod-disruption-budget")).toEqual([]);
        expect(before.filter((v) => v.policy === "k8s-deployment-missing-pod-disruption-budget")).toHaveLength(1);
    });

    it("an exemption without a reason, or for an unknown k8s policy, is a mandatory violation", async () => {
        const pack = await loadPack(KUBERNETES_PACK, isolate);
        const v = await analyzeGraph(pack, await runPulumi(legacy({ [`${EXEMPTION_PREFIX}k8s-pod-enforce-read-only-root-filesystem`]: "ok", [`${EXEMPTION_PREFIX}k8s-pod-enforce-everything`]: "a long enough reason" })));
        const ex = v.filter((x) => x.policy === EXEMPTION_POLICY_NAME);
        expect(ex.map((x) => [x.enforcementLevel, x.message.split("\n")[1]]).sort()).toEqual([
            ["mandatory", "'exempt.groundwork.dev/k8s-pod-enforce-everything' exempts from unknown policy 'k8s-pod-enforce-everything'. Fix: use one of this pack's policy names."],
            ["mandatory", "'exempt.groundwork.dev/k8s-pod-enforce-read-only-root-filesystem' has no reason (at least 10 characters). Fix: say why the resource may break the rule."],
        ]);
        // The short reason does not exempt: the rule still reports, after saying why the exemption is ignored.
        const ro = v.filter((x) => x.policy === "k8s-pod-enforce-read-only-root-filesystem").map((x) => x.message.split("\n")[1]);
        expect(ro).toEqual([expect.stringContaining("has no reason (at least 10 characters), so it is ignored"), expect.stringContaining("container 'web': readOnlyRootFilesystem is not true")]);
    });

    it("the AWS pack leaves k8s exemptions to this pack", async () => {
        const security = await loadPack(SECURITY_PACK, isolate);
        const v = await analyzeGraph(security, await runPulumi(legacy({ [`${EXEMPTION_PREFIX}k8s-pod-enforce-read-only-root-filesystem`]: "nginx writes its cache under /var/cache/nginx" })));
        expect(v.filter((x) => x.policy === EXEMPTION_POLICY_NAME)).toEqual([]);
    });
});

const fixture = path.join(REPO_ROOT, "test", "fixtures", "programs", "k8s-workloads.ts");

describe("the plan tool with both packs", () => {
    it("plans the Service component with no mandatory violation but the mesh's, evaluating both default packs", async () => {
        // The fixture's namespace predates the mesh (its api admits a CIDR, which a STRICT namespace cannot): the prod
        // mesh rule reports it, and nothing else is mandatory.
        const result = await plan({ stack: "prod", program: fixture, isolate });
        expect(result.packs.map((p) => p.name).sort()).toEqual(["groundwork-kubernetes", "groundwork-security"]);
        const mandatory = result.violations.filter((v) => v.enforcementLevel === "mandatory");
        expect(mandatory.map((v) => [v.policy, v.message.split("\n")[1]])).toEqual([
            ["k8s-namespace-enforce-mesh-mtls", expect.stringContaining("namespace 'app' runs Deployment 'api' and 1 more but is not enrolled in the mesh")],
            ["k8s-namespace-enforce-mesh-mtls", expect.stringContaining("namespace 'app' runs Deployment 'api' and 1 more but has no namespace-wide STRICT PeerAuthentication")],
        ]);
    });

    it("the mesh rule's excludedNamespaces (policy config, with a reason) leaves that namespace alone end to end", async () => {
        const prodConfig = JSON.parse(fs.readFileSync(path.join(KUBERNETES_PACK, "config", "prod.json"), "utf8"));
        prodConfig["k8s-namespace-enforce-mesh-mtls"].excludedNamespaces = [{ namespace: "app", reason: "fixture of the pre-mesh Service component" }];
        const file = path.join(fs.mkdtempSync(path.join(require("node:os").tmpdir(), "mesh-config-")), "prod.json");
        fs.writeFileSync(file, JSON.stringify(prodConfig));
        const result = await plan({ stack: "prod", program: fixture, isolate, policyPacks: [SECURITY_PACK, KUBERNETES_PACK], policyConfigs: [path.join(SECURITY_PACK, "config", "prod.json"), file] });
        expect(result.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
        expect(result.exitCode).toBe(0);
    });

    it("the CLI loads both packs in one process and exits 1 on a bare non-compliant Deployment", () => {
        const r = spawnSync(process.execPath, [path.join(REPO_ROOT, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", "tools/plan/cli.ts", "--stack", "dev", "--program", path.relative(REPO_ROOT, fixture)], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            timeout: 120_000,
            env: { ...process.env, K8S_FIXTURE_BAD: "1" },
        });
        const out = `${r.stdout}\n${r.stderr}`;
        expect(out).toMatch(/\[mandatory\]\s+k8s-pod-enforce-image-pinned\s+\(kubernetes:apps\/v1:Deployment: legacy\)/);
        expect(out).toMatch(/\[mandatory\]\s+k8s-pod-missing-network-policy/);
        expect(out).toMatch(/\[advisory\]\s+k8s-deployment-enforce-replicas/);
        expect(out).toMatch(/2 policy pack\(s\)/);
        expect(r.status).toBe(1);
    });
});
