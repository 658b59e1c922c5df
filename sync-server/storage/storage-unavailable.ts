/**
 * Whether `error` says the database could not be reached or went away mid-request (it was
 * restarted, the network failed), rather than that the request or the server is wrong. Such
 * a request may simply be sent again once the database is back, so it is answered 503 with
 * Retry-After instead of 500. Reads only the error's shape: no database module is loaded.
 */

/** SQLSTATE class 08: connection exception. */
const CONNECTION_CLASS = '08';
/** admin_shutdown, crash_shutdown, cannot_connect_now (starting up or shutting down). */
const SHUTDOWN_STATES = new Set(['57P01', '57P02', '57P03']);
/** Socket errors of a connection attempt or an open connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);
/** pg reports a connection that ended under a query with these texts and no code. */
const CONNECTION_ENDED = [
  'Connection terminated',
  'Client has encountered a connection error',
  'timeout exceeded when trying to connect',
];

export function isStorageUnavailable(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (code.length === 5 && code.startsWith(CONNECTION_CLASS)) return true;
    if (SHUTDOWN_STATES.has(code) || NETWORK_CODES.has(code)) return true;
  }
  if (typeof message === 'string' && CONNECTION_ENDED.some((text) => message.startsWith(text))) {
    return true;
  }
  // An AggregateError (a connection to every address failed) is unavailable if all were.
  const errors = (error as { errors?: unknown }).errors;
  return Array.isArray(errors) && errors.length > 0 && errors.every(isStorageUnavailable);
}
