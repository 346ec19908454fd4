/**
 * The connection budget of the app's PostgreSQL pools: how many connections each pod's pool may hold so that every
 * pod at its maximum scale fits what the database side can serve. With RDS Proxy in front, the proxy multiplexes the
 * clients' connections onto at most `maxConnectionsPercent` of the target's `max_connections`; a pinned session
 * (a prepared statement, a session variable, a temporary table) holds one of those for its whole life, so the budget
 * counts every client connection as a possible pinned one. Pure.
 */

/** Connections PostgreSQL keeps for superusers, RDS's own agents and migrations; the app's pools share the rest. */
export const RESERVED_DB_CONNECTIONS = 10;

/** Largest pool per pod: a bigger pool only queues inside PostgreSQL. */
export const MAX_POOL_PER_POD = 50;

/** What the app's pools connect to. */
export interface ConnectionLimits {
    /** `max_connections` of the instance (or of the Aurora writer). */
    readonly maxConnections: number;
    /** Instance class that sets `maxConnections` (for messages). */
    readonly instanceClass: string;
    /** With RDS Proxy: the share of `maxConnections` the proxy may open (its target group's `maxConnectionsPercent`). */
    readonly proxyMaxConnectionsPercent?: number;
}

/** The result of {@link connectionBudget}: each pod's pool and the limit that bound it. */
export interface ConnectionBudget {
    /** Connections each pod's pool may hold. */
    readonly poolSize: number;
    /** Connections every pod together may hold. */
    readonly limit: number;
    /** Which limit binds: the proxy's pinned maximum, or the instance's `max_connections` less the reserve. */
    readonly binding: "proxy" | "instance";
}

/** The proxy's pinned maximum: `floor(maxConnectionsPercent% of max_connections)`; undefined without a proxy. Pure. */
export function proxyConnectionLimit(limits: ConnectionLimits): number | undefined {
    return limits.proxyMaxConnectionsPercent === undefined ? undefined : Math.floor((limits.maxConnections * limits.proxyMaxConnectionsPercent) / 100);
}

/**
 * Size of each pod's pool so that `maxPods` pods fit: floor(limit / maxPods), at most {@link MAX_POOL_PER_POD}, where
 * the limit is the smaller of the instance's `max_connections` less `reserve` and, with a proxy, the proxy's pinned
 * maximum. Throws, naming the binding limit, its numbers and the keys to change, when a pod would get no connection.
 * Pure.
 */
export function connectionBudget(limits: ConnectionLimits, maxPods: number, reserve = RESERVED_DB_CONNECTIONS): ConnectionBudget {
    if (!Number.isInteger(maxPods) || maxPods < 1) throw new Error(`connectionBudget: maxPods must be a whole number >= 1, got ${maxPods}`);
    const instanceLimit = limits.maxConnections - reserve;
    const proxyLimit = proxyConnectionLimit(limits);
    const binding = proxyLimit !== undefined && proxyLimit <= instanceLimit ? "proxy" : "instance";
    const limit = binding === "proxy" ? (proxyLimit as number) : instanceLimit;
    const size = Math.floor(limit / maxPods);
    if (size < 1) {
        const what =
            binding === "proxy"
                ? `the RDS Proxy can open ${limit} database connections (${limits.proxyMaxConnectionsPercent}% of max_connections ${limits.maxConnections} on ${limits.instanceClass}; the proxy binds, not the instance)`
                : `the database allows ${limits.maxConnections} connections on ${limits.instanceClass} (${limit} after the reserve of ${reserve}; the instance binds${proxyLimit !== undefined ? `, the proxy would allow ${proxyLimit}` : ""})`;
        const fix =
            binding === "proxy"
                ? "choose a larger groundwork:dbInstanceClass (the writer's max_connections) or lower groundwork:apiMaxReplicas / groundwork:workerMaxReplicas; the proxy's share is the tier's dbProxyMaxConnectionsPercent"
                : "choose a larger groundwork:dbInstanceClass or lower groundwork:apiMaxReplicas / groundwork:workerMaxReplicas";
        throw new Error(`${what} but the app may run ${maxPods} pods, each needing at least one connection (${maxPods} > ${limit}). Fix: ${fix}.`);
    }
    return { poolSize: Math.min(size, MAX_POOL_PER_POD), limit, binding };
}
