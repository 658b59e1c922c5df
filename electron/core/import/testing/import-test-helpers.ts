/** Test-only helpers shared by the import tests. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import type { ParsedStatement, StatementItem, StatementRow } from '../statement.js';
import type { Vault } from '../../vault/vault.js';
import { clockedRecords } from '../../testing/clocked-records.js';

export const fixturePath = (name: string): string =>
  new URL(`../fixtures/${name}`, import.meta.url).pathname;

/** Row counts of the tables an import may write, tombstones included. */
export function writeCounts(vault: Vault): Record<string, number> {
  const tables = [
    'transactions',
    'transaction_splits',
    'payees',
    'categories',
    'outbox',
    'record_clocks',
  ];
  return Object.fromEntries(
    tables.map((t) => [
      t,
      t === 'record_clocks'
        ? clockedRecords(vault.db)
        : Number(vault.db.prepare(`SELECT count(*) FROM ${t}`).pluck().get()),
    ]),
  );
}

export async function expectCofferError(promise: Promise<unknown>): Promise<CofferError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof CofferError) return err;
    throw err;
  }
  throw new Error('expected a CofferError');
}

export function tempDir(): {
  dir: string;
  file(name: string, content: string | Buffer): string;
  cleanup(): void;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coffer-import-'));
  return {
    dir,
    file(name, content) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, content);
      return file;
    },
    cleanup() {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The CofferError a synchronous reader throws; any other outcome fails the test. */
export function cofferErrorOf(fn: () => unknown): CofferError {
  try {
    fn();
  } catch (err) {
    if (err instanceof CofferError) return err;
    throw err;
  }
  throw new Error('expected a CofferError');
}

/** Every item of a statement (rows and skipped lines), read once. */
export function itemsOf(statement: ParsedStatement | undefined): StatementItem[] {
  return [...(statement?.items() ?? [])];
}

/** A row item as the reader tests spell it: every field, extras as [label, value] pairs. */
export function rowItem(
  row: Pick<StatementRow, 'line' | 'date' | 'amountMinor' | 'currency' | 'payee' | 'memo'> & {
    externalId: string | null;
    extras: [string, string][];
  },
): unknown {
  return {
    kind: 'row',
    row: {
      ...row,
      category: null,
      extras: row.extras.map(([label, value]) => ({ label, value })),
      descriptionKey: expect.any(String) as unknown,
      splits: [],
    },
  };
}
