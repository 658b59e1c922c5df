import { describe, expect, it } from 'vitest';
import { detectDelimiter } from './csv-delimiter.js';
import { parseCsvMappingSpec } from './csv-mapping.js';

describe('parseCsvMappingSpec', () => {
  it('reads names and 1-based positions', () => {
    expect(parseCsvMappingSpec('date=Posting Date, amount=4,payee=Description')).toEqual({
      date: 'Posting Date',
      amount: 4,
      payee: 'Description',
    });
    expect(parseCsvMappingSpec('date=1,debit=2,credit=3')).toEqual({
      date: 1,
      debit: 2,
      credit: 3,
    });
  });

  it('refuses unknown fields, missing values and incomplete mappings with USAGE', () => {
    for (const bad of [
      'when=1,amount=2',
      'date,amount=2',
      'date=1',
      'date=1,amount=2,debit=3',
      'date=1,date=2,amount=3',
    ]) {
      expect(() => parseCsvMappingSpec(bad), bad).toThrow(
        expect.objectContaining({ code: 'USAGE' }),
      );
    }
  });
});

describe('detectDelimiter', () => {
  it('prefers the delimiter that splits every line the same way', () => {
    expect(detectDelimiter('a,b,c\n1,2,3\n')).toBe(',');
    expect(detectDelimiter('Datum;Betrag\n01.01.2024;-1,50\n02.01.2024;3,00\n')).toBe(';');
    expect(detectDelimiter('a\tb\n"x,y"\t2\n')).toBe('\t');
    expect(detectDelimiter('')).toBe(',');
  });

  it('is not misled by a decimal comma inside cells quoted in a ";" file', () => {
    // comdirect: every cell quoted, a short preamble, amounts with a decimal comma. Read
    // with ',', the quoted amounts split in two and most records have two fields alike.
    const text = [
      ';',
      '"Umsätze Girokonto";"Zeitraum: 30 Tage";',
      '"Neuer Kontostand";"3.476,60 EUR";',
      '',
      '"Buchungstag";"Wertstellung (Valuta)";"Vorgang";"Buchungstext";"Umsatz in EUR";',
      '"15.01.2024";"15.01.2024";"Gutschrift";"Gehalt Januar";"2.500,00";',
      '"05.01.2024";"05.01.2024";"Lastschrift Einzug";"REWE SAGT DANKE";"-23,40";',
      '"Alter Kontostand";"1.000,00 EUR";',
    ].join('\n');
    expect(detectDelimiter(text)).toBe(';');
  });
});

describe('parseCsvMappingSpec: the newer fields', () => {
  it('reads indicator, currency and status', () => {
    expect(
      parseCsvMappingSpec('date=Datum,amount=Bedrag,indicator=Af Bij,currency=6,status=Status'),
    ).toEqual({
      date: 'Datum',
      amount: 'Bedrag',
      indicator: 'Af Bij',
      currency: 6,
      status: 'Status',
    });
    expect(() => parseCsvMappingSpec('date=1,debit=2,indicator=3')).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
  });

  it('detects a pipe delimiter and sees past preamble lines', () => {
    expect(detectDelimiter('date|amount|payee\n2024-01-01|1.00|A\n')).toBe('|');
    const text =
      'Konto: DE12 3456;Girokonto\n\na,b;c\nDatum;Betrag;Text\n01.01.2024;1,00;x\n02.01.2024;2,00;y\n';
    expect(detectDelimiter(text)).toBe(';');
  });
});
