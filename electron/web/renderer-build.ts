/**
 * Web mode serves the renderer's Vite build (`dist/renderer/`). It is built before
 * serving when it is missing or older than anything it is built from, so `npm run
 * start:web` after an edit never shows yesterday's screens.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

export const RENDERER_BUILD_DIR = path.join('dist', 'renderer');
export const RENDERER_VITE_CONFIG = path.join('renderer', 'vite.config.ts');

/** What the build is made from, relative to the project root. */
const SOURCES = [
  path.join('renderer', 'src'),
  path.join('renderer', 'index.html'),
  RENDERER_VITE_CONFIG,
  'shared',
];

/** Why the build at `root` must be (re)made, or null when it is up to date. */
export function rendererBuildIsStale(root: string): string | null {
  const index = path.join(root, RENDERER_BUILD_DIR, 'index.html');
  if (!existsSync(index)) return `${path.join(RENDERER_BUILD_DIR, 'index.html')} is missing`;
  const built = statSync(index).mtimeMs;
  for (const source of SOURCES) {
    const newer = firstNewerFile(path.join(root, source), built);
    if (newer !== null) return `${path.relative(root, newer)} changed since the last build`;
  }
  return null;
}

function firstNewerFile(entry: string, than: number): string | null {
  let stats;
  try {
    stats = statSync(entry);
  } catch {
    return null;
  }
  // Tests beside the sources are not part of the bundle.
  if (stats.isFile()) return stats.mtimeMs > than && !/\.test\.tsx?$/.test(entry) ? entry : null;
  if (!stats.isDirectory()) return null;
  for (const name of readdirSync(entry)) {
    if (name === 'node_modules') continue;
    const found = firstNewerFile(path.join(entry, name), than);
    if (found !== null) return found;
  }
  return null;
}

/** Runs `vite build` with the renderer's config; its output goes to stderr. */
export function buildRenderer(root: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.platform === 'win32' ? 'npx.cmd' : 'npx',
      ['--no-install', 'vite', 'build', '--config', RENDERER_VITE_CONFIG],
      { cwd: root, stdio: ['ignore', process.stderr, process.stderr] },
    );
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`vite build failed (${signal ?? `exit ${code}`})`));
    });
  });
}
