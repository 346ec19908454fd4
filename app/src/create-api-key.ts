import { buildModules } from "./app";
import { loadConfig } from "./platform/config";
import { createPlatform } from "./platform/platform";
import { exitOnStartError } from "./server";

/**
 * Bootstrap: creates an API key directly in the database (needs the same DATABASE_URL / DATABASE_SECRET_ARN as
 * the API) and prints the plaintext key once on stdout. Use it for the first key; create further keys through
 * `POST /accounts/keys`. Usage: `node dist/create-api-key.js <name>`.
 */
async function main() {
  const name = process.argv[2];
  if (!name) throw new Error("usage: create-api-key <name>");
  const config = await loadConfig();
  const platform = await createPlatform({ ...config, QUEUE_DEPTH_POLL_MS: 0, LOG_LEVEL: "warn" }, { role: "api" });
  try {
    const created = await buildModules(platform).accounts.api.createKey(name);
    process.stdout.write(`${JSON.stringify({ id: created.id, name: created.name, key: created.key })}\n`);
  } finally {
    await platform.close();
  }
}

main().catch(exitOnStartError);
