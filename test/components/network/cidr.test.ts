import { formatCidr, parseIpv4Cidr, planSubnets, slotsFor, vpcCidrProblem } from "../../../components/network/cidr";

describe("parseIpv4Cidr", () => {
    test.each<[string, string]>([
        ["10.0.0.0/16", "10.0.0.0/16"],
        ["0.0.0.0/0", "0.0.0.0/0"],
        ["192.168.1.128/25", "192.168.1.128/25"],
        [" 172.16.0.0/12 ", "172.16.0.0/12"],
        ["255.255.255.255/32", "255.255.255.255/32"],
    ])("%s parses to %s", (text, expected) => {
        const parsed = parseIpv4Cidr(text);
        expect("problem" in parsed).toBe(false);
        expect(formatCidr(parsed as any)).toBe(expected);
    });

    test.each<[string, RegExp]>([
        ["10.0.0/16", /not an IPv4 CIDR block/],
        ["10.0.0.0", /not an IPv4 CIDR block/],
        ["10.0.0.0/", /not an IPv4 CIDR block/],
        ["fd00::/8", /not an IPv4 CIDR block/],
        ["10.256.0.0/16", /not a valid IPv4 address/],
        ["10.01.0.0/16", /without leading zeros/],
        ["10.0.0.0/33", /prefix length above 32/],
        ["10.0.0.1/16", /not aligned to its \/16 network .*10\.0\.0\.0\/16/],
        ["192.168.1.100/25", /network is 192\.168\.1\.0\/25/],
    ])("%s is rejected: %s", (text, problem) => {
        const parsed = parseIpv4Cidr(text);
        expect("problem" in parsed && parsed.problem).toMatch(problem);
    });
});

describe("vpcCidrProblem", () => {
    test.each<[string, number, RegExp | undefined]>([
        ["10.0.0.0/16", 3, undefined],
        ["10.0.0.0/24", 4, undefined],
        ["100.64.0.0/16", 2, undefined],
        ["172.31.0.0/16", 6, undefined],
        ["10.0.0.0/15", 3, /AWS VPCs take \/16 to \/28/],
        ["10.0.0.0/25", 2, /too small .*\/29.*use a \/24 or larger/],
        ["10.0.0.0/28", 2, /too small/],
        ["10.0.0.0/24", 5, /too small for 3 subnet tiers over 8 AZ slots.*use a \/23 or larger/],
        ["11.0.0.0/16", 2, /not in a private range/],
        ["10.0.0.0/16", 1, /cannot be laid out over 1 AZs/],
        ["10.0.0.0/16", 7, /allowed: 2 to 6/],
    ])("%s over %d AZs -> %s", (cidr, azs, problem) => {
        const got = vpcCidrProblem(cidr, azs);
        if (problem === undefined) expect(got).toBeUndefined();
        else expect(got).toMatch(problem);
    });
});

describe("planSubnets", () => {
    test("10.0.0.0/16 over 3 AZs: private halves, public and isolated quarters, one slot per AZ", () => {
        expect(planSubnets("10.0.0.0/16", 3)).toEqual({
            vpcCidr: "10.0.0.0/16",
            slots: 4,
            private: ["10.0.0.0/19", "10.0.32.0/19", "10.0.64.0/19"],
            public: ["10.0.128.0/20", "10.0.144.0/20", "10.0.160.0/20"],
            isolated: ["10.0.192.0/20", "10.0.208.0/20", "10.0.224.0/20"],
        });
    });

    test("the smallest VPC, a /24 over 4 AZs, gives /27 private and /28 public and isolated subnets", () => {
        expect(planSubnets("192.168.10.0/24", 4)).toEqual({
            vpcCidr: "192.168.10.0/24",
            slots: 4,
            private: ["192.168.10.0/27", "192.168.10.32/27", "192.168.10.64/27", "192.168.10.96/27"],
            public: ["192.168.10.128/28", "192.168.10.144/28", "192.168.10.160/28", "192.168.10.176/28"],
            isolated: ["192.168.10.192/28", "192.168.10.208/28", "192.168.10.224/28", "192.168.10.240/28"],
        });
    });

    test("6 AZs use 8 slots", () => {
        const plan = planSubnets("10.0.0.0/16", 6);
        expect(plan.slots).toBe(8);
        expect(plan.private[5]).toBe("10.0.80.0/20");
        expect(plan.public[5]).toBe("10.0.168.0/21");
        expect(plan.isolated[5]).toBe("10.0.232.0/21");
    });

    test.each([2, 3, 4])("raising the AZ count keeps existing subnets (2 -> %d)", (azs) => {
        // GIVEN the layout for 2 AZs WHEN the count grows within 4 slots THEN the first two AZs keep their blocks
        const two = planSubnets("10.1.0.0/16", 2);
        const more = planSubnets("10.1.0.0/16", azs);
        for (const tier of ["public", "private", "isolated"] as const) {
            expect(more[tier].slice(0, 2)).toEqual(two[tier]);
        }
    });

    test.each<[string, number]>([
        ["10.0.0.0/16", 2],
        ["10.0.0.0/20", 3],
        ["172.16.0.0/23", 6],
    ])("subnets of %s over %d AZs lie inside the VPC and never overlap", (cidr, azs) => {
        const plan = planSubnets(cidr, azs);
        const blocks = [...plan.public, ...plan.private, ...plan.isolated].map((c) => parseIpv4Cidr(c) as { base: number; prefix: number });
        const vpc = parseIpv4Cidr(cidr) as { base: number; prefix: number };
        const end = (b: { base: number; prefix: number }) => b.base + 2 ** (32 - b.prefix);
        for (const b of blocks) {
            expect(b.base).toBeGreaterThanOrEqual(vpc.base);
            expect(end(b)).toBeLessThanOrEqual(end(vpc));
            expect(b.prefix).toBeLessThanOrEqual(28);
        }
        const sorted = [...blocks].sort((a, b) => a.base - b.base);
        for (let i = 1; i < sorted.length; i++) expect(sorted[i].base).toBeGreaterThanOrEqual(end(sorted[i - 1]));
    });

    test("an impossible layout throws with the CIDR and the fix", () => {
        expect(() => planSubnets("10.0.0.0/28", 2)).toThrow("VPC CIDR '10.0.0.0/28' is too small");
    });

    test("slotsFor", () => {
        expect([2, 3, 4, 5, 6].map(slotsFor)).toEqual([4, 4, 4, 8, 8]);
    });
});
