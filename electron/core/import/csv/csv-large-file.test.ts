import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_IMPORT_FILE_BYTES } from '../import-file.js';
import { tempDir } from '../testing/import-test-helpers.js';
import { fileTextSource } from '../text-source.js';
import { readCsvStatement } from './read-csv-statement.js';

let files: ReturnType<typeof tempDir> | null = null;
afterEach(() => files?.cleanup());

describe('a statement at the size limit', () => {
  it('reads a file just under 20 MiB row by row', () => {
    files = tempDir();
    const file = path.join(files.dir, 'big.csv');
    const fd = fs.openSync(file, 'w');
    fs.writeSync(fd, 'Date;Beschreibung;Betrag;Saldo\n');
    const row = (i: number) =>
      `${String((i % 28) + 1).padStart(2, '0')}.${String((i % 12) + 1).padStart(2, '0')}.2024;"Händler ${i}; Filiale";-${i % 1000},${String(i % 100).padStart(2, '0')};1.000,00\n`;
    let size = 0;
    let rows = 0;
    let block = '';
    for (;;) {
      const next = row(rows);
      if (size + Buffer.byteLength(next) > MAX_IMPORT_FILE_BYTES - 64) break;
      block += next;
      size += Buffer.byteLength(next);
      rows++;
      if (block.length > 1 << 20) {
        fs.writeSync(fd, block);
        block = '';
      }
    }
    fs.writeSync(fd, block);
    fs.closeSync(fd);
    expect(fs.statSync(file).size).toBeGreaterThan(MAX_IMPORT_FILE_BYTES - 1024);

    const statement = readCsvStatement(fileTextSource(file), {
      accountCurrency: 'EUR',
      accountKind: 'checking',
    });
    let count = 0;
    let last = null;
    for (const item of statement.statements[0]?.items() ?? []) {
      if (item.kind !== 'row') throw new Error(`unexpected ${item.kind}`);
      count++;
      last = item.row;
    }
    expect(count).toBe(rows);
    const i = rows - 1;
    expect(last).toMatchObject({
      line: rows + 1,
      payee: `Händler ${i}; Filiale`,
      amountMinor: -((i % 1000) * 100 + (i % 100)),
      extras: [{ label: 'Saldo', value: '1.000,00' }],
    });
  }, 120_000);
});
