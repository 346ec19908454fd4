import * as path from "node:path";
import {
    PIN_EXCEPTIONS,
    checkPins,
    checkWorkflowFiles,
    classifyUses,
    collectUses,
    workflowFiles,
    type UsesRef,
} from "../../tools/actionlint/pins";

const REPO_ROOT = path.resolve(__dirname, "../..");
const SHA_A = "11d5960a326750d5838078e36cf38b85af677262";
const SHA_B = "34e114876b0b11c390a56381ad16ebd13914f8d5";

/** A `uses:` as collectUses returns it. */
function ref(uses: string, comment = "", line = 1): UsesRef {
    return { file: "w.yml", line, where: "jobs.a.steps[0]", uses, comment };
}

describe("every action in .github/workflows is pinned by a commit SHA", () => {
    // The unpinned exceptions, each with why (a TODO: what would pin it). None today: every action used is pinned to
    // a SHA that the action's own repository tags with the release in the comment, and public pins agree.
    // tools/actionlint/pins.ts PIN_EXCEPTIONS is the list the check reads; this keeps it visible here.
    it("lists its exceptions explicitly, each with a reason", () => {
        expect(PIN_EXCEPTIONS).toEqual([]);
        for (const e of PIN_EXCEPTIONS) expect(e.reason).toMatch(/\S/);
    });

    it("finds no unpinned action in the repository's workflows", () => {
        // GIVEN every workflow of the repository
        const files = workflowFiles(REPO_ROOT);
        expect(files).toEqual(expect.arrayContaining([".github/workflows/pull-request.yml", ".github/workflows/deploy.yml", ".github/workflows/drift.yml"]));
        // WHEN their `uses:` are checked together
        const { refs, problems } = checkWorkflowFiles(REPO_ROOT, files);
        // THEN there are some, each located, and none is a problem
        expect(refs.length).toBeGreaterThan(0);
        for (const r of refs) expect(r.line).toBeGreaterThan(0);
        expect(problems).toEqual([]);
    });
});

describe("classifyUses", () => {
    it.each([
        [`actions/checkout@${SHA_A}`, "sha"],
        [`github/codeql-action/init@${SHA_A}`, "sha"],
        [`octo/repo/.github/workflows/ci.yml@${SHA_A}`, "sha"],
        ["actions/checkout@v4", "unpinned"],
        ["actions/checkout@main", "unpinned"],
        [`actions/checkout@${SHA_A.slice(0, 12)}`, "unpinned"],
        [`actions/checkout@${SHA_A.toUpperCase()}`, "unpinned"],
        ["actions/checkout", "malformed"],
        ["./.github/actions/setup", "local"],
        [`docker://alpine@sha256:${"a".repeat(64)}`, "docker-digest"],
        ["docker://alpine:3.20", "docker-unpinned"],
    ])("%s is %s", (uses, kind) => {
        expect(classifyUses(uses)).toBe(kind);
    });
});

describe("checkPins", () => {
    it.each([
        ["a SHA with its release", [ref(`actions/checkout@${SHA_A}`, "v4.4.0")], []],
        ["a SHA with its release and a note", [ref(`actions/checkout@${SHA_A}`, "v4.4.0 (backports)")], []],
        ["a local action", [ref("./.github/actions/x")], []],
        ["a container by digest", [ref(`docker://alpine@sha256:${"b".repeat(64)}`)], []],
        ["the same pin twice", [ref(`actions/checkout@${SHA_A}`, "v4.4.0"), ref(`actions/checkout@${SHA_A}`, "v4.4.0", 9)], []],
    ])("accepts %s", (_what, refs, expected) => {
        expect(checkPins(refs, [])).toEqual(expected);
    });

    it.each([
        ["a version tag", [ref("actions/checkout@v4")], /not pinned by a full commit SHA/],
        ["a SHA without its release", [ref(`actions/checkout@${SHA_A}`)], /release in a comment.*found none/],
        ["a SHA with a major only", [ref(`actions/checkout@${SHA_A}`, "v4")], /release in a comment.*found "# v4"/],
        ["a container by tag", [ref("docker://alpine:3.20")], /pinned by digest/],
        [
            "one action pinned to two SHAs",
            [ref(`actions/checkout@${SHA_A}`, "v4.4.0"), ref(`actions/checkout@${SHA_B}`, "v4.3.1", 9)],
            /actions\/checkout is pinned differently at w\.yml:1/,
        ],
        [
            "one SHA with two releases",
            [ref(`actions/checkout@${SHA_A}`, "v4.4.0"), ref(`actions/checkout@${SHA_A}`, "v4.3.0", 9)],
            /one action, one pin/,
        ],
    ])("rejects %s", (_what, refs, message) => {
        const problems = checkPins(refs, []);
        expect(problems).toHaveLength(1);
        expect(problems[0].message).toMatch(message);
    });

    it("lets a listed exception through only with a TODO on its line, and reports an exception no workflow uses", () => {
        const exceptions = [{ uses: "some/action@v1", reason: "no commit SHA confirmed for v1 yet" }];
        expect(checkPins([ref("some/action@v1", "TODO: no commit SHA confirmed for v1")], exceptions)).toEqual([]);
        expect(checkPins([ref("some/action@v1")], exceptions)[0].message).toMatch(/needs a `# TODO: <why>` comment/);
        expect(checkPins([], exceptions)[0].message).toMatch(/no workflow has any more/);
    });
});

describe("collectUses", () => {
    it("reads step actions and reusable workflows with their line and comment, identical lines each their own", () => {
        const text = [
            "on: push",
            "jobs:",
            "  a:",
            "    runs-on: ubuntu-24.04",
            "    steps:",
            `      - uses: actions/checkout@${SHA_A} # v4.4.0`,
            "      - run: 'echo uses: not/this@v1'",
            `      - uses: "actions/checkout@${SHA_A}"   #   v4.4.0`,
            "  b:",
            "    uses: ./.github/workflows/other.yml",
        ].join("\n");
        expect(collectUses("w.yml", text)).toEqual([
            { file: "w.yml", line: 6, where: "jobs.a.steps[0]", uses: `actions/checkout@${SHA_A}`, comment: "v4.4.0" },
            { file: "w.yml", line: 8, where: "jobs.a.steps[2]", uses: `actions/checkout@${SHA_A}`, comment: "v4.4.0" },
            { file: "w.yml", line: 10, where: "jobs.b", uses: "./.github/workflows/other.yml", comment: "" },
        ]);
    });
});
