import { readFileSync } from 'node:fs';

/** The server's version: the repository's package.json version. */
export const SERVER_VERSION: string = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;
