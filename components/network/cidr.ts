/**
 * Pure IPv4 CIDR arithmetic and the Network's subnet layout. No Pulumi here: the stack model validates
 * `groundwork:vpcCidr` with the same functions the component uses, and tests run them without an engine.
 *
 * Layout of a VPC `/N` (documented contract; `slots` = 4 for up to 4 AZs, 8 for 5-6 AZs):
 * ```
 *   first half      private (app) subnets   one per AZ slot, each /(N + 1 + log2(slots))
 *   third quarter   public subnets          one per AZ slot, each /(N + 2 + log2(slots))
 *   fourth quarter  isolated (data) subnets one per AZ slot, each /(N + 2 + log2(slots))
 * ```
 * AZ `i` always takes slot `i` of each tier, so raising the AZ count from 2 to 3 or 4 adds subnets without
 * renumbering the existing ones. Example, 10.0.0.0/16 with 3 AZs: private 10.0.0.0/19, 10.0.32.0/19,
 * 10.0.64.0/19; public 10.0.128.0/20, 10.0.144.0/20, 10.0.160.0/20; isolated 10.0.192.0/20, 10.0.208.0/20,
 * 10.0.224.0/20. The smallest VPC that fits is a /24 (subnets of /27 and /28, AWS's smallest subnet).
 */

/** AWS accepts VPC primary CIDR blocks from /16 (largest) to /28 (smallest). */
export const VPC_PREFIX_MIN = 16;
/** Smallest VPC prefix AWS accepts. */
export const VPC_PREFIX_MAX = 28;
/** AWS's smallest subnet is a /28 (16 addresses, 11 usable). */
export const SUBNET_PREFIX_MAX = 28;
/** Most AZs any AWS region offers (us-east-1 has 6). */
export const MAX_AZ_COUNT = 6;
/** Fewest AZs the layout supports: EKS and RDS subnet groups need subnets in two AZs. */
export const MIN_AZ_COUNT = 2;

/** Private address ranges a VPC may use (RFC 1918 plus the RFC 6598 shared range AWS allows). */
export const PRIVATE_RANGES: readonly string[] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10"];

/** A parsed IPv4 CIDR block. */
export interface Ipv4Cidr {
    /** Network address as an unsigned 32-bit integer. */
    readonly base: number;
    /** Prefix length, 0 to 32. */
    readonly prefix: number;
}

/** Subnet tiers of the Network, in the order they are declared. */
export type SubnetTier = "public" | "private" | "isolated";

/** The computed CIDR layout: one subnet per AZ and tier, AZ `i` at index `i`. */
export interface SubnetPlan {
    /** The VPC block, normalised. */
    readonly vpcCidr: string;
    /** AZ slots reserved per tier (4 or 8); `azCount` of them are used. */
    readonly slots: number;
    /** Public subnet blocks (NAT gateways, load balancers). */
    readonly public: readonly string[];
    /** Private (app) subnet blocks: workloads, interface endpoints. */
    readonly private: readonly string[];
    /** Isolated (data) subnet blocks: databases and caches, no route to the internet. */
    readonly isolated: readonly string[];
}

const DOTTED = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Formats an unsigned 32-bit address as dotted quad. */
export function formatIpv4(address: number): string {
    return [24, 16, 8, 0].map((shift) => (address >>> shift) & 255).join(".");
}

/** Formats a CIDR block as `a.b.c.d/n`. */
export function formatCidr(cidr: Ipv4Cidr): string {
    return `${formatIpv4(cidr.base)}/${cidr.prefix}`;
}

function mask(prefix: number): number {
    return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/**
 * Parses `a.b.c.d/n`. Returns the block, or a problem text saying what is wrong (not IPv4 CIDR notation,
 * an octet above 255, a prefix above 32, host bits set, with the aligned block it probably meant).
 */
export function parseIpv4Cidr(text: string): Ipv4Cidr | { problem: string } {
    const m = DOTTED.exec(text.trim());
    if (!m) {
        return { problem: "is not an IPv4 CIDR block (expected a.b.c.d/n, for example 10.0.0.0/16)" };
    }
    const octets = m.slice(1, 5).map(Number);
    const prefix = Number(m[5]);
    if (octets.some((o) => o > 255) || m.slice(1, 5).some((o) => o.length > 1 && o.startsWith("0"))) {
        return { problem: "is not a valid IPv4 address (each octet is 0-255, without leading zeros)" };
    }
    if (prefix > 32) {
        return { problem: "has a prefix length above 32" };
    }
    const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
    const base = (address & mask(prefix)) >>> 0;
    if (base !== address) {
        return { problem: `is not aligned to its /${prefix} network (host bits are set; the network is ${formatCidr({ base, prefix })})` };
    }
    return { base, prefix };
}

/** True when block `inner` lies entirely inside block `outer`. */
export function cidrContains(outer: Ipv4Cidr, inner: Ipv4Cidr): boolean {
    return inner.prefix >= outer.prefix && ((inner.base & mask(outer.prefix)) >>> 0) === outer.base;
}

/** AZ slots the layout reserves per tier for a given AZ count: 4 up to 4 AZs, 8 beyond. */
export function slotsFor(azCount: number): number {
    return azCount <= 4 ? 4 : 8;
}

/**
 * Why `cidr` cannot hold the Network's layout for `azCount` AZs, or `undefined` when it can.
 * Checks, in order: CIDR syntax and alignment, AWS's /16-/28 VPC range, a private address range, the AZ
 * count, and that the smallest subnet is no smaller than AWS's /28.
 */
export function vpcCidrProblem(cidr: string, azCount: number): string | undefined {
    const parsed = parseIpv4Cidr(cidr);
    if ("problem" in parsed) {
        return parsed.problem;
    }
    if (parsed.prefix < VPC_PREFIX_MIN || parsed.prefix > VPC_PREFIX_MAX) {
        return `has prefix /${parsed.prefix}; AWS VPCs take /${VPC_PREFIX_MIN} to /${VPC_PREFIX_MAX}`;
    }
    if (!PRIVATE_RANGES.some((r) => cidrContains(parseIpv4Cidr(r) as Ipv4Cidr, parsed))) {
        return `is not in a private range (allowed: ${PRIVATE_RANGES.join(", ")})`;
    }
    if (!Number.isInteger(azCount) || azCount < MIN_AZ_COUNT || azCount > MAX_AZ_COUNT) {
        return `cannot be laid out over ${azCount} AZs (allowed: ${MIN_AZ_COUNT} to ${MAX_AZ_COUNT})`;
    }
    const smallest = parsed.prefix + 2 + Math.log2(slotsFor(azCount));
    if (smallest > SUBNET_PREFIX_MAX) {
        const largestPrefix = SUBNET_PREFIX_MAX - 2 - Math.log2(slotsFor(azCount));
        return (
            `is too small for 3 subnet tiers over ${slotsFor(azCount)} AZ slots: the public and isolated subnets would be /${smallest}, ` +
            `smaller than AWS's minimum /${SUBNET_PREFIX_MAX}; use a /${largestPrefix} or larger VPC`
        );
    }
    return undefined;
}

/** Splits `block` into `2^bits` equal parts and returns part `index`. */
function part(block: Ipv4Cidr, bits: number, index: number): Ipv4Cidr {
    const prefix = block.prefix + bits;
    return { base: (block.base + index * 2 ** (32 - prefix)) >>> 0, prefix };
}

/**
 * Computes the subnet layout (see the module comment). Throws an Error whose message starts with the CIDR
 * and says what is wrong when the block is invalid or too small.
 */
export function planSubnets(cidr: string, azCount: number): SubnetPlan {
    const problem = vpcCidrProblem(cidr, azCount);
    if (problem !== undefined) {
        throw new Error(`VPC CIDR '${cidr}' ${problem}`);
    }
    const vpc = parseIpv4Cidr(cidr) as Ipv4Cidr;
    const slots = slotsFor(azCount);
    const slotBits = Math.log2(slots);
    const privateHalf = part(vpc, 1, 0);
    const publicQuarter = part(vpc, 2, 2);
    const isolatedQuarter = part(vpc, 2, 3);
    const azs = [...Array(azCount).keys()];
    return {
        vpcCidr: formatCidr(vpc),
        slots,
        private: azs.map((i) => formatCidr(part(privateHalf, slotBits, i))),
        public: azs.map((i) => formatCidr(part(publicQuarter, slotBits, i))),
        isolated: azs.map((i) => formatCidr(part(isolatedQuarter, slotBits, i))),
    };
}
