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
});
