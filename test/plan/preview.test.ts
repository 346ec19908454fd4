import * as path from "node:path";
import { plan, REPO_ROOT } from "../../tools/plan/plan";

const fixture = (...p: string[]) => path.join(REPO_ROOT, "test", "fixtures", ...p);
const isolate = (fn: () => void) => jest.isolateModules(fn);
const CANT_RUN = /^can't run policy '([^']+)' from policy pack '[^']+' during preview: /;

describe("plan tool --preview: what the first `pulumi preview` of a new stack can judge", () => {
    it("reports 'can't run during preview' for a document built from an ARN that does not exist yet, and no mandatory violation", async () => {
        // GIVEN a role policy whose document is made from a queue's ARN (sqs:* on it)
        const result = await plan({ stack: "dev", program: fixture("programs", "late-wildcard.ts"), preview: true, isolate });
        // THEN the IAM rules cannot read the document: advisories that say so, and nothing mandatory
        const policy = result.graph.resources.find((r) => r.name === "late-worker-queue")!;
        expect(policy.inputs.policy).toBe("[unknown]");
        const cantRun = result.violations.filter((v) => v.urn === policy.urn && CANT_RUN.test(v.message)).map((v) => v.policy);
        expect(cantRun).toEqual(expect.arrayContaining(["aws-iam-policy-disallow-wildcard-actions", "aws-iam-policy-disallow-full-admin"]));
        expect(result.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
        expect(result.exitCode).toBe(0);
    });

    it("dev: the Kubernetes stack rules say they cannot run while the cluster's provider is unconfigured, instead of failing the preview", async () => {
        // GIVEN the platform's dev stack as a new stack: the cluster does not exist, so its Kubernetes provider's
        // kubeconfig is unknown and the engine withholds the outputs of every Kubernetes object
        const result = await plan({ stack: "dev", preview: true, isolate });
        const deployment = result.graph.resources.find((r) => r.type === "kubernetes:apps/v1:Deployment")!;
        expect(deployment.outputs).toEqual({});
        // THEN no mandatory violation (the stack's first real preview passes) ...
        expect(result.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
        // ... and each stack rule that judges those objects reports that it could not run, naming the object
        const stackRules = ["k8s-pod-missing-network-policy", "k8s-deployment-missing-pod-disruption-budget", "k8s-deployment-enforce-replicas"];
        for (const rule of stackRules) {
            const v = result.violations.find((x) => x.policy === rule);
            expect([rule, v?.enforcementLevel, v?.message]).toEqual([rule, "advisory", expect.stringMatching(/outputs of kubernetes:.* can't be known during preview \(its provider is not configured yet\)/)]);
        }
        // ... while the resource rules still judge the objects' inputs: no pod rule is skipped
        expect(result.violations.filter((v) => v.policy.startsWith("k8s-pod-") && CANT_RUN.test(v.message) && v.policy !== "k8s-pod-missing-network-policy")).toEqual([]);
    });
});
