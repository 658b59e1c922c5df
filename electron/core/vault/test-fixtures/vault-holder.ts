import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { tsEntryArgs } from '../../testing/ts-entry.js';

const CHILD = fileURLToPath(new URL('./vault-holder.child.ts', import.meta.url));

/** Rows per committed batch in `writer` mode. */
export const BATCH_ROWS = 200;

export type HolderMode = 'open' | 'write-lock' | 'writer';

export interface VaultHolder {
  /** Closes the child's stdin and resolves its summary line once it has exited. */
  release(): Promise<Record<string, unknown>>;
}

/** Starts vault-holder.child.ts and resolves once the child holds the vault. */
export function holdVault(mode: HolderMode, dir: string, keyFile: string): Promise<VaultHolder> {
  const child = spawn(process.execPath, [...tsEntryArgs(CHILD), mode, dir, keyFile], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  const lines = () => stdout.split('\n').filter(Boolean);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    void exited.then((code) => reject(new Error(`holder exited early (${code}): ${stderr}`)));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (!lines().some((line) => line.includes('"ready"'))) return;
      resolve({
        async release() {
          child.stdin.end();
          const code = await exited;
          if (code !== 0) throw new Error(`holder failed (${code}): ${stderr}`);
          return JSON.parse(lines().pop() as string) as Record<string, unknown>;
        },
      });
    });
  });
}
