import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startSyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import type { SyncServerProcess } from '../core/sync/client/testing/sync-server-process.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { openVault } from '../core/vault/vault.js';
import { cliFailed, cliOk, keychainScratch } from './testing/cli-json.js';
import { accountArgs, initScratchVault } from './testing/sync-cli.js';
import { CLOCKS_COLUMN, RECORD_SPECS } from '../core/export/export-tables.js';

/**
 * The first upload: a vault that held books before it was linked to sync sends them all on
 * its first `coffer sync`, and a second device ends with exactly the same records. Real
 * server in a child process, the CLI in child processes, real vaults and keychain.
 * @module-tag secret-service
 */
const scratch = keychainScratch('coffer-cli-first-upload-');
const PASSWORD = 'harbour violet quill 58';

let server: SyncServerProcess;
let files: string;

beforeAll(async () => {
  server = await startSyncServerProcess();
  files = await mkdtemp(join(tmpdir(), 'coffer-first-upload-files-'));
}, 120_000);
afterAll(async () => {
  await server?.stop();
  if (files !== undefined) await rm(files, { recursive: true, force: true });
});

const account = (address: string): string[] => accountArgs(server, address);

/** Collections a sync carries, as the export writes them (the invoice counter is the device's own). */
const SYNCED = [
  'accounts',
  'categories',
  'payees',
  'transactions',
  'transaction_splits',
  'budgets',
  'clients',
  'invoices',
  'invoice_lines',
  'payments',
  'payment_allocations',
];

type Row = Record<string, unknown>;

async function exported(vault: string, name: string): Promise<Record<string, Row[]>> {
  const out = join(files, `${name}.json`);
  await cliOk(vault, ['export', '--out', out]);
  const doc = JSON.parse(await readFile(out, 'utf8')) as { collections: Record<string, Row[]> };
  const key = (row: Row): string =>
    JSON.stringify([
      row.id ?? null,
      row.transaction_id ?? null,
      row.invoice_id ?? null,
      row.position ?? null,
      row.payment_id ?? null,
    ]);
  return Object.fromEntries(
    SYNCED.map((table) => [
      table,
      [...(doc.collections[table] ?? [])].sort((a, b) => key(a).localeCompare(key(b))),
    ]),
  );
}

interface Balance {
  accountId: string;
  balanceMinor: number;
}

const balances = async (vault: string): Promise<Balance[]> =>
  ((await cliOk(vault, ['account', 'list'])) as unknown as { accounts: Balance[] }).accounts
    .map(({ accountId, balanceMinor }) => ({ accountId, balanceMinor }))
    .sort((a, b) => a.accountId.localeCompare(b.accountId));

/** A local-only vault may keep no clock for a record: the upload must stamp one. */
async function forgetClocks(vault: string, recordIds: string[]): Promise<number> {
  const opened = await openVault({ dir: vault, keyStore: new KeychainKeyStore() });
  try {
    const remove = opened.db.prepare('DELETE FROM record_clocks WHERE record_id = ?');
    const clear = RECORD_SPECS.map(({ table }) =>
      opened.db.prepare(
        `UPDATE "${table}" SET ${CLOCKS_COLUMN} = NULL WHERE id = ? AND ${CLOCKS_COLUMN} IS NOT NULL`,
      ),
    );
    return recordIds.reduce(
      (n, id) => n + remove.run(id).changes + clear.reduce((m, s) => m + s.run(id).changes, 0),
      0,
    );
  } finally {
    opened.close();
  }
}

/** Tombstones are not exported (only live records are): read them from the vault itself. */
async function tombstones(vault: string): Promise<Row[]> {
  const opened = await openVault({ dir: vault, keyStore: new KeychainKeyStore() });
  try {
    return ['accounts', 'categories', 'payees', 'transactions', 'clients', 'invoices'].flatMap(
      (table) =>
        opened.db
          .prepare(
            `SELECT '${table}' AS tbl, id, deleted_at, updated_at FROM ${table} WHERE deleted_at IS NOT NULL ORDER BY id`,
          )
          .all() as Row[],
    );
  } finally {
    opened.close();
  }
}

const QIF = `!Type:Bank
D11/03/2026
T-120.00
PHardware Store
LHome
SHome
$-80.00
EPaint
SGarden
$-40.00
ESeeds
^
D11/04/2026
T2500.00
PClient Co
LIncome
^
`;

describe('first upload of a vault that held records before it synced', { timeout: 600_000 }, () => {
  it('a second device holds exactly the same records and the same balances after one sync each', async () => {
    const address = `first-upload-${process.pid}@example.test`;
    const laptop = await initScratchVault(scratch, 'laptop');

    // Books kept locally for a while: no outbox, nothing synced.
    await cliOk(laptop, ['account', 'add', '--name', 'Checking', '--currency', 'EUR']);
    await cliOk(laptop, ['account', 'add', '--name', 'Savings', '--currency', 'EUR']);
    await cliOk(laptop, ['category', 'add', '--name', 'Home']);
    await cliOk(laptop, ['category', 'add', '--name', 'Garden']);
    await cliOk(laptop, ['category', 'add', '--name', 'Income', '--kind', 'income']);
    const rent = await cliOk(laptop, [
      'tx',
      'add',
      '--account',
      'Checking',
      '--amount',
      '-1250.00',
      '--date',
      '2026-11-01',
      '--payee',
      'Landlord',
      '--category',
      'Home',
    ]);
    // Edited later: its fields carry two different clocks.
    await cliOk(laptop, ['tx', 'edit', String(rent['id']), '--notes', 'November rent']);
    const mistake = await cliOk(laptop, [
      'tx',
      'add',
      '--account',
      'Savings',
      '--amount',
      '-9.99',
      '--date',
      '2026-11-02',
      '--payee',
      'Typo',
    ]);
    await cliOk(laptop, ['tx', 'delete', String(mistake['id'])]);
    const qif = join(files, 'splits.qif');
    await writeFile(qif, QIF);
    await cliOk(laptop, [
      'import',
      'qif',
      qif,
      '--account',
      'Checking',
      '--date-format',
      'MM/DD/YYYY',
    ]);
    await cliOk(laptop, [
      'budget',
      'set',
      '--month',
      '2026-11',
      '--category',
      'Home',
      '--amount',
      '1500',
      '--currency',
      'EUR',
    ]);
    const client = await cliOk(laptop, [
      'client',
      'add',
      '--name',
      'Client Co',
      '--email',
      'ap@client.example',
    ]);
    const invoice = await cliOk(laptop, [
      'invoice',
      'create',
      '--client',
      'Client Co',
      '--currency',
      'EUR',
      '--line',
      'Design work|10|85.00|20',
      '--line',
      'Hosting|1|40.00',
    ]);
    await cliOk(laptop, ['invoice', 'issue', String(invoice['id']), '--date', '2026-11-05']);
    await cliOk(laptop, [
      'invoice',
      'pay',
      String(invoice['id']),
      '--amount',
      '500.00',
      '--date',
      '2026-11-20',
    ]);

    // A local-only vault keeps no clock rows at all: every record is stamped as it goes up.
    expect(await forgetClocks(laptop, [String(client['id']), String(rent['id'])])).toBe(0);

    const before = await exported(laptop, 'laptop-before');
    expect(before['transaction_splits']?.length).toBe(2);
    const deleted = await tombstones(laptop);
    expect(deleted).toEqual([expect.objectContaining({ tbl: 'transactions', id: mistake['id'] })]);

    const registered = await cliOk(
      laptop,
      ['sync', 'register', ...account(address)],
      `${PASSWORD}\n`,
    );
    await cliOk(laptop, ['workspace', 'create', '--name', 'Household']);
    const first = (await cliOk(laptop, ['sync'])) as { pushed: number; pushRejected: unknown[] };
    const records = SYNCED.filter(
      (t) => !['transaction_splits', 'invoice_lines', 'payment_allocations'].includes(t),
    ).reduce((n, t) => n + (before[t]?.length ?? 0), 0);
    expect(first.pushed).toBeGreaterThanOrEqual(records);
    expect(first.pushRejected).toEqual([]);
    expect((await cliOk(laptop, ['status']))['pendingChanges']).toBe(0);
    // Sent once: a second sync has nothing left to upload.
    expect(((await cliOk(laptop, ['sync'])) as { pushed: number }).pushed).toBe(0);

    const desktop = await initScratchVault(scratch, 'desktop');
    await cliOk(
      desktop,
      ['sync', 'login', ...account(address), '--recovery-key-stdin'],
      `${PASSWORD}\n${String(registered['recoveryKey'])}\n`,
    );
    const pulled = (await cliOk(desktop, ['sync'])) as {
      applied: number;
      refused: unknown[];
      deferred: number;
    };
    expect(pulled.refused).toEqual([]);
    expect(pulled.deferred).toBe(0);

    expect(await exported(desktop, 'desktop')).toEqual(await exported(laptop, 'laptop-after'));
    expect(await exported(laptop, 'laptop-after-again')).toEqual(before);
    expect(await tombstones(desktop)).toEqual(deleted);
    const laptopBalances = await balances(laptop);
    expect(laptopBalances.length).toBe(2);
    expect(await balances(desktop)).toEqual(laptopBalances);
    expect((await cliOk(desktop, ['conflicts', 'list']))['conflicts']).toEqual([]);
  });

  it("joining another user's workspace from a vault that holds records is refused, and nothing is linked", async () => {
    const admin = await initScratchVault(scratch, 'admin');
    await cliOk(
      admin,
      ['sync', 'register', ...account(`admin-${process.pid}@example.test`)],
      `${PASSWORD}\n`,
    );
    await cliOk(admin, ['workspace', 'create', '--name', 'Studio']);
    const memberAddress = `member-${process.pid}@example.test`;
    const invite = await cliOk(admin, [
      'workspace',
      'invite',
      '--email',
      memberAddress,
      '--role',
      'member',
    ]);

    const member = await initScratchVault(scratch, 'member');
    const memberKey = await cliOk(
      member,
      ['sync', 'register', ...account(memberAddress)],
      `${PASSWORD}\n`,
    );
    await cliOk(member, ['account', 'add', '--name', 'Private savings', '--currency', 'EUR']);
    const refused = await cliFailed(member, ['workspace', 'join', '--', String(invite['token'])]);
    expect(refused.error.code, refused.error.message).toBe('INVALID_STATE');
    expect(refused.error.message).toContain('accounts');
    expect((await cliOk(member, ['sync', 'status']))['workspace']).toBeNull();

    // The invite was not spent: an empty vault of the same account joins with it.
    const fresh = await initScratchVault(scratch, 'member-fresh');
    await cliOk(
      fresh,
      ['sync', 'login', ...account(memberAddress), '--recovery-key-stdin'],
      `${PASSWORD}\n${String(memberKey['recoveryKey'])}\n`,
    );
    const joined = await cliOk(fresh, ['workspace', 'join', '--', String(invite['token'])]);
    expect(joined['role']).toBe('member');
  });
});
