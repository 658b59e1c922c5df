import * as fs from 'node:fs';
import * as path from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { IMPORT_FILE_MAX_BYTES } from '../../../../shared/api/import.methods.js';
import type {
  ImportPreview,
  ImportStatementFileResult,
} from '../../../../shared/domain/import-result.js';
import type { Transaction } from '../../../../shared/domain/ledger.schema.js';
import { answerValue, openApiTestApp } from '../testing/api-test-app.js';

const value = answerValue;

async function setup() {
  const { call, events, root } = await openApiTestApp();
  await call('accounts', 'create', { name: 'Checking', currency: 'USD' });
  return { call, events, root };
}
type Setup = Awaited<ReturnType<typeof setup>>;

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

const CSV = [
  'Date,Amount,Description,Memo,Reference',
  '2025-01-02,-4.50,BLUE BOTTLE COFFEE,Card 1234,R-1',
  '2025-01-09,-82.17,CITY WATER,Acct 778,R-2',
  '2025-01-20,-1850.00,RENT,January,R-3',
  '',
].join('\n');

const csvInput = (readerOptions: Record<string, unknown> = {}) => ({
  fileName: 'january.csv',
  contentBase64: base64(CSV),
  format: 'csv',
  account: 'Checking',
  readerOptions,
});

async function ledger(call: Setup['call']): Promise<Transaction[]> {
  const page = value<{ items: Transaction[] }>(await call('transactions', 'list', { limit: 100 }));
  return [...page.items].sort((a, b) => a.date.localeCompare(b.date));
}

describe('imports over the API', () => {
  it('previews without writing, and the import then stores exactly the previewed rows', async () => {
    const { call } = await setup();
    const preview = value<ImportPreview>(await call('imports', 'preview', csvInput()));
    expect(preview.dryRun).toBe(true);
    expect(await ledger(call)).toEqual([]);
    expect(preview.firstRows.map((r) => r.outcome)).toEqual(['new', 'new', 'new']);
    expect(preview.columns).toContainEqual({ column: 'Reference', field: 'notes' });
    expect(preview.settings.map((s) => s.name)).toContain('date format');

    const result = value<ImportStatementFileResult>(await call('imports', 'run', csvInput()));
    expect(result).toMatchObject({ dryRun: false, created: 3, rows: 3 });
    expect(result.profile).not.toBeNull();
    const stored = await ledger(call);
    expect(
      stored.map((t) => [t.date, t.amountMinor, t.currency, t.payeeName, t.notes, t.importKey]),
    ).toEqual(
      preview.firstRows.map((r) => [
        r.date,
        r.amountMinor,
        r.currency,
        r.payee,
        r.notes,
        r.importKey,
      ]),
    );
  });

  it('a changed column mapping re-runs the preview with it, and the saved profile is used next time', async () => {
    const { call } = await setup();
    const detected = value<ImportPreview>(await call('imports', 'preview', csvInput()));
    const remapped = value<ImportPreview>(
      await call(
        'imports',
        'preview',
        csvInput({ mapping: { date: 'Date', amount: 'Amount', payee: 'Memo' } }),
      ),
    );
    expect(remapped.firstRows.map((r) => r.payee)).toEqual(['Card 1234', 'Acct 778', 'January']);
    expect(remapped.firstRows.map((r) => r.payee)).not.toEqual(
      detected.firstRows.map((r) => r.payee),
    );
    expect(remapped.columns).toContainEqual({ column: 'Memo', field: 'payee' });
    expect(remapped.settings.find((s) => s.name === 'mapping')?.source).toBe('flag');

    value(
      await call(
        'imports',
        'run',
        csvInput({ mapping: { date: 'Date', amount: 'Amount', payee: 'Memo' } }),
      ),
    );
    const next = value<ImportPreview>(await call('imports', 'preview', csvInput()));
    expect(next.settings.find((s) => s.name === 'mapping')?.source).toBe('profile');
    expect(next.firstRows.map((r) => r.outcome)).toEqual([
      'already_imported',
      'already_imported',
      'already_imported',
    ]);
  });

  it('a reading the file does not settle comes back as IMPORT_NEEDS_CHOICE with its options', async () => {
    const { call } = await setup();
    const ambiguous = ['Date,Amount,Payee', '01/02/2025,-1.00,A', '03/04/2025,-2.00,B', ''].join(
      '\n',
    );
    const input = { ...csvInput(), contentBase64: base64(ambiguous) };
    const refused = await call('imports', 'preview', input);
    expect(refused).toMatchObject({
      ok: false,
      code: 'IMPORT_NEEDS_CHOICE',
      details: { setting: 'date format', flag: '--date-format' },
    });
    const options = (refused as { details: { options: string[] } }).details.options;
    expect(options).toContain('DD/MM/YYYY');
    const chosen = value<ImportPreview>(
      await call('imports', 'preview', { ...input, readerOptions: { dateFormat: 'DD/MM/YYYY' } }),
    );
    expect(chosen.firstRows.map((r) => r.date)).toEqual(['2025-02-01', '2025-04-03']);
  });

  it('every choice a setting offers the window, sent as its reader option, is read as chosen', async () => {
    const { call } = await setup();
    const preview = value<ImportPreview>(await call('imports', 'preview', csvInput()));
    const overridable = preview.settings.filter((s) => s.override !== undefined);
    expect(overridable.map((s) => s.override?.option)).toEqual([
      'encoding',
      'delimiter',
      'dateFormat',
      'decimalSeparator',
      'sign',
    ]);
    const accepted: string[] = [];
    for (const setting of overridable) {
      for (const choice of setting.override?.choices ?? []) {
        const what = `${setting.override?.option}=${JSON.stringify(choice)}`;
        const answer = await call(
          'imports',
          'preview',
          csvInput({ [setting.override?.option ?? '']: choice }),
        );
        if (!answer.ok) {
          // A choice that does not fit this file (a delimiter it does not use, dates in
          // another order) is refused with a code that says why, never read wrong.
          expect(answer.code, what).toMatch(/^(IMPORT_|INVALID_INPUT$)/);
          continue;
        }
        const after = value<ImportPreview>(answer).settings.find((s) => s.name === setting.name);
        expect([after?.source, after?.override?.value], what).toEqual(['flag', choice]);
        accepted.push(what);
      }
    }
    // Every current value, and the other ways this file can be read, are taken.
    expect(accepted).toEqual(
      expect.arrayContaining([
        'encoding="windows-1252"',
        'dateFormat="YYYY-MM-DD"',
        'decimalSeparator="."',
        'sign="as-is"',
        'sign="negate"',
      ]),
    );
    const negated = value<ImportPreview>(
      await call('imports', 'preview', csvInput({ sign: 'negate' })),
    );
    expect(negated.firstRows.map((r) => r.amountMinor)).toEqual([450, 8217, 185000]);
    expect(await ledger(call)).toEqual([]);
  });

  it('reports progress of the import as `import` events ending at the row count', async () => {
    const { call, events } = await setup();
    const rows = ['Date,Amount,Payee'];
    for (let i = 0; i < 2_500; i += 1)
      rows.push(`2025-02-${String((i % 28) + 1).padStart(2, '0')},-${i + 1}.00,Shop ${i}`);
    const input = { ...csvInput(), contentBase64: base64(`${rows.join('\n')}\n`) };
    let answered = false;
    const running = call('imports', 'run', input).finally(() => {
      answered = true;
    });
    // What a window's socket sees while the call is pending: the count moves.
    const seen = new Set<number>();
    while (!answered) {
      seen.add(events.filter((e) => e.name === 'progress').length);
      await setImmediate();
    }
    value(await running);
    expect([...seen].filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    const progress = events.filter((e) => e.name === 'progress' && e.data['task'] === 'import');
    expect(progress.map((e) => e.data['done'])).toEqual([1_000, 2_000, 2_500]);
    expect(progress.at(-1)?.data['total']).toBe(2_500);
  });

  it('a call that arrives while an import runs waits for it, and is not rolled back with it', async () => {
    const { call, events } = await setup();
    const rows = ['Date,Amount,Payee,Currency'];
    for (let i = 0; i < 3_000; i += 1)
      rows.push(`2025-02-${String((i % 28) + 1).padStart(2, '0')},-${i + 1}.00,Shop ${i},USD`);
    // The last row is in another currency: found while writing, so the whole import rolls back.
    rows.push('2025-02-28,-1.00,Shop in euros,EUR');
    const input = { ...csvInput(), contentBase64: base64(`${rows.join('\n')}\n`) };
    const order: string[] = [];
    const importing = call('imports', 'run', input).then((answer) => {
      order.push('import');
      return answer;
    });
    while (!events.some((e) => e.name === 'progress' && e.data['task'] === 'import')) {
      await setImmediate();
    }
    const midway = call('accounts', 'create', { name: 'Opened midway', currency: 'USD' }).then(
      (answer) => {
        order.push('account');
        return answer;
      },
    );
    const [imported, created] = await Promise.all([importing, midway]);
    expect(imported).toMatchObject({ ok: false, code: 'CURRENCY_MISMATCH' });
    expect(created.ok).toBe(true);
    expect(order).toEqual(['import', 'account']);
    const accounts = value<{ name: string }[]>(await call('accounts', 'list', {}));
    expect(accounts.map((a) => a.name)).toContain('Opened midway');
    expect(await ledger(call)).toEqual([]);
  });

  it('imports an OFX statement into the account named, remembering its bank id', async () => {
    const { call } = await setup();
    const ofx = fs.readFileSync(
      new URL('../../import/fixtures/ofx1-checking.ofx', import.meta.url),
    );
    const input = {
      fileName: 'statement.ofx',
      contentBase64: ofx.toString('base64'),
      format: 'ofx',
      account: 'Checking',
    };
    const preview = value<ImportPreview>(await call('imports', 'preview', input));
    expect(preview.rows).toBeGreaterThan(0);
    const result = value<ImportStatementFileResult>(await call('imports', 'run', input));
    expect(result.created).toBe(preview.created);
    const [checking] = value<{ id: string }[]>(await call('accounts', 'list', {}));
    expect(result.remembered).toEqual([{ bankAccountId: '000123456789', accountId: checking?.id }]);
    expect((await ledger(call)).length).toBe(preview.created);
  });

  it('reads the bytes sent, never the file its name points at', async () => {
    const { call, root } = await setup();
    const decoy = path.join(root, 'decoy.csv');
    fs.writeFileSync(decoy, 'Date,Amount,Payee\n2020-07-07,-999.00,DECOY\n');
    const preview = value<ImportPreview>(
      await call('imports', 'preview', { ...csvInput(), fileName: decoy }),
    );
    expect(preview.firstRows.map((r) => r.payee)).not.toContain('DECOY');
    expect(preview.rows).toBe(3);
  });

  it('refuses bad input with a code and writes nothing', async () => {
    const { call } = await setup();
    const cases: [unknown, string][] = [
      [{ ...csvInput(), contentBase64: 'not base64!' }, 'INVALID_INPUT'],
      [{ ...csvInput(), format: 'xls' }, 'INVALID_INPUT'],
      [{ ...csvInput(), fileName: '' }, 'INVALID_INPUT'],
      [
        { ...csvInput(), readerOptions: { mapping: { date: 'Nope', amount: 'Amount' } } },
        'IMPORT_PARSE_ERROR',
      ],
      [{ ...csvInput(), readerOptions: { sign: 'sideways' } }, 'INVALID_INPUT'],
      [{ ...csvInput(), account: 'Nobody' }, 'NOT_FOUND'],
    ];
    for (const [input, code] of cases) {
      expect(await call('imports', 'run', input)).toMatchObject({ ok: false, code });
    }
    expect(await ledger(call)).toEqual([]);
  });

  it('refuses a file over the size limit before decoding it', async () => {
    const { call } = await setup();
    const tooLong = 'A'.repeat((Math.ceil(IMPORT_FILE_MAX_BYTES / 3) + 1) * 4);
    const answer = await call('imports', 'preview', { ...csvInput(), contentBase64: tooLong });
    expect(answer).toMatchObject({ ok: false, code: 'FILE_TOO_LARGE' });
    expect((answer as { message: string }).message).toContain('20 MiB');
  });
});
