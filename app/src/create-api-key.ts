import { parseArgs } from "node:util";
import { buildModules } from "./app";
import { SCOPES, scopeSet, type Scope } from "./modules/accounts";
import { loadConfig } from "./platform/config";
import { createPlatform } from "./platform/platform";
import { exitOnStartError } from "./server";

const USAGE = `usage: create-api-key <name> --scopes <scope>[,<scope>...]   (scopes: ${SCOPES.join(", ")})`;

/** Bad command-line arguments: printed with the usage line, exit code 2. */
class UsageError extends Error {}

/** Parses `<name> --scopes a,b`; throws {@link UsageError} naming the argument and the fix. */
export function parseCliArgs(argv: string[]): { name: string; scopes: Scope[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { scopes: { type: "string" } }, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const [name, ...extra] = parsed.positionals;
  if (!name?.trim()) throw new UsageError("<name>: give the key a name, e.g. ops");
  if (extra.length) throw new UsageError(`unexpected arguments ${extra.join(" ")}: quote a name with spaces`);
  // Required on purpose: there is no default, so an admin key is never minted by accident.
  if (parsed.values.scopes === undefined) throw new UsageError("--scopes: required; the first key of a deployment needs keys:admin");
  const given = parsed.values.scopes.split(",").map((s) => s.trim()).filter(Boolean);
  const scopes = scopeSet.safeParse(given);
  if (!scopes.success) {
    const problems = scopes.error.issues.map((i) => (i.path.length ? `"${given[Number(i.path[0])]}" ${i.message}` : i.message));
    throw new UsageError(`--scopes: ${problems.join("; ")}`);
  }
  return { name: name.trim(), scopes: scopes.data };
}

/**
 * Bootstrap: creates an API key directly in the database (needs the same database settings as the API) and
 * prints it once on stdout as JSON. This is how the first `keys:admin` key of a deployment is made; further
 * keys come from `POST /accounts/keys`. Usage: `node dist/create-api-key.js <name> --scopes keys:admin`.
 */
async function main() {
  const args = parseCliArgs(process.argv.slice(2));
  const config = await loadConfig();
  // Only the database is needed: no SQS call (and no SQS_QUEUE_URL) for a one-off key.
  const platform = await createPlatform({ ...config, LOG_LEVEL: "warn" }, { role: "api", usesQueue: false });
  try {
    const created = await buildModules(platform).accounts.api.createKey(args);
    process.stdout.write(`${JSON.stringify({ id: created.id, name: created.name, scopes: created.scopes, key: created.key })}\n`);
  } finally {
    await platform.close();
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    if (!(err instanceof UsageError)) exitOnStartError(err);
    process.stderr.write(`${err.message}\n${USAGE}\n`);
    process.exit(2);
  });
}
