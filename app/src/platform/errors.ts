/** An error that maps to an HTTP status; `expose` errors send their message, others send a generic one. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "HttpError";
  }
}

/** The DB pool had no free connection within the acquire timeout: answer 503 + Retry-After, don't queue forever. */
export class ServiceBusyError extends HttpError {
  constructor(what: string, retryAfterSeconds = 1) {
    super(503, "service_busy", `${what} is saturated, retry later`, undefined, { "retry-after": String(retryAfterSeconds) });
    this.name = "ServiceBusyError";
  }
}

export const notFound = (what: string) => new HttpError(404, "not_found", `${what} not found`);
