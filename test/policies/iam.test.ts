import { UNSCOPABLE_ACTIONS } from "../../components/identity/statements";
import { iamAttachmentDisallowAdministratorAccess, isAdministratorAccess } from "../../policies/security/rules/iam/attachment/disallowAdministratorAccess";
import { iamPolicyDisallowFullAdmin } from "../../policies/security/rules/iam/policy/disallowFullAdmin";
import { iamPolicyDisallowPassRoleWildcard } from "../../policies/security/rules/iam/policy/disallowPassRoleWildcard";
import { iamPolicyDisallowWildcardActions } from "../../policies/security/rules/iam/policy/disallowWildcardActions";
import { iamPolicyDisallowWildcardResources } from "../../policies/security/rules/iam/policy/disallowWildcardResources";
import { iamRoleDisallowWildcardPrincipal } from "../../policies/security/rules/iam/role/disallowWildcardPrincipal";
import { actionMatches, IAM_DOCUMENT_TYPES } from "../../policies/security/rules/iam/shared";
import { checkResource } from "../support/policy";
import { ruleTable, type Props } from "../support/ruleTable";

const QUEUE = "arn:aws:sqs:eu-west-1:111122223333:jobs";
const ROLE = "arn:aws:iam::111122223333:role/worker";

/** A least-privilege policy as the components emit it: exact actions on exact ARNs, one unscopable statement. */
const goodPolicy: Props = {
    policy: {
        Version: "2012-10-17",
        Statement: [
            { Sid: "JobsConsume", Effect: "Allow", Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage"], Resource: [QUEUE] },
            { Sid: "Traces", Effect: "Allow", Action: "xray:PutTraceSegments", Resource: "*" },
            { Sid: "PassWorker", Effect: "Allow", Action: "iam:PassRole", Resource: ROLE },
            { Sid: "DenyAll", Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
        ],
    },
};
const set = (i: number, field: string, value: unknown) => (p: Props) => (p.policy.Statement[i][field] = value);

describe("aws-iam-policy-disallow-full-admin", () => {
    ruleTable(iamPolicyDisallowFullAdmin, goodPolicy, [
        ["* on *", (p) => ((p.policy.Statement[0].Action = "*"), (p.policy.Statement[0].Resource = "*")), ['Statement[0] (JobsConsume) allows Action "*" on Resource "*": full administrator access']],
        ["* among actions on * among resources", (p) => ((p.policy.Statement[1].Action = ["s3:GetObject", "*"]), (p.policy.Statement[1].Resource = [QUEUE, "*"])), ['Statement[1] (Traces) allows Action "*" on Resource "*": full administrator access']],
        ["passes: * on one ARN (other rules report it)", set(0, "Action", "*"), []],
        [
            "* with NotResource (everything but a few ARNs)",
            (p) => ((p.policy.Statement[0].Action = "*"), delete p.policy.Statement[0].Resource, (p.policy.Statement[0].NotResource = [QUEUE])),
            ['Statement[0] (JobsConsume) allows Action "*" on every resource except its NotResource: full administrator access'],
        ],
        ["passes: policy as a JSON string", (p) => (p.policy = JSON.stringify(p.policy)), []],
    ]);
    it.each(IAM_DOCUMENT_TYPES)("applies to %s", (type) => {
        const props = { policy: { Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] } };
        expect(checkResource(iamPolicyDisallowFullAdmin, props, { type })).toEqual(['Statement[0] allows Action "*" on Resource "*": full administrator access']);
    });
    it("applies to a Role's inline policies", () => {
        const props = { assumeRolePolicy: "{}", inlinePolicies: [{ name: "ok", policy: JSON.stringify(goodPolicy.policy) }, { name: "admin", policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }] };
        expect(checkResource(iamPolicyDisallowFullAdmin, props, { type: "aws:iam/role:Role" })).toEqual([
            'inlinePolicies[1] (admin) Statement[0] allows Action "*" on Resource "*": full administrator access',
        ]);
    });
});

describe("aws-iam-attachment-disallow-administrator-access", () => {
    ruleTable(iamAttachmentDisallowAdministratorAccess, { role: "worker", policyArn: "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole" }, [
        ["AdministratorAccess", (p) => (p.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess"), ["policyArn is AdministratorAccess: full administrator access"]],
        ["AdministratorAccess in GovCloud", (p) => (p.policyArn = "arn:aws-us-gov:iam::aws:policy/AdministratorAccess"), ["policyArn is AdministratorAccess: full administrator access"]],
        ["passes: a customer policy of the same name", (p) => (p.policyArn = "arn:aws:iam::111122223333:policy/AdministratorAccess"), []],
        ["passes: AdministratorAccess-Amplify is another policy", (p) => (p.policyArn = "arn:aws:iam::aws:policy/AdministratorAccess-Amplify"), []],
    ]);
    it.each(["aws:iam/policyAttachment:PolicyAttachment", "aws:iam/userPolicyAttachment:UserPolicyAttachment", "aws:iam/groupPolicyAttachment:GroupPolicyAttachment"])("applies to %s", (type) => {
        expect(checkResource(iamAttachmentDisallowAdministratorAccess, { policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" }, { type })).toEqual([
            "policyArn is AdministratorAccess: full administrator access",
        ]);
    });
    it("applies to a Role's managedPolicyArns", () => {
        const type = "aws:iam/role:Role";
        expect(checkResource(iamAttachmentDisallowAdministratorAccess, { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"] }, { type })).toEqual([
            "managedPolicyArns includes AdministratorAccess: full administrator access",
        ]);
        expect(checkResource(iamAttachmentDisallowAdministratorAccess, { managedPolicyArns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, { type })).toEqual([]);
    });
    it("recognises only AWS's AdministratorAccess", () => {
        expect([isAdministratorAccess("arn:aws:iam::aws:policy/AdministratorAccess"), isAdministratorAccess(undefined), isAdministratorAccess("AdministratorAccess")]).toEqual([true, false, false]);
    });
});

describe("aws-iam-policy-disallow-wildcard-actions", () => {
    ruleTable(iamPolicyDisallowWildcardActions, goodPolicy, [
        ["* action", set(0, "Action", "*"), ['Statement[0] (JobsConsume) allows wildcard action "*"']],
        ["service:* action", set(0, "Action", ["sqs:*", "s3:GetObject"]), ['Statement[0] (JobsConsume) allows wildcard action "sqs:*"']],
        [
            "NotAction allow",
            (p) => (delete p.policy.Statement[0].Action, (p.policy.Statement[0].NotAction = ["iam:*"])),
            ["Statement[0] (JobsConsume) allows with NotAction: every action not listed is granted"],
        ],
        ["passes: prefix pattern sqs:Get* (not a service wildcard)", set(0, "Action", "sqs:Get*"), []],
        ["passes: * in a Deny", set(3, "Action", "*"), []],
    ]);
});

describe("aws-iam-policy-disallow-wildcard-resources", () => {
    ruleTable(iamPolicyDisallowWildcardResources, goodPolicy, [
        ["scopable actions on *", set(0, "Resource", "*"), ['Statement[0] (JobsConsume) allows scopable actions on Resource "*": sqs:ReceiveMessage, sqs:DeleteMessage']],
        [
            "an unscopable statement with one scopable action added",
            set(1, "Action", ["xray:PutTraceSegments", "s3:PutObject"]),
            ['Statement[1] (Traces) allows scopable actions on Resource "*": s3:PutObject'],
        ],
        ["* among resources", set(0, "Resource", [QUEUE, "*"]), ['Statement[0] (JobsConsume) allows scopable actions on Resource "*": sqs:ReceiveMessage, sqs:DeleteMessage']],
        ["passes: unscopable actions (case-insensitive)", set(1, "Action", ["XRay:PutTraceSegments", "sts:GetCallerIdentity"]), []],
        [
            "NotResource instead of Resource (every resource but the listed ones)",
            (p) => ((p.policy.Statement[0].NotResource = p.policy.Statement[0].Resource), delete p.policy.Statement[0].Resource),
            ["Statement[0] (JobsConsume) allows scopable actions with NotResource (every resource but the listed ones): sqs:ReceiveMessage, sqs:DeleteMessage"],
        ],
        ["passes: unscopable actions with NotResource", (p) => ((p.policy.Statement[1].NotResource = "arn:aws:s3:::x"), delete p.policy.Statement[1].Resource), []],
    ]);
    it("allows every action of UNSCOPABLE_ACTIONS (the documented allow-list) on *", () => {
        const props = { policy: { Statement: [{ Effect: "Allow", Action: [...UNSCOPABLE_ACTIONS], Resource: "*" }] } };
        expect(checkResource(iamPolicyDisallowWildcardResources, props)).toEqual([]);
    });
});

describe("aws-iam-policy-disallow-passrole-wildcard", () => {
    const msg = 'Statement[2] (PassWorker) allows iam:PassRole on Resource "*": any role can be handed to a service';
    ruleTable(iamPolicyDisallowPassRoleWildcard, goodPolicy, [
        ["iam:PassRole on *", set(2, "Resource", "*"), [msg]],
        ["iam:Pass* on *", (p) => ((p.policy.Statement[2].Action = "iam:Pass*"), (p.policy.Statement[2].Resource = "*")), [msg]],
        ["iam:* on *", (p) => ((p.policy.Statement[2].Action = ["iam:*"]), (p.policy.Statement[2].Resource = ["*"])), [msg]],
        ["IAM:passrole (case) on *", (p) => ((p.policy.Statement[2].Action = "IAM:passrole"), (p.policy.Statement[2].Resource = "*")), [msg]],
        ["passes: iam:GetRole on *", (p) => ((p.policy.Statement[2].Action = "iam:GetRole"), (p.policy.Statement[2].Resource = "*")), []],
        [
            "iam:PassRole with NotResource",
            (p) => (delete p.policy.Statement[2].Resource, (p.policy.Statement[2].NotResource = ROLE)),
            ['Statement[2] (PassWorker) allows iam:PassRole on every resource except its NotResource: any role can be handed to a service'],
        ],
        [
            "NotAction that does not exclude iam:PassRole, on *",
            (p) => (delete p.policy.Statement[2].Action, (p.policy.Statement[2].NotAction = ["s3:*"]), (p.policy.Statement[2].Resource = "*")),
            ['Statement[2] (PassWorker) allows iam:PassRole (through NotAction) on Resource "*": any role can be handed to a service'],
        ],
        ["passes: NotAction excluding iam:* on *", (p) => (delete p.policy.Statement[2].Action, (p.policy.Statement[2].NotAction = ["iam:*"]), (p.policy.Statement[2].Resource = "*")), []],
    ]);
    it.each<[string, string, boolean]>([
        ["iam:PassRole", "iam:PassRole", true],
        ["iam:P?ssRole", "iam:PassRole", true],
        ["iam:Get*", "iam:PassRole", false],
        ["iam:PassRoles", "iam:PassRole", false],
    ])("actionMatches(%s, %s) is %s", (pattern, target, expected) => expect(actionMatches(pattern, target)).toBe(expected));
});

describe("aws-iam-role-disallow-wildcard-principal", () => {
    const good: Props = {
        assumeRolePolicy: {
            Version: "2012-10-17",
            Statement: [
                { Sid: "Rds", Effect: "Allow", Principal: { Service: "monitoring.rds.amazonaws.com" }, Action: "sts:AssumeRole", Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } },
                { Effect: "Deny", Principal: "*", Action: "sts:AssumeRole" },
            ],
        },
    };
    ruleTable(iamRoleDisallowWildcardPrincipal, good, [
        ["Principal \"*\"", (p) => (p.assumeRolePolicy.Statement[0].Principal = "*"), ['assumeRolePolicy Statement[0] (Rds) allows Principal "*": anyone may assume the role']],
        ["{AWS: \"*\"}", (p) => (p.assumeRolePolicy.Statement[0].Principal = { AWS: "*" }), ['assumeRolePolicy Statement[0] (Rds) allows Principal "*": anyone may assume the role']],
        ["* among AWS principals", (p) => (p.assumeRolePolicy.Statement[0].Principal = { AWS: [ROLE, "*"] }), ['assumeRolePolicy Statement[0] (Rds) allows Principal "*": anyone may assume the role']],
        [
            "NotPrincipal",
            (p) => (delete p.assumeRolePolicy.Statement[0].Principal, (p.assumeRolePolicy.Statement[0].NotPrincipal = { AWS: ROLE })),
            ["assumeRolePolicy Statement[0] (Rds) allows NotPrincipal: everyone else may assume the role"],
        ],
        ["passes: JSON string", (p) => (p.assumeRolePolicy = JSON.stringify(p.assumeRolePolicy)), []],
        ["passes: a role ARN", (p) => (p.assumeRolePolicy.Statement[0].Principal = { AWS: ROLE }), []],
    ]);
});
