import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import type { RecordedGraph } from "../../tools/plan/engine";
import { defaultPacks, plan, REPO_ROOT, secretPlaintexts } from "../../tools/plan/plan";
import { renderPolicies, renderTree, toPlanJson } from "../../tools/plan/report";
import { PlanInputError, readStackConfig, resolveProject, SECRET_PLACEHOLDER } from "../../tools/plan/project";

const fixture = (...p: string[]) => path.join(REPO_ROOT, "test", "fixtures", ...p);
const isolate = (fn: () => void) => jest.isolateModules(fn);

describe("plan tool: programs that are not Groundwork's (--program)", () => {
    it("reports a security group open to the world on 22 as a mandatory violation naming the rule and resource", async () => {
        // GIVEN a foreign program, WHEN planned with the default packs
        const result = await plan({ stack: "dev", program: fixture("programs", "open-ssh.ts"), isolate });
        // THEN exit code 1 with the SSH rule on the bastion security group
        expect(result.exitCode).toBe(1);
        const sg = result.graph.resources.find((r) => r.name === "bastion")!;
        const ssh = result.violations.filter((v) => v.policy === "aws-ec2-securitygroup-disallow-world-ssh-rdp");
        expect(ssh).toHaveLength(1);
        expect(ssh[0]).toMatchObject({ pack: "groundwork-security", enforcementLevel: "mandatory", urn: sg.urn });
        expect(ssh[0].message).toContain("ingress[0] opens port 22 to 0.0.0.0/0");
    });

    it("passes a compliant program with exit code 0", async () => {
        const result = await plan({ stack: "dev", program: fixture("programs", "compliant.ts"), isolate });
        expect(result.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
        expect(result.exitCode).toBe(0);
    });

    it("evaluates only the packs given with policyPacks", async () => {
        const result = await plan({ stack: "dev", program: fixture("programs", "untagged.ts"), policyPacks: [fixture("packs", "tag-required")], isolate });
        expect(result.packs.map((p) => p.name)).toEqual(["fixture-tag-required"]);
        expect(result.violations.map((v) => [v.policy, v.enforcementLevel])).toEqual([
            ["fixture-owner-tag", "advisory"],
            ["fixture-owner-tag", "advisory"],
        ]);
    });
});

describe("plan tool: stack config", () => {
    it("reads Pulumi.<stack>.yaml with the project namespace and hides secure values behind a placeholder", () => {
        const project = resolveProject(fixture("secret-stack"));
        const cfg = readStackConfig(project, "dev");
        expect(cfg.config["fixture:apiKey"]).toBe(SECRET_PLACEHOLDER);
        expect(cfg.secretKeys).toEqual(["fixture:apiKey"]);
        expect(cfg.config["fixture:replicas"]).toBe("3");
        expect(cfg.config["fixture:tags"]).toBe('{"team":"core"}');
        expect(cfg.config["aws:region"]).toBe("eu-west-1");
    });

    it.each([
        ["badcidr", /groundwork:vpcCidr/],
        ["badtier", /groundwork:tier/],
    ])("a broken stack config (%s) fails with the key's name", async (stack, key) => {
        await expect(plan({ stack, root: fixture("broken-stack"), isolate })).rejects.toThrow(key);
    });

    it("rejects a stack name that cannot be a file name", () => {
        expect(() => readStackConfig(resolveProject(REPO_ROOT), "../etc")).toThrow(PlanInputError);
    });
});

describe("plan tool: secrets", () => {
    it("hides exactly the secret values in the JSON and the text report, and keeps ordinary text", async () => {
        // GIVEN a secret config value, a literal secret, and a secret object holding both a secret and common words
        const result = await plan({ stack: "dev", root: fixture("secret-stack"), policyPacks: defaultPacks(REPO_ROOT), isolate });
        const json = JSON.stringify(toPlanJson(result.graph, result.packs.map((p) => p.name), result.violations));
        const report = `${renderTree(result.graph)}\n${renderPolicies(result.graph, result.packs, result.violations)}`;
        for (const text of [json, report]) {
            // THEN no secret value appears ...
            expect(text).not.toContain("hunter2-literal-secret");
            expect(text).not.toContain("object-nested-s3cr3t");
            expect(text).not.toContain(SECRET_PLACEHOLDER);
            // ... and the words the secret object shares with the rest of the program survive
            expect(text).toContain("publiclyAccessible is true");
        }
        expect(result.graph.outputs.apiKeyEcho).toBe("[secret]");
        expect(result.graph.outputs.settingsEcho).toBe("[secret]");
        const db = JSON.parse(json).resources.find((r: any) => r.name === "public-db");
        expect(db.inputs).toMatchObject({ publiclyAccessible: true, tags: { project: "groundwork" } });
    });

    it("scrubs a secret string and the strings only a secret object holds, not those also used in the clear", () => {
        const S = pulumi.runtime.specialSigKey;
        const secret = (value: unknown) => ({ [S]: pulumi.runtime.specialSecretSig, value });
        const graph = {
            project: "p",
            stack: "s",
            outputs: {},
            resources: [
                { raw: { inputs: { a: secret("scalar-secret"), b: secret({ x: "true", y: "only-in-secret", z: ["listed-secret"] }) }, outputs: {} } },
                { raw: { inputs: { flag: "true" }, outputs: { name: "short" } } },
            ],
        } as unknown as RecordedGraph;
        expect(new Set(secretPlaintexts(graph))).toEqual(new Set(["only-in-secret", "listed-secret", "scalar-secret"]));
    });
});
