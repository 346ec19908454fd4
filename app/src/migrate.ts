import { allMigrations } from "./app";
import { loadConfig } from "./platform/config";
import { createPlatform } from "./platform/platform";
import { exitOnStartError } from "./server";

/** One-off task: applies every module's pending migrations and exits. */
async function main() {
  const config = await loadConfig();
  const platform = await createPlatform({ ...config, QUEUE_DEPTH_POLL_MS: 0 }, { role: "api" });
  try {
    const applied = await platform.db.migrate(allMigrations(platform));
    platform.log.info({ applied }, applied.length ? "migrations applied" : "schema up to date");
  } finally {
    await platform.close();
  }
}

main().catch(exitOnStartError);
