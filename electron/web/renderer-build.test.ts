import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { rendererBuildIsStale } from './renderer-build.js';

const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
});

/** A project whose every file has the same modification time, `at` (seconds). */
function project(at: number): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-build-'));
  roots.push(root);
  const files = [
    'renderer/index.html',
    'renderer/vite.config.ts',
    'renderer/src/app.tsx',
    'renderer/src/screens/ledger.tsx',
    'renderer/src/screens/ledger.test.tsx',
    'shared/money/money.ts',
    'shared/money/money.test.ts',
    'dist/renderer/index.html',
  ];
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), file);
    fs.utimesSync(path.join(root, file), at, at);
  }
  return root;
}

function touch(root: string, file: string, at: number): void {
  fs.utimesSync(path.join(root, file), at, at);
}

describe('the renderer build is remade when it is missing or older than its sources', () => {
  it('is fresh when nothing changed after the build', () => {
    expect(rendererBuildIsStale(project(1_000_000))).toBeNull();
  });

  it('is stale without dist/renderer/index.html', () => {
    const root = project(1_000_000);
    fs.rmSync(path.join(root, 'dist'), { recursive: true });
    expect(rendererBuildIsStale(root)).toBe(
      path.join('dist', 'renderer', 'index.html') + ' is missing',
    );
  });

  it.each([
    'renderer/index.html',
    'renderer/vite.config.ts',
    'renderer/src/screens/ledger.tsx',
    'shared/money/money.ts',
  ])('is stale when %s is newer than the build', (file) => {
    const root = project(1_000_000);
    touch(root, file, 1_000_100);
    expect(rendererBuildIsStale(root)).toBe(`${path.normalize(file)} changed since the last build`);
  });

  it('ignores tests beside the sources', () => {
    const root = project(1_000_000);
    touch(root, 'renderer/src/screens/ledger.test.tsx', 1_000_100);
    touch(root, 'shared/money/money.test.ts', 1_000_100);
    expect(rendererBuildIsStale(root)).toBeNull();
  });
});
