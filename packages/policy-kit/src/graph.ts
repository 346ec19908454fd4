/**
 * Helpers for rules that relate resources to each other (stack rules) and read props that may be unknown.
 *
 * Under `pulumi preview`, @pulumi/policy wraps props in a proxy that throws `UnknownValueError` when a computed
 * value is read; thrown out of a check, it turns the whole policy into "not applicable" for that run, so one
 * unknown bucket name would silence a stack rule for every bucket. {@link readKnown} turns such reads into
 * `undefined` so a rule can fall back to dependency edges instead. Pure functions, no rules here.
 */
import type { GraphResource } from "./rule";

/** True for the error @pulumi/policy throws when a rule reads a value unknown during preview. */
function isUnknownValueError(e: unknown): boolean {
    return e instanceof Error && (e.constructor?.name === "UnknownValueError" || /can't be known during preview/.test(e.message));
}

/** Runs `read`, returning `undefined` when it touches a value unknown during preview; other errors propagate. */
export function readKnown<T>(read: () => T): T | undefined {
    try {
        return read();
    } catch (e) {
        if (isUnknownValueError(e)) return undefined;
        throw e;
    }
}

/** A non-empty string read safely from `read` (see {@link readKnown}), or undefined. */
export function knownString(read: () => unknown): string | undefined {
    const v = readKnown(read);
    return typeof v === "string" && v !== "" ? v : undefined;
}

/**
 * True when `from` points at `to`: the reference `ref` read from `from`'s props equals one of `to`'s
 * identifiers (`ids`, e.g. the bucket name and id, or the ARN) when both are known; otherwise, when either is
 * unknown (preview) or `to` exposes no identifier (props are inputs), when `from` depends on `to`'s URN.
 */
export function refersTo(from: GraphResource, ref: () => unknown, to: GraphResource, ids: (() => unknown)[]): boolean {
    const r = knownString(ref);
    const targets = ids.map((id) => knownString(id)).filter((v): v is string => v !== undefined);
    if (r !== undefined && targets.length > 0) return targets.includes(r);
    return from.dependencyUrns.includes(to.urn);
}

const UNKNOWN = Symbol("unknown");

/**
 * True when `obj[key]` is set (not undefined, null or "") or unknown during preview (a computed value that
 * will be set). False when it is absent or empty.
 */
export function setOrUnknown(obj: unknown, key: string): boolean {
    if (!obj || typeof obj !== "object") return false;
    let v: unknown;
    try {
        v = (obj as Record<string, unknown>)[key];
    } catch (e) {
        if (!isUnknownValueError(e)) throw e;
        v = UNKNOWN;
    }
    return v === UNKNOWN || (v !== undefined && v !== null && v !== "");
}
