/**
 * Pure validation of cluster and node-group arguments. Each function returns the problem (or undefined),
 * so the components turn it into an ArgumentError and tests can table-drive it.
 */
import { SUPPORTED_KUBERNETES_VERSIONS } from "./versions";

/** A problem with one argument: what is wrong and how to fix it. */
export interface ArgProblem {
    /** What is wrong. */
    problem: string;
    /** How to fix it. */
    fix: string;
}

/** Checks a Kubernetes version against {@link SUPPORTED_KUBERNETES_VERSIONS}. */
export function checkKubernetesVersion(version: string): ArgProblem | undefined {
    const supported = SUPPORTED_KUBERNETES_VERSIONS.map((v) => v.version);
    if (supported.includes(version)) return undefined;
    return {
        problem: `'${version}' is not a Kubernetes version EKS supports (supported: ${supported.join(", ")})`,
        fix: `use a supported minor version such as '${supported[0]}'`,
    };
}

const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV6_CIDR = /^[0-9a-fA-F:]+\/(\d{1,3})$/;

/**
 * Checks the public-endpoint allow-list: every entry a valid IPv4/IPv6 CIDR, none of them the whole
 * internet (`0.0.0.0/0`, `::/0`) nor any other `/0`.
 */
export function checkPublicAccessCidrs(cidrs: readonly string[]): ArgProblem | undefined {
    for (const cidr of cidrs) {
        const v4 = IPV4_CIDR.exec(cidr);
        const v6 = v4 ? null : IPV6_CIDR.exec(cidr);
        const validV4 = v4 !== null && v4.slice(1, 5).every((o) => Number(o) <= 255) && Number(v4[5]) <= 32;
        const validV6 = v6 !== null && cidr.includes(":") && Number(v6[1]) <= 128;
        if (!validV4 && !validV6) {
            return { problem: `'${cidr}' is not an IPv4 or IPv6 CIDR`, fix: "list CIDRs such as '203.0.113.0/24'" };
        }
        const prefix = Number((v4 ?? v6)![v4 ? 5 : 1]);
        if (prefix === 0) {
            return {
                problem: `'${cidr}' opens the Kubernetes API endpoint to the whole internet`,
                fix: "list only the office/VPN/CI egress CIDRs that need the public endpoint, or omit publicAccessCidrs to keep it private",
            };
        }
    }
    return undefined;
}

/** Managed node group scaling. */
export interface ScalingInput {
    /** Minimum node count. */
    minSize: number;
    /** Desired node count at creation. */
    desiredSize: number;
    /** Maximum node count. */
    maxSize: number;
}

/** Checks `0 <= min <= desired <= max`, `max >= 1`, integers, and max within the EKS limit (450 per group). */
export function checkScaling(s: ScalingInput): ArgProblem | undefined {
    const all = [s.minSize, s.desiredSize, s.maxSize];
    if (!all.every((n) => Number.isInteger(n) && n >= 0)) {
        return { problem: `sizes must be whole numbers >= 0 (min ${s.minSize}, desired ${s.desiredSize}, max ${s.maxSize})`, fix: "use integers" };
    }
    if (s.maxSize < 1) {
        return { problem: `maxSize is ${s.maxSize}`, fix: "set maxSize to at least 1" };
    }
    if (s.maxSize > 450) {
        return { problem: `maxSize ${s.maxSize} exceeds the EKS limit of 450 nodes per managed node group`, fix: "split the capacity over several node groups" };
    }
    if (!(s.minSize <= s.desiredSize && s.desiredSize <= s.maxSize)) {
        return {
            problem: `need minSize <= desiredSize <= maxSize, got ${s.minSize} <= ${s.desiredSize} <= ${s.maxSize}`,
            fix: "order the sizes so that min <= desired <= max",
        };
    }
    return undefined;
}

/** Checks an EKS cluster name: 1-100 characters, starts with a letter or digit, then letters, digits, `-`, `_`. */
export function checkClusterName(name: string): ArgProblem | undefined {
    if (/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/.test(name)) return undefined;
    return { problem: `'${name}' is not a valid EKS cluster name`, fix: "use 1-100 letters, digits, '-' or '_', starting with a letter or digit" };
}

/** Checks an IAM role ARN given as an admin principal (no wildcards, a role or an SSO reserved role). */
export function checkAdminRoleArn(arn: string): ArgProblem | undefined {
    if (/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\-/]+$/.test(arn) && !arn.includes("*")) return undefined;
    return { problem: `'${arn}' is not an IAM role ARN`, fix: "pass role ARNs such as 'arn:aws:iam::123456789012:role/platform-admin'" };
}

/** A Kubernetes taint on a node group. */
export interface TaintInput {
    /** Taint key. */
    key: string;
    /** Taint value. */
    value?: string;
    /** EKS effect name. */
    effect: "NO_SCHEDULE" | "NO_EXECUTE" | "PREFER_NO_SCHEDULE";
}

/** Checks taints: keys are qualified names, effects are EKS's enum names. */
export function checkTaints(taints: readonly TaintInput[]): ArgProblem | undefined {
    for (const t of taints) {
        if (!/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(t.key) || t.key.length > 317) {
            return { problem: `taint key '${t.key}' is not a Kubernetes qualified name`, fix: "use keys such as 'workload-type' or 'groundwork.dev/queue-worker'" };
        }
        if (!["NO_SCHEDULE", "NO_EXECUTE", "PREFER_NO_SCHEDULE"].includes(t.effect)) {
            return { problem: `taint effect '${t.effect}' is not an EKS effect`, fix: "use NO_SCHEDULE, NO_EXECUTE or PREFER_NO_SCHEDULE" };
        }
    }
    return undefined;
}
