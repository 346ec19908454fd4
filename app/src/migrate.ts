import { allMigrations } from "./app";
import { loadConfig } from "./platform/config";
import { createPlatform } from "./platform/platform";
import { exitOnStartError } from "./server";

/**
 * One-off task: applies every module's pending migrations and exits. With DATABASE_IAM_BOOTSTRAP_ROLE (run with
 * the master secret in DATABASE_SECRET_ARN), it then creates that role for RDS IAM authentication and grants it
 * read/write on the app's tables.
 */
async function main() {
  const config = await loadConfig();
  // Migrations need the database only; the migrate role has no SQS grant (contract.json), so no SQS call is made.
  const platform = await createPlatform(config, { role: "api", usesQueue: false });
  try {
    const applied = await platform.db.migrate(allMigrations(platform));
    platform.log.info({ applied }, applied.length ? "migrations applied" : "schema up to date");
    const role = config.DATABASE_IAM_BOOTSTRAP_ROLE;
    if (role) {
      await platform.db.bootstrapIamRole(role);
      platform.log.info({ role }, "IAM database role ready (rds_iam, read/write on the app's tables)");
    }
  } finally {
    await platform.close();
  }
}

main().catch(exitOnStartError);
