// Runs the fauxqs SQS emulator bound to 127.0.0.1 only (its own CLI binds 0.0.0.0) and prints the port.
// fauxqs is ESM-only and needs Node >= 22.5 (node:sqlite); it runs as a child process of the test helpers.
import { buildApp } from "fauxqs";

const app = buildApp({ logger: false, host: "localhost", defaultRegion: process.env.FAUXQS_DEFAULT_REGION ?? "us-east-1" });
const address = await app.listen({ host: "127.0.0.1", port: Number(process.env.FAUXQS_PORT ?? 0) });
process.stdout.write(`${JSON.stringify({ address, port: Number(new URL(address).port) })}\n`);
const stop = () => app.close().then(() => process.exit(0));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
