import { isCofferError } from '../../shared/errors/coffer-error.js';
import type { CliIo } from './cli-io.js';
import type { CommandResult } from './command.js';
import { UsageError } from './usage-error.js';

export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;

export function printResult(io: CliIo, json: boolean, result: CommandResult): void {
  const text = formatResult(json, result);
  if (text.length > 0) io.stdout(text);
}

/** What printResult writes: the data as JSON, or the text for people ('' when it has none). */
export function formatResult(json: boolean, result: CommandResult): string {
  if (json) return `${JSON.stringify(result.data, null, result.jsonLine === true ? 0 : 2)}\n`;
  if (result.text.length === 0) return '';
  return result.text.endsWith('\n') ? result.text : `${result.text}\n`;
}

/**
 * Reports a failure on stderr and picks the exit code. Unknown errors print a generic
 * message, not their text, since a driver error could quote a statement's parameters.
 */
export function printFailure(io: CliIo, json: boolean, error: unknown, usage?: string): number {
  if (error instanceof UsageError) {
    io.stderr(json ? errorJson('USAGE', error.message) : `coffer: ${error.message}\n`);
    if (!json && usage !== undefined) io.stderr(`usage: ${usage}\n`);
    return EXIT_USAGE;
  }
  if (isCofferError(error)) {
    io.stderr(
      json
        ? errorJson(error.code, error.message, error.details)
        : `coffer: ${error.message} (${error.code})\n`,
    );
    return error.code === 'USAGE' ? EXIT_USAGE : EXIT_ERROR;
  }
  io.stderr(
    json
      ? errorJson('INTERNAL', 'internal error')
      : 'coffer: internal error (INTERNAL); run with COFFER_DEBUG=1 for details\n',
  );
  return EXIT_ERROR;
}

function errorJson(code: string, message: string, details?: Record<string, unknown>): string {
  const error = details === undefined ? { code, message } : { code, message, details };
  return `${JSON.stringify({ error })}\n`;
}

/** Fixed-width table for human output; numbers right-aligned by the caller padding. */
export function formatTable(headers: string[], rows: string[][]): string {
  if (rows.length === 0) return '(none)';
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}
