import { cantRunReason, phaseRows, renderPhases, withPhases } from "../../tools/engine/phases";

const cantRun = (policy: string, detail: string, urn = "urn:x") => ({
    pack: "groundwork-security",
    policy,
    enforcementLevel: "advisory",
    urn,
    message: `can't run policy '${policy}' from policy pack 'groundwork-security@v0.1.0' during preview: ${detail}`,
});

describe("when each mandatory rule gates (tools/engine/phases.ts)", () => {
    const rules = [
        { pack: "groundwork-security", rule: { name: "a-resource-rule", kind: "resource" as const, level: "mandatory" as const } },
        { pack: "groundwork-security", rule: { name: "a-stack-rule", kind: "stack" as const, level: "mandatory-prod" as const } },
        { pack: "groundwork-security", rule: { name: "a-clean-rule", kind: "resource" as const, level: "mandatory" as const } },
        { pack: "groundwork-security", rule: { name: "an-advisory-rule", kind: "resource" as const, level: "advisory" as const } },
    ];

    it("a rule the preview could judge everywhere gates there; otherwise a resource rule gates in up before the create, a stack rule after", () => {
        const rows = phaseRows(rules, [
            cantRun("a-resource-rule", "string value at .policy can't be known during preview"),
            cantRun("a-stack-rule", "the outputs of kubernetes:apps/v1:Deployment 'api' can't be known during preview (its provider is not configured yet)"),
            { ...cantRun("a-clean-rule", "x"), message: "an ordinary advisory finding" },
        ]);
        expect(rows.map((r) => [r.policy, r.gate])).toEqual([
            ["a-resource-rule", "up, before the resource is created"],
            ["a-stack-rule", "up, after the resources are created (the update is marked failed)"],
            ["a-clean-rule", "preview"],
        ]);
        expect(rows[0].reason).toBe("`policy` is a document built from ARNs of resources not created yet");
        expect(rows[1].reason).toMatch(/Kubernetes objects' outputs are withheld/);
    });

    it("names the property a rule could not read", () => {
        expect(cantRunReason(cantRun("r", "string value at .encryptionConfig.provider.keyArn can't be known during preview").message)).toBe(
            "`encryptionConfig.provider.keyArn` is computed from resources not created yet",
        );
    });

    it("writes the table between the README's markers only, and refuses a README without them", () => {
        const table = renderPhases("prod", phaseRows(rules, []));
        const readme = "intro\n<!-- policy-phases:begin -->\nold\n<!-- policy-phases:end -->\nrest\n";
        const out = withPhases(readme, table);
        expect(out.startsWith("intro\n<!-- policy-phases:begin -->\n")).toBe(true);
        expect(out).toContain("| security | `a-clean-rule` | resource | preview | – |");
        expect(out).not.toContain("old");
        expect(out.endsWith("<!-- policy-phases:end -->\nrest\n")).toBe(true);
        expect(() => withPhases("no markers", table)).toThrow(/policy-phases/);
    });
});
