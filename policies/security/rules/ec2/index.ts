import type { Rule } from "@groundwork/policy-kit";
import { disallowDefaultSgRules } from "./defaultSecurityGroup/disallowRules";
import { instanceDisallowPublicIp } from "./instance/disallowPublicIp";
import { instanceEnableEbsEncryption } from "./instance/enableEbsEncryption";
import { instanceEnforceImdsv2 } from "./instance/enforceImdsv2";
import { launchTemplateDisallowPublicIp } from "./launchTemplate/disallowPublicIp";
import { launchTemplateEnableEbsEncryption } from "./launchTemplate/enableEbsEncryption";
import { launchTemplateEnforceImdsv2 } from "./launchTemplate/enforceImdsv2";
import { networkAclDisallowWorldSshRdp } from "./networkAcl/disallowWorldSshRdp";
import { configureDescriptions } from "./securityGroup/configureDescriptions";
import { disallowUnrestrictedEgress } from "./securityGroup/disallowUnrestrictedEgress";
import { disallowWorldOpenPorts } from "./securityGroup/disallowWorldOpenPorts";
import { disallowWorldSshRdp } from "./securityGroup/disallowWorldSshRdp";
import { subnetDisallowPublicIpOnLaunch } from "./subnet/disallowPublicIpOnLaunch";
import { volumeEnableEncryption } from "./volume/enableEncryption";

/** Rules for ec2, in the order the pack lists them. */
export const rules: Rule[] = [
    disallowWorldSshRdp,
    disallowWorldOpenPorts,
    disallowDefaultSgRules,
    networkAclDisallowWorldSshRdp,
    launchTemplateEnforceImdsv2,
    instanceEnforceImdsv2,
    instanceDisallowPublicIp,
    launchTemplateDisallowPublicIp,
    subnetDisallowPublicIpOnLaunch,
    volumeEnableEncryption,
    instanceEnableEbsEncryption,
    launchTemplateEnableEbsEncryption,
    configureDescriptions,
    disallowUnrestrictedEgress,
];
