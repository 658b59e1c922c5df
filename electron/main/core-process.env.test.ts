import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coreProcessEnv } from './core-process.env.js';

describe('coreProcessEnv', () => {
  it('on Linux, asks glibc for huge pages and keeps the rest of the environment', () => {
    const base = { PATH: '/usr/bin', HOME: '/home/ana' };
    const env = coreProcessEnv(base, 'linux');
    expect(env).toEqual({ ...base, GLIBC_TUNABLES: 'glibc.malloc.hugetlb=1' });
    expect(base).toEqual({ PATH: '/usr/bin', HOME: '/home/ana' });
  });

  it("adds to the user's own tunables, and their choice for huge pages wins", () => {
    expect(
      coreProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.arena_max=2' }, 'linux').GLIBC_TUNABLES,
    ).toBe('glibc.malloc.arena_max=2:glibc.malloc.hugetlb=1');
    expect(
      coreProcessEnv({ GLIBC_TUNABLES: 'glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2' }, 'linux')
        .GLIBC_TUNABLES,
    ).toBe('glibc.malloc.hugetlb=0:glibc.malloc.arena_max=2');
  });

  it.each(['darwin', 'win32'] as const)('changes nothing on %s', (platform) => {
    expect(coreProcessEnv({ PATH: 'x' }, platform)).toEqual({ PATH: 'x' });
  });
});

/** What the kernel does with huge pages asked for by madvise: always, madvise or never. */
function hugePageMode(): string | null {
  const file = '/sys/kernel/mm/transparent_hugepage/enabled';
  if (process.platform !== 'linux' || !existsSync(file)) return null;
  return /\[(\w+)\]/.exec(readFileSync(file, 'utf8'))?.[1] ?? null;
}

/** AnonHugePages (KiB) of a Node child that allocated and filled 64 MiB. */
function childHugePagesKiB(env: Record<string, string | undefined>): number {
  const script = `
    const held = Buffer.alloc(64 * 1024 * 1024, 1);
    const rollup = require('node:fs').readFileSync('/proc/self/smaps_rollup', 'utf8');
    process.stdout.write(String(/AnonHugePages:\\s+(\\d+)/.exec(rollup)[1] + ' ' + held.length));
  `;
  const out = execFileSync(process.execPath, ['-e', script], { env, encoding: 'utf8' });
  return Number(out.split(' ')[0]);
}

describe('the core process environment, in a real child process', () => {
  const mode = hugePageMode();

  it.runIf(mode !== null)(
    'backs large allocations with huge pages where the kernel offers them on request',
    () => {
      const base = { ...process.env };
      delete base['GLIBC_TUNABLES'];
      const ours = childHugePagesKiB(coreProcessEnv(base, 'linux'));
      const plain = childHugePagesKiB(base);
      if (mode === 'never') {
        expect([ours, plain]).toEqual([0, 0]);
      } else {
        // 64 MiB in 2 MiB pages: most of it, whatever the allocator kept for itself.
        expect(ours).toBeGreaterThanOrEqual(32 * 1024);
        if (mode === 'madvise') expect(plain).toBe(0);
      }
    },
  );
});
