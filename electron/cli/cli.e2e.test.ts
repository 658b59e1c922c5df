import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess } from './testing/run-cli-process.js';

/**
 * The command line end to end: a child process per command, the real OS keychain
 * (gnome-keyring under with-keyring.sh), a real SQLCipher vault on disk.
 * @module-tag secret-service
 */
describe('coffer CLI (child process, real keychain)', { timeout: 180_000 }, () => {
  let root: string;
  let vault: string;
  const cli = (...args: string[]) => runCliProcess(['--vault', vault, ...args]);
  const json = async (...args: string[]): Promise<unknown> => {
    const run = await cli('--json', ...args);
    expect(run.stderr, `stderr of ${args.join(' ')}`).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    return JSON.parse(run.stdout);
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'coffer-cli-'));
    vault = join(root, 'vault');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates a vault whose key is in the keychain', async () => {
    const created = (await json('init')) as { vaultId: string; keyStore: string };
    expect(created.keyStore).toBe('keychain');
    const again = await cli('init');
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('VAULT_EXISTS');
  });

  it('keeps the books: accounts, transactions, budgets', async () => {
    await json(
      'account',
      'add',
      '--name',
      'Checking',
      '--currency',
      'USD',
      '--opening',
      '1,000.00',
    );
    await json('category', 'add', '--name', 'Food');
    await json(
      'tx',
      'add',
      '--account',
      'checking',
      '--amount',
      '-12.34',
      '--date',
      '2026-11-02',
      '--payee',
      'Cafe',
      '--category',
      'Food',
    );
    await json(
      'tx',
      'add',
      '--account',
      'Checking',
      '--amount',
      '-7.66',
      '--date',
      '2026-10-30',
      '--category',
      'Food',
    );
    await json(
      'budget',
      'set',
      '--month',
      '2026-11',
      '--category',
      'Food',
      '--amount',
      '400',
      '--currency',
      'USD',
    );

    const list = (await json('tx', 'list', '--month', '2026-11')) as {
      transactions: { amountMinor: number }[];
    };
    expect(list.transactions.map((t) => t.amountMinor)).toEqual([-1234]);
    const accounts = (await json('account', 'list')) as { accounts: { balanceMinor: number }[] };
    expect(accounts.accounts[0]?.balanceMinor).toBe(100_000 - 1234 - 766);
    const report = (await json('budget', 'report', '--month', '2026-11')) as {
      rows: { categoryName: string; budgetedMinor: number; actualMinor: number }[];
    };
    expect(report.rows).toContainEqual(
      expect.objectContaining({ categoryName: 'Food', budgetedMinor: 40_000, actualMinor: 1234 }),
    );

    const human = await cli('tx', 'list', '--account', 'Checking');
    expect(human.code).toBe(0);
    expect(human.stdout).toContain('-$12.34');
  });

  it('invoices: create, issue, show, part-pay then pay in full', async () => {
    await json('client', 'add', '--name', 'Acme GmbH', '--currency', 'EUR');
    const draft = (await json(
      'invoice',
      'create',
      '--client',
      'acme gmbh',
      '--line',
      'Design|3|33.33|8.875',
      '--pay-method',
      'bank_transfer',
      '--pay-details',
      'IBAN DE00 0000',
    )) as { id: string; totals: { totalMinor: number; taxMinor: number } };
    // 3 × 33.33 = 99.99; tax 8.874 → 8.87 (half-up per line); total 108.86
    expect(draft.totals).toMatchObject({ taxMinor: 887, totalMinor: 10_886 });

    const issued = (await json(
      'invoice',
      'issue',
      draft.id,
      '--date',
      '2026-11-01',
      '--due-days',
      '14',
    )) as {
      number: string;
      dueDate: string;
    };
    expect(issued).toMatchObject({ number: 'INV-0001', dueDate: '2026-11-15' });

    const part = (await json(
      'invoice',
      'pay',
      'INV-0001',
      '--amount',
      '50',
      '--date',
      '2026-11-05',
    )) as {
      invoice: { effectiveStatus: string; balanceDueMinor: number };
    };
    expect(part.invoice).toMatchObject({ balanceDueMinor: 5886 });
    expect(['partially_paid', 'overdue']).toContain(part.invoice.effectiveStatus);

    const over = await cli('invoice', 'pay', 'INV-0001', '--amount', '100', '--date', '2026-11-06');
    expect(over.code).toBe(1);
    expect(over.stderr).toContain('OVERPAYMENT');

    const full = (await json('invoice', 'pay', 'INV-0001', '--date', '2026-11-06')) as {
      invoice: { effectiveStatus: string; balanceDueMinor: number };
    };
    expect(full.invoice).toMatchObject({ effectiveStatus: 'paid', balanceDueMinor: 0 });

    const shown = await cli('invoice', 'show', 'INV-0001');
    expect(shown.stdout).toContain('INV-0001');
    expect(shown.stdout).toContain('IBAN DE00 0000');
  });

  it('invoices and quotes take a deposit as an amount or a percentage', async () => {
    await json('client', 'add', '--name', 'Deposit Co', '--currency', 'EUR');
    const draft = (await json(
      'invoice',
      'create',
      '--client',
      'Deposit Co',
      '--line',
      'Build|1|1000',
      '--due-date',
      '2026-12-31',
      '--deposit',
      '250.50',
      '--deposit-due',
      '2026-12-01',
    )) as { id: string; depositMinor: number; depositDueDate: string };
    expect(draft).toMatchObject({ depositMinor: 25_050, depositDueDate: '2026-12-01' });
    const shown = await cli('invoice', 'show', draft.id);
    expect(shown.stdout).toContain('deposit outstanding');

    const quote = (await json(
      'quote',
      'create',
      '--client',
      'Deposit Co',
      '--line',
      'Audit|1|999.99',
      '--deposit',
      '12.5%',
    )) as { depositMinor: number; depositPpm: number };
    // 12.5 % of 999.99 = 124.99875 → 125.00
    expect(quote).toMatchObject({ depositMinor: 12_500, depositPpm: 125_000 });

    const tooMuch = await cli(
      'invoice',
      'create',
      '--client',
      'Deposit Co',
      '--line',
      'Build|1|10',
      '--deposit',
      '10.01',
    );
    expect(tooMuch.code).toBe(1);
    expect(tooMuch.stderr).toContain('INVALID_AMOUNT');
    const dueOnly = await cli(
      'quote',
      'create',
      '--client',
      'Deposit Co',
      '--deposit-due',
      '2026-12-01',
    );
    expect(dueOnly.code).not.toBe(0);
  });

  it('quotes convert into draft invoices once', async () => {
    const quote = (await json(
      'quote',
      'create',
      '--client',
      'Acme GmbH',
      '--line',
      'Audit|1|500',
    )) as { id: string };
    const converted = (await json('quote', 'convert', quote.id)) as {
      invoice: { status: string; number: null };
    };
    expect(converted.invoice).toMatchObject({ status: 'draft', number: null });
    const twice = await cli('quote', 'convert', quote.id);
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('INVALID_STATE');
  });

  it('refuses bad input with a specific code and exit status, writing nothing', async () => {
    const before = (await json('status')) as { counts: unknown; pendingChanges: number };
    const cases: [string[], number, string][] = [
      [
        ['tx', 'add', '--account', 'Checking', '--amount', '12.345', '--date', '2026-11-02'],
        1,
        'TOO_MANY_DECIMALS',
      ],
      [
        ['tx', 'add', '--account', 'Checking', '--amount', '1e3', '--date', '2026-11-02'],
        1,
        'INVALID_AMOUNT',
      ],
      [
        ['tx', 'add', '--account', 'Checking', '--amount', '12,5', '--date', '2026-11-02'],
        1,
        'AMBIGUOUS_AMOUNT',
      ],
      [
        ['tx', 'add', '--account', 'Checking', '--amount', '5', '--date', '2026-02-30'],
        1,
        'INVALID_DATE',
      ],
      [
        ['tx', 'add', '--account', 'Savings', '--amount', '5', '--date', '2026-02-03'],
        1,
        'NOT_FOUND',
      ],
      [['account', 'add', '--name', 'X', '--currency', 'XYZ'], 1, 'UNKNOWN_CURRENCY'],
      [['invoice', 'show', 'INV-9999'], 1, 'NOT_FOUND'],
      [['tx', 'add', '--account', 'Checking'], 2, 'USAGE'],
      [['tx', 'add', '--wat'], 2, 'USAGE'],
      [['frobnicate'], 2, ''],
    ];
    for (const [args, code, errorCode] of cases) {
      const run = await cli('--json', ...args);
      expect(run.code, args.join(' ')).toBe(code);
      expect(run.stdout, args.join(' ')).toBe('');
      if (errorCode !== '') {
        expect(JSON.parse(run.stderr), args.join(' ')).toMatchObject({
          error: { code: errorCode },
        });
      }
    }
    expect(await json('status')).toEqual(before);
  });

  it('rotates the key and still reads everything', async () => {
    const before = (await json('status')) as { counts: unknown };
    await json('rekey');
    const after = (await json('status')) as { counts: unknown; keyAgeDays: number };
    expect(after.counts).toEqual(before.counts);
    expect(after.keyAgeDays).toBe(0);
  });

  it('fails clearly when the vault is missing', async () => {
    const run = await runCliProcess(['--vault', join(root, 'nowhere'), 'status']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('VAULT_NOT_FOUND');
  });

  it('uses an explicit key file only when asked, with a warning', async () => {
    const dir = join(root, 'headless');
    const keyFile = join(root, 'headless.key');
    const init = await runCliProcess(['--vault', dir, '--key-file', keyFile, 'init']);
    expect(init.code).toBe(0);
    expect(init.stderr).toContain('warning');
    const withoutKeyFile = await runCliProcess(['--vault', dir, 'status']);
    expect(withoutKeyFile.code).toBe(1);
    expect(withoutKeyFile.stderr).toContain('KEY_NOT_FOUND');
  });
});
