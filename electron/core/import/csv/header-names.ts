import { CURRENCY_EXPONENTS } from '../../../../shared/money/currency.js';

/**
 * What a column header says the column holds. Beyond the ledger fields, 'valueDate',
 * 'balance' and 'reference' are recognised so they are never taken for the booking date,
 * the amount or the description; they stay in the extras. A 'fee' column stays in the
 * extras too, and the reader decides whether the amount already holds it (read-csv-statement).
 */
export type HeaderRole =
  | 'date'
  | 'valueDate'
  | 'amount'
  | 'debit'
  | 'credit'
  | 'indicator'
  | 'payee'
  | 'payer'
  | 'memo'
  | 'reference'
  | 'currency'
  | 'status'
  | 'category'
  | 'id'
  | 'balance'
  | 'fee';

// Normalised header names (see normalizeHeader) in English, German, French, Spanish,
// Italian and Dutch. Order within a role is preference: the first present wins.
// prettier-ignore
const NAMES: Record<HeaderRole, readonly string[]> = {
  date: [
    'transaction date', 'trans date', 'date', 'booking date', 'posting date', 'posted date',
    'date posted', 'created', 'created utc', 'date time', 'datetime',
    'buchungstag', 'buchungsdatum', 'buchung', 'datum', 'belegdatum',
    'date operation', 'date de l operation', 'date comptable', 'date de comptabilisation',
    'fecha', 'fecha operacion', 'fecha contable', 'f operacion',
    'data', 'data contabile', 'data operazione', 'data registrazione',
    'boekdatum', 'transactiedatum', 'boekingsdatum',
    'started date', 'dateop', 'trade date',
  ],
  valueDate: [
    'value date', 'valuta', 'valutadatum', 'wertstellung', 'wertstellungsdatum',
    'wertstellung valuta', 'date de valeur', 'date valeur',
    'fecha valor', 'f valor', 'data valuta', 'valutadatum', 'rentedatum',
    'completed date', 'dateval',
  ],
  amount: [
    'net', 'amount', 'transaction amount', 'betrag', 'umsatz', 'montant',
    'montant de l operation', 'montant operation', 'importe', 'importo',
    'bedrag', 'value', 'gross',
  ],
  debit: [
    'debit', 'debits', 'debit amount', 'withdrawal', 'withdrawals', 'money out', 'paid out',
    'spent', 'debit euros', 'soll', 'lastschrift', 'ausgang', 'sortie', 'cargo', 'cargos', 'addebiti', 'addebito',
    'uscite', 'dare',
  ],
  credit: [
    'credit', 'credits', 'credit amount', 'deposit', 'deposits', 'money in', 'paid in',
    'received', 'credit euros', 'haben', 'gutschrift', 'eingang', 'entree', 'abono', 'abonos', 'accrediti',
    'accredito', 'entrate', 'avere',
  ],
  indicator: [
    'af bij', 'debit credit', 'dr cr', 'cr dr', 'credit debit indicator', 'soll haben', 's h',
    'transaction type', 'd c', 'c d', 'type',
  ],
  payee: [
    'payee', 'payee name', 'name', 'merchant', 'merchant name', 'counterparty', 'counter party',
    'beneficiary',
    'naam omschrijving', 'naam', 'description', 'auftraggeber empfanger', 'auftraggeber begunstigter', 'empfanger auftraggeber',
    'beguenstigter zahlungspflichtiger', 'begunstigter zahlungspflichtiger', 'empfanger',
    'auftraggeber', 'name zahlungsbeteiligter', 'zahlungsempfanger', 'libelle', 'beneficiaire',
    'zahlungsempfanger in', 'beschreibung', 'tiers', 'concepto', 'beneficiario', 'descripcion', 'descrizione', 'omschrijving',
    'tegenpartij',
    'avisierungstext',
    'buchungsdetails', 'transaction description', 'original description', 'description 1',
    'description1', 'narrative', 'supplierfound', 'label', 'transaction details',
  ],
  payer: ['zahlungspflichtige r', 'zahlungspflichtiger', 'payer', 'payer name'],
  memo: [
    'memo', 'notes', 'note', 'notiz', 'verwendungszweck', 'buchungstext', 'mededelingen', 'remarks',
    'libelle complementaire', 'informations complementaires', 'detalle', 'observaciones',
    'causale', 'descrizione operazione', 'description 2', 'description2', 'purpose',
    'detail de l ecriture', 'comment',
  ],
  reference: [
    'reference', 'ref', 'check or slip', 'check number', 'cheque number', 'referenz',
    'kundenreferenz', 'mandatsreferenz', 'glaubiger id',
    'glaeubiger id', 'referencia', 'riferimento',
    'kenmerk', 'reference number', 'checknumber',
  ],
  currency: ['currency', 'waehrung', 'wahrung', 'devise', 'moneda', 'divisa', 'valuta code', 'munt'],
  status: ['status', 'state', 'umsatzstatus', 'etat', 'estado', 'stato', 'info'],
  category: ['category', 'kategorie', 'categorie', 'categoria', 'rubrik'],
  id: ['id', 'transaction id', 'fitid', 'transaktions id', 'reference id', 'receipt id'],
  balance: [
    'balance', 'running balance', 'runningbalance', 'running bal', 'accountbalance', 'saldo', 'kontostand', 'solde', 'saldo contable',
    'balance impact', 'available balance',
  ],
  fee: [
    'fee', 'fees', 'gebuhr', 'gebuhren', 'gebuehr', 'gebuehren', 'frais', 'comision',
    'comisiones', 'commissione', 'commissioni',
  ],
};

const LOOKUP: ReadonlyMap<string, { role: HeaderRole; rank: number }> = (() => {
  const map = new Map<string, { role: HeaderRole; rank: number }>();
  for (const [role, names] of Object.entries(NAMES) as [HeaderRole, readonly string[]][]) {
    names.forEach((name, rank) => {
      if (!map.has(name)) map.set(name, { role, rank });
    });
  }
  return map;
})();

const AMOUNT_RANK = LOOKUP.get('amount')?.rank ?? 0;

const SYMBOLS: Readonly<Record<string, string>> = {
  '€': 'EUR',
  '£': 'GBP',
  '¥': 'JPY',
  '₹': 'INR',
  '₩': 'KRW',
  '₣': 'CHF',
  'fr.': 'CHF',
};

export interface HeaderMeaning {
  /** The header lowercased, accents and punctuation dropped, unit suffix removed. */
  key: string;
  role: HeaderRole | null;
  /** Preference among headers of the same role (lower first). */
  rank: number;
  /** Currency named by a unit suffix: "Amount (EUR)", "Betrag in €". */
  currency: string | null;
}

// A bare upper-case code after a space counts too ("Betrag CHF", "Amount USD"): Swiss and
// Scandinavian banks write it so; lower-case words are left alone, as "Date all" is no unit.
const UNIT = /^(.*?)\s*(?:\(([^)]*)\)|\[([^\]]*)\]|\bin\s+(\S+)|(?<=\S)\s+([A-Z]{3}))\s*$/u;

/** RBC's amount columns: a currency code and its dollar sign, "CAD$" and "USD$". */
const CODE_AND_SIGN = /^([A-Za-z]{3})\s*\$$/;

/** How a header cell reads; matching ignores case, accents, punctuation and a unit suffix. */
export function readHeader(cell: string): HeaderMeaning {
  let text = cell.trim();
  const signed = CODE_AND_SIGN.exec(text);
  const signedCode = signed === null ? null : currencyName(signed[1] ?? '');
  if (signedCode !== null) {
    return { key: normalizeHeader(text), role: 'amount', rank: AMOUNT_RANK, currency: signedCode };
  }
  let currency: string | null = null;
  const unit = UNIT.exec(text);
  if (unit !== null) {
    const code = currencyName((unit[2] ?? unit[3] ?? unit[4] ?? unit[5] ?? '').trim());
    if (code !== null) {
      currency = code;
      text = unit[1] ?? '';
    }
  }
  const key = normalizeHeader(text);
  const found = LOOKUP.get(key) ?? null;
  return { key, role: found?.role ?? null, rank: found?.rank ?? 0, currency };
}

/** A currency code or symbol as written in a header or cell, or null. */
export function currencyName(text: string): string | null {
  const upper = text.toUpperCase();
  if (/^[A-Z]{3}$/.test(upper) && CURRENCY_EXPONENTS[upper] !== undefined) return upper;
  return SYMBOLS[text.toLowerCase()] ?? null;
}

export function normalizeHeader(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
