// Whether this machine has an Electron binary `npm start` can open the desktop window
// with. The `electron` package only finds its binary when its install step downloaded it
// (skipped with ELECTRON_SKIP_BINARY_DOWNLOAD, or offline); otherwise requiring it throws.
//
//   import { electronBinary } from './electron-available.mjs';
//   const found = electronBinary();
//   if (found.ok) spawn(found.path, ['.']); else say(found.reason) and use web mode.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/**
 * @param {{ root?: string, env?: NodeJS.ProcessEnv, platform?: NodeJS.Platform }} [options]
 * @returns {{ ok: true, path: string } | { ok: false, reason: string }}
 */
export function electronBinary(options = {}) {
  const root = options.root ?? ROOT;
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  let binary;
  try {
    // The package's main export is the binary's path (a string), or it throws.
    binary = createRequire(path.join(root, 'package.json'))('electron');
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `the electron package has no binary here (${detail})` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { ok: false, reason: `the Electron binary is missing: ${String(binary)}` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { ok: false, reason: 'no display: neither DISPLAY nor WAYLAND_DISPLAY is set' };
  }
  return { ok: true, path: binary };
}
