import { networkAclDisallowWorldSshRdp } from "../../policies/security/rules/ec2/networkAcl/disallowWorldSshRdp";
import { EC2_TYPES, naclEntriesOf } from "../../policies/security/rules/ec2/shared";
import { ruleTable, type Props } from "../support/ruleTable";

const WORLD = "0.0.0.0/0";

/** A public-subnet ACL: HTTPS from the world, SSH from the corporate range, ephemeral return ports, all egress. */
const goodAcl: Props = {
    vpcId: "vpc-0abc",
    ingress: [
        { ruleNo: 100, action: "allow", protocol: "tcp", fromPort: 443, toPort: 443, cidrBlock: WORLD },
        { ruleNo: 110, action: "allow", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: "10.0.0.0/8" },
        { ruleNo: 120, action: "allow", protocol: "tcp", fromPort: 32768, toPort: 65535, cidrBlock: WORLD },
    ],
    egress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: WORLD }],
};

/** A standalone aws.ec2.NetworkAclRule: SSH from the corporate range. */
const goodAclRule: Props = { networkAclId: "acl-0abc", ruleNumber: 110, egress: false, protocol: "tcp", ruleAction: "allow", cidrBlock: "10.0.0.0/8", fromPort: 22, toPort: 22 };

describe("naclEntriesOf normalises the three ways to declare an entry", () => {
    it.each([
        [EC2_TYPES.networkAcl, goodAcl, ["ingress[0] (rule 100)", "ingress[1] (rule 110)", "ingress[2] (rule 120)", "egress[0] (rule 100)"]],
        [EC2_TYPES.defaultNetworkAcl, { defaultNetworkAclId: "acl-0abc", ingress: goodAcl.ingress.slice(0, 1) }, ["ingress[0] (rule 100)"]],
        [EC2_TYPES.networkAclRule, goodAclRule, ["ingress rule 110"]],
        [EC2_TYPES.networkAclRule, { ...goodAclRule, egress: true }, ["egress rule 110"]],
        [EC2_TYPES.networkAcl, { vpcId: "vpc-0abc" }, []],
    ])("%s", (type, props, labels) => {
        expect(naclEntriesOf(type, props).map((e) => e.label)).toEqual(labels);
    });

    it("reads action, rule number, protocol -1 as all traffic and the IPv6 block", () => {
        expect(naclEntriesOf(EC2_TYPES.networkAclRule, { ruleNumber: 200, ruleAction: "ALLOW", protocol: "-1", ipv6CidrBlock: "::/0" })).toEqual([
            { label: "ingress rule 200", direction: "ingress", protocol: "all", fromPort: 0, toPort: 65535, cidrs: ["::/0"], description: undefined, action: "allow", ruleNo: 200 },
        ]);
    });
});

describe("aws-ec2-networkacl-disallow-world-ssh-rdp", () => {
    describe("aws.ec2.NetworkAcl inline ingress", () => {
        ruleTable(networkAclDisallowWorldSshRdp, goodAcl, [
            ["SSH allowed from 0.0.0.0/0", (p) => (p.ingress[1].cidrBlock = WORLD), ["ingress[1] (rule 110) opens port 22 to 0.0.0.0/0"]],
            ["SSH allowed from ::/0", (p) => ((p.ingress[1].cidrBlock = undefined), (p.ingress[1].ipv6CidrBlock = "::/0")), ["ingress[1] (rule 110) opens port 22 to ::/0"]],
            ["RDP allowed from the world", (p) => Object.assign(p.ingress[1], { fromPort: 3389, toPort: 3389, cidrBlock: WORLD }), ["ingress[1] (rule 110) opens port 3389 to 0.0.0.0/0"]],
            ["SSH with protocol number 6", (p) => Object.assign(p.ingress[1], { protocol: "6", cidrBlock: WORLD }), ["ingress[1] (rule 110) opens port 22 to 0.0.0.0/0"]],
            ["a range containing 22", (p) => Object.assign(p.ingress[0], { fromPort: 20, toPort: 443 }), ["ingress[0] (rule 100) opens port 22 to 0.0.0.0/0 (tcp ports 20-443)"]],
            ["all tcp ports", (p) => Object.assign(p.ingress[2], { fromPort: 0 }), ["ingress[2] (rule 120) opens ports 22 and 3389 to 0.0.0.0/0 (tcp ports 0-65535)"]],
            ["protocol -1 (ports ignored)", (p) => Object.assign(p.ingress[0], { protocol: "-1", fromPort: 0, toPort: 0 }), ["ingress[0] (rule 100) opens ports 22 and 3389 to 0.0.0.0/0 (all traffic)"]],
            ["protocol all", (p) => Object.assign(p.ingress[0], { protocol: "all", fromPort: 443, toPort: 443 }), ["ingress[0] (rule 100) opens ports 22 and 3389 to 0.0.0.0/0 (all traffic)"]],
            ["RDP over udp", (p) => Object.assign(p.ingress[1], { protocol: "udp", fromPort: 3389, toPort: 3389, cidrBlock: WORLD }), ["ingress[1] (rule 110) opens port 3389 to 0.0.0.0/0 (udp port 3389)"]],
            ["action in upper case", (p) => Object.assign(p.ingress[1], { action: "ALLOW", cidrBlock: WORLD }), ["ingress[1] (rule 110) opens port 22 to 0.0.0.0/0"]],
            [
                "a lower-numbered deny of SSH leaves RDP open under all traffic",
                (p) =>
                    p.ingress.push(
                        { ruleNo: 50, action: "deny", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: WORLD },
                        { ruleNo: 200, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: WORLD },
                    ),
                ["ingress[4] (rule 200) opens port 3389 to 0.0.0.0/0 (all traffic)"],
            ],
            [
                "a higher-numbered deny does not shadow the allow",
                (p) => (Object.assign(p.ingress[1], { cidrBlock: WORLD }), p.ingress.push({ ruleNo: 150, action: "deny", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: WORLD })),
                ["ingress[1] (rule 110) opens port 22 to 0.0.0.0/0"],
            ],
            [
                "a lower-numbered deny from a narrower range does not shadow the allow",
                (p) => (Object.assign(p.ingress[1], { cidrBlock: WORLD }), p.ingress.push({ ruleNo: 10, action: "deny", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "198.51.100.0/24" })),
                ["ingress[1] (rule 110) opens port 22 to 0.0.0.0/0"],
            ],
            [
                "an IPv4 deny does not shadow an IPv6 allow",
                (p) =>
                    p.ingress.push(
                        { ruleNo: 10, action: "deny", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: WORLD },
                        { ruleNo: 130, action: "allow", protocol: "tcp", fromPort: 22, toPort: 22, ipv6CidrBlock: "::/0" },
                    ),
                ["ingress[4] (rule 130) opens port 22 to ::/0"],
            ],
            [
                "passes: lower-numbered denies of 22 and 3389 from the world shadow all traffic",
                (p) =>
                    p.ingress.push(
                        { ruleNo: 10, action: "deny", protocol: "tcp", fromPort: 22, toPort: 22, cidrBlock: WORLD },
                        { ruleNo: 20, action: "deny", protocol: "6", fromPort: 3389, toPort: 3389, cidrBlock: WORLD },
                        { ruleNo: 200, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: WORLD },
                    ),
                [],
            ],
            [
                "passes: the usual ephemeral range 1024-65535 behind a lower-numbered deny of RDP",
                (p) => (Object.assign(p.ingress[2], { fromPort: 1024 }), p.ingress.push({ ruleNo: 90, action: "deny", protocol: "tcp", fromPort: 3389, toPort: 3389, cidrBlock: WORLD })),
                [],
            ],
            ["the usual ephemeral range 1024-65535 contains 3389", (p) => Object.assign(p.ingress[2], { fromPort: 1024 }), ["ingress[2] (rule 120) opens port 3389 to 0.0.0.0/0 (tcp ports 1024-65535)"]],
            ["passes: a deny entry for SSH from the world", (p) => Object.assign(p.ingress[1], { action: "deny", cidrBlock: WORLD }), []],
            ["passes: all traffic allowed from the VPC only", (p) => Object.assign(p.ingress[1], { protocol: "-1", fromPort: 0, toPort: 0 }), []],
            ["passes: egress all traffic to the world", (p) => (p.egress[0].protocol = "all"), []],
            ["passes: icmp from the world", (p) => Object.assign(p.ingress[0], { protocol: "icmp", fromPort: 0, toPort: 0, icmpType: 8, icmpCode: 0 }), []],
            ["passes: no ingress entries", (p) => delete p.ingress, []],
        ]);
    });

    describe("aws.ec2.DefaultNetworkAcl inline ingress", () => {
        ruleTable(
            networkAclDisallowWorldSshRdp,
            { defaultNetworkAclId: "acl-0abc", ingress: [{ ruleNo: 100, action: "allow", protocol: "-1", fromPort: 0, toPort: 0, cidrBlock: "10.0.0.0/16" }] },
            [
                ["all traffic from the world", (p) => (p.ingress[0].cidrBlock = WORLD), ["ingress[0] (rule 100) opens ports 22 and 3389 to 0.0.0.0/0 (all traffic)"]],
                ["passes: no ingress (the adopted ACL denies everything)", (p) => delete p.ingress, []],
            ],
            { type: EC2_TYPES.defaultNetworkAcl },
        );
    });

    describe("aws.ec2.NetworkAclRule", () => {
        ruleTable(
            networkAclDisallowWorldSshRdp,
            goodAclRule,
            [
                ["SSH from 0.0.0.0/0", (p) => (p.cidrBlock = WORLD), ["ingress rule 110 opens port 22 to 0.0.0.0/0"]],
                ["SSH from ::/0", (p) => ((p.cidrBlock = undefined), (p.ipv6CidrBlock = "::/0")), ["ingress rule 110 opens port 22 to ::/0"]],
                ["egress unset means ingress", (p) => ((p.cidrBlock = WORLD), delete p.egress), ["ingress rule 110 opens port 22 to 0.0.0.0/0"]],
                ["all traffic (protocol -1, no ports)", (p) => Object.assign(p, { protocol: "-1", cidrBlock: WORLD, fromPort: undefined, toPort: undefined }), ["ingress rule 110 opens ports 22 and 3389 to 0.0.0.0/0 (all traffic)"]],
                ["a range containing 3389", (p) => Object.assign(p, { cidrBlock: WORLD, fromPort: 3000, toPort: 4000 }), ["ingress rule 110 opens port 3389 to 0.0.0.0/0 (tcp ports 3000-4000)"]],
                ["passes: a deny from the world", (p) => Object.assign(p, { cidrBlock: WORLD, ruleAction: "deny" }), []],
                ["passes: an egress rule to the world", (p) => Object.assign(p, { cidrBlock: WORLD, egress: true }), []],
                ["passes: HTTPS from the world", (p) => Object.assign(p, { cidrBlock: WORLD, fromPort: 443, toPort: 443 }), []],
            ],
            { type: EC2_TYPES.networkAclRule },
        );
    });
});
