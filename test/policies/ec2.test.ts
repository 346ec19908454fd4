import { disallowDefaultSgRules } from "../../policies/security/rules/ec2/defaultSecurityGroup/disallowRules";
import { instanceDisallowPublicIp } from "../../policies/security/rules/ec2/instance/disallowPublicIp";
import { instanceEnableEbsEncryption } from "../../policies/security/rules/ec2/instance/enableEbsEncryption";
import { instanceEnforceImdsv2 } from "../../policies/security/rules/ec2/instance/enforceImdsv2";
import { launchTemplateDisallowPublicIp } from "../../policies/security/rules/ec2/launchTemplate/disallowPublicIp";
import { launchTemplateEnableEbsEncryption } from "../../policies/security/rules/ec2/launchTemplate/enableEbsEncryption";
import { launchTemplateEnforceImdsv2 } from "../../policies/security/rules/ec2/launchTemplate/enforceImdsv2";
import { configureDescriptions } from "../../policies/security/rules/ec2/securityGroup/configureDescriptions";
import { disallowUnrestrictedEgress } from "../../policies/security/rules/ec2/securityGroup/disallowUnrestrictedEgress";
import { disallowWorldOpenPorts } from "../../policies/security/rules/ec2/securityGroup/disallowWorldOpenPorts";
import { disallowWorldSshRdp } from "../../policies/security/rules/ec2/securityGroup/disallowWorldSshRdp";
import { EC2_TYPES, sgRulesOf } from "../../policies/security/rules/ec2/shared";
import { subnetDisallowPublicIpOnLaunch } from "../../policies/security/rules/ec2/subnet/disallowPublicIpOnLaunch";
import { volumeEnableEncryption } from "../../policies/security/rules/ec2/volume/enableEncryption";
import { ruleTable, type Props } from "../support/ruleTable";

const WORLD = "0.0.0.0/0";

/** A web-tier group: HTTPS from the world, SSH from the corporate range only, HTTPS egress. */
const goodSg: Props = {
    name: "web",
    description: "web tier",
    vpcId: "vpc-0abc",
    ingress: [
        { protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [WORLD], ipv6CidrBlocks: ["::/0"], description: "https" },
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["10.0.0.0/8"], description: "ssh from vpn" },
    ],
    egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [WORLD], description: "https out" }],
};

/** A standalone rule resource (aws.ec2.SecurityGroupRule) for SSH from the corporate range. */
const goodSgRule: Props = {
    type: "ingress",
    securityGroupId: "sg-0abc",
    protocol: "tcp",
    fromPort: 22,
    toPort: 22,
    cidrBlocks: ["10.0.0.0/8"],
    description: "ssh from vpn",
};

/** An aws.vpc.SecurityGroupIngressRule for SSH from the corporate range. */
const goodVpcIngress: Props = { securityGroupId: "sg-0abc", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/8", description: "ssh" };

/** An aws.vpc.SecurityGroupEgressRule for HTTPS to the world. */
const goodVpcEgress: Props = { securityGroupId: "sg-0abc", ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: WORLD, description: "https out" };

describe("sgRulesOf normalises the five ways to declare a rule", () => {
    it.each([
        [EC2_TYPES.securityGroup, goodSg, ["ingress[0]", "ingress[1]", "egress[0]"]],
        [EC2_TYPES.securityGroupRule, goodSgRule, ["ingress rule"]],
        [EC2_TYPES.securityGroupRule, { ...goodSgRule, type: "egress" }, ["egress rule"]],
        [EC2_TYPES.vpcIngressRule, goodVpcIngress, ["ingress rule"]],
        [EC2_TYPES.vpcEgressRule, goodVpcEgress, ["egress rule"]],
        [EC2_TYPES.defaultSecurityGroup, {}, []],
    ])("%s", (type, props, labels) => {
        expect(sgRulesOf(type, props).map((r) => r.label)).toEqual(labels);
    });

    it("reads protocol -1 without ports as all traffic, and both CIDR families", () => {
        expect(sgRulesOf(EC2_TYPES.vpcIngressRule, { ipProtocol: "-1", cidrIpv6: "::/0" })).toEqual([
            { label: "ingress rule", direction: "ingress", protocol: "all", fromPort: 0, toPort: 65535, cidrs: ["::/0"], description: undefined },
        ]);
    });
});

describe("aws-ec2-securitygroup-disallow-world-ssh-rdp", () => {
    describe("aws.ec2.SecurityGroup inline ingress", () => {
        ruleTable(disallowWorldSshRdp, goodSg, [
            ["SSH open to 0.0.0.0/0", (p) => (p.ingress[1].cidrBlocks = [WORLD]), ["ingress[1] opens port 22 to 0.0.0.0/0"]],
            ["SSH open to ::/0", (p) => (p.ingress[1].ipv6CidrBlocks = ["::/0"]), ["ingress[1] opens port 22 to ::/0"]],
            ["SSH open to both families", (p) => ((p.ingress[1].cidrBlocks = [WORLD]), (p.ingress[1].ipv6CidrBlocks = ["::/0"])), ["ingress[1] opens port 22 to 0.0.0.0/0 and ::/0"]],
            ["SSH with protocol number 6", (p) => Object.assign(p.ingress[1], { protocol: "6", cidrBlocks: [WORLD] }), ["ingress[1] opens port 22 to 0.0.0.0/0"]],
            ["RDP open to the world", (p) => Object.assign(p.ingress[1], { fromPort: 3389, toPort: 3389, cidrBlocks: [WORLD] }), ["ingress[1] opens port 3389 to 0.0.0.0/0"]],
            ["RDP over udp", (p) => Object.assign(p.ingress[1], { protocol: "udp", fromPort: 3389, toPort: 3389, cidrBlocks: [WORLD] }), ["ingress[1] opens port 3389 to 0.0.0.0/0 (udp port 3389)"]],
            ["a range containing 22", (p) => Object.assign(p.ingress[0], { fromPort: 20, toPort: 25 }), ["ingress[0] opens port 22 to 0.0.0.0/0 and ::/0 (tcp ports 20-25)"]],
            ["all tcp ports", (p) => Object.assign(p.ingress[0], { fromPort: 0, toPort: 65535, ipv6CidrBlocks: [] }), ["ingress[0] opens ports 22 and 3389 to 0.0.0.0/0 (tcp ports 0-65535)"]],
            ["protocol -1", (p) => Object.assign(p.ingress[0], { protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: [] }), ["ingress[0] opens ports 22 and 3389 to 0.0.0.0/0 (all traffic)"]],
            ["protocol all", (p) => Object.assign(p.ingress[0], { protocol: "all", fromPort: 0, toPort: 0, ipv6CidrBlocks: [] }), ["ingress[0] opens ports 22 and 3389 to 0.0.0.0/0 (all traffic)"]],
            ["passes: SSH from a security group only", (p) => Object.assign(p.ingress[1], { cidrBlocks: undefined, securityGroups: ["sg-bastion"] }), []],
            ["passes: ICMP from the world", (p) => Object.assign(p.ingress[1], { protocol: "icmp", fromPort: -1, toPort: -1, cidrBlocks: [WORLD] }), []],
            ["passes: world egress to 22 (egress is not ingress)", (p) => Object.assign(p.egress[0], { fromPort: 22, toPort: 22 }), []],
            ["passes: no ingress at all", (p) => delete p.ingress, []],
        ]);
    });

    describe("aws.ec2.SecurityGroupRule", () => {
        ruleTable(
            disallowWorldSshRdp,
            goodSgRule,
            [
                ["SSH open to the world", (p) => (p.cidrBlocks = [WORLD]), ["ingress rule opens port 22 to 0.0.0.0/0"]],
                ["all traffic from ::/0", (p) => Object.assign(p, { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }), ["ingress rule opens ports 22 and 3389 to ::/0 (all traffic)"]],
                ["passes: an egress rule to the world", (p) => Object.assign(p, { type: "egress", cidrBlocks: [WORLD] }), []],
            ],
            { type: EC2_TYPES.securityGroupRule },
        );
    });

    describe("aws.vpc.SecurityGroupIngressRule", () => {
        ruleTable(
            disallowWorldSshRdp,
            goodVpcIngress,
            [
                ["SSH open to ::/0", (p) => Object.assign(p, { cidrIpv4: undefined, cidrIpv6: "::/0" }), ["ingress rule opens port 22 to ::/0"]],
                ["RDP open to 0.0.0.0/0", (p) => Object.assign(p, { fromPort: 3389, toPort: 3389, cidrIpv4: WORLD }), ["ingress rule opens port 3389 to 0.0.0.0/0"]],
                ["ipProtocol -1 (no ports) from the world", (p) => Object.assign(p, { ipProtocol: "-1", fromPort: undefined, toPort: undefined, cidrIpv4: WORLD }), ["ingress rule opens ports 22 and 3389 to 0.0.0.0/0 (all traffic)"]],
            ],
            { type: EC2_TYPES.vpcIngressRule },
        );
    });
});

describe("aws-ec2-securitygroup-disallow-world-open-ports", () => {
    const only = "; only port 443 may be world-open";
    describe("aws.ec2.SecurityGroup inline ingress", () => {
        ruleTable(disallowWorldOpenPorts, goodSg, [
            ["port 80 open to the world", (p) => Object.assign(p.ingress[0], { fromPort: 80, toPort: 80, ipv6CidrBlocks: [] }), [`ingress[0] opens tcp port 80 to 0.0.0.0/0${only}`]],
            ["protocol -1 from the world", (p) => Object.assign(p.ingress[0], { protocol: "-1", fromPort: 0, toPort: 0 }), [`ingress[0] opens all traffic to 0.0.0.0/0 and ::/0${only}`]],
            ["all tcp ports from ::/0", (p) => Object.assign(p.ingress[0], { fromPort: 0, toPort: 65535, cidrBlocks: [] }), [`ingress[0] opens tcp ports 0-65535 to ::/0${only}`]],
            ["a range around 443", (p) => Object.assign(p.ingress[0], { fromPort: 442, toPort: 443, ipv6CidrBlocks: [] }), [`ingress[0] opens tcp ports 442-443 to 0.0.0.0/0${only}`]],
            ["a range around 22", (p) => Object.assign(p.ingress[1], { fromPort: 20, toPort: 25, cidrBlocks: [WORLD] }), [`ingress[1] opens tcp ports 20-25 to 0.0.0.0/0${only}`]],
            ["a non-port protocol (GRE)", (p) => Object.assign(p.ingress[1], { protocol: "47", fromPort: 0, toPort: 0, cidrBlocks: [WORLD] }), [`ingress[1] opens protocol 47 to 0.0.0.0/0${only}`]],
            ["passes: udp 443 (QUIC)", (p) => (p.ingress[0].protocol = "udp"), []],
            ["passes: exactly port 22 (reported by the SSH/RDP rule only)", (p) => (p.ingress[1].cidrBlocks = [WORLD]), []],
            ["passes: ICMP from the world", (p) => Object.assign(p.ingress[1], { protocol: "icmpv6", fromPort: -1, toPort: -1, cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }), []],
            ["passes: all traffic from a private range", (p) => Object.assign(p.ingress[1], { protocol: "-1", fromPort: 0, toPort: 0 }), []],
        ]);
    });

    describe("aws.vpc.SecurityGroupIngressRule", () => {
        ruleTable(
            disallowWorldOpenPorts,
            { ...goodVpcIngress, fromPort: 443, toPort: 443, cidrIpv4: WORLD },
            [
                ["ipProtocol -1 from ::/0", (p) => Object.assign(p, { ipProtocol: "-1", fromPort: undefined, toPort: undefined, cidrIpv4: undefined, cidrIpv6: "::/0" }), [`ingress rule opens all traffic to ::/0${only}`]],
                ["port 8080 from the world", (p) => Object.assign(p, { fromPort: 8080, toPort: 8080 }), [`ingress rule opens tcp port 8080 to 0.0.0.0/0${only}`]],
            ],
            { type: EC2_TYPES.vpcIngressRule },
        );
    });

    describe("aws.ec2.SecurityGroupRule", () => {
        ruleTable(
            disallowWorldOpenPorts,
            goodSgRule,
            [
                ["all traffic from the world", (p) => Object.assign(p, { protocol: "all", fromPort: 0, toPort: 0, cidrBlocks: [WORLD] }), [`ingress rule opens all traffic to 0.0.0.0/0${only}`]],
                ["passes: egress of all traffic", (p) => Object.assign(p, { type: "egress", protocol: "-1", cidrBlocks: [WORLD] }), []],
            ],
            { type: EC2_TYPES.securityGroupRule },
        );
    });
});

describe("aws-ec2-defaultsecuritygroup-disallow-rules", () => {
    const suffix = "; the default security group must have no rules";
    ruleTable(disallowDefaultSgRules, { vpcId: "vpc-0abc", tags: { Name: "default" } }, [
        ["passes: explicit empty rule lists", (p) => Object.assign(p, { ingress: [], egress: [] }), []],
        ["AWS's default egress kept", (p) => (p.egress = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [WORLD] }]), [`egress[0] allows all traffic${suffix}`]],
        ["AWS's default self ingress kept", (p) => (p.ingress = [{ protocol: "-1", fromPort: 0, toPort: 0, self: true }]), [`ingress[0] allows all traffic${suffix}`]],
        [
            "one rule each way",
            (p) => Object.assign(p, { ingress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["10.0.0.0/8"] }], egress: [{ protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: [WORLD] }] }),
            [`ingress[0] allows tcp port 443${suffix}`, `egress[0] allows tcp port 443${suffix}`],
        ],
    ]);
});

describe("IMDSv2", () => {
    const goodMetadata = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 };
    const notSet = "metadataOptions is not set: httpTokens defaults to 'optional', so IMDSv1 stays enabled";
    const rows: Parameters<typeof ruleTable>[2] = [
        ["metadataOptions not set", (p) => delete p.metadataOptions, [notSet]],
        ["httpTokens not set", (p) => delete p.metadataOptions.httpTokens, ["metadataOptions.httpTokens is not set (defaults to 'optional'); it must be 'required'"]],
        ["httpTokens optional", (p) => (p.metadataOptions.httpTokens = "optional"), ["metadataOptions.httpTokens is 'optional'; it must be 'required'"]],
        ["hop limit 3", (p) => (p.metadataOptions.httpPutResponseHopLimit = 3), ["metadataOptions.httpPutResponseHopLimit is 3; it must be 1 or 2"]],
        ["hop limit 0", (p) => (p.metadataOptions.httpPutResponseHopLimit = 0), ["metadataOptions.httpPutResponseHopLimit is 0; it must be 1 or 2"]],
        [
            "httpTokens optional and hop limit 64",
            (p) => Object.assign(p.metadataOptions, { httpTokens: "optional", httpPutResponseHopLimit: 64 }),
            ["metadataOptions.httpTokens is 'optional'; it must be 'required'", "metadataOptions.httpPutResponseHopLimit is 64; it must be 1 or 2"],
        ],
        ["passes: hop limit 2 (pods on the node)", (p) => (p.metadataOptions.httpPutResponseHopLimit = 2), []],
        ["passes: hop limit not set", (p) => delete p.metadataOptions.httpPutResponseHopLimit, []],
        ["passes: metadata endpoint disabled", (p) => (p.metadataOptions = { httpEndpoint: "disabled", httpTokens: "optional" }), []],
    ];

    describe("aws-ec2-launchtemplate-enforce-imdsv2", () => {
        ruleTable(launchTemplateEnforceImdsv2, { imageId: "ami-0abc", instanceType: "m7g.large", metadataOptions: goodMetadata }, rows);
    });

    describe("aws-ec2-instance-enforce-imdsv2", () => {
        ruleTable(instanceEnforceImdsv2, { ami: "ami-0abc", instanceType: "t4g.small", subnetId: "subnet-0abc", metadataOptions: goodMetadata }, [
            ...rows,
            ["passes: launched from a template (the template's options apply)", (p) => ((p.launchTemplate = { id: "lt-0abc" }), delete p.metadataOptions), []],
            ["own options override the template's", (p) => ((p.launchTemplate = { id: "lt-0abc" }), (p.metadataOptions.httpTokens = "optional")), ["metadataOptions.httpTokens is 'optional'; it must be 'required'"]],
        ]);
    });
});

describe("no public IPs", () => {
    describe("aws-ec2-instance-disallow-public-ip", () => {
        ruleTable(instanceDisallowPublicIp, { ami: "ami-0abc", instanceType: "t4g.small", subnetId: "subnet-0abc", associatePublicIpAddress: false }, [
            ["associatePublicIpAddress true", (p) => (p.associatePublicIpAddress = true), ["associatePublicIpAddress is true: the instance gets a public IPv4 address"]],
            ["associatePublicIpAddress \"true\"", (p) => (p.associatePublicIpAddress = "true"), ["associatePublicIpAddress is true: the instance gets a public IPv4 address"]],
            ["passes: not set (the subnet decides)", (p) => delete p.associatePublicIpAddress, []],
        ]);
    });

    describe("aws-ec2-launchtemplate-disallow-public-ip", () => {
        ruleTable(
            launchTemplateDisallowPublicIp,
            { imageId: "ami-0abc", networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", securityGroups: ["sg-0abc"] }] },
            [
                ["associatePublicIpAddress \"true\"", (p) => (p.networkInterfaces[0].associatePublicIpAddress = "true"), ["networkInterfaces[0].associatePublicIpAddress is true: instances get a public IPv4 address"]],
                ["associatePublicIpAddress true (boolean)", (p) => (p.networkInterfaces[0].associatePublicIpAddress = true), ["networkInterfaces[0].associatePublicIpAddress is true: instances get a public IPv4 address"]],
                [
                    "second interface public",
                    (p) => p.networkInterfaces.push({ deviceIndex: 1, associatePublicIpAddress: "TRUE" }),
                    ["networkInterfaces[1].associatePublicIpAddress is true: instances get a public IPv4 address"],
                ],
                ["passes: not set", (p) => delete p.networkInterfaces[0].associatePublicIpAddress, []],
                ["passes: no network interfaces", (p) => delete p.networkInterfaces, []],
            ],
        );
    });

    describe("aws-ec2-subnet-disallow-public-ip-on-launch", () => {
        ruleTable(subnetDisallowPublicIpOnLaunch, { vpcId: "vpc-0abc", cidrBlock: "10.0.0.0/24", availabilityZone: "eu-west-1a", mapPublicIpOnLaunch: false }, [
            ["mapPublicIpOnLaunch true", (p) => (p.mapPublicIpOnLaunch = true), ["mapPublicIpOnLaunch is true: every instance launched here gets a public IPv4 address"]],
            ["passes: not set (AWS default false)", (p) => delete p.mapPublicIpOnLaunch, []],
        ]);
    });

    describe("aws-ec2-subnet-disallow-public-ip-on-launch: default subnets (aws.ec2.DefaultSubnet)", () => {
        ruleTable(
            subnetDisallowPublicIpOnLaunch,
            { availabilityZone: "eu-west-1a", mapPublicIpOnLaunch: false },
            [
                ["not set (AWS's default subnets map public IPs)", (p) => delete p.mapPublicIpOnLaunch, ["mapPublicIpOnLaunch is not set on a default subnet: AWS's default subnets give every instance a public IPv4 address"]],
                ["true", (p) => (p.mapPublicIpOnLaunch = true), ["mapPublicIpOnLaunch is true: every instance launched here gets a public IPv4 address"]],
            ],
            { type: "aws:ec2/defaultSubnet:DefaultSubnet" },
        );
    });
});

describe("spot instances (aws.ec2.SpotInstanceRequest) are judged as instances", () => {
    const spot = { type: "aws:ec2/spotInstanceRequest:SpotInstanceRequest" };
    const good = {
        ami: "ami-0abc",
        instanceType: "c7g.xlarge",
        spotPrice: "0.05",
        subnetId: "subnet-0abc",
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true, volumeSize: 40 },
    };
    describe("aws-ec2-instance-enforce-imdsv2", () => {
        ruleTable(
            instanceEnforceImdsv2,
            good,
            [
                ["httpTokens optional", (p) => (p.metadataOptions.httpTokens = "optional"), ["metadataOptions.httpTokens is 'optional'; it must be 'required'"]],
                ["passes: launched from a template without options of its own", (p) => ((p.launchTemplate = { id: "lt-0abc" }), delete p.metadataOptions), []],
            ],
            spot,
        );
    });
    describe("aws-ec2-instance-disallow-public-ip", () => {
        ruleTable(instanceDisallowPublicIp, good, [["associatePublicIpAddress true", (p) => (p.associatePublicIpAddress = true), ["associatePublicIpAddress is true: the instance gets a public IPv4 address"]]], spot);
    });
    describe("aws-ec2-instance-enable-ebs-encryption", () => {
        ruleTable(instanceEnableEbsEncryption, good, [["rootBlockDevice.encrypted false", (p) => (p.rootBlockDevice.encrypted = false), ["rootBlockDevice.encrypted is false: the volume is unencrypted"]]], spot);
    });
});

describe("EBS encryption", () => {
    const unsetMsg = (path: string) => `${path} is not set: the volume is unencrypted unless the account encrypts by default`;

    describe("aws-ec2-volume-enable-encryption", () => {
        ruleTable(volumeEnableEncryption, { availabilityZone: "eu-west-1a", size: 50, type: "gp3", encrypted: true }, [
            ["encrypted not set", (p) => delete p.encrypted, [unsetMsg("encrypted")]],
            ["encrypted false", (p) => (p.encrypted = false), ["encrypted is false: the volume is unencrypted"]],
            ["passes: encrypted \"true\"", (p) => (p.encrypted = "true"), []],
        ]);
    });

    describe("aws-ec2-instance-enable-ebs-encryption", () => {
        ruleTable(
            instanceEnableEbsEncryption,
            { ami: "ami-0abc", rootBlockDevice: { encrypted: true, volumeSize: 20 }, ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, volumeSize: 100 }] },
            [
                ["rootBlockDevice not set", (p) => delete p.rootBlockDevice, ["rootBlockDevice is not set: the root volume's encryption follows the AMI snapshot and the account default"]],
                ["rootBlockDevice.encrypted not set", (p) => delete p.rootBlockDevice.encrypted, [unsetMsg("rootBlockDevice.encrypted")]],
                ["rootBlockDevice.encrypted false", (p) => (p.rootBlockDevice.encrypted = false), ["rootBlockDevice.encrypted is false: the volume is unencrypted"]],
                ["ebsBlockDevices[0].encrypted not set", (p) => delete p.ebsBlockDevices[0].encrypted, [unsetMsg("ebsBlockDevices[0].encrypted")]],
                ["passes: launched from a template without rootBlockDevice", (p) => ((p.launchTemplate = { name: "nodes" }), delete p.rootBlockDevice), []],
                ["passes: no extra EBS devices", (p) => delete p.ebsBlockDevices, []],
            ],
        );
    });

    describe("aws-ec2-launchtemplate-enable-ebs-encryption", () => {
        ruleTable(
            launchTemplateEnableEbsEncryption,
            {
                imageId: "ami-0abc",
                blockDeviceMappings: [
                    { deviceName: "/dev/xvda", ebs: { encrypted: "true", volumeSize: 20, volumeType: "gp3" } },
                    { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
                ],
            },
            [
                ["blockDeviceMappings not set", (p) => delete p.blockDeviceMappings, ["blockDeviceMappings is not set: the root volume's encryption follows the AMI snapshot and the account default"]],
                ["blockDeviceMappings empty", (p) => (p.blockDeviceMappings = []), ["blockDeviceMappings is not set: the root volume's encryption follows the AMI snapshot and the account default"]],
                ["ebs.encrypted not set", (p) => delete p.blockDeviceMappings[0].ebs.encrypted, [unsetMsg("blockDeviceMappings[0].ebs.encrypted")]],
                ["ebs.encrypted \"false\"", (p) => (p.blockDeviceMappings[0].ebs.encrypted = "false"), ["blockDeviceMappings[0].ebs.encrypted is 'false': the volume is unencrypted"]],
                ["passes: ebs.encrypted true (boolean)", (p) => (p.blockDeviceMappings[0].ebs.encrypted = true), []],
            ],
        );
    });
});

describe("aws-ec2-securitygroup-configure-descriptions", () => {
    describe("aws.ec2.SecurityGroup", () => {
        ruleTable(configureDescriptions, goodSg, [
            ["group description not set", (p) => delete p.description, ["security group has no description"]],
            ["group description left at Pulumi's default", (p) => (p.description = "Managed by Pulumi"), ["security group has no description"]],
            ["ingress description blank", (p) => (p.ingress[1].description = " "), ["ingress[1] has no description"]],
            ["egress description not set", (p) => delete p.egress[0].description, ["egress[0] has no description"]],
        ]);
    });
    describe.each([
        [EC2_TYPES.securityGroupRule, goodSgRule, "ingress rule"],
        [EC2_TYPES.vpcIngressRule, goodVpcIngress, "ingress rule"],
        [EC2_TYPES.vpcEgressRule, goodVpcEgress, "egress rule"],
    ])("%s", (type, good, label) => {
        ruleTable(configureDescriptions, good, [["description not set", (p) => delete p.description, [`${label} has no description`]]], { type });
    });
});

describe("aws-ec2-securitygroup-disallow-unrestricted-egress", () => {
    describe("aws.ec2.SecurityGroup", () => {
        ruleTable(disallowUnrestrictedEgress, goodSg, [
            ["all traffic to the world", (p) => Object.assign(p.egress[0], { protocol: "-1", fromPort: 0, toPort: 0 }), ["egress[0] allows all traffic to 0.0.0.0/0"]],
            ["every tcp port to ::/0", (p) => Object.assign(p.egress[0], { fromPort: 0, toPort: 65535, cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }), ["egress[0] allows tcp ports 0-65535 to ::/0"]],
            ["passes: no egress (Pulumi removes AWS's allow-all rule)", (p) => delete p.egress, []],
            ["passes: all traffic to the VPC only", (p) => Object.assign(p.egress[0], { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }), []],
        ]);
    });
    describe("aws.ec2.SecurityGroupRule", () => {
        ruleTable(
            disallowUnrestrictedEgress,
            { ...goodSgRule, type: "egress", fromPort: 443, toPort: 443, cidrBlocks: [WORLD] },
            [
                ["all traffic to ::/0", (p) => Object.assign(p, { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: [], ipv6CidrBlocks: ["::/0"] }), ["egress rule allows all traffic to ::/0"]],
                ["passes: the same as an ingress rule", (p) => Object.assign(p, { type: "ingress", protocol: "-1" }), []],
            ],
            { type: EC2_TYPES.securityGroupRule },
        );
    });
    describe("aws.vpc.SecurityGroupEgressRule", () => {
        ruleTable(
            disallowUnrestrictedEgress,
            goodVpcEgress,
            [["ipProtocol -1 to the world", (p) => Object.assign(p, { ipProtocol: "-1", fromPort: undefined, toPort: undefined }), ["egress rule allows all traffic to 0.0.0.0/0"]]],
            { type: EC2_TYPES.vpcEgressRule },
        );
    });
});
