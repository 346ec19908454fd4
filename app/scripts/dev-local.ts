/**
 * `npm run dev:local`: starts throwaway PostgreSQL, Redis and fauxqs with the same helpers the tests use, then
 * the API and the worker in this process, and prints a bootstrap API key. Ctrl-C stops everything.
 */
import { startLocalStack } from "../tools/local-servers";
import { startApi } from "../src/server";
import { startWorker } from "../src/worker";
import { buildModules } from "../src/app";
import { SCOPES } from "../src/modules/accounts";

async function main() {
  const stack = await startLocalStack();
  const env = stack.env({
    NODE_ENV: "development",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    PORT: process.env.PORT ?? "3000",
    WORKER_METRICS_PORT: process.env.WORKER_METRICS_PORT ?? "9091",
    REPORTS_MAX_DELAY_MS: "60000",
    WORKER_WAIT_TIME_S: "5",
    // Webhook receivers in a local run are local servers (http://127.0.0.1:<random port>/...): allow http, loopback
    // and private addresses, and any port, none of which the platform allows. NODE_ENV=development permits http.
    WEBHOOK_ALLOW_HTTP: "true",
    WEBHOOK_ALLOW_PRIVATE_TARGETS: "true",
    WEBHOOK_PORTS: "any",
  });
  const api = await startApi(env);
  const worker = await startWorker(env);
  const key = await buildModules(api.platform).accounts.api.createKey({ name: "dev-local", scopes: [...SCOPES] });
  process.stdout.write(
    [
      "",
      `API     ${api.url}   (worker metrics on http://127.0.0.1:${env.WORKER_METRICS_PORT}/metrics)`,
      `Postgres ${stack.pg.url}`,
      `Redis    ${stack.redis.url}`,
      `SQS      ${stack.sqs.endpoint}  queue ${stack.sqs.queueUrl}`,
      `API key  ${key.key}   (scopes: ${key.scopes.join(", ")})`,
      "",
      `  curl -s -X POST ${api.url}/catalog/items -H 'x-api-key: ${key.key}' -H 'content-type: application/json' -d '{"sku":"A-1","name":"Lamp","priceCents":1999}'`,
      `  curl -si ${api.url}/catalog/items/1`,
      `  curl -si -X POST ${api.url}/reports -H 'x-api-key: ${key.key}' -H 'content-type: application/json' -d '{}'`,
      "",
    ].join("\n"),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await api.close();
    await worker.close();
    await stack.stop();
    process.exit(0);
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
