/**
 * Ad-hoc probe (not part of `npm run bench`): the accept rate of POST /reports alone (no workers), optionally
 * with BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=..." on the API, to see where the accept path spends its time.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import autocannon from "autocannon";
import { freePort, startLocalStack } from "../tools/local-servers";
import { spawnEntry, waitForExit } from "../test/support/harness";

async function main() {
  const n = Number(process.env.BENCH_BURST ?? 3000);
  const stack = await startLocalStack({ pgMaxConnections: 200 });
  try {
    const api = spawnEntry("server", stack.env({ LOG_LEVEL: "info", PORT: "0", RATE_LIMIT_MAX: "10000000", RUN_MIGRATIONS: "true", METRICS_PORT: String(await freePort()), DB_POOL_ACQUIRE_TIMEOUT_MS: "2000" }));
    let url = "";
    for (let i = 0; i < 400 && !url; i++) {
      url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(api.output())?.[1] ?? "";
      await new Promise((r) => setTimeout(r, 50));
    }
    const ck = spawn(process.execPath, [join(__dirname, "..", "dist", "create-api-key.js"), "probe", "--scopes", "reports"], { env: stack.env({ LOG_LEVEL: "warn" }), stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    ck.stdout?.on("data", (d: Buffer) => (out += d.toString()));
    await waitForExit(ck);
    const { key } = JSON.parse(out) as { key: string };
    const t0 = Date.now();
    const r = await autocannon({ url, connections: 100, amount: n, requests: [{ method: "POST", path: "/reports", headers: { "content-type": "application/json", "x-api-key": key }, body: "{}" }] });
    const s = (Date.now() - t0) / 1000;
    process.stdout.write(`${n} POST /reports: ${Math.round(r["2xx"] / s)}/s 2xx=${r["2xx"]} non2xx=${r.non2xx} p50=${r.latency.p50} p99=${r.latency.p99} ms, load ${require("node:os").loadavg().map((l: number) => l.toFixed(1)).join(" ")}\n`);
    api.kill("SIGTERM");
    await waitForExit(api);
  } finally {
    await stack.stop();
  }
}
main().catch((e) => {
  console.error(e);
  process.exit(1);
});
