/**
 * `npm run web:local`: the built front end and the API on one local origin, as CloudFront serves them (scripts/web-server.ts).
 * Start the API first (`npm run dev:local`, which prints an admin key), then open the printed URL and paste the key.
 *   WEB_PORT (default 8080)   API_URL (default http://127.0.0.1:3000)
 */
import { join } from "node:path";
import { startWebServer } from "./web-server";

async function main(): Promise<void> {
  const apiUrl = process.env.API_URL ?? "http://127.0.0.1:3000";
  const web = await startWebServer({ dir: join(__dirname, "..", "web", "dist"), apiUrl, port: Number(process.env.WEB_PORT ?? 8080) });
  console.log(`front end on ${web.url} (API ${apiUrl}); Ctrl-C to stop`);
  const stop = () => void web.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
