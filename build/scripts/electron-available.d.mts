// Types for electron-available.mjs, so TypeScript callers and tests can import it.
export type ElectronBinary = { ok: true; path: string } | { ok: false; reason: string };

export function electronBinary(options?: {
  root?: string;
  env?: NodeJS.ProcessEnv;
  platform?: NodeJS.Platform;
}): ElectronBinary;
