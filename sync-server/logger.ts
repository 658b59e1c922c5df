import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { pino } from 'pino';
import type { DestinationStream } from 'pino';

import type { LogLevel } from './config/server-config.js';

export type Logger = FastifyBaseLogger;

/**
 * Anything that may carry a credential is censored even if someone logs it by mistake:
 * Authorization and Cookie headers, and the usual secret-bearing field names one or two
 * levels deep. Request bodies are never logged.
 */
export const REDACTED_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'headers.cookie',
  'authorization',
  'body',
  'req.body',
  ...[
    'password',
    'newPassword',
    'currentPassword',
    'token',
    'challengeToken',
    'code',
    'secret',
    'backupCodes',
    'recoveryKey',
    'masterKey',
    'email',
  ].flatMap((field) => [field, `*.${field}`]),
];

/**
 * Requests are logged by route pattern (`/v1/invites/:token/accept`), not by URL: paths
 * and query strings may hold share or invite tokens.
 */
function serializeRequest(request: FastifyRequest): Record<string, unknown> {
  return {
    method: request.method,
    route: request.routeOptions?.url ?? '(no route)',
    remoteAddress: request.ip,
  };
}

/** Logs go to stderr: stdout carries only the start-up lines scripts parse. */
export function createLogger(
  level: LogLevel,
  destination: DestinationStream = pino.destination(2),
): Logger {
  return pino(
    {
      level,
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      serializers: {
        req: serializeRequest as (value: unknown) => unknown,
        err: pino.stdSerializers.err,
      },
    },
    destination,
  );
}
