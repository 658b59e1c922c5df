import { describe, expect, it } from 'vitest';
import { readHeader } from './header-names.js';

const role = (header: string) => readHeader(header).role;

describe('header names', () => {
  it('reads headers in six languages, ignoring case, accents and punctuation', () => {
    const cases: [string, string][] = [
      ['Buchungstag', 'date'],
      ['Valuta', 'valueDate'],
      ['Betrag', 'amount'],
      ['Auftraggeber/Empfänger', 'payee'],
      ['Verwendungszweck', 'memo'],
      ['Débit', 'debit'],
      ['Crédit', 'credit'],
      ['Date de valeur', 'valueDate'],
      ['Libellé', 'payee'],
      ['Importe', 'amount'],
      ['Concepto', 'payee'],
      ['Data contabile', 'date'],
      ['Importo', 'amount'],
      ['Descrizione', 'payee'],
      ['Boekdatum', 'date'],
      ['Af Bij', 'indicator'],
      ['Naam / Omschrijving', 'payee'],
      ['Mededelingen', 'memo'],
      ['Transaction Date', 'date'],
      ['Posted Date', 'date'],
      ['POSTING DATE', 'date'],
      ['Saldo', 'balance'],
      ['Währung', 'currency'],
      ['Status', 'status'],
      ['Category', 'category'],
      ['Transaction ID', 'id'],
      ['Reference', 'reference'],
      ['Paid out', 'debit'],
      ['Paid in', 'credit'],
      ['Started Date', 'date'],
      ['Completed Date', 'valueDate'],
      ['Fee', 'fee'],
      ['Running Bal.', 'balance'],
      ['Counter Party', 'payee'],
      ['Payee Name', 'payee'],
      ['Payer Name', 'payer'],
      ['Description 1', 'payee'],
      ['Buchung', 'date'],
      ['Wertstellungsdatum', 'valueDate'],
      ['Wertstellung (Valuta)', 'valueDate'],
      ['Notiz', 'memo'],
      ['Narrative', 'payee'],
      ['dateOp', 'date'],
      ['dateVal', 'valueDate'],
      ['supplierFound', 'payee'],
      ['Débit euros', 'debit'],
      ['Crédit euros', 'credit'],
      ["Montant de l'opération", 'amount'],
      ['RunningBalance', 'balance'],
      ['Description1', 'payee'],
      ['Description2', 'memo'],
      ['Gebühren', 'fee'],
      ['Frais', 'fee'],
      ['Something else', ''],
    ];
    for (const [header, expected] of cases) expect(role(header) ?? '', header).toBe(expected);
  });

  it('takes a unit suffix as the currency', () => {
    expect(readHeader('Bedrag (EUR)')).toMatchObject({ role: 'amount', currency: 'EUR' });
    expect(readHeader('Amount (EUR)')).toMatchObject({ role: 'amount', currency: 'EUR' });
    expect(readHeader('Betrag in €')).toMatchObject({ role: 'amount', currency: 'EUR' });
    expect(readHeader('Amount [GBP]')).toMatchObject({ role: 'amount', currency: 'GBP' });
    expect(readHeader('Created (UTC)')).toMatchObject({ role: 'date', currency: null });
  });

  it('takes a currency code with its dollar sign for an amount in that currency (RBC)', () => {
    expect(readHeader('CAD$')).toMatchObject({ role: 'amount', currency: 'CAD' });
    expect(readHeader('USD$')).toMatchObject({ role: 'amount', currency: 'USD' });
    expect(readHeader('ABC$')).toMatchObject({ role: null, currency: null });
  });

  it('takes a bare upper-case currency code after the name as the currency', () => {
    expect(readHeader('Betrag CHF')).toMatchObject({ role: 'amount', currency: 'CHF' });
    expect(readHeader('Amount USD')).toMatchObject({ role: 'amount', currency: 'USD' });
    expect(readHeader('CHF')).toMatchObject({ currency: null });
    expect(readHeader('Amount usd')).toMatchObject({ role: null, currency: null });
  });
});
