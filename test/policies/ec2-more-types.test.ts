// The same EC2 flaws expressed through other resource types: EBS encryption through the account default and snapshot
// copies (aws-ec2-volume-enable-encryption), and launch configurations judged as instances.
import { instanceDisallowPublicIp } from "../../policies/security/rules/ec2/instance/disallowPublicIp";
import { instanceEnableEbsEncryption } from "../../policies/security/rules/ec2/instance/enableEbsEncryption";
import { instanceEnforceImdsv2 } from "../../policies/security/rules/ec2/instance/enforceImdsv2";
import { EC2_TYPES } from "../../policies/security/rules/ec2/shared";
import { volumeEnableEncryption } from "../../policies/security/rules/ec2/volume/enableEncryption";
import { ruleTable } from "../support/ruleTable";

describe("aws-ec2-volume-enable-encryption: other EBS types", () => {
    describe("aws.ebs.EncryptionByDefault", () => {
        const off = (v: string) => `enabled is ${v}: EBS encryption by default is switched off for the account in this region, so new volumes and snapshot copies are unencrypted unless each asks`;
        ruleTable(
            volumeEnableEncryption,
            { enabled: true },
            [
                ["enabled false", (p) => (p.enabled = false), [off("false")]],
                ["enabled \"false\"", (p) => (p.enabled = "false"), [off("'false'")]],
                ["passes: enabled not set (defaults to true)", (p) => delete p.enabled, []],
            ],
            { type: EC2_TYPES.encryptionByDefault },
        );
    });

    describe("aws.ebs.SnapshotCopy", () => {
        const msg = (v: string) => `encrypted is ${v}: the snapshot copy is unencrypted unless its source snapshot is encrypted or the account encrypts by default`;
        ruleTable(
            volumeEnableEncryption,
            { sourceSnapshotId: "snap-0abc", sourceRegion: "eu-west-1", encrypted: true, kmsKeyId: "arn:aws:kms:eu-west-2:123456789012:key/abc" },
            [
                ["encrypted not set", (p) => (delete p.encrypted, delete p.kmsKeyId), [msg("not set")]],
                ["encrypted false", (p) => (p.encrypted = false), [msg("false")]],
                ["passes: encrypted without a customer-managed key", (p) => delete p.kmsKeyId, []],
            ],
            { type: EC2_TYPES.snapshotCopy },
        );
    });

    describe("aws.ebs.Volume is still judged by its own flag", () => {
        ruleTable(volumeEnableEncryption, { availabilityZone: "eu-west-1a", size: 10, encrypted: true }, [
            ["encrypted false", (p) => (p.encrypted = false), ["encrypted is false: the volume is unencrypted"]],
            ["passes: an unrelated enabled: false does not matter on a volume", (p) => (p.enabled = false), []],
        ]);
    });
});

describe("launch configurations (aws.ec2.LaunchConfiguration) are judged as instances", () => {
    const lc = { type: EC2_TYPES.launchConfiguration };
    const good = {
        imageId: "ami-0abc",
        instanceType: "t3.small",
        associatePublicIpAddress: false,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
        rootBlockDevice: { encrypted: true, volumeSize: 30, volumeType: "gp3" },
        ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true, volumeSize: 100 }],
    };

    describe("aws-ec2-instance-enforce-imdsv2", () => {
        ruleTable(
            instanceEnforceImdsv2,
            good,
            [
                ["metadataOptions not set", (p) => delete p.metadataOptions, ["metadataOptions is not set: httpTokens defaults to 'optional', so IMDSv1 stays enabled"]],
                ["httpTokens optional", (p) => (p.metadataOptions.httpTokens = "optional"), ["metadataOptions.httpTokens is 'optional'; it must be 'required'"]],
                ["httpTokens not set", (p) => delete p.metadataOptions.httpTokens, ["metadataOptions.httpTokens is not set (defaults to 'optional'); it must be 'required'"]],
                [
                    "a stray launchTemplate prop does not excuse a launch configuration",
                    (p) => ((p.launchTemplate = { id: "lt-0abc" }), delete p.metadataOptions),
                    ["metadataOptions is not set: httpTokens defaults to 'optional', so IMDSv1 stays enabled"],
                ],
                ["passes: metadata endpoint disabled", (p) => (p.metadataOptions = { httpEndpoint: "disabled" }), []],
            ],
            lc,
        );
    });

    describe("aws-ec2-instance-disallow-public-ip", () => {
        ruleTable(
            instanceDisallowPublicIp,
            good,
            [
                ["associatePublicIpAddress true", (p) => (p.associatePublicIpAddress = true), ["associatePublicIpAddress is true: every instance launched from this configuration gets a public IPv4 address"]],
                ["passes: not set (the subnet decides)", (p) => delete p.associatePublicIpAddress, []],
            ],
            lc,
        );
    });

    describe("aws-ec2-instance-enable-ebs-encryption", () => {
        ruleTable(
            instanceEnableEbsEncryption,
            good,
            [
                ["rootBlockDevice not set", (p) => delete p.rootBlockDevice, ["rootBlockDevice is not set: the root volume's encryption follows the AMI snapshot and the account default"]],
                ["rootBlockDevice.encrypted false", (p) => (p.rootBlockDevice.encrypted = false), ["rootBlockDevice.encrypted is false: the volume is unencrypted"]],
                [
                    "ebsBlockDevices[0].encrypted not set",
                    (p) => delete p.ebsBlockDevices[0].encrypted,
                    ["ebsBlockDevices[0].encrypted is not set: the volume is unencrypted unless the account encrypts by default"],
                ],
                ["passes: no extra EBS devices", (p) => delete p.ebsBlockDevices, []],
            ],
            lc,
        );
    });
});

describe("more ways to the same EC2 flaws", () => {
    describe("aws-ec2-instance-enforce-imdsv2: the account's instance metadata defaults", () => {
        ruleTable(
            instanceEnforceImdsv2,
            { httpTokens: "required", httpPutResponseHopLimit: 2 },
            [
                ["httpTokens optional", (p) => (p.httpTokens = "optional"), ["httpTokens is 'optional': the account default lets every instance that does not set its own metadata options use IMDSv1"]],
                ["passes: no-preference (each launch decides, and is judged)", (p) => (p.httpTokens = "no-preference"), []],
            ],
            { type: EC2_TYPES.instanceMetadataDefaults },
        );
    });

    describe("aws-ec2-instance-disallow-public-ip: Spot Fleets and Elastic IPs", () => {
        ruleTable(
            instanceDisallowPublicIp,
            { iamFleetRole: "arn:aws:iam::123456789012:role/fleet", targetCapacity: 2, launchSpecifications: [{ ami: "ami-1", instanceType: "m7g.large" }, { ami: "ami-1", instanceType: "c7g.large" }] },
            [
                ["a launch specification asks for a public IP", (p) => (p.launchSpecifications[1].associatePublicIpAddress = true), ["launchSpecifications[1].associatePublicIpAddress is true: every instance of the fleet gets a public IPv4 address"]],
                ["passes: associatePublicIpAddress false", (p) => (p.launchSpecifications[0].associatePublicIpAddress = false), []],
            ],
            { type: EC2_TYPES.spotFleetRequest },
        );
        ruleTable(
            instanceDisallowPublicIp,
            { domain: "vpc" },
            [
                ["an Eip attached to an instance", (p) => (p.instance = "i-0abc"), ["instance is set: the Elastic IP gives the instance a public IPv4 address"]],
                ["an Eip attached to a network interface", (p) => (p.networkInterface = "eni-0abc"), ["networkInterface is set: the Elastic IP gives the network interface a public IPv4 address"]],
            ],
            { type: EC2_TYPES.eip },
        );
        ruleTable(
            instanceDisallowPublicIp,
            { allocationId: "eipalloc-0abc" },
            [["an EipAssociation to an instance", (p) => (p.instanceId = "i-0abc"), ["instanceId is set: the Elastic IP gives the instance a public IPv4 address"]]],
            { type: EC2_TYPES.eipAssociation },
        );
    });

    describe("aws-ec2-instance-enable-ebs-encryption: Spot Fleet launch specifications", () => {
        ruleTable(
            instanceEnableEbsEncryption,
            { iamFleetRole: "arn:aws:iam::123456789012:role/fleet", targetCapacity: 2, launchSpecifications: [{ ami: "ami-1", instanceType: "m7g.large", rootBlockDevices: [{ encrypted: true }], ebsBlockDevices: [{ deviceName: "/dev/sdf", encrypted: true }] }] },
            [
                ["root device not encrypted", (p) => (p.launchSpecifications[0].rootBlockDevices[0].encrypted = false), ["launchSpecifications[0].rootBlockDevices[0].encrypted is false: the volume is unencrypted"]],
                ["no root device", (p) => delete p.launchSpecifications[0].rootBlockDevices, ["launchSpecifications[0].rootBlockDevices is not set: the root volume's encryption follows the AMI snapshot and the account default"]],
                ["data device not encrypted", (p) => delete p.launchSpecifications[0].ebsBlockDevices[0].encrypted, ["launchSpecifications[0].ebsBlockDevices[0].encrypted is not set: the volume is unencrypted unless the account encrypts by default"]],
            ],
            { type: EC2_TYPES.spotFleetRequest },
        );
    });

    describe("aws-ec2-volume-enable-encryption: AMI copies and snapshot imports", () => {
        ruleTable(
            volumeEnableEncryption,
            { sourceAmiId: "ami-0abc", sourceAmiRegion: "eu-west-1", name: "golden", encrypted: true },
            [["AmiCopy encrypted not set", (p) => delete p.encrypted, ["encrypted is not set: the AMI copy's snapshots are unencrypted unless the source AMI's are"]]],
            { type: EC2_TYPES.amiCopy },
        );
        ruleTable(
            volumeEnableEncryption,
            { diskContainer: { format: "VHD", userBucket: { s3Bucket: "images", s3Key: "disk.vhd" } }, encrypted: true },
            [["SnapshotImport encrypted false", (p) => (p.encrypted = false), ["encrypted is false: the imported snapshot is unencrypted unless the account encrypts by default"]]],
            { type: EC2_TYPES.snapshotImport },
        );
    });
});
