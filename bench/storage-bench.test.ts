import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runStorageBench } from './storage-bench.js';

let dataDir: string | undefined;
afterEach(() => {
  if (dataDir !== undefined) fs.rmSync(dataDir, { recursive: true, force: true });
  dataDir = undefined;
});

describe('storage bench', () => {
  it('reports bytes per transaction for a local-only, a synced and a receiving vault, with no outbox left in any', async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-storage-bench-'));
    const lines: string[] = [];
    const rows = await runStorageBench({
      config: { transactions: 2_000, batch: 500, targetBytes: 500 },
      dataDir,
      log: (line) => lines.push(line),
    });
    expect(rows.map((row) => row.name)).toEqual([
      'bytes on disk per transaction, local-only vault of 2,000 (bytes, not ms)',
      'bytes on disk per transaction, synced vault of 2,000 after acknowledge (bytes, not ms)',
      'bytes on disk per transaction, receiving vault of 2,000 (bytes, not ms)',
    ]);
    // Clocks live in the records' rows: no second row per record, no applied-change log.
    for (const row of rows) {
      expect(row.notes).not.toMatch(/record_clocks \d/);
      expect(row.notes).not.toContain('sync_applied');
    }
    // A synced vault keeps field clocks a local-only one does not.
    expect(rows[1]!.ours_ms).toBeGreaterThan(rows[0]!.ours_ms);
    for (const row of rows) {
      expect(row.target).toBe('500 ms');
      expect(row.baseline_ms).toBe(500);
      expect(row.ours_ms).toBeGreaterThan(100);
      // Before the outbox was trimmed a transaction took ~1.8 KB; the outbox alone ~700 B.
      expect(row.ours_ms).toBeLessThan(1_000);
      expect(row.notes).not.toMatch(/outbox \d/);
    }
    expect(lines).toHaveLength(3);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  });
});
