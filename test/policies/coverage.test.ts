/**
 * The coverage table (policies/COVERAGE.md, policies/coverage.json): the tracer that measures what each rule reads,
 * and the reviewed list of resource types no rule reads. `npm run policy:coverage -- --check` (in `npm test`)
 * keeps the two files current; this file checks what they say.
 */
import * as fs from "node:fs";
import type { ResourceRule, StackRule } from "@groundwork/policy-kit";
import { allRules as kubernetesRules } from "../../policies/kubernetes/rules";
import { allRules as securityRules } from "../../policies/security/rules";
import { COVERED_FAMILIES, sdkTypes } from "../../tools/policy-coverage/families";
import { COVERAGE_JSON, readReview, typesRead, uncoveredByFamily, type Coverage } from "../../tools/policy-coverage/generate";
import { compact, DOCUMENT, IDENTITY, recording, REPORTED, traceRule, type Reads, type TracedResource } from "../../tools/policy-coverage/trace";

const coverage: Coverage = JSON.parse(fs.readFileSync(COVERAGE_JSON, "utf8"));
const review = readReview();

function resource(type: string, name: string, props: Record<string, any>): TracedResource {
    return { type, name, urn: `urn:pulumi:test::p::${type}::${name}`, props, inputs: props, dependencyUrns: [] };
}
const paths = (reads: Reads, type: string) => compact(reads.get(type) ?? []);

describe("the tracer records what a check reads", () => {
    it("records nested paths, list elements, `in` and key enumeration, and leaves scalars alone", () => {
        const reads: Reads = new Map();
        const p = recording({ a: { b: 1, c: [{ d: "x" }, { d: "y" }] }, tags: { team: "t" }, n: 5 }, "T", "", reads);
        expect(p.a.b).toBe(1);
        expect(p.a.c.map((e: { d: string }) => e.d)).toEqual(["x", "y"]);
        expect("missing" in p).toBe(false);
        expect(Object.keys(p.tags)).toEqual(["team"]);
        expect(paths(reads, "T")).toEqual(["a.b", "a.c[].d", "missing", "tags.*"]);
    });

    it("reads a policy document as one path, in its string and object forms", () => {
        const reads: Reads = new Map();
        const doc = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] };
        const p = recording({ policy: JSON.stringify(doc), inline: [{ policy: doc }] }, "T", "", reads);
        expect(JSON.parse(p.policy).Statement[0].Effect).toBe("Allow");
        expect(p.inline[0].policy.Statement[0].Action).toBe("s3:GetObject");
        expect(paths(reads, "T")).toEqual([`inline[].policy${DOCUMENT}`, `policy${DOCUMENT}`]);
    });

    it("does not count Object.prototype members or array methods as properties", () => {
        const reads: Reads = new Map();
        const p = recording({ list: [1, 2] }, "T", "", reads);
        expect(p.hasOwnProperty("list")).toBe(true);
        expect(p.list.length).toBe(2);
        expect(paths(reads, "T")).toEqual(["list"]);
    });

    it("traces a resource rule on its declared types only, on the inputs, and marks the types it reported", () => {
        const rule: ResourceRule = {
            kind: "resource",
            name: "test-rule",
            description: "",
            controls: [],
            severity: "low",
            level: "advisory",
            remediation: "",
            resourceTypes: ["A"],
            check: (props) => (props.open === true ? ["open"] : []),
        };
        const reads: Reads = new Map();
        traceRule(rule, [resource("A", "a1", { open: true }), resource("A", "a2", { open: false }), resource("B", "b", { open: true })], reads);
        expect(paths(reads, "A")).toEqual([REPORTED, "open"]);
        expect(reads.has("B")).toBe(false);
    });

    it("traces a stack rule on the whole graph: identity reads, property reads and reported types", () => {
        const rule: StackRule = {
            kind: "stack",
            name: "test-stack-rule",
            description: "",
            controls: [],
            severity: "low",
            level: "advisory",
            remediation: "",
            check: (resources) => {
                const logs = resources.filter((r) => r.type === "Log").map((r) => r.props.vpcId);
                return resources.filter((r) => r.type === "Vpc" && !logs.includes(r.props.id)).map((r) => ({ urn: r.urn, message: `${r.name} unlogged` }));
            },
        };
        const reads: Reads = new Map();
        traceRule(rule, [resource("Vpc", "v1", { id: "vpc-1" }), resource("Vpc", "v2", { id: "vpc-2" }), resource("Log", "l", { vpcId: "vpc-1" }), resource("Other", "o", { x: 1 })], reads);
        expect(paths(reads, "Vpc")).toEqual([REPORTED, "id"]);
        expect(paths(reads, "Log")).toEqual(["vpcId"]);
        expect(reads.has("Other")).toBe(false);
    });

    it("compacts paths to the most specific ones", () => {
        expect(compact(["a", "a.b", "a.b.c", "d", `d${DOCUMENT}`, IDENTITY])).toEqual(["a.b.c", `d${DOCUMENT}`]);
        expect(compact([IDENTITY, REPORTED])).toEqual([IDENTITY, REPORTED]);
    });
});

describe("policies/coverage.json", () => {
    it("has every rule of both packs, with its declared types", () => {
        const rules = [...securityRules, ...kubernetesRules];
        expect(Object.keys(coverage.rules).sort()).toEqual(rules.map((r) => r.name).sort());
        for (const r of rules) if (r.kind === "resource") expect(coverage.rules[r.name].declaredTypes).toEqual([...r.resourceTypes].sort());
    });

    it("shows every rule reading something on the corpus (a rule the fixtures never exercise has no row)", () => {
        const silent = Object.entries(coverage.rules)
            .filter(([, r]) => Object.keys(r.reads).length === 0)
            .map(([name]) => name);
        expect(silent).toEqual([]);
    });

    it("does not count a type as judged when a rule only matched it by ARN, id or name", () => {
        // The workload-identity rule collects the ARN of every resource to tell declared ARNs from foreign ones.
        const reads = coverage.rules["aws-iam-role-enforce-workload-declared-resources"].reads["aws:kms/alias:Alias"];
        expect(reads).toEqual(["arn"]);
        expect(typesRead(coverage).has("aws:kms/alias:Alias")).toBe(false);
    });
});

describe("resource types of the covered AWS families that no rule reads", () => {
    const uncovered = uncoveredByFamily(coverage);

    it("lists them, per family", () => {
        const lines = COVERED_FAMILIES.map((f) => `${f}: ${sdkTypes(f).length} types, ${uncovered[f].length} read by no rule: ${uncovered[f].map((t) => t.split(":")[2]).join(", ")}`);
        console.log(`Uncovered SDK types (each reviewed in policies/uncovered-types.json):\n${lines.join("\n")}`);
        expect(COVERED_FAMILIES.every((f) => sdkTypes(f).length > 0)).toBe(true);
    });

    it("every one is on the reviewed list, with a reason", () => {
        const unreviewed = Object.values(uncovered)
            .flat()
            .filter((t) => !(t in review));
        expect(unreviewed).toEqual([]);
        for (const [type, reason] of Object.entries(review)) expect({ type, reason: reason.length >= 20 }).toEqual({ type, reason: true });
    });

    it("the reviewed list holds no type a rule now reads, and no type the SDK does not have", () => {
        const all = new Set(COVERED_FAMILIES.flatMap((f) => sdkTypes(f)));
        const read = typesRead(coverage);
        expect(Object.keys(review).filter((t) => read.has(t) || !all.has(t))).toEqual([]);
    });
});
