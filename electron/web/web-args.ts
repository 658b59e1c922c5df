/** `npm run start:web -- [--vault DIR] [--port N] [--help]`, read without side effects. */
import path from 'node:path';

export const WEB_USAGE = `Usage: npm run start:web -- [--vault DIR] [--port N] [--renderer DIR]

Serves Coffer's window to your browser on this computer only (127.0.0.1) and prints the
address to open. The address carries a token that is new on every start: only a browser
that opened it can use the vault. Stop with Ctrl+C; the vault is closed on the way out.

  --vault DIR   the vault folder (default: COFFER_VAULT, else the desktop app's folder:
                ~/.config/Coffer/vault on Linux, ~/Library/Application Support/Coffer/vault
                on macOS, %APPDATA%\\Coffer\\vault on Windows)
  --port N      listen on port N (default: a free port the system picks)
  --renderer DIR  serve this renderer build as it is (default: dist/renderer, built
                first when it is missing or older than renderer/ and shared/)
  --help        show this text
`;

export type WebArgs =
  | { kind: 'help' }
  | { kind: 'run'; vaultDir: string | undefined; port: number; rendererDir: string | undefined }
  | { kind: 'usage-error'; message: string };

/** `vaultDir`/`rendererDir` undefined: use the defaults. Relative folders are made absolute. */
export function parseWebArgs(argv: readonly string[], env: NodeJS.ProcessEnv): WebArgs {
  let vault = env['COFFER_VAULT'] === '' ? undefined : env['COFFER_VAULT'];
  let port = 0;
  let renderer: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return { kind: 'help' };
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    if (name !== '--vault' && name !== '--port' && name !== '--renderer') {
      return { kind: 'usage-error', message: `unknown argument: ${arg}` };
    }
    const value = eq !== -1 && arg.startsWith('--') ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') {
      return { kind: 'usage-error', message: `${name} needs a value` };
    }
    if (name === '--vault') {
      vault = value;
    } else if (name === '--renderer') {
      renderer = path.resolve(value);
    } else {
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65535) {
        return { kind: 'usage-error', message: '--port needs a port number (0 to 65535)' };
      }
      port = Number(value);
    }
  }
  return {
    kind: 'run',
    vaultDir: vault === undefined ? undefined : path.resolve(vault),
    port,
    rendererDir: renderer,
  };
}
