import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CofferError } from '../../../../shared/errors/coffer-error.js';
import { parseOfxStatement } from './parse-ofx-statement.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const fromText = (text: string) => parseOfxStatement(Buffer.from(text, 'utf8'));

function parseError(fn: () => unknown): CofferError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(CofferError);
    return err as CofferError;
  }
  throw new Error('expected an error');
}

const SGML_HEAD = 'OFXHEADER:100\nDATA:OFXSGML\nVERSION:102\n\n';

describe('parseOfxStatement', () => {
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
    const err = parseError(() => fromText(whole.replace('<FITID>CC-9003</FITID>', '')));
    expect(err.message).toBe('line 37: <STMTTRN> has no <FITID>');
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

  it('refuses duplicate FITIDs, a missing CURDEF and foreign-currency lines', () => {
    const whole = fixture('ofx2-creditcard.ofx').toString('utf8');
    expect(parseError(() => fromText(whole.replace('CC-9003', 'CC-9001'))).message).toMatch(
      /^line 41: <FITID> "CC-9001" is used again \(first on line 25\)/,
    );
    expect(parseError(() => fromText(whole.replace('<CURDEF>EUR</CURDEF>', ''))).message).toMatch(
      /^line 15: <CCSTMTRS> has no <CURDEF>/,
    );
    const foreign = whole.replace(
      '<FITID>CC-9003</FITID>',
      '<FITID>CC-9003</FITID><CURRENCY><CURRATE>1.1</CURRATE><CURSYM>USD</CURSYM></CURRENCY>',
    );
    expect(parseError(() => fromText(foreign)).code).toBe('CURRENCY_MISMATCH');
  });

  it('rejects files that are not OFX or hold several statements', () => {
    expect(parseError(() => fromText('date,amount\n2024-01-01,1\n')).code).toBe(
      'IMPORT_PARSE_ERROR',
    );
    const one = '<STMTRS><CURDEF>USD<BANKTRANLIST></BANKTRANLIST></STMTRS>';
    expect(parseError(() => fromText(`${SGML_HEAD}<OFX>${one}${one}</OFX>`)).code).toBe(
      'IMPORT_FORMAT_UNSUPPORTED',
    );
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
