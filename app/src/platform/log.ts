import pino, { type DestinationStream, type Logger } from "pino";
import { CREDENTIAL_HEADER } from "./contract";

export type { Logger };

/**
 * JSON logger (pino). Pretty printing is deliberately not bundled: pipe through `pino-pretty` on a TTY.
 * Secrets are redacted by path so a logged request or config object never leaks them.
 */
export function createLogger(opts: { level: string; service: string; destination?: DestinationStream }): Logger {
  return pino(
    {
      level: opts.level,
      base: { service: opts.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ["req.headers.authorization", `req.headers['${CREDENTIAL_HEADER}']`, "*.DATABASE_URL", "*.REDIS_URL", "apiKey"],
        censor: "[redacted]",
      },
    },
    opts.destination,
  );
}
