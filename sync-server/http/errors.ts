/**
 * The one error type route handlers and services throw to answer with a 4xx. The error
 * handler in app.ts turns it into `{ "error": { "code", "message" } }` with `statusCode`.
 * Messages go to the client: never put a secret, token, code or internal detail in one.
 */
export class HttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  /** Extra response headers, e.g. Retry-After on 429. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * Facts a client acts on, sent as `error.details` (e.g. the missing chunks of a snapshot).
   * Like the message they go to the client: never a secret.
   */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
    details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'HttpError';
    this.statusCode = statusCode;
    this.code = code;
    this.headers = headers;
    this.details = details;
  }
}

export function isHttpError(value: unknown): value is HttpError {
  return value instanceof HttpError;
}

export const badRequest = (code: string, message: string): HttpError =>
  new HttpError(400, code, message);

export const unauthorized = (code: string, message: string): HttpError =>
  new HttpError(401, code, message);

export const forbidden = (code: string, message: string): HttpError =>
  new HttpError(403, code, message);

export const notFound = (code: string, message: string): HttpError =>
  new HttpError(404, code, message);

export const conflict = (code: string, message: string): HttpError =>
  new HttpError(409, code, message);

/** 429 with Retry-After in whole seconds (at least 1). */
export const tooMany = (code: string, message: string, retryAfterSeconds: number): HttpError =>
  new HttpError(429, code, message, {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
