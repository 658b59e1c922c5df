import type { PaymentMethod } from '../../../shared/domain/invoicing.schema.js';
import { scaledToDecimalString } from '../../../shared/money/format-money.js';

/** Exact decimal without trailing zeros: 1500 thousandths is "1.5", 2000 is "2". */
function trimmed(value: number, scale: number): string {
  const text = scaledToDecimalString(BigInt(value), scale);
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** A quantity in thousandths, as people write it, in the locale's digits and separator. */
export function formatQuantity(quantityMilli: number, locale: string): string {
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 3 }).format(
    trimmed(quantityMilli, 3) as Intl.StringNumericLiteral,
  );
}

/** A rate in parts per million as a percentage: 88_750 is "8.875%" (exact, no float). */
export function formatRatePpm(ppm: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 4 }).format(
    trimmed(ppm, 6) as Intl.StringNumericLiteral,
  );
}

/** An ISO date in the locale's medium style, read as a calendar day (no time zone shift). */
export function formatIsoDate(date: string, locale: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(
    Date.UTC(year ?? 1970, (month ?? 1) - 1, day ?? 1),
  );
}

const PAYMENT_METHOD_LABELS: Record<PaymentMethod, string> = {
  bank_transfer: 'Bank transfer',
  card: 'Card',
  paypal: 'PayPal',
  stripe: 'Stripe',
  zelle: 'Zelle',
  cash: 'Cash',
  check: 'Check',
  other: 'Other',
};

export function paymentMethodLabel(method: PaymentMethod): string {
  return PAYMENT_METHOD_LABELS[method];
}
