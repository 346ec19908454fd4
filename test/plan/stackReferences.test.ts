import { parseStackReferences } from "../../tools/plan/stackReferences";
import { PlanInputError } from "../../tools/plan/project";

const files: Record<string, string> = {
    "prod.json": JSON.stringify({ clusterName: "prod-eks", subnets: ["a", "b"] }),
    "broken.json": "{ not json",
    "array.json": "[1, 2]",
};
const read = (f: string) => {
    if (!(f in files)) throw new Error(`ENOENT: ${f}`);
    return files[f];
};

describe("parseStackReferences (--stack-reference, --stack-output)", () => {
    it("reads a stack's outputs from a file and single outputs from flags, JSON values parsed", () => {
        expect(parseStackReferences(["org/platform/prod=prod.json"], ["org/platform/prod:replicas=3", "org/platform/prod:clusterName=override", "org/other/dev:list=[1,2]"], read)).toEqual({
            "org/platform/prod": { clusterName: "override", subnets: ["a", "b"], replicas: 3 },
            "org/other/dev": { list: [1, 2] },
        });
    });

    it.each([
        [["no-equals-sign"], [], /--stack-reference 'no-equals-sign': expected <stack>=<file.json>/],
        [["org/p/s="], [], /expected <stack>=<file.json>/],
        [["org/p/s=missing.json"], [], /'missing.json' cannot be read as JSON.*pulumi stack output --json --stack org\/p\/s/],
        [["org/p/s=broken.json"], [], /'broken.json' cannot be read as JSON/],
        [["org/p/s=array.json"], [], /must hold a JSON object of outputs/],
        [[], ["org/p/s=value"], /--stack-output 'org\/p\/s=value': expected <stack>:<name>=<value>/],
    ])("rejects %j %j with a message naming the flag and the fix", (refs, outs, message) => {
        expect(() => parseStackReferences(refs, outs, read)).toThrow(PlanInputError);
        expect(() => parseStackReferences(refs, outs, read)).toThrow(message);
    });
});
