import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { descriptionKey } from '../description-key.js';
import { readCamt053File } from './read-camt053.js';
import { cofferErrorOf as failure, itemsOf, rowItem } from '../testing/import-test-helpers.js';

const fixtureText = (name: string) =>
  readFileSync(new URL(`../fixtures/camt/${name}`, import.meta.url), 'utf8');
const fromText = (text: string) => readCamt053File(Buffer.from(text, 'utf8'));
const itemsOfFile = (text: string) => fromText(text).statements.flatMap(itemsOf);

const row = (
  line: number,
  date: string,
  amountMinor: number,
  currency: string,
  payee: string | null,
  memo: string | null,
  externalId: string | null,
  extras: [string, string][],
) => rowItem({ line, date, amountMinor, currency, payee, memo, externalId, extras });

describe('readCamt053File: fixtures', () => {
  it('reads a German camt.053.001.02: direct debit with mandate, batch split per TxDtls, reversal', () => {
    const file = fromText(fixtureText('de-bank-camt053-001-02.xml'));
    expect(file.format).toBe('camt053');
    expect(file.statements).toHaveLength(1);
    const [statement] = file.statements;
    expect(statement).toMatchObject({
      bankAccountId: 'DE02120300000000202051',
      currency: 'EUR',
      line: 12,
    });
    expect(itemsOf(statement)).toEqual([
      row(
        59,
        '2024-03-04',
        -8400,
        'EUR',
        'Stadtwerke Musterstadt GmbH',
        'Abschlag Strom/Gas 03/2024 Vertragskonto 400112233 | Basislastschrift',
        '2024030401234567001',
        [
          ['Value date', '2024-03-04'],
          ['Bank transaction code', 'PMNT/RDDT/ESDD'],
          ['Bank code (proprietary)', 'NDDT+105+9310+000 (DK)'],
          ['Counterparty IBAN', 'DE89370400440532013000'],
          ['Counterparty BIC', 'COBADEFFXXX'],
          ['EndToEndId', 'SWM-2024-03-7781203'],
          ['MndtId', 'SWM-KD-0045512-01'],
          ['TxDtls/RltdPties/Dbtr/Nm', 'Jana Beispiel'],
          ['TxDtls/RltdPties/DbtrAcct/Id/IBAN', 'DE02120300000000202051'],
          ['TxDtls/RltdPties/Cdtr/Id/PrvtId/Othr/Id', 'DE98ZZZ09999999999'],
          ['TxDtls/RltdPties/Cdtr/Id/PrvtId/Othr/SchmeNm/Prtry', 'SEPA'],
        ],
      ),
      row(
        172,
        '2024-03-04',
        -95000,
        'EUR',
        'Hausverwaltung Müller & Söhne GmbH',
        'Miete Maerz 2024 Whg. 3 OG links | Sammel-Überweisung',
        '2024030401234567002#1',
        [
          ['Value date', '2024-03-04'],
          ['Bank transaction code', 'PMNT/ICDT/ESCT'],
          ['Bank code (proprietary)', 'NMSC+191+9310+000 (DK)'],
          ['NtryDtls/Btch/PmtInfId', 'SAMMLER-2024-03-04'],
          ['NtryDtls/Btch/NbOfTxs', '2'],
          ['Counterparty IBAN', 'DE75512108001245126199'],
          ['Counterparty BIC', 'SOGEDEFFXXX'],
          ['EndToEndId', 'MIETE-2024-03'],
          ['TxDtls/Refs/PmtInfId', 'SAMMLER-2024-03-04'],
        ],
      ),
      row(
        203,
        '2024-03-04',
        -30000,
        'EUR',
        'Kita Sonnenschein e.V.',
        'Beitrag Maerz Kind 2 | Sammel-Überweisung',
        '2024030401234567002#2',
        [
          ['Value date', '2024-03-04'],
          ['Bank transaction code', 'PMNT/ICDT/ESCT'],
          ['Bank code (proprietary)', 'NMSC+191+9310+000 (DK)'],
          ['NtryDtls/Btch/PmtInfId', 'SAMMLER-2024-03-04'],
          ['NtryDtls/Btch/NbOfTxs', '2'],
          ['Counterparty IBAN', 'DE12500105170648489890'],
          ['EndToEndId', 'NOTPROVIDED'],
          ['TxDtls/Refs/PmtInfId', 'SAMMLER-2024-03-04'],
        ],
      ),
      row(
        230,
        '2024-03-04',
        312045,
        'EUR',
        'Beispielwerk AG',
        'LOHN/GEHALT 02/2024 PERS.NR. 00871 | Gutschrift Lohn/Gehalt',
        '2024030401234567003',
        [
          ['Value date', '2024-03-04'],
          ['Bank transaction code', 'PMNT/RCDT/ESCT'],
          ['Bank code (proprietary)', 'NMSC+153+9310+000 (DK)'],
          ['Ultimate debtor', 'Beispielwerk AG Lohnbuchhaltung'],
          ['Counterparty IBAN', 'DE44500105175407324931'],
          ['EndToEndId', 'LOHN-2024-02-00871'],
          ['TxDtls/Purp/Cd', 'SALA'],
        ],
      ),
      row(
        289,
        '2024-03-04',
        1999,
        'EUR',
        'Streamflix Europe B.V.',
        'Abo 02/2024 <Premium> & Co. | Rücklastschrift',
        '2024030401234567004',
        [
          ['Value date', '2024-03-01'],
          ['Bank transaction code', 'PMNT/RDDT/UPDD'],
          ['Reversal', 'RvslInd true: booked as DBIT, imported with the opposite sign'],
          ['EndToEndId', 'STREAM-88812-0224'],
          ['MndtId', 'STRM-000431'],
          ['TxDtls/RtrInf/Rsn/Cd', 'MD06'],
        ],
      ),
    ]);
    expect(file.settings).toEqual([
      { name: 'format', value: 'camt.053.001.02', source: 'file' },
      { name: 'encoding', value: 'utf-8', source: 'file' },
      {
        name: 'statement',
        value: 'DE02120300000000202051: id 0472024030500001, number 47, 2024-03-04 to 2024-03-04',
        source: 'file',
      },
      {
        name: 'previous closing balance',
        value: 'DE02120300000000202051: 2500.00 EUR on 2024-03-01',
        source: 'file',
      },
      {
        name: 'closing balance',
        value: 'DE02120300000000202051: 4306.44 EUR on 2024-03-04',
        source: 'file',
      },
    ]);
    expect(file.warnings).toEqual([
      'DE02120300000000202051: entries on lines 289 are reversals (RvslInd); each is imported with the sign opposite to its CdtDbtInd',
    ]);
  });

  it('reads a Swiss camt.053.001.08 with a BOM: Sts/Cd, Pty/Nm, BICFI, QR and SCOR references, DtTm', () => {
    const file = readCamt053File(
      readFileSync(new URL('../fixtures/camt/ch-bank-camt053-001-08.xml', import.meta.url)),
    );
    const [statement] = file.statements;
    expect(statement).toMatchObject({ bankAccountId: 'CH5604835012345678009', currency: 'CHF' });
    expect(itemsOf(statement)).toEqual([
      row(
        51,
        '2024-04-15',
        -12050,
        'CHF',
        'Elektrizitätswerk Seetal AG',
        'Rechnung 2024-117 | 210000000003139471430009017',
        '20240415001234000001',
        [
          ['Value date', '2024-04-15'],
          ['Bank transaction code', 'PMNT/ICDT/DMCT'],
          ['NtryRef', 'CH5604835012345678009'],
          ['Counterparty IBAN', 'CH4431999123000889012'],
          ['Counterparty BIC', 'POFICHBEXXX'],
          ['EndToEndId', 'E2E-QR-20240415-01'],
          ['TxDtls/Refs/AcctSvcrRef', '20240415001234000001'],
          ['TxDtls/Refs/InstrId', 'QR-0415-01'],
          ['TxDtls/RltdPties/Cdtr/Pty/PstlAdr/StrtNm', 'Werkstrasse'],
          ['TxDtls/RltdPties/Cdtr/Pty/PstlAdr/BldgNb', '12'],
          ['TxDtls/RltdPties/Cdtr/Pty/PstlAdr/PstCd', '6280'],
          ['TxDtls/RltdPties/Cdtr/Pty/PstlAdr/TwnNm', 'Hochdorf'],
          ['TxDtls/RltdPties/Cdtr/Pty/PstlAdr/Ctry', 'CH'],
          ['TxDtls/RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Prtry', 'QRR'],
        ],
      ),
      row(
        126,
        '2024-04-15',
        200000,
        'CHF',
        'Alpenblick Treuhand AG',
        'RF18539007547034',
        '20240415001234000002',
        [
          ['Value date', '2024-04-15'],
          ['Bank transaction code', 'PMNT/RCDT/DMCT'],
          ['NtryRef', 'CH5604835012345678009'],
          ['Ultimate debtor', 'Familie R. Keller'],
          ['Counterparty IBAN', 'DE27100777770209299700'],
          ['EndToEndId', 'NOTPROVIDED'],
          ['TxDtls/AmtDtls/InstdAmt/Amt', '2061.80 EUR'],
          ['TxDtls/RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Cd', 'SCOR'],
        ],
      ),
      row(
        196,
        '2024-04-15',
        -500,
        'CHF',
        null,
        'Kontoführungsgebühr April',
        '20240415001234000003',
        [
          ['Value date', '2024-04-15'],
          ['Bank code (proprietary)', 'CH03'],
        ],
      ),
    ]);
    expect(file.settings.slice(2)).toEqual([
      {
        name: 'statement',
        value: 'CH5604835012345678009: id STMT-20240415-7755, number 75, 2024-04-15 to 2024-04-15',
        source: 'file',
      },
      {
        name: 'opening balance',
        value: 'CH5604835012345678009: 812.35 CHF on 2024-04-15',
        source: 'file',
      },
      {
        name: 'closing balance',
        value: 'CH5604835012345678009: 2686.85 CHF on 2024-04-15',
        source: 'file',
      },
    ]);
    expect(file.warnings).toEqual([]);
  });

  it('reads a French camt.053.001.02 with namespace prefixes and several Strd references', () => {
    const file = fromText(fixtureText('fr-bank-camt053-001-02.xml'));
    const [statement] = file.statements;
    expect(statement).toMatchObject({
      bankAccountId: 'FR7630004000031234567890143',
      currency: 'EUR',
    });
    expect(itemsOf(statement)).toEqual([
      row(
        30,
        '2024-06-10',
        144000,
        'EUR',
        'SARL DUPONT FRERES',
        'RF71FAC20240042 RF44FAC20240043 | VIR SEPA RECU /DE SARL DUPONT FRERES',
        '0610001',
        [
          ['Value date', '2024-06-11'],
          ['Bank transaction code', 'PMNT/RCDT/ESCT'],
          ['Bank code (proprietary)', '05 (CFONB)'],
          ['Counterparty IBAN', 'FR1420041010050500013M02606'],
          ['Counterparty BIC', 'PSSTFRPPLIL'],
          ['EndToEndId', 'VIR-DUPONT-0042'],
          ['TxDtls/Refs/TxId', 'FR2406100000417'],
          ['TxDtls/RmtInf/Strd/RfrdDocInf/Tp/CdOrPrtry/Cd', 'CINV'],
          ['TxDtls/RmtInf/Strd/RfrdDocInf/Nb', 'F2024-042'],
          ['TxDtls/RmtInf/Strd/CdtrRefInf/Tp/CdOrPrtry/Cd', 'SCOR'],
          ['TxDtls/RmtInf/Strd/RfrdDocInf/Nb', 'F2024-043'],
        ],
      ),
      row(
        74,
        '2024-06-10',
        -6590,
        'EUR',
        'ORANGE SA',
        'FACTURE MOBILE JUIN 2024 N°88120044 | PRLV SEPA ORANGE SA',
        '0610002',
        [
          ['Value date', '2024-06-10'],
          ['Bank transaction code', 'PMNT/RDDT/ESDD'],
          ['Ultimate creditor', 'ORANGE FRANCE MOBILE'],
          ['EndToEndId', 'ORG/FA/2406/88120044'],
          ['MndtId', '++F123456789OR01'],
        ],
      ),
    ]);
    expect(file.settings.slice(2).map((s) => s.value)).toEqual([
      'FR7630004000031234567890143: id 20240610-FR7630004000031234567890143, number 112',
      'FR7630004000031234567890143: -150.10 EUR on 2024-06-10',
      'FR7630004000031234567890143: 1224.00 EUR on 2024-06-10',
    ]);
  });

  it('reads two accounts, skips pending and information entries, and takes a currency from the entries', () => {
    const file = fromText(fixtureText('two-accounts-camt053-001-04.xml'));
    expect(file.statements.map((s) => [s.bankAccountId, s.currency, s.line])).toEqual([
      ['NL91ABNA0417164300', 'EUR', 8],
      ['0012345678', 'USD', 47],
    ]);
    expect(itemsOf(file.statements[0])).toEqual([
      row(
        29,
        '2024-07-01',
        -4235,
        'EUR',
        null,
        'BEA, Apple Pay, Albert Heijn 1403, AMSTERDAM, Pas 123',
        null,
        [
          ['Value date', '2024-07-01'],
          ['Bank code (proprietary)', 'BEA (ABNAMRO)'],
          ['AcctSvcrRef', 'NONREF'],
        ],
      ),
      {
        kind: 'skip',
        skip: {
          line: 39,
          reason: 'pending',
          text: 'PDNG 2024-07-02 -18.00 EUR BEA, Apple Pay, NS Reizigers, UTRECHT',
        },
      },
    ]);
    expect(itemsOf(file.statements[1])).toEqual([
      {
        kind: 'skip',
        skip: {
          line: 57,
          reason: 'not-a-transaction',
          text: 'INFO 2024-07-01 0.00 USD Rente wordt per kwartaal bijgeschreven',
        },
      },
      row(64, '2024-07-01', 317, 'USD', null, 'Rente 2e kwartaal 2024', 'INT-2024Q2', [
        ['Value date', '2024-06-30'],
      ]),
    ]);
    expect(file.settings).toContainEqual({
      name: 'currency of 0012345678',
      value: 'USD',
      source: 'detected',
    });
  });

  it('builds the description key from every descriptive text: names, remittance, entry info', () => {
    const items = itemsOfFile(fixtureText('de-bank-camt053-001-02.xml'));
    const salary = items[3];
    expect(salary?.kind === 'row' && salary.row.descriptionKey).toBe(
      descriptionKey(
        'Beispielwerk AG',
        'Beispielwerk AG Lohnbuchhaltung',
        'LOHN/GEHALT 02/2024 PERS.NR. 00871',
        'Gutschrift Lohn/Gehalt',
      ),
    );
  });

  it('reads the entries again on every items() call, with the same result', () => {
    const [statement] = fromText(fixtureText('de-bank-camt053-001-02.xml')).statements;
    const first = itemsOf(statement);
    const iterator = statement?.items()[Symbol.iterator]();
    expect(iterator?.next().value).toEqual(first[0]);
    expect(itemsOf(statement)).toEqual(first);
  });
});

describe('readCamt053File: batches', () => {
  const german = () => fixtureText('de-bank-camt053-001-02.xml');

  it('refuses a batch whose detail amounts do not add up to the entry, naming the entry line', () => {
    const text = german().replace('<Amt Ccy="EUR">300.00</Amt>', '<Amt Ccy="EUR">301.00</Amt>');
    const file = fromText(text);
    const err = failure(() => itemsOf(file.statements[0]));
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toBe(
      "line 143: the 2 <TxDtls> amounts add up to -1251.00 EUR, not the entry's -1250.00 EUR",
    );
  });

  it('keeps a batch without per-detail amounts as one row with every detail in extras', () => {
    const text = german()
      .replace(/<AmtDtls>\s*<TxAmt>\s*<Amt Ccy="EUR">950\.00<\/Amt>\s*<\/TxAmt>\s*<\/AmtDtls>/, '')
      .replace(/<AmtDtls>\s*<TxAmt>\s*<Amt Ccy="EUR">300\.00<\/Amt>\s*<\/TxAmt>\s*<\/AmtDtls>/, '');
    const batch = itemsOfFile(text)[1];
    expect(batch).toEqual(
      row(143, '2024-03-04', -125000, 'EUR', null, 'Sammel-Überweisung', '2024030401234567002', [
        ['Value date', '2024-03-04'],
        ['Bank transaction code', 'PMNT/ICDT/ESCT'],
        ['Bank code (proprietary)', 'NMSC+191+9310+000 (DK)'],
        ['NtryDtls/Btch/PmtInfId', 'SAMMLER-2024-03-04'],
        ['NtryDtls/Btch/NbOfTxs', '2'],
        ['TxDtls[1]/Refs/PmtInfId', 'SAMMLER-2024-03-04'],
        ['TxDtls[1]/Refs/EndToEndId', 'MIETE-2024-03'],
        ['TxDtls[1]/RltdPties/Cdtr/Nm', 'Hausverwaltung Müller & Söhne GmbH'],
        ['TxDtls[1]/RltdPties/CdtrAcct/Id/IBAN', 'DE75512108001245126199'],
        ['TxDtls[1]/RltdAgts/CdtrAgt/FinInstnId/BIC', 'SOGEDEFFXXX'],
        ['TxDtls[1]/RmtInf/Ustrd', 'Miete Maerz 2024 Whg. 3 OG links'],
        ['TxDtls[2]/Refs/PmtInfId', 'SAMMLER-2024-03-04'],
        ['TxDtls[2]/Refs/EndToEndId', 'NOTPROVIDED'],
        ['TxDtls[2]/RltdPties/Cdtr/Nm', 'Kita Sonnenschein e.V.'],
        ['TxDtls[2]/RltdPties/CdtrAcct/Id/IBAN', 'DE12500105170648489890'],
        ['TxDtls[2]/RmtInf/Ustrd', 'Beitrag Maerz Kind 2'],
      ]),
    );
    expect(batch?.kind === 'row' && batch.row.descriptionKey).toContain('sonnenschein');
  });

  it('keeps every field of a batch where only some details carry an amount', () => {
    const text = german()
      .replace(
        '<EndToEndId>MIETE-2024-03</EndToEndId>\n            </Refs>',
        '<EndToEndId>MIETE-2024-03</EndToEndId>\n            </Refs>\n            <CdtDbtInd>DBIT</CdtDbtInd>',
      )
      .replace(/<AmtDtls>\s*<TxAmt>\s*<Amt Ccy="EUR">300\.00<\/Amt>\s*<\/TxAmt>\s*<\/AmtDtls>/, '');
    const batch = itemsOfFile(text)[1];
    expect(batch?.kind === 'row' && batch.row.amountMinor).toBe(-125000);
    const extras = batch?.kind === 'row' ? batch.row.extras : [];
    expect(extras).toContainEqual({ label: 'TxDtls[1]/CdtDbtInd', value: 'DBIT' });
    expect(extras).toContainEqual({ label: 'TxDtls[1]/AmtDtls/TxAmt/Amt', value: '950.00 EUR' });
  });

  it('warns when the booked entries do not lead from the opening to the closing balance', () => {
    // Read without its reversal mark, the returned direct debit would count 19.99 the wrong way.
    const file = fromText(german().replace('<RvslInd>true</RvslInd>', ''));
    expect(file.warnings).toEqual([
      'DE02120300000000202051: the opening balance and the booked entries add up to 4266.46 EUR, not the closing balance 4306.44 EUR; check the reversals (RvslInd) and that the statement is complete',
    ]);
    expect(fromText(fixtureText('two-accounts-camt053-001-04.xml')).warnings).toEqual([]);
  });

  it('does not use a bank id two entries share, and says so', () => {
    const text = german().replace('2024030401234567003', '2024030401234567001');
    const file = fromText(text);
    const ids = file.statements.flatMap(itemsOf).map((i) => i.kind === 'row' && i.row.externalId);
    expect(ids).toEqual([
      null,
      '2024030401234567002#1',
      '2024030401234567002#2',
      null,
      '2024030401234567004',
    ]);
    expect(file.warnings).toContain(
      'DE02120300000000202051: the bank id "2024030401234567001" is used by more than one entry, so those entries are told apart by their content instead',
    );
  });
});

describe('readCamt053File: refusals', () => {
  const german = () => fixtureText('de-bank-camt053-001-02.xml');

  it('refuses a DOCTYPE with entity definitions before reading anything', () => {
    const text = german().replace(
      '<Document ',
      '<!DOCTYPE Document [\n<!ENTITY secret SYSTEM "file:///etc/passwd">\n]>\n<Document ',
    );
    const err = failure(() => fromText(text));
    expect(err.code).toBe('IMPORT_FORMAT_UNSUPPORTED');
    expect(err.message).toMatch(/^line 2: the file carries a declaration \("<!DOCTYPE Do…"\)/);
    expect(err.message).not.toContain('passwd');
  });

  it('refuses entities XML does not predefine, naming the line', () => {
    const text = german().replace(
      'Jana Beispiel</Nm>\n        </Ownr>',
      'Jana&nbsp;Beispiel</Nm>\n        </Ownr>',
    );
    const err = failure(() => fromText(text));
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toMatch(/^line 26: "&nbsp;Beispi" is not a character reference/);
  });

  it('reports a truncated file at the end, naming the element left open', () => {
    const whole = german();
    const err = failure(() => fromText(whole.slice(0, whole.indexOf('</Ntry>') + 7)));
    expect(err.code).toBe('IMPORT_PARSE_ERROR');
    expect(err.message).toBe(
      'line 141: the file ends before </Stmt> (opened on line 12); it may be truncated',
    );
    const inTag = failure(() => fromText(whole.slice(0, whole.indexOf('<Dt>2024-03-04') + 3)));
    expect(inTag.message).toBe('line 55: the tag <Dt> is never closed; the file may be truncated');
  });

  it('reports every truncation point as an error before any row is read', () => {
    const whole = fixtureText('fr-bank-camt053-001-02.xml');
    const end = whole.lastIndexOf('</ns2:Document>');
    for (let cut = whole.indexOf('<ns2:Document'); cut < end; cut += 37) {
      const err = failure(() => fromText(whole.slice(0, cut)));
      expect(err.code).toBe('IMPORT_PARSE_ERROR');
      expect(typeof err.details?.line).toBe('number');
    }
  });

  it('reports a wrongly closed element at its line', () => {
    const err = failure(() => fromText(german().replace('</MndtId>', '</MandateId>')));
    expect(err.message).toBe('line 87: </MandateId> found while <MndtId> (line 87) is still open');
  });

  it('reports bad fields of an entry at their lines when the entry is read', () => {
    const cases: [string, string, RegExp][] = [
      [
        '<Amt Ccy="EUR">84.00</Amt>',
        '<Amt Ccy="EUR">84,00</Amt>',
        /^line 60: <Amt> "84,00" is not an amount$/,
      ],
      ['<Amt Ccy="EUR">84.00</Amt>', '<Amt>84.00</Amt>', /^line 60: <Amt> has no Ccy attribute$/],
      [
        '<Amt Ccy="EUR">84.00</Amt>',
        '<Amt Ccy="EUR">84.001</Amt>',
        /^line 60: .*more than 2 decimal places/,
      ],
      ['<Sts>BOOK</Sts>', '<Sts>HELD</Sts>', /^line 62: <Sts> "HELD" is not BOOK, PDNG or INFO$/],
      [
        '<CdtDbtInd>DBIT</CdtDbtInd>',
        '<CdtDbtInd>DEBIT</CdtDbtInd>',
        /^line 61: <CdtDbtInd> "DEBIT" is neither CRDT nor DBIT$/,
      ],
      [
        '<Dt>2024-03-04</Dt>\n        </BookgDt>',
        '<Dt>2024-02-30</Dt>\n        </BookgDt>',
        /^line 63: <BookgDt> "2024-02-30" is not an ISO date$/,
      ],
    ];
    for (const [from, to, message] of cases) {
      const file = fromText(german().replace(from, to));
      const err = failure(() => itemsOf(file.statements[0]));
      expect(err.code).toBe('IMPORT_PARSE_ERROR');
      expect(err.message).toMatch(message);
    }
  });

  it('refuses other camt messages and versions it does not know, by name', () => {
    const german052 = german().replace('camt.053.001.02"', 'camt.052.001.02"');
    expect(failure(() => fromText(german052)).message).toMatch(
      /camt\.052, not a camt\.053 statement/,
    );
    const future = german().replace('camt.053.001.02"', 'camt.053.001.14"');
    expect(failure(() => fromText(future)).code).toBe('IMPORT_FORMAT_UNSUPPORTED');
    const report = german()
      .replace(/BkToCstmrStmt>/g, 'BkToCstmrAcctRpt>')
      .replace('camt.053.001.02"', 'x"');
    expect(failure(() => fromText(report)).message).toMatch(/^line 3: the file is camt\.052/);
    expect(failure(() => fromText('Buchungstag;Betrag\n01.03.2024;-4,50\n')).code).toBe(
      'IMPORT_PARSE_ERROR',
    );
  });

  it('decodes a declared ISO-8859-1 file and refuses bytes that are not UTF-8', () => {
    const latin = german()
      .replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
      .replace('<Nm>Jana Beispiel</Nm>\n        </Ownr>', '<Nm>Jana Müller</Nm>\n        </Ownr>');
    const file = readCamt053File(Buffer.from(latin, 'latin1'));
    expect(file.settings).toContainEqual({ name: 'encoding', value: 'iso-8859-1', source: 'file' });
    expect(itemsOf(file.statements[0])).toHaveLength(5);
    const err = failure(() =>
      readCamt053File(Buffer.from(latin.replace('encoding="ISO-8859-1"', ''), 'latin1')),
    );
    expect(err.message).toMatch(/^line 26: the file is not valid UTF-8/);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(german(), 'utf16le')]);
    expect(failure(() => readCamt053File(utf16)).code).toBe('IMPORT_FORMAT_UNSUPPORTED');
  });
});
