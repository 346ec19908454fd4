/**
 * Helpers shared by the ec2 rules: security group rules normalised across the five ways Pulumi declares
 * them, port arithmetic, and the boolean-or-string flags of launch templates. Pure functions, no rules here.
 */

/** Pulumi type tokens the ec2 rules look at. */
export const EC2_TYPES = {
    securityGroup: "aws:ec2/securityGroup:SecurityGroup",
    defaultSecurityGroup: "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup",
    securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
    vpcIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    vpcEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
    launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
    instance: "aws:ec2/instance:Instance",
    spotInstanceRequest: "aws:ec2/spotInstanceRequest:SpotInstanceRequest",
    subnet: "aws:ec2/subnet:Subnet",
    defaultSubnet: "aws:ec2/defaultSubnet:DefaultSubnet",
    launchConfiguration: "aws:ec2/launchConfiguration:LaunchConfiguration",
    volume: "aws:ebs/volume:Volume",
    encryptionByDefault: "aws:ebs/encryptionByDefault:EncryptionByDefault",
    snapshotCopy: "aws:ebs/snapshotCopy:SnapshotCopy",
    networkAcl: "aws:ec2/networkAcl:NetworkAcl",
    defaultNetworkAcl: "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl",
    networkAclRule: "aws:ec2/networkAclRule:NetworkAclRule",
    instanceMetadataDefaults: "aws:ec2/instanceMetadataDefaults:InstanceMetadataDefaults",
    eip: "aws:ec2/eip:Eip",
    eipAssociation: "aws:ec2/eipAssociation:EipAssociation",
    spotFleetRequest: "aws:ec2/spotFleetRequest:SpotFleetRequest",
    amiCopy: "aws:ec2/amiCopy:AmiCopy",
    snapshotImport: "aws:ebs/snapshotImport:SnapshotImport",
} as const;

/** Ports that SSH and RDP listen on. */
export const ADMIN_PORTS = [22, 3389] as const;

/**
 * The only ports that may be open to the world (0.0.0.0/0, ::/0). A constant, not a knob: anything else
 * needs an exemption with a reason (for example port 80 on a public load balancer that only redirects).
 */
export const WORLD_OPEN_PORTS: readonly number[] = [443];

/** One security group rule, whichever resource declared it. */
export interface SgRule {
    /** How messages name the rule: `ingress[0]`, `egress[1]`, `ingress rule`, `egress rule`. */
    label: string;
    /** Traffic direction. */
    direction: "ingress" | "egress";
    /** Normalised protocol: `all`, `tcp`, `udp`, `icmp`, `icmpv6`, or the protocol number as a string. */
    protocol: string;
    /** First port (tcp/udp), 0 when not set. */
    fromPort: number;
    /** Last port (tcp/udp), 65535 when not set. */
    toPort: number;
    /** IPv4 and IPv6 CIDR blocks the rule allows. */
    cidrs: string[];
    /** The rule's description as given. */
    description: unknown;
}

const PROTOCOL_NUMBERS: Record<string, string> = { "-1": "all", all: "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6" };

/** Normalises a protocol value (`-1`, `all`, `tcp`, `6`, ...). */
export function normaliseProtocol(p: unknown): string {
    const s = String(p ?? "").trim().toLowerCase();
    return PROTOCOL_NUMBERS[s] ?? s;
}

/** True for protocols whose rules carry a port range. */
export function hasPorts(protocol: string): boolean {
    return protocol === "tcp" || protocol === "udp";
}

function port(v: unknown, fallback: number): number {
    if (v === undefined || v === null || v === "") return fallback;
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function strings(...vs: unknown[]): string[] {
    const out: string[] = [];
    for (const v of vs) {
        if (typeof v === "string" && v.length > 0) out.push(v);
        else if (Array.isArray(v)) for (const x of v) if (typeof x === "string" && x.length > 0) out.push(x);
    }
    return out;
}

function fromEntry(label: string, direction: "ingress" | "egress", e: Record<string, any>, v4: unknown, v6: unknown, protocol: unknown): SgRule {
    return {
        label,
        direction,
        protocol: normaliseProtocol(protocol),
        fromPort: port(e.fromPort, 0),
        toPort: port(e.toPort, 65535),
        cidrs: strings(v4, v6),
        description: e.description,
    };
}

/**
 * The rules a resource declares: inline `ingress`/`egress` of a (default) security group, a
 * `SecurityGroupRule`, or a `vpc.SecurityGroupIngressRule` / `SecurityGroupEgressRule`.
 */
export function sgRulesOf(type: string, props: Record<string, any>): SgRule[] {
    switch (type) {
        case EC2_TYPES.securityGroup:
        case EC2_TYPES.defaultSecurityGroup: {
            const out: SgRule[] = [];
            for (const direction of ["ingress", "egress"] as const) {
                const list = Array.isArray(props[direction]) ? props[direction] : [];
                list.forEach((e: Record<string, any>, i: number) =>
                    out.push(fromEntry(`${direction}[${i}]`, direction, e ?? {}, e?.cidrBlocks, e?.ipv6CidrBlocks, e?.protocol)),
                );
            }
            return out;
        }
        case EC2_TYPES.securityGroupRule: {
            const direction = props.type === "egress" ? "egress" : "ingress";
            return [fromEntry(`${direction} rule`, direction, props, props.cidrBlocks, props.ipv6CidrBlocks, props.protocol)];
        }
        case EC2_TYPES.vpcIngressRule:
            return [fromEntry("ingress rule", "ingress", props, props.cidrIpv4, props.cidrIpv6, props.ipProtocol)];
        case EC2_TYPES.vpcEgressRule:
            return [fromEntry("egress rule", "egress", props, props.cidrIpv4, props.cidrIpv6, props.ipProtocol)];
        default:
            return [];
    }
}

/** True for a CIDR with prefix length 0: the whole IPv4 or IPv6 internet. */
export function isWorldCidr(cidr: string): boolean {
    return /\/0+$/.test(cidr.trim());
}

/** The world CIDRs of a rule (`0.0.0.0/0`, `::/0`). */
export function worldCidrs(rule: SgRule): string[] {
    return rule.cidrs.filter(isWorldCidr);
}

/** True when the rule lets traffic to `p` through (all traffic, or a tcp/udp range containing it). */
export function coversPort(rule: SgRule, p: number): boolean {
    if (rule.protocol === "all") return true;
    return hasPorts(rule.protocol) && rule.fromPort <= p && p <= rule.toPort;
}

/** True when the rule allows every port: all traffic, a non-port protocol number, or a tcp/udp range 0-65535. */
export function isAllPorts(rule: SgRule): boolean {
    if (rule.protocol === "all") return true;
    if (hasPorts(rule.protocol)) return rule.fromPort <= 0 && rule.toPort >= 65535;
    return false;
}

/** Human-readable traffic of a rule: `all traffic`, `tcp port 22`, `tcp ports 0-1024`, `icmp`, `protocol 47`. */
export function describeTraffic(rule: SgRule): string {
    if (rule.protocol === "all") return "all traffic";
    if (hasPorts(rule.protocol)) {
        return rule.fromPort === rule.toPort ? `${rule.protocol} port ${rule.fromPort}` : `${rule.protocol} ports ${rule.fromPort}-${rule.toPort}`;
    }
    if (rule.protocol === "icmp" || rule.protocol === "icmpv6") return rule.protocol;
    return `protocol ${rule.protocol}`;
}

/** Joins words as `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: readonly (string | number)[]): string {
    const s = items.map(String);
    return s.length <= 1 ? (s[0] ?? "") : `${s.slice(0, -1).join(", ")} and ${s[s.length - 1]}`;
}

/** One network ACL entry, whichever resource declared it; the port fields follow {@link SgRule}. */
export interface NaclEntry extends SgRule {
    /** `allow` or `deny` (lower case; empty when not given). */
    action: string;
    /** The entry's rule number; NaN when not given. */
    ruleNo: number;
}

/**
 * The entries a resource declares: inline `ingress`/`egress` of an `aws.ec2.NetworkAcl` or `DefaultNetworkAcl`
 * (`action`, `ruleNo`, `cidrBlock`, `ipv6CidrBlock`), or one `aws.ec2.NetworkAclRule` (`ruleAction`,
 * `ruleNumber`, `egress` false or unset for ingress). Protocol `-1`/`all` means all traffic whatever the ports say.
 */
export function naclEntriesOf(type: string, props: Record<string, any>): NaclEntry[] {
    const entry = (label: string, direction: "ingress" | "egress", e: Record<string, any>, action: unknown, ruleNo: unknown): NaclEntry => ({
        ...fromEntry(label, direction, e, e.cidrBlock, e.ipv6CidrBlock, e.protocol),
        action: String(action ?? "").trim().toLowerCase(),
        ruleNo: ruleNo === undefined || ruleNo === null || ruleNo === "" ? NaN : Number(ruleNo),
    });
    switch (type) {
        case EC2_TYPES.networkAcl:
        case EC2_TYPES.defaultNetworkAcl: {
            const out: NaclEntry[] = [];
            for (const direction of ["ingress", "egress"] as const) {
                const list = Array.isArray(props[direction]) ? props[direction] : [];
                list.forEach((e: Record<string, any> | undefined, i: number) => {
                    const ruleNo = e?.ruleNo;
                    const label = `${direction}[${i}]${ruleNo === undefined || ruleNo === null ? "" : ` (rule ${ruleNo})`}`;
                    out.push(entry(label, direction, e ?? {}, e?.action, ruleNo));
                });
            }
            return out;
        }
        case EC2_TYPES.networkAclRule: {
            const direction = isTrue(props.egress) ? "egress" : "ingress";
            const ruleNo = props.ruleNumber;
            return [entry(`${direction} rule${ruleNo === undefined || ruleNo === null ? "" : ` ${ruleNo}`}`, direction, props, props.ruleAction, ruleNo)];
        }
        default:
            return [];
    }
}

/** True for `true` or `"true"` (launch templates type their flags as strings). */
export function isTrue(v: unknown): boolean {
    return v === true || (typeof v === "string" && v.trim().toLowerCase() === "true");
}

/** Shows a given value in a message: strings quoted, the rest as JSON. */
export function show(v: unknown): string {
    return typeof v === "string" ? `'${v}'` : JSON.stringify(v);
}

/** Highest IMDS hop limit allowed: 2 lets containers on the node reach IMDS through one extra hop. */
export const MAX_IMDS_HOP_LIMIT = 2;

/**
 * Problems with an instance's or launch template's `metadataOptions`: IMDSv2 must be required
 * (`httpTokens: "required"`; unset means `optional`) and a hop limit, when given, must be 1 or 2. The metadata
 * endpoint switched off (`httpEndpoint: "disabled"`) is compliant whatever the other fields say.
 */
export function metadataOptionsProblems(mo: unknown): string[] {
    if (mo === undefined || mo === null) return ["metadataOptions is not set: httpTokens defaults to 'optional', so IMDSv1 stays enabled"];
    const o = mo as Record<string, unknown>;
    if (typeof o.httpEndpoint === "string" && o.httpEndpoint.trim().toLowerCase() === "disabled") return [];
    const problems: string[] = [];
    if (o.httpTokens === undefined || o.httpTokens === null || o.httpTokens === "") {
        problems.push("metadataOptions.httpTokens is not set (defaults to 'optional'); it must be 'required'");
    } else if (String(o.httpTokens).trim().toLowerCase() !== "required") {
        problems.push(`metadataOptions.httpTokens is ${show(o.httpTokens)}; it must be 'required'`);
    }
    const hop = o.httpPutResponseHopLimit;
    if (hop !== undefined && hop !== null) {
        const n = Number(hop);
        if (!(Number.isInteger(n) && n >= 1 && n <= MAX_IMDS_HOP_LIMIT)) {
            problems.push(`metadataOptions.httpPutResponseHopLimit is ${show(hop)}; it must be 1 or ${MAX_IMDS_HOP_LIMIT}`);
        }
    }
    return problems;
}

/**
 * The problem with an EBS `encrypted` flag at `path`, or undefined when it is `true`/`"true"`. Unset means
 * unencrypted unless the account encrypts new volumes by default, which a program cannot see.
 */
export function encryptedProblem(path: string, v: unknown): string | undefined {
    if (isTrue(v)) return undefined;
    if (v === undefined || v === null || v === "") return `${path} is not set: the volume is unencrypted unless the account encrypts by default`;
    return `${path} is ${show(v)}: the volume is unencrypted`;
}
