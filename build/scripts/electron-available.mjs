// Whether `npm start` can open the desktop window here. Minimal version for web mode's
// fallback; the Electron shell's own check replaces it with the same export.
// The `electron` package's main export is its binary's path, and requiring it throws when
// its install step did not download the binary (ELECTRON_SKIP_BINARY_DOWNLOAD, offline).
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
    binary = createRequire(path.join(root, 'package.json'))('electron');
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, reason: `the electron package has no binary here (${detail})` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) {
    return { ok: false, reason: `the Electron binary is missing (${String(binary)})` };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return {
      ok: false,
      reason: 'no display to open a window on (DISPLAY and WAYLAND_DISPLAY are unset)',
    };
  }
  return { ok: true, path: binary };
}
