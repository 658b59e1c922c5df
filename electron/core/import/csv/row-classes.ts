import { normalizeHeader } from './header-names.js';

// Words that mark a line as a total or balance rather than a transaction, in the six
// languages, matched on whole words of the normalised text.
const SUMMARY =
  /\b(total|totals|subtotal|sum|summe|gesamt|gesamtsumme|saldo|balance|kontostand|solde|totale|totaal|opening|closing|anfangssaldo|endsaldo|schlusssaldo|brought forward|carried forward|saldo iniziale|saldo finale|saldo inicial|saldo final|beginsaldo|eindsaldo)\b/;
const BALANCE_ROW =
  /^(opening balance|closing balance|beginning balance|ending balance|starting balance|balance brought forward|balance carried forward|anfangssaldo|endsaldo|alter kontostand|neuer kontostand|solde initial|solde final|solde precedent|saldo inicial|saldo final|saldo iniziale|saldo finale|beginsaldo|eindsaldo)\b/;
const PENDING =
  /^(pending|pending transactions?|authori[sz]ed|vorgemerkt|umsatz vorgemerkt|vorgemerkte umsatze|en attente|operations en attente|pendiente|pendientes|in sospeso|in behandeling|niet verwerkt)$/;
const POSTED =
  /^(posted|posted transactions?|booked|cleared|gebucht|umsatz gebucht|gebuchte umsatze|comptabilise|contabilizado|contabilizzato|verwerkt)$/;
const DECLINED =
  /^(declined|denied|failed|reverted|canceled|cancelled|void|abgelehnt|storniert|rejete|annule|rechazado|annullato|geweigerd)$/;
const PAYMENT = /\b(payment|thank you|autopay|auto pay|zahlung|paiement|pago|pagamento|betaling)\b/;

export const isSummaryText = (text: string): boolean => SUMMARY.test(normalizeHeader(text));
export const isBalanceRow = (text: string): boolean => BALANCE_ROW.test(normalizeHeader(text));
export const isPendingWord = (text: string): boolean => PENDING.test(normalizeHeader(text));
export const isPostedWord = (text: string): boolean => POSTED.test(normalizeHeader(text));
export const isDeclinedWord = (text: string): boolean => DECLINED.test(normalizeHeader(text));
export const isPaymentText = (text: string): boolean => PAYMENT.test(normalizeHeader(text));

const DEBIT_MARKS = new Set([
  'd',
  'dr',
  'debit',
  'debet',
  's',
  'soll',
  'af',
  '-',
  'db',
  'withdrawal',
  'lastschrift',
  'cargo',
  'addebito',
]);
const CREDIT_MARKS = new Set([
  'c',
  'cr',
  'credit',
  'h',
  'haben',
  'bij',
  '+',
  'deposit',
  'gutschrift',
  'abono',
  'accredito',
]);

/** -1 for a debit marker, 1 for a credit marker, null for anything else. */
export function indicatorSign(cell: string): -1 | 1 | null {
  const t = cell.trim();
  const key = t === '-' || t === '+' ? t : normalizeHeader(t);
  if (DEBIT_MARKS.has(key)) return -1;
  if (CREDIT_MARKS.has(key)) return 1;
  return null;
}
