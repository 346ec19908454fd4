/**
 * Where a benchmark phase spends the machine's CPU: per process group (the bench itself with its load generator, the
 * API, the workers, PostgreSQL, Redis, the SQS emulator, everything else), read from /proc before and after the
 * phase. On a loopback bench every server shares the same cores, so this is the profile that says where a ceiling
 * comes from: a saturated machine, or one process. Linux only; elsewhere `measure` returns undefined.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { cpus } from "node:os";

interface Proc {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, in clock ticks. */
  ticks: number;
}

/** Clock ticks per second (USER_HZ), 100 on every common Linux. */
const TICKS = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

function readProcs(): Map<number, Proc> {
  const out = new Map<number, Proc>();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, "utf8");
      // comm is in parentheses and may contain spaces; the fields after it are space-separated.
      const close = stat.lastIndexOf(")");
      const comm = stat.slice(stat.indexOf("(") + 1, close);
      const f = stat.slice(close + 2).split(" ");
      out.set(Number(name), { pid: Number(name), ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) });
    } catch {
      // The process exited between readdir and read.
    }
  }
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** `root` and its descendants. */
function subtree(procs: Map<number, Proc>, root: number): Set<number> {
  const out = new Set<number>([root]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const p of procs.values()) if (!out.has(p.pid) && out.has(p.ppid)) (out.add(p.pid), (grew = true));
  }
  return out;
}

/** Busy and total jiffies of the whole machine (/proc/stat's cpu line). */
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0].trim().split(/\s+/).slice(1).map(Number);
  const idle = f[3] + (f[4] ?? 0);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: total - idle, total };
}

/** What to attribute: child processes by pid (with their descendants), PostgreSQL by its port. */
export interface CpuGroups {
  api?: number[];
  workers?: number[];
  postgresPort?: number;
  redisPort?: number;
}

/** A running measurement; `stop()` returns cores busy per group over the phase. */
export interface CpuMeter {
  stop(): Record<string, number> | undefined;
}

/** Starts measuring. The groups' pids are resolved at the end (PostgreSQL backends start during the phase). */
export function measureCpu(groups: CpuGroups): CpuMeter {
  if (!existsSync("/proc/stat")) return { stop: () => undefined };
  const t0 = process.hrtime.bigint();
  const before = readProcs();
  const m0 = machineTicks();
  return {
    stop() {
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const after = readProcs();
      const m1 = machineTicks();
      const used = (pids: Iterable<number>) => {
        let ticks = 0;
        for (const pid of pids) {
          const a = after.get(pid);
          if (a) ticks += a.ticks - (before.get(pid)?.ticks ?? 0);
        }
        return ticks;
      };
      const all = (roots: number[] | undefined) => new Set((roots ?? []).flatMap((r) => [...subtree(after, r)]));
      const find = (comm: string, port: number | undefined) =>
        port === undefined ? [] : [...after.values()].filter((p) => p.comm === comm && new RegExp(`(-p |:)${port}\\b`).test(cmdline(p.pid))).map((p) => p.pid);
      const taken = new Set<number>();
      const group = (pids: Set<number>) => {
        for (const p of [...pids]) if (taken.has(p)) pids.delete(p);
        pids.forEach((p) => taken.add(p));
        return used(pids) / TICKS / seconds;
      };
      const benchOnly = new Set([process.pid]);
      const rows: Record<string, number> = {
        "api": group(all(groups.api)),
        "workers (consumer, outbox relay)": group(all(groups.workers)),
        "postgresql (all backends)": group(all(find("postgres", groups.postgresPort))),
        "redis": group(all(find("redis-server", groups.redisPort))),
        "bench: load generator (autocannon) and samplers": group(benchOnly),
      };
      // The bench's other children: the SQS emulator (fauxqs) and anything it started.
      rows["sqs emulator (fauxqs) and other bench children"] = group(new Set([...subtree(after, process.pid)].filter((p) => !taken.has(p))));
      const busy = (m1.busy - m0.busy) / TICKS / seconds;
      const accounted = Object.values(rows).reduce((a, b) => a + b, 0);
      rows["rest of the machine"] = Math.max(0, busy - accounted);
      rows[`machine busy (of ${cpus().length} cores)`] = busy;
      for (const k of Object.keys(rows)) rows[k] = Number(rows[k].toFixed(2));
      return rows;
    },
  };
}
