import { Writable } from 'node:stream';

import type { LogLevel } from '../../config/server-config.js';
import { createLogger } from '../../logger.js';
import type { Logger } from '../../logger.js';

export interface LogEntry {
  level: number;
  msg?: string;
  [field: string]: unknown;
}

export interface LogCapture {
  /** The server's real pino logger (redaction included), writing here instead of stderr. */
  logger: Logger;
  /** Everything logged so far, as written (JSON lines). */
  text(): string;
  entries(): LogEntry[];
}

/** pino's numeric levels. */
export const LOG_LEVEL = { info: 30, warn: 40, error: 50 } as const;

export function captureLog(level: LogLevel = 'info'): LogCapture {
  const chunks: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString('utf8'));
      done();
    },
  });
  const text = (): string => chunks.join('');
  return {
    logger: createLogger(level, sink),
    text,
    entries: () =>
      text()
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as LogEntry),
  };
}
