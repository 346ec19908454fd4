/**
 * PostgreSQL's default `max_connections` on RDS, `LEAST({DBInstanceClassMemory/9531392}, 5000)`, computed from the
 * instance class's memory. Later work budgets connection pools with it.
 */

/** Bytes per connection in RDS's default `max_connections` formula for PostgreSQL. */
export const BYTES_PER_CONNECTION = 9531392;

/** Upper bound of RDS's default `max_connections` for PostgreSQL. */
export const MAX_CONNECTIONS_CAP = 5000;

/** Memory (GiB) of burstable classes by size: the same for `db.t3` and `db.t4g`. */
const BURSTABLE_GIB: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16, "2xlarge": 32 };

/** vCPUs of general-purpose and memory-optimised classes by size. */
const SIZE_VCPUS: Record<string, number> = {
    large: 2,
    xlarge: 4,
    "2xlarge": 8,
    "4xlarge": 16,
    "8xlarge": 32,
    "12xlarge": 48,
    "16xlarge": 64,
    "24xlarge": 96,
    "32xlarge": 128,
    "48xlarge": 192,
};

/** GiB of memory per vCPU by instance family (m: 4, r: 8, x2g: 16), for the families RDS PostgreSQL offers. */
const GIB_PER_VCPU: Record<string, number> = {
    m5: 4,
    m5d: 4,
    m6g: 4,
    m6gd: 4,
    m6i: 4,
    m6id: 4,
    m7g: 4,
    m7i: 4,
    m8g: 4,
    r5: 8,
    r5d: 8,
    r6g: 8,
    r6gd: 8,
    r6i: 8,
    r6id: 8,
    r7g: 8,
    r7i: 8,
    r8g: 8,
    x2g: 16,
};

/**
 * The table of instance classes the Database knows, `db.<family>.<size>` to memory in GiB (nominal memory, as
 * AWS lists it). Built from the family rules above; exported so tests and docs can list it.
 */
export const INSTANCE_CLASS_MEMORY_GIB: Readonly<Record<string, number>> = (() => {
    const table: Record<string, number> = {};
    for (const family of ["t3", "t4g"]) {
        for (const [size, gib] of Object.entries(BURSTABLE_GIB)) table[`db.${family}.${size}`] = gib;
    }
    for (const [family, perVcpu] of Object.entries(GIB_PER_VCPU)) {
        for (const [size, vcpus] of Object.entries(SIZE_VCPUS)) {
            if (family === "x2g" && vcpus > 64) continue;
            table[`db.${family}.${size}`] = perVcpu * vcpus;
        }
    }
    return table;
})();

/** Memory of an instance class in GiB; undefined when the class is not in {@link INSTANCE_CLASS_MEMORY_GIB}. */
export function instanceClassMemoryGib(instanceClass: string): number | undefined {
    return INSTANCE_CLASS_MEMORY_GIB[instanceClass];
}

/**
 * PostgreSQL's default `max_connections` for an RDS instance class: `min(floor(memory bytes / 9531392), 5000)`.
 * Uses the class's nominal memory; RDS's `DBInstanceClassMemory` is slightly lower (memory reserved for the OS and
 * RDS processes), so the live value can be a few percent below this: budget pools with headroom. Throws for an
 * unknown class. Pure.
 */
export function postgresMaxConnections(instanceClass: string): number {
    const gib = instanceClassMemoryGib(instanceClass);
    if (gib === undefined) {
        throw new Error(`unknown instance class '${instanceClass}'. Fix: use a class of INSTANCE_CLASS_MEMORY_GIB or add it there.`);
    }
    return Math.min(Math.floor((gib * 1024 ** 3) / BYTES_PER_CONNECTION), MAX_CONNECTIONS_CAP);
}
