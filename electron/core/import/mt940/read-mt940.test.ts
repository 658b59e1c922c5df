import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { descriptionKey } from '../description-key.js';
import { readMt940File } from './read-mt940.js';
import { cofferErrorOf as failure, itemsOf, rowItem } from '../testing/import-test-helpers.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../fixtures/mt940/${name}`, import.meta.url), 'utf8');
const row = (
  line: number,
  date: string,
  amountMinor: number,
  payee: string | null,
  memo: string | null,
  externalId: string | null,
  extras: [string, string][],
) => rowItem({ line, date, amountMinor, currency: 'EUR', payee, memo, externalId, extras });

describe('readMt940File: fixtures', () => {
  it('reads a German bank file: ?-subfields, SEPA keywords, wrapped lines, a year change', () => {
    const file = readMt940File(fixture('de-sparkasse.sta'));
    expect(file.format).toBe('mt940');
    expect(file.statements.map((s) => [s.bankAccountId, s.currency, s.line])).toEqual([
      ['10050000/0123456789', 'EUR', 1],
    ]);
    expect(itemsOf(file.statements[0])).toEqual([
      row(
        5,
        '2023-12-29',
        -8400,
        'Stadtwerke Musterstadt GmbH',
        'Abschlag Strom/Gas 12/2023 Vertragskonto 400112233 | SEPA-BASISLASTSCHRIFT',
        null,
        [
          ['Value date', '2023-12-29'],
          ['Transaction type code', 'NDDT'],
          ['Funds code', 'R'],
          ['Business transaction code', '105'],
          ['Primanota', '9310'],
          ['Counterparty bank code', 'COBADEFFXXX'],
          ['Counterparty account', 'DE89370400440532013000'],
          ['Text key extension', '992'],
          ['EndToEndId', 'SWM-2023-12-7781203'],
          ['MndtId', 'SWM-KD-0045512-01'],
          ['Creditor id', 'DE98ZZZ09999999999'],
        ],
      ),
      // Value date December 31, entry date "0102": booked January 2 of the next year.
      row(
        10,
        '2024-01-02',
        312045,
        'Beispielwerk AG',
        'LOHN/GEHALT 12/2023 PERS.NR. 00871 | LOHN/GEHALT',
        null,
        [
          ['Value date', '2023-12-31'],
          ['Transaction type code', 'NMSC'],
          ['Funds code', 'R'],
          ['Business transaction code', '153'],
          ['Primanota', '9248'],
          ['Counterparty bank code', 'SOLADEST600'],
          ['Counterparty account', 'DE44500105175407324931'],
          ['EndToEndId', 'LOHN-2023-12-00871'],
          ['Ultimate debtor', 'Beispielwerk AG Lohnbuchhaltung'],
        ],
      ),
      row(
        15,
        '2024-01-02',
        -2380,
        'REWE Markt GmbH',
        'GIROCARD 30.12. 14.12 UHR REWE MARKT 4711 MUSTERSTADT | KARTENZAHLUNG',
        null,
        [
          ['Value date', '2024-01-02'],
          ['Transaction type code', 'NMSC'],
          ['Funds code', 'R'],
          ['Business transaction code', '106'],
          ['Primanota', '9327'],
        ],
      ),
    ]);
    expect(file.settings).toEqual([
      {
        name: 'information field (:86:)',
        value: 'German structured (?NN subfields)',
        source: 'detected',
      },
      { name: 'statement reference', value: 'STARTUMSE', source: 'file' },
      { name: 'statement number', value: '10050000/0123456789: 00001/001', source: 'file' },
      {
        name: 'opening balance',
        value: '10050000/0123456789: 1523.40 EUR on 2023-12-28',
        source: 'file',
      },
      {
        name: 'closing balance',
        value: '10050000/0123456789: 4536.05 EUR on 2024-01-02',
        source: 'file',
      },
    ]);
    expect(file.warnings).toEqual([]);
  });

  it('reads an ING file: preamble, CRLF, IBAN with a currency suffix, /CNTP/ and /REMI/ wrapped mid-word', () => {
    const file = readMt940File(fixture('nl-ing.940'));
    expect(file.statements.map((s) => [s.bankAccountId, s.currency, s.line])).toEqual([
      ['NL20INGB0001234567', 'EUR', 4],
    ]);
    expect(itemsOf(file.statements[0])).toEqual([
      row(8, '2024-01-05', -2500, 'J. de Vries', 'Huur januari 2024', '00000000001005', [
        ['Value date', '2024-01-05'],
        ['Transaction type code', 'NTRF'],
        ['Customer reference', 'EREF'],
        ['Supplementary details', '/TRCD/00100/'],
        ['EndToEndId', 'NOTPROVIDED'],
        ['Counterparty IBAN', 'NL12RABO0123456789'],
        ['Counterparty BIC', 'RABONL2U'],
        ['Counterparty city', 'Utrecht'],
      ]),
      row(12, '2024-01-05', 150000, 'Voorbeeld B.V.', 'Salaris januari 2024', '00000000001006', [
        ['Value date', '2024-01-05'],
        ['Transaction type code', 'NTRF'],
        ['Customer reference', 'EREF'],
        ['Supplementary details', '/TRCD/00100/'],
        ['EndToEndId', 'SAL-2024-01'],
        ['Counterparty IBAN', 'NL86INGB0002445588'],
        ['Counterparty BIC', 'INGBNL2A'],
        ['Counterparty city', 'Rotterdam'],
      ]),
      row(16, '2024-01-05', -1295, 'KPN B.V.', '1234567890123456', '00000000001007', [
        ['Value date', '2024-01-05'],
        ['Transaction type code', 'NDDT'],
        ['Customer reference', 'EREF'],
        ['Supplementary details', '/TRCD/01016/'],
        ['EndToEndId', 'KPN-88123'],
        ['MndtId', 'KPN-MND-00312'],
        ['Creditor id', 'NL12ZZZ300000000000'],
        ['Counterparty IBAN', 'NL33ABNA0412345678'],
        ['Counterparty BIC', 'ABNANL2A'],
      ]),
    ]);
    expect(file.settings.slice(3)).toEqual([
      {
        name: 'opening balance',
        value: 'NL20INGB0001234567: 1234.56 EUR on 2024-01-04',
        source: 'file',
      },
      {
        name: 'closing balance',
        value: 'NL20INGB0001234567: 2696.61 EUR on 2024-01-05',
        source: 'file',
      },
      {
        name: 'closing available balance',
        value: 'NL20INGB0001234567: 2696.61 EUR on 2024-01-05',
        source: 'file',
      },
      {
        name: 'forward available balance',
        value: 'NL20INGB0001234567: 2696.61 EUR on 2024-01-08',
        source: 'file',
      },
      {
        name: 'statement information',
        value: 'NL20INGB0001234567: /SUM/3/1/37,95/1500,00/',
        source: 'file',
      },
    ]);
  });

  it('reads an Austrian file: BLZ/account, free text over two lines, a reversal of a credit', () => {
    const file = readMt940File(fixture('at-erste.mt940'));
    expect(file.statements[0]?.bankAccountId).toBe('20111/28123456789');
    expect(itemsOf(file.statements[0])).toEqual([
      row(
        5,
        '2024-02-01',
        -4990,
        null,
        'Amazon EU S.a.r.l. Bestellung 302-1234567-7654321 Kartenzahlung 31.01.2024',
        '10022431',
        [
          ['Value date', '2024-02-01'],
          ['Transaction type code', 'NMSC'],
        ],
      ),
      row(
        8,
        '2024-02-01',
        -12000,
        null,
        'RUECKBUCHUNG Gutschrift irrtuemlich Versicherung Donau AG',
        '10022432',
        [
          ['Value date', '2024-02-01'],
          ['Transaction type code', 'NMSC'],
          ['Reversal', 'RC: reversal of a credit'],
        ],
      ),
      row(10, '2024-02-02', 245000, null, 'Gehalt Jänner 2024 Muster Logistik GmbH', '10022433', [
        ['Value date', '2024-02-02'],
        ['Transaction type code', 'NTRF'],
      ]),
    ]);
    expect(file.settings[0]).toEqual({
      name: 'information field (:86:)',
      value: 'free text',
      source: 'detected',
    });
  });

  it('reads SWIFT-wrapped messages as separate statements, with intermediate balances', () => {
    const file = readMt940File(fixture('swift-wrapped.mt940'));
    expect(file.statements.map((s) => [s.bankAccountId, s.currency, s.line])).toEqual([
      ['DE89370400440532013000', 'EUR', 2],
      ['DE89370400440532013000', 'EUR', 12],
    ]);
    expect(itemsOf(file.statements[0])).toEqual([
      row(
        6,
        '2024-03-07',
        -113650,
        null,
        'Payment invoice 2231 Acme Industrial Supply Inc. Houston',
        'DB240307A0001',
        [
          ['Value date', '2024-03-07'],
          ['Transaction type code', 'S103'],
          ['Customer reference', 'REF-INV-2231'],
          ['Supplementary details', '/OCMT/USD1250,00//EXCH/1,0996/'],
        ],
      ),
    ]);
    expect(itemsOf(file.statements[1])).toEqual([
      row(
        16,
        '2024-03-07',
        50000,
        'Kunde Eins GmbH',
        'Rechnung 2024-031 | GUTSCHRIFT',
        'DB240307A0002',
        [
          ['Value date', '2024-03-07'],
          ['Transaction type code', 'NTRF'],
          ['Business transaction code', '166'],
        ],
      ),
    ]);
    expect(
      file.settings.filter((s) => s.name.includes('balance')).map((s) => [s.name, s.value]),
    ).toEqual([
      ['opening balance', 'DE89370400440532013000: 10000.00 EUR on 2024-03-06'],
      ['intermediate closing balance', 'DE89370400440532013000: 8863.50 EUR on 2024-03-07'],
      ['intermediate opening balance', 'DE89370400440532013000: 8863.50 EUR on 2024-03-07'],
      ['closing balance', 'DE89370400440532013000: 9363.50 EUR on 2024-03-07'],
      ['closing available balance', 'DE89370400440532013000: 9363.50 EUR on 2024-03-07'],
    ]);
  });

  it('builds the description key from payee, purpose, posting text and ultimate party', () => {
    const [, salary] = itemsOf(readMt940File(fixture('de-sparkasse.sta')).statements[0]);
    expect(salary?.kind === 'row' && salary.row.descriptionKey).toBe(
      descriptionKey(
        'Beispielwerk AG Lohnbuchhaltung',
        'Beispielwerk AG',
        'LOHN/GEHALT 12/2023 PERS.NR. 00871',
        'LOHN/GEHALT',
      ),
    );
  });

  it('reads rows again on every items() call', () => {
    const [statement] = readMt940File(fixture('nl-ing.940')).statements;
    expect(itemsOf(statement)).toEqual(itemsOf(statement));
  });
});

const HEAD = ':20:TEST\n:25:DE89370400440532013000\n:28C:1/1\n:60F:C240101EUR100,00\n';

describe('readMt940File: dialects and edge cases', () => {
  it('reads ABN AMRO: its ABNANL2A preamble, :25: account without IBAN, /TRTP/ /NAME/ /REMI/', () => {
    const text =
      'ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n:25:517852257\n:28:19321/1\n:60F:C240522EUR3236,28\n' +
      ':61:2405220522D9,95N426NONREF\n' +
      ':86:/TRTP/SEPA INCASSO ALGEMEEN DOORLOPEND/CSID/NL71ABNA0000000001/NAM\nE/ENERGIE NOORD BV/MARF/EN-000123/REMI/Termijn mei/IBAN/NL09ABNA0123456789/BIC/ABNANL2A/EREF/EN-2405-77\n' +
      ':62F:C240522EUR3226,33\n';
    const file = readMt940File(text);
    expect(file.statements[0]?.bankAccountId).toBe('517852257');
    expect(itemsOf(file.statements[0])).toEqual([
      row(8, '2024-05-22', -995, 'ENERGIE NOORD BV', 'Termijn mei', null, [
        ['Value date', '2024-05-22'],
        ['Transaction type code', 'N426'],
        ['Transaction type', 'SEPA INCASSO ALGEMEEN DOORLOPEND'],
        ['Creditor id', 'NL71ABNA0000000001'],
        ['MndtId', 'EN-000123'],
        ['Counterparty IBAN', 'NL09ABNA0123456789'],
        ['Counterparty BIC', 'ABNANL2A'],
        ['EndToEndId', 'EN-2405-77'],
      ]),
    ]);
  });

  it('books a January value date with a December entry date in the year before', () => {
    const text = `${HEAD}:61:2401021231D5,00NMSCNONREF\n:86:Fee\n:62F:C240102EUR95,00\n`;
    expect(itemsOf(readMt940File(text).statements[0])).toEqual([
      row(5, '2023-12-31', -500, null, 'Fee', null, [
        ['Value date', '2024-01-02'],
        ['Transaction type code', 'NMSC'],
      ]),
    ]);
  });

  it('signs RD as a credit, keeps a row without :86:, and reads CR-only line ends', () => {
    const text =
      `${HEAD}:61:240105RD7,50NTRFCUST1//B1\n:61:240106C1,NTRFNONREF//B2\n:62F:C240106EUR108,50\n`.replace(
        /\n/g,
        '\r',
      );
    const rows = itemsOf(readMt940File(text).statements[0]).map(
      (i) =>
        i.kind === 'row' && [
          i.row.line,
          i.row.amountMinor,
          i.row.externalId,
          i.row.memo,
          i.row.extras.map((e) => e.value),
        ],
    );
    expect(rows).toEqual([
      [5, 750, 'B1', null, ['2024-01-05', 'NTRF', 'CUST1', 'RD: reversal of a debit']],
      [6, 100, 'B2', null, ['2024-01-06', 'NTRF']],
    ]);
  });

  it('does not use a bank reference two rows share, and says so', () => {
    const text = `${HEAD}:61:240105D1,00NTRFNONREF//SAME\n:61:240105D2,00NTRFNONREF//SAME\n:62F:C240105EUR97,00\n`;
    const file = readMt940File(text);
    const rows = itemsOf(file.statements[0]).map(
      (i) => i.kind === 'row' && [i.row.externalId, i.row.extras.at(-1)],
    );
    expect(rows).toEqual([
      [null, { label: 'Bank reference', value: 'SAME' }],
      [null, { label: 'Bank reference', value: 'SAME' }],
    ]);
    expect(file.warnings).toEqual([
      'the bank reference "SAME" is used by more than one row, so those rows are told apart by their content instead',
    ]);
  });

  it('refuses a statement cut before its closing balance, or whose rows do not reach it', () => {
    const cut = readFileSync(
      new URL('../fixtures/mt940/de-sparkasse.sta', import.meta.url),
      'utf8',
    );
    const truncated = cut.slice(0, cut.indexOf(':62F:'));
    expect(failure(() => readMt940File(truncated)).message).toBe(
      'line 1: the statement has no closing balance (:62F: or :62M:); the file may be truncated',
    );
    const dropped = cut.replace(/:61:2401020102DR23,80NMSCNONREF\n:86:[^:]*/, '');
    expect(failure(() => readMt940File(dropped)).message).toBe(
      'line 15: 10050000/0123456789: the opening balance and the rows add up to 4559.85 EUR, not the closing balance 4536.05 EUR; a row may be missing or misread',
    );
    const twoStatements = `${HEAD}:61:240105D1,00NTRFNONREF\n:20:NEXT\n${HEAD.slice(9)}:62F:C240101EUR100,00\n`;
    expect(failure(() => readMt940File(twoStatements)).message).toMatch(
      /^line 1: the statement has no closing balance/,
    );
  });

  it('names the line of a malformed statement line, balance or amount', () => {
    const cases: [string, RegExp][] = [
      [`${HEAD}:61:240105X1,00NTRF\n`, /^line 5: :61: "240105X1,00NTRF" is not a statement line/],
      [`${HEAD}:61:240230D1,00NTRFNONREF\n`, /^line 5: :61: value date "240230" is no real day$/],
      [`${HEAD}:61:2401051332D1,00NTRFNONREF\n`, /^line 5: :61: entry date "1332" is no real day$/],
      [`${HEAD}:61:240105D1,001NTRFNONREF\n`, /^line 5: .*more than 2 decimal places/],
      [
        HEAD.replace('C240101EUR100,00', 'C240101EUR100.00'),
        /^line 4: :60F: "C240101EUR100.00" is not a balance/,
      ],
      [
        HEAD.replace(':60F:C240101EUR100,00\n', '') + ':61:240105D1,00NTRFNONREF\n',
        /^line 4: the statement has no opening balance/,
      ],
      [':25:DE89370400440532013000\n:20:X\n', /^line 1: :25: comes before the first :20:/],
      ['Buchungstag;Betrag\n01.03.2024;-4,50\n', /^line 1: this is not an MT940 file/],
    ];
    for (const [text, message] of cases) {
      const err = failure(() => readMt940File(text));
      expect(err.code).toBe('IMPORT_PARSE_ERROR');
      expect(err.message).toMatch(message);
      expect(typeof err.details?.line).toBe('number');
    }
  });
});
