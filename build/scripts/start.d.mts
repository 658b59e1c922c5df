// Types for start.mjs, so its test can import it.
import type { ElectronBinary } from './electron-available.mjs';

export interface StartPlan {
  mode: 'electron' | 'web';
  command: string;
  args: string[];
  notice: string | null;
}

export function startPlan(found: ElectronBinary, args: string[]): StartPlan;

export function start(options?: {
  args?: string[];
  root?: string;
  found?: ElectronBinary;
  write?: (text: string) => void;
  run?: (plan: StartPlan, root: string) => Promise<number>;
}): Promise<number>;
