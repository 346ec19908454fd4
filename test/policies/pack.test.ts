import type * as policy from "@pulumi/policy";
import {
    EXEMPTION_POLICY_NAME,
    EXEMPTION_PREFIX,
    MIN_REASON_LENGTH,
    exemptionReasonRule,
    findExemption,
    prodOnlyRuleNames,
    RULE_CONFIG_SCHEMA,
    ruleConfigSchema,
    tierConfig,
    toPolicy,
    type ConfigExemption,
    type ExemptionLookup,
} from "@groundwork/policy-kit";
import type { ResourceRule, Rule, StackRule } from "@groundwork/policy-kit";

const POLICY = "aws-test-thing-enable-check";
const TAG = `${EXEMPTION_PREFIX}${POLICY}`;
const URN = "urn:pulumi:prod::groundwork::aws:ec2/securityGroup:SecurityGroup::bastion";
const REASON = "bastion reachable from the office VPN only";

function subject(props?: Record<string, any>) {
    return { name: "bastion", urn: URN, props };
}

describe("findExemption", () => {
    it.each<[string, Record<string, any> | undefined, ConfigExemption[], ExemptionLookup]>([
        ["no tag, no config", { tags: { Name: "bastion" } }, [], { kind: "none" }],
        ["no props at all", undefined, [], { kind: "none" }],
        ["tag with a reason", { tags: { [TAG]: REASON } }, [], { kind: "valid", reason: REASON, source: `tag '${TAG}'` }],
        ["tag reason is trimmed", { tags: { [TAG]: `  ${REASON}  ` } }, [], { kind: "valid", reason: REASON, source: `tag '${TAG}'` }],
        ["tag reason exactly the minimum length", { tags: { [TAG]: "x".repeat(MIN_REASON_LENGTH) } }, [], { kind: "valid", reason: "x".repeat(MIN_REASON_LENGTH), source: `tag '${TAG}'` }],
        ["tag with a blank reason", { tags: { [TAG]: "   " } }, [], { kind: "invalid", source: `tag '${TAG}'` }],
        ["tag with a too-short reason", { tags: { [TAG]: "ok" } }, [], { kind: "invalid", source: `tag '${TAG}'` }],
        ["tag one character short", { tags: { [TAG]: "x".repeat(MIN_REASON_LENGTH - 1) } }, [], { kind: "invalid", source: `tag '${TAG}'` }],
        ["tag for another policy", { tags: { [`${EXEMPTION_PREFIX}aws-other-rule-enable-x`]: REASON } }, [], { kind: "none" }],
        ["Kubernetes annotation", { metadata: { annotations: { [TAG]: REASON } } }, [], { kind: "valid", reason: REASON, source: `tag '${TAG}'` }],
        ["config exemption by logical name", {}, [{ resource: "bastion", reason: REASON }], { kind: "valid", reason: REASON, source: "policy config" }],
        ["config exemption by URN", {}, [{ resource: URN, reason: REASON }], { kind: "valid", reason: REASON, source: "policy config" }],
        ["config exemption for another resource", {}, [{ resource: "web", reason: REASON }], { kind: "none" }],
        ["config exemption without reason", {}, [{ resource: "bastion" }], { kind: "invalid", source: "policy config" }],
        ["config exemption with a short reason", {}, [{ resource: URN, reason: "because" }], { kind: "invalid", source: "policy config" }],
        ["the tag wins over config (invalid tag, valid config)", { tags: { [TAG]: "" } }, [{ resource: "bastion", reason: REASON }], { kind: "invalid", source: `tag '${TAG}'` }],
    ])("%s", (_label, props, config, expected) => {
        expect(findExemption(POLICY, subject(props), config)).toEqual(expected);
    });
});

const mandatory = { name: "aws-a-b-enable-one", level: "mandatory" } as Rule;
const advisory = { name: "aws-a-b-enable-two", level: "advisory" } as Rule;
const prodOnly = { name: "aws-a-b-enable-three", level: "mandatory-prod" } as Rule;

describe("tierConfig", () => {
    it("dev: every rule gets the tier and mandatory-prod rules are downgraded to advisory", () => {
        expect(tierConfig([mandatory, advisory, prodOnly], "dev")).toEqual({
            "aws-a-b-enable-one": { tier: "dev" },
            "aws-a-b-enable-two": { tier: "dev" },
            "aws-a-b-enable-three": { tier: "dev", enforcementLevel: "advisory" },
        });
    });

    it("prod: no rule is downgraded", () => {
        expect(tierConfig([mandatory, advisory, prodOnly], "prod")).toEqual({
            "aws-a-b-enable-one": { tier: "prod" },
            "aws-a-b-enable-two": { tier: "prod" },
            "aws-a-b-enable-three": { tier: "prod" },
        });
    });

    it("prodOnlyRuleNames lists the mandatory-prod rules", () => {
        expect(prodOnlyRuleNames([mandatory, advisory, prodOnly])).toEqual(["aws-a-b-enable-three"]);
    });
});

/** A resource rule that reports one message whenever `bad` is true. */
const resourceRule: ResourceRule = {
    kind: "resource",
    name: POLICY,
    description: "Things are checked.",
    controls: ["FSBP X.1", "CKV_AWS_1"],
    severity: "high",
    level: "mandatory-prod",
    remediation: "Set bad to false.",
    resourceTypes: ["aws:test/thing:Thing"],
    check: (props, ctx) => (props.bad ? [`bad is true (tier ${ctx.tier})${props.bad === "period" ? "." : ""}`] : []),
};

/** Runs a CrossGuard resource policy's handler the way the analyzer calls it, collecting reports. */
function runResource(p: policy.ResourceValidationPolicy, args: { type?: string; props: Record<string, any>; config?: Record<string, unknown> }): string[] {
    const reports: string[] = [];
    const validate = p.validateResource as policy.ResourceValidation;
    validate(
        { type: args.type ?? "aws:test/thing:Thing", name: "bastion", urn: URN, props: args.props, getConfig: () => args.config ?? {} } as unknown as policy.ResourceValidationArgs,
        (m: string) => reports.push(m),
    );
    return reports;
}

describe("toPolicy (resource rule)", () => {
    const p = toPolicy(resourceRule) as policy.ResourceValidationPolicy;

    it("carries metadata: controls in the description, mandatory-prod enforced as mandatory unless config downgrades it", () => {
        expect(p).toMatchObject({ name: POLICY, description: "Things are checked. [FSBP X.1, CKV_AWS_1]", enforcementLevel: "mandatory", severity: "high", remediationSteps: "Set bad to false." });
        expect(toPolicy({ ...resourceRule, level: "advisory" }).enforcementLevel).toBe("advisory");
    });

    it.each<[string, Parameters<typeof runResource>[1], string[]]>([
        ["compliant", { props: { bad: false } }, []],
        ["violation gets the remediation appended; tier defaults to prod", { props: { bad: true } }, ["bad is true (tier prod). Fix: Set bad to false."]],
        ["tier comes from policy config", { props: { bad: true }, config: { tier: "dev" } }, ["bad is true (tier dev). Fix: Set bad to false."]],
        ["a message's own trailing period is not doubled", { props: { bad: "period" } }, ["bad is true (tier prod). Fix: Set bad to false."]],
        ["other resource types are skipped", { type: "aws:test/other:Other", props: { bad: true } }, []],
        ["a valid tag exempts", { props: { bad: true, tags: { [TAG]: REASON } } }, []],
        ["a valid config exemption exempts", { props: { bad: true }, config: { exemptions: [{ resource: "bastion", reason: REASON }] } }, []],
        [
            "an exemption without reason is reported and ignored",
            { props: { bad: true, tags: { [TAG]: "ok" } } },
            [
                `exemption from ${POLICY} via tag '${TAG}' has no reason (at least ${MIN_REASON_LENGTH} characters), so it is ignored. Fix: state why the resource may break the rule.`,
                "bad is true (tier prod). Fix: Set bad to false.",
            ],
        ],
        ["an invalid exemption on a compliant resource is not reported by the rule", { props: { bad: false, tags: { [TAG]: "" } } }, []],
    ])("%s", (_label, args, expected) => {
        expect(runResource(p, args)).toEqual(expected);
    });
});

describe("toPolicy (stack rule)", () => {
    const stackRule: StackRule = {
        kind: "stack",
        name: POLICY,
        description: "Every thing has a friend.",
        controls: ["FSBP X.2"],
        severity: "medium",
        level: "mandatory",
        remediation: "Add a friend.",
        check: (resources, ctx) => resources.filter((r) => !r.props.friend).map((r) => ({ urn: r.urn, message: `'${r.name}' has no friend (tier ${ctx.tier})` })),
    };
    const p = toPolicy(stackRule) as policy.StackValidationPolicy;

    function runStack(resources: { name: string; props: Record<string, any> }[], config: Record<string, unknown> = {}) {
        const reports: { message: string; urn?: string }[] = [];
        const args = {
            resources: resources.map((r) => ({ type: "aws:test/thing:Thing", name: r.name, urn: `urn:x::${r.name}`, props: r.props, dependencies: [], parent: undefined })),
            getConfig: () => config,
        } as unknown as policy.StackValidationArgs;
        (p.validateStack as policy.StackValidation)(args, (message: string, urn?: string) => reports.push({ message, urn }));
        return reports;
    }

    it("reports findings against the offending resource with the remediation", () => {
        expect(runStack([{ name: "a", props: { friend: "b" } }, { name: "c", props: {} }])).toEqual([{ message: "'c' has no friend (tier prod). Fix: Add a friend.", urn: "urn:x::c" }]);
    });

    it("honours exemptions by tag and by config, and reports an exemption without reason", () => {
        const reports = runStack(
            [
                { name: "tagged", props: { tags: { [TAG]: REASON } } },
                { name: "configured", props: {} },
                { name: "lazy", props: { tags: { [TAG]: " " } } },
            ],
            { tier: "dev", exemptions: [{ resource: "configured", reason: REASON }] },
        );
        expect(reports).toEqual([
            { message: expect.stringContaining(`exemption from ${POLICY} via tag '${TAG}' has no reason`), urn: "urn:x::lazy" },
            { message: "'lazy' has no friend (tier dev). Fix: Add a friend.", urn: "urn:x::lazy" },
        ]);
    });
});

describe("toPolicy (stack rule with its own config)", () => {
    /** Reports every thing whose name is not in the config's `friends`; a friend without a name is a config problem. */
    const configured: StackRule = {
        kind: "stack",
        name: POLICY,
        description: "Every thing is a listed friend.",
        controls: ["FSBP X.3"],
        severity: "high",
        level: "mandatory",
        remediation: "List the thing.",
        config: {
            properties: { friends: { type: "array", default: [], items: { type: "string" } } },
            problems: (c) => (Array.isArray(c.friends) ? c.friends : []).filter((f) => f === "").map(() => "friends has an empty name, so it is ignored. Fix: name the friend."),
        },
        check: (resources, ctx) => {
            const friends = Array.isArray(ctx.config?.friends) ? (ctx.config.friends as string[]) : [];
            return resources.filter((r) => !friends.includes(r.name)).map((r) => ({ urn: r.urn, message: `'${r.name}' is not listed` }));
        },
    };
    const p = toPolicy(configured) as policy.StackValidationPolicy;

    function runStack(names: string[], config: Record<string, unknown>) {
        const reports: { message: string; urn?: string }[] = [];
        const args = {
            resources: names.map((name) => ({ type: "aws:test/thing:Thing", name, urn: `urn:x::${name}`, props: {}, dependencies: [], parent: undefined })),
            getConfig: () => config,
        } as unknown as policy.StackValidationArgs;
        (p.validateStack as policy.StackValidation)(args, (message: string, urn?: string) => reports.push({ message, urn }));
        return reports;
    }

    it("adds the rule's properties to the shared config schema; other rules keep the shared schema", () => {
        expect(p.configSchema).toEqual({ properties: { ...RULE_CONFIG_SCHEMA.properties, friends: { type: "array", default: [], items: { type: "string" } } } });
        expect(ruleConfigSchema(configured)).toEqual(p.configSchema);
        expect(toPolicy(resourceRule).configSchema).toBe(RULE_CONFIG_SCHEMA);
        expect(ruleConfigSchema({ ...configured, config: undefined })).toBe(RULE_CONFIG_SCHEMA);
    });

    it("hands the check the policy config, exemptions still applying", () => {
        expect(runStack(["a", "b", "c"], { friends: ["a"], exemptions: [{ resource: "c", reason: REASON }] })).toEqual([{ message: "'b' is not listed. Fix: List the thing.", urn: "urn:x::b" }]);
    });

    it("reports each config problem once, against no resource, with its own fix instead of the rule's remediation", () => {
        expect(runStack([], { friends: ["", "a", ""] })).toEqual([
            { message: "friends has an empty name, so it is ignored. Fix: name the friend.", urn: undefined },
            { message: "friends has an empty name, so it is ignored. Fix: name the friend.", urn: undefined },
        ]);
    });
});

describe("exemptionReasonRule", () => {
    const p = exemptionReasonRule([POLICY]);

    it("is mandatory and named", () => {
        expect(p).toMatchObject({ name: EXEMPTION_POLICY_NAME, enforcementLevel: "mandatory" });
    });

    it.each<[string, Record<string, any>, string[]]>([
        ["a valid exemption", { tags: { [TAG]: REASON } }, []],
        ["unrelated tags", { tags: { Name: "x" } }, []],
        ["an exemption without reason", { tags: { [TAG]: "" } }, [`'${TAG}' has no reason (at least ${MIN_REASON_LENGTH} characters). Fix: say why the resource may break the rule.`]],
        [
            "an exemption from an unknown policy",
            { metadata: { annotations: { [`${EXEMPTION_PREFIX}typo-rule`]: REASON } } },
            [`'${EXEMPTION_PREFIX}typo-rule' exempts from unknown policy 'typo-rule'. Fix: use one of this pack's policy names.`],
        ],
    ])("%s", (_label, props, expected) => {
        expect(runResource(p, { props })).toEqual(expected);
    });
});
