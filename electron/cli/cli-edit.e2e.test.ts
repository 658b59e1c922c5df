import { describe, expect, it } from 'vitest';
import type { Change } from '../../shared/sync/change.js';
import { KeychainKeyStore } from '../core/vault/keychain.key-store.js';
import { openVault } from '../core/vault/vault.js';
import { runCliProcess } from './testing/run-cli-process.js';
import { cliFailed, cliOk, enableOutbox, keychainScratch } from './testing/cli-json.js';

const scratch = keychainScratch('coffer-cli-edit-');

/** The changes waiting in the vault's outbox for one record, oldest first. */
async function outboxFor(vault: string, recordId: string): Promise<Change[]> {
  const opened = await openVault({ dir: vault, keyStore: new KeychainKeyStore() });
  try {
    return opened.changes
      .pending(100_000)
      .map((entry) => entry.change)
      .filter((change) => change.recordId === recordId);
  } finally {
    opened.close();
  }
}

async function newVault(name: string): Promise<string> {
  const vault = scratch.path(name);
  scratch.vaultIds.push(String((await cliOk(vault, ['init']))['vaultId']));
  await enableOutbox(vault);
  return vault;
}

interface ListedTx {
  id: string;
  amountMinor: number;
}

const listTx = async (vault: string): Promise<ListedTx[]> =>
  ((await cliOk(vault, ['tx', 'list'])) as unknown as { transactions: ListedTx[] }).transactions;

/**
 * `tx|account|category|client|invoice edit|delete` through the real `coffer` process and
 * keychain: each edit or delete goes through the app's services and leaves a sync change.
 * @module-tag secret-service
 */
describe('coffer edit and delete (child process, real keychain)', { timeout: 300_000 }, () => {
  it('tx edit changes each field, clears payee, category and notes, and records each edit', async () => {
    const vault = await newVault('tx-edit');
    await cliOk(vault, ['account', 'add', '--name', 'Yen', '--currency', 'JPY']);
    const food = await cliOk(vault, ['category', 'add', '--name', 'Food']);
    const travel = await cliOk(vault, ['category', 'add', '--name', 'Travel']);
    const tx = await cliOk(vault, [
      'tx',
      'add',
      '--account',
      'Yen',
      '--amount',
      '-1200',
      '--date',
      '2026-11-02',
      '--payee',
      'Ramen Bar',
      '--category',
      'Food',
      '--notes',
      'lunch',
    ]);
    const id = String(tx['id']);
    expect(tx).toMatchObject({ amountMinor: -1200, categoryId: food['id'], notes: 'lunch' });
    const changesAtStart = (await outboxFor(vault, id)).length;

    // The amount is read in the transaction's currency: JPY has no decimals.
    const amount = await cliOk(vault, ['tx', 'edit', id, '--amount', '-980']);
    expect(amount).toMatchObject({ id, amountMinor: -980, currency: 'JPY', date: '2026-11-02' });
    const date = await cliOk(vault, ['tx', 'edit', id, '--date', '2026-11-03']);
    expect(date).toMatchObject({ id, date: '2026-11-03', amountMinor: -980 });
    const payee = await cliOk(vault, ['tx', 'edit', id, '--payee', 'Udon House']);
    expect(payee).toMatchObject({ payeeName: 'Udon House' });
    expect(payee['payeeId']).not.toBe(tx['payeeId']);
    const category = await cliOk(vault, ['tx', 'edit', id, '--category', 'travel']);
    expect(category).toMatchObject({ categoryId: travel['id'] });
    const notes = await cliOk(vault, ['tx', 'edit', id, '--notes', 'team lunch']);
    expect(notes).toMatchObject({ notes: 'team lunch', categoryId: travel['id'] });

    const cleared = await cliOk(vault, [
      'tx',
      'edit',
      id,
      '--payee',
      '',
      '--category',
      '',
      '--notes',
      '',
    ]);
    expect(cleared).toMatchObject({
      id,
      amountMinor: -980,
      date: '2026-11-03',
      payeeId: null,
      payeeName: null,
      categoryId: null,
      notes: '',
    });

    const changes = await outboxFor(vault, id);
    expect(changes.slice(changesAtStart).map((c) => [c.op, Object.keys(c.fields).sort()])).toEqual([
      ['upsert', ['amountMinor', 'updatedAt']],
      ['upsert', ['date', 'updatedAt']],
      ['upsert', ['payeeId', 'updatedAt']],
      ['upsert', ['categoryId', 'updatedAt']],
      ['upsert', ['notes', 'updatedAt']],
      ['upsert', ['categoryId', 'notes', 'payeeId', 'updatedAt']],
    ]);

    const human = await runCliProcess(['--vault', vault, 'tx', 'edit', id, '--amount', '-1000']);
    expect(human.code).toBe(0);
    expect(human.stdout).toContain(`Updated transaction ${id}`);
    expect(human.stdout).toContain('2026-11-03');
  });

  it('tx delete tombstones the transaction and leaves a delete change in the outbox', async () => {
    const vault = await newVault('tx-delete');
    await cliOk(vault, ['account', 'add', '--name', 'Checking', '--currency', 'USD']);
    const add = (amount: string) =>
      cliOk(vault, [
        'tx',
        'add',
        '--account',
        'Checking',
        '--amount',
        amount,
        '--date',
        '2026-11-02',
      ]);
    const kept = await add('-1.00');
    const gone = await add('-2.00');

    const deleted = await cliOk(vault, ['tx', 'delete', String(gone['id'])]);
    expect(deleted).toEqual({ deleted: gone['id'] });
    expect((await listTx(vault)).map((t) => t.id)).toEqual([kept['id']]);
    const changes = await outboxFor(vault, String(gone['id']));
    expect(changes.at(-1)).toMatchObject({ collection: 'transactions', op: 'delete' });
    expect(changes.at(-1)?.fields).toHaveProperty('deletedAt');

    const again = await cliFailed(vault, ['tx', 'delete', String(gone['id'])]);
    expect(again.code).toBe(1);
    expect(again.error.code).toBe('NOT_FOUND');
    const editGone = await cliFailed(vault, ['tx', 'edit', String(gone['id']), '--notes', 'x']);
    expect(editGone.error.code).toBe('NOT_FOUND');

    const human = await runCliProcess(['--vault', vault, 'tx', 'delete', String(kept['id'])]);
    expect(human.code).toBe(0);
    expect(human.stdout).toBe(`Deleted transaction ${String(kept['id'])}\n`);
    expect(await listTx(vault)).toEqual([]);
  });

  it('refuses unknown ids and bad values with the right exit code and code, changing nothing', async () => {
    const vault = await newVault('tx-refusals');
    await cliOk(vault, ['account', 'add', '--name', 'Checking', '--currency', 'USD']);
    const tx = await cliOk(vault, [
      'tx',
      'add',
      '--account',
      'Checking',
      '--amount',
      '-12.34',
      '--date',
      '2026-11-02',
      '--notes',
      'original',
    ]);
    const id = String(tx['id']);
    // A well-formed id no record can have: the vault's ids are UUIDv7 with a real timestamp.
    const unknown = '00000000-0000-7000-8000-000000000000';
    expect(unknown).not.toBe(id);
    const before = await cliOk(vault, ['status']);
    const outboxBefore = await outboxFor(vault, id);

    const cases: [string[], number, string, RegExp][] = [
      [['tx', 'edit', id], 2, 'USAGE', /at least one of --amount/],
      [['tx', 'edit', '--amount', '1'], 2, 'USAGE', /argument/],
      [['tx', 'edit', id, '--colour', 'red'], 2, 'USAGE', /colour/],
      [['tx', 'delete'], 2, 'USAGE', /argument/],
      [['tx', 'edit', unknown, '--amount', '1'], 1, 'NOT_FOUND', /No transaction with id/],
      [['tx', 'edit', 'not-an-id', '--notes', 'x'], 1, 'NOT_FOUND', /No transaction/],
      [['tx', 'delete', unknown], 1, 'NOT_FOUND', /No transaction with id/],
      [['tx', 'edit', id, '--amount', '1.234'], 1, 'TOO_MANY_DECIMALS', /USD allows 2/],
      [['tx', 'edit', id, '--amount', 'twelve'], 1, 'INVALID_AMOUNT', /twelve/],
      [['tx', 'edit', id, '--date', '2026-02-30'], 1, 'INVALID_DATE', /calendar date/],
      [['tx', 'edit', id, '--category', 'Nowhere'], 1, 'NOT_FOUND', /Nowhere/],
      [['tx', 'edit', id, '--notes', 'n'.repeat(10_001)], 1, 'INVALID_INPUT', /10000/],
    ];
    for (const [args, code, errorCode, message] of cases) {
      const run = await cliFailed(vault, args);
      expect(run.code, args.join(' ').slice(0, 80)).toBe(code);
      expect(run.error.code, args.join(' ').slice(0, 80)).toBe(errorCode);
      expect(run.error.message, args.join(' ').slice(0, 80)).toMatch(message);
    }
    expect(await cliOk(vault, ['status'])).toEqual(before);
    expect(await outboxFor(vault, id)).toEqual(outboxBefore);
    expect(await listTx(vault)).toEqual([
      expect.objectContaining({ id, amountMinor: -1234, notes: 'original' }),
    ]);
  });

  it('account and category edit|delete follow the services: in use means archive, not delete', async () => {
    const vault = await newVault('ledger-records');
    const account = await cliOk(vault, [
      'account',
      'add',
      '--name',
      'Checking',
      '--currency',
      'EUR',
    ]);
    const empty = await cliOk(vault, ['account', 'add', '--name', 'Old', '--currency', 'EUR']);
    const food = await cliOk(vault, ['category', 'add', '--name', 'Food']);
    const spare = await cliOk(vault, ['category', 'add', '--name', 'Spare']);
    await cliOk(vault, [
      'tx',
      'add',
      '--account',
      'Checking',
      '--amount',
      '-3.00',
      '--date',
      '2026-11-02',
      '--category',
      'Food',
    ]);

    const renamed = await cliOk(vault, [
      'account',
      'edit',
      'checking',
      '--name',
      'Main',
      '--kind',
      'savings',
      '--opening',
      '100.50',
    ]);
    expect(renamed).toMatchObject({
      id: account['id'],
      name: 'Main',
      kind: 'savings',
      openingBalanceMinor: 10_050,
    });
    const balances = (await cliOk(vault, ['account', 'list'])) as unknown as {
      accounts: { accountId: string; balanceMinor: number }[];
    };
    expect(balances.accounts).toContainEqual(
      expect.objectContaining({ accountId: account['id'], balanceMinor: 10_050 - 300 }),
    );
    const inUse = await cliFailed(vault, ['account', 'delete', 'Main']);
    expect([inUse.code, inUse.error.code]).toEqual([1, 'INVALID_STATE']);
    expect(inUse.error.message).toMatch(/archive it/);
    const archived = await cliOk(vault, ['account', 'edit', 'Main', '--archive']);
    expect(archived).toMatchObject({ id: account['id'], archived: true });
    const listed = (await cliOk(vault, ['account', 'list'])) as unknown as {
      accounts: { accountId: string }[];
    };
    expect(listed.accounts.map((a) => a.accountId)).toEqual([empty['id']]);
    expect(await cliOk(vault, ['account', 'delete', 'Old'])).toEqual({ deleted: empty['id'] });
    expect((await outboxFor(vault, String(empty['id']))).at(-1)).toMatchObject({
      collection: 'accounts',
      op: 'delete',
    });

    const child = await cliOk(vault, [
      'category',
      'edit',
      'spare',
      '--name',
      'Snacks',
      '--parent',
      'Food',
    ]);
    expect(child).toMatchObject({ id: spare['id'], name: 'Snacks', parentId: food['id'] });
    const top = await cliOk(vault, ['category', 'edit', String(spare['id']), '--parent', '']);
    expect(top).toMatchObject({ name: 'Snacks', parentId: null });
    expect((await outboxFor(vault, String(spare['id']))).at(-1)).toMatchObject({
      op: 'upsert',
      fields: expect.objectContaining({ parentId: null }) as unknown,
    });
    const used = await cliFailed(vault, ['category', 'delete', 'Food']);
    expect([used.code, used.error.code]).toEqual([1, 'INVALID_STATE']);
    const hidden = await cliOk(vault, ['category', 'edit', 'Food', '--archive']);
    expect(hidden).toMatchObject({ id: food['id'], archived: true });
    const shown = await cliOk(vault, ['category', 'edit', 'Food', '--unarchive']);
    expect(shown).toMatchObject({ id: food['id'], archived: false });
    expect(await cliOk(vault, ['category', 'delete', 'Snacks'])).toEqual({ deleted: spare['id'] });

    const budget = await cliOk(vault, [
      'budget',
      'set',
      '--month',
      '2026-11',
      '--category',
      'Food',
      '--amount',
      '200',
      '--currency',
      'EUR',
    ]);
    const removed = await cliOk(vault, [
      'budget',
      'delete',
      '--month',
      '2026-11',
      '--category',
      'food',
    ]);
    expect(removed).toEqual({ deleted: budget['id'] });
    expect((await outboxFor(vault, String(budget['id']))).at(-1)).toMatchObject({
      collection: 'budgets',
      op: 'delete',
    });

    const cases: [string[], number, string][] = [
      [['budget', 'delete', '--month', '2026-11', '--category', 'Food'], 1, 'NOT_FOUND'],
      [['budget', 'delete', '--month', '2026-11'], 2, 'USAGE'],
      [['account', 'edit', 'Main'], 2, 'USAGE'],
      [['account', 'edit', 'Main', '--kind', 'piggy'], 2, 'USAGE'],
      [['account', 'edit', 'Main', '--archive', '--unarchive'], 2, 'USAGE'],
      [['account', 'edit', 'Nope', '--name', 'X'], 1, 'NOT_FOUND'],
      [['account', 'edit', 'Main', '--opening', '1.001'], 1, 'TOO_MANY_DECIMALS'],
      [['account', 'delete', 'Nope'], 1, 'NOT_FOUND'],
      [['category', 'edit', 'Food'], 2, 'USAGE'],
      [['category', 'edit', 'Nope', '--name', 'X'], 1, 'NOT_FOUND'],
      [['category', 'delete', 'Snacks'], 1, 'NOT_FOUND'],
    ];
    const before = await cliOk(vault, ['status']);
    for (const [args, code, errorCode] of cases) {
      const run = await cliFailed(vault, args);
      expect([run.code, run.error.code], args.join(' ')).toEqual([code, errorCode]);
    }
    expect(await cliOk(vault, ['status'])).toEqual(before);
  });

  it('client edit|delete, and invoice delete for drafts only: issued ones are voided', async () => {
    const vault = await newVault('invoicing-records');
    const acme = await cliOk(vault, [
      'client',
      'add',
      '--name',
      'Acme',
      '--email',
      'billing@acme.test',
      '--currency',
      'EUR',
    ]);
    const edited = await cliOk(vault, [
      'client',
      'edit',
      'acme',
      '--name',
      'Acme GmbH',
      '--email',
      '',
      '--currency',
      'usd',
      '--tax-id',
      'DE123',
    ]);
    expect(edited).toMatchObject({
      id: acme['id'],
      name: 'Acme GmbH',
      email: null,
      defaultCurrency: 'USD',
      taxId: 'DE123',
    });
    expect((await outboxFor(vault, String(acme['id']))).at(-1)).toMatchObject({
      collection: 'clients',
      op: 'upsert',
    });
    const badEmail = await cliFailed(vault, ['client', 'edit', 'Acme GmbH', '--email', 'nope']);
    expect([badEmail.code, badEmail.error.code]).toEqual([1, 'INVALID_INPUT']);

    const invoice = (line: string) =>
      cliOk(vault, ['invoice', 'create', '--client', 'Acme GmbH', '--line', line]);
    const draft = await invoice('Design|1|100');
    const issued = await invoice('Build|2|50');
    await cliOk(vault, ['invoice', 'issue', String(issued['id']), '--date', '2026-11-01']);

    const redrafted = await cliOk(vault, [
      'invoice',
      'edit',
      String(draft['id']),
      '--line',
      'Design|2|75.50|10',
      '--due-date',
      '2027-01-31',
      '--notes',
      'thanks',
    ]);
    expect(redrafted).toMatchObject({
      id: draft['id'],
      status: 'draft',
      dueDate: '2027-01-31',
      notes: 'thanks',
      totals: { subtotalMinor: 15_100, taxMinor: 1_510, totalMinor: 16_610 },
    });
    const noDue = await cliOk(vault, ['invoice', 'edit', String(draft['id']), '--due-date', '']);
    expect(noDue).toMatchObject({ dueDate: null, notes: 'thanks' });
    const issuedEdit = await cliFailed(vault, ['invoice', 'edit', 'INV-0001', '--notes', 'x']);
    expect([issuedEdit.code, issuedEdit.error.code]).toEqual([1, 'INVALID_STATE']);

    const quote = await cliOk(vault, [
      'quote',
      'create',
      '--client',
      'Acme GmbH',
      '--line',
      'Audit|1|300',
      '--valid-until',
      '2099-01-31',
    ]);
    const requoted = await cliOk(vault, [
      'quote',
      'edit',
      String(quote['id']),
      '--line',
      'Audit|1|250',
      '--valid-until',
      '',
    ]);
    expect(requoted).toMatchObject({
      id: quote['id'],
      validUntil: null,
      totals: { totalMinor: 25_000 },
    });
    expect((await outboxFor(vault, String(quote['id']))).at(-1)).toMatchObject({
      collection: 'quotes',
      op: 'upsert',
    });
    expect(await cliOk(vault, ['quote', 'delete', String(quote['id'])])).toEqual({
      deleted: quote['id'],
    });
    expect((await outboxFor(vault, String(quote['id']))).at(-1)).toMatchObject({
      collection: 'quotes',
      op: 'delete',
    });

    const refused = await cliFailed(vault, ['invoice', 'delete', String(issued['id'])]);
    expect([refused.code, refused.error.code]).toEqual([1, 'INVALID_STATE']);
    expect(refused.error.message).toMatch(/void it instead/);
    const inUse = await cliFailed(vault, ['client', 'delete', 'Acme GmbH']);
    expect([inUse.code, inUse.error.code]).toEqual([1, 'INVALID_STATE']);

    expect(await cliOk(vault, ['invoice', 'delete', String(draft['id'])])).toEqual({
      deleted: draft['id'],
    });
    expect((await outboxFor(vault, String(draft['id']))).at(-1)).toMatchObject({
      collection: 'invoices',
      op: 'delete',
    });
    const voided = await cliOk(vault, ['invoice', 'void', 'INV-0001']);
    expect(voided).toMatchObject({ id: issued['id'], status: 'void', number: 'INV-0001' });
    const unknownInvoice = await cliFailed(vault, ['invoice', 'delete', 'INV-9999']);
    expect([unknownInvoice.code, unknownInvoice.error.code]).toEqual([1, 'NOT_FOUND']);

    const spare = await cliOk(vault, ['client', 'add', '--name', 'Spare Ltd']);
    expect(await cliOk(vault, ['client', 'delete', 'spare ltd'])).toEqual({ deleted: spare['id'] });
    const gone = await cliFailed(vault, ['client', 'edit', 'Spare Ltd', '--phone', '1']);
    expect([gone.code, gone.error.code]).toEqual([1, 'NOT_FOUND']);
    const noOption = await cliFailed(vault, ['client', 'edit', 'Acme GmbH']);
    expect([noOption.code, noOption.error.code]).toEqual([2, 'USAGE']);
  });

  it('help lists the edit and delete commands', async () => {
    const help = await runCliProcess(['--help']);
    expect(help.code).toBe(0);
    for (const usage of [
      'tx edit ID [--amount',
      'tx delete ID',
      'account edit ID|NAME',
      'account delete ID|NAME',
      'category edit ID|NAME',
      'category delete ID|NAME',
      'account edit ID|NAME [--name NAME] [--kind checking|savings',
      'client edit ID|NAME',
      'client delete ID|NAME',
      'invoice delete ID',
      'invoice void ID|NUMBER',
      'invoice edit ID [--client NAME]',
      'quote edit ID [--line',
      'quote delete ID|NUMBER',
      'budget delete --month YYYY-MM --category NAME',
    ]) {
      expect(help.stdout).toContain(`coffer ${usage}`);
    }
  });
});
