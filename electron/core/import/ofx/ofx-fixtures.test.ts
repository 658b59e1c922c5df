import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { StatementExtra, StatementItem, StatementRow } from '../statement.js';
import { readOfxFile, type ReadOfxOptions } from './read-ofx-file.js';
import { cofferErrorOf as thrown } from '../testing/import-test-helpers.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ofx/${name}`, import.meta.url));

function read(name: string, options?: ReadOfxOptions) {
  const file = readOfxFile(fixture(name), options);
  return {
    file,
    statements: file.statements.map((s) => ({
      statement: s,
      items: [...s.items()] as StatementItem[],
    })),
  };
}

const rows = (items: readonly StatementItem[]) =>
  items.flatMap((i) => (i.kind === 'row' ? [i.row] : []));

function row(
  line: number,
  date: string,
  amountMinor: number,
  payee: string | null,
  memo: string | null,
  externalId: string | null,
  extras: Record<string, string>,
  descriptionKey: string,
): StatementRow {
  const list: StatementExtra[] = Object.entries(extras).map(([label, value]) => ({ label, value }));
  return {
    line,
    date,
    amountMinor,
    currency: null,
    payee,
    memo,
    category: null,
    externalId,
    extras: list,
    descriptionKey,
    splits: [],
  };
}

describe('OFX fixtures', () => {
  it('US bank OFX 1.02 SGML: CDATA payee and memo holding < and >, every STMTTRN field kept', () => {
    const { file, statements } = read('us-checking-ofx102.ofx');
    expect(statements).toHaveLength(1);
    const [{ statement, items } = { statement: undefined, items: [] }] = statements;
    expect(statement).toMatchObject({
      kind: 'bank',
      bankAccountId: '8765432109',
      bankId: '071000013',
      branchId: null,
      accountType: 'CHECKING',
      currency: 'USD',
      line: 35,
    });
    expect(rows(items)).toEqual([
      row(
        45,
        '2025-02-03',
        -4217,
        'H&M <ONLINE> #0042',
        'POS PURCHASE > TERMINAL 7 < OAK PARK IL',
        '202502030001',
        { '<TRNTYPE>': 'DEBIT', '<DTUSER>': '20250201120000.000[-6:CST]' },
        '0042 7 h il m oak online park pos purchase terminal',
      ),
      row(
        54,
        '2025-02-07',
        -125000,
        'CHECK 2231',
        'RENT FEB',
        '202502070002',
        { '<TRNTYPE>': 'CHECK', '<CHECKNUM>': '2231', '<REFNUM>': '000002231' },
        '2231 check feb rent',
      ),
      row(
        64,
        '2025-02-14',
        281466,
        'ACME WIDGETS PAYROLL',
        'DIRECT DEP PPD ID: 1234567890',
        '202502140003',
        {
          '<TRNTYPE>': 'DIRECTDEP',
          '<REFNUM>': 'PPD0214',
          '<SIC>': '7372',
          '<PAYEEID>': 'ACMEPAY',
        },
        '1234567890 acme dep direct id payroll ppd widgets',
      ),
      row(
        75,
        '2025-02-28',
        -600,
        'MONTHLY SERVICE FEE',
        null,
        '202502280004',
        { '<TRNTYPE>': 'FEE', '<DTAVAIL>': '20250301120000.000[-6:CST]' },
        'fee monthly service',
      ),
    ]);
    expect(file.warnings).toEqual([]);
    expect(file.settings).toEqual([
      { name: 'OFX version', value: '102 (SGML)', source: 'file' },
      { name: 'encoding', value: 'windows-1252', source: 'detected' },
      {
        name: 'account 8765432109 (line 35)',
        value: 'CHECKING, bank 071000013, USD',
        source: 'file',
      },
      { name: 'account 8765432109 period', value: '2025-02-01 to 2025-02-28', source: 'file' },
      {
        name: 'account 8765432109 ledger balance (not imported)',
        value: '3516.49 USD as of 2025-02-28',
        source: 'file',
      },
      {
        name: 'account 8765432109 available balance (not imported)',
        value: '3466.49 USD as of 2025-02-28',
        source: 'file',
      },
    ]);
    expect(file.columns.filter((c) => c.field === 'notes').map((c) => c.column)).toEqual([
      '<TRNTYPE>',
      '<DTUSER>',
      '<CHECKNUM>',
      '<REFNUM>',
      '<SIC>',
      '<PAYEEID>',
      '<DTAVAIL>',
    ]);
  });

  it('Canadian bank OFX 2.1 XML: CDATA memo, PAYEE address parts and ORIGCURRENCY as extras', () => {
    const { file, statements } = read('ca-chequing-ofx211.ofx');
    expect(statements.map((s) => s.statement)).toMatchObject([
      {
        bankAccountId: '1234567',
        bankId: '0477',
        branchId: '12345',
        accountType: 'CHECKING',
        currency: 'CAD',
      },
    ]);
    expect(rows(statements[0]?.items ?? [])).toEqual([
      row(
        36,
        '2025-02-04',
        -2345,
        'IGA #8123 MONTRÉAL',
        'Achat / Purchase <Interac>',
        '90000010020250204001',
        { '<TRNTYPE>': 'POS' },
        '8123 achat iga interac montreal purchase',
      ),
      row(
        44,
        '2025-02-10',
        15000,
        'INTERAC e-Transfer',
        'From: J. TREMBLAY & FILS',
        '90000010020250210002',
        { '<TRNTYPE>': 'XFER' },
        'e fils from interac j transfer tremblay',
      ),
      row(
        52,
        '2025-02-15',
        -8960,
        'Hydro-Québec',
        'Bill payment',
        '90000010020250215003',
        {
          '<TRNTYPE>': 'PAYMENT',
          '<PAYEE><ADDR1>': '75 boul. René-Lévesque O',
          '<PAYEE><CITY>': 'Montréal',
          '<PAYEE><STATE>': 'QC',
          '<PAYEE><POSTALCODE>': 'H2Z 1A4',
          '<PAYEE><COUNTRY>': 'CAN',
          '<PAYEE><PHONE>': '514-555-0199',
        },
        'bill hydro payment quebec',
      ),
      row(
        68,
        '2025-02-20',
        -5726,
        'AMAZON.COM',
        null,
        '90000010020250220004',
        {
          '<TRNTYPE>': 'DEBIT',
          '<ORIGCURRENCY><CURRATE>': '1.4315',
          '<ORIGCURRENCY><CURSYM>': 'USD',
        },
        'amazon com',
      ),
    ]);
    expect(file.settings[0]).toEqual({ name: 'OFX version', value: '211 (XML)', source: 'file' });
    expect(file.columns).toContainEqual({ column: '<PAYEE><NAME>', field: 'payee' });
    expect(file.columns).not.toContainEqual({ column: '<PAYEE><NAME>', field: 'notes' });
  });

  it('US card issuer QFX: INTU.BID header, CCSTMTRS, one line holding a whole transaction', () => {
    const { file, statements } = read('us-card.qfx');
    expect(statements.map((s) => s.statement)).toMatchObject([
      { kind: 'creditcard', bankAccountId: '4000001234567899', bankId: null, currency: 'USD' },
    ]);
    expect(rows(statements[0]?.items ?? [])).toEqual([
      row(
        15,
        '2025-02-05',
        -1899,
        'NETFLIX.COM',
        '866-579-7172 CA',
        '320250205178443029',
        { '<TRNTYPE>': 'DEBIT' },
        '579 7172 866 ca com netflix',
      ),
      row(
        16,
        '2025-02-09',
        -6412,
        "TRADER JOE'S #142",
        'SAN JOSE CA',
        '320250209178443030',
        { '<TRNTYPE>': 'DEBIT', '<SIC>': '5411' },
        '142 ca joe jose s san trader',
      ),
      row(
        17,
        '2025-02-12',
        2500,
        'RETURN: REI #87',
        null,
        '320250212178443031',
        { '<TRNTYPE>': 'CREDIT' },
        '87 rei return',
      ),
      row(
        18,
        '2025-02-25',
        41250,
        'PAYMENT THANK YOU',
        null,
        '320250225178443032',
        { '<TRNTYPE>': 'PAYMENT' },
        'payment thank you',
      ),
    ]);
    expect(file.settings).toContainEqual({
      name: 'account 4000001234567899 available balance (not imported)',
      value: '3906.79 USD as of 2025-02-28',
      source: 'file',
    });
  });

  it('a multi-account file gives one statement per account: checking, savings and card', () => {
    const { statements } = read('multi-account.ofx');
    expect(
      statements.map(({ statement: s }) => [
        s.kind,
        s.bankAccountId,
        s.accountType,
        s.currency,
        s.line,
      ]),
    ).toEqual([
      ['bank', '111122223333', 'CHECKING', 'USD', 17],
      ['bank', '111122223344', 'SAVINGS', 'USD', 43],
      ['creditcard', '5500005555555559', null, 'USD', 71],
    ]);
    expect(statements.map((s) => rows(s.items))).toEqual([
      [
        row(
          22,
          '2025-03-03',
          -7500,
          'ONLINE TRANSFER TO SAV 3344',
          null,
          'CHK-0303-1',
          { '<TRNTYPE>': 'DEBIT' },
          '3344 online sav to transfer',
        ),
        row(
          29,
          '2025-03-11',
          -6000,
          'ATM WITHDRAWAL 4TH ST',
          null,
          'CHK-0311-2',
          { '<TRNTYPE>': 'ATM' },
          '4th atm st withdrawal',
        ),
      ],
      [
        row(
          48,
          '2025-03-03',
          7500,
          'ONLINE TRANSFER FROM CHK 3333',
          null,
          'SAV-0303-1',
          { '<TRNTYPE>': 'CREDIT' },
          '3333 chk from online transfer',
        ),
        row(
          55,
          '2025-03-31',
          42,
          'INTEREST PAYMENT',
          null,
          'SAV-0331-2',
          { '<TRNTYPE>': 'INT' },
          'interest payment',
        ),
      ],
      [
        row(
          76,
          '2025-03-07',
          -3350,
          'SHELL OIL 5744',
          null,
          'CC-0307-1',
          { '<TRNTYPE>': 'DEBIT' },
          '5744 oil shell',
        ),
      ],
    ]);
  });

  it('an empty CURDEF: null currency, a warning naming the line, amounts in the account currency', () => {
    const { file, statements } = read('empty-curdef.ofx', { accountCurrency: 'EUR' });
    expect(statements[0]?.statement).toMatchObject({ currency: null, currencyLine: 18 });
    expect(file.warnings).toEqual([
      "line 18: account 0099887766 names no currency (<CURDEF> is empty); the account's currency is used",
    ]);
    expect(rows(statements[0]?.items ?? [])).toEqual([
      row(
        22,
        '2025-04-02',
        -1990,
        'Stadtwerke Beispiel',
        'Abschlag April',
        'E-0001',
        { '<TRNTYPE>': 'DEBIT' },
        'abschlag april beispiel stadtwerke',
      ),
      row(
        30,
        '2025-04-05',
        185000,
        'Muster GmbH Gehalt',
        null,
        'E-0002',
        { '<TRNTYPE>': 'CREDIT' },
        'gehalt gmbh muster',
      ),
    ]);
    // JPY has no minor unit: the same file read for a JPY account is refused at the cents.
    const jpy = readOfxFile(fixture('empty-curdef.ofx'), { accountCurrency: 'JPY' });
    const err = thrown(() => [...(jpy.statements[0]?.items() ?? [])]);
    expect(err.details).toMatchObject({ line: 25, cause: 'TOO_MANY_DECIMALS' });
  });

  it('no FITIDs: every row has a null bank id and a warning naming its line, identical rows both kept', () => {
    const { file, statements } = read('no-fitid.ofx');
    const gelato = (line: number) =>
      row(
        line,
        '2025-04-03',
        -480,
        'Gelato Bondi',
        'Card xx1234 Value Date: 01/04/2025',
        null,
        { '<TRNTYPE>': 'DEBIT' },
        '01 04 2025 bondi card date gelato value xx1234',
      );
    expect(rows(statements[0]?.items ?? [])).toEqual([
      gelato(14),
      gelato(21),
      row(
        28,
        '2025-04-15',
        132000,
        'Salary Koala Pty Ltd',
        null,
        null,
        { '<TRNTYPE>': 'CREDIT' },
        'koala ltd pty salary',
      ),
    ]);
    expect(file.warnings).toEqual(
      [14, 21, 28].map(
        (line) =>
          `line ${line}: a transaction of account 12345678 has no <FITID>; it is recognised on re-import by its date, amount and description`,
      ),
    );
  });

  it("a bank's error reply is IMPORT_BANK_ERROR quoting the bank's message and code", () => {
    const general = thrown(() => readOfxFile(fixture('error-general-2000.ofx')));
    expect(general.code).toBe('IMPORT_BANK_ERROR');
    expect(general.message).toBe(
      'line 25: the bank answered: "General error. Please try again later." (OFX code 2000, ERROR); no statement was imported',
    );
    expect(general.details).toEqual({
      code: '2000',
      severity: 'ERROR',
      message: 'General error. Please try again later.',
      line: 25,
    });
    const signon = thrown(() => readOfxFile(fixture('error-signon-15500.ofx')));
    expect(signon.code).toBe('IMPORT_BANK_ERROR');
    expect(signon.message).toMatch(
      /^line 6: the bank answered: "Signon invalid" \(OFX code 15500, ERROR\)/,
    );
    expect(signon.details).toEqual({
      code: '15500',
      severity: 'ERROR',
      message: 'Signon invalid',
      line: 6,
    });
  });

  it('an informational status beside a statement is a warning, not an error', () => {
    const text = fixture('us-card.qfx')
      .toString('latin1')
      .replace(
        '<TRNUID>0<STATUS><CODE>0<SEVERITY>INFO',
        '<TRNUID>0<STATUS><CODE>2028<SEVERITY>WARN<MESSAGE>Requested date range partly unavailable',
      );
    const file = readOfxFile(Buffer.from(text, 'latin1'));
    expect(file.statements).toHaveLength(1);
    expect(file.warnings).toEqual([
      'line 12: the bank noted: "Requested date range partly unavailable" (OFX code 2028, WARN)',
    ]);
  });

  it('a CDATA section never closed is a parse error naming its line', () => {
    const whole = fixture('us-checking-ofx102.ofx').toString('latin1');
    const err = thrown(() =>
      readOfxFile(Buffer.from(whole.replace('OAK PARK IL]]>', 'OAK PARK IL'), 'latin1')),
    );
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toBe(
      'line 52: a <![CDATA[ section is never closed; the file may be truncated',
    );
  });
});
