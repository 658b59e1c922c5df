import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StatementRow } from '../statement.js';
import { readOfxFile } from './read-ofx-file.js';
import { cofferErrorOf as parseError } from '../testing/import-test-helpers.js';

/** The one statement of a file, its rows read out. */
function parseOfxStatement(bytes: Buffer) {
  const file = readOfxFile(bytes);
  expect(file.statements).toHaveLength(1);
  const statement = file.statements[0];
  if (statement === undefined) throw new Error('no statement');
  const rows: StatementRow[] = [];
  for (const item of statement.items()) if (item.kind === 'row') rows.push(item.row);
  return { ...statement, rows, warnings: file.warnings };
}

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const fromText = (text: string) => parseOfxStatement(Buffer.from(text, 'utf8'));

const SGML_HEAD = 'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n';

describe('readOfxFile', () => {
  it('reads OFX 1.x SGML: unclosed leaves, CP1252, entities, decimal comma, local dates', () => {
    const statement = parseOfxStatement(fixture('ofx1-checking.ofx'));
    expect(statement.currency).toBe('USD');
    expect(statement.bankAccountId).toBe('000123456789');
    expect(statement.rows).toMatchObject([
      {
        line: 43,
        date: '2024-01-03',
        amountMinor: -450,
        payee: 'CAFÉ ROYAL',
        memo: 'Card purchase',
        category: null,
        externalId: '2024010300001',
      },
      {
        line: 51,
        date: '2024-01-05',
        amountMinor: 300000,
        payee: 'ACME CORP PAYROLL',
        memo: null,
        category: null,
        externalId: '2024010500002',
      },
      {
        line: 58,
        date: '2024-01-10',
        amountMinor: -12000,
        payee: 'CHECK 1042',
        memo: null,
        category: null,
        externalId: '2024011000003',
      },
      {
        line: 67,
        date: '2024-01-15',
        amountMinor: -8217,
        payee: 'SPRINGFIELD WATER & SEWER',
        memo: 'ACH debit',
        category: null,
        externalId: '2024011500004',
      },
    ]);
  });

  it('reads OFX 2.x XML credit card statements, PAYEE aggregates and empty elements', () => {
    const statement = parseOfxStatement(fixture('ofx2-creditcard.ofx'));
    expect(statement.currency).toBe('EUR');
    expect(statement.bankAccountId).toBe('4111XXXXXXXX1111');
    expect(
      statement.rows.map((r) => [r.date, r.amountMinor, r.payee, r.memo, r.externalId]),
    ).toEqual([
      ['2024-02-02', -1290, 'Librairie Étoile', 'Livres & papeterie', 'CC-9001'],
      ['2024-02-14', -6400, 'Trattoria Roma', null, 'CC-9002'],
      ['2024-02-25', 50000, 'Payment - thank you', null, 'CC-9003'],
    ]);
  });

  it('reports a file cut in the middle of a STMTTRN, at the end of the file', () => {
    const whole = fixture('ofx1-checking.ofx').toString('latin1');
    const cut = whole.slice(0, whole.indexOf('<TRNAMT>3000.00') + 10);
    const err = parseError(() => parseOfxStatement(Buffer.from(cut, 'latin1')));
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/^line 54: the file ends before <\/STMTTRN> \(opened on line 51\)/);
    expect(err.details).toMatchObject({ line: 54 });
  });

  it('reports a file cut inside a tag', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    const err = parseError(() => fromText(whole.slice(0, whole.indexOf('<FITID>CC-9002') + 4)));
    expect(err.message).toMatch(/^line 33: unterminated tag/);
  });

  it('reports every truncation point as an error, never a partial statement', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    const end = whole.lastIndexOf('</OFX>');
    for (let cut = whole.indexOf('<OFX>'); cut < end; cut += 7) {
      const err = parseError(() => fromText(whole.slice(0, cut)));
      expect(err.code).toBe('IMPORT_PARSE_ERROR');
      expect(typeof err.details?.line).toBe('number');
    }
  });

  it('reports a missing BANKTRANLIST end tag', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    const err = parseError(() => fromText(whole.replace('</BANKTRANLIST>', '')));
    expect(err.message).toMatch(
      /<\/CCSTMTRS> found while <BANKTRANLIST> \(line 18\) is still open/,
    );
  });

  it('reports a missing required tag at its transaction', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    const err = parseError(() => fromText(whole.replace('<TRNAMT>500.00</TRNAMT>', '')));
    expect(err.message).toBe('line 37: <STMTTRN> has no <TRNAMT>');
  });

  it('reads a transaction without FITID with a null bank id and a warning naming its line', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    const statement = fromText(whole.replace('<FITID>CC-9003</FITID>', ''));
    expect(statement.rows.map((r) => r.externalId)).toEqual(['CC-9001', 'CC-9002', null]);
    expect(statement.warnings).toEqual([
      expect.stringMatching(/^line 37: a transaction of account 4111XXXXXXXX1111 has no <FITID>/),
    ]);
  });

  it('reports a bad amount and a bad date at their lines', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    expect(parseError(() => fromText(whole.replace('-64.00', '-64.0O'))).message).toMatch(
      /^line 32: <TRNAMT> "-64.0O"/,
    );
    expect(parseError(() => fromText(whole.replace('20240225', '20240230'))).message).toMatch(
      /^line 39: <DTPOSTED> "20240230"/,
    );
    expect(parseError(() => fromText(whole.replace('-12.90', '-12.901'))).details).toMatchObject({
      line: 24,
      cause: 'TOO_MANY_DECIMALS',
    });
  });

  it('refuses a FITID reused for a different transaction, naming both lines', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    const err = parseError(() => fromText(whole.replace('CC-9003', 'CC-9001')));
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/^line 41: <FITID> "CC-9001" is used again \(first on line 25\)/);
    expect(err.details).toMatchObject({ line: 41, firstLine: 25 });
  });

  it('keeps one of two identical transactions under one FITID, with a warning and a skip', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    const trn = /<STMTTRN>\s*<TRNTYPE>PAYMENT[\s\S]*?<\/STMTTRN>/.exec(whole)?.[0] ?? '';
    const file = readOfxFile(
      Buffer.from(whole.replace(trn, `${trn}\n<!-- again -->\n${trn}`), 'utf8'),
    );
    const items = [...(file.statements[0]?.items() ?? [])];
    expect(items.filter((i) => i.kind === 'row')).toHaveLength(3);
    expect(items[3]).toEqual({
      kind: 'skip',
      skip: { line: 45, reason: 'not-a-transaction', text: 'repeats the transaction on line 37' },
    });
    expect(file.warnings).toEqual([
      'line 45: the bank repeats the transaction on line 37 (same <FITID> "CC-9003" and content); it is imported once',
    ]);
  });

  it('an empty or missing CURDEF gives a null currency and a warning naming the line', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    for (const [replacement, line, how] of [
      ['<CURDEF></CURDEF>', 16, 'empty'],
      ['', 15, 'missing'],
    ] as const) {
      const text = whole.replace('<CURDEF>EUR</CURDEF>', replacement);
      const file = readOfxFile(Buffer.from(text, 'utf8'), { accountCurrency: 'USD' });
      expect(file.statements[0]?.currency).toBeNull();
      expect(file.warnings).toEqual([
        `line ${line}: account 4111XXXXXXXX1111 names no currency (<CURDEF> is ${how}); the account's currency is used`,
      ]);
      // Read in the account's currency.
      const rows = [...(file.statements[0]?.items() ?? [])].flatMap((i) =>
        i.kind === 'row' ? [i.row.amountMinor] : [],
      );
      expect(rows).toEqual([-1290, -6400, 50000]);
      // Without an account currency the amounts cannot be read, and the reader says so.
      const err = parseError(() => [
        ...(readOfxFile(Buffer.from(text, 'utf8')).statements[0]?.items() ?? []),
      ]);
      expect(err.code).toBe('IMPORT_NEEDS_CHOICE');
    }
  });

  it('keeps a foreign-currency transaction in its own currency, with the rate as an extra', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    const foreign = whole.replace(
      '<FITID>CC-9003</FITID>',
      '<FITID>CC-9003</FITID><CURRENCY><CURRATE>1.1</CURRATE><CURSYM>USD</CURSYM></CURRENCY>',
    );
    const row = fromText(foreign).rows[2];
    expect(row).toMatchObject({ currency: 'USD', amountMinor: 50000 });
    expect(row?.extras).toEqual([
      { label: '<TRNTYPE>', value: 'PAYMENT' },
      { label: '<CURRENCY><CURRATE>', value: '1.1' },
      { label: '<CURRENCY><CURSYM>', value: 'USD' },
    ]);
  });

  it('rejects files that are not OFX, reads every statement of a multi-account file', () => {
    expect(parseError(() => fromText('date,amount\n2024-01-01,1\n')).code).toBe(
      'IMPORT_PARSE_ERROR',
    );
    const one = (id: string) =>
      `<STMTRS><CURDEF>USD<BANKACCTFROM><ACCTID>${id}</BANKACCTFROM><BANKTRANLIST></BANKTRANLIST></STMTRS>`;
    const file = readOfxFile(Buffer.from(`${SGML_HEAD}<OFX>${one('A1')}${one('B2')}</OFX>`));
    expect(file.statements.map((s) => s.bankAccountId)).toEqual(['A1', 'B2']);
    expect(
      parseError(() => fromText(`${SGML_HEAD}<OFX><INVSTMTRS><CURDEF>USD</INVSTMTRS></OFX>`)).code,
    ).toBe('IMPORT_FORMAT_UNSUPPORTED');
  });

  it('accepts a statement without transactions', () => {
    const statement = fromText(
      `${SGML_HEAD}<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>JPY<BANKTRANLIST><DTSTART>20240101<DTEND>20240131</BANKTRANLIST></STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>`,
    );
    expect(statement).toMatchObject({ currency: 'JPY', rows: [] });
  });

  it('reads UTF-8 text in a file that declares CP1252', () => {
    const text = `${SGML_HEAD.replace('\n\n', '\nCHARSET:1252\n\n')}<OFX><STMTRS><CURDEF>EUR<BANKTRANLIST><STMTTRN><TRNTYPE>DEBIT<DTPOSTED>20240101<TRNAMT>-1<FITID>1<NAME>Crème brûlée</STMTTRN></BANKTRANLIST></STMTRS></OFX>`;
    expect(fromText(text).rows[0]?.payee).toBe('Crème brûlée');
  });
});
