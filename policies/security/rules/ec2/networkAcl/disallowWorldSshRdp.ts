import type { ResourceRule } from "@groundwork/policy-kit";
import { ADMIN_PORTS, EC2_TYPES, coversPort, describeTraffic, joinAnd, naclEntriesOf, worldCidrs, type NaclEntry } from "../shared";

/**
 * True when a lower-numbered deny entry of the same list stops the world CIDR's traffic to `port` before `allow`
 * is reached (network ACLs evaluate entries in ascending rule number, first match wins). The deny must name the
 * world CIDR of the same family (a narrower deny leaves the rest of the internet through) and cover the port for
 * the allow's protocol, or for tcp when the allow is all traffic (SSH and RDP are reached over tcp).
 */
function shadowed(allow: NaclEntry, denies: readonly NaclEntry[], cidr: string, port: number): boolean {
    const transport = allow.protocol === "all" ? "tcp" : allow.protocol;
    const v6 = cidr.includes(":");
    return denies.some(
        (d) =>
            d.ruleNo < allow.ruleNo &&
            (d.protocol === "all" || d.protocol === transport) &&
            coversPort(d, port) &&
            worldCidrs(d).some((c) => c.includes(":") === v6),
    );
}

/**
 * No network ACL allows ingress from the world (`0.0.0.0/0` or `::/0`) to SSH (22) or RDP (3389), whether by a
 * tcp/udp range containing the port or by all traffic (protocol `-1`/`all`, whose ports are ignored). Checks the
 * inline `ingress` entries of `aws.ec2.NetworkAcl` and `aws.ec2.DefaultNetworkAcl` and every ingress
 * `aws.ec2.NetworkAclRule` (`egress` false or unset). Deny entries never violate. Within one inline `ingress`
 * list, an allow is not reported for a port and CIDR family that a lower-numbered deny from the world already
 * blocks; a standalone `NetworkAclRule` is judged on its own (denies declared in other resources are not seen).
 * Egress entries are not judged.
 *
 * Severity: high. Level: mandatory.
 * Controls: FSBP EC2.21, CIS 5.2, CKV_AWS_231, CKV_AWS_232, AWS-0105.
 */
export const networkAclDisallowWorldSshRdp: ResourceRule = {
    kind: "resource",
    name: "aws-ec2-networkacl-disallow-world-ssh-rdp",
    description: "Network ACLs do not allow ingress from 0.0.0.0/0 or ::/0 to port 22 or 3389.",
    controls: ["FSBP EC2.21", "CIS 5.2", "CKV_AWS_231", "CKV_AWS_232", "AWS-0105"],
    severity: "high",
    level: "mandatory",
    remediation:
        "Restrict the entry's cidrBlock to known ranges (or add a lower-numbered deny for ports 22 and 3389 from the world), and reach instances through SSM Session Manager instead of SSH/RDP.",
    resourceTypes: [EC2_TYPES.networkAcl, EC2_TYPES.defaultNetworkAcl, EC2_TYPES.networkAclRule],
    check(props, ctx) {
        const entries = naclEntriesOf(ctx.type, props).filter((e) => e.direction === "ingress");
        const denies = ctx.type === EC2_TYPES.networkAclRule ? [] : entries.filter((e) => e.action === "deny");
        const messages: string[] = [];
        for (const e of entries) {
            if (e.action !== "allow") continue;
            const open = (c: string, p: number) => coversPort(e, p) && !shadowed(e, denies, c, p);
            const world = worldCidrs(e);
            const ports = ADMIN_PORTS.filter((p) => world.some((c) => open(c, p)));
            if (ports.length === 0) continue;
            const cidrs = world.filter((c) => ports.some((p) => open(c, p)));
            const exact = ports.length === 1 && e.protocol === "tcp" && e.fromPort === ports[0] && e.toPort === ports[0];
            messages.push(`${e.label} opens port${ports.length > 1 ? "s" : ""} ${joinAnd(ports)} to ${joinAnd(cidrs)}` + (exact ? "" : ` (${describeTraffic(e)})`));
        }
        return messages;
    },
};
