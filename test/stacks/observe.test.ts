import { ConfigError, parsePlatformSpec, RawConfig } from "../../stacks";

const ZONES = ["us-east-1a", "us-east-1b", "us-east-1c"];
const base: RawConfig = {
    "aws:region": "us-east-1",
    "groundwork:tier": "dev",
    "groundwork:apiOriginDomain": "origin.example.com",
    "groundwork:clusterAdminRoleArns": '["arn:aws:iam::123456789012:role/platform-admin"]',
};
const parse = (raw: RawConfig) => parsePlatformSpec(raw, { stack: "test", availabilityZones: ZONES });

describe("groundwork:alertSubscriptions", () => {
    it("is optional: no subscriber", () => {
        expect(parse(base).observe).toEqual({ alertSubscriptions: [] });
    });

    it("reads email and https subscribers (a YAML list, JSON-encoded by Pulumi)", () => {
        const subs = [
            { protocol: "email", endpoint: "ops@example.com" },
            { protocol: "https", endpoint: "https://hooks.example.com/T0/B0" },
        ];
        expect(parse({ ...base, "groundwork:alertSubscriptions": JSON.stringify(subs) }).observe.alertSubscriptions).toEqual(subs);
    });

    it.each([
        ["not a list", '{"protocol":"email"}', /a list of \{ protocol: email\|https, endpoint: <address or https:\/\/ URL> \}/],
        ["an sms subscriber", '[{"protocol":"sms","endpoint":"+15555550100"}]', /entry 0: protocol 'sms' is not one of email, https\. Fix: use email \(a mail address\) or https \(a webhook URL\)/],
        ["a plain http webhook", '[{"protocol":"email","endpoint":"ops@example.com"},{"protocol":"https","endpoint":"http://hooks.example.com"}]', /entry 1: endpoint 'http:\/\/hooks\.example\.com' is not an https:\/\/ URL\. Fix: give the webhook's https:\/\/ URL/],
        ["a bad mail address", '[{"protocol":"email","endpoint":"ops"}]', /entry 0: endpoint 'ops' is not a mail address/],
        ["an unknown field", '[{"protocol":"email","endpoint":"ops@example.com","filter":"x"}]', /entry 0: unknown field\(s\) filter\. Fix: give only protocol and endpoint/],
        ["an entry that is not a map", '["ops@example.com"]', /entry 0: not a \{ protocol, endpoint \} map/],
    ])("fails on %s, naming the key and the fix", (_label, value, message) => {
        let err: unknown;
        try {
            parse({ ...base, "groundwork:alertSubscriptions": value });
        } catch (e) {
            err = e;
        }
        expect(err).toBeInstanceOf(ConfigError);
        const issue = (err as ConfigError).issues.find((i) => i.key === "groundwork:alertSubscriptions");
        expect(issue).toBeDefined();
        expect(issue?.allowed).toMatch(message);
        expect((err as Error).message).toContain("groundwork:alertSubscriptions");
    });
});
