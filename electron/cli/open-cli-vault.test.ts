import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from './cli.js';
import { memoryIo } from './testing/memory-io.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);

describe('yearly key rotation on open', () => {
  let root: string;
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('rotates a key older than a year the next time the vault is opened, not before', async () => {
    root = mkdtempSync(join(tmpdir(), 'coffer-rotate-'));
    // A key file keeps this test independent of the keychain; the rotation path is the same.
    const base = ['--vault', join(root, 'v'), '--key-file', join(root, 'k'), '--json'];
    expect(await runCli([...base, 'init'], memoryIo(T0))).toBe(0);

    const early = memoryIo(T0 + 300 * DAY);
    expect(await runCli([...base, 'status'], early)).toBe(0);
    expect(JSON.parse(early.out)).toMatchObject({ keyAgeDays: 300 });
    expect(early.err).not.toContain('rotated');

    const late = memoryIo(T0 + 366 * DAY);
    expect(await runCli([...base, 'status'], late)).toBe(0);
    expect(late.err).toContain('rotated');
    expect(JSON.parse(late.out)).toMatchObject({ keyAgeDays: 0 });
  });
});
