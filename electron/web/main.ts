/**
 * `npm run start:web`: web mode's process. Builds the renderer when its build is stale,
 * serves it and the core on loopback with the vault key in the OS keychain, prints the
 * address to open, and on Ctrl+C or SIGTERM stops serving and closes the vault.
 */
import os from 'node:os';
import path from 'node:path';

import { isCofferError } from '../../shared/errors/coffer-error.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { defaultVaultDir } from './default-vault-dir.js';
import { buildRenderer, RENDERER_BUILD_DIR, rendererBuildIsStale } from './renderer-build.js';
import { parseWebArgs, WEB_USAGE } from './web-args.js';
import { startWebServer } from './web-server.js';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

function say(line: string): void {
  process.stderr.write(`coffer web: ${line}\n`);
}

async function main(): Promise<number> {
  const args = parseWebArgs(process.argv.slice(2), process.env);
  if (args.kind === 'help') {
    process.stdout.write(WEB_USAGE);
    return 0;
  }
  if (args.kind === 'usage-error') {
    say(args.message);
    process.stderr.write(`\n${WEB_USAGE}`);
    return 2;
  }
  const vaultDir =
    args.vaultDir ??
    defaultVaultDir({ platform: process.platform, env: process.env, homedir: os.homedir() });

  let rendererDir = args.rendererDir;
  if (rendererDir === undefined) {
    const stale = rendererBuildIsStale(ROOT);
    if (stale !== null) {
      say(`building the window first: ${stale}`);
      await buildRenderer(ROOT);
    }
    rendererDir = path.join(ROOT, RENDERER_BUILD_DIR);
  }

  const server = await startWebServer({
    vaultDir,
    keyStore: new KeychainKeyStore(),
    rendererDir,
    port: args.port,
    onInternalError: (error) =>
      say(
        `unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : 'unknown'}`,
      ),
  });
  say(`vault folder: ${vaultDir}`);

  return new Promise((resolve) => {
    let stopping = false;
    // The listeners stay installed while closing: with none left, a loader's own handler
    // (tsx re-raises a signal nobody else handles) would kill the process mid-close.
    const stop = (signal: NodeJS.Signals): void => {
      if (stopping) return;
      stopping = true;
      say(`${signal}: closing the vault`);
      server.close().then(
        () => resolve(0),
        (error: unknown) => {
          say(`could not stop cleanly: ${error instanceof Error ? error.message : 'unknown'}`);
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    // Only now: whoever reads the address may stop us at once, and until a listener is
    // installed a signal still has its default action and kills the process mid-start.
    process.stdout.write(`Coffer is running in web mode: open ${server.url}\n`);
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (isCofferError(error)) say(`${error.message} (${error.code})`);
    else if (isListenError(error)) say(`cannot listen: ${error.message}`);
    else say(`failed to start: ${error instanceof Error ? error.message : 'unknown error'}`);
    process.exitCode = 1;
  },
);

function isListenError(error: unknown): error is Error & { code: string } {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('EADDR');
}
