import { describe, expect, it } from 'vitest';
import { descriptionKey } from '../description-key.js';
import { brief, readAll, thrown } from './csv-test-helpers.js';
import { CsvSettingsSchema } from './read-csv-statement.js';
import { CSV_DELIMITERS } from './csv-delimiter.js';
import { CSV_ENCODINGS, CSV_SIGN_RULES } from './csv-settings.js';
import { CSV_DATE_FORMATS } from './date-format.js';

describe('readCsvStatement: header and layout', () => {
  it('finds the header below preamble lines and skips them as preamble', () => {
    const text = [
      'Kontonummer:;DE12 3456 7890 1234 5678 90;Girokonto',
      'Zeitraum:;01.03.2024 - 31.03.2024;',
      '',
      'Buchungstag;Wertstellung;Buchungstext;Auftraggeber / Begünstigter;Verwendungszweck;Betrag (EUR)',
      '04.03.2024;04.03.2024;Lastschrift;Stadtwerke Nord;Abschlag März;-64,00',
      '05.03.2024;05.03.2024;Gutschrift;Muster GmbH;Gehalt März;2.345,67',
    ].join('\n');
    const { file, rows, skips } = readAll(text, { accountCurrency: 'EUR' });
    expect(skips).toEqual([
      { line: 1, reason: 'preamble', text: 'Kontonummer:;DE12 3456 7890 1234 5678 90;Girokonto' },
      { line: 2, reason: 'preamble', text: 'Zeitraum:;01.03.2024 - 31.03.2024;' },
    ]);
    expect(rows.map(brief)).toEqual([
      ['2024-03-04', -6400, 'Stadtwerke Nord', 'Abschlag März'],
      ['2024-03-05', 234567, 'Muster GmbH', 'Gehalt März'],
    ]);
    expect(rows[0]?.extras).toEqual([
      { label: 'Wertstellung', value: '04.03.2024' },
      { label: 'Buchungstext', value: 'Lastschrift' },
    ]);
    expect(rows[0]?.currency).toBeNull();
    expect(file.statements[0]?.currency).toBe('EUR');
    expect(file.resolved).toMatchObject({
      delimiter: ';',
      header: true,
      skipLines: 3,
      dateFormat: 'DD.MM.YYYY',
      decimalSeparator: ',',
      sign: 'as-is',
      mapping: {
        date: 'Buchungstag',
        amount: 'Betrag (EUR)',
        payee: 'Auftraggeber / Begünstigter',
        memo: 'Verwendungszweck',
      },
    });
    expect(file.columns).toEqual([
      { column: 'Buchungstag', field: 'date' },
      { column: 'Wertstellung', field: 'notes' },
      { column: 'Buchungstext', field: 'notes' },
      { column: 'Auftraggeber / Begünstigter', field: 'payee' },
      { column: 'Verwendungszweck', field: 'memo' },
      { column: 'Betrag (EUR)', field: 'amount' },
    ]);
    expect(file.settings).toContainEqual({ name: 'currency', value: 'EUR', source: 'file' });
    expect(CsvSettingsSchema.parse(JSON.parse(JSON.stringify(file.resolved)))).toEqual(
      file.resolved,
    );
  });

  it('skips totals, closing balances and repeated headers after and inside the data', () => {
    const text = [
      'Date,Description,Amount,Balance',
      '2024-02-01,Opening balance,,100.00',
      '2024-02-02,COFFEE,-3.50,96.50',
      'Date,Description,Amount,Balance',
      '2024-02-03,REFUND,10.00,106.50',
      ',Total,6.50,',
      'Closing balance,,,106.50',
    ].join('\n');
    const { rows, skips } = readAll(text);
    expect(rows.map(brief)).toEqual([
      ['2024-02-02', -350, 'COFFEE', null],
      ['2024-02-03', 1000, 'REFUND', null],
    ]);
    expect(skips.map((s) => [s.line, s.reason])).toEqual([
      [2, 'summary'],
      [4, 'repeated-header'],
      [6, 'summary'],
      [7, 'summary'],
    ]);
  });

  it('skips pending rows by a status column and by a Pending section', () => {
    const status = [
      'Date,Description,Amount,Status',
      '2024-02-01,SHOP A,-1.00,Posted',
      '2024-02-02,SHOP B,-2.00,Pending',
      '2024-02-03,SHOP C,-3.00,Umsatz vorgemerkt',
    ].join('\n');
    const a = readAll(status);
    expect(a.rows.map(brief)).toEqual([['2024-02-01', -100, 'SHOP A', null]]);
    expect(a.skips.map((s) => [s.line, s.reason])).toEqual([
      [3, 'pending'],
      [4, 'pending'],
    ]);
    const sections = [
      'Date,Description,Amount',
      'Pending',
      '2024-02-05,SHOP D,-4.00',
      'Posted Transactions',
      '2024-02-04,SHOP E,-5.00',
    ].join('\n');
    const b = readAll(sections);
    expect(b.rows.map(brief)).toEqual([['2024-02-04', -500, 'SHOP E', null]]);
    expect(b.skips.map((s) => [s.line, s.reason])).toEqual([
      [2, 'pending'],
      [3, 'pending'],
      [4, 'not-a-transaction'],
    ]);
  });

  it('maps a headerless file by its content and says so', () => {
    const text = [
      '15/01/2024,-12.50,"WOOLWORTHS 1234 SYDNEY",+987.50',
      '16/01/2024,+1500.00,"SALARY ACME PTY LTD",+2487.50',
    ].join('\n');
    const { file, rows } = readAll(text, { accountCurrency: 'AUD' });
    expect(file.resolved).toMatchObject({
      header: false,
      mapping: { date: 1, amount: 2, payee: 3 },
      dateFormat: 'DD/MM/YYYY',
    });
    expect(file.warnings.join(' ')).toMatch(/no header row.*--map/);
    expect(rows.map(brief)).toEqual([
      ['2024-01-15', -1250, 'WOOLWORTHS 1234 SYDNEY', null],
      ['2024-01-16', 150000, 'SALARY ACME PTY LTD', null],
    ]);
    expect(rows[0]?.extras).toEqual([{ label: 'column 4', value: '+987.50' }]);
    expect(file.columns.map((c) => c.field)).toEqual(['date', 'amount', 'payee', 'notes']);
  });

  it('gives the same signature to the same header however it is written, another to another', () => {
    const a = readAll('Date,Amount,Payee\n2024-01-01,1.00,X\n').file.signature;
    const b = readAll('"DATE" , amount ,PAYEE\n2024-01-02,2.00,Y\n').file.signature;
    const c = readAll('Date,Amount,Memo\n2024-01-01,1.00,X\n').file.signature;
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(c).not.toBe(a);
  });
});

describe('readCsvStatement: amounts, signs and currencies', () => {
  it('decides the decimal comma from the whole column, or asks', () => {
    const comma = readAll('Date;Amount\n2024-01-01;1.234\n2024-01-02;-5,60\n');
    expect(comma.rows.map((r) => r.amountMinor)).toEqual([123400, -560]);
    expect(comma.file.resolved.decimalSeparator).toBe(',');
    const point = readAll('Date,Amount\n2024-01-01,"1,234"\n2024-01-02,-5.60\n');
    expect(point.rows.map((r) => r.amountMinor)).toEqual([123400, -560]);
    const err = thrown(() => readAll('Date;Amount\n2024-01-01;1,234\n2024-01-02;2.500\n'));
    expect(err).toMatchObject({
      code: 'IMPORT_NEEDS_CHOICE',
      details: { setting: 'decimal separator', options: ['.', ','], flag: '--decimal-separator' },
    });
    expect(err.message).toMatch(/--decimal-separator/);
    const given = readAll('Date;Amount\n2024-01-01;1,234\n', {
      flags: { decimalSeparator: '.' },
    });
    expect(given.rows[0]?.amountMinor).toBe(123400);
    expect(given.file.settings).toContainEqual({
      name: 'decimal separator',
      value: '.',
      source: 'flag',
      flag: '--decimal-separator',
      override: { option: 'decimalSeparator', value: '.', choices: ['.', ','] },
    });
  });

  it('reads symbols, codes, grouping, parentheses and trailing minus', () => {
    const text = [
      'Date,Amount',
      '2024-01-01,$20.00',
      '2024-01-02,(12.34)',
      '2024-01-03,12.34-',
      '2024-01-04,+7.00',
      '2024-01-05,"USD 1,234.56"',
      '2024-01-06,"- $3.10"',
    ].join('\n');
    expect(readAll(text).rows.map((r) => [r.amountMinor, r.currency])).toEqual([
      [2000, null],
      [-1234, null],
      [-1234, null],
      [700, null],
      [123456, 'USD'],
      [-310, null],
    ]);
    const swiss = readAll("Datum;Betrag\n01.02.2024;CHF 1'234.50\n02.02.2024;-12.05\n", {
      accountCurrency: 'CHF',
    });
    expect(swiss.rows.map((r) => [r.amountMinor, r.currency])).toEqual([
      [123450, 'CHF'],
      [-1205, null],
    ]);
    const euro = readAll('Datum;Betrag\n01.02.2024;-123,45 €\n02.02.2024;EUR 1.234,56\n');
    expect(euro.rows.map((r) => [r.amountMinor, r.currency])).toEqual([
      [-12345, 'EUR'],
      [123456, 'EUR'],
    ]);
  });

  it('reads minor units by the row currency (JPY none, BHD three)', () => {
    const text =
      'Date,Amount,Currency\n2024-01-01,-1500,JPY\n2024-01-02,12.345,BHD\n2024-01-03,1.50,usd\n';
    expect(readAll(text).rows.map((r) => [r.amountMinor, r.currency])).toEqual([
      [-1500, 'JPY'],
      [12345, 'BHD'],
      [150, 'USD'],
    ]);
    const err = thrown(() => readAll('Date,Amount,Currency\n2024-01-01,1.00,XYZ\n').rows);
    expect(err).toMatchObject({ code: 'IMPORT_PARSE_ERROR', details: { line: 2, column: 3 } });
  });

  it('reads debit/credit pairs written either way, and refuses a row with both', () => {
    const text =
      'Date,Description,Debit,Credit\n2024-01-01,A,12.00,\n2024-01-02,B,-3.00,\n2024-01-03,C,,40.00\n';
    expect(readAll(text).rows.map((r) => r.amountMinor)).toEqual([-1200, -300, 4000]);
    const err = thrown(
      () =>
        readAll('Date,Description,Debit,Credit\n2024-01-01,A,1.00,\n2024-01-02,B,2.00,3.00\n').rows,
    );
    expect(err).toMatchObject({ code: 'IMPORT_PARSE_ERROR', details: { line: 3 } });
    expect(err.message).toMatch(/^line 3: .*both a debit and a credit/);
  });

  it('applies an indicator column to unsigned amounts', () => {
    const text = [
      'Datum;Naam / Omschrijving;Bedrag (EUR);Af Bij;Mededelingen',
      '20240102;Albert Heijn;12,50;Af;Pinbetaling',
      '20240103;Werkgever BV;2000,00;Bij;Salaris',
    ].join('\n');
    const { file, rows } = readAll(text, { accountCurrency: 'EUR' });
    expect(rows.map(brief)).toEqual([
      ['2024-01-02', -1250, 'Albert Heijn', 'Pinbetaling'],
      ['2024-01-03', 200000, 'Werkgever BV', 'Salaris'],
    ]);
    expect(file.settings).toContainEqual({
      name: 'sign rule',
      value: 'indicator column Af Bij',
      source: 'detected',
      flag: '--sign',
    });
    expect(rows[0]?.extras).toEqual([]);
  });

  it('uses the indicator column only when every row has a marker, repeated ones included', () => {
    const lines = (last: string): string =>
      [
        'Datum;Naam / Omschrijving;Bedrag (EUR);Af Bij;Mededelingen',
        ...Array.from(
          { length: 30 },
          (_, i) =>
            `202401${String(i + 1).padStart(2, '0')};Winkel;1,00;${i % 2 === 0 ? 'Af' : 'Bij'};`,
        ),
        `20240131;Winkel;1,00;${last};`,
      ].join('\n');
    const signRule = (text: string): unknown =>
      readAll(text, { accountCurrency: 'EUR' }).file.settings.find((s) => s.name === 'sign rule')
        ?.value;
    expect(signRule(lines('Af'))).toBe('indicator column Af Bij');
    expect(signRule(lines('Storno'))).not.toBe('indicator column Af Bij');
  });

  it('negates a card statement that writes purchases positive, and says so', () => {
    const text = [
      'Date,Description,Amount',
      '01/13/2024,GROCERY STORE,54.20',
      '01/15/2024,ONLINE PAYMENT - THANK YOU,-500.00',
      '01/17/2024,GAS STATION,40.00',
    ].join('\n');
    const card = readAll(text, { accountKind: 'credit_card' });
    expect(card.rows.map((r) => r.amountMinor)).toEqual([-5420, 50000, -4000]);
    expect(card.file.settings).toContainEqual({
      name: 'sign rule',
      value: 'negate',
      source: 'detected',
      flag: '--sign',
      override: { option: 'sign', value: 'negate', choices: ['as-is', 'negate'] },
    });
    expect(readAll(text).rows.map((r) => r.amountMinor)).toEqual([5420, -50000, 4000]);
    const asIs = readAll(text, { accountKind: 'credit_card', flags: { sign: 'as-is' } });
    expect(asIs.rows.map((r) => r.amountMinor)).toEqual([5420, -50000, 4000]);
    const unclear = thrown(() =>
      readAll('Date,Description,Amount\n01/13/2024,SHOP,5.00\n01/14/2024,SHOP,6.00\n', {
        accountKind: 'credit_card',
      }),
    );
    expect(unclear).toMatchObject({
      code: 'IMPORT_NEEDS_CHOICE',
      details: { setting: 'sign rule', options: ['as-is', 'negate'], flag: '--sign' },
    });
  });
});

describe('readCsvStatement: overrides a window offers', () => {
  const text =
    'Buchungstag;Betrag;Verwendungszweck\n03.01.2024;-12,50;Miete\n04.01.2024;100,00;Gehalt\n';

  it('gives each one-of-a-list guess its reader option, value now and choices', () => {
    const { file } = readAll(text, { accountCurrency: 'EUR' });
    expect(
      file.settings.filter((s) => s.override !== undefined).map((s) => [s.name, s.override]),
    ).toEqual([
      ['encoding', { option: 'encoding', value: 'utf-8', choices: [...CSV_ENCODINGS] }],
      ['delimiter', { option: 'delimiter', value: ';', choices: [...CSV_DELIMITERS] }],
      ['date format', { option: 'dateFormat', value: 'DD.MM.YYYY', choices: CSV_DATE_FORMATS }],
      ['decimal separator', { option: 'decimalSeparator', value: ',', choices: ['.', ','] }],
      ['sign rule', { option: 'sign', value: 'as-is', choices: [...CSV_SIGN_RULES] }],
    ]);
  });

  it('offers no sign rule where debit and credit columns say the sign', () => {
    const { file } = readAll('Date,Debit,Credit\n2024-01-02,5.00,\n2024-01-03,,7.00\n');
    const sign = file.settings.find((s) => s.name === 'sign rule');
    expect(sign?.value).toBe('debit/credit columns');
    expect(sign?.override).toBeUndefined();
  });
});

describe('readCsvStatement: dates', () => {
  it('asks for the date format when neither the days nor the order decide', () => {
    const err = thrown(() => readAll('Date,Amount\n03/04/2024,1.00\n03/04/2024,2.00\n'));
    expect(err).toMatchObject({
      code: 'IMPORT_NEEDS_CHOICE',
      details: {
        setting: 'date format',
        options: ['DD/MM/YYYY', 'MM/DD/YYYY'],
        flag: '--date-format',
      },
    });
    const given = readAll('Date,Amount\n03/04/2024,1.00\n', {
      flags: { dateFormat: 'MM/DD/YYYY' },
    });
    expect(given.rows[0]?.date).toBe('2024-03-04');
  });

  it('a profile setting is used and reported as such, a flag beats it', () => {
    const text = 'Date,Amount\n03/04/2024,1.00\n';
    const profile = readAll(text, { profile: { dateFormat: 'DD/MM/YYYY' } });
    expect(profile.rows[0]?.date).toBe('2024-04-03');
    expect(profile.file.settings).toContainEqual({
      name: 'date format',
      value: 'DD/MM/YYYY',
      source: 'profile',
      flag: '--date-format',
      override: { option: 'dateFormat', value: 'DD/MM/YYYY', choices: CSV_DATE_FORMATS },
    });
    const flag = readAll(text, {
      profile: { dateFormat: 'DD/MM/YYYY' },
      flags: { dateFormat: 'MM/DD/YYYY' },
    });
    expect(flag.rows[0]?.date).toBe('2024-03-04');
  });
});

describe('readCsvStatement: rows', () => {
  it('keeps every unmapped column as an extra and keys the description on all text', () => {
    const text =
      'Date,Payee,Memo,Amount,Reference,Balance\n2024-01-01,Shop,Card 1234,-1.00,R-77,99.00\n';
    const mapped = readAll(text).rows[0];
    expect(mapped?.extras).toEqual([
      { label: 'Reference', value: 'R-77' },
      { label: 'Balance', value: '99.00' },
    ]);
    const other = readAll(text, {
      flags: { mapping: { date: 'Date', amount: 'Amount', payee: 'Memo' } },
    }).rows[0];
    expect(other?.payee).toBe('Card 1234');
    expect(other?.extras).toEqual([
      { label: 'Payee', value: 'Shop' },
      { label: 'Reference', value: 'R-77' },
      { label: 'Balance', value: '99.00' },
    ]);
    expect(other?.descriptionKey).toBe(mapped?.descriptionKey);
    expect(mapped?.descriptionKey).toBe(descriptionKey('Shop', 'Card 1234', 'R-77'));
  });

  it('passes a category column through and maps an id column', () => {
    const { rows } = readAll(
      'Date,Amount,Payee,Category,Transaction ID\n2024-01-01,-2.00,X,Dining Out,T-1\n',
    );
    expect(rows[0]).toMatchObject({ category: 'Dining Out', externalId: 'T-1', extras: [] });
  });

  it('names the line (and column) of a malformed row when items reach it', () => {
    const text = 'Date,Amount,Payee\n2024-01-01,1.00,A\n2024-01-02,abc,B\n';
    const err = thrown(() => readAll(text).rows);
    expect(err).toMatchObject({ code: 'IMPORT_PARSE_ERROR', details: { line: 3, column: 2 } });
    expect(err.message).toMatch(/^line 3: /);
    const badDate = thrown(() => readAll('Date,Amount\n2024-01-01,1.00\n2024-02-30,2.00\n').rows);
    expect(badDate).toMatchObject({ code: 'IMPORT_PARSE_ERROR', details: { line: 3, column: 1 } });
  });

  it('counts lines through quoted multi-line fields', () => {
    const text =
      'Date,Payee,Amount\r\n2024-01-01,"two\r\nlines",1.00\r\n\r\n2024-01-02,"say ""hi""",2.00\r\n2024-01-03,x,oops\r\n';
    const err = thrown(() => readAll(text).rows);
    expect(err).toMatchObject({ details: { line: 6 } });
    const ok = readAll(text.replace('oops', '3.00'));
    expect(ok.rows.map((r) => [r.line, r.payee])).toEqual([
      [2, 'two\nlines'],
      [5, 'say "hi"'],
      [6, 'x'],
    ]);
  });

  it('starts over on every items() call', () => {
    const { file } = readAll('Date,Amount\n2024-01-01,1.00\n2024-01-02,2.00\n');
    const items = file.statements[0]?.items();
    expect([...(items ?? [])]).toHaveLength(2);
    expect([...(file.statements[0]?.items() ?? [])]).toHaveLength(2);
  });

  it('takes the layout from flags: lines to skip, no header, positions', () => {
    const text =
      'Exported 2024-02-01\nAcct 1234\n2024-01-15,12.00,Shop,ref 9\n2024-01-16,-3.00,Cafe,ref 10\n';
    const { file, rows, skips } = readAll(text, {
      flags: { skipLines: 2, header: false, mapping: { date: 1, amount: 2, payee: 3 } },
    });
    expect(skips.map((s) => [s.line, s.reason])).toEqual([
      [1, 'preamble'],
      [2, 'preamble'],
    ]);
    expect(rows.map(brief)).toEqual([
      ['2024-01-15', 1200, 'Shop', null],
      ['2024-01-16', -300, 'Cafe', null],
    ]);
    expect(rows[0]?.extras).toEqual([{ label: 'column 4', value: 'ref 9' }]);
    expect(file.resolved).toMatchObject({
      header: false,
      skipLines: 2,
      mapping: { date: 1, amount: 2, payee: 3 },
    });
    expect(file.settings.filter((s) => s.source === 'flag').map((s) => s.name)).toEqual([
      'header',
      'skip lines',
      'mapping',
    ]);
    expect(file.warnings).toEqual([]);
  });

  it('names the columns when a mapped header name is missing', () => {
    const err = thrown(() =>
      readAll('Date,Amount\n2024-01-01,1.00\n', {
        flags: { mapping: { date: 'Date', amount: 'Betrag' } },
      }),
    );
    expect(err).toMatchObject({ code: 'IMPORT_PARSE_ERROR', details: { line: 1 } });
    expect(err.message).toMatch(/"Betrag".*"Date", "Amount"/);
  });
});

describe('readCsvStatement: a fee column beside the amount', () => {
  // Revolut's layout: the fee is a positive cost the amount does not hold; the running
  // balance moves by the amount less the fee.
  const revolut = [
    'Type,Product,Started Date,Completed Date,Description,Amount,Fee,Currency,State,Balance',
    'CARD_PAYMENT,Current,2023-01-05 10:13:45,2023-01-06 08:01:02,Tesco,-23.40,0.00,GBP,COMPLETED,976.60',
    'EXCHANGE,Current,2023-01-07 12:00:00,2023-01-07 12:00:01,Exchanged to EUR,-100.00,0.50,GBP,COMPLETED,876.10',
    'CARD_PAYMENT,Current,2023-01-08 18:22:10,,Amazon,-15.99,0.00,GBP,PENDING,',
    'CARD_PAYMENT,Current,2023-01-09 11:11:11,2023-01-09 11:11:12,Uber,-8.20,0.00,GBP,REVERTED,876.10',
    'ATM,Current,2023-01-10 09:00:00,2023-01-10 09:00:02,Cash at Bank St,-50.00,1.25,GBP,COMPLETED,824.85',
  ];

  it('takes the fee from the amount when the balance shows it, and keeps it in the notes', () => {
    const { file, rows, skips } = readAll(revolut.join('\n'), { accountCurrency: 'GBP' });
    expect(rows.map(brief)).toEqual([
      ['2023-01-05', -2340, 'Tesco', null],
      ['2023-01-07', -10050, 'Exchanged to EUR', null],
      ['2023-01-10', -5125, 'Cash at Bank St', null],
    ]);
    expect(rows[1]?.extras).toContainEqual({ label: 'Fee', value: '0.50' });
    // The summary of where each column went says the fee counted.
    expect(file.columns).toContainEqual({
      column: 'Fee',
      field: 'notes; the fee, taken from the amount',
    });
    expect(rows[1]?.extras).toContainEqual({
      label: 'Completed Date',
      value: '2023-01-07 12:00:01',
    });
    expect(skips.map((s) => [s.line, s.reason])).toEqual([
      [4, 'pending'],
      [5, 'not-a-transaction'],
    ]);
    expect(file.resolved).toMatchObject({
      header: true,
      fee: 'subtract',
      mapping: { date: 'Started Date', amount: 'Amount', status: 'State' },
    });
    expect(file.settings).toContainEqual({
      name: 'fee',
      value: 'Fee: taken from the amount',
      source: 'detected',
      flag: '--fee',
      override: { option: 'fee', value: 'subtract', choices: ['subtract', 'add', 'included'] },
    });
  });

  it('reads the balance either way round: newest first, fees written negative beside a gross', () => {
    const text = [
      'Date,Description,Amount,Fee,Balance',
      '2024-03-05,Client B,250.00,-8.95,563.55',
      '2024-03-02,Client A,100.00,-3.50,322.50',
      '2024-03-01,Opening balance,,,226.00',
    ].join('\n');
    const { file, rows } = readAll(text);
    expect(file.resolved.fee).toBe('add');
    expect(rows.map((r) => r.amountMinor)).toEqual([24105, 9650]);
  });

  it('leaves the amount alone when the balance shows it already holds the fee', () => {
    const text = [
      'Date,Description,Amount,Fee,Balance',
      '2024-03-01,Wire out,-25.00,5.00,75.00',
      '2024-03-02,Wire out,-30.00,5.00,45.00',
    ].join('\n');
    const { file, rows } = readAll(text);
    expect(file.resolved.fee).toBe('included');
    expect(rows.map((r) => r.amountMinor)).toEqual([-2500, -3000]);
    expect(rows[0]?.extras).toContainEqual({ label: 'Fee', value: '5.00' });
  });

  it('asks when no balance tells, or the balance agrees with no one rule; a flag decides', () => {
    const noBalance = 'Date,Description,Amount,Fee\n2024-03-01,Wire,-25.00,5.00\n';
    expect(thrown(() => readAll(noBalance))).toMatchObject({
      code: 'IMPORT_NEEDS_CHOICE',
      details: { setting: 'fee', options: ['subtract', 'add', 'included'], flag: '--fee' },
    });
    const mixed = [
      'Date,Description,Amount,Fee,Balance',
      '2024-03-01,Opening balance,,,100.00',
      '2024-03-02,Wire,-25.00,5.00,70.00',
      '2024-03-03,Wire,-25.00,5.00,45.00',
    ].join('\n');
    expect(thrown(() => readAll(mixed))).toMatchObject({ details: { setting: 'fee' } });
    const given = readAll(noBalance, { flags: { fee: 'subtract' } });
    expect(given.rows[0]?.amountMinor).toBe(-3000);
    expect(given.file.settings.find((s) => s.name === 'fee')?.source).toBe('flag');
  });

  it('decides nothing when every fee is zero, and a net amount never takes its fee again', () => {
    const zero = readAll('Date,Description,Amount,Fee\n2024-03-01,Card,-5.00,0.00\n');
    expect(zero.file.resolved.fee).toBeUndefined();
    expect(zero.file.settings.find((s) => s.name === 'fee')).toBeUndefined();
    expect(zero.rows[0]?.amountMinor).toBe(-500);
    const net = readAll('Date,Name,Gross,Fee,Net\n2024-03-01,Client,250.00,-8.95,241.05\n');
    expect(net.file.resolved.fee).toBe('included');
    expect(net.rows[0]?.amountMinor).toBe(24105);
  });

  it('names the line and column of a fee it cannot read, once the fee counts', () => {
    const text =
      'Date,Description,Amount,Fee\n2024-03-01,Wire,-25.00,5.00\n2024-03-02,Wire,-1.00,n/a\n';
    const { file } = readAll('Date,Description,Amount,Fee\n2024-03-01,Wire,-25.00,5.00\n', {
      flags: { fee: 'subtract' },
    });
    expect(file.resolved.fee).toBe('subtract');
    expect(thrown(() => readAll(text, { flags: { fee: 'subtract' } }))).toMatchObject({
      code: 'IMPORT_PARSE_ERROR',
      details: { line: 3, column: 4, columnName: 'Fee' },
    });
  });
});

describe('readCsvStatement: the payee when its own cell is empty', () => {
  // A money transfer service's statement: card rows name a merchant, transfers a payee or a
  // payer, conversions nobody but their description.
  const statement = [
    'ID,Date,Amount,Currency,Description,Payer Name,Payee Name,Merchant,Note',
    'TRANSFER-1,05-01-2023,-100.00,EUR,Sent money to John Smith,,John Smith,,rent',
    'CARD-2,13-01-2023,-4.50,EUR,Card transaction issued by Le Cafe PARIS,,,Le Cafe,',
    'TRANSFER-3,16-01-2023,900.00,EUR,Received money from Acme Ltd,Acme Ltd,,,',
    'BALANCE-4,20-01-2023,-50.00,EUR,Converted 50.00 EUR to 54.20 USD,,,,',
  ].join('\n');

  it('takes the next column that names a party, and says which in the settings', () => {
    const { file, rows } = readAll(statement, { accountCurrency: 'EUR' });
    expect(rows.map((r) => r.payee)).toEqual([
      'John Smith',
      'Le Cafe',
      'Acme Ltd',
      'Converted 50.00 EUR to 54.20 USD',
    ]);
    expect(file.resolved.mapping).toMatchObject({ payee: 'Payee Name', memo: 'Note' });
    expect(file.columns).toEqual(
      expect.arrayContaining([
        { column: 'Payer Name', field: 'notes; the payee of money in' },
        { column: 'Merchant', field: 'notes; the payee when its cell is empty' },
        { column: 'Description', field: 'notes; the payee when its cell is empty' },
      ]),
    );
    expect(file.settings).toContainEqual({
      name: 'payee when its cell is empty',
      value: 'Merchant, then Description',
      source: 'detected',
      flag: '--map',
    });
    // The column a payee came from is not repeated in the notes; the others are kept.
    expect(rows[1]?.extras.map((e) => e.label)).toEqual(['Description']);
    expect(rows[2]?.extras.map((e) => e.label)).toEqual(['Description']);
  });

  it("reads next month's file the same way through the profile its first import saved", () => {
    const first = readAll(statement, { accountCurrency: 'EUR' });
    const again = readAll(statement, {
      accountCurrency: 'EUR',
      profileFor: () => first.file.resolved,
    });
    expect(again.file.settings.find((s) => s.name === 'mapping')?.source).toBe('profile');
    // The payer of money in, and the party columns behind an empty payee, as the first time.
    expect(again.rows.map((r) => r.payee)).toEqual(first.rows.map((r) => r.payee));
    expect(again.rows.map((r) => r.extras)).toEqual(first.rows.map((r) => r.extras));
  });

  it('keeps the description key whichever column gave the payee', () => {
    const { rows } = readAll(statement, { accountCurrency: 'EUR' });
    const remapped = readAll(statement, {
      accountCurrency: 'EUR',
      flags: { mapping: { date: 'Date', amount: 'Amount', payee: 'Description' } },
    });
    expect(remapped.rows.map((r) => r.descriptionKey)).toEqual(rows.map((r) => r.descriptionKey));
    // A mapping the user gave is followed as given: no column fills in for another.
    expect(remapped.file.settings.find((s) => s.name === 'payee when its cell is empty')).toBe(
      undefined,
    );
  });
});

describe('readCsvStatement: amount columns named by currency', () => {
  const text = [
    '"Account Type","Account Number","Transaction Date","Description 1","Description 2","CAD$","USD$"',
    'Chequing,06702-5012345,1/15/2024,"PAYROLL DEP","ACME CORP",2500.00,',
    'US Savings,06702-5099999,1/16/2024,"WIRE IN","",,120.00',
  ].join('\n');

  it("takes the column in the account's currency as the amount", () => {
    const cad = readAll(text.split('\n').slice(0, 2).join('\n'), { accountCurrency: 'CAD' });
    expect(cad.file.resolved.mapping).toMatchObject({ amount: 'CAD$', payee: 'Description 1' });
    expect(cad.rows.map(brief)).toEqual([['2024-01-15', 250000, 'PAYROLL DEP', 'ACME CORP']]);
    const usd = readAll([text.split('\n')[0], text.split('\n')[2]].join('\n'), {
      accountCurrency: 'USD',
    });
    expect(usd.file.resolved.mapping).toMatchObject({ amount: 'USD$' });
    expect(usd.rows.map((r) => r.amountMinor)).toEqual([12000]);
  });
});

describe('readCsvStatement: amounts marked DR and CR, cells kept as spreadsheet text', () => {
  it('signs each amount by its mark and reads ="…" cells as their text', () => {
    const text = [
      'Date,Description,Amount,Balance',
      '="05/01/2024",WOOLWORTHS 1234,23.40 DR,976.60 CR',
      '="15/01/2024",ACME PTY LTD SALARY,"2,500.00 CR","3,476.60 CR"',
    ].join('\n');
    const { rows } = readAll(text, { accountCurrency: 'AUD' });
    expect(rows.map(brief)).toEqual([
      ['2024-01-05', -2340, 'WOOLWORTHS 1234', null],
      ['2024-01-15', 250000, 'ACME PTY LTD SALARY', null],
    ]);
  });
});

describe('readCsvStatement: amount columns that all name the account currency', () => {
  it('keeps the net amount over a gross one in the same currency', () => {
    const { file, rows } = readAll(
      'Date,Name,Gross (EUR),Fee (EUR),Net (EUR)\n2024-03-01,Client,250.00,-8.95,241.05\n',
      { accountCurrency: 'EUR' },
    );
    expect(file.resolved.mapping.amount).toBe('Net (EUR)');
    expect(rows[0]?.amountMinor).toBe(24105);
  });
});
