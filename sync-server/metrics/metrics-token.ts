import { readFile } from 'node:fs/promises';

import { ConfigError } from '../config/server-config.js';

/** A scrape token shorter than this could be guessed; 32 characters of random text are not. */
export const MIN_METRICS_TOKEN_LENGTH = 32;

/**
 * The bearer token from --metrics-token-file (surrounding white space and a trailing newline
 * dropped), or undefined without a file. Refuses a short token, naming the file, never its
 * content.
 */
export async function readMetricsToken(file: string | undefined): Promise<string | undefined> {
  if (file === undefined) return undefined;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (_error) {
    throw new ConfigError(`--metrics-token-file ${file} cannot be read`);
  }
  const token = text.trim();
  if (token.length < MIN_METRICS_TOKEN_LENGTH || /\s/.test(token)) {
    throw new ConfigError(
      `--metrics-token-file ${file} must hold one token of at least ${MIN_METRICS_TOKEN_LENGTH} characters without spaces`,
    );
  }
  return token;
}
