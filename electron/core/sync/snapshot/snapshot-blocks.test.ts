import { randomBytes, randomUUID } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../../shared/ids/uuidv7.js';
import type { SnapshotManifest } from '../../../../shared/sync/snapshot.js';
import type { Vault } from '../../vault/vault.js';
import { T0, canonicalDump, createDevice, type Device } from '../apply/apply-test-kit.js';
import { WorkspaceKeyring } from '../crypto/workspace-keyring.js';
import { bulkLoadSnapshot } from './snapshot-bulk-load.js';
import { sealChunk } from './snapshot-cipher.js';
import { packSnapshot, snapshotEntries, type PackedSnapshot } from './snapshot-codec.js';
import { emitSnapshotLines, RECORD_BLOCK_MAX, SNAPSHOT_FORMAT_VERSION } from './snapshot-lines.js';
import { parseBlock, recordLines } from './snapshot-test-kit.js';

/**
 * Record blocks (versions 3 and 4): what a writer emits as blocks loads exactly as the same
 * records line by line did, and a block that is malformed, or holds a value the vault
 * refuses, applies nothing.
 */
const WORKSPACE = uuidv7(T0);
const keyring = new WorkspaceKeyring(WORKSPACE, [
  { workspaceId: WORKSPACE, version: 1, key: randomBytes(32) },
]);

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const cleanup of cleanups) cleanup();
  cleanups = [];
});

async function device(): Promise<Device> {
  const d = await createDevice();
  cleanups.push(() => d.cleanup());
  return d;
}

function load(vault: Vault, packed: PackedSnapshot): ReturnType<typeof bulkLoadSnapshot> {
  return bulkLoadSnapshot(
    vault,
    packed.manifest.seq,
    snapshotEntries(packed.manifest, keyring, (i) => packed.chunks[i]!),
  );
}

/** Seals `lines` (header and end line included) as a snapshot of one chunk. */
function seal(lines: readonly string[]): PackedSnapshot {
  const manifest: SnapshotManifest = {
    snapshotId: randomUUID(),
    seq: 5,
    keyVersion: 1,
    chunkCount: 1,
    byteLength: 0,
  };
  const chunk = sealChunk(gzipSync(`${lines.join('\n')}\n`), keyring.current(), {
    ...manifest,
    workspaceId: WORKSPACE,
    index: 0,
  });
  return { manifest: { ...manifest, byteLength: chunk.length }, chunks: [chunk] };
}

function linesOf(vault: Vault): string[] {
  const lines: string[] = [];
  vault.transaction(() => emitSnapshotLines(vault, (line) => lines.push(line)));
  return lines;
}

function recordCount(vault: Vault): number {
  return vault.db.prepare<[], number>('SELECT count(*) FROM transactions').pluck().get()!;
}

/** A writer holding an account and `count` transactions. */
async function writer(count: number): Promise<Device> {
  const a = await device();
  a.accounts.create({ name: 'Checking', currency: 'EUR' });
  for (let i = 0; i < count; i++) {
    a.transactions.create({ accountId: 'Checking', date: '2026-01-09', amountMinor: -(i + 1) });
  }
  return a;
}

/** The index of the transactions' block, parsed. */
function transactionsBlock(lines: readonly string[]): { at: number; block: unknown[] } {
  const at = lines.findIndex((line) => line.startsWith('["R","transactions"'));
  expect(at).toBeGreaterThan(0);
  return { at, block: parseBlock(lines[at]!) };
}

describe('snapshot record blocks: round trip', () => {
  it('records written as blocks load as the writer holds them, and as the same records line by line', async () => {
    const transaction = fc.record({
      amountMinor: fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
      day: fc.integer({ min: 1, max: 28 }),
      notes: fc.option(fc.string({ unit: 'grapheme', maxLength: 300 }), { nil: undefined }),
      deleted: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.array(transaction, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 600, max: 1_000_000 }),
        async (transactions, chunkMax) => {
          const a = await device();
          a.accounts.create({ name: 'Checking', currency: 'EUR' });
          for (const t of transactions) {
            const created = a.transactions.create({
              accountId: 'Checking',
              date: `2026-02-${String(t.day).padStart(2, '0')}`,
              amountMinor: t.amountMinor,
              ...(t.notes === undefined ? {} : { notes: t.notes }),
            });
            if (t.deleted) a.transactions.delete(created.id);
          }
          const packed = packSnapshot(
            a.vault,
            keyring.current(),
            { snapshotId: randomUUID(), seq: 3 },
            chunkMax,
          );
          const fromBlocks = await device();
          load(fromBlocks.vault, packed);
          expect(canonicalDump(fromBlocks)).toEqual(canonicalDump(a));

          const lines = linesOf(a.vault);
          expect(JSON.parse(lines[0]!)).toEqual([
            'coffer-snapshot',
            SNAPSHOT_FORMAT_VERSION,
            expect.anything(),
          ]);
          expect(lines.some((line) => line.startsWith('["R",'))).toBe(true);
          expect(lines.some((line) => line.startsWith('["r",'))).toBe(false);
          const fromLines = await device();
          load(fromLines.vault, seal(recordLines(lines)));
          expect(canonicalDump(fromLines)).toEqual(canonicalDump(a));
          for (const d of [a, fromBlocks, fromLines]) d.cleanup();
          cleanups = [];
        },
      ),
      { numRuns: 8 },
    );
  });

  it('a block never holds more than its bound of records, and records of another shape start a new one', async () => {
    const a = await writer(RECORD_BLOCK_MAX + 3);
    a.transactions.delete(a.transactions.list({ limit: 1 })[0]!.id);
    const blocks = linesOf(a.vault)
      .filter((line) => line.startsWith('["R","transactions"'))
      .map((line) => JSON.parse(line) as [string, string, string[], string[]]);
    expect(blocks.length).toBeGreaterThanOrEqual(3);
    for (const [, , , ids] of blocks) expect(ids.length).toBeLessThanOrEqual(RECORD_BLOCK_MAX);
    expect(blocks.reduce((sum, [, , , ids]) => sum + ids.length, 0)).toBe(RECORD_BLOCK_MAX + 3);
    // The tombstone carries one field more than the others: a block of its own.
    expect(blocks.filter(([, , fields]) => fields.includes('deletedAt'))).toHaveLength(1);
  });
});

describe('snapshot record blocks: a column of equal values (version 4)', () => {
  it('is written once for the block, and loads as every record holding it', async () => {
    const a = await writer(5);
    const lines = linesOf(a.vault);
    const at = lines.findIndex((line) => line.startsWith('["R","transactions"'));
    const raw = JSON.parse(lines[at]!) as [string, string, string[], string[], string[], unknown[]];
    const column = (field: string): unknown => raw[5][raw[2].indexOf(field)];
    const accountId = a.accounts.resolveAccount('Checking').id;
    expect(column('accountId')).toEqual({ '=': accountId });
    expect(column('currency')).toEqual({ '=': 'EUR' });
    // Values that differ stay a list.
    expect(column('amountMinor')).toEqual([-1, -2, -3, -4, -5]);
    const target = await device();
    load(target.vault, seal(lines));
    expect(canonicalDump(target)).toEqual(canonicalDump(a));
  });

  it('a version 3 snapshot, every column a list, still loads the same', async () => {
    const a = await writer(4);
    const lines = linesOf(a.vault).map((line) => {
      if (line.startsWith('["coffer-snapshot"')) {
        const header = JSON.parse(line) as unknown[];
        header[1] = 3;
        return JSON.stringify(header);
      }
      return line.startsWith('["R",') ? JSON.stringify(parseBlock(line)) : line;
    });
    expect(lines.some((line) => line.includes('{"=":'))).toBe(false);
    const target = await device();
    load(target.vault, seal(lines));
    expect(canonicalDump(target)).toEqual(canonicalDump(a));
  });
});

describe('snapshot record blocks: refused whole', () => {
  const malformed: [string, (block: unknown[]) => void][] = [
    ['fewer clocks than records', (b) => (b[4] as unknown[]).pop()],
    ['a column shorter than the records', (b) => (b[5] as unknown[][])[0]!.pop()],
    ['a field named twice', (b) => (b[2] as string[]).splice(1, 1, (b[2] as string[])[0]!)],
    ['a field name that is none', (b) => ((b[2] as string[])[0] = 'no such name!')],
    [
      'no records',
      (b) =>
        b.splice(
          3,
          3,
          [],
          [],
          (b[5] as unknown[][]).map(() => []),
        ),
    ],
    ['a clock that is not text', (b) => ((b[4] as unknown[])[0] = 7)],
    ['a clock naming a ref', (b) => ((b[4] as unknown[])[0] = 'mj2k4ab0.0.~1=t1')],
    ['a record id that is not text', (b) => ((b[3] as unknown[])[0] = 12)],
    ['an extra element', (b) => b.push([])],
    ['a column written once with nothing in it', (b) => ((b[5] as unknown[])[0] = {})],
    [
      'a column written once with a second key',
      (b) => ((b[5] as unknown[])[0] = { '=': 'EUR', also: 'USD' }),
    ],
    ['a column that is neither a list nor written once', (b) => ((b[5] as unknown[])[0] = 'EUR')],
    [
      'more records than a block holds',
      (b) => {
        const grow = <T>(list: T[]): T[] =>
          Array.from({ length: RECORD_BLOCK_MAX + 1 }, (_, i) => list[i % list.length]!);
        b[3] = grow(b[3] as string[]).map((_, i) => `record-${i}`);
        b[4] = grow(b[4] as string[]);
        b[5] = (b[5] as unknown[][]).map(grow);
      },
    ],
  ];
  for (const [what, edit] of malformed) {
    it(`a block line with ${what}`, async () => {
      const a = await writer(3);
      const lines = linesOf(a.vault);
      const { at, block } = transactionsBlock(lines);
      edit(block);
      lines[at] = JSON.stringify(block);
      const target = await device();
      expect(() => load(target.vault, seal(lines))).toThrow(
        expect.objectContaining({ code: 'SNAPSHOT_INVALID' }),
      );
      expect(recordCount(target.vault)).toBe(0);
      expect(target.vault.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(0);
    });
  }

  it('a value the vault refuses in one record of a block: refused, naming that record, nothing applied', async () => {
    const a = await writer(4);
    const lines = linesOf(a.vault);
    const { at, block } = transactionsBlock(lines);
    const fields = block[2] as string[];
    const ids = block[3] as string[];
    (block[5] as unknown[][])[fields.indexOf('amountMinor')]![2] = 'not a whole number';
    lines[at] = JSON.stringify(block);
    const target = await device();
    const refuse = (): unknown => load(target.vault, seal(lines));
    expect(refuse).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
    expect(refuse).toThrow(new RegExp(`record ${ids[2]!}`));
    expect(recordCount(target.vault)).toBe(0);
  });

  it('a UNIQUE key two records of a block share: refused, nothing applied', async () => {
    const a = await writer(4);
    const lines = linesOf(a.vault);
    const { at, block } = transactionsBlock(lines);
    const ids = block[3] as string[];
    ids[3] = ids[0]!;
    lines[at] = JSON.stringify(block);
    const target = await device();
    expect(() => load(target.vault, seal(lines))).toThrow(
      expect.objectContaining({ code: 'SNAPSHOT_INVALID' }),
    );
    expect(recordCount(target.vault)).toBe(0);
  });
});

describe('snapshot record blocks: a field this version does not know', () => {
  it("keeps the block's records pending, as it keeps such record lines, and loads the rest", async () => {
    const a = await writer(3);
    const lines = linesOf(a.vault);
    const { at, block } = transactionsBlock(lines);
    (block[2] as string[]).push('moodOfTheDay');
    (block[5] as unknown[][]).push((block[3] as string[]).map(() => 'sunny'));
    lines[at] = JSON.stringify(block);
    const target = await device();
    const result = load(target.vault, seal(lines));
    expect(result.deferred).toBe(3);
    expect(recordCount(target.vault)).toBe(0);
    expect(target.vault.db.prepare('SELECT count(*) FROM accounts').pluck().get()).toBe(1);
    const pending = target.vault.db
      .prepare<[], string>('SELECT change_json FROM sync_pending')
      .pluck()
      .all()
      .map((json) => JSON.parse(json) as { recordId: string; fields: Record<string, unknown> });
    expect(new Set(pending.map((change) => change.recordId))).toEqual(
      new Set(block[3] as string[]),
    );
    expect(pending.some((change) => change.fields.moodOfTheDay === 'sunny')).toBe(true);
  });
});

describe('snapshot record blocks: clocks left to the load', () => {
  const badClocks = (writerId: string): string[] => [
    'mj2k4ab0.0.~1=t1',
    `zzzzzzzzzz.0.${writerId}=t1`,
    `mj2k4ab0.0.${writerId}=t9`,
    `mj2k4ab0.0.${writerId}=t1;`,
    'not clocks at all',
  ];
  for (const shape of ['a block', 'a record line'] as const) {
    it(`refuses clocks it cannot read in ${shape} when the reader left them unchecked`, async () => {
      const a = await writer(3);
      for (const bad of badClocks(a.vault.deviceId)) {
        const written = linesOf(a.vault);
        const lines = shape === 'a block' ? written : recordLines(written);
        const at = lines.findIndex((line) =>
          line.startsWith(shape === 'a block' ? '["R","transactions"' : '["r","transactions"'),
        );
        const line = JSON.parse(lines[at]!) as unknown[];
        if (shape === 'a block') (line[4] as string[])[1] = bad;
        else line[4] = bad;
        lines[at] = JSON.stringify(line);
        const packed = seal(lines);
        const target = await device();
        expect(() =>
          bulkLoadSnapshot(
            target.vault,
            packed.manifest.seq,
            snapshotEntries(packed.manifest, keyring, (i) => packed.chunks[i]!, {
              checkClocks: false,
            }),
          ),
        ).toThrow(expect.objectContaining({ code: 'SNAPSHOT_INVALID' }));
        expect(recordCount(target.vault)).toBe(0);
      }
    });
  }

  it('rows that break a UNIQUE index are refused as the indexes are made again, and nothing is applied', async () => {
    const a = await writer(3);
    const lines = linesOf(a.vault);
    const { at, block } = transactionsBlock(lines);
    // Two rows one UNIQUE index cannot hold: refused as the indexes are made again.
    const importIds = (block[5] as unknown[][])[(block[2] as string[]).indexOf('importId')]!;
    importIds[0] = 'same-row';
    importIds[1] = 'same-row';
    lines[at] = JSON.stringify(block);
    const refused = await device();
    expect(() => load(refused.vault, seal(lines))).toThrow(/UNIQUE|rules/);
    expect(recordCount(refused.vault)).toBe(0);
  });
});
